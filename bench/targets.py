"""The issue's targets for this app, on the benchmark machine."""

TTFT_OVERHEAD_MEDIAN_MS = 30.0  # first token through the app minus a raw request's
BROWSER_LAG_MS = 100.0  # last token on screen after the upstream's last byte
CROWD_SCALING = 1.5  # 50 visitors' total time over one visitor's
FLEET_TTFT_P95_MS = 1500.0  # 200 visitors' first token, p95, through two replicas

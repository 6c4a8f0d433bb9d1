"""Benchmark this app against a stock gr.ChatInterface: `python bench/run.py [--quick]`.

Starts the MiniMax emulator, this app and the baseline on free ports, drives them with a
light load client and headless Chromium, then writes bench/results/benchmark.{json,md,png}
and prints the table. Both apps are measured in the same run, under the same conditions.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import fleet_phase, phases, report  # noqa: E402
from bench.contenders import APP, BASELINE, CONTENDERS  # noqa: E402
from bench.emulator_control import EmulatorControl  # noqa: E402
from bench.machine import machine_info, stolen_s  # noqa: E402
from bench.processes import app_server, emulator_server  # noqa: E402
from bench.profiles import PROFILES  # noqa: E402

DEFAULT_OUT = Path(__file__).resolve().parent / "results"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python bench/run.py",
                                     description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true",
                      help="fewer samples; about 4 minutes on 2 cores")
    mode.add_argument("--smoke", action="store_true", help="a tiny run that checks the machinery")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="where the results go (default: bench/results)")
    return parser


def _say(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", flush=True)


def run(profile_name: str, out: Path, command: str) -> dict:
    profile = PROFILES[profile_name]
    started, clock = datetime.now(UTC), time.perf_counter()
    machine = machine_info()  # before we load the machine ourselves
    stolen_before = stolen_s()
    log_dir = Path(tempfile.mkdtemp(prefix="bench-logs-"))
    _say(f"{profile_name} run; server logs in {log_dir}")
    emulator = emulator_server(log_dir).start()
    control = EmulatorControl(emulator.url)
    servers: dict = {}
    try:
        startup = {}
        for c in CONTENDERS:
            _say(f"start-up of {c.script} ×{profile.startup_runs}")
            startup[c.key] = phases.measure_startup(c, emulator.url, log_dir,
                                                    profile.startup_runs - 1)
            servers[c.key] = app_server(c.key, c.script, emulator.url, log_dir).start()
            startup[c.key].append(servers[c.key].startup_s)
        targets = asyncio.run(phases.load_targets(servers))
        rss_idle = {key: server.rss_mb() for key, server in servers.items()}

        _say(f"time to first token: {profile.ttft_samples} samples each")
        control.set_directives(profile.ttft_reply)
        ttft = asyncio.run(phases.measure_ttft(targets, emulator.url, profile))

        _say(f"browser lag ({profile.browser_reply})")
        control.set_directives(profile.browser_reply)
        browser = phases.measure_browser(servers, control, profile)

        control.set_directives(profile.crowd_reply)
        crowds = {"reply": profile.crowd_reply}
        for c in (APP, BASELINE):
            _say(f"{', '.join(map(str, phases.crowd_sizes(c, profile)))} visitors at once: "
                 f"{c.label}")
            crowds[c.key] = asyncio.run(phases.measure_crowds(c, targets[c.key], servers[c.key],
                                                              control, profile))
        for server in servers.values():  # the machine to the two replicas alone
            server.stop()
        fleet = None
        if profile.fleet_crowd:
            _say(f"{profile.fleet_crowd} visitors at once: two replicas (haproxy + Redis)")
            fleet = fleet_phase.measure_fleet(emulator.url, profile.fleet_crowd, log_dir)
    finally:
        for server in servers.values():
            server.interrupt()  # all at once: they take a moment to shut down
        for server in [*servers.values(), emulator]:
            server.stop()
        control.close()
    results = {
        "command": command, "profile": profile.__dict__ | {"crowds": list(profile.crowds)},
        "started_at": started.strftime("%Y-%m-%d %H:%M UTC"),
        "duration_s": round(time.perf_counter() - clock, 1),
        "machine": machine | {"chromium": browser.get("chromium"),
                              "stolen_s": round(stolen_s() - stolen_before, 1)},
        "contenders": {c.key: {"label": c.label, "command": f"python {c.script}"}
                       for c in CONTENDERS},
        "ttft": ttft, "browser": browser, "concurrency": crowds, "fleet": fleet,
        "cost": {key: report.cost_summary(crowds[key], rss_idle[key]) for key in servers},
        "startup": {key: report.startup_summary(samples) for key, samples in startup.items()},
    }
    paths = report.write(results, out)
    print(report.markdown(results))
    _say("wrote " + ", ".join(str(p) for p in paths.values()))
    return results


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    name = "quick" if args.quick else "smoke" if args.smoke else "full"
    flag = {"quick": " --quick", "smoke": " --smoke", "full": ""}[name]
    run(name, args.out, f"python bench/run.py{flag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The benchmark's one chart: every measurement, this app beside the baseline."""
from __future__ import annotations

from pathlib import Path

from . import targets
from .format import number
from .machine import describe

KEYS = ("app", "baseline")
COLORS = {"app": "#4f46e5", "baseline": "#9ca3af"}
LABELS = {"app": "This app", "baseline": "Stock ChatInterface"}
TARGET = {"color": "#dc2626", "ls": "--", "lw": 1}
WORSE = "#dc2626"


def _bars(ax, title: str, unit: str, values: dict, bounds: dict | None = None,
          log: bool = False) -> None:
    """One bar per contender, labelled with its value."""
    bounds = bounds or {}
    shown = ax.bar([LABELS[k] for k in KEYS], [values[k] or 0 for k in KEYS],
                   color=[COLORS[k] for k in KEYS])
    ax.bar_label(shown, labels=[number(values[k], bounds.get(k, False)) for k in KEYS],
                 padding=2, fontsize=9)
    ax.set_title(title, fontsize=10)
    ax.set_ylabel(unit)
    if log:
        ax.set_yscale("log")
    ax.margins(y=0.2)


def _pairs(ax, title: str, unit: str, groups: list[str], values: dict[str, list]) -> None:
    """Grouped bars: for each group, this app beside the baseline."""
    width = 0.38
    for i, key in enumerate(KEYS):
        shown = ax.bar([x + i * width for x in range(len(groups))],
                       [v or 0 for v in values[key]], width, color=COLORS[key], label=LABELS[key])
        ax.bar_label(shown, labels=[number(v) for v in values[key]], padding=2, fontsize=8)
    ax.set_xticks([x + width / 2 for x in range(len(groups))], groups)
    ax.set_title(title, fontsize=10)
    ax.set_ylabel(unit)
    ax.margins(y=0.25)
    ax.legend(fontsize=8, loc="upper left")


def _lines(ax, title: str, unit: str, sizes: list[int], crowds: dict, field: str) -> None:
    """A metric against the number of visitors, log-log."""
    for key in KEYS:
        met = [n for n in sizes if str(n) in crowds[key]]  # the stock page meets fewer
        ax.plot(met, [crowds[key][str(n)][field] or 0 for n in met], "o-",
                color=COLORS[key], label=LABELS[key])
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(sizes, [str(n) for n in sizes], fontsize=8)
    ax.minorticks_off()
    ax.set_xlabel("visitors at once")
    ax.set_ylabel(unit)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)


def _crowd_targets(ax, fleet: dict | None) -> None:
    """On the first-token chart: the crowd targets, and the two replicas' 200 visitors."""
    goals = list(targets.CROWD_TTFT_P95_MS.items())
    if fleet:
        goals.append((fleet["visitors"], targets.FLEET_TTFT_P95_MS))
        ax.plot([fleet["visitors"]], [fleet["ttft_p95_ms"] or 0], "D", color="#059669",
                label=f"{fleet.get('replicas', 2)} replicas")
    ax.plot([n for n, _ in goals], [ms for _, ms in goals], "_", color=TARGET["color"],
            markersize=14, mew=2, label="target" + (f" ({fleet['visitors']}: replicas)" if fleet else ""))
    ax.legend(fontsize=8)


def _ratios(ax, table: list[dict]) -> None:
    rated = [r for r in table if r["ratio"] is not None]
    ax.barh([(r["ratio_bound"] + " " if r["ratio_bound"] else "") + _short(r["metric"])
             for r in rated], [r["ratio"] for r in rated],
            color=[COLORS["app"] if r["ratio"] >= 1 else WORSE for r in rated])
    ax.axvline(1, color="black", lw=1)
    ax.set_xscale("log")
    ax.invert_yaxis()
    ax.tick_params(axis="y", labelsize=7)
    ax.set_title("Baseline ÷ this app (> 1: app better)", fontsize=10)


def _short(metric: str) -> str:
    for long, short in (("Time to first token", "TTFT"), ("time to first token", "TTFT"),
                        (", overhead over a raw request", " overhead"),
                        (": last token visible after the upstream's last byte", ""),
                        ("Resident memory", "RSS"),
                        ("peak of the largest crowd", "peak"),
                        ("Server CPU per 1,000 streamed tokens", "CPU per 1k tokens"),
                        ("Start-up: `python <app>` until the page is served", "start-up")):
        metric = metric.replace(long, short)
    return metric[:44]


def chart(results: dict, path: Path) -> None:
    """Write the PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ttft, browser, crowds, cost = (results[k] for k in ("ttft", "browser", "concurrency", "cost"))
    sizes = sorted(int(n) for n in crowds["app"])
    fig, axes = plt.subplots(2, 4, figsize=(17, 8.2))
    fig.suptitle("MiniMax Chat vs a stock gr.ChatInterface, same run, same machine "
                 "(lower is better)", fontsize=14)
    _pairs(axes[0][0], "Time-to-first-token overhead", "ms", ["median", "p95"],
           {k: [ttft[k]["overhead_median_ms"], ttft[k]["overhead_p95_ms"]] for k in KEYS})
    axes[0][0].axhline(targets.TTFT_OVERHEAD_MEDIAN_MS, **TARGET)
    _bars(axes[0][1], f"Browser lag, fast reply ({browser['reply']})", "ms (log)",
          {k: browser[k]["lag_median_ms"] for k in KEYS},
          {k: browser[k]["at_least"] for k in KEYS}, log=True)
    axes[0][1].axhline(targets.BROWSER_LAG_MS, **TARGET)
    _lines(axes[0][2], "Total wall time, 2-second replies", "s (log)", sizes, crowds, "wall_s")
    _lines(axes[0][3], "Time to first token, p95", "ms (log)", sizes, crowds, "ttft_p95_ms")
    _crowd_targets(axes[0][3], results.get("fleet"))
    _bars(axes[1][0], "Server CPU per 1,000 streamed tokens", "CPU s",
          {k: cost[k]["cpu_s_per_1k_tokens"] for k in KEYS})
    _pairs(axes[1][1], "Resident memory", "MiB", ["idle", f"{sizes[-1]} visitors"],
           {k: [cost[k]["rss_idle_mb"], cost[k]["rss_peak_mb"]] for k in KEYS})
    _bars(axes[1][2], "Start-up until the page is served", "s",
          {k: results["startup"][k]["median_s"] for k in KEYS})
    _ratios(axes[1][3], results["table"])
    fig.text(0.5, 0.01, f"{describe(results['machine'])} · `{results['command']}` · "
             f"{results['started_at']} · red dashes: targets", ha="center", fontsize=8,
             color="#4b5563")
    fig.tight_layout(rect=(0, 0.03, 1, 0.96))
    fig.savefig(path, dpi=110)
    plt.close(fig)

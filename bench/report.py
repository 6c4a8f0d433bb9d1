"""The results of one run as JSON, a Markdown table and one chart."""
from __future__ import annotations

import json
from pathlib import Path

from . import targets
from .chart import chart
from .format import number
from .machine import describe
from .stats import median, ratio

NAME = "benchmark"  # bench/results/benchmark.{json,md,png}


def _row(metric: str, unit: str, app, baseline, target: str = "", met: bool | None = None,
         at_least: tuple[bool, bool] = (False, False)) -> dict:
    """`at_least`: whether the app's / the baseline's value is only a lower bound."""
    bound = {(False, False): "", (False, True): "≥", (True, False): "≤"}.get(at_least)
    return {"metric": metric, "unit": unit, "app": app, "baseline": baseline,
            "app_at_least": at_least[0], "baseline_at_least": at_least[1],
            "ratio": ratio(baseline, app) if bound is not None else None,
            "ratio_bound": bound or "", "target": target, "met": met}


def summarize(results: dict) -> list[dict]:
    """The table: one row per figure, this app vs the baseline, ratio = baseline / app."""
    ttft, browser, crowds = results["ttft"], results["browser"], results["concurrency"]
    cost, startup = results["cost"], results["startup"]
    rows = []
    app_ttft = ttft["app"]["overhead_median_ms"]
    rows.append(_row("Time to first token, overhead over a raw request (median)", "ms", app_ttft,
                     ttft["baseline"]["overhead_median_ms"], "≤ 30 ms",
                     _at_most(app_ttft, targets.TTFT_OVERHEAD_MEDIAN_MS)))
    rows.append(_row("Time to first token, overhead over a raw request (p95)", "ms",
                     ttft["app"]["overhead_p95_ms"], ttft["baseline"]["overhead_p95_ms"]))
    lag = browser["app"]["lag_median_ms"]
    chunks = browser["reply"].split(";")[0].split("=")[1]
    bounds = (browser["app"]["at_least"], browser["baseline"]["at_least"])
    rows.append(_row(f"Browser lag: last token visible after the upstream's last byte "
                     f"({int(chunks):,}-chunk reply)", "ms", lag,
                     browser["baseline"]["lag_median_ms"], "≤ 100 ms",
                     None if bounds[0] else _at_most(lag, targets.BROWSER_LAG_MS), bounds))
    sizes = sorted(int(n) for n in crowds["app"])
    for n in sizes:
        # A crowd the stock page did not meet (it serves one visitor at a time) shows "—".
        a, b = crowds["app"][str(n)], crowds["baseline"].get(str(n), {})
        who = f"{n} visitor{'s' if n > 1 else ''}"
        rows.append(_row(f"{who}: total wall time", "s", a["wall_s"], b.get("wall_s")))
        for q in ("p50", "p95"):
            goal = targets.CROWD_TTFT_P95_MS.get(n) if q == "p95" else None
            rows.append(_row(f"{who}: time to first token {q}", "ms", a[f"ttft_{q}_ms"],
                             b.get(f"ttft_{q}_ms"), f"≤ {goal:,.0f} ms" if goal else "",
                             _at_most(a[f"ttft_{q}_ms"], goal) if goal else None))
        rows.append(_row(f"{who}: failures", "", a["failures"], b.get("failures"), "0",
                         a["failures"] == 0))
    # The scaling target is 50 visitors' (or the largest crowd both met).
    both = [n for n in sizes if str(n) in crowds["baseline"]]
    most, one = str(50 if 50 in both else both[-1]), str(both[0])
    scale = {k: round(crowds[k][most]["wall_s"] / crowds[k][one]["wall_s"], 2)
             for k in ("app", "baseline")}
    rows.append(_row(f"{most} visitors' wall time ÷ {one} visitor's", "×", scale["app"],
                     scale["baseline"], "≤ 1.5×", _at_most(scale["app"], targets.CROWD_SCALING)))
    rows.append(_row("Server CPU per 1,000 streamed tokens", "CPU s",
                     cost["app"]["cpu_s_per_1k_tokens"], cost["baseline"]["cpu_s_per_1k_tokens"]))
    rows.append(_row("Resident memory, idle", "MiB", cost["app"]["rss_idle_mb"],
                     cost["baseline"]["rss_idle_mb"]))
    largest = {k: max(int(n) for n in crowds[k]) for k in ("app", "baseline")}
    rows.append(_row(f"Resident memory, peak of the largest crowd ({largest['app']} visitors; "
                     f"stock: {largest['baseline']})", "MiB",
                     cost["app"]["rss_peak_mb"], cost["baseline"]["rss_peak_mb"]))
    rows.append(_row("Start-up: `python <app>` until the page is served", "s",
                     startup["app"]["median_s"], startup["baseline"]["median_s"]))
    return rows


def fleet_table(results: dict) -> list[str]:
    """The two-replica crowd beside one process and the stock app at the same size, where the
    run measured them (Markdown lines; none without a two-replica run)."""
    fleet = results.get("fleet")
    if not fleet:
        return []
    n = str(fleet["visitors"])
    crowds = results["concurrency"]
    rows = [(f"{fleet['replicas']} × this app behind haproxy, with Redis", fleet),
            ("1 × this app", crowds.get("app", {}).get(n)),
            ("Stock ChatInterface", crowds.get("baseline", {}).get(n))]
    lines = ["", f"{n} visitors at once (target for two replicas: first token p95 ≤ "
             f"{targets.FLEET_TTFT_P95_MS / 1000:g} s, 0 failures):", "",
             "| Setup | Wall time (s) | First token p50 (ms) | p95 (ms) | Failures | CPU (s) "
             "| Taken by the host (CPU s) |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for label, crowd in rows:
        if crowd:
            lines.append(f"| {label} | {number(crowd['wall_s'])} | {number(crowd['ttft_p50_ms'])} "
                         f"| {number(crowd['ttft_p95_ms'])} | {crowd['failures']} "
                         f"| {number(crowd['cpu_s'])} | {_stolen(crowd)} |")
    return lines


def _stolen(measured: dict) -> str:
    stolen = measured.get("stolen_s")  # absent in results written before it was measured
    return "—" if stolen is None else f"{stolen:.2f}"


def steal_note(results: dict) -> str:
    """How much CPU the hypervisor took from this machine meanwhile: on a shared virtual
    machine, a neighbour's load slows the same code's run and shows up here, not in the load
    average."""
    machine = results["machine"]
    if machine.get("stolen_s") is None:
        return ""
    share = machine["stolen_s"] / (results["duration_s"] * (machine["cores"] or 1)) * 100
    crowds = results["concurrency"]["app"]
    during = ", ".join(f"{size} visitors {_stolen(crowd)}" for size, crowd in crowds.items()
                       if int(size) >= 100)
    return (f" CPU taken from this machine by its host (steal, /proc/stat): "
            f"{machine['stolen_s']:g} s over the run ({share:.1f} % of its cores' time)"
            + (f"; during this app's crowds of {during} s." if during else "."))


def _at_most(value, limit) -> bool | None:
    return None if value is None else value <= limit


def markdown(results: dict) -> str:
    """The table as Markdown, with the machine and the command it came from."""
    machine = results["machine"]
    lines = [(f"Measured with `{results['command']}` on {results['started_at']} "
              f"({results['duration_s']:.0f} s)."),
             (f"Machine: {describe(machine)}; 1-minute load average at the start "
              f"{machine['load_average_1m']} (other work on the machine skews results)."),
             "",
             "| Metric | This app | Stock ChatInterface | Ratio (baseline ÷ app) "
             "| Target (this app) |",
             "|---|---:|---:|---:|---|"]
    for row in results["table"]:
        unit = f" ({row['unit']})" if row["unit"] else ""
        met = "" if row["met"] is None else (" ✅" if row["met"] else " ❌")
        ratio_text = "—" if row["ratio"] is None else \
            f"{row['ratio_bound'] and row['ratio_bound'] + ' '}{number(row['ratio'])}×"
        app = number(row["app"], row["app_at_least"])
        baseline = number(row["baseline"], row["baseline_at_least"])
        lines.append(f"| {row['metric']}{unit} | {app} | {baseline} | {ratio_text} | "
                     f"{row['target']}{met} |")
    watched = results["profile"]["browser_watch_s"]
    bounded = any(r["app_at_least"] or r["baseline_at_least"] for r in results["table"])
    lines += ["", "Ratios above 1× favour this app (every metric here is lower-is-better). "
              + (f"“≥”: that page was watched for at most {watched:g} s after the reply's "
                 "last byte and had not shown the last token yet, so its lag is at least that. "
                 if bounded else "") +
              f"Raw emulator time to first token: {number(results['ttft']['raw_median_ms'])} ms "
              "(median). Replies: time to first token `" + results["ttft"]["reply"] +
              "`, browser `" + results["browser"]["reply"] + "`, visitors `" +
              results["concurrency"]["reply"] + "` (emulator directives)." + resent_note(results)
              + steal_note(results)]
    lines += fleet_table(results)
    return "\n".join(lines) + "\n"


def resent_note(results: dict) -> str:
    """How many of the crowds' requests met a kept-alive connection the app had just closed
    and were sent again, as a browser sends them (`bench/load_client.py` `_post`)."""
    crowds = results["concurrency"]["app"]
    resent = {size: crowd.get("resent", 0) for size, crowd in crowds.items()}
    if not any(resent.values()):
        return ""
    listed = ", ".join(f"{n} at {size} visitors" for size, n in resent.items() if n)
    return (f" Requests sent again on a new connection after the app closed their kept-alive "
            f"one as they were sent, as a browser does: {listed}.")


def cost_summary(crowds: dict, rss_idle_mb: float) -> dict:
    """CPU per 1,000 tokens over every crowd, and memory idle and at the largest crowd."""
    cpu = sum(c["cpu_s"] for c in crowds.values())
    tokens = sum(c["tokens"] for c in crowds.values())
    most = str(max(int(n) for n in crowds))
    return {"cpu_s": round(cpu, 3), "tokens": tokens,
            "cpu_s_per_1k_tokens": round(cpu / tokens * 1000, 3) if tokens else None,
            "rss_idle_mb": round(rss_idle_mb, 1), "rss_peak_mb": crowds[most]["rss_peak_mb"]}


def startup_summary(samples: list[float]) -> dict:
    return {"samples_s": [round(s, 3) for s in samples], "median_s": round(median(samples), 3)}


def write(results: dict, out: Path) -> dict[str, Path]:
    """Write benchmark.json, benchmark.md and benchmark.png into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    results["table"] = summarize(results)
    paths = {"json": out / f"{NAME}.json", "md": out / f"{NAME}.md", "png": out / f"{NAME}.png"}
    paths["json"].write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    paths["md"].write_text(markdown(results))
    chart(results, paths["png"])
    return paths

"""The measurements, one function per phase; each returns plain data for the report."""
from __future__ import annotations

import asyncio
import time
from pathlib import Path

from .browser import launch, watch_reply
from .contenders import APP, BASELINE, CONTENDERS, Contender
from .emulator_control import EmulatorControl
from .load_client import Target, crowd, new_client, raw_first_token, visit
from .machine import stolen_s
from .processes import Server, app_server
from .profiles import MODEL, Profile
from .stats import median, ms, percentile

MESSAGE = "你好，请介绍一下你自己。Hello, who are you?"
SETTLE_S = 0.1  # quiet time between measurements


def measure_startup(contender: Contender, emulator_url: str, log_dir: Path,
                    runs: int) -> list[float]:
    """Seconds from `python <script>` to its page served, `runs` times (server stopped after)."""
    samples = []
    for _ in range(runs):
        with app_server(contender.key, contender.script, emulator_url, log_dir) as server:
            samples.append(server.startup_s)
    return samples


async def load_targets(servers: dict[str, Server]) -> dict[str, Target]:
    async with new_client() as client:
        return {c.key: await Target.load(client, servers[c.key].url, c.elem_id, c.controls)
                for c in CONTENDERS}


async def measure_ttft(targets: dict[str, Target], emulator_url: str, profile: Profile) -> dict:
    """First token through each app vs a raw request to the emulator, sampled in turns."""
    async with new_client() as client:
        for _ in range(profile.warmup_visits):
            await raw_first_token(client, emulator_url, MODEL, MESSAGE)
            for target in targets.values():
                await visit(target, MESSAGE)
        raw: list[float] = []
        through: dict[str, list[float | None]] = {key: [] for key in targets}
        errors: dict[str, list[str]] = {key: [] for key in targets}
        for _ in range(profile.ttft_samples):
            raw.append(await raw_first_token(client, emulator_url, MODEL, MESSAGE))
            for key, target in targets.items():
                result = await visit(target, MESSAGE)
                through[key].append(None if result.failed else result.ttft)
                if result.failed:
                    errors[key].append(result.error or "no reply")
    out: dict = {"reply": profile.ttft_reply, "raw_ms": [ms(s) for s in raw],
                 "raw_median_ms": ms(median(raw))}
    for key, samples in through.items():
        overhead = [t - r for t, r in zip(samples, raw) if t is not None]
        good = [t for t in samples if t is not None]
        out[key] = {"ttft_ms": [ms(s) for s in samples], "median_ms": ms(median(good)),
                    "p95_ms": ms(percentile(good, 95)), "overhead_ms": [ms(s) for s in overhead],
                    "overhead_median_ms": ms(median(overhead)),
                    "overhead_p95_ms": ms(percentile(overhead, 95)),
                    "failures": len(errors[key]), "errors": errors[key][:3]}
    return out


def measure_browser(servers: dict[str, Server], control: EmulatorControl, profile: Profile) -> dict:
    """Browser lag on a fast reply, each contender in turn, in one headless Chromium."""
    from playwright.sync_api import sync_playwright

    out: dict = {"reply": profile.browser_reply}
    with sync_playwright() as playwright:
        browser = launch(playwright)
        out["chromium"] = browser.version
        try:
            runs: dict[str, list[dict]] = {c.key: [] for c in CONTENDERS}
            wanted = {APP.key: profile.browser_runs, BASELINE.key: profile.browser_baseline_runs}
            for turn in range(max(wanted.values())):
                for c in CONTENDERS:
                    if turn >= wanted[c.key]:
                        continue
                    lag = watch_reply(browser, servers[c.key].url, control, MESSAGE,
                                      c.input_selector, c.browser_setup, profile.browser_watch_s)
                    runs[c.key].append({"lag_ms": ms(lag.lag_s), "complete": lag.complete,
                                        "shown": lag.shown,
                                        "enter_to_visible_ms": ms(lag.enter_to_visible_s),
                                        "stream_ms": ms(lag.stream_s), "events": lag.chunks})
                    time.sleep(SETTLE_S)
        finally:
            browser.close()
    for key, samples in runs.items():
        # A run we stopped watching is a lower bound, and so is a median that includes one.
        out[key] = {"runs": samples, "lag_median_ms": median([s["lag_ms"] for s in samples]),
                    "at_least": not all(s["complete"] for s in samples)}
    return out


def crowd_sizes(contender: Contender, profile: Profile) -> tuple[int, ...]:
    """The crowds a contender meets (the stock page only the smaller ones)."""
    return profile.baseline_crowds or profile.crowds if contender is BASELINE else profile.crowds


async def measure_crowds(contender: Contender, target: Target, server: Server,
                         control: EmulatorControl, profile: Profile) -> dict:
    """1, 10, 50… visitors at once: wall time, first-token times, failures, CPU, memory."""
    out: dict = {}
    for visitors in crowd_sizes(contender, profile):
        await asyncio.sleep(SETTLE_S)
        control.clear_streams()
        peak = [server.rss_mb()]
        cpu_before, stolen_before = server.cpu_seconds(), stolen_s()
        wall, visits = await crowd(target, visitors, MESSAGE,
                                   on_tick=lambda peak=peak: peak.append(server.rss_mb()))
        cpu, stolen = server.cpu_seconds() - cpu_before, stolen_s() - stolen_before
        # One content chunk is one token; the terminal event repeats the text.
        tokens = sum(max(0, s["events"] - 1) for s in control.streams())
        ttfts = [v.ttft for v in visits if not v.failed]
        failed = [v for v in visits if v.failed]
        out[str(visitors)] = {
            "visitors": visitors, "wall_s": round(wall, 3),
            "ttft_p50_ms": ms(percentile(ttfts, 50)), "ttft_p95_ms": ms(percentile(ttfts, 95)),
            "failures": len(failed), "errors": [v.error or "no reply" for v in failed][:3],
            "resent": sum(v.resent for v in visits),
            "ttft_ms": sorted(ms(t) for t in ttfts),
            "cpu_s": round(cpu, 3), "stolen_s": round(stolen, 2), "tokens": tokens,
            "rss_peak_mb": round(max(peak), 1)}
    return out

"""The two-replica run: haproxy, Redis and 2 app processes on this machine (deploy/fleet.py),
a crowd through the balancer, beside one app process given the same crowd.

Run alone: `python -m bench.fleet_phase [--visitors 200]` (its own emulator; prints a JSON
line for each setup as it is measured).
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
from pathlib import Path

from deploy.fleet import Fleet

from .contenders import APP
from .emulator_control import EmulatorControl
from .load_client import Target, crowd, new_client, visit
from .machine import stolen_s
from .processes import app_server, child_env, cpu_seconds, emulator_server
from .profiles import MODEL, PROFILES
from .stats import ms, percentile

CROWD_REPLY = PROFILES["full"].crowd_reply
MESSAGE = "你好，请介绍一下你自己。Hello, who are you?"
WARMUP_VISITS = 2  # per replica, before the crowd


async def crowd_through(url: str, visitors: int, pids: list[int], first_get: str | None) -> dict:
    """A few warm-up visits, then `visitors` at once at `url`; `pids`' CPU is counted."""
    async with new_client() as client:
        target = await Target.load(client, url, APP.elem_id, APP.controls)
    target.first_get = first_get
    for _ in range(WARMUP_VISITS * 2):
        await visit(target, MESSAGE)
    cpu_before, stolen_before = sum(cpu_seconds(pid) for pid in pids), stolen_s()
    wall, visits = await crowd(target, visitors, MESSAGE)
    cpu = sum(cpu_seconds(pid) for pid in pids) - cpu_before
    stolen = stolen_s() - stolen_before
    ttfts = [v.ttft for v in visits if not v.failed]
    failed = [v for v in visits if v.failed]
    return {"visitors": visitors, "wall_s": round(wall, 3),
            "ttft_p50_ms": ms(percentile(ttfts, 50)), "ttft_p95_ms": ms(percentile(ttfts, 95)),
            "failures": len(failed), "errors": [v.error or "no reply" for v in failed][:3],
            "cpu_s": round(cpu, 3), "stolen_s": round(stolen, 2)}


def measure_fleet(emulator_url: str, visitors: int, log_dir: Path, replicas: int = 2) -> dict:
    """`visitors` at once through the balancer; CPU is every process of the set's."""
    env = child_env(MINIMAX_API_KEY="bench-key", MINIMAX_BASE_URL=emulator_url, MINIMAX_MODEL=MODEL)
    with Fleet(replicas=replicas, env=env, inherit_env=False, log_dir=log_dir) as fleet:
        pids = [child.pid for child in [*fleet.apps, fleet.balancer, fleet.redis] if child]
        result = asyncio.run(crowd_through(fleet.url, visitors, pids, first_get="/"))
    return result | {"replicas": replicas, "setup": "haproxy (cookie affinity) + Redis + "
                     f"{replicas} × python app.py"}


def measure_single(emulator_url: str, visitors: int, log_dir: Path) -> dict:
    """The same crowd on one `python app.py`, for comparison in the same conditions."""
    with app_server(APP.key, APP.script, emulator_url, log_dir) as server:
        return asyncio.run(crowd_through(server.url, visitors, [server.pid], first_get=None))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fleet_phase",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--visitors", type=int, default=200)
    parser.add_argument("--skip-single", action="store_true", help="only the two replicas")
    args = parser.parse_args(argv)
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    log_dir = Path(tempfile.mkdtemp(prefix="bench-fleet-"))
    with emulator_server(log_dir) as emulator:
        control = EmulatorControl(emulator.url)
        control.set_directives(CROWD_REPLY)
        out = {"reply": CROWD_REPLY, "load_average_1m": os.getloadavg()[0],
               "fleet": measure_fleet(emulator.url, args.visitors, log_dir)}
        print(json.dumps(out, ensure_ascii=False), flush=True)
        if not args.skip_single:
            single = measure_single(emulator.url, args.visitors, log_dir)
            print(json.dumps({"single": single}, ensure_ascii=False), flush=True)
        control.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""First tokens of this checkout's app beside another checkout's, in one run:
`python bench/compare.py OTHER_DIR [--crowds 1,10,10,50] [--rounds 2]`.

For a change that may cost first tokens (an extra event per message, say): check out the
commit before it elsewhere (`git worktree add /tmp/before HEAD~1`) and compare. Both apps run
against one emulator, in turns, with the benchmark's load client and 2-second replies; each
line gives the median first token (ms) of each crowd, run one after another; `--detail` adds
a line per app with each crowd's first-token p95 (ms), failures and server CPU seconds.
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.contenders import APP  # noqa: E402
from bench.emulator_control import EmulatorControl  # noqa: E402
from bench.load_client import Target, crowd, new_client  # noqa: E402
from bench.processes import ROOT, Server, app_server, emulator_server  # noqa: E402
from bench.profiles import PROFILES  # noqa: E402
from bench.stats import median, percentile  # noqa: E402


def _server(root: Path, emulator_url: str, log_dir: Path) -> Server:
    server = app_server(root.name or "app", "app.py", emulator_url, log_dir)
    server.argv = [sys.executable, str(root / "app.py")]
    server.env["PYTHONPATH"] = str(root)
    return server.start()


async def _crowds(server: Server, crowds: list[int]) -> tuple[list[float], list[str]]:
    """Each crowd's median first token (ms), and its p95 / failures / server CPU s."""
    async with new_client() as client:
        target = await Target.load(client, server.url, APP.elem_id, APP.controls)
    medians, details = [], []
    for visitors in crowds:
        await asyncio.sleep(0.1)
        cpu = server.cpu_seconds()
        _, visits = await crowd(target, visitors, "你好")
        cpu = server.cpu_seconds() - cpu
        ttfts = [v.ttft for v in visits if not v.failed]
        medians.append(median(ttfts) * 1000)
        details.append(f"{percentile(ttfts, 95) * 1000:.0f}/{len(visits) - len(ttfts)}/{cpu:.1f}")
    return medians, details


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="another checkout of this repository")
    parser.add_argument("--crowds", default="1,10,10,50", help="visitors at once, in order")
    parser.add_argument("--rounds", type=int, default=2, help="turns of both apps")
    parser.add_argument("--detail", action="store_true",
                        help="also each crowd's first-token p95 (ms), failures, server CPU (s)")
    args = parser.parse_args(argv)
    crowds = [int(n) for n in args.crowds.split(",")]
    log_dir = Path(tempfile.mkdtemp(prefix="bench-compare-"))
    emulator = emulator_server(log_dir).start()
    control = EmulatorControl(emulator.url)
    control.set_directives(PROFILES["quick"].crowd_reply)
    print("first token, median (ms), crowds of " + ", ".join(map(str, crowds)))
    try:
        for _ in range(args.rounds):
            for name, root in (("this", ROOT), ("other", args.other.resolve())):
                server = _server(root, emulator.url, log_dir)
                try:
                    medians, details = asyncio.run(_crowds(server, crowds))
                finally:
                    server.interrupt()
                    server.stop()
                print(f"{name:6s}" + "".join(f"{m:8.0f}" for m in medians), flush=True)
                if args.detail:
                    print(f"  p95/failures/CPU s: {'  '.join(details)}", flush=True)
    finally:
        emulator.stop()
        control.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`python -m minimax_backend.emulator`: serve the MiniMax emulator until Ctrl+C."""
from __future__ import annotations

import argparse
import sys

from .faults import FaultSyntaxError
from .runner import Emulator
from .server import ANTHROPIC_PATH, OPENAI_PATH, PRO_PATH, V2_PATH
from .state import EmulatorConfig


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m minimax_backend.emulator",
        description="Serve a local emulator of MiniMax's chat APIs: chatcompletion_v2, "
                    "chatcompletion_pro and the OpenAI- and Anthropic-compatible endpoints.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8300, help="0 picks a free port (default 8300)")
    parser.add_argument("--api-key", dest="api_keys", action="extend", nargs="+", default=[],
                        metavar="KEY", help="accept only these bearer keys (default: accept any)")
    parser.add_argument("--group-id", default="", help="the GroupId to require (default: any digits)")
    parser.add_argument("--interval-ms", type=float, default=20.0,
                        help="pause between stream events (default 20)")
    parser.add_argument("--faults", default="",
                        help='fault directives for every request, e.g. "error=1002;times=1;key=a"')
    parser.add_argument("--rpm", type=int, default=0,
                        help="answer 1002 past this many chat requests per --rpm-window (default: no limit)")
    parser.add_argument("--rpm-window", type=float, default=60.0,
                        help="seconds --rpm counts over (default 60, as MiniMax)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        config = EmulatorConfig(host=args.host, port=args.port, api_keys=tuple(args.api_keys),
                                group_id=args.group_id, interval_ms=args.interval_ms,
                                faults=args.faults, rpm=args.rpm, rpm_window=args.rpm_window)
    except (ValueError, FaultSyntaxError) as err:
        parser.error(str(err))

    def ready(url: str) -> None:
        print(f"MiniMax emulator serving on {url}", flush=True)
        print(f"  POST {url}{V2_PATH}", flush=True)
        print(f"  POST {url}{OPENAI_PATH}      (openai SDK: base_url={url}/v1)", flush=True)
        print(f"  POST {url}{ANTHROPIC_PATH}   (anthropic SDK: base_url={url}/anthropic)", flush=True)
        print(f"  POST {url}{PRO_PATH}?GroupId=<digits>   (Ctrl+C stops)", flush=True)

    try:
        Emulator(config).serve_forever(on_ready=ready)
    except KeyboardInterrupt:
        pass
    except OSError as err:  # e.g. the port is taken
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Start the whole set locally: `python deploy/run.py --replicas 2`; Ctrl-C stops it all.

Redis, N `python app.py` processes and haproxy (deploy/haproxy.cfg) in front of them, all on
127.0.0.1 unless `--bind` says where the balancer listens. The app processes inherit this
shell's environment (and each reads `.env`), so MINIMAX_API_KEY and the APP_* limits apply to
every replica; their counts are shared through the Redis. Logs go to `--logs`.
"""
from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `deploy` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deploy.fleet import Fleet  # noqa: E402


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python deploy/run.py",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=2, help="app processes (default 2)")
    parser.add_argument("--port", type=int, default=8080, help="the balancer's port (8080)")
    parser.add_argument("--bind", default="127.0.0.1",
                        help="the balancer's address (127.0.0.1; 0.0.0.0 serves the network)")
    parser.add_argument("--app-port", type=int, default=7861,
                        help="the first app process's port; the others follow (7861)")
    parser.add_argument("--redis-port", type=int, default=6390, help="Redis's port (6390)")
    parser.add_argument("--logs", type=Path, default=None, help="where logs go (a temporary folder)")
    return parser


def _stop(*_: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.replicas < 1:
        print("error: --replicas must be at least 1", file=sys.stderr)
        return 2
    if args.logs:
        args.logs.mkdir(parents=True, exist_ok=True)
    fleet = Fleet(replicas=args.replicas, port=args.port, bind=args.bind,
                  app_ports=[args.app_port + i for i in range(args.replicas)],
                  redis_port=args.redis_port, log_dir=args.logs)
    signal.signal(signal.SIGTERM, _stop)  # `kill`, systemd, a container's stop: as Ctrl-C
    try:
        fleet.start()
        print(f"Serving {fleet.url} : {args.replicas} app processes "
              f"({', '.join(map(str, fleet.app_ports))}), Redis {fleet.redis_port}; "
              f"logs in {fleet.log_dir}. Ctrl-C stops all.", flush=True)
        told: set[str] = set()
        while True:
            time.sleep(1)
            for app in fleet.apps:  # the balancer sends its visitors to the others
                if not app.running() and app.name not in told:
                    told.add(app.name)
                    print(f"{app.name} exited; the others serve its visitors:\n{app.tail()}",
                          file=sys.stderr)
            for child in [fleet.redis, fleet.balancer]:
                if child is not None and not child.running():
                    print(f"{child.name} exited; stopping the set:\n{child.tail()}", file=sys.stderr)
                    return 1
    except KeyboardInterrupt:
        print("stopping…", flush=True)
        return 0
    except RuntimeError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    finally:
        fleet.stop()


if __name__ == "__main__":
    sys.exit(main())

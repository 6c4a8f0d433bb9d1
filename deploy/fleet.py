"""The whole set on one machine: Redis, N app processes and haproxy in front of them.

`Fleet` starts them in that order, each once the one before is ready, and stops them all;
`deploy/run.py` is its command line, and the tests and the benchmark use it too. Every
process listens on 127.0.0.1 unless `bind` says otherwise (only the balancer's front ever
does). The app processes count visitors in the Redis (APP_REDIS_URL) and read the visitor's
address from the balancer's X-Forwarded-For (APP_TRUST_PROXY=127.0.0.1, its address).
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
HAPROXY_CFG = Path(__file__).resolve().parent / "haproxy.cfg"
READY_PATH = "/manifest.json"  # small, served once the app is up (the balancer checks it too)
START_TIMEOUT_S = 240.0  # per part; two apps took 190 s to start on a 2-core machine at load 26
STOP_TIMEOUT_S = 10.0


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def haproxy_config(bind: str, port: int, app_ports: list[int]) -> str:
    """deploy/haproxy.cfg with its front at `bind:port` and one `server` line per replica."""
    lines = []
    for line in HAPROXY_CFG.read_text().splitlines():
        stripped = line.strip()
        if stripped.startswith("server "):
            continue
        if stripped.startswith("bind "):
            line = f"    bind {bind}:{port}"
        lines.append(line)
        if stripped.startswith("default-server "):
            lines += [f"    server r{i} 127.0.0.1:{p} cookie r{i}"
                      for i, p in enumerate(app_ports, 1)]
    return "\n".join(lines) + "\n"


@dataclass
class Child:
    """One process of the set, its output in `log`."""

    name: str
    argv: list[str]
    log: Path
    env: dict[str, str] | None = None
    process: subprocess.Popen | None = None

    def start(self) -> Child:
        with open(self.log, "ab") as out:
            self.process = subprocess.Popen(self.argv, cwd=ROOT, env=self.env, stdout=out,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None, "not started"
        return self.process.pid

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def signal(self, sig: int) -> None:
        if self.running():
            assert self.process is not None
            self.process.send_signal(sig)

    def wait(self) -> None:
        """Wait for it to end after a signal; killed if it lingers."""
        if self.process is None:
            return
        try:
            self.process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _wait_until(ready, child: Child, deadline: float) -> None:
    while not ready():
        if not child.running():
            raise RuntimeError(f"{child.name} exited:\n{child.tail()}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{child.name} not ready in {START_TIMEOUT_S:.0f} s:\n{child.tail()}")
        time.sleep(0.05)


def serves(url: str) -> bool:
    """Whether the app (or the balancer) at `url` answers its small ready path."""
    try:
        return httpx.get(url + READY_PATH, timeout=2.0).status_code == 200
    except httpx.HTTPError:
        return False


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@dataclass
class Fleet:
    """Redis, `replicas` app processes and haproxy; ports are free ones unless given."""

    replicas: int = 2
    port: int = 0  # the balancer's
    app_ports: list[int] = field(default_factory=list)
    redis_port: int = 0
    bind: str = "127.0.0.1"  # the balancer's front; everything else is on 127.0.0.1
    env: dict[str, str] = field(default_factory=dict)  # for the app processes, over the defaults
    inherit_env: bool = True  # the app processes start from this process's environment
    log_dir: Path | None = None
    redis: Child | None = None
    apps: list[Child] = field(default_factory=list)
    balancer: Child | None = None

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.bind in ("0.0.0.0", "::") else self.bind
        return f"http://{host}:{self.port}"

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def app_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.app_ports[index]}"

    def start(self) -> Fleet:
        for tool in ("redis-server", "haproxy"):
            if shutil.which(tool) is None:
                raise RuntimeError(f"{tool} is not installed (apt-get install -y redis-server haproxy)")
        self.log_dir = self.log_dir or Path(tempfile.mkdtemp(prefix="fleet-"))
        self.port = self.port or free_port()
        self.redis_port = self.redis_port or free_port()
        self.app_ports = self.app_ports or [free_port() for _ in range(self.replicas)]
        deadline = time.monotonic() + START_TIMEOUT_S
        try:
            self.redis = Child("redis", ["redis-server", "--port", str(self.redis_port),
                                         "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                         "--dir", str(self.log_dir)],
                               self.log_dir / "redis.log").start()
            _wait_until(lambda: _answers(self.redis_port), self.redis, deadline)
            self.apps = [self._app(i).start() for i in range(self.replicas)]
            deadline = time.monotonic() + START_TIMEOUT_S
            for i, app in enumerate(self.apps):
                _wait_until(lambda i=i: serves(self.app_url(i)), app, deadline)
            cfg = self.log_dir / "haproxy.cfg"
            cfg.write_text(haproxy_config(self.bind, self.port, self.app_ports))
            self.balancer = Child("haproxy", ["haproxy", "-db", "-f", str(cfg)],
                                  self.log_dir / "haproxy.log").start()
            deadline = time.monotonic() + START_TIMEOUT_S
            _wait_until(lambda: serves(self.url), self.balancer, deadline)
        except BaseException:
            self.stop()
            raise
        return self

    def _app(self, index: int) -> Child:
        env = {k: v for k, v in os.environ.items()
               if self.inherit_env and not k.startswith("GRADIO_SHARE")}
        env.update(GRADIO_SERVER_NAME="127.0.0.1", GRADIO_SERVER_PORT=str(self.app_ports[index]),
                   APP_REDIS_URL=self.redis_url, APP_TRUST_PROXY="127.0.0.1",
                   PYTHONUNBUFFERED="1")
        env.update(self.env)
        return Child(f"app r{index + 1}", [sys.executable, "app.py"],
                     self.log_dir / f"app-r{index + 1}.log", env)  # type: ignore[operator]

    def kill_replica(self, index: int) -> None:
        """SIGKILL one app process, as a crash or an out-of-memory kill would end it."""
        self.apps[index].signal(signal.SIGKILL)
        self.apps[index].wait()

    def stop(self) -> None:
        """Stop the balancer, then the apps (Ctrl-C, as a person would), then Redis."""
        for group, sig in (([self.balancer], signal.SIGTERM), (self.apps, signal.SIGINT),
                           ([self.redis], signal.SIGTERM)):
            children = [c for c in group if c is not None]
            for child in children:
                child.signal(sig)
            for child in children:
                child.wait()

    def __enter__(self) -> Fleet:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

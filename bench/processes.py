"""The servers under test as child processes: free ports, readiness, CPU and memory, shutdown.

CPU time and resident memory are read from /proc for the server process itself (all its
threads); gradio serves from that one process, so nothing else needs counting.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from .profiles import MODEL

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_TIMEOUT = 60.0  # seconds to wait for a server's first page
STOP_TIMEOUT = 10.0


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def child_env(**extra: str) -> dict[str, str]:
    """The environment of every process the benchmark starts."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("MINIMAX_", "GRADIO_", "APP_"))}
    env.update(GRADIO_ANALYTICS_ENABLED="False", PYTHONUNBUFFERED="1", PYTHONPATH=str(ROOT))
    env.update(extra)
    return env


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (all threads)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()  # the name may contain spaces
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


def rss_mb(pid: int) -> float:
    """Resident memory of a process now, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


@dataclass
class Server:
    """One server process: `argv` run from the repository root, ready when `ready_path` answers."""

    name: str
    argv: list[str]
    port: int
    env: dict[str, str]
    log_path: Path
    ready_path: str = "/"
    page_timeout: float = PAGE_TIMEOUT
    process: subprocess.Popen | None = None
    startup_s: float | None = None  # from spawn to the first page served
    _log: object = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.process is not None, "not started"
        return self.process.pid

    def start(self) -> Server:
        """Spawn and wait until `ready_path` returns 200; records `startup_s`."""
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed by stop()
        started = time.perf_counter()
        self.process = subprocess.Popen(self.argv, cwd=ROOT, env=self.env, stdout=self._log,
                                        stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        try:
            self._wait_served(started + self.page_timeout)
        except BaseException:
            self.stop()
            raise
        self.startup_s = time.perf_counter() - started
        return self

    def _wait_served(self, deadline: float) -> None:
        with httpx.Client(timeout=2.0) as client:
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n"
                                       f"{self.log_tail()}")
                try:
                    if client.get(self.url + self.ready_path).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"{self.name} did not serve within {self.page_timeout:.0f} s:\n"
                                       f"{self.log_tail()}")
                time.sleep(0.01)

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.pid)

    def rss_mb(self) -> float:
        return rss_mb(self.pid)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def interrupt(self) -> None:
        """Ctrl+C, as a person would stop it, without waiting."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)

    def stop(self) -> None:
        """Ctrl+C and wait; killed if it lingers."""
        if self.process is not None and self.process.poll() is None:
            self.interrupt()
            try:
                self.process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def emulator_server(log_dir: Path) -> Server:
    """The MiniMax emulator, wrapped so the benchmark can read its stream clock."""
    port = free_port()
    return Server("emulator", [sys.executable, "-m", "bench.emulator_host", "--port", str(port)],
                  port, child_env(), log_dir / "emulator.log", ready_path="/_bench/streams")


def app_server(name: str, script: str, emulator_url: str, log_dir: Path) -> Server:
    """`python <script>` served on a free port and pointed at the emulator."""
    port = free_port()
    # APP_TRUST_PROXY: the app counts visitors by X-Forwarded-For, as behind Spaces' proxy
    # (the load client gives each visitor its own address); the baseline ignores both.
    env = child_env(MINIMAX_API_KEY="bench-key", MINIMAX_BASE_URL=emulator_url,
                    MINIMAX_MODEL=MODEL, APP_TRUST_PROXY="1", GRADIO_SERVER_NAME="127.0.0.1",
                    GRADIO_SERVER_PORT=str(port))
    return Server(name, [sys.executable, script], port, env, log_dir / f"{name}.log")

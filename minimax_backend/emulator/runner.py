"""Running the emulator: uvicorn in a background thread (tests) or in the foreground (CLI)."""
from __future__ import annotations

import socket
import threading
import time
from collections import deque
from dataclasses import replace

import uvicorn

from .faults import Faults
from .response import quiet_drops
from .server import build_app
from .state import EmulatorConfig, EmulatorState, RecordedRequest

GRACEFUL_SHUTDOWN_S = 2.0  # streams still running after this are cut


class Emulator:
    """A local MiniMax chat service: `with Emulator() as emu: requests.post(emu.url + ...)`."""

    def __init__(self, config: EmulatorConfig | None = None, **overrides) -> None:
        self.config = replace(config or EmulatorConfig(), **overrides)
        self.state = EmulatorState(self.config)
        self.app = build_app(self.state)
        self.port: int | None = None
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The base URL, e.g. http://127.0.0.1:8300 (the port is known once bound)."""
        if self.port is None:
            raise RuntimeError("the emulator is not running; call start() first")
        host = f"[{self.config.host}]" if ":" in self.config.host else self.config.host
        return f"http://{host}:{self.port}"

    @property
    def requests(self) -> deque[RecordedRequest]:
        """The last requests received, oldest first."""
        return self.state.requests

    def push_fault(self, directives: str) -> Faults:
        """Queue directives for the next chat request only; raises FaultSyntaxError."""
        return self.state.push_fault(directives)

    def clear_faults(self) -> None:
        """Forget queued one-shot faults."""
        self.state.clear_faults()

    def _bind(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.config.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.config.host, self.config.port))
        # Listening now means connections queue up instead of being refused during startup.
        sock.listen(2048)
        self.port = sock.getsockname()[1]
        return sock

    def _make_server(self, log_config: dict | None) -> uvicorn.Server:
        quiet_drops()
        config = uvicorn.Config(
            self.app, log_config=log_config, log_level=None if log_config is None else "warning",
            access_log=False, lifespan="on", ws="none", server_header=False,
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S)  # type: ignore[arg-type]  # uvicorn waits a float
        return uvicorn.Server(config)

    def start(self, timeout: float = 10.0) -> Emulator:
        """Serve in a daemon thread; return once the server accepts connections."""
        if self._thread is not None:
            raise RuntimeError("the emulator is already running")
        sock = self._bind()
        self._server = self._make_server(log_config=None)  # leave the host's logging alone
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [sock]},
                                        name=f"minimax-emulator-{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self._thread = None
                sock.close()
                raise RuntimeError("the MiniMax emulator failed to start")
            time.sleep(0.01)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving: stalled streams are cut at once, others after a short grace."""
        if self._thread is None or self._server is None:
            return
        loop, stopping = self.state.loop, self.state.stopping
        if loop is not None and stopping is not None:
            try:
                loop.call_soon_threadsafe(stopping.set)
            except RuntimeError:  # the loop already ended
                pass
        self._server.should_exit = True
        self._thread.join(timeout)
        self._thread = None

    def serve_forever(self, on_ready=None) -> None:
        """Serve in this thread until Ctrl+C; `on_ready(url)` runs once the port is bound."""
        sock = self._bind()
        server = self._make_server(log_config=uvicorn.config.LOGGING_CONFIG)
        if on_ready is not None:
            on_ready(self.url)
        server.run(sockets=[sock])

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

"""Cancelling a request from another thread, even while it waits on a silent upstream.

A thread blocked in `recv()` only wakes when data arrives, the read timeout expires or the
socket is shut down. `CancelToken.cancel()` does the last: every connection a request opens or
reuses while a token is current is registered with it, and cancelling shuts down the sockets
of those it still owns. A finished reply's connection goes back to the pool and may carry
another caller's request by the time its token is cancelled: that caller owns it then.
"""
from __future__ import annotations

import socket
import threading
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_current = threading.local()


class CancelToken:
    """Thread-safe cancellation of one call; `cancel()` may come from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._event = threading.Event()
        self._connections: list[HTTPConnection] = []

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def cancel(self) -> None:
        """Stop the call: shut down its sockets so a blocked read returns at once."""
        with self._lock:
            self._event.set()
            connections, self._connections = self._connections, []
        for connection in connections:
            if getattr(connection, "_mm_token", None) is self:
                _shutdown(connection.sock)

    def wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`; True if cancelled meanwhile."""
        return self._event.wait(seconds)

    def attach(self, connection: HTTPConnection) -> None:
        """Register a connection in use by this call (shut at once if already cancelled)."""
        with self._lock:
            if not self._event.is_set():
                if connection not in self._connections:
                    self._connections.append(connection)
                return
        _shutdown(connection.sock)

    def __enter__(self) -> CancelToken:
        _current.token = self
        return self

    def __exit__(self, *exc: object) -> None:
        _current.token = None


def _shutdown(sock: socket.socket | None) -> None:
    if sock is None:
        return
    try:
        # The plain socket's shutdown, also for TLS sockets: it wakes a reader in another
        # thread without touching the TLS state that reader is using.
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


def _attach_current(connection: _Registering) -> None:
    """Make the current token (or none) the connection's owner: only the owner may shut it."""
    token = getattr(_current, "token", None)
    connection._mm_token = token
    if token is not None:
        token.attach(connection)


class _Registering(HTTPConnection):
    """Registers the connection with the current token whenever it connects or is reused."""

    _mm_token: CancelToken | None = None

    def connect(self) -> None:
        super().connect()
        _attach_current(self)

    def request(self, *args: Any, **kwargs: Any) -> None:  # a kept-alive connection is reused: attach it too
        _attach_current(self)
        super().request(*args, **kwargs)


class _Connection(_Registering):
    pass


class _TLSConnection(_Registering, HTTPSConnection):
    pass


class _Pool(HTTPConnectionPool):
    ConnectionCls = _Connection


class _TLSPool(HTTPSConnectionPool):
    ConnectionCls = _TLSConnection


class CancellableAdapter(HTTPAdapter):
    """A requests adapter whose connections register with the current CancelToken."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _Pool, "https": _TLSPool}

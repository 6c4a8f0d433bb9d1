"""The emulator's settings and the little it remembers: recent requests and queued faults."""
from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from .faults import NO_FAULTS, FaultCounter, Faults, parse_faults

RECORDED_REQUESTS = 200


@dataclass(frozen=True)
class EmulatorConfig:
    """How an emulator answers. Empty `api_keys` accepts any bearer; empty `group_id` any digits."""

    host: str = "127.0.0.1"
    port: int = 0  # 0: pick a free port
    api_keys: tuple[str, ...] = ()
    group_id: str = ""
    interval_ms: float = 20.0  # pause between stream events
    faults: str = ""  # directives applied to every request without its own header
    rpm: int = 0  # chat requests accepted per `rpm_window` seconds, then 1002 as MiniMax; 0: no limit
    rpm_window: float = 60.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "api_keys", tuple(self.api_keys))
        if self.group_id and not self.group_id.isdigit():
            raise ValueError(f"group_id must be digits (got {self.group_id!r})")
        if self.interval_ms < 0:
            raise ValueError(f"interval_ms must not be negative (got {self.interval_ms!r})")
        if self.rpm < 0 or self.rpm_window <= 0:
            raise ValueError(f"rpm must be ≥ 0 and rpm_window > 0 (got {self.rpm!r}, {self.rpm_window!r})")
        parse_faults(self.faults)  # fail at construction, not at the first request


@dataclass(frozen=True)
class RecordedRequest:
    """One request as received. `headers` keeps Authorization so tests can check the key;
    the repr hides it so it never reaches a log."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: Any  # the parsed JSON, or None if the body was not JSON
    time: float = field(default_factory=time.time)

    @property
    def api_key(self) -> str:
        """The bearer token sent, "" if none."""
        scheme, _, token = self.headers.get("authorization", "").partition(" ")
        return token.strip() if scheme.lower() == "bearer" else ""

    def __repr__(self) -> str:
        shown = {k: ("<hidden>" if k == "authorization" else v) for k, v in self.headers.items()}
        return (f"RecordedRequest({self.method} {self.path}, query={self.query!r}, "
                f"headers={shown!r}, body={self.body!r})")


class EmulatorState:
    """Shared by the server's handlers and the controlling `Emulator` (another thread)."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        self.default_faults = parse_faults(config.faults)
        self.requests: deque[RecordedRequest] = deque(maxlen=RECORDED_REQUESTS)
        self.counter = FaultCounter()
        self.accepted: deque[float] = deque()  # when chat requests were let through (rpm)
        self.refused_for_rate = 0  # chat requests answered 1002 by the rpm limit
        self._queue: deque[Faults] = deque()
        self._lock = threading.Lock()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.stopping: asyncio.Event | None = None  # set when the server shuts down

    def over_rate(self, now: float | None = None) -> bool:
        """Count one chat request against `rpm`; True (and not counted) when it is over."""
        if not self.config.rpm:
            return False
        now = time.monotonic() if now is None else now
        with self._lock:
            while self.accepted and self.accepted[0] <= now - self.config.rpm_window:
                self.accepted.popleft()
            if len(self.accepted) >= self.config.rpm:
                self.refused_for_rate += 1
                return True
            self.accepted.append(now)
            return False

    def push_fault(self, directives: str) -> Faults:
        """Queue directives for the next chat request (one-shot); raise on a bad string."""
        faults = parse_faults(directives)
        with self._lock:
            self._queue.append(faults)
        return faults

    def clear_faults(self) -> None:
        with self._lock:
            self._queue.clear()

    def faults_for(self, header: str | None) -> Faults:
        """The faults of one request: queued one-shot, else its header, else the default.
        Raises FaultSyntaxError for a bad header."""
        own = parse_faults(header) if header and header.strip() else None
        with self._lock:
            queued = self._queue.popleft() if self._queue else None
        faults = next(f for f in (queued, own, self.default_faults) if f is not None)
        return faults if self.counter.applies(faults) else NO_FAULTS

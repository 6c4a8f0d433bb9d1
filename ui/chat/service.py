"""Where replies come from: the server's client, the offline emulator, or a visitor's own key.

`ChatService` reads the settings once, on first use (never at import), and talks to MiniMax
with the server's key, or to the backend's emulator, started in-process on first need, when
no key is configured. A visitor may bring their own key (`Route`): it is used for that one
request, with a client made for it and closed after it, and is never stored or logged.
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from minimax_backend import (
    REGIONS,
    CancelToken,
    ChatClient,
    ChatRequest,
    ChatResult,
    MiniMaxClient,
    Settings,
    StreamEvent,
)

from ..text.advice import refused

OFFLINE_KEY = "offline-demo"  # what the emulator is sent; it accepts any key
OFFLINE_GROUP_ID = "1"  # so the pro dialect works offline too
OFFLINE_INTERVAL_MS = 25  # the emulator's pace: fast, but visibly streaming


class OfflineServer(Protocol):
    """Where replies come from when no key is configured: the backend's emulator."""

    @property
    def url(self) -> str:
        """Its base URL, in place of MiniMax's."""

    def stop(self) -> None:
        """Shut it down."""


def start_emulator() -> OfflineServer:
    """The backend's emulator, started on a free local port."""
    from minimax_backend.emulator import Emulator, EmulatorConfig

    emulator = Emulator(EmulatorConfig(interval_ms=OFFLINE_INTERVAL_MS))
    emulator.start()
    return emulator


MAX_VISITOR_KEY_CHARS = 1024
MAX_GROUP_ID_CHARS = 32


@dataclass(frozen=True)
class Route:
    """Where one request goes: a region, and optionally the visitor's own key and GroupId."""

    region: str | None = None
    api_key: str = field(default="", repr=False)
    group_id: str = ""

    @classmethod
    def of(cls, region: Any, api_key: Any = "", group_id: Any = "") -> Route:
        """A route from the page's fields (untrusted); raises ValidationError for a bad key."""
        key = api_key.strip() if isinstance(api_key, str) else ""
        group = group_id.strip() if isinstance(group_id, str) else ""
        # Both travel in HTTP (a header, the URL): printable ASCII only, which also keeps a line
        # break or a lone surrogate out of any request or error built from them.
        if len(key) > MAX_VISITOR_KEY_CHARS or not (key.isascii() and key.isprintable()) \
                or any(c.isspace() for c in key):
            raise refused("api_key", "key_shape")
        if group and (not (group.isascii() and group.isdigit()) or len(group) > MAX_GROUP_ID_CHARS):
            raise refused("group_id", "group_id_digits")
        return cls(region if region in REGIONS else None, key, group if key else "")

    def __repr__(self) -> str:  # never print the key
        return f"Route(region={self.region!r}, own_key={bool(self.api_key)})"


class ReplyService(Protocol):
    """What the chat handlers, the key test and the banner need of where replies come from:
    `ChatService`, or a test's scripted fake (tests/conftest.py)."""

    def settings(self) -> Settings:
        """The server's settings; raises ValidationError if they are wrong."""

    @property
    def offline(self) -> bool:
        """True when replies come from the emulator."""

    def stream(self, request: ChatRequest, region: str | Route | None,
               cancel: CancelToken) -> Iterator[StreamEvent]:
        """The backend's events for `request`, as `MiniMaxClient.stream` yields them."""

    def complete(self, request: ChatRequest, route: Route) -> ChatResult:
        """One whole reply with the visitor's key."""

    def close(self) -> None:
        """Stop what it started."""


class ChatService:
    """Streams replies for the UI; safe to share between sessions and threads."""

    def __init__(self, settings: Settings | Callable[[], Settings] = Settings.from_env,
                 client_factory: Callable[[Settings], ChatClient] = MiniMaxClient,
                 emulator_factory: Callable[[], OfflineServer] = start_emulator) -> None:
        self._load = settings if callable(settings) else (lambda: settings)
        self._client_factory = client_factory
        self._emulator_factory = emulator_factory
        self._lock = threading.Lock()
        self._settings: Settings | None = None
        self._emulator: OfflineServer | None = None
        self._clients: dict[tuple[str, str, str], ChatClient] = {}

    def settings(self) -> Settings:
        """The server's settings, read on first use; raises ValidationError if they are wrong."""
        with self._lock:
            if self._settings is None:
                self._settings = self._load()
            return self._settings

    @property
    def offline(self) -> bool:
        """True when no key is configured and replies come from the emulator."""
        return not self.settings().api_key

    def stream(self, request: ChatRequest, region: str | Route | None,
               cancel: CancelToken) -> Iterator[StreamEvent]:
        """The backend's events for `request`; all work, even connecting, happens when iterated.
        `region` may be a `Route` carrying the visitor's own key."""
        if isinstance(region, Route) and region.api_key:
            client = self._client_factory(self._visitor_settings(region))
            try:
                yield from client.stream(request, cancel)
            finally:
                client.close()
            return
        client = self._client(region.region if isinstance(region, Route) else region)
        yield from client.stream(request, cancel)

    def complete(self, request: ChatRequest, route: Route) -> ChatResult:
        """One whole reply with the visitor's key (the "test key" button)."""
        client = self._client_factory(self._visitor_settings(route))
        try:
            return client.complete(request)
        finally:
            client.close()

    def _visitor_settings(self, route: Route) -> Settings:
        """The server's settings with the visitor's key. Without a server key this is the real
        MiniMax (never the offline emulator), unless MINIMAX_BASE_URL points elsewhere."""
        settings = self.settings()
        region = route.region if route.region in REGIONS else settings.region
        return settings.with_overrides(api_key=route.api_key, group_id=route.group_id,
                                       region=region)

    def _client(self, region: str | None) -> ChatClient:
        settings = self.settings()
        if not settings.api_key:
            settings = self._offline_settings(settings)
        elif region in REGIONS and not settings.base_url:
            settings = settings.with_overrides(region=region)
        key = (settings.api_key, settings.url, settings.group_id)
        with self._lock:
            if key not in self._clients:
                self._clients[key] = self._client_factory(settings)
            return self._clients[key]

    def _offline_settings(self, settings: Settings) -> Settings:
        with self._lock:
            if self._emulator is None:
                self._emulator = self._emulator_factory()
            return settings.with_overrides(api_key=OFFLINE_KEY, group_id=OFFLINE_GROUP_ID,
                                           base_url=self._emulator.url)

    def close(self) -> None:
        """Stop the emulator and drop the clients (for tests and shutdown)."""
        with self._lock:
            emulator, self._emulator = self._emulator, None
            clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            client.close()
        if emulator is not None:
            emulator.stop()

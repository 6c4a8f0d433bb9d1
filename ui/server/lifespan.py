"""What the app changes in gradio's server once it is built, before the first request: an
ASGI lifespan (`launch(app_kwargs={"lifespan": prepared()})`)."""
from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from .heap import QuietCollector, settle_heap
from .login_on_loop import login_checks_on_loop
from .root_url import remember_root_urls
from .route_order import hot_routes_first
from .sessions import MAX_SESSION_BYTES, install_bounded_sessions


def prepared(max_session_bytes: int = MAX_SESSION_BYTES
             ) -> Callable[[Any], AbstractAsyncContextManager[None]]:
    """Sessions bounded in bytes (`sessions`), the busiest routes tried first (`route_order`),
    the login check on the event loop (`login_on_loop`, after the reorder: fastapi rebuilds
    gradio's routes when their order changes), the root URL remembered (`root_url`), and
    last the heap as it stands frozen out of later garbage collections, and full collections
    held for quiet moments while the server runs (`heap`)."""

    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        install_bounded_sessions(app, max_session_bytes)
        hot_routes_first(app)
        login_checks_on_loop(app)
        remember_root_urls()
        settle_heap()
        collector = asyncio.create_task(QuietCollector().run())
        try:
            yield
        finally:
            collector.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await collector

    return lifespan

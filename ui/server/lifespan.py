"""What the app changes in gradio's server once it is built, before the first request: an
ASGI lifespan (`launch(app_kwargs={"lifespan": prepared()})`)."""
from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from .route_order import hot_routes_first
from .sessions import MAX_SESSION_BYTES, install_bounded_sessions


def prepared(max_session_bytes: int = MAX_SESSION_BYTES
             ) -> Callable[[Any], AbstractAsyncContextManager[None]]:
    """Sessions bounded in bytes (`sessions`), the busiest routes tried first (`route_order`)."""

    @asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        install_bounded_sessions(app, max_session_bytes)
        hot_routes_first(app)
        yield

    return lifespan

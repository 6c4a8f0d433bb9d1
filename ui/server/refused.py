"""gradio routes this page never calls, refused before gradio reads them.

The page runs its quick steps (`queue=False`) as `POST /gradio_api/run/predict` with the
step's `fn_index`; gradio also answers the same call under any other name
(`/gradio_api/run/<anything>`, `/gradio_api/api/<anything>`), and a path ending in `/upload`
used to slip past the body cap that way. Steps the page never sends to the server (front-end
only ones, cancels) are kept off `run/predict` in `app.py`: gradio refuses queued steps
there. The recorder, streaming-input and component-server routes serve components this page
does not have.
"""
from __future__ import annotations

import re
from typing import Any

from .budget import refuse

# Searched, not matched from the start: the app may be mounted under a path.
_DIRECT = re.compile(r"/gradio_api/(?P<route>run|api)/(?P<name>[^/]*)/?$")
NEVER_POSTED = ("/gradio_api/process_recording", "/gradio_api/stream/",
                "/gradio_api/component_server")


def refused(method: str, path: str) -> bool:
    """True for a request this page never makes."""
    if method != "POST":
        return False
    direct = _DIRECT.search(path)
    if direct is not None:
        return direct.group("route") == "api" or direct.group("name") != "predict"
    return any(route in path for route in NEVER_POSTED)


# gradio's own words for a queued step called directly: the queue is the way in.
JOIN_THE_QUEUE = ("This API endpoint does not accept direct HTTP POST requests. "
                  "Please join the queue to use this API.")


class RefusedRoutes:
    """ASGI middleware: 404 for the requests `refused` names."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and refused(scope.get("method", ""), scope.get("path", "")):
            direct = _DIRECT.search(scope.get("path", "")) is not None
            return await refuse(send, 404, JOIN_THE_QUEUE if direct else "Not Found")
        await self.app(scope, receive, send)

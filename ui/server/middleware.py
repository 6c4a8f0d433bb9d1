"""HTTP-level protections gradio does not add: a Content-Security-Policy and a body cap,
assembled with the others of `ui.server` in `middleware()`.

`SecurityHeaders` sends a policy that lets the page load images, media and frames only from
the app itself, so even markup that slipped past `ui.text.safe_markdown` cannot make a visitor's
browser call an attacker's server, and lets only the sites `framing.py` allows frame the page.
`BodyLimit` refuses request bodies over a size, on every route: the chat history travels in
every request, and an upload holds at most four files (`launch(max_file_size=…)` checks each
file, not the request). `middleware()` also puts the visitor's address in each request
(`forwarded.py`), refuses the routes the page never calls (`refused.py`), holds each address
to its budget (`budget.py`), times request bodies (`timeouts.py`) and checks uploads
(`uploads.py`).
"""
from __future__ import annotations

from typing import Any

from starlette.middleware import Middleware

from .budget import RequestBudget
from .forwarded import ForwardedFor, ProxyRule, distrust_in_uvicorn
from .framing import frame_ancestors_from_env, frame_headers
from .refused import RefusedRoutes
from .timeouts import SlowBody, idle_timeout_from_env, install_idle_timeout
from .uploads import UploadGuard, is_upload

CSP = ("img-src 'self' data: blob:; media-src 'self' data: blob:; frame-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'")
# Requests carry the chat history and, for some events, the browser's encrypted conversation
# store (ui/conversations/store.py, up to what localStorage holds, ~5 MB): this fits both.
MAX_BODY_BYTES = 8_000_000
# An upload: up to four files (uploads.py MAX_FILES), each under launch's max_file_size ("5mb":
# an image, app.py), together under the cap of any body.
MAX_UPLOAD_BYTES = MAX_BODY_BYTES


class SecurityHeaders:
    """Adds the CSP (with `frame_ancestors`, default from APP_FRAME_ANCESTORS) and no-sniff /
    referrer / frame headers to every HTTP response."""

    def __init__(self, app: Any, frame_ancestors: str | None = None) -> None:
        self.app = app
        ancestors = frame_ancestors_from_env() if frame_ancestors is None else frame_ancestors
        self.headers = [(b"content-security-policy", f"{CSP}; frame-ancestors {ancestors}".encode()),
                        (b"x-content-type-options", b"nosniff"),
                        (b"referrer-policy", b"no-referrer"), *frame_headers(ancestors)]

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [h for h in self.headers if h[0] not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Answers 413 to a request whose body is over `limit` bytes, or over `upload_limit` for
    an upload, however the path is spelled."""

    def __init__(self, app: Any, limit: int = MAX_BODY_BYTES,
                 upload_limit: int = MAX_UPLOAD_BYTES) -> None:
        self.app, self.limit, self.upload_limit = app, limit, upload_limit

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.upload_limit if is_upload(scope) else self.limit
        headers = dict(scope.get("headers") or [])
        try:
            declared = int(headers.get(b"content-length", b"0"))
        except ValueError:
            declared = 0
        if declared > limit:
            return await _too_large(send)
        received = 0

        async def counting_receive() -> dict:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, counting_receive, send)
        except _TooLarge:
            await _too_large(send)


class _TooLarge(Exception):
    pass


async def _too_large(send: Any) -> None:
    body = b'{"detail": "Request body too large"}'
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def middleware() -> list[Middleware]:
    """For `launch(app_kwargs={"middleware": ...})`; the first listed sees a request first:
    the visitor's address, headers on every answer, routes the page never calls, each
    address's budget (before any body is read), the body cap, the body's pace, and the
    upload checks (which read the capped body)."""
    return [Middleware(ForwardedFor), Middleware(SecurityHeaders), Middleware(RefusedRoutes),
            Middleware(RequestBudget), Middleware(BodyLimit), Middleware(SlowBody),
            Middleware(UploadGuard)]


def prepare_server() -> None:
    """Check the server's variables (a bad one raises ValidationError naming it) and tell
    uvicorn, before gradio starts it, to trust no proxy itself and to time request heads."""
    ProxyRule.from_env()
    frame_ancestors_from_env()
    idle = idle_timeout_from_env()
    distrust_in_uvicorn()
    install_idle_timeout(idle)

"""The emulator's HTTP face: MiniMax's four chat endpoints, plus a queue for one-shot faults.

A chat request goes: record it → pick its faults → (injected HTTP error | injected business
error | real checks) → the reply, as one JSON body or an event stream. v2 and pro refuse in
an HTTP-200 body (or a stream's only event); the OpenAI- and Anthropic-compatible endpoints
with a real HTTP status and an error object (compat_errors.py).
"""
from __future__ import annotations

import asyncio
import contextlib
import json
from dataclasses import dataclass
from http import HTTPStatus

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.routing import Route

from .. import codec_anthropic, codec_openai, codec_pro, codec_v2
from ..models import ANTHROPIC, OPENAI, PRO, REASONING_NONE, V2
from . import frames_anthropic, frames_openai
from .checks import Rejected, check_access, check_call, parse_body, status_message
from .checks_compat import check_compat
from .compat_errors import error_object, status_of
from .faults import HEADER, Faults, FaultSyntaxError
from .frames import Envelope, dumps, error_body, http_error_page, new_id, pro_final, v2_completion
from .replies import compose_reply, reasoning_style
from .response import ScriptedResponse
from .script import body_steps, chat_events, failing_events, sse_steps
from .state import EmulatorState, RecordedRequest

V2_PATH, PRO_PATH = codec_v2.PATH, codec_pro.PATH
OPENAI_PATH, ANTHROPIC_PATH = codec_openai.PATH, codec_anthropic.PATH
COMPAT = (OPENAI, ANTHROPIC)
PATHS = {V2: V2_PATH, PRO: PRO_PATH, OPENAI: OPENAI_PATH, ANTHROPIC: ANTHROPIC_PATH}
FAULTS_PATH = "/_emulator/faults"
JSON_TYPE = "application/json; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class _Out:
    """How one response is sent: its trace id, faults, pacing and shutdown signal."""

    trace_id: str
    faults: Faults
    interval: float
    stopping: asyncio.Event | None

    def _send(self, status: int, content_type: str, steps, extra=()) -> ScriptedResponse:
        headers = [("Content-Type", content_type), ("Trace-Id", self.trace_id), *extra]
        return ScriptedResponse(status, headers, steps, stopping=self.stopping,
                                head_delay=self.faults.stall_before_headers)

    def body(self, payload: dict | str, status: int = 200, content_type: str = JSON_TYPE,
             extra=()) -> ScriptedResponse:
        text = payload if isinstance(payload, str) else dumps(payload)
        data = text.encode()
        headers = [("Content-Length", str(len(data))), *extra]
        return self._send(status, content_type, body_steps(data, self.faults), headers)

    def stream(self, events, api: str = V2) -> ScriptedResponse:
        steps = sse_steps(events, self.faults, self.interval, named=api == ANTHROPIC)
        return self._send(200, "text/event-stream", steps, [("Cache-Control", "no-cache")])

    def refusal(self, api: str, payload: dict, code: int, stream: bool) -> ScriptedResponse:
        """A business error as each dialect sends it: compatible endpoints with the code's
        HTTP status (or, asked with where=stream, as a stream's only event)."""
        if api in COMPAT:
            if stream and self.faults.where == "stream":
                return self.stream([payload], api)
            return self.body(payload, status_of(code))
        return self.body(payload) if not stream or self.faults.where == "body" \
            else self.stream([payload], api)


def _http_fault(out: _Out, api: str, env: Envelope) -> ScriptedResponse:
    faults, status = out.faults, out.faults.http
    assert status is not None, "called for an http= fault only"
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    extra = [("Retry-After", str(faults.retry_after))] if faults.retry_after is not None else []
    if faults.echo_auth is not None and faults.error is None:
        return out.body(_echoed(faults, out.trace_id), status, TEXT_TYPE, extra)
    if faults.html:
        return out.body(http_error_page(status, phrase), status, "text/html", extra)
    if faults.text:
        return out.body(f"{status} {phrase}\n", status, TEXT_TYPE, extra)
    if faults.error is not None:
        payload = _injected_error(api, env, faults)
    elif api in COMPAT:
        payload = error_object(api, env.id, None, phrase, status=status)
    else:
        payload = {"error": {"code": status, "message": f"{phrase} (MiniMax emulator)"}}
    return out.body(payload, status, extra=extra)


def _error(api: str, env: Envelope, code: int, message: str, minimal: bool = False) -> dict:
    if api in COMPAT:
        return error_object(api, env.id, code, message, minimal=minimal)
    return error_body(api, env, code, message, minimal=minimal)


def _injected_error(api: str, env: Envelope, faults: Faults) -> dict:
    # With echo_auth the trace id, and so the envelope's id, is the request's key.
    assert faults.error is not None, "called for an error= fault only"
    message = status_message(faults.error) if faults.echo_auth is None else _echoed(faults, env.id)
    return _error(api, env, faults.error, message, faults.minimal)


def _echoed(faults: Faults, key: str) -> str:
    """`echo_auth`'s error text: filler up to its length, then the key the request carried."""
    filler = "The gateway could not forward this request, which was sent with this key. " * 50
    return filler[:faults.echo_auth] + key


def _lenient(raw: bytes) -> object:
    try:
        return json.loads(raw)
    except ValueError:
        return None


async def _chat(state: EmulatorState, api: str, request: Request):
    raw = await request.body()
    body = _lenient(raw)
    query = dict(request.query_params)
    state.requests.append(RecordedRequest(request.method, request.url.path, query,
                                          dict(request.headers), body))
    trace_id = new_id()
    try:
        faults = state.faults_for(request.headers.get(HEADER))
    except FaultSyntaxError as err:
        return _Out(trace_id, Faults(), 0, None).body(f"{HEADER}: {err}\n", 400, TEXT_TYPE)
    if faults.echo_auth is not None:
        trace_id = request.headers.get("authorization", "").removeprefix("Bearer ")
    interval_ms = state.config.interval_ms if faults.interval_ms is None else faults.interval_ms
    out = _Out(trace_id, faults, interval_ms / 1000, state.stopping)
    guess = body if isinstance(body, dict) else {}
    model = guess["model"] if isinstance(guess.get("model"), str) else ""
    stream = guess.get("stream") is True
    bare = Envelope.fresh(model, id=trace_id)
    if faults.http is not None:
        return _http_fault(out, api, bare)
    if faults.error is not None and not (stream and faults.after):
        return out.refusal(api, _injected_error(api, bare, faults), faults.error, stream)
    if state.over_rate():  # the account's requests per minute, as MiniMax counts them
        return out.refusal(api, _error(api, bare, 1002, status_message(1002)), 1002, stream)
    try:
        check_access(api, request.headers, query, state.config.api_keys, state.config.group_id)
        body = parse_body(raw)
        call = check_compat(api, body) if api in COMPAT else check_call(api, body)
    except Rejected as refused:
        # v2 and pro: a streamed request hears of a refusal in its first and only event.
        payload = _error(api, bare, refused.code, refused.message)
        if api in COMPAT:
            return out.body(payload, status_of(refused.code))
        return out.stream([payload]) if stream else out.body(payload)
    reply = compose_reply(call, chunk_chars=faults.chunk_chars, chunks=faults.chunks,
                          soft_block=faults.soft_block)
    env = Envelope.fresh(
        call.model, id=trace_id, warning=call.warning, bot_name=call.bot_name,
        input_sensitive=faults.soft_block == "input", output_sensitive=faults.soft_block == "output",
        thinking=api in (V2, OPENAI) and reasoning_style(call) != REASONING_NONE,
        role="" if faults.role_empty else "assistant")
    if not call.stream:
        return out.body(_whole(api, env, reply, call.split))
    if faults.error is not None:  # after=n: part of the answer, then the error event
        error = _injected_error(api, env, faults)
        return out.stream(failing_events(api, env, reply, faults.after, error), api)
    return out.stream(chat_events(api, env, reply, include_usage=call.include_usage), api)


def _whole(api: str, env: Envelope, reply, split: bool) -> dict:
    """A non-streaming reply body in the dialect's shape."""
    if api == OPENAI:
        return frames_openai.completion(env, reply, split)
    if api == ANTHROPIC:
        return frames_anthropic.message(env, reply)
    return v2_completion(env, reply) if api == V2 else pro_final(env, reply)


async def _queue_fault(state: EmulatorState, request: Request):
    out = _Out(new_id(), Faults(), 0, None)
    if request.method == "DELETE":
        state.clear_faults()
        return out.body({"cleared": True})
    body = _lenient(await request.body())
    directives = body.get("fault") if isinstance(body, dict) else None
    if not isinstance(directives, str):
        return out.body({"error": 'send {"fault": "<directives>"}'}, 400)
    try:
        queued = state.push_fault(directives)
    except FaultSyntaxError as err:
        return out.body({"error": str(err)}, 400)
    return out.body({"queued": queued.source})


class _TraceIds:
    """Give every response a Trace-Id header, even a 404 nobody planned."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_traced(message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if not any(name.lower() == b"trace-id" for name, _ in headers):
                    headers.append((b"Trace-Id", new_id().encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_traced)


def build_app(state: EmulatorState) -> Starlette:
    """The ASGI app serving one emulator's state."""

    @contextlib.asynccontextmanager
    async def lifespan(app):
        state.loop = asyncio.get_running_loop()
        state.stopping = asyncio.Event()
        yield

    def chat(api: str):
        async def endpoint(request: Request):
            return await _chat(state, api, request)
        return endpoint

    async def faults(request: Request):
        return await _queue_fault(state, request)

    routes = [Route(path, chat(api), methods=["POST"]) for api, path in PATHS.items()]
    routes.append(Route(FAULTS_PATH, faults, methods=["POST", "DELETE"]))
    return Starlette(routes=routes, middleware=[Middleware(_TraceIds)], lifespan=lifespan)

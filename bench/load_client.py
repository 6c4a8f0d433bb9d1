"""A light load client: many visitors from one asyncio process, over gradio's own protocol.

Each visitor does what the page does when Enter is pressed: it runs the textbox's `submit`
chain event by event (`queue=False` steps as `POST run/predict`, queued ones through
`queue/join` and the SSE stream), sending the values the page would send and keeping the
outputs the page would keep. Its first token is the first streamed update that shows the
emulator's first chunk; its reply is done when that streaming event completes.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import ssl
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from .gradio_protocol import AppModel, Dependency, SSEDecoder, apply_diff, assistant_text, is_update, loads
from .queue_stream import QueueStream

READ_TIMEOUT = 120.0  # a stock queue can keep the 50th visitor waiting ~100 s (heartbeats help)
EMULATOR_KEY = "bench-key"
V2_PATH = "/v1/text/chatcompletion_v2"
# How every emulator reply begins, its first 4-character chunk (minimax_backend/emulator/
# replies.py): text without it is the app's own, e.g. a placeholder, a limit or an error.
REPLY_START = "你好！这"
WORDS_POLL_S = 0.25  # how often the page looks for a reply's first words (AFTER_FIRST_WORDS)
_visitors = itertools.count(1)


def visitor_address() -> str:
    """A distinct client address per visitor, sent as X-Forwarded-For: on a public link each
    visitor comes from their own address, and the app's per-visitor limits count by it."""
    n = next(_visitors)
    return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


# A browser keeps at most 6 connections to one host. Each visitor gets a pool of its own, as in
# life: one pool shared by 50 visitors made httpcore scan every pooled connection for every
# request, and that scan alone kept this client's core busy for the first 1.6 s of a 50-visitor
# crowd, so the first tokens it timed were its own delay, not the app's.
BROWSER_CONNECTIONS = 6
# A connection idle this long is not used again. uvicorn closes one idle for 5 s, and a request
# sent on it as it closes is reset: at aiohttp's default of 15 s, 6 of a 200-visitor crowd
# failed so, their one resend (`_post`) meeting another closing connection.
KEEP_IDLE_S = 4.0
_TIMEOUT = aiohttp.ClientTimeout(total=None, connect=30.0, sock_connect=30.0, sock_read=READ_TIMEOUT)
_TLS = ssl.create_default_context()  # built once: every visitor's client would load it again
# What a dropped connection raises: the client's own errors, and a timeout.
HTTP_ERRORS = (aiohttp.ClientError, TimeoutError)


def new_client() -> aiohttp.ClientSession:
    """A client for one-off requests (the app's config, raw requests to the emulator)."""
    return browser_client()


def browser_client() -> aiohttp.ClientSession:
    """One visitor's connections and cookies (a balancer's affinity cookie comes back on
    every later request, as in a browser; the jar takes cookies from an address like
    127.0.0.1 too).

    aiohttp, not httpx: with 200 visitors in one process, httpx kept this client's one core
    busy, and its event loop answered 0.3-0.5 s late in the crowd's first seconds, so the
    first tokens it timed were partly its own delay (docs/benchmarks.md)."""
    return aiohttp.ClientSession(
        timeout=_TIMEOUT, cookie_jar=aiohttp.CookieJar(unsafe=True),
        connector=aiohttp.TCPConnector(limit=BROWSER_CONNECTIONS, ssl=_TLS,
                                       keepalive_timeout=KEEP_IDLE_S))


@dataclass(frozen=True)
class Answer:
    """A whole HTTP response, read."""

    status_code: int
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return loads(self.body)


@dataclass
class Visit:
    """One visitor's reply, timed with `time.perf_counter()`."""

    started: float
    first_token: float | None = None
    done: float | None = None  # the streaming event completed
    ended: float | None = None  # the whole chain ran
    ok: bool = True
    error: str | None = None
    reply: str = ""
    resent: int = 0  # requests sent again on a new connection, as a browser does (`_post`)

    @property
    def ttft(self) -> float | None:
        return None if self.first_token is None else self.first_token - self.started

    @property
    def failed(self) -> bool:
        return (not self.ok or self.first_token is None or self.done is None
                or REPLY_START not in self.reply)


@dataclass
class Target:
    """An app under test, as loaded from its `/config`."""

    url: str
    model: AppModel
    trigger: int
    overrides: dict[int, Any] = field(default_factory=dict)
    # Behind a load balancer a tab first GETs this path, as a browser GETs the page: the
    # balancer's affinity cookie then sends every later request of the tab to one replica.
    first_get: str | None = None

    @classmethod
    async def load(cls, client: aiohttp.ClientSession, url: str, elem_id: str | None = None,
                   overrides: dict[str, Any] | None = None) -> Target:
        """`overrides` sets controls by elem_id, as a visitor would before sending."""
        async with client.get(url + "/config", raise_for_status=True) as response:
            model = AppModel.from_config(loads(await response.read()))
        by_id = {model.by_elem_id[k]: v for k, v in (overrides or {}).items()}
        return cls(url, model, model.submit_trigger(elem_id), by_id)


class _Visitor:
    """One browser tab: opens the page, then sends one message; `close` when done."""

    def __init__(self, target: Target) -> None:
        self.client = browser_client()
        self.target = target
        self.session = uuid.uuid4().hex[:11]
        self.values = target.model.initial_values()
        self.values.update(target.overrides)
        self.api = target.url + target.model.api_prefix
        self.headers = {"X-Forwarded-For": visitor_address()}
        self.queue = QueueStream(self.client, self.api, self.session, self.headers)
        self.visit = Visit(started=time.perf_counter())

    async def open(self) -> None:
        """What the page runs as it opens (gradio sets up the session on its first call)."""
        if self.target.first_get is not None:
            try:
                async with self.client.get(self.target.url + self.target.first_get,
                                           raise_for_status=True) as page:
                    await page.read()
            except HTTP_ERRORS as err:
                self.visit.ok, self.visit.error = False, f"{type(err).__name__}: {err}"
                return
        await self._guarded(self.target.model.page_loads())

    async def send(self, message: str) -> Visit:
        """Type `message` and press Enter; timed from the key press."""
        multimodal = self.target.model.type_of(self.target.trigger) == "multimodaltextbox"
        self.values[self.target.trigger] = {"text": message, "files": []} if multimodal else message
        self.visit.started = time.perf_counter()
        if self.visit.ok:
            await self._guarded(self.target.model.started_by(self.target.trigger, "submit"))
        self.visit.ended = time.perf_counter()
        if self.queue.reader is not None:
            self.queue.reader.cancel()
        if self.visit.ok and REPLY_START not in self.visit.reply:
            self.visit.error = f"not the model's reply: {self.visit.reply[:120]!r}"
        return self.visit

    async def close(self) -> None:
        if self.queue.reader is not None:
            self.queue.reader.cancel()
        await self.client.close()

    async def _guarded(self, deps: list[Dependency]) -> None:
        try:
            await self._chain(deps)
        except (*HTTP_ERRORS, ValueError, KeyError) as err:
            self.visit.ok, self.visit.error = False, f"{type(err).__name__}: {err}"

    async def _chain(self, deps: list[Dependency]) -> None:
        """Run `deps` side by side, each followed by what it triggers, as the page does."""
        await asyncio.gather(*(self._step(dep) for dep in deps))

    async def _step(self, dep: Dependency) -> None:
        model = self.target.model
        ok, changed = await self._run(dep)
        # What `dep` triggers: `.then`/`.success` steps, and `change` on the values it set.
        await self._chain(model.followers(dep, ok)
                          + [d for c in changed for d in model.started_by(c, "change")])

    def _body(self, dep: Dependency) -> dict:
        model = self.target.model
        data = [None if model.stateful(i) else self.values.get(i) for i in dep.inputs]
        return {"data": data, "fn_index": dep.id,
                "trigger_id": self.target.trigger, "session_hash": self.session,
                "event_data": None}

    def _keep(self, dep: Dependency, output: dict) -> list[int]:
        """Take a step's outputs as the page does; return the components whose value changed
        (a State's change is the server's to report, in `changed_state_ids`)."""
        changed = list(output.get("changed_state_ids") or [])
        for component, value in zip(dep.outputs, output["data"]):
            if is_update(value):
                if "value" not in value:
                    continue
                value = value["value"]
            if self.target.model.stateful(component):
                continue
            if self.values.get(component) != value:
                changed.append(component)
            self.values[component] = value
        return changed

    def _fail(self, dep: Dependency, why: str) -> bool:
        self.visit.ok = False
        self.visit.error = self.visit.error or f"event {dep.id} ({dep.api_name}): {why}"
        return False

    async def _run(self, dep: Dependency) -> tuple[bool, list[int]]:
        """Run one step; whether it succeeded, and which values it changed."""
        if dep.delay_s:
            await asyncio.sleep(dep.delay_s)  # as the page script waits before this step
        if not dep.backend:
            if dep.while_busy:  # as the page script: on once the first words are shown
                waited = 0.0
                while self.visit.first_token is None and self.visit.done is None \
                        and waited < dep.words_max_s - dep.delay_s:
                    await asyncio.sleep(WORDS_POLL_S)
                    waited += WORDS_POLL_S
            if dep.while_busy and self.visit.done is not None:
                return False, []  # the reply is over: the page's script ends this chain
            if dep.gate is not None:  # the page's condition on the chat's last message
                mark, has = dep.gate
                chat = self.values.get(dep.inputs[0]) if dep.inputs else None
                last = chat[-1] if isinstance(chat, list) and chat else None
                return (last is not None and mark in json.dumps(last.get("content"),
                                                                  ensure_ascii=False)) == has, []
            return not dep.ends_chain, []  # a front-end-only step
        if not dep.queue:
            response = await self._post("/run/predict", self._body(dep))
            if response.status_code != 200:
                return self._fail(dep, f"HTTP {response.status_code} {response.text[:200]}"), []
            return True, self._keep(dep, response.json())
        joined = await self._post("/queue/join", self._body(dep))
        if joined.status_code != 200:
            return self._fail(dep, f"join: HTTP {joined.status_code} {joined.text[:200]}"), []
        return await self._stream(dep, joined.json()["event_id"])

    async def _post(self, path: str, body: dict) -> Answer:
        """POST as a browser does: a request whose kept-alive connection the server closed as
        idle just as it was sent (reset, or closed with no answer) is sent once more, on a new
        connection. Chromium resends such a request whatever its method; an HTTP library
        raises, and a visitor whose reply waited seconds in the line met that race now and
        then (9 of 200 in one run)."""
        try:
            return await self._post_once(path, body)
        except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError):
            self.visit.resent += 1
            return await self._post_once(path, body)

    async def _post_once(self, path: str, body: dict) -> Answer:
        async with self.client.post(self.api + path, json=body, headers=self.headers) as response:
            return Answer(response.status, await response.read())

    async def _stream(self, dep: Dependency, event_id: str) -> tuple[bool, list[int]]:
        chat = self.target.model.chat_output(dep)
        raw: list | None = None  # the outputs as last sent, which diffs apply to
        inbox = self.queue.inbox(event_id)
        while True:
            message = await inbox.get()
            kind = message.get("msg")
            if kind == "process_generating":
                if self.visit.first_token is not None or chat is None:
                    continue  # once the first token is in, only the completion matters
                data = message["output"]["data"]
                raw = data if raw is None else [apply_diff(v, d) for v, d in zip(raw, data)]
                if REPLY_START in assistant_text(raw[chat]):
                    self.visit.first_token = time.perf_counter()
            elif kind == "process_completed":
                if not message.get("success"):
                    return self._fail(dep, str(message["output"].get("error"))), []
                changed = self._keep(dep, message["output"])
                if chat is not None:
                    now = time.perf_counter()
                    self.visit.done = now
                    self.visit.reply = assistant_text(self.values[dep.outputs[chat]])
                    if self.visit.first_token is None and REPLY_START in self.visit.reply:
                        self.visit.first_token = now  # not streamed: all at once
                return True, changed
            elif kind == "unexpected_error":
                return self._fail(dep, str(message.get("message"))), []


async def visit(target: Target, message: str) -> Visit:
    """One visitor opens the page, types `message` and presses Enter."""
    visitor = _Visitor(target)
    try:
        await visitor.open()
        return await visitor.send(message)
    finally:
        await visitor.close()


async def crowd(target: Target, visitors: int, message: str,
                on_tick: Callable[[], None] | None = None, tick: float = 0.1
                ) -> tuple[float, list[Visit]]:
    """`visitors` with the page open press Enter at the same moment; the time until the last
    reply is done. `on_tick` runs every `tick` seconds meanwhile (e.g. to sample memory)."""
    tabs = [_Visitor(target) for _ in range(visitors)]
    try:
        await asyncio.gather(*(tab.open() for tab in tabs))
        started = time.perf_counter()
        runs = asyncio.gather(*(tab.send(f"{message} #{i}") for i, tab in enumerate(tabs)))
        if on_tick is not None:
            while not runs.done():
                on_tick()
                await asyncio.wait([runs], timeout=tick)
        visits = await runs
    finally:
        await asyncio.gather(*(tab.close() for tab in tabs))
    ends = [v.done or v.ended or started for v in visits]
    return max(ends) - started, visits


async def raw_first_token(client: aiohttp.ClientSession, emulator_url: str, model: str,
                          message: str) -> float:
    """Seconds from sending a streamed request straight to the emulator to its first text."""
    body = {"model": model, "messages": [{"role": "user", "content": message}], "stream": True,
            "max_tokens": 2048}
    started = time.perf_counter()
    first = None
    decoder = SSEDecoder()
    async with client.post(emulator_url + V2_PATH, json=body, raise_for_status=True,
                           headers={"Authorization": f"Bearer {EMULATOR_KEY}"}) as response:
        async for chunk in response.content.iter_any():
            for payload in decoder.feed(chunk):
                if first is None:
                    choices = loads(payload).get("choices") or [{}]
                    if (choices[0].get("delta") or {}).get("content"):
                        first = time.perf_counter()
    if first is None:
        raise RuntimeError("the emulator streamed no text")
    return first - started

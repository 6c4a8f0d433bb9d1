"""Issue 11, items 4-6, replayed as a stranger with the link would: small scripts speaking
gradio's HTTP protocol to `python app.py` (host key set, the emulator upstream, every process
on 127.0.0.1). Spoofed addresses earn no extra messages; a malformed request is one escaped
log line; no key prefix or trace id carries a key; a lone surrogate gets a clear message and
the next message works; idle and slow sockets are closed; only the app may frame its page."""
from __future__ import annotations

import json
import re
import socket
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from bench.emulator_control import EmulatorControl
from bench.gradio_protocol import AppModel, SSEDecoder, message_text
from bench.processes import Server, child_env, emulator_server, free_port

HOST_KEY = "hostkey-7f3a9c2e5b8d1f4a6c0e"  # shaped like no known key: only literal masking finds it
VISITOR_KEY = "visitorkey-a1b2c3d4e5f6a7b8c9"
LIMIT = 3  # messages per minute per visitor
IDLE_S = 2  # APP_IDLE_TIMEOUT
QUICK = "chunks=3;interval_ms=5"
LOG_LINE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ \S+: ")
ENGLISH = {"accept-language": "en-US"}


class App:
    """One `python app.py` and the requests a script sends it."""

    def __init__(self, server: Server) -> None:
        self.server, self.url = server, server.url
        self.model = AppModel.from_config(httpx.get(self.url + "/config", timeout=10).json())
        self.respond_dep = next(d for d in self.model.dependencies if d.api_name == "respond")

    def inputs(self, history: list, **by_elem_id: object) -> list:
        dep, model = self.respond_dep, self.model
        values = {**model.initial_values(), model.by_elem_id["chatbot"]: history}
        values.update({model.by_elem_id[k.replace("_", "-")]: v for k, v in by_elem_id.items()})
        return [None if model.stateful(i) else values.get(i) for i in dep.inputs]

    def respond(self, history: list, *, session: str | None = None, headers: dict | None = None,
                **fields: object) -> list | None:
        """The chat after the reply, or None if the stream broke without completing."""
        done = self.submit(self.respond_dep.id, self.inputs(history, **fields), session, headers)
        return None if done is None else (done["output"].get("data") or [None])[0]

    def submit(self, fn_index: int, data: list, session: str | None = None,
               headers: dict | None = None) -> dict | None:
        """Join the queue as the page does and read the session's stream to the event's
        `process_completed` message (None if the stream broke first)."""
        session = session or uuid.uuid4().hex[:11]
        headers = {**ENGLISH, "content-type": "application/json", **(headers or {})}
        body = {"data": data, "fn_index": fn_index, "session_hash": session,
                "trigger_id": None, "event_data": None}
        with httpx.Client(timeout=30, headers=headers) as client:
            # json.dumps escapes a lone surrogate, as JSON may; httpx's own encoder refuses it
            joined = client.post(self.url + "/gradio_api/queue/join", content=json.dumps(body))
            assert joined.status_code == 200, joined.text[:300]
            decoder = SSEDecoder()
            try:
                with client.stream("GET", self.url + "/gradio_api/queue/data",
                                   params={"session_hash": session}) as stream:
                    for chunk in stream.iter_bytes():
                        for raw in decoder.feed(chunk):
                            message = json.loads(raw)
                            if message.get("msg") == "process_completed":
                                return message
            except httpx.TransportError:
                pass
        return None

    def log_lines(self) -> list[str]:
        return self.server.log_path.read_text(errors="replace").splitlines()


def user(text: str) -> dict:
    return {"role": "user", "content": [{"type": "text", "text": text}], "metadata": None}


def replied(chat: list | None) -> bool:
    """A reply with no error or refusal note under it."""
    dumped = json.dumps(chat)
    return bool(chat) and chat[-1]["role"] == "assistant" and "mm-error" not in dumped \
        and "mm-refused" not in dumped


def last_note(chat: list) -> str:
    return message_text(chat[-1])


def via_proxy(visitor: str) -> dict:
    """Headers as a proxy in front (APP_TRUST_PROXY=1) passes them: what the client wrote,
    then the address the proxy saw."""
    return {"x-forwarded-for": f"198.51.100.{uuid.uuid4().int % 250}, {visitor}"}


@pytest.fixture(scope="module")
def upstream(tmp_path_factory):
    logs = tmp_path_factory.mktemp("abuse-edges")
    emulator = emulator_server(logs).start()
    control = EmulatorControl(emulator.url)
    control.set_directives(QUICK)
    try:
        yield emulator, control, logs
    finally:
        control.close()
        emulator.stop()


def app_server(upstream, name: str, **env: str) -> Server:
    emulator, _, logs = upstream
    port = free_port()
    return Server(name, [sys.executable, "app.py"], port, child_env(
        MINIMAX_API_KEY=HOST_KEY, MINIMAX_BASE_URL=emulator.url, GRADIO_SERVER_NAME="127.0.0.1",
        GRADIO_SERVER_PORT=str(port), APP_MAX_MESSAGES_PER_MINUTE=str(LIMIT), **env),
        logs / f"{name}.log")


@pytest.fixture(scope="module")
def apps(upstream):
    """Two apps, started side by side: visitors connect straight to `direct` (APP_TRUST_PROXY
    off); `proxied` stands behind one proxy (APP_TRUST_PROXY=1), where each test below is a
    visitor of its own to the limits."""
    servers = [app_server(upstream, "direct"),
               app_server(upstream, "proxied", APP_TRUST_PROXY="1", APP_IDLE_TIMEOUT=str(IDLE_S))]
    with ThreadPoolExecutor(len(servers)) as pool:
        started = [pool.submit(server.start) for server in servers]
        try:
            for future in started:
                future.result()
            yield {server.name: App(server) for server in servers}
        finally:
            list(pool.map(Server.stop, servers))


@pytest.fixture(scope="module")
def direct(apps):
    return apps["direct"]


@pytest.fixture(scope="module")
def proxied(apps):
    return apps["proxied"]


# -- item 4: addresses --------------------------------------------------------------------

def test_a_made_up_forwarded_for_from_loopback_earns_no_extra_messages(direct):
    chats = [direct.respond([user(f"hello {i}")], headers={"x-forwarded-for": f"203.0.113.{i}"})
             for i in range(LIMIT + 3)]  # a new session and a new made-up address each time
    assert sum(replied(chat) for chat in chats) == LIMIT
    assert "Too many messages (at most 3 per minute per visitor)" in last_note(chats[-1])


def test_behind_a_proxy_a_forged_first_hop_earns_no_extra_messages(proxied):
    chats = [proxied.respond([user(f"hello {i}")], headers=via_proxy("203.0.113.7"))
             for i in range(LIMIT + 3)]
    assert sum(replied(chat) for chat in chats) == LIMIT
    assert "Too many messages" in last_note(chats[-1])
    # Another visitor, as the proxy saw them, still gets through.
    assert replied(proxied.respond([user("hi")], headers=via_proxy("203.0.113.8")))


# -- item 5: the log ----------------------------------------------------------------------

def wait_for_lines(app: App, before: int, expected: int, timeout: float = 10.0) -> list[str]:
    """The lines the log gained, once it holds `expected` more (or `timeout` passed), plus
    anything a moment later."""
    deadline = time.monotonic() + timeout
    while len(app.log_lines()) < before + expected and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    return app.log_lines()[before:]


def test_each_malformed_request_adds_one_escaped_log_line(proxied):
    respond, headers = proxied.respond_dep.id, via_proxy("203.0.113.20")
    # A quick step sent without its inputs (a step the page runs only in the browser is
    # refused before gradio reads it: tests/test_abuse_resources.py).
    quick_step = next(d.id for d in proxied.model.dependencies if d.backend and not d.queue)
    rounds, kinds = 3, 2
    before = len(proxied.log_lines())
    for _ in range(rounds):
        proxied.submit(respond, proxied.inputs("not a list"), headers=headers)
        predicted = httpx.post(proxied.url + "/gradio_api/run/predict", headers=headers, timeout=10,
                               json={"data": [], "fn_index": quick_step, "session_hash": "s"})
        assert predicted.status_code == 500
    gained = wait_for_lines(proxied, before, rounds * kinds)
    assert len(gained) == rounds * kinds, "\n".join(gained)[-3000:]
    for line in gained:
        assert LOG_LINE.match(line) and len(line) < 2_200, line[:300]
    # A setting no page could send is refused in the chat (a note), and logs no error.
    chat = proxied.respond([user("hi")], headers=headers, api_mode=True)
    assert chat[-1]["role"] == "assistant" and "mm-refused" in str(chat[-1]["content"])
    assert len(proxied.log_lines()) == before + rounds * kinds


def test_a_forged_or_huge_model_name_is_refused_and_writes_no_line(proxied):
    forged = "MiniMax-M2.7\n2026-01-01 00:00:00,000 INFO minimax_chat.replies: reply session=forged"
    before = len(proxied.log_lines())
    for model in (forged, "M" * 100_000):
        chat = proxied.respond([user("hi")], headers=via_proxy("203.0.113.21"), model=model,
                               max_tokens=512)
        assert "a model name is 1 to 64 letters, digits and . _ - : /" in last_note(chat)
    gained = wait_for_lines(proxied, before, 0, timeout=0)
    assert not any("session=forged" in line or len(line) > 2_200 for line in gained), gained


# -- item 6: redaction, Unicode, idle sockets, framing -------------------------------------

def windows(key: str, size: int = 8) -> set[str]:
    return {key[i:i + size] for i in range(len(key) - size + 1)}


def test_no_key_prefix_or_trace_id_carries_the_key(upstream, proxied):
    _, control, _ = upstream
    # The upstream's error text ends with the request's key, 190 characters in (a visitor is
    # shown 200), and its Trace-Id is that key too.
    control.set_directives("error=1999;echo_auth=190")
    try:
        host = proxied.respond([user("hi")], headers=via_proxy("203.0.113.22"))
        own = proxied.respond([user("hi")], headers=via_proxy("203.0.113.23"),
                              user_key=VISITOR_KEY, user_group_id="")
    finally:
        control.set_directives(QUICK)
    for chat in (host, own):
        assert "Trace-Id [redacted]" in last_note(chat), last_note(chat)
    shown, logged = json.dumps([host, own]), "\n".join(proxied.log_lines())
    for key in (HOST_KEY, VISITOR_KEY):
        assert not any(part in shown or part in logged for part in windows(key)), key


def test_a_lone_surrogate_gets_a_clear_message_and_the_next_message_works(proxied):
    session, headers = uuid.uuid4().hex[:11], via_proxy("203.0.113.24")
    chat = proxied.respond([user("bad \udc80 text")], session=session, headers=headers)
    assert chat is not None, "the stream broke without a word"
    assert message_text(chat[0]) == "bad \ufffd text"
    assert "Some characters in this chat were not valid text" in last_note(chat)
    assert replied(proxied.respond(chat[:1] + [user("and now?")], session=session, headers=headers))

    chat = proxied.respond([user("hi")], session=session, headers=headers, system_prompt="be \ud800")
    assert "system contains characters that are not valid text" in last_note(chat)
    assert replied(proxied.respond([user("hi")], session=session, headers=headers))


def closed_within(sock: socket.socket, seconds: float) -> bytes | None:
    """What the server sent before closing `sock`, or None if it stayed open that long."""
    sock.settimeout(0.2)
    received, deadline = b"", time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(4096)
        except TimeoutError:
            continue
        except ConnectionResetError:
            return received
        if not chunk:
            return received
        received += chunk
    return None


def test_idle_and_slow_sockets_are_closed(proxied):
    port = proxied.server.port
    idle, slow_head, slow_body = (socket.create_connection(("127.0.0.1", port)) for _ in range(3))
    try:
        slow_head.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
        slow_body.sendall(b"POST /gradio_api/queue/join HTTP/1.1\r\nHost: x\r\n"
                          b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"data\"")
        bound = 5 * IDLE_S
        assert closed_within(idle, bound) == b""
        assert closed_within(slow_head, bound) == b""
        assert closed_within(slow_body, bound).startswith(b"HTTP/1.1 408")
    finally:
        for sock in (idle, slow_head, slow_body):
            sock.close()


def test_only_the_app_itself_may_frame_its_page(proxied):
    headers = httpx.get(proxied.url + "/", timeout=10).headers
    assert headers["content-security-policy"].endswith("; frame-ancestors 'self'")
    assert headers["x-frame-options"] == "SAMEORIGIN"

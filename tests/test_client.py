"""The client against the emulator: both APIs and modes, faults, retry, timeouts, cancel."""
from __future__ import annotations

import threading
import time

import pytest

from minimax_backend import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    CancelToken,
    ChatRequest,
    Finish,
    Message,
    MiniMaxClient,
    MiniMaxError,
    QuotaError,
    RateLimitError,
    ReasoningDelta,
    ResponseFormatError,
    Retrying,
    ServerError,
    Settings,
    TextDelta,
    ValidationError,
)
from minimax_backend.emulator import Emulator, EmulatorConfig
from tests.test_errors import TABLE
from ui.text.advice import advice

KEY = "sk-test-key"
GROUP = "1234567"


@pytest.fixture(scope="module")
def emulator():
    with Emulator(EmulatorConfig(api_keys=(KEY,), group_id=GROUP, interval_ms=0)) as emu:
        yield emu


@pytest.fixture
def emu(emulator):
    emulator.clear_faults()
    yield emulator
    emulator.clear_faults()


def client_for(emu, **settings):
    values = dict(api_key=KEY, group_id=GROUP, base_url=emu.url, max_retries=2)
    values.update(settings)
    return MiniMaxClient(Settings(**values), retry_backoff=0.01)


def ask(api="v2", model="MiniMax-Text-01", text="你好", **kw):
    return ChatRequest(messages=(Message("user", text),), model=model, api=api,
                       system=kw.pop("system", "你是助手"), temperature=0.5, top_p=0.9,
                       max_tokens=kw.pop("max_tokens", 2048), **kw)


def run(client, request, cancel=None):
    """(answer, reasoning, finish, events) of a stream; raises what the stream raises."""
    events = list(client.stream(request, cancel))
    text = "".join(e.text for e in events if isinstance(e, TextDelta))
    reasoning = "".join(e.text for e in events if isinstance(e, ReasoningDelta))
    finish = events[-1] if events and isinstance(events[-1], Finish) else None
    return text, reasoning, finish, events


def partial_then_error(client, request):
    seen = []
    with pytest.raises(Exception) as info:
        for event in client.stream(request):
            seen.append(event)
    return "".join(e.text for e in seen if isinstance(e, TextDelta)), info.value


@pytest.mark.parametrize("api,model", [("v2", "MiniMax-Text-01"), ("pro", "abab6.5s-chat")])
def test_stream_and_complete_give_the_same_reply(emu, api, model):
    client = client_for(emu)
    text, _, finish, _ = run(client, ask(api, model))
    result = client.complete(ask(api, model))
    assert text == result.text and text and "你好" in text
    assert finish.reason == "stop" and finish.raw_content == text and len(finish.trace_id) == 32
    assert finish.usage.total_tokens > 0 and result.finish.usage == finish.usage


def test_what_the_emulator_received(emu):
    client_for(emu).complete(ask("pro", "abab6.5s-chat", bot_name="小M", user_name="小明"))
    received = emu.requests[-1]
    assert received.path == "/v1/text/chatcompletion_pro" and received.query == {"GroupId": GROUP}
    assert received.api_key == KEY
    assert received.body["reply_constraints"] == {"sender_type": "BOT", "sender_name": "小M"}
    client_for(emu).complete(ask())
    assert emu.requests[-1].query == {}  # no GroupId on v2


def test_m2_inline_thinking_is_reasoning_and_raw_content_keeps_it(emu):
    text, reasoning, finish, _ = run(client_for(emu), ask(model="MiniMax-M2.7"))
    assert reasoning and "<think>" not in text and "</think>" not in text
    assert finish.raw_content.startswith("<think>") and finish.raw_content.endswith(text)


def test_m1_reasoning_content_is_reasoning(emu):
    text, reasoning, finish, _ = run(client_for(emu), ask(model="MiniMax-M1"))
    assert reasoning and text and finish.raw_content == text
    assert finish.usage.reasoning_tokens > 0


@pytest.mark.parametrize("fault", ["utf8_split", "crlf", "comments;done", "role_empty"])
def test_awkward_framing_gives_the_same_text(emu, fault):
    client = client_for(emu)
    expected, _, _, _ = run(client, ask(text="UTF-8 测试 🌏"))
    emu.push_fault(fault)
    assert run(client, ask(text="UTF-8 测试 🌏"))[0] == expected


@pytest.mark.parametrize("where", ["body", "stream"])
@pytest.mark.parametrize("code", sorted(TABLE))
def test_every_error_code_from_the_emulator(emu, code, where):
    emu.push_fault(f"error={code};where={where}")
    with pytest.raises(TABLE[code]) as info:
        run(client_for(emu, max_retries=0), ask())
    err = info.value
    assert err.code == code and err.http_status == 200 and len(err.trace_id) == 32 and err.message


def test_minimal_error_body(emu):
    emu.push_fault("error=1008;minimal;where=body")
    with pytest.raises(QuotaError):
        client_for(emu).complete(ask())


def test_wrong_key_is_an_auth_error_that_suggests_the_region(emu):
    with pytest.raises(AuthenticationError) as info:
        run(client_for(emu, api_key="sk-other"), ask())
    assert info.value.code == 2049 and "api.minimax.io" in advice(info.value, "en")
    assert "sk-other" not in str(info.value)


@pytest.mark.parametrize("fault", ["error=1999;echo_auth=190", "http=400;echo_auth=190"])
def test_an_upstream_that_echoes_the_key_gets_it_masked_before_any_cut(emu, fault):
    emu.push_fault(fault)
    with pytest.raises(MiniMaxError) as info:
        run(client_for(emu, max_retries=0), ask())
    err = info.value
    assert err.trace_id == "[redacted]"
    for text in (err.message, str(err), err.trace_id):
        assert not any(KEY[i:i + 6] in text for i in range(len(KEY) - 5)), text


def test_missing_key_and_group_id_never_reach_the_network(emu):
    before = len(emu.requests)
    with pytest.raises(ValidationError, match="MINIMAX_API_KEY"):
        run(client_for(emu, api_key=""), ask())
    with pytest.raises(ValidationError, match="MINIMAX_GROUP_ID"):
        run(client_for(emu, group_id=""), ask("pro", "abab6.5s-chat"))
    assert len(emu.requests) == before


def test_rate_limit_before_output_is_retried(emu):
    emu.push_fault("error=1002")
    before = len(emu.requests)
    text, _, finish, _ = run(client_for(emu), ask())
    assert text and finish.reason == "stop" and len(emu.requests) - before == 2


def test_each_retry_is_announced_with_its_wait_before_any_output(emu):
    emu.push_fault("http=429;retry_after=1")
    emu.push_fault("error=1002")
    events = run(client_for(emu), ask())[3]
    first, second = events[0], events[1]
    assert isinstance(first, Retrying) and isinstance(second, Retrying)
    assert (first.attempt, first.attempts, second.attempt) == (1, 3, 2)
    assert isinstance(first.error, RateLimitError) and first.error.http_status == 429
    assert 0.8 <= first.delay <= 1.2  # MiniMax's Retry-After: 1 s, jittered
    assert first.error.__class__ is second.error.__class__ and second.error.code == 1002
    assert isinstance(events[2], (TextDelta, ReasoningDelta))
    assert not any(isinstance(e, Retrying) for e in events[3:])


@pytest.mark.parametrize("fault", ["http=429;retry_after=0", "http=503", "drop_after=0", "error=1041"])
def test_failures_before_output_are_retried(emu, fault):
    emu.push_fault(fault)
    assert run(client_for(emu), ask())[2].reason == "stop"


def test_retries_are_bounded(emu):
    for _ in range(3):
        emu.push_fault("http=502;html")
    before = len(emu.requests)
    with pytest.raises(ServerError) as info:
        run(client_for(emu, max_retries=2), ask())
    assert len(emu.requests) - before == 3
    assert info.value.message == "HTTP 502: 502 Bad Gateway" and info.value.http_status == 502


def test_no_retry_after_partial_output(emu):
    emu.push_fault("error=1002;after=3")
    before = len(emu.requests)
    partial, err = partial_then_error(client_for(emu), ask())
    assert isinstance(err, RateLimitError) and partial and len(emu.requests) - before == 1


def test_drop_mid_stream_keeps_the_partial_text(emu):
    emu.push_fault("drop_after=4")
    before = len(emu.requests)
    partial, err = partial_then_error(client_for(emu), ask())
    assert isinstance(err, APIConnectionError) and partial and len(emu.requests) - before == 1


def test_malformed_event_after_output(emu):
    emu.push_fault("malformed_after=2")
    partial, err = partial_then_error(client_for(emu), ask())
    assert isinstance(err, ResponseFormatError) and partial


def test_silent_upstream_hits_the_read_timeout(emu):
    emu.push_fault("stall_after=2;stall=10")
    start = time.monotonic()
    partial, err = partial_then_error(client_for(emu, read_timeout=0.5), ask())
    assert isinstance(err, APITimeoutError) and partial and time.monotonic() - start < 3


@pytest.mark.parametrize("fault", ["stall_after=3;stall=30", "stall_before_headers=30"])
def test_cancel_unblocks_a_silent_stream_within_a_second(emu, fault):
    emu.push_fault(fault)
    cancel = CancelToken()
    seen, done = [], threading.Event()

    def consume():
        for event in client_for(emu).stream(ask(), cancel):
            seen.append(event)
        done.set()

    threading.Thread(target=consume, daemon=True).start()
    time.sleep(0.5)  # the stream is now stuck on the silent upstream
    started = time.monotonic()
    cancel.cancel()
    assert done.wait(1.0), "the stream did not end within 1 s of cancel()"
    assert time.monotonic() - started < 1.0
    assert not any(isinstance(e, Finish) for e in seen)


def test_soft_block_is_reported_as_filtered(emu):
    emu.push_fault("soft_block=input")
    text, _, finish, _ = run(client_for(emu), ask())
    assert finish.filtered and text == ""


@pytest.mark.parametrize("stream", [True, False])
def test_an_unknown_field_warning_reaches_the_finish_and_is_no_error(emu, monkeypatch, stream):
    # Our codec never sends unknown fields: add one, as a newer or older client might.
    from minimax_backend import codec_v2
    encode = codec_v2.encode
    monkeypatch.setattr(codec_v2, "encode", lambda request, stream: {**encode(request, stream),
                                                                      "frequency_penalty": 1})
    client = client_for(emu)
    finish = run(client, ask())[2] if stream else client.complete(ask()).finish
    assert finish.reason == "stop"
    assert finish.warning == 'Invalid parameters detected, json: unknown field "frequency_penalty"'


def test_max_tokens_cut_is_finish_length(emu):
    text, _, finish, _ = run(client_for(emu), ask(max_tokens=3))
    assert finish.reason == "length" and text


def test_closing_the_generator_closes_the_connection():
    """A raw server that streams one event, then waits to see the client hang up."""
    import socket
    server = socket.create_server(("127.0.0.1", 0))
    hung_up = threading.Event()

    def serve():
        conn, _ = server.accept()
        conn.recv(65536)
        body = b'data: {"choices":[{"delta":{"content":"hi"}}]}\n\n'
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n" % (len(body), body))
        conn.settimeout(5)
        try:
            while conn.recv(65536):  # the request body may still be arriving: drain it
                pass
            hung_up.set()
        except TimeoutError:
            pass
        except OSError:
            hung_up.set()  # a reset is a hang-up too
        conn.close()

    threading.Thread(target=serve, daemon=True).start()
    client = MiniMaxClient(Settings(api_key=KEY, base_url=f"http://127.0.0.1:{server.getsockname()[1]}"))
    stream = client.stream(ask())
    assert next(stream) == TextDelta("hi")
    stream.close()
    assert hung_up.wait(2), "the HTTP connection stayed open after the generator was closed"
    server.close()


def test_cancelling_a_finished_call_spares_the_pooled_connection_now_in_use(emu):
    """A finished reply's connection goes back to the pool; cancelling its token later (as a
    UI's cleanup does) must not cut the next caller who reuses that connection."""
    client = client_for(emu)
    first = CancelToken()
    assert run(client, ask(), first)[2].reason == "stop"
    emu.push_fault("interval_ms=20")
    second = client.stream(ask())
    assert isinstance(next(second), TextDelta)  # the kept-alive connection carries this one
    first.cancel()
    events = list(second)
    assert isinstance(events[-1], Finish) and events[-1].reason == "stop"


def _proxy_that_records():
    """A proxy that records the first line of each request and answers 502."""
    import socket
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    seen: list[str] = []

    def serve():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                seen.append(conn.recv(65536).split(b"\r\n", 1)[0].decode())
                conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n"
                             b"Connection: close\r\n\r\n")

    threading.Thread(target=serve, daemon=True).start()
    return server, seen


def test_the_proxy_comes_from_the_environment_once_when_the_client_is_made(emu, monkeypatch):
    proxy, seen = _proxy_that_records()
    try:
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{proxy.getsockname()[1]}")
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        proxied = client_for(emu, max_retries=0)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        direct = client_for(emu)
        monkeypatch.delenv("HTTP_PROXY")  # read once: the first client still uses it
        with pytest.raises(MiniMaxError):
            run(proxied, ask())
        assert seen and seen[0].startswith(f"POST {emu.url}/v1/text/chatcompletion_v2 ")
        assert run(direct, ask())[0]  # NO_PROXY names the host: straight to it
        assert len(seen) == 1
    finally:
        proxy.close()

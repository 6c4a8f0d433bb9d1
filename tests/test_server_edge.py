"""The HTTP edge, in process: which hop is the visitor, who may frame the page, and how long a
request may take to arrive (tests/test_abuse_edges.py replays the attacks on `python app.py`)."""
from __future__ import annotations

import asyncio

import pytest
import uvicorn
from uvicorn import config as uvicorn_config

from minimax_backend import ValidationError
from ui.server import timeouts
from ui.server.forwarded import ForwardedFor, ProxyRule, distrust_in_uvicorn
from ui.server.framing import frame_ancestors_from_env, frame_headers
from ui.server.middleware import SecurityHeaders
from ui.server.timeouts import SlowBody, idle_timeout_from_env, install_idle_timeout

OFF, ONE, TWO = ProxyRule(), ProxyRule(hops=1), ProxyRule(hops=2)
LISTED = ProxyRule.from_env({"APP_TRUST_PROXY": "10.0.0.0/8, 127.0.0.1"})


@pytest.mark.parametrize("env, rule", [
    ({}, OFF), ({"APP_TRUST_PROXY": "off"}, OFF), ({"APP_TRUST_PROXY": "0"}, OFF),
    ({"SYSTEM": "spaces"}, ONE), ({"SYSTEM": "spaces", "APP_TRUST_PROXY": "no"}, OFF),
    ({"APP_TRUST_PROXY": "True"}, ONE), ({"APP_TRUST_PROXY": "2"}, TWO),
])
def test_app_trust_proxy_reads_off_on_or_a_number_of_proxies(env, rule):
    assert ProxyRule.from_env(env) == rule


def test_app_trust_proxy_may_list_the_proxies_and_refuses_anything_else():
    assert [str(net) for net in LISTED.proxies] == ["10.0.0.0/8", "127.0.0.1/32"]
    with pytest.raises(ValidationError) as caught:
        ProxyRule.from_env({"APP_TRUST_PROXY": "proxy.example"})
    assert caught.value.field == "APP_TRUST_PROXY"


@pytest.mark.parametrize("rule, peer, forwarded, visitor", [
    (OFF, "127.0.0.1", "203.0.113.9", "127.0.0.1"),  # loopback earns no trust by itself
    (ONE, "10.1.2.3", "1.2.3.4, 203.0.113.9", "203.0.113.9"),  # the hop the proxy appended
    (ONE, "10.1.2.3", "203.0.113.9:4711", "203.0.113.9"),
    (ONE, "10.1.2.3", "[2001:db8::7]:443", "2001:db8::7"),
    (ONE, "10.1.2.3", "", "10.1.2.3"),
    (ONE, "10.1.2.3", "1.2.3.4, not-an-address", "10.1.2.3"),  # no guessing: the proxy counts
    (TWO, "10.1.2.3", "1.2.3.4, 203.0.113.9, 10.9.9.9", "203.0.113.9"),
    (TWO, "10.1.2.3", "203.0.113.9", "10.1.2.3"),  # fewer hops than proxies
    (LISTED, "10.1.2.3", "1.2.3.4, 203.0.113.9, 10.5.5.5", "203.0.113.9"),
    (LISTED, "192.0.2.50", "203.0.113.9", "192.0.2.50"),  # not from a listed proxy
])
def test_the_visitor_is_the_right_most_hop_no_proxy_wrote(rule, peer, forwarded, visitor):
    assert rule.visitor(peer, forwarded) == visitor


def run(middleware, scope, messages=(), hold: float = 0.0) -> list[dict]:
    """Call ASGI `middleware` once; what it sent. The request's `messages` arrive in order;
    after them receive() waits `hold` seconds, then says the client left."""
    sent, queue = [], list(messages)

    async def receive():
        if queue:
            return queue.pop(0)
        await asyncio.sleep(hold)
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    async def go():
        await middleware(scope, receive, send)

    asyncio.run(go())
    return sent


def http_scope(**extra):
    return {"type": "http", "path": "/", "headers": [], "client": ("127.0.0.1", 5000), **extra}


def test_forwarded_for_middleware_puts_the_visitor_in_the_scope():
    seen = {}

    async def app(scope, receive, send):
        seen.update(scope)

    headers = [(b"x-forwarded-for", b"1.2.3.4"), (b"x-forwarded-for", b"203.0.113.9")]
    run(ForwardedFor(app, ONE), http_scope(headers=headers))
    assert seen["client"] == ("203.0.113.9", 0)
    run(ForwardedFor(app, OFF), http_scope(headers=headers))
    assert seen["client"] == ("127.0.0.1", 5000)


def test_uvicorn_is_told_to_trust_no_proxy(monkeypatch):
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "127.0.0.1")
    distrust_in_uvicorn()
    assert uvicorn.Config(app=None).forwarded_allow_ips == ""


@pytest.mark.parametrize("env, ancestors, legacy", [
    ({}, "'self'", [(b"x-frame-options", b"SAMEORIGIN")]),
    ({"SYSTEM": "spaces"}, "'self' https://huggingface.co", []),
    ({"APP_FRAME_ANCESTORS": "  'self'   https://*.example.org:8443 "},
     "'self' https://*.example.org:8443", []),
    ({"APP_FRAME_ANCESTORS": "'none'"}, "'none'", [(b"x-frame-options", b"DENY")]),
    ({"SYSTEM": "spaces", "APP_FRAME_ANCESTORS": "*"}, "*", []),
])
def test_who_may_frame_the_page(env, ancestors, legacy):
    assert frame_ancestors_from_env(env) == ancestors
    assert frame_headers(ancestors) == legacy


@pytest.mark.parametrize("value", ["'self'; script-src *", "https://a.org,https://b.org",
                                   "'none' 'self'", "javascript:alert(1)"])
def test_a_frame_ancestors_value_that_is_no_source_list_is_refused(value):
    with pytest.raises(ValidationError) as caught:
        frame_ancestors_from_env({"APP_FRAME_ANCESTORS": value})
    assert caught.value.field == "APP_FRAME_ANCESTORS"


def test_every_response_says_who_may_frame_it():
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})

    sent = run(SecurityHeaders(app, "'self' https://huggingface.co"), http_scope())
    headers = dict(sent[0]["headers"])
    assert headers[b"content-security-policy"].endswith(b"; frame-ancestors 'self' https://huggingface.co")
    assert b"x-frame-options" not in headers


def test_the_idle_timeout_reads_seconds_and_refuses_less_than_one():
    assert idle_timeout_from_env({}) == timeouts.IDLE_TIMEOUT_S
    assert idle_timeout_from_env({"APP_IDLE_TIMEOUT": "2.5"}) == 2.5
    for bad in ("0.5", "soon", "nan"):
        with pytest.raises(ValidationError, match="APP_IDLE_TIMEOUT"):
            idle_timeout_from_env({"APP_IDLE_TIMEOUT": bad})


def test_uvicorn_serves_with_the_protocol_that_times_request_heads(monkeypatch):
    monkeypatch.setitem(uvicorn_config.HTTP_PROTOCOLS, "auto", uvicorn_config.HTTP_PROTOCOLS["auto"])
    monkeypatch.setattr(timeouts.HeadTimeoutProtocol, "head_timeout", 10.0)
    install_idle_timeout(3.0)
    config = uvicorn.Config(app=None)
    config.load()
    assert config.http_protocol_class is timeouts.HeadTimeoutProtocol
    assert timeouts.HeadTimeoutProtocol.head_timeout == 3.0


def test_a_stalled_body_is_answered_408_and_the_app_stops_waiting():
    async def app(scope, receive, send):
        await receive()  # the first part of the body
        await receive()  # the rest never comes
        raise AssertionError("unreachable")

    start = [{"type": "http.request", "body": b"{", "more_body": True}]
    sent = run(SlowBody(app, timeout=0.2), http_scope(), start, hold=5)
    assert sent[0]["status"] == 408 and sent[1]["body"] == b"Request body timed out"


def test_once_the_body_is_in_waiting_for_the_visitor_to_leave_is_not_timed():
    async def app(scope, receive, send):
        await receive()
        assert (await receive())["type"] == "http.disconnect"  # after `hold`, past the timeout
        await send({"type": "http.response.start", "status": 200, "headers": []})

    body = [{"type": "http.request", "body": b"{}", "more_body": False}]
    sent = run(SlowBody(app, timeout=0.1), http_scope(), body, hold=0.3)
    assert [m["status"] for m in sent] == [200]

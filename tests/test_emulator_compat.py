"""The emulator's OpenAI- and Anthropic-compatible endpoints on the wire: shapes, thinking in
each form, images, refusals and every fault form in each dialect's error shape."""
from __future__ import annotations

import json

import pytest
import requests

from minimax_backend.emulator import (
    ANTHROPIC_PATH,
    OPENAI_PATH,
    PRO_PATH,
    Emulator,
    EmulatorConfig,
)

KEY = "emu-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
PNG_1x1 = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
OPENAI = {"model": "MiniMax-M3", "messages": [{"role": "user", "content": "你好"}]}
ANTHROPIC = {"model": "MiniMax-M3", "max_tokens": 4000, "messages": [{"role": "user", "content": "你好"}]}


@pytest.fixture(scope="module")
def emu():
    with Emulator(EmulatorConfig(api_keys=(KEY,), interval_ms=0)) as emulator:
        yield emulator


def post(emu, path, body, faults="", headers=AUTH):
    extra = {"X-MiniMax-Emulator": faults} if faults else {}
    return requests.post(emu.url + path, json=body, headers={**headers, **extra}, timeout=10)


def sse(response) -> list[tuple[str | None, object]]:
    """(event name, data) of each event; data is parsed JSON, or the text for [DONE]."""
    out = []
    for block in response.content.decode("utf-8").replace("\r\n", "\n").split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.split("\n") if ": " in line)
        if "data" in fields:
            data = fields["data"]
            out.append((fields.get("event"), data if data == "[DONE]" else json.loads(data)))
    return out


def test_openai_split_stream_has_cumulative_details_then_usage_then_done(emu):
    events = sse(post(emu, OPENAI_PATH, {**OPENAI, "stream": True, "reasoning_split": True,
                                         "stream_options": {"include_usage": True}}))
    assert events[-1] == (None, "[DONE]")
    tail = events[-2][1]
    assert tail["choices"] == [] and tail["usage"]["completion_tokens"] > 0
    details = [e["choices"][0]["delta"]["reasoning_details"][0]["text"] for _, e in events[:-2]
               if "reasoning_details" in e["choices"][0]["delta"]]
    assert len(details) > 1 and all(b.startswith(a) for a, b in zip(details, details[1:]))
    content = "".join(e["choices"][0]["delta"]["content"] for _, e in events[:-2])
    assert content.startswith("你好！这是 MiniMax 模拟器") and "<think>" not in content
    assert events[-3][1]["choices"][0]["finish_reason"] == "stop"


def test_openai_without_split_thinks_inline_and_off_not_at_all(emu):
    body = post(emu, OPENAI_PATH, OPENAI).json()
    assert body["choices"][0]["message"]["content"].startswith("<think>\n用户说「你好」")
    off = post(emu, OPENAI_PATH, {**OPENAI, "thinking": {"type": "disabled"}}).json()
    assert off["choices"][0]["message"]["content"].startswith("你好！")
    m2 = post(emu, OPENAI_PATH, {**OPENAI, "model": "MiniMax-M2.7", "thinking": {"type": "disabled"}}).json()
    assert m2["choices"][0]["message"]["content"].startswith("<think>")  # M2 ignores "disabled"


def test_anthropic_stream_names_every_event_in_order(emu):
    events = sse(post(emu, ANTHROPIC_PATH, {**ANTHROPIC, "stream": True}))
    names = [name for name, _ in events]
    assert all(name == data["type"] for name, data in events)
    assert names[:3] == ["message_start", "ping", "content_block_start"]
    assert names[-3:] == ["content_block_stop", "message_delta", "message_stop"]
    kinds = [d["delta"]["type"] for n, d in events if n == "content_block_delta"]
    assert kinds.index("signature_delta") == kinds.count("thinking_delta")  # after the thinking
    assert events[-2][1]["delta"]["stop_reason"] == "end_turn"


def test_anthropic_accepts_the_sdks_x_api_key_and_openai_does_not(emu):
    assert post(emu, ANTHROPIC_PATH, ANTHROPIC, headers={"x-api-key": KEY}).status_code == 200
    refused = post(emu, OPENAI_PATH, OPENAI, headers={"x-api-key": KEY})
    assert refused.status_code == 401 and refused.json()["error"]["type"] == "authorized_error"


def test_images_are_acknowledged_and_refused_for_a_text_model(emu):
    image = {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG_1x1}"}}
    body = {**OPENAI, "messages": [{"role": "user", "content": [image, image]}]}
    text = post(emu, OPENAI_PATH, body).json()["choices"][0]["message"]["content"]
    assert "- 图片 / images: 2 (image/png 1×1, image/png 1×1)" in text
    refused = post(emu, OPENAI_PATH, {**body, "model": "MiniMax-M2.7"})
    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == ("invalid params, model MiniMax-M2.7 does not "
                                                  "support image input (2013)")


def test_m3_is_refused_on_pro_and_anthropic_needs_max_tokens(emu):
    pro = requests.post(emu.url + PRO_PATH, params={"GroupId": "1"}, headers=AUTH, timeout=10, json={
        "model": "MiniMax-M3", "bot_setting": [{"bot_name": "M", "content": "c"}],
        "messages": [{"sender_type": "USER", "sender_name": "u", "text": "hi"}],
        "reply_constraints": {"sender_type": "BOT", "sender_name": "M"}})
    assert pro.status_code == 200 and pro.json()["base_resp"] == {
        "status_code": 2013, "status_msg": "invalid params, model MiniMax-M3 is not supported by chatcompletion_pro"}
    no_budget = post(emu, ANTHROPIC_PATH, {k: v for k, v in ANTHROPIC.items() if k != "max_tokens"})
    assert no_budget.status_code == 400 and no_budget.json() == {
        "type": "error", "error": {"type": "invalid_request_error",
                                   "message": "invalid params, max_tokens is required (2013)"},
        "request_id": no_budget.headers["Trace-Id"]}


@pytest.mark.parametrize("path, body, kind", [(OPENAI_PATH, OPENAI, "insufficient_balance_error"),
                                              (ANTHROPIC_PATH, ANTHROPIC, "billing_error")])
@pytest.mark.parametrize("stream", [False, True])
def test_a_business_error_is_an_http_status_and_an_error_object(emu, path, body, kind, stream):
    response = post(emu, path, {**body, "stream": stream}, faults="error=1008")
    assert response.status_code == 402 and response.headers["Content-Type"].startswith("application/json")
    detail = response.json()["error"]
    assert (detail["type"], detail["message"]) == (kind, "insufficient balance (1008)")
    minimal = post(emu, path, body, faults="error=1008;minimal").json()
    assert set(minimal) == {"type", "error"}


@pytest.mark.parametrize("path, body", [(OPENAI_PATH, OPENAI), (ANTHROPIC_PATH, ANTHROPIC)])
def test_an_error_inside_the_stream_after_some_output(emu, path, body):
    events = sse(post(emu, path, {**body, "stream": True}, faults="error=2064;after=3"))
    assert len(events) == 4
    name, error = events[-1]
    assert error["type"] == "error" and error["error"]["type"] == "overloaded_error"
    assert error["error"]["message"].endswith("patience. (2064) (529)")
    assert name == ("error" if path == ANTHROPIC_PATH else None)
    only = sse(post(emu, path, {**body, "stream": True}, faults="error=1002;where=stream"))
    assert len(only) == 1 and only[0][1]["error"]["type"] == "rate_limit_error"


@pytest.mark.parametrize("path, body, kind", [(OPENAI_PATH, OPENAI, "overloaded_error"),
                                              (ANTHROPIC_PATH, ANTHROPIC, "overloaded_error")])
def test_an_http_fault_without_a_code(emu, path, body, kind):
    response = post(emu, path, body, faults="http=529")
    assert response.status_code == 529 and response.json()["error"] == {
        "type": kind, "message": "Error", **({"http_code": "529"} if path == OPENAI_PATH else {})}

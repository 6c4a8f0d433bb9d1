"""The MiniMax emulator speaks both chat APIs exactly as docs/minimax-api.md describes.

Fault injection lives in test_emulator_faults.py, the 200-stream load check in
test_emulator_load.py.
"""
from __future__ import annotations

import json

import pytest
import requests

from minimax_backend.emulator import Emulator, EmulatorConfig
from minimax_backend.emulator.checks import PRO_DEFAULT_TOKENS

KEY, GROUP = "test-key", "1234567"
V2, PRO = "/v1/text/chatcompletion_v2", "/v1/text/chatcompletion_pro"
AUTH = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
PERSONA = ("MM智能助理是一款由MiniMax自研的，没有调用其他产品的接口的大型语言模型。"
           "MiniMax是一家中国科技公司，一直致力于进行大模型相关的研究。")
CHUNK_KEYS = ["id", "choices", "created", "model", "object", "input_sensitive", "output_sensitive",
              "input_sensitive_type", "output_sensitive_type", "output_sensitive_int"]


@pytest.fixture(scope="module")
def emu():
    with Emulator(EmulatorConfig(api_keys=(KEY,), group_id=GROUP, interval_ms=0)) as emulator:
        yield emulator


def v2_body(**extra) -> dict:
    return {"model": "abab6.5s-chat", "messages": [{"role": "system", "content": "你是助手"},
                                                   {"role": "user", "content": "你好"}],
            "max_tokens": 1024, "temperature": 0.1, "top_p": 0.95, **extra}


def pro_body(**extra) -> dict:
    return {"bot_setting": [{"bot_name": "MM智能助理", "content": PERSONA}],
            "messages": [{"sender_type": "USER", "sender_name": "小明", "text": "帮我翻译：我是谁"}],
            "reply_constraints": {"sender_type": "BOT", "sender_name": "MM智能助理"},
            "model": "abab6.5s-chat", "tokens_to_generate": 1034, "temperature": 0.01,
            "top_p": 0.95, **extra}


def post(emu, path, body, headers=AUTH, query=None, **kwargs):
    if path == PRO and query is None:
        query = {"GroupId": GROUP}
    return requests.post(emu.url + path, params=query, headers=headers, json=body, timeout=10, **kwargs)


def events(response) -> list:
    """The data: payloads of an SSE body (LF framing), parsed as JSON."""
    raw = response.content.decode("utf-8")
    assert raw.endswith("\n\n")
    blocks = raw[:-2].split("\n\n")
    assert all(b.startswith("data: ") and "\n" not in b for b in blocks), blocks
    return [json.loads(b[len("data: "):]) for b in blocks]


def whole(emu, path, body, **kw) -> dict:
    return post(emu, path, {**body, "stream": False}, **kw).json()


# ---- v2 --------------------------------------------------------------------------------------

def test_v2_stream_default_ends_with_the_whole_reply_again(emu):
    r = post(emu, V2, v2_body(stream=True))
    assert r.status_code == 200 and r.headers["Content-Type"] == "text/event-stream"
    trace = r.headers["Trace-Id"]
    assert len(trace) == 32 and int(trace, 16) >= 0
    evs = events(r)
    chunks, terminal = evs[:-1], evs[-1]
    for ev in chunks:
        assert list(ev) == CHUNK_KEYS and ev["object"] == "chat.completion.chunk"
        assert ev["id"] == trace and ev["model"] == "abab6.5s-chat"
        assert ev["choices"][0]["delta"] == {"content": ev["choices"][0]["delta"]["content"],
                                            "role": "assistant", "name": "MiniMax AI", "audio_content": ""}
    assert all("finish_reason" not in ev["choices"][0] for ev in chunks[:-1])
    finish = chunks[-1]["choices"][0]
    assert finish["finish_reason"] == "stop" and finish["delta"]["content"]  # carries text
    text = "".join(ev["choices"][0]["delta"]["content"] for ev in chunks)
    assert terminal["object"] == "chat.completion" and terminal["id"] == trace
    assert terminal["choices"] == [{"finish_reason": "stop", "index": 0, "message": {
        "content": text, "role": "assistant", "name": "MiniMax AI", "audio_content": ""}}]
    prompt = (len("你是助手") + len("你好") + 1) // 2
    assert terminal["usage"] == {"total_tokens": prompt + len(chunks), "total_characters": 0,
                                 "prompt_tokens": prompt, "completion_tokens": len(chunks)}
    assert terminal["base_resp"] == {"status_code": 0, "status_msg": ""}
    assert text == whole(emu, V2, v2_body())["choices"][0]["message"]["content"]


def test_v2_include_usage_ends_with_a_choiceless_usage_chunk(emu):
    evs = events(post(emu, V2, v2_body(stream=True, stream_options={"include_usage": True})))
    tail = evs[-1]
    assert tail["choices"] == [] and tail["object"] == "chat.completion.chunk"
    assert tail["usage"]["completion_tokens"] == len(evs) - 1
    assert tail["base_resp"] == {"status_code": 0, "status_msg": ""}
    assert evs[-2]["choices"][0]["finish_reason"] == "stop"
    assert all(ev["object"] == "chat.completion.chunk" for ev in evs)


def test_v2_non_stream_body_shape(emu):
    r = post(emu, V2, v2_body())
    body = r.json()
    assert r.headers["Content-Type"].startswith("application/json")
    assert list(body) == ["id", "choices", "created", "model", "object", "usage", "input_sensitive",
                          "output_sensitive", "input_sensitive_type", "output_sensitive_type",
                          "output_sensitive_int", "base_resp"]
    assert body["id"] == r.headers["Trace-Id"] and body["object"] == "chat.completion"
    message = body["choices"][0]["message"]
    assert set(message) == {"content", "role", "name", "audio_content"}
    assert body["usage"]["completion_tokens"] == -(-len(message["content"]) // 4)


def test_reply_text_echoes_and_lists_the_request(emu):
    long = "很长的问题" * 60
    body = v2_body(messages=[{"role": "system", "content": "系统提示" * 30},
                             {"role": "user", "content": "早先"}, {"role": "assistant", "content": "嗯"},
                             {"role": "user", "content": long}], temperature=0.3)
    text = whole(emu, V2, body)["choices"][0]["message"]["content"]
    assert text.startswith("你好！这是 MiniMax 模拟器的离线演示回复")
    assert "offline demo reply from the MiniMax emulator" in text
    assert f"> {long[:199]}…\n" in text
    for line in ("- API: v2", "- 模型 / model: abab6.5s-chat", "- temperature: 0.3", "- top_p: 0.95",
                 "- 最大 token / max tokens: 1024", f"- 系统提示 / system prompt: {('系统提示' * 30)[:59]}…",
                 "- 消息数 / messages: 4", "$E=mc^2$", "```python\n", "1. **粗体 bold**"):
        assert line in text
    assert text == whole(emu, V2, body)["choices"][0]["message"]["content"]  # deterministic
    defaults = whole(emu, V2, {"model": "MiniMax-Text-01", "messages": [{"role": "user", "content": "x"}]})
    assert "- temperature: 0.1（默认 default）" in defaults["choices"][0]["message"]["content"]
    assert "- 最大 token / max tokens: 2048（默认 default）" in defaults["choices"][0]["message"]["content"]


def test_m1_streams_reasoning_content_before_content(emu):
    evs = events(post(emu, V2, v2_body(model="MiniMax-M1", stream=True)))
    deltas = [ev["choices"][0]["delta"] for ev in evs[:-1]]
    thinking = [d for d in deltas if "reasoning_content" in d]
    assert thinking and deltas[:len(thinking)] == thinking  # thinking first
    assert all(d["content"] == "" and d["reasoning_content"] for d in thinking)
    answer = "".join(d["content"] for d in deltas[len(thinking):])
    terminal = evs[-1]
    message = terminal["choices"][0]["message"]
    assert message["content"] == answer and answer.startswith("你好！")
    assert message["reasoning_content"] == "".join(d["reasoning_content"] for d in thinking)
    assert terminal["usage"]["completion_tokens_details"] == {"reasoning_tokens": len(thinking)}
    assert terminal["usage"]["completion_tokens"] == len(deltas)
    body = whole(emu, V2, v2_body(model="MiniMax-M1"))
    assert body["choices"][0]["message"]["reasoning_content"] == message["reasoning_content"]


def test_m2_thinks_inline_with_tags_split_across_chunks(emu):
    evs = events(post(emu, V2, v2_body(model="MiniMax-M2.7", stream=True)))
    pieces = [ev["choices"][0]["delta"]["content"] for ev in evs[:-1]]
    assert pieces[0] == "<thi" and pieces[1].startswith("nk>")
    assert not any("</think>" in p for p in pieces)  # the closing tag is split too
    text = "".join(pieces)
    assert text.startswith("<think>\n用户说「你好」。") and "\n</think>\n\n你好！这是" in text
    assert all("reasoning_content" not in ev["choices"][0]["delta"] for ev in evs[:-1])
    prefix = text[:text.index("</think>\n\n") + len("</think>\n\n")]
    assert evs[-1]["usage"]["completion_tokens_details"] == {"reasoning_tokens": -(-len(prefix) // 4)}


def test_max_tokens_cuts_with_finish_length(emu):
    evs = events(post(emu, V2, v2_body(stream=True, max_tokens=5)))
    assert len(evs) == 6 and evs[4]["choices"][0]["finish_reason"] == "length"
    assert evs[-1]["usage"]["completion_tokens"] == 5
    full = whole(emu, V2, v2_body())["choices"][0]["message"]["content"]
    assert evs[-1]["choices"][0]["message"]["content"] == full[:20]


# ---- pro -------------------------------------------------------------------------------------

def test_pro_stream_intermediate_and_final_frames(emu):
    r = post(emu, PRO, pro_body(stream=True))
    evs = events(r)
    pieces, final = evs[:-1], evs[-1]
    for ev in pieces:
        assert ev == {"created": ev["created"], "model": "abab6.5s-chat", "reply": "",
                      "choices": [{"messages": [{"sender_type": "BOT", "sender_name": "MM智能助理",
                                                 "text": ev["choices"][0]["messages"][0]["text"]}]}],
                      "output_sensitive": False, "request_id": r.headers["Trace-Id"]}
    text = "".join(ev["choices"][0]["messages"][0]["text"] for ev in pieces)
    assert final == {"created": final["created"], "model": "abab6.5s-chat", "reply": text,
                     "choices": [{"finish_reason": "stop", "messages": [
                         {"sender_type": "BOT", "sender_name": "MM智能助理", "text": text}]}],
                     "usage": {"total_tokens": len(pieces) + (len(PERSONA) + len("帮我翻译：我是谁") + 1) // 2},
                     "input_sensitive": False, "output_sensitive": False,
                     "id": r.headers["Trace-Id"], "base_resp": {"status_code": 0, "status_msg": ""}}
    assert "- API: pro" in text and f"- 系统提示 / system prompt: {PERSONA[:59]}…" in text
    assert whole(emu, PRO, pro_body())["reply"] == text


def test_pro_tokens_to_generate_cuts_with_finish_length(emu):
    body = whole(emu, PRO, pro_body(tokens_to_generate=7))
    assert body["choices"][0]["finish_reason"] == "length" and len(body["reply"]) == 28
    no_budget = pro_body()
    del no_budget["tokens_to_generate"]
    filler = whole(emu, PRO, no_budget, headers={**AUTH, "X-MiniMax-Emulator": "chunks=300"})
    assert filler["choices"][0]["finish_reason"] == "length"  # the default 256 cuts
    prompt = (len(PERSONA) + len("帮我翻译：我是谁") + 1) // 2
    assert filler["usage"] == {"total_tokens": PRO_DEFAULT_TOKENS + prompt}


def test_pro_masks_emails_unless_told_not_to(emu):
    ask = [{"sender_type": "USER", "sender_name": "小明", "text": "写信给 ming@example.com"}]
    assert "写信给 ***" in whole(emu, PRO, pro_body(messages=ask))["reply"]
    unmasked = whole(emu, PRO, pro_body(messages=ask, mask_sensitive_info=False))["reply"]
    assert "写信给 ming@example.com" in unmasked


# ---- checks ----------------------------------------------------------------------------------

@pytest.mark.parametrize("headers, query, path, code, message", [
    ({}, None, V2, 1004, "cookie is missing, log in again"),
    ({"Authorization": "Bearer "}, None, V2, 1004, "cookie is missing, log in again"),
    ({"Authorization": "Bearer nope"}, None, V2, 2049, "invalid api key"),
    (AUTH, {}, PRO, 1004, "token not match group"),
    (AUTH, {"GroupId": "999"}, PRO, 1004, "token not match group"),
    (AUTH, {"GroupId": "999"}, V2, 1004, "token not match group"),
])
def test_auth_and_group_refusals(emu, headers, query, path, code, message):
    body = whole(emu, path, pro_body() if path == PRO else v2_body(), headers=headers, query=query)
    assert body["base_resp"] == {"status_code": code, "status_msg": message}
    assert body["choices"] is None


def test_v2_accepts_its_own_group_id(emu):
    body = whole(emu, V2, v2_body(), query={"GroupId": GROUP})
    assert body["base_resp"]["status_code"] == 0


BAD_V2 = [({"temperature": 0}, "temperature"), ({"top_p": 1.5}, "top_p"), ({"max_tokens": 0}, "max_tokens"),
          ({"model": ""}, "model"), ({"messages": []}, "messages"), ({"temperature": "hot"}, "temperature"),
          ({"model": "abab6-chat"}, "model abab6-chat is not supported by chatcompletion_v2")]
BAD_PRO = [({"bot_setting": None}, "bot_setting"), ({"reply_constraints": None}, "reply_constraints"),
           ({"messages": [{"sender_type": "USER", "text": "hi"}]}, "sender_name"),
           ({"reply_constraints": {"sender_type": "BOT", "sender_name": "别人"}}, "reply_constraints"),
           ({"tokens_to_generate": 0}, "tokens_to_generate"), ({"temperature": 0}, "temperature"),
           ({"messages": [{"sender_type": "user", "sender_name": "用户", "text": "hi"}]}, "sender_type"),
           ({"reply_constraints": {"sender_type": "nobody", "sender_name": "MM智能助理"}},
            "reply_constraints.sender_type"),
           ({"model": "MiniMax-M2.7"}, "model MiniMax-M2.7 is not supported by chatcompletion_pro")]


@pytest.mark.parametrize("change, field", BAD_V2)
def test_v2_invalid_params(emu, change, field):
    body = whole(emu, V2, {k: v for k, v in {**v2_body(), **change}.items() if v is not None})
    assert body["base_resp"]["status_code"] == 2013 and body["choices"] is None
    message = body["base_resp"]["status_msg"]
    assert message.startswith("invalid params, ") and field in message
    assert body["usage"] == {"total_tokens": 0, "total_characters": 0, "prompt_tokens": 0,
                             "completion_tokens": 0}


@pytest.mark.parametrize("change, field", BAD_PRO)
def test_pro_invalid_params(emu, change, field):
    body = whole(emu, PRO, {k: v for k, v in {**pro_body(), **change}.items() if v is not None})
    assert body["base_resp"]["status_code"] == 2013 and field in body["base_resp"]["status_msg"]
    assert body["reply"] == "" and body["choices"] is None


def test_refusal_of_a_stream_is_its_only_event(emu):
    r = post(emu, V2, v2_body(stream=True, temperature=0))
    assert r.headers["Content-Type"] == "text/event-stream"
    [only] = events(r)
    assert only["base_resp"]["status_code"] == 2013 and only["choices"] is None


def test_body_that_is_not_json_is_2013(emu):
    r = requests.post(emu.url + V2, data=b"{oops", headers=AUTH, timeout=10)
    assert r.status_code == 200 and r.json()["base_resp"]["status_code"] == 2013


def test_unknown_field_is_a_warning_not_an_error(emu):
    body = whole(emu, V2, v2_body(frequency_penalty=0.5))
    warning = 'Invalid parameters detected, json: unknown field "frequency_penalty"'
    assert body["base_resp"] == {"status_code": 0, "status_msg": warning}
    assert body["choices"][0]["message"]["content"].startswith("你好！")


def test_requests_are_recorded_with_the_key(emu):
    post(emu, V2, v2_body(), headers={**AUTH, "X-Probe": "1"})
    seen = emu.requests[-1]
    assert seen.path == V2 and seen.body == v2_body() and seen.headers["x-probe"] == "1"
    assert seen.api_key == KEY and KEY not in repr(seen)


def test_every_response_has_a_trace_id(emu):
    r = requests.get(emu.url + "/nowhere", timeout=10)
    assert r.status_code == 404 and len(r.headers["Trace-Id"]) == 32


# ---- the seed's snippets, unchanged but for the host ------------------------------------------

def seed_pro(base, group_id, api_key, stream):
    url = f"{base}/v1/text/chatcompletion_pro?GroupId={group_id}"
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {api_key}"}
    payload = {"bot_setting": [{"bot_name": "MM智能助理", "content": PERSONA}],
               "messages": [{"sender_type": "USER", "sender_name": "小明", "text": "帮我用英文翻译下面这句话：我是谁"}],
               "reply_constraints": {"sender_type": "BOT", "sender_name": "MM智能助理"},
               "model": "abab6.5s-chat", "tokens_to_generate": 1034, "temperature": 0.01, "top_p": 0.95}
    if not stream:
        response = requests.request("POST", url, headers=headers, json=payload)
        print(response.status_code)
        print(response.text)
        return response.json()["reply"]
    payload["stream"] = True
    response = requests.post(url, headers=headers, json=payload, stream=True)
    collected = []
    for chunk in response.iter_lines():
        if chunk:
            event = json.loads(chunk.decode("utf-8")[6:])
            print(event)
            if "finish_reason" not in event["choices"][0]:
                collected.append(event["choices"][0]["messages"][0]["text"])
    return "".join(collected)


def seed_v2(base, api_key, stream):
    url = f"{base}/v1/text/chatcompletion_v2"
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {api_key}"}
    payload = {"model": "abab6.5s-chat", "messages": [
        {"role": "system", "content": "MM智能助理是一款由MiniMax自研的..."}, {"role": "user", "content": "你好"}],
        "max_tokens": 1024, "temperature": 0.1, "top_p": 0.95}
    if not stream:
        response = requests.post(url, headers=headers, json=payload)
        return response.json()["choices"][0]["message"]["content"]
    payload["stream"] = True
    response = requests.post(url, headers=headers, json=payload, stream=True)
    collected = []
    for line in response.iter_lines():
        if line:
            event = json.loads(line.decode("utf-8")[6:])
            choice = event["choices"][0]
            if "delta" in choice and choice["delta"].get("content"):
                print(choice["delta"]["content"], end="")
                collected.append(choice["delta"]["content"])
    return "".join(collected)


def test_seed_snippets_work_against_the_emulator(emu):
    pro_text = seed_pro(emu.url, GROUP, KEY, stream=False)
    assert pro_text.startswith("你好！这是 MiniMax 模拟器") and "> 帮我用英文翻译下面这句话：我是谁\n" in pro_text
    assert seed_pro(emu.url, GROUP, KEY, stream=True) == pro_text
    v2_text = seed_v2(emu.url, KEY, stream=False)
    assert "- 系统提示 / system prompt: MM智能助理是一款由MiniMax自研的...\n" in v2_text
    assert seed_v2(emu.url, KEY, stream=True) == v2_text

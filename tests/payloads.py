"""Real-shaped MiniMax stream payloads, as raw bytes (docs/minimax-api.md#v2-stream, #pro-stream)."""
from __future__ import annotations

import json


def sse(*objs: object, eol: str = "\n") -> bytes:
    """Frame objects as MiniMax does: one `data:` line and a blank line each."""
    out = ""
    for obj in objs:
        data = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)
        out += f"data: {data}{eol}{eol}"
    return out.encode("utf-8")


def v2_chunk(content: str, *, finish: str | None = None, reasoning: str | None = None,
             role: str = "assistant") -> dict:
    delta = {"content": content, "role": role, "name": "MiniMax AI", "audio_content": ""}
    if reasoning is not None:
        delta["reasoning_content"] = reasoning
    choice = {"index": 0, "delta": delta}
    if finish:
        choice["finish_reason"] = finish
    return {"id": "0" * 32, "choices": [choice], "created": 1755153113, "model": "MiniMax-M1",
            "object": "chat.completion.chunk", "usage": None}


V2_USAGE = {"total_tokens": 30, "total_characters": 0, "prompt_tokens": 10,
            "completion_tokens": 20, "completion_tokens_details": {"reasoning_tokens": 5}}


def v2_terminal(full: str, finish: str = "stop") -> dict:
    """The default last event: the whole reply again, with usage and base_resp."""
    return {"id": "0" * 32, "choices": [{"finish_reason": finish, "index": 0,
            "message": {"content": full, "role": "assistant", "name": "MiniMax AI",
                        "audio_content": ""}}],
            "created": 1755153113, "model": "MiniMax-M1", "object": "chat.completion",
            "usage": V2_USAGE, "input_sensitive": False, "output_sensitive": False,
            "base_resp": {"status_code": 0, "status_msg": ""}}


def v2_usage_tail() -> dict:
    """The last event with stream_options.include_usage: no choices, usage and base_resp."""
    return {"id": "0" * 32, "choices": [], "object": "chat.completion.chunk",
            "usage": V2_USAGE, "base_resp": {"status_code": 0, "status_msg": ""}}


def pro_event(text: str, *, final_text: str | None = None) -> dict:
    """An intermediate pro event (new text), or the final one (the whole text again)."""
    message = {"sender_type": "BOT", "sender_name": "MM智能助理",
               "text": final_text if final_text is not None else text}
    obj = {"created": 1717905759, "model": "abab6.5s-chat", "reply": "",
           "choices": [{"messages": [message]}], "request_id": "r1"}
    if final_text is not None:
        obj.update(reply=final_text, usage={"total_tokens": 116}, id="1" * 32,
                   input_sensitive=False, output_sensitive=False,
                   base_resp={"status_code": 0, "status_msg": ""})
        obj["choices"][0]["finish_reason"] = "stop"
    return obj


# A v2 reply whose text has multi-byte characters, U+2028 inside the data, an emoji and a
# split <think> tag; the finish chunk carries text, and the terminal frame repeats it all.
V2_PIECES = ["<thi", "nk>先想一想\u2028", "</think>\n\n你好", "，世界 🌏", "！"]
V2_FULL = "".join(V2_PIECES)
V2_STREAM = sse(*(v2_chunk(p) for p in V2_PIECES[:-1]), v2_chunk(V2_PIECES[-1], finish="stop"),
                v2_terminal(V2_FULL))

PRO_PIECES = ["你好", "，我是", "MM智能助理。"]
PRO_STREAM = sse(*(pro_event(p) for p in PRO_PIECES), pro_event("", final_text="".join(PRO_PIECES)))

"""Real-shaped streams of the OpenAI- and Anthropic-compatible endpoints, as raw bytes
(docs/minimax-api.md#openai-compatible, #anthropic-compatible)."""
from __future__ import annotations

import json

SIGNATURE = "db8ecae1e5a63cabebd69d2625983499bb498bfd329dde5c3cede76f12896336"


def named_sse(*objs: dict, eol: str = "\n") -> bytes:
    """Anthropic's framing: an `event:` line naming the type, then the data."""
    return "".join(f"event: {o['type']}{eol}data: {json.dumps(o, ensure_ascii=False)}{eol}{eol}"
                   for o in objs).encode("utf-8")


def openai_chunk(content: str = "", *, thinking_so_far: str | None = None,
                 finish: str | None = None, usage: dict | None = None) -> dict:
    delta: dict = {"content": content, "role": "assistant", "name": "MiniMax AI", "audio_content": ""}
    if thinking_so_far is not None:
        delta["reasoning_details"] = [{"type": "reasoning.text", "id": "reasoning-text-1",
                                       "format": "MiniMax-response-v1", "index": 0,
                                       "text": thinking_so_far}]
    choice: dict = {"index": 0, "delta": delta}
    if finish:
        choice["finish_reason"] = finish
    return {"id": "0" * 32, "choices": [choice], "created": 1780152150, "model": "MiniMax-M3",
            "object": "chat.completion.chunk", "usage": usage}


OPENAI_USAGE = {"total_tokens": 1604, "total_characters": 0, "prompt_tokens": 1365,
                "completion_tokens": 239, "prompt_tokens_details": {"cached_tokens": 114},
                "completion_tokens_details": {"reasoning_tokens": 30}}

# reasoning_split: thinking in cumulative details (a character cut across two chunks' growth,
# U+2028 inside), the answer in content, the last piece on the finish chunk, usage apart.
OPENAI_THINKING = ["先想", "先想一想\u2028", "先想一想\u2028好。"]
OPENAI_ANSWER = ["你好", "，世界 🌏", "！"]
OPENAI_STREAM = (
    b"".join(b"data: " + json.dumps(c, ensure_ascii=False).encode() + b"\n\n" for c in [
        *(openai_chunk(thinking_so_far=t) for t in OPENAI_THINKING),
        openai_chunk(OPENAI_ANSWER[0]), openai_chunk(OPENAI_ANSWER[1]),
        openai_chunk(OPENAI_ANSWER[2], finish="stop"),
        {**openai_chunk(), "choices": [], "usage": OPENAI_USAGE}])
    + b"data: [DONE]\n\n")


def _delta(index: int, **delta: str) -> dict:
    return {"type": "content_block_delta", "index": index, "delta": delta}


ANTHROPIC_EVENTS = [
    {"type": "message_start", "message": {
        "id": "066a3730f92943410551c4b4978ddad1", "type": "message", "role": "assistant",
        "model": "MiniMax-M3", "content": [], "stop_reason": None, "stop_sequence": None,
        "usage": {"input_tokens": 1052, "output_tokens": 0, "cache_creation_input_tokens": 0,
                  "cache_read_input_tokens": 157}}},
    {"type": "ping"},
    {"type": "content_block_start", "index": 0,
     "content_block": {"type": "thinking", "thinking": "", "signature": ""}},
    _delta(0, type="thinking_delta", thinking="用户在问\u2028图片"),
    _delta(0, type="thinking_delta", thinking="。"),
    _delta(0, type="signature_delta", signature=SIGNATURE),
    {"type": "content_block_stop", "index": 0},
    {"type": "content_block_start", "index": 1, "content_block": {"type": "text", "text": ""}},
    _delta(1, type="text_delta", text="这是一张"),
    _delta(1, type="text_delta", text="照片 📷。"),
    {"type": "content_block_stop", "index": 1},
    {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None},
     "usage": {"output_tokens": 214}},
    {"type": "message_stop"},
]
ANTHROPIC_STREAM = named_sse(*ANTHROPIC_EVENTS)
ANTHROPIC_BLOCKS = [{"type": "thinking", "thinking": "用户在问\u2028图片。", "signature": SIGNATURE},
                    {"type": "text", "text": "这是一张照片 📷。"}]

"""The decoding path of the OpenAI- and Anthropic-compatible streams: every byte split, UTF-8
cut anywhere, thinking apart from the answer, the turn to send back, and errors in the stream."""
from __future__ import annotations

import json

import pytest

from minimax_backend import codec_anthropic, codec_openai
from minimax_backend.errors import (
    APIConnectionError,
    QuotaError,
    RateLimitError,
    ServerError,
)
from minimax_backend.reply import decode_stream
from minimax_backend.turns import pack_anthropic, pack_openai, unpack
from minimax_backend.types import Finish, ReasoningDelta, TextDelta, Usage
from tests.compat_payloads import (
    ANTHROPIC_BLOCKS,
    ANTHROPIC_EVENTS,
    ANTHROPIC_STREAM,
    OPENAI_STREAM,
    named_sse,
    openai_chunk,
)

OPENAI_USAGE = Usage(prompt_tokens=1365, completion_tokens=239, reasoning_tokens=30,
                     total_tokens=1604, cached_tokens=114)
OPENAI_DETAILS = [{"type": "reasoning.text", "id": "reasoning-text-1",
                   "format": "MiniMax-response-v1", "index": 0, "text": "先想一想\u2028好。"}]
ANTHROPIC_USAGE = Usage(prompt_tokens=1052 + 157, completion_tokens=214,
                        total_tokens=1052 + 157 + 214, cached_tokens=157)


def collect(codec, chunks, trace_id="t1"):
    events = list(decode_stream(codec, iter(chunks), trace_id))
    text = "".join(e.text for e in events if isinstance(e, TextDelta))
    reasoning = "".join(e.text for e in events if isinstance(e, ReasoningDelta))
    finishes = [e for e in events if isinstance(e, Finish)]
    assert len(finishes) == 1 and events[-1] is finishes[0]
    return text, reasoning, finishes[0]


def test_openai_every_byte_split_gives_the_same_reply():
    raw = pack_openai("你好，世界 🌏！", OPENAI_DETAILS)
    expected = ("你好，世界 🌏！", "先想一想\u2028好。", Finish("stop", raw, OPENAI_USAGE, "t1"))
    for i in range(len(OPENAI_STREAM) + 1):
        assert collect(codec_openai, [OPENAI_STREAM[:i], OPENAI_STREAM[i:]]) == expected, i


def test_anthropic_every_byte_split_gives_the_same_reply():
    expected = ("这是一张照片 📷。", "用户在问\u2028图片。",
                Finish("stop", pack_anthropic(ANTHROPIC_BLOCKS), ANTHROPIC_USAGE, "t1"))
    for i in range(len(ANTHROPIC_STREAM) + 1):
        assert collect(codec_anthropic, [ANTHROPIC_STREAM[:i], ANTHROPIC_STREAM[i:]]) == expected, i


@pytest.mark.parametrize("codec, stream", [(codec_openai, OPENAI_STREAM),
                                           (codec_anthropic, ANTHROPIC_STREAM)])
def test_one_byte_at_a_time_with_crlf_line_ends(codec, stream):
    crlf = stream.replace(b"\n", b"\r\n")
    whole = collect(codec, [stream])
    assert collect(codec, [crlf[i:i + 1] for i in range(len(crlf))]) == whole


def test_openai_inline_think_when_the_server_ignores_reasoning_split():
    chunks = [openai_chunk("<thi"), openai_chunk("nk>想</think>\n\n答"),
              openai_chunk("案", finish="length")]
    text, reasoning, finish = collect(codec_openai, [b"".join(
        b"data: " + json.dumps(c).encode() + b"\n\n" for c in chunks)])
    assert (text, reasoning) == ("答案", "想")
    assert finish.reason == "length" and finish.raw_content == "<think>想</think>\n\n答案"


def test_openai_incremental_reasoning_content_is_appended():
    chunk = openai_chunk()
    chunk["choices"][0]["delta"]["reasoning_content"] = "想"
    text, reasoning, finish = collect(codec_openai, [b"data: " + json.dumps(c).encode() + b"\n\n"
                                                     for c in (chunk, chunk, openai_chunk("好", finish="stop"))])
    assert (text, reasoning, finish.raw_content) == ("好", "想想", "好")


def test_anthropic_reply_without_thinking_is_kept_as_plain_text():
    events = [e for e in ANTHROPIC_EVENTS if e.get("index") != 0]
    text, reasoning, finish = collect(codec_anthropic, [named_sse(*events)])
    assert (text, reasoning, finish.raw_content) == ("这是一张照片 📷。", "", "这是一张照片 📷。")


def test_anthropic_stream_cut_before_message_delta_is_an_error():
    cut = named_sse(*ANTHROPIC_EVENTS[:10])
    with pytest.raises(APIConnectionError, match="ended before the reply was finished"):
        collect(codec_anthropic, [cut])


def test_anthropic_error_event_after_some_text():
    error = {"type": "error", "error": {"type": "overloaded_error", "message":
             "The server cluster is currently under high load. Please retry after a short wait "
             "and thank you for your patience. (2064) (529)"}, "request_id": "r9"}
    shown = []
    with pytest.raises(ServerError) as info:
        for event in decode_stream(codec_anthropic, iter([named_sse(*ANTHROPIC_EVENTS[:9], error)]), "t"):
            shown.append(event)
    assert "".join(e.text for e in shown if isinstance(e, TextDelta)) == "这是一张"
    err = info.value
    assert (err.code, err.http_status, err.trace_id) == (2064, 529, "t")
    assert err.message == ("The server cluster is currently under high load. Please retry after "
                           "a short wait and thank you for your patience.")


def test_openai_error_object_in_the_stream():
    error = {"type": "error", "error": {"type": "rate_limit_error", "message":
             "Token Plan usage limit reached (2056)", "http_code": "429"}, "request_id": "r1"}
    stream = b"data: " + json.dumps(openai_chunk("你")).encode() + b"\n\n" \
        + b"data: " + json.dumps(error).encode() + b"\n\n"
    with pytest.raises(QuotaError) as info:
        list(decode_stream(codec_openai, iter([stream])))
    assert (info.value.code, info.value.http_status, info.value.trace_id) == (2056, 429, "r1")


def test_a_bare_anthropic_error_type_without_a_code():
    stream = named_sse({"type": "error", "error": {"type": "rate_limit_error", "message": "slow down"}})
    with pytest.raises(RateLimitError, match="slow down") as info:
        list(decode_stream(codec_anthropic, iter([stream])))
    assert info.value.code is None


def test_packed_turns_unpack_and_anything_else_is_plain_text():
    anthropic = unpack(pack_anthropic(ANTHROPIC_BLOCKS))
    assert (anthropic.api, anthropic.answer, anthropic.native) == (
        "anthropic", "这是一张照片 📷。", ANTHROPIC_BLOCKS)
    openai = unpack(pack_openai("答", OPENAI_DETAILS))
    assert (openai.api, openai.answer) == ("openai", "答")
    assert openai.native == {"content": "答", "reasoning_details": OPENAI_DETAILS}
    inline = unpack("<think>想</think>\n\n答")
    assert (inline.api, inline.answer, inline.raw) == ("", "答", "<think>想</think>\n\n答")
    forged = json.dumps({"minimax_turn": {"api": "anthropic", "content": [{"type": "tool_use"}]}})
    assert unpack(forged).api == "" and unpack(forged).answer == forged

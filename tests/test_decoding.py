"""The whole decoding path (bytes → SSE → JSON → codec → events) on every stream shape."""
from __future__ import annotations

import pytest

from minimax_backend import codec_pro, codec_v2
from minimax_backend.errors import APIConnectionError, QuotaError, ResponseFormatError
from minimax_backend.reply import decode_stream
from minimax_backend.types import Finish, ReasoningDelta, TextDelta, Usage
from tests.payloads import (
    PRO_PIECES,
    PRO_STREAM,
    V2_FULL,
    V2_STREAM,
    pro_event,
    sse,
    v2_chunk,
    v2_terminal,
    v2_usage_tail,
)

V2_USAGE = Usage(prompt_tokens=10, completion_tokens=20, reasoning_tokens=5, total_tokens=30)


def collect(codec, chunks, trace_id="t1"):
    events = list(decode_stream(codec, iter(chunks), trace_id))
    text = "".join(e.text for e in events if isinstance(e, TextDelta))
    reasoning = "".join(e.text for e in events if isinstance(e, ReasoningDelta))
    finishes = [e for e in events if isinstance(e, Finish)]
    assert len(finishes) == 1 and events[-1] is finishes[0]
    return text, reasoning, finishes[0], events


def test_v2_every_byte_split_gives_the_same_reply():
    expected = ("你好，世界 🌏！", "先想一想\u2028",
                Finish("stop", V2_FULL, V2_USAGE, "t1", "", False))
    for i in range(len(V2_STREAM) + 1):
        text, reasoning, finish, _ = collect(codec_v2, [V2_STREAM[:i], V2_STREAM[i:]])
        assert (text, reasoning, finish) == expected, f"split at byte {i}"


def test_pro_every_byte_split_gives_the_same_reply():
    for i in range(len(PRO_STREAM) + 1):
        text, reasoning, finish, _ = collect(codec_pro, [PRO_STREAM[:i], PRO_STREAM[i:]])
        assert text == "".join(PRO_PIECES) and reasoning == ""
        assert finish == Finish("stop", text, Usage(total_tokens=116), "t1", "", False)


def test_v2_terminal_full_text_frame_is_not_appended():
    text, _, finish, _ = collect(codec_v2, [sse(v2_chunk("ab"), v2_chunk("c", finish="stop"),
                                                v2_terminal("abc"))])
    assert text == "abc" and finish.raw_content == "abc"


def test_v2_text_on_the_finish_chunk_is_kept():
    text, _, finish, _ = collect(codec_v2, [sse(v2_chunk("Hel"), v2_chunk("lo!", finish="length"),
                                                v2_terminal("Hello!", "length"))])
    assert text == "Hello!" and finish.reason == "length"


def test_v2_usage_only_tail_and_done_sentinel():
    stream = sse(v2_chunk("Hi"), v2_chunk(".", finish="stop"), v2_usage_tail(), "[DONE]")
    text, _, finish, events = collect(codec_v2, [stream])
    assert text == "Hi." and finish.usage == V2_USAGE
    assert V2_USAGE in events  # usage is also its own event


def test_v2_without_terminal_frame_or_usage():
    text, _, finish, _ = collect(codec_v2, [sse(v2_chunk("Hi"), v2_chunk("!", finish="stop"))])
    assert text == "Hi!" and finish.usage is None


def test_v2_terminal_frame_recovers_a_tail_never_streamed():
    # Defensive: if a server variant puts the last text only in the terminal frame, we take
    # the missing tail — and still never the whole text twice.
    text, _, _, _ = collect(codec_v2, [sse(v2_chunk("Hel"), v2_chunk("", finish="stop"),
                                           v2_terminal("Hello"))])
    assert text == "Hello"


def test_m1_reasoning_content_is_reasoning_not_text():
    stream = sse(v2_chunk("", reasoning="Let me "), v2_chunk("", reasoning="think."),
                 v2_chunk("Answer", finish="stop"), v2_terminal("Answer"))
    text, reasoning, finish, _ = collect(codec_v2, [stream])
    assert (text, reasoning, finish.raw_content) == ("Answer", "Let me think.", "Answer")


def test_both_reasoning_forms_in_one_reply():
    stream = sse(v2_chunk("", reasoning="field "), v2_chunk("<think>inline</think>\n\nA", finish="stop"))
    _, reasoning, finish, _ = collect(codec_v2, [stream])
    assert reasoning == "field inline" and finish.raw_content == "<think>inline</think>\n\nA"


def test_role_empty_is_accepted():
    text, _, _, _ = collect(codec_v2, [sse(v2_chunk("x", role=""), v2_chunk("y", finish="stop", role=""))])
    assert text == "xy"


def test_error_as_the_only_stream_event():
    error = {"id": "e", "choices": None, "usage": {"total_tokens": 0},
             "base_resp": {"status_code": 1008, "status_msg": "insufficient balance"}}
    with pytest.raises(QuotaError) as info:
        collect(codec_v2, [sse(error)], trace_id="abc")
    assert (info.value.code, info.value.message, info.value.trace_id) == (1008, "insufficient balance", "abc")


def test_error_after_partial_output_keeps_the_partial_events():
    stream = sse(v2_chunk("partial"), {"base_resp": {"status_code": 1027, "status_msg": "output sensitive"}})
    seen = []
    with pytest.raises(Exception) as info:
        for event in decode_stream(codec_v2, iter([stream])):
            seen.append(event)
    assert seen == [TextDelta("partial")] and info.value.code == 1027


def test_warning_with_status_zero_is_not_an_error():
    terminal = v2_terminal("ok")
    terminal["base_resp"] = {"status_code": 0, "status_msg": 'Invalid parameters detected, json: unknown field "x"'}
    _, _, finish, _ = collect(codec_v2, [sse(v2_chunk("ok", finish="stop"), terminal)])
    assert finish.warning == 'Invalid parameters detected, json: unknown field "x"'


def test_soft_block_is_reported_as_filtered():
    terminal = v2_terminal("")
    terminal["output_sensitive"] = True
    _, _, finish, _ = collect(codec_v2, [sse(v2_chunk("", finish="stop"), terminal)])
    assert finish.filtered


def test_stream_that_ends_without_finish_is_an_error():
    with pytest.raises(APIConnectionError, match="ended before"):
        collect(codec_v2, [sse(v2_chunk("half"))])


def test_malformed_event_is_a_clear_error():
    with pytest.raises(ResponseFormatError, match="malformed stream event"):
        collect(codec_v2, [b"data: {not json\n\n"])


def test_pro_final_frame_is_not_appended():
    stream = sse(pro_event("A"), pro_event("B"), pro_event("", final_text="AB"))
    text, _, finish, _ = collect(codec_pro, [stream])
    assert text == "AB" and finish.usage == Usage(total_tokens=116)

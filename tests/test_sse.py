"""SSE decoding from raw bytes, split at every possible place."""
from __future__ import annotations

import json

import pytest

from minimax_backend.sse import iter_sse_data
from tests.payloads import PRO_STREAM, V2_STREAM, sse


def decode(chunks):
    return list(iter_sse_data(iter(chunks)))


def every_split(data: bytes):
    """Two-piece splits at every byte offset, plus one byte at a time."""
    for i in range(len(data) + 1):
        yield [data[:i], data[i:]]
    yield [data[i:i + 1] for i in range(len(data))]


@pytest.mark.parametrize("payload", [V2_STREAM, PRO_STREAM, V2_STREAM.replace(b"\n", b"\r\n"),
                                     V2_STREAM.replace(b"\n", b"\r")],
                         ids=["v2-lf", "pro-lf", "v2-crlf", "v2-cr"])
def test_every_byte_split_yields_the_same_events(payload):
    whole = decode([payload])
    assert len(whole) == payload.count(b"data: ")
    for chunks in every_split(payload):
        assert decode(chunks) == whole


def test_utf8_character_cut_across_reads():
    data = sse({"text": "你好"})
    cut = data.index("好".encode()) + 1  # inside the three bytes of 好
    assert [json.loads(d)["text"] for d in decode([data[:cut], data[cut:]])] == ["你好"]


def test_u2028_inside_data_is_not_a_line_break():
    assert decode([sse({"t": "a\u2028b\u2029c\x85d"})]) == ['{"t": "a\u2028b\u2029c\x85d"}']


def test_crlf_split_between_cr_and_lf():
    assert decode([b"data: 1\r", b"\n\r", b"\ndata: 2\r\n", b"\r\n"]) == ["1", "2"]


def test_comments_and_other_fields_are_ignored():
    assert decode([b": ping\n\nevent: x\nid: 3\ndata: 1\n\n:keep-alive\n\n"]) == ["1"]


def test_multi_line_data_is_joined_with_newline():
    assert decode([b"data: a\ndata: b\n\n"]) == ["a\nb"]


def test_done_sentinel_ends_the_stream():
    assert decode([b"data: 1\n\ndata: [DONE]\n\ndata: 2\n\n"]) == ["1"]


def test_data_without_space_after_colon():
    assert decode([b"data:{}\n\n"]) == ["{}"]

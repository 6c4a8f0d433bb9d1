"""Inline <think> splitting, with tags cut anywhere."""
from __future__ import annotations

import pytest

from minimax_backend.think import ThinkSplitter, split_think

RAW = "<think>\n推理 a<b </thi\n</think>\n\n答案 <think> stays"


def run(pieces):
    splitter = ThinkSplitter()
    reasoning = answer = ""
    for piece in pieces:
        r, a = splitter.feed(piece)
        reasoning, answer = reasoning + r, answer + a
    r, a = splitter.flush()
    return reasoning + r, answer + a


def test_every_two_way_split():
    expected = ("\n推理 a<b </thi\n", "答案 <think> stays")
    for i in range(len(RAW) + 1):
        assert run([RAW[:i], RAW[i:]]) == expected, i


def test_one_character_at_a_time():
    assert run(list(RAW)) == ("\n推理 a<b </thi\n", "答案 <think> stays")


@pytest.mark.parametrize("raw,expected", [
    ("plain answer", ("", "plain answer")),
    ("  <think>x</think>y", ("x", "y")),
    ("<think>cut by max_tokens", ("cut by max_tokens", "")),
    ("<thi", ("", "<thi")),
    ("", ("", "")),
    ("a <think>b</think>", ("", "a <think>b</think>")),
])
def test_whole_replies(raw, expected):
    assert split_think(raw) == expected

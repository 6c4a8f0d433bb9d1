"""Splits M2-style inline thinking (`<think>…</think>` at the start of content) from the answer."""
from __future__ import annotations

OPEN = "<think>"
CLOSE = "</think>"

_START, _THINKING, _ANSWER_LEAD, _ANSWER = range(4)


class ThinkSplitter:
    """Feed raw content pieces; get (reasoning, answer) pieces back, with tags removed.

    A tag may be cut anywhere across pieces, so text that could still become a tag is held
    back until the next piece decides it. Only a `<think>` at the very start of the reply
    (after white space) opens a thinking block: a tag later in an answer is the model
    writing about tags and stays as text.
    """

    def __init__(self) -> None:
        self._state = _START
        self._held = ""

    def feed(self, piece: str) -> tuple[str, str]:
        """Split one piece of raw content into (reasoning, answer) text."""
        text = self._held + piece
        self._held = ""
        reasoning = answer = ""
        if self._state == _START:
            stripped = text.lstrip()
            if stripped.startswith(OPEN):
                self._state, text = _THINKING, stripped[len(OPEN):]
            elif OPEN.startswith(stripped):  # empty, white space, or a cut "<thi"
                self._held = text
                return "", ""
            else:
                self._state = _ANSWER
        if self._state == _THINKING:
            end = text.find(CLOSE)
            if end < 0:
                keep = _partial_suffix(text, CLOSE)
                self._held = text[len(text) - keep:] if keep else ""
                return text[:len(text) - keep], ""
            reasoning, text = text[:end], text[end + len(CLOSE):]
            self._state = _ANSWER_LEAD
        if self._state == _ANSWER_LEAD:
            # M2 puts blank lines between </think> and the answer; they are not the answer.
            text = text.lstrip()
            if not text:
                return reasoning, ""
            self._state = _ANSWER
        answer = text
        return reasoning, answer

    def flush(self) -> tuple[str, str]:
        """Whatever is still held back at the end of the reply."""
        held, self._held = self._held, ""
        if self._state == _THINKING:
            return held, ""  # an unclosed block (cut by max_tokens) is still thinking
        if self._state == _START:
            return "", held.strip() and held
        return "", held


def _partial_suffix(text: str, tag: str) -> int:
    """Length of the longest end of `text` that is a proper start of `tag`."""
    for n in range(min(len(tag) - 1, len(text)), 0, -1):
        if text.endswith(tag[:n]):
            return n
    return 0


def split_think(content: str) -> tuple[str, str]:
    """(reasoning, answer) of a whole reply."""
    splitter = ThinkSplitter()
    r1, a1 = splitter.feed(content)
    r2, a2 = splitter.flush()
    return r1 + r2, a1 + a2

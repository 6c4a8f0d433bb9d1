"""Turns decoded wire pieces into the events a caller sees, one reply at a time.

Each codec decodes a MiniMax frame into a `Piece` (`minimax_backend.types`); `ReplyAssembler` holds what is common to
both APIs: splitting inline `<think>` from the answer, keeping the raw content for the next
request, taking usage from whichever frame carries it, and never appending a full-text frame.
"""
from __future__ import annotations

import json
from typing import Iterable, Iterator

from .cancel import CancelToken
from .dialects import Codec
from .errors import APIConnectionError, ResponseFormatError, check_base_resp, summarize_body
from .sse import iter_sse_data
from .think import ThinkSplitter
from .types import JSON, ChatResult, Finish, Piece, ReasoningDelta, StreamEvent, TextDelta, Usage


class ReplyAssembler:
    """Accumulates one reply from pieces and yields typed events for it."""

    def __init__(self, trace_id: str = "") -> None:
        self.trace_id = trace_id
        self.raw = ""
        self.text = ""
        self.reasoning = ""
        self.finish_reason = ""
        self.usage: Usage | None = None
        self.warnings: list[str] = []
        self.sensitive = False
        self._think = ThinkSplitter()

    def add(self, piece: Piece, warning: str = "") -> Iterator[StreamEvent]:
        """Events for one decoded frame."""
        if warning and warning not in self.warnings:
            self.warnings.append(warning)
        self.sensitive = self.sensitive or piece.sensitive
        if piece.reasoning:
            self.reasoning += piece.reasoning
            yield ReasoningDelta(piece.reasoning)
        content = piece.content
        if piece.full_content is not None and piece.full_content.startswith(self.raw + content):
            # The terminal frame repeats the whole reply. Append only a tail we have not
            # seen (never the whole text again: that doubles the answer).
            content += piece.full_content[len(self.raw) + len(content):]
        if content:
            self.raw += content
            yield from self._split(*self._think.feed(content))
        if piece.finish_reason:
            self.finish_reason = piece.finish_reason
        if piece.usage is not None:
            self.usage = piece.usage
            yield piece.usage

    def finish(self) -> Iterator[StreamEvent]:
        """The closing events; raises if the stream ended before MiniMax said it finished."""
        yield from self._split(*self._think.flush())
        if not self.finish_reason:
            raise APIConnectionError("the stream ended before the reply was finished",
                                     trace_id=self.trace_id)
        yield self._finish()

    def result(self) -> ChatResult:
        """The whole reply, for a non-streaming call."""
        for _ in self._split(*self._think.flush()):
            pass
        return ChatResult(self.text, self.reasoning, self._finish())

    def _split(self, reasoning: str, answer: str) -> Iterator[StreamEvent]:
        if reasoning:
            self.reasoning += reasoning
            yield ReasoningDelta(reasoning)
        if answer:
            self.text += answer
            yield TextDelta(answer)

    def _finish(self) -> Finish:
        return Finish(self.finish_reason or "stop", self.raw, self.usage, self.trace_id,
                      "; ".join(self.warnings), self.sensitive)


def decode_stream(codec: Codec, chunks: Iterable[bytes], trace_id: str = "",
                  cancel: CancelToken | None = None) -> Iterator[StreamEvent]:
    """Raw bytes of one stream in, typed events out: SSE framing, JSON, in-stream errors
    and the codec's frame shapes, with no network involved."""
    assembler = ReplyAssembler(trace_id)
    for data in iter_sse_data(chunks):
        if cancel is not None and cancel.cancelled:
            return
        obj = _loads_event(data, trace_id)
        warning = check_base_resp(obj, trace_id=trace_id)
        yield from assembler.add(codec.decode_event(obj), warning)
    if cancel is None or not cancel.cancelled:
        yield from assembler.finish()


def _loads_event(data: str, trace_id: str) -> JSON:
    try:
        obj = json.loads(data)
    except ValueError:
        raise ResponseFormatError(f"malformed stream event: {summarize_body(data, 80)}",
                                  trace_id=trace_id) from None
    if not isinstance(obj, dict):
        raise ResponseFormatError("malformed stream event: not a JSON object", trace_id=trace_id)
    return obj

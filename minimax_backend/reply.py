"""Turns decoded wire pieces into the events a caller sees, one reply at a time.

Each codec decodes a MiniMax frame into a `Piece` (`minimax_backend.types`); `ReplyAssembler`
holds what is common to every dialect: splitting inline `<think>` from the answer, keeping the
raw turn for the next request (packed by `turns.py` where it is more than text), taking usage
from whichever frames carry it, and never appending a full-text frame.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from .cancel import CancelToken
from .dialects import Codec
from .errors import APIConnectionError, ResponseFormatError, check_body, summarize_body
from .sse import iter_sse_data
from .think import ThinkSplitter
from .turns import pack_anthropic, pack_openai
from .types import JSON, ChatResult, Finish, Piece, ReasoningDelta, StreamEvent, TextDelta, Usage

_BLOCK_FIELDS = {"thinking": ("thinking", "signature"), "text": ("text",)}


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
        self._details: tuple[JSON, ...] | None = None  # OpenAI-compatible reasoning_details
        self._detail_text = ""
        self._blocks: list[JSON] | None = None  # Anthropic-compatible content blocks

    def add(self, piece: Piece, warning: str = "") -> Iterator[StreamEvent]:
        """Events for one decoded frame."""
        if warning and warning not in self.warnings:
            self.warnings.append(warning)
        self.sensitive = self.sensitive or piece.sensitive
        self._keep_native(piece)
        reasoning = piece.reasoning + self._new_detail_text(piece.reasoning_total)
        if reasoning:
            self.reasoning += reasoning
            yield ReasoningDelta(reasoning)
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
            self.usage = self.usage.merged(piece.usage) if self.usage else piece.usage
            yield self.usage

    def _new_detail_text(self, total: str | None) -> str:
        """What `reasoning_details` add: MiniMax's examples treat their text as the thinking
        so far, so only the part past what we have is new (taken whole if it is not)."""
        if not total:
            return ""
        new = total[len(self._detail_text):] if total.startswith(self._detail_text) else total
        self._detail_text = total if total.startswith(self._detail_text) else self._detail_text + total
        return new

    def _keep_native(self, piece: Piece) -> None:
        """Record what the dialect needs back next turn beyond the text."""
        if piece.details is not None:
            self._details = piece.details
        if piece.blocks is not None:
            self._blocks = [dict(b) for b in piece.blocks]
            return
        if piece.block is not None:
            kind = str(piece.block.get("type", ""))
            fresh = {**piece.block, **{name: "" for name in _BLOCK_FIELDS.get(kind, ())}}
            self._blocks = (self._blocks or []) + [fresh]
        if self._blocks and (piece.content or piece.reasoning or piece.signature):
            block = self._blocks[-1]
            for name, value in (("text", piece.content), ("thinking", piece.reasoning),
                                ("signature", piece.signature)):
                if value and name in _BLOCK_FIELDS.get(str(block.get("type")), ()):
                    block[name] = block.get(name, "") + value

    def _raw_turn(self) -> str:
        """The turn to send back: packed if it has thinking the text alone does not carry."""
        if self._blocks and any(b.get("type") != "text" for b in self._blocks):
            return pack_anthropic(self._blocks)
        if self._details:
            full = [{**self._details[0], "text": self._detail_text or self.reasoning},
                    *self._details[1:]] if self._detail_text else list(self._details)
            return pack_openai(self.raw, full)
        return self.raw

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
        return Finish(self.finish_reason or "stop", self._raw_turn(), self.usage, self.trace_id,
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
        warning = check_body(obj, trace_id=trace_id)
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

"""What a response sends, as a lazy script of writes, pauses and drops. No I/O happens here.

`chat_events` lists the JSON frames of a stream in MiniMax's order; `sse_steps` turns frames
into bytes on the wire and weaves in the transport faults (pacing, CRLF, split characters,
comments, [DONE], malformed events, stalls, drops). Both are generators, so a 2000-chunk
stream costs memory for one frame at a time.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from ..models import ANTHROPIC, OPENAI, PRO
from . import frames_anthropic, frames_openai
from .faults import Faults
from .frames import Envelope, dumps, pro_final, pro_piece, v2_completion, v2_delta, v2_usage_tail
from .replies import Reply

MALFORMED = "{not json"
DONE = "[DONE]"
SPLIT_PAUSE = 0.01  # between the parts of a split write, so they arrive in separate reads


@dataclass(frozen=True)
class Write:
    data: bytes


@dataclass(frozen=True)
class Pause:
    """Pacing: a plain sleep."""

    seconds: float


@dataclass(frozen=True)
class Stall:
    """Silence with the connection open; ends early if the client leaves."""

    seconds: float


class Drop:
    """Cut the connection here, without the chunked terminator."""


DROP = Drop()
Step = Write | Pause | Stall | Drop


def _pieces(api: str, env: Envelope, reply: Reply) -> Iterator[dict]:
    if api == OPENAI:
        yield from frames_openai.pieces(env, reply)
        return
    if api == ANTHROPIC:
        yield from frames_anthropic.stream_events(env, reply)
        return
    if api == PRO:
        for text in reply.content:
            yield pro_piece(env, text)
        return
    for text in reply.reasoning:
        yield v2_delta(env, "", reasoning=text)
    for text in reply.content:
        yield v2_delta(env, text)


def chat_events(api: str, env: Envelope, reply: Reply, *, include_usage: bool = False
                ) -> Iterator[dict | str]:
    """Every frame of a successful stream, in order."""
    if api == OPENAI:
        yield from frames_openai.stream_events(env, reply, include_usage=include_usage)
        return
    if api == ANTHROPIC:
        yield from frames_anthropic.stream_events(env, reply)
        return
    if api == PRO:
        yield from _pieces(api, env, reply)
        # The final event repeats the whole text; a client must not append it.
        yield pro_final(env, reply)
        return
    for text in reply.reasoning:
        yield v2_delta(env, "", reasoning=text)
    for text in reply.content[:-1]:
        yield v2_delta(env, text)
    # The finish_reason chunk carries the last piece of text.
    last = reply.content[-1] if reply.content else ""
    yield v2_delta(env, last, finish_reason=reply.finish_reason)
    # Then the whole reply again (default), or a choices-less usage chunk (include_usage).
    yield v2_usage_tail(env, reply) if include_usage else v2_completion(env, reply)


def failing_events(api: str, env: Envelope, reply: Reply, after: int, error: dict) -> Iterator[dict]:
    """`after` chunks of the reply, then an error event: a failure mid-answer."""
    yield from islice(_pieces(api, env, reply), after)
    yield error


def _utf8_cut(data: bytes) -> int | None:
    """An offset inside the first multi-byte character (a continuation byte), if any."""
    for i, byte in enumerate(data):
        if byte & 0xC0 == 0x80:
            return i
    return None


def _writes(data: bytes, cuts: Iterable[int]) -> Iterator[Step]:
    start = 0
    for cut in sorted(set(c for c in cuts if 0 < c < len(data))):
        yield Write(data[start:cut])
        yield Pause(SPLIT_PAUSE)
        start = cut
    yield Write(data[start:])


def _event(payload: dict | str, faults: Faults, named: bool = False) -> Iterator[Step]:
    sep = "\r\n" if faults.crlf else "\n"
    text = payload if isinstance(payload, str) else dumps(payload)
    # Anthropic's stream names each event after its type; the anthropic SDK skips nameless ones.
    name = f"event: {payload.get('type')}{sep}" if named and isinstance(payload, dict) else ""
    data = f"{name}data: {text}{sep}{sep}".encode()
    cuts = []
    if faults.utf8_split and (cut := _utf8_cut(data)) is not None:
        cuts.append(cut)
    if faults.crlf:  # split inside both trailing \r\n pairs: "…\r" | "\n\r" | "\n"
        cuts += [len(data) - 3, len(data) - 1]
    return _writes(data, cuts)


def sse_steps(events: Iterable[dict | str], faults: Faults, interval: float, *,
              named: bool = False) -> Iterator[Step]:
    """The wire script of an event stream; "after n" directives count data events sent.
    `named`: each event gets an `event:` line with its type (Anthropic's stream)."""
    sep = "\r\n" if faults.crlf else "\n"
    sent = 0
    for event in events:
        if sent:
            yield Pause(interval)
        if faults.drop_after is not None and sent >= faults.drop_after:
            yield DROP
            return
        if faults.stall_after == sent:
            yield Stall(faults.stall)
        if faults.malformed_after == sent:
            yield from _event(MALFORMED, faults)
        if faults.comments and sent:
            yield Write(f": ping{sep}{sep}".encode())
        yield from _event(event, faults, named)
        sent += 1
    # A directive counting past the end of the stream fires just before it would close.
    if faults.stall_after is not None and faults.stall_after >= sent:
        yield Stall(faults.stall)
    if faults.malformed_after is not None and faults.malformed_after >= sent:
        yield from _event(MALFORMED, faults)
    if faults.drop_after is not None:
        yield DROP
        return
    if faults.done:
        yield from _event(DONE, faults)


def body_steps(data: bytes, faults: Faults) -> Iterator[Step]:
    """The wire script of a plain body: stall before it, cut it in half, or split a character."""
    if faults.stall_after is not None:
        yield Stall(faults.stall)
    if faults.drop_after is not None:
        yield Write(data[:len(data) // 2])
        yield DROP
        return
    cut = _utf8_cut(data) if faults.utf8_split else None
    yield from _writes(data, [cut] if cut is not None else [])

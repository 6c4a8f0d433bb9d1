"""Server-sent events from raw bytes, via sseclient-py.

sseclient-py splits on bytes before decoding, so a UTF-8 character or a CRLF cut across two
network reads is reassembled, and U+2028 inside data is not taken for a line break (the
pitfalls of `requests`' `iter_lines()`; see docs/minimax-api.md#sse-framing). It also drops
comment lines and joins multi-line `data:` fields with "\n", as the SSE spec says.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator

from sseclient import SSEClient

DONE = "[DONE]"


class _Chunks:
    """Adapts any iterable of byte chunks to the event-source object sseclient expects."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks = chunks
        self._next = iter(chunks)

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        return next(self._next)

    def close(self) -> None:
        close = getattr(self._chunks, "close", None)
        if close:
            close()


def iter_sse_data(chunks: Iterable[bytes]) -> Iterator[str]:
    """The `data` of each event in a byte stream, up to an optional `[DONE]` sentinel."""
    for event in SSEClient(_Chunks(chunks)).events():
        # MiniMax never sends [DONE]; gateways that mimic OpenAI do. Accept both.
        if event.data.strip() == DONE:
            return
        yield event.data

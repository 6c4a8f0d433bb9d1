"""MiniMax's API dialects behind one interface: the `Codec` each implements, and their table.

A dialect differs from another only in its path, its query parameters, how a conversation is
encoded and how frames are decoded; the client's one streaming loop does the rest. Adding a
dialect is a new `codec_<name>.py` module with these five names, plus its entry in `CODECS`
(and its models in `models.py`).
"""
from __future__ import annotations

from typing import Protocol, runtime_checkable

from . import codec_anthropic, codec_openai, codec_pro, codec_v2
from .models import ANTHROPIC, OPENAI, PRO, V2
from .types import JSON, ChatRequest, Piece


@runtime_checkable
class Codec(Protocol):
    """One dialect's wire format; a codec module satisfies it with module-level names."""

    @property
    def PATH(self) -> str:  # noqa: N802 (a module constant)
        """The endpoint, appended to the region's host."""

    def encode(self, request: ChatRequest, stream: bool) -> JSON:
        """The JSON body for `request`."""

    def params(self, group_id: str) -> dict[str, str]:
        """The URL's query parameters."""

    def decode_event(self, obj: JSON) -> Piece:
        """One stream frame (already checked for `base_resp` errors)."""

    def decode_body(self, obj: JSON) -> Piece:
        """A whole non-streaming response body."""


CODECS: dict[str, Codec] = {V2: codec_v2, PRO: codec_pro, OPENAI: codec_openai,
                           ANTHROPIC: codec_anthropic}

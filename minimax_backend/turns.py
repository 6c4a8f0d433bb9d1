"""Assistant turns as MiniMax asks to get them back, kept as one string a caller can store.

MiniMax wants each earlier answer sent back unchanged (docs/minimax-api.md#thinking): on v2
and the OpenAI-compatible endpoint without `reasoning_split`, the content with its `<think>`
part; with `reasoning_split`, the content plus its `reasoning_details`; on the Anthropic-
compatible endpoint, every content block, thinking blocks with their `signature`. The first is
plain text. The other two are packed here into a JSON string, `{"minimax_turn": {...}}`, that
the UI stores like any raw reply; each codec unpacks what its dialect can use and sends the
answer's plain text where it cannot use the rest (a chat switched to another API).
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from .models import ANTHROPIC, OPENAI
from .think import split_think

MARK = "minimax_turn"
_BLOCK_TEXT = {"text": "text", "thinking": "thinking", "redacted_thinking": "data"}


@dataclass(frozen=True)
class Turn:
    """An unpacked assistant turn. `native` is the dialect's own form (Anthropic content
    blocks, or OpenAI `{content, reasoning_details}`), for `api` only."""

    raw: str  # the stored string
    answer: str  # the reply's text without any thinking
    api: str = ""  # "" for a plain-text turn
    native: object = None


def pack_anthropic(blocks: list[dict]) -> str:
    """A turn of Anthropic content blocks (thinking with its signature, text)."""
    return json.dumps({MARK: {"api": ANTHROPIC, "content": blocks}}, ensure_ascii=False,
                      sort_keys=True)


def pack_openai(content: str, details: list[dict]) -> str:
    """A turn of the OpenAI-compatible endpoint with `reasoning_split`: content and details."""
    return json.dumps({MARK: {"api": OPENAI, "content": content, "reasoning_details": details}},
                      ensure_ascii=False, sort_keys=True)


def unpack(raw: str) -> Turn:
    """The turn a stored string holds; anything not packed here is plain text."""
    packed = _packed(raw)
    if packed is None:
        return Turn(raw, split_think(raw)[1] if raw.lstrip().startswith("<think>") else raw)
    if packed["api"] == ANTHROPIC:
        blocks = packed["content"]
        answer = "".join(b["text"] for b in blocks if b["type"] == "text")
        return Turn(raw, answer, ANTHROPIC, blocks)
    return Turn(raw, packed["content"], OPENAI,
                {"content": packed["content"], "reasoning_details": packed["reasoning_details"]})


def _packed(raw: str) -> dict | None:
    """The packed object if `raw` is one of ours and well formed (it may have travelled
    through the visitor's browser, so every field is checked), else None."""
    if not raw.startswith('{"' + MARK + '"'):
        return None
    try:
        obj = json.loads(raw)
    except ValueError:
        return None
    packed = obj.get(MARK) if isinstance(obj, dict) and len(obj) == 1 else None
    if not isinstance(packed, dict):
        return None
    if packed.get("api") == ANTHROPIC and _blocks_ok(packed.get("content")):
        return packed
    if packed.get("api") == OPENAI and isinstance(packed.get("content"), str) \
            and _details_ok(packed.get("reasoning_details")):
        return packed
    return None


def _blocks_ok(blocks: object) -> bool:
    return isinstance(blocks, list) and all(
        isinstance(b, dict) and b.get("type") in _BLOCK_TEXT
        and isinstance(b.get(_BLOCK_TEXT[b["type"]]), str)
        and (b["type"] != "thinking" or isinstance(b.get("signature"), str))
        and all(isinstance(v, str) for v in b.values())
        for b in blocks)


def _details_ok(details: object) -> bool:
    return isinstance(details, list) and all(
        isinstance(d, dict) and all(isinstance(k, str) for k in d) for d in details)

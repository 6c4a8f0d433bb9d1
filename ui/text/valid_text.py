"""Text that can be sent on: lone UTF-16 surrogates found and replaced.

JSON can carry a lone surrogate ("\\udc80") and Python decodes it into a string, but it is no
character: it cannot be encoded as UTF-8. A chat holding one could be sent neither to MiniMax
nor back to the browser (gradio's stream broke without a word, for that message and the
next), so the chat handlers repair it first and say so.
"""
from __future__ import annotations

import re
from typing import Any

REPLACEMENT = "\ufffd"  # what a browser shows for text it cannot read
_SURROGATE = re.compile("[\ud800-\udfff]")


def valid(text: str) -> str:
    """`text` with every lone surrogate replaced by U+FFFD."""
    return _SURROGATE.sub(REPLACEMENT, text)


def repaired(value: Any) -> tuple[Any, bool]:
    """`value` (strings inside lists and dicts, such as a chat history) with lone surrogates
    replaced, and whether there were any; `value` itself when there were none."""
    if isinstance(value, str):
        fixed = valid(value)
        return fixed, fixed != value
    if isinstance(value, (list, tuple)):
        items = [repaired(item) for item in value]
        if any(changed for _, changed in items):
            return [item for item, _ in items], True
        return value, False
    if isinstance(value, dict):
        pairs = {key: repaired(item) for key, item in value.items()}
        if any(changed for _, changed in pairs.values()):
            return {key: item for key, (item, _) in pairs.items()}, True
        return value, False
    return value, False

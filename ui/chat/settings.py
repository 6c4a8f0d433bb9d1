"""The nine settings of a chat as one value: what the settings panel shows, what a
conversation keeps, and what a request is built from.

Each field's range is declared once, here, and checked whenever a value is made. The page's
values are untrusted (a script can send anything): `ChatSettings.from_page` reads them
leniently (a slider's 2048.0 is 2048, a missing text is "") and raises ValidationError
naming the field. Import (`ui/conversations/export.py`) checks a file against the same ranges.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from minimax_backend.models import APIS, DEFAULT_MODEL, V2, spec_for
from minimax_backend.types import (
    DEFAULT_BOT_NAME,
    DEFAULT_USER_NAME,
    MAX_MODEL_CHARS,
    MAX_NAME_CHARS,
    THINK_ADAPTIVE,
    THINKING,
    check_model_name,
)

from ..protect.limits import SYSTEM_CHARS
from ..text.advice import refused


@dataclass(frozen=True)
class Span:
    """Where a number may lie: from `low` (excluded when `low_open`) to `high`."""

    low: float
    high: float
    low_open: bool = False

    def holds(self, value: float) -> bool:
        return (self.low < value if self.low_open else self.low <= value) and value <= self.high


UNIT = Span(0, 1, low_open=True)  # temperature and top_p: MiniMax refuses 0 (error 2013) and > 1
TEXT_CHARS = {"model": MAX_MODEL_CHARS, "system": SYSTEM_CHARS.default,
              "bot_name": MAX_NAME_CHARS, "user_name": MAX_NAME_CHARS}


def max_tokens_span(model: str) -> Span:
    """The reply lengths `model` allows, in tokens."""
    return Span(1, spec_for(model).max_output_tokens)


_DEFAULT = spec_for(DEFAULT_MODEL[V2])


@dataclass(frozen=True)
class ChatSettings:
    """The settings a reply is asked with; valid once made (ValidationError otherwise)."""

    api: str = V2
    model: str = DEFAULT_MODEL[V2]
    system: str = ""
    temperature: float = _DEFAULT.default_temperature
    top_p: float = _DEFAULT.default_top_p
    max_tokens: int = _DEFAULT.default_max_tokens
    bot_name: str = DEFAULT_BOT_NAME  # pro only
    user_name: str = DEFAULT_USER_NAME  # pro only
    # "adaptive" or "off"; sent only to a model that can turn it off (`spec.thinking_switch`)
    thinking: str = THINK_ADAPTIVE

    def __post_init__(self) -> None:
        if self.thinking not in THINKING:
            raise refused("thinking", "one_of", allowed=THINKING, got=self.thinking)
        if self.api not in APIS:
            raise refused("api", "unknown_api", allowed=APIS, got=self.api)
        for name, limit in TEXT_CHARS.items():
            value = getattr(self, name)
            if not isinstance(value, str):
                raise refused(name, "field_text")
            if name == "model" and value.strip():  # in words that say what a name may hold
                check_model_name(value)
            if len(value) > limit:
                raise refused(name, "system_too_long" if name == "system" else "too_many_chars",
                              limit=limit)
        if not self.model.strip():
            raise refused("model", "no_model")
        for name in ("temperature", "top_p"):
            value = getattr(self, name)
            if not _is_number(value) or not UNIT.holds(value):
                raise refused(name, "unit_interval", got=value)
        span = max_tokens_span(self.model)
        if isinstance(self.max_tokens, bool) or not isinstance(self.max_tokens, int) \
                or not span.holds(self.max_tokens):
            raise refused("max_tokens", "token_range", limit=span.high, model=self.model,
                          got=self.max_tokens)

    @classmethod
    def from_page(cls, values: Mapping[str, Any]) -> ChatSettings:
        """The settings panel's values, by field name; raises ValidationError naming one."""
        return cls(api=_text(values.get("api")), model=_text(values.get("model")).strip(),
                   system=_text(values.get("system")),
                   temperature=_number("temperature", values.get("temperature")),
                   top_p=_number("top_p", values.get("top_p")),
                   max_tokens=_whole("max_tokens", values.get("max_tokens")),
                   bot_name=_text(values.get("bot_name")).strip(),
                   user_name=_text(values.get("user_name")).strip(),
                   thinking=_text(values.get("thinking")) or THINK_ADAPTIVE)

    @property
    def thinking_off(self) -> bool:
        """True when the visitor turned thinking off for a model that allows it."""
        return self.thinking != THINK_ADAPTIVE and spec_for(self.model).thinking_switch

    def as_dict(self) -> dict[str, Any]:
        """The settings as a stored conversation keeps them."""
        return asdict(self)


FIELDS = tuple(field.name for field in fields(ChatSettings))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _number(name: str, value: Any) -> float:
    try:
        number = float(value) if not isinstance(value, bool) else math.nan
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):
        raise refused(name, "not_a_number")
    return number


def _whole(name: str, value: Any) -> int:
    number = _number(name, value)
    if not number.is_integer():
        raise refused(name, "not_whole")
    return int(number)

"""MiniMax's pay-as-you-go text prices, per model and region, as read on `CHECKED`.

A dated copy of MiniMax's own price pages, per million tokens: input (not read from the
cache), output, cache read and cache write. A model or region missing here has no price we
could read: the app then shows its tokens and no estimate, never a guess. Update the rows and
`CHECKED` together; README ("What a chat costs") names the same source and date.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

CHECKED = "2026-11-30"
SOURCES = {
    "cn": "https://platform.minimaxi.com/docs/guides/pricing-paygo",
    # This page could not be opened from here: its rows are as quoted from it by
    # promptfoo.dev/docs/providers/minimax (input, output, cache read of M2.7 and M2.5 and
    # their highspeed models), getagentseal/codeburn#118 (M2.7's cache write) and LiteLLM's
    # M2.5 post (M2.5's cache write), all read on `CHECKED`. Every one is the mainland row / 7.
    "global": "https://platform.minimax.io/docs/guides/pricing-paygo",
}
CURRENCIES = {"cn": "CNY", "global": "USD"}
SYMBOLS = {"CNY": "¥", "USD": "$"}


@dataclass(frozen=True)
class Price:
    """One model's prices in one region, per million tokens, in `currency`."""

    currency: str
    input: Decimal
    output: Decimal
    cache_read: Decimal | None = None  # None: MiniMax lists no cache price for the model
    cache_write: Decimal | None = None


def _row(region: str, *values: str | None) -> Price:
    numbers = [Decimal(v) if v is not None else None for v in values]
    return Price(CURRENCIES[region], *numbers)  # type: ignore[arg-type]


# model -> region -> price. Mainland: 元/百万 tokens; international: US$ per million tokens.
# MiniMax-M3, the M2.1 / M2 rows and the legacy models are absent: no MiniMax page we could
# read lists their pay-as-you-go price.
TABLE: dict[str, dict[str, Price]] = {
    "MiniMax-M2.7": {"cn": _row("cn", "2.1", "8.4", "0.42", "2.625"),
                     "global": _row("global", "0.3", "1.2", "0.06", "0.375")},
    "MiniMax-M2.7-highspeed": {"cn": _row("cn", "4.2", "16.8", "0.42", "2.625"),
                               "global": _row("global", "0.6", "2.4", "0.06", "0.375")},
    "MiniMax-M2.5": {"cn": _row("cn", "2.1", "8.4", "0.21", "2.625"),
                     "global": _row("global", "0.3", "1.2", "0.03", "0.375")},
    "MiniMax-M2.5-highspeed": {"cn": _row("cn", "4.2", "16.8", "0.21", "2.625"),
                               "global": _row("global", "0.6", "2.4", "0.03", "0.375")},
}


def price_of(model: str, region: str) -> Price | None:
    """The price of `model` in `region`, or None when we could not read one."""
    return TABLE.get(model, {}).get(region)

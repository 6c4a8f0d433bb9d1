"""What a reply and a chat cost, estimated from `prices.TABLE`, and when each message was sent.

A reply's note carries its facts for the page to keep: its token counts with the model and
region that priced them (`usage`), when its message was sent (`sent`) and when it ended
(`at`), as JSON in a `data-facts` attribute of a span at the end of the note. The span also
shows what is derived from them (the cost line, the times); it is rebuilt, never parsed as
text, so a reopened chat shows the same estimate in the visitor's language. The facts come
back from the browser: `usage_of` and `time_of` check every field.
"""
from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from minimax_backend import REGIONS, Usage

from ..text.strings import text
from .prices import CHECKED, SYMBOLS, price_of

COUNTS = ("prompt", "completion", "cached", "cache_write", "reasoning", "total")
MAX_COUNT = 10**9
MODEL_CHARS = 64
PLACES = Decimal("0.0001")  # amounts are shown to a hundredth of a cent / fen
_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
_EXTRA = re.compile(r"<span class=\"mm-more\" data-facts='([^']*)'>.*</span>$", re.DOTALL)
# JSON's own escapes for what markup or the attribute's quotes would read: the facts are then
# parsed with no HTML unescaping (which cost most of the time of a long chat's totals).
_JSON_SAFE = str.maketrans({"&": "\\u0026", "<": "\\u003c", ">": "\\u003e", "'": "\\u0027"})


def usage_record(usage: Usage | None, model: str, region: str) -> dict | None:
    """A reply's usage as stored, or None when MiniMax reported none."""
    if usage is None or not (usage.prompt_tokens or usage.completion_tokens or usage.total_tokens):
        return None
    return {"prompt": usage.prompt_tokens, "completion": usage.completion_tokens,
            "cached": usage.cached_tokens, "cache_write": usage.cache_write_tokens,
            "reasoning": usage.reasoning_tokens,
            "total": max(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens),
            "model": model[:MODEL_CHARS], "region": region}


def usage_of(value: Any) -> dict | None:
    """`value` as a stored usage, or None if it is not one (every count an int in range)."""
    if not isinstance(value, dict) or value.get("region") not in REGIONS \
            or not isinstance(value.get("model"), str) or len(value["model"]) > MODEL_CHARS:
        return None
    counts = {name: value.get(name, 0) for name in COUNTS}
    if any(isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_COUNT
           for n in counts.values()):
        return None
    return {**counts, "model": value["model"], "region": value["region"]}


def time_of(value: Any) -> str | None:
    """`value` if it is a UTC time as stored ("2026-11-30T21:30:05Z"), else None."""
    return value if isinstance(value, str) and _TIME.match(value) else None


def reply_cost(usage: dict) -> tuple[str, Decimal] | None:
    """(currency, amount) of one reply, or None when its price is unknown: a model or region
    missing from the table, or only a total (the pro API), which cannot be split into input
    and output. Cached prompt tokens are priced at MiniMax's cache prices where it lists them."""
    price = price_of(usage["model"], usage["region"])
    if price is None or not (usage["prompt"] or usage["completion"]):
        return None
    cached, written = usage["cached"], usage["cache_write"]
    plain = max(usage["prompt"] - cached - written, 0)  # prompt_tokens counts both in
    amount = (plain * price.input + usage["completion"] * price.output
              + cached * (price.cache_read if price.cache_read is not None else price.input)
              + written * (price.cache_write if price.cache_write is not None else price.input))
    return price.currency, amount / 1_000_000


def money(currency: str, amount: Decimal) -> str:
    """"¥0.0123"; "<¥0.0001" for a cost too small to show."""
    symbol = SYMBOLS.get(currency, currency + " ")
    rounded = amount.quantize(PLACES, rounding=ROUND_HALF_UP)
    if amount > 0 and rounded == 0:
        return f"<{symbol}{PLACES}"
    return f"{symbol}{rounded}"


@dataclass
class Totals:
    """What the replies of a chat add up to: tokens, cost per currency, and how many replies
    had tokens but no known price."""

    tokens: int = 0
    amounts: dict[str, Decimal] = field(default_factory=dict)
    unpriced: int = 0

    def add(self, usage: dict | None) -> None:
        if usage is None:
            return
        self.tokens += usage["total"]
        cost = reply_cost(usage)
        if cost is None:
            self.unpriced += 1
        else:
            self.amounts[cost[0]] = self.amounts.get(cost[0], Decimal(0)) + cost[1]

    def shown(self) -> str:
        """The amounts, e.g. "¥0.0123" or "¥0.0123 + $0.0010"."""
        return " + ".join(money(c, a) for c, a in sorted(self.amounts.items()))

    def as_export(self) -> dict:
        """The chat's estimate and its basis, as an exported file states them."""
        return {"tokens": self.tokens,
                "amounts": {c: str(a.quantize(PLACES, rounding=ROUND_HALF_UP))
                            for c, a in sorted(self.amounts.items())},
                "unpriced_replies": self.unpriced, "prices_checked": CHECKED,
                "prices_source": "ui/chat/prices.py (MiniMax pay-as-you-go pages)"}


def totals(usages: Iterable[dict | None]) -> Totals:
    """The totals of `usages` (None for a reply without one)."""
    found = Totals()
    for usage in usages:
        found.add(usage)
    return found


def cost_line(usage: dict | None, earlier: Totals, lang: str) -> str:
    """This reply's estimate and the chat's running total (the replies before it, and it)."""
    if usage is None:
        return ""
    chat = Totals(earlier.tokens, dict(earlier.amounts), earlier.unpriced)
    chat.add(usage)
    cost = reply_cost(usage)
    parts = [text("cost_reply", lang, amount=money(*cost)) if cost else
             text("cost_unknown", lang, model=usage["model"])]
    total = text("cost_chat", lang, tokens=f"{chat.tokens:,}")
    if chat.amounts:
        total += text("cost_chat_amount", lang, amount=chat.shown())
        if chat.unpriced:
            total += text("cost_unpriced", lang, count=chat.unpriced)
    parts.append(total)
    if chat.amounts:
        parts.append(text("cost_basis", lang, date=CHECKED))
    return " · ".join(parts)


def _time(value: str) -> str:
    """A `<time>` the page script shows in the visitor's zone; UTC until it runs."""
    return f'<time class="mm-time" datetime="{value}">{value[11:16]} UTC</time>'


def note_extra(facts: dict, earlier: Totals, lang: str) -> str:
    """The end of a reply's note: its facts (kept by the page) and what they show."""
    facts = {k: v for k, v in facts.items() if v}
    if not facts:
        return ""
    shown = []
    line = cost_line(facts.get("usage"), earlier, lang)
    if line:
        # "$" as an entity: two of them in a line would otherwise be read as inline math.
        escaped = html.escape(line, quote=False).replace("$", "&#36;")
        shown.append(f'<span class="mm-cost">{escaped}</span>')
    sent, done = facts.get("sent"), facts.get("at")
    if sent or done:
        words = text("time_line", lang, sent=_time(sent) if sent else "–",
                     done=_time(done) if done else "–")
        shown.append(f'<span class="mm-when">{words}</span>')
    data = json.dumps(facts, separators=(",", ":")).translate(_JSON_SAFE)
    return f'<span class="mm-more" data-facts=\'{data}\'>{"<br>" if shown else ""}{"<br>".join(shown)}</span>'


def split_extra(body: str) -> tuple[str, dict]:
    """A note's body without its facts span, and the valid facts it held."""
    found = _EXTRA.search(body)
    if found is None:
        return body, {}
    try:
        raw = json.loads(found.group(1))
    except ValueError:
        raw = None
    facts: dict = {}
    if isinstance(raw, dict):
        usage, sent, done = usage_of(raw.get("usage")), time_of(raw.get("sent")), time_of(raw.get("at"))
        facts = {k: v for k, v in (("usage", usage), ("sent", sent), ("at", done)) if v}
    return body[:found.start()], facts

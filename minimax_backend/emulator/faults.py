"""Fault directives: the test-only grammar that makes the emulator misbehave on purpose.

A directive string is `;`-separated items, each `key=value` or a bare flag, for example
`error=1008;after=3`, `drop_after=5` or `http=502;html;retry_after=7`. It reaches the emulator
through the `X-MiniMax-Emulator` request header, the emulator-wide default, or the one-shot
queue; chat text never can. A typo is a test bug, so anything unknown is refused loudly.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, fields

HEADER = "X-MiniMax-Emulator"


class FaultSyntaxError(ValueError):
    """A directive string the emulator does not understand."""


@dataclass(frozen=True)
class Faults:
    """One request's parsed directives; the defaults mean "behave like MiniMax"."""

    error: int | None = None  # business error code to answer with
    where: str | None = None  # "body" (plain JSON) or "stream" (one data: event)
    minimal: bool = False  # error body is only {"base_resp": ...}
    after: int = 0  # with error: that many chunk events first
    http: int | None = None  # answer with this HTTP status instead
    html: bool = False  # with http: a gateway's HTML page
    text: bool = False  # with http: a text/plain body
    retry_after: int | None = None  # with http: a Retry-After header
    echo_auth: int | None = None  # with http or error: n characters, then the key the request
    # carried (its Authorization token), as the error's text; the Trace-Id is that key too
    drop_after: int | None = None  # cut the connection after n events
    stall_after: int | None = None  # go silent after n events ...
    stall: float = 3600.0  # ... for this many seconds
    stall_before_headers: float = 0.0
    interval_ms: float | None = None  # pacing between events
    chunks: int | None = None  # exactly n content chunks (filler text)
    chunk_chars: int | None = None  # characters per content chunk
    utf8_split: bool = False  # cut multi-byte characters across network writes
    crlf: bool = False  # \r\n line ends, written split inside the pairs
    done: bool = False  # end with data: [DONE]
    comments: bool = False  # ": ping" comment lines between events
    malformed_after: int | None = None  # a `data: {not json` event after n events
    soft_block: str | None = None  # "input" or "output": status 0 but flagged
    role_empty: bool = False  # role "" in v2 deltas (seen from MiniMax-M2.5)
    times: int | None = None  # apply only to the first k requests with the same key
    key: str | None = None
    source: str = ""  # the text these were parsed from


NO_FAULTS = Faults()

_CHOICES = {"where": ("body", "stream"), "soft_block": ("input", "output")}
# The smallest value each numeric directive accepts.
_MINIMUM = {"error": 1, "http": 100, "chunks": 1, "chunk_chars": 1, "times": 1}
_TRUE, _FALSE = ("", "1", "true", "yes", "on"), ("0", "false", "no", "off")
_TYPES = {f.name: f.type for f in fields(Faults) if f.name != "source"}


def _convert(name: str, value: str) -> object:
    kind = _TYPES[name]
    if kind == "bool":
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise FaultSyntaxError(f"{name} is a flag: write it bare or as {name}=0/1 (got {value!r})")
    if not value:
        raise FaultSyntaxError(f"{name} needs a value, e.g. {name}=1")
    if name in _CHOICES:
        if value not in _CHOICES[name]:
            raise FaultSyntaxError(f"{name} must be one of {'|'.join(_CHOICES[name])} (got {value!r})")
        return value
    if name == "key":
        return value
    try:
        number = float(value) if "float" in kind else int(value)
    except ValueError:
        raise FaultSyntaxError(f"{name} needs a number (got {value!r})") from None
    if number < _MINIMUM.get(name, 0):
        raise FaultSyntaxError(f"{name} must be at least {_MINIMUM.get(name, 0)} (got {value!r})")
    return number


def parse_faults(text: str | None) -> Faults:
    """Parse a directive string; raise FaultSyntaxError naming the first bad item."""
    values: dict[str, object] = {}
    for item in (text or "").split(";"):
        name, _, value = item.strip().partition("=")
        name, value = name.strip(), value.strip()
        if not name:
            continue
        if name not in _TYPES:
            raise FaultSyntaxError(f"unknown emulator directive {name!r} in {text!r}; "
                                   f"known: {', '.join(sorted(_TYPES))}")
        values[name] = _convert(name, value)
    for needs, what in (("after", "error"), ("where", "error"), ("minimal", "error"),
                        ("html", "http"), ("text", "http"), ("retry_after", "http")):
        if needs in values and what not in values:
            raise FaultSyntaxError(f"{needs} only makes sense together with {what}=")
    if "echo_auth" in values and not ("http" in values or "error" in values):
        raise FaultSyntaxError("echo_auth only makes sense together with http= or error=")
    if not values:
        return NO_FAULTS
    return Faults(**values, source=(text or "").strip())  # type: ignore[arg-type]  # parsed per field above


class FaultCounter:
    """How many requests each `times=`/`key=` fault has hit, so a retry can succeed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}

    def applies(self, faults: Faults) -> bool:
        """Count this request; True while the fault's budget of `times` lasts."""
        if faults.times is None:
            return True
        key = faults.key if faults.key is not None else faults.source
        with self._lock:
            self._counts[key] = self._counts.get(key, 0) + 1
            return self._counts[key] <= faults.times

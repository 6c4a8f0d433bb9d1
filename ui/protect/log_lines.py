"""One log line per event: values escaped, lines bounded, tracebacks folded into the line.

A visitor controls much of what reaches the log (a model name, a malformed request that makes
gradio raise), so no value may start a line of its own, and no request may write more than
`MAX_LINE_CHARS`. `ui.protect.logs.Redactor` applies `line` to every record after masking
keys (masking first: a cut could leave a key's prefix no pattern recognises). Gradio prints
the traceback of every failed request with `traceback.print_exc()`, past the logging system
and its masking; `route_printed_tracebacks` sends those through it, as one line too.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import traceback
from typing import Any

MAX_LINE_CHARS = 2_000
# Line breaks of every kind (\n, \r, NEL, U+2028/9), other control characters, and lone
# surrogates, which a UTF-8 log cannot even be written with.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_PLAIN = re.compile(r"[A-Za-z0-9._:/+-]{1,200}")


def _escape(match: re.Match) -> str:
    char = match.group()
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char) or f"\\u{ord(char):04x}"


def one_line(text: str) -> str:
    """`text` with every line break and control character written as an escape."""
    return _UNSAFE.sub(_escape, text)


def bounded(text: str, limit: int = MAX_LINE_CHARS) -> str:
    """`text`, cut to `limit` characters with a note of how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [{len(text) - limit} more characters]"


def field(value: Any) -> str:
    """A value for a `name=value` log field: as is when plain, else quoted and escaped, so it
    can neither add a field nor start a line."""
    text = str(value)
    return text if _PLAIN.fullmatch(text) else json.dumps(bounded(text, 200))


def summary(exc_info: Any) -> str:
    """An exception as `Type: message`, for a line instead of a traceback."""
    exc = exc_info[1] if isinstance(exc_info, tuple) else exc_info
    if not isinstance(exc, BaseException):
        return ""
    name = type(exc).__qualname__
    return f"{name}: {exc}" if str(exc) else name


def line(text: str) -> str:
    """`text` as one bounded log line."""
    return bounded(one_line(text))


def _print_exc_to_log(limit: int | None = None, file: Any = None, chain: bool = True) -> None:
    """`traceback.print_exc`, as a log record of the calling module (one line by default)."""
    if file is not None and file is not sys.stderr:  # someone asked for that stream: keep it
        return _PRINT_EXC(limit=limit, file=file, chain=chain)
    caller = sys._getframe(1).f_globals.get("__name__", "traceback")
    logging.getLogger(caller).error("request failed", exc_info=sys.exc_info())


_PRINT_EXC = traceback.print_exc


def route_printed_tracebacks() -> None:
    """Make `traceback.print_exc()` (how gradio reports a failed request) log instead of
    print, so its lines are masked and shaped like every other."""
    traceback.print_exc = _print_exc_to_log
    logging.captureWarnings(True)  # gradio's per-request warnings: through the log as well

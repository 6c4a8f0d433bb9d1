"""Useful, redacted logs: one line per reply, and no key in any line.

`log_reply` writes what a host needs to answer "why did my reply fail" (a short session id,
model, API, timings, tokens, outcome, MiniMax code and trace id) and nothing a visitor wrote.
`install_redaction` makes every log record mask bearer tokens, anything shaped like an API
key, and the configured key values literally, as defence in depth: no code path is meant to
log a key in the first place.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Callable, Iterable
from typing import Any

from .log_lines import field, line, summary

log = logging.getLogger("minimax_chat.replies")

MASK = "[redacted]"
_PATTERNS = [
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]{8,}"),
    re.compile(r"(?i)((?:api[_-]?key|authorization|token|secret)[\"']?\s*[:=]\s*[\"']?)[^\s\"',;]{8,}"),
    re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}(?:\.[A-Za-z0-9_-]+)?"),  # a JWT
    re.compile(r"\bsk-[A-Za-z0-9_-]{8,}"),
]
KEY_VARIABLES = ("MINIMAX_API_KEY",)
_TRUE = ("1", "true", "yes", "on")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with the given secret values and anything key-shaped masked."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, MASK)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + MASK, text)
    return text


class Redactor:
    """A log-record factory wrapper that redacts each record as it is created, so every
    logger and handler (the app's, gradio's, uvicorn's, httpx's, added before or after) gets
    the masked text, on one bounded line (`log_lines.line`); a traceback, kept only when
    asked for, is formatted and masked then too."""

    def __init__(self, secrets: Iterable[str] = (), keep_tracebacks: bool = False) -> None:
        self.secrets = {s for s in secrets if s}
        self.keep_tracebacks = keep_tracebacks  # else a traceback is one `Type: message`
        self._factory: Callable[..., logging.LogRecord] | None = None

    def add(self, secret: str) -> None:
        """Also mask this value literally (the configured keys). A visitor's own key is never
        logged by the app; should a library log one, the key-shape patterns mask it."""
        if secret:
            self.secrets.add(secret)

    def __call__(self, *args: Any, **kwargs: Any) -> logging.LogRecord:
        factory = self._factory or logging.getLogRecordFactory()
        record = factory(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must still be logged
            message = f"{record.msg} {record.args}"
        if record.exc_info and not self.keep_tracebacks:
            message, record.exc_info = f"{message} | {summary(record.exc_info)}", None
        record.msg, record.args = line(redact(message, self.secrets)), None
        if record.exc_info:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info),
                                     self.secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        return record

    def install(self) -> Redactor:
        if self._factory is None:
            self._factory = logging.getLogRecordFactory()
            logging.setLogRecordFactory(self)
        return self


_REDACTOR = Redactor()


def redact_known(text: str) -> str:
    """`text` with the configured keys and key-shaped strings masked (for visible messages)."""
    return redact(text, _REDACTOR.secrets)


def install_redaction(env: Any = None) -> Redactor:
    """Mask the configured keys (MINIMAX_API_KEY) and key-shaped text in every log line, one
    line per record; a traceback folds into its line unless APP_LOG_TRACEBACKS is on. (The
    tracebacks gradio prints reach the log through `log_lines.route_printed_tracebacks`.)"""
    env = os.environ if env is None else env
    for name in KEY_VARIABLES:
        _REDACTOR.add((env.get(name) or "").strip())
    _REDACTOR.keep_tracebacks = (env.get("APP_LOG_TRACEBACKS") or "").strip().lower() in _TRUE
    return _REDACTOR.install()


def short_id(session: str) -> str:
    """A stable 8-character stand-in for a session hash (the hash itself is a credential
    for the session's queue stream)."""
    return hashlib.sha256(session.encode()).hexdigest()[:8]


def outcome(reply: Any) -> str:
    """How a reply ended: ok (or MiniMax's finish reason), stopped, cut_off, or an error kind."""
    if reply.error is not None:
        return getattr(reply.error, "kind", "bug")
    if reply.stopped:
        return "stopped"
    if reply.finish is None:
        return "cut_off"
    return "ok" if reply.finish.reason == "stop" else reply.finish.reason


def log_finished(session: str, request: Any, reply: Any, tokens: int, estimated: bool) -> None:
    """The one log line of a finished reply (`ui.chat.reply.Reply`, `ChatRequest`)."""
    err = reply.error
    ended = reply.ended_at or reply.started
    log_reply(session=session, model=request.model, api=request.api, outcome=outcome(reply),
              ttft=None if reply.first_token_at is None else reply.first_token_at - reply.started,
              duration=ended - reply.started, tokens=tokens, estimated=estimated,
              code=getattr(err, "code", None), http_status=getattr(err, "http_status", None),
              trace_id=getattr(err, "trace_id", "") or getattr(reply.finish, "trace_id", ""))


def log_limited(session: str, what: str, retry_after: int) -> None:
    """A message refused by a per-visitor limit."""
    log.info("limited session=%s limit=%s retry_after=%ss", short_id(session), what, retry_after)


def log_reply(*, session: str, model: str, api: str, outcome: str, ttft: float | None,
              duration: float, tokens: int, estimated: bool, code: int | None = None,
              http_status: int | None = None, trace_id: str = "") -> None:
    """One line per reply; `outcome` is ok, stopped, cut_off, limited or an error kind."""
    log.info("reply session=%s api=%s model=%s outcome=%s ttft=%s duration=%.2fs tokens=%d%s "
             "code=%s http=%s trace_id=%s", short_id(session), field(api), field(model),
             field(outcome), "-" if ttft is None else f"{ttft:.3f}s", duration, tokens,
             "(estimated)" if estimated else "", code if code is not None else "-",
             http_status if http_status is not None else "-", field(trace_id or "-"))

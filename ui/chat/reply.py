"""One assistant reply as the visitor sees it: thinking, answer, and a quiet note underneath.

`Reply` accumulates backend events and timings; `messages()` renders it as chat messages
(a collapsible thought block, the answer, a note) and `raw()` gives the turn to send back to
MiniMax. Notes carry `NOTE_CLASS`, so `history.to_messages` never sends them.
"""
from __future__ import annotations

import html
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

from minimax_backend import (
    APIConnectionError,
    AuthenticationError,
    Finish,
    MiniMaxError,
    QuotaError,
    ReasoningDelta,
    ResponseFormatError,
    Retrying,
    TextDelta,
    Usage,
)

from ..protect.account_line import AccountBusy
from ..protect.logs import redact_known
from ..text.advice import advice
from ..text.safe_markdown import display
from ..text.strings import text
from .cost import Totals, note_extra, usage_record
from .history import NOTE_CLASS, PENDING

log = logging.getLogger(__name__)


def note(lines: list[str], kind: str = "info", extra: str = "") -> dict:
    """A display-only message under a reply; `lines` are plain text (escaped here), `extra`
    the reply's facts and times (`cost.note_extra`, markup)."""
    body = "<br>".join(html.escape(line, quote=False) for line in lines)
    return {"role": "assistant", "content": f'<div class="{NOTE_CLASS} mm-{kind}">{body}{extra}</div>'}


# Failures only whoever runs the app can mend (its key and balance, its settings, its server's
# network): a visitor on the host's key is told so.
HOST_SIDE = (AuthenticationError, QuotaError, ResponseFormatError, APIConnectionError)


def error_lines(err: BaseException, lang: str, host_key: bool = False) -> list[str]:
    """What to tell the visitor about a failure: the action to take, then MiniMax's reference.
    `host_key`: the request used the app's own key, not one the visitor pasted."""
    if isinstance(err, AccountBusy):
        return ["⚠️ " + text("account_busy", lang, seconds=err.max_wait)]
    if not isinstance(err, MiniMaxError):
        return ["⚠️ " + text("unexpected", lang)]
    lines = ["⚠️ " + advice(err, lang)]
    if host_key and isinstance(err, HOST_SIDE):
        lines.append(text("host_side", lang))
    # Masked whole, then cut: a cut first could leave a key's prefix no pattern recognises.
    if type(err) is MiniMaxError and err.message:  # a code we have no advice for: say what MiniMax said
        lines.append(redact_known(err.message)[:200])
    if err.reference():
        lines.append(redact_known(err.reference()))
    return lines


def _utc(seconds: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


@dataclass(frozen=True)
class AccountWait:
    """The reply waits for a slot on the host's MiniMax account, about `seconds` more (0: its
    turn came). Made by `metered`, not by the backend."""

    seconds: float


@dataclass
class Reply:
    """The state of one streaming reply. `inline_thinking`: the model writes `<think>` into its
    content (M2), so a partial raw reply must put it back."""

    inline_thinking: bool = False
    clock: Callable[[], float] = time.monotonic
    started: float = 0.0
    reasoning: str = ""
    text: str = ""
    usage: Usage | None = None
    finish: Finish | None = None
    first_token_at: float | None = None
    think_started: float | None = None
    think_ended: float | None = None
    ended_at: float | None = None
    stopped: bool = False
    error: BaseException | None = None
    budget_capped: bool = False  # max tokens lowered to what the visitor's budget has left
    retrying: Retrying | None = None  # the client's wait before its next attempt, if any
    account_wait: float | None = None  # seconds left waiting for the host's account, if any
    host_key: bool = False  # sent with the app's own key (see `error_lines`)
    # What prices the reply and dates it (`cost`): its model and region, the chat's replies
    # before it, and the wall clock (`clock` measures durations only).
    model: str = ""
    region: str = ""
    earlier: Totals | None = None
    wall: Callable[[], float] = time.time
    sent_at: str = ""
    done_at: str = ""

    def __post_init__(self) -> None:
        self.started = self.started or self.clock()
        self.sent_at = self.sent_at or _utc(self.wall())

    def apply(self, event: object) -> None:
        """Take in one backend event."""
        now = self.clock()
        if isinstance(event, ReasoningDelta) and event.text:
            self.first_token_at = self.first_token_at or now
            self.think_started = self.think_started or now
            self.reasoning += event.text
        elif isinstance(event, TextDelta) and event.text:
            self.first_token_at = self.first_token_at or now
            if self.think_started and not self.think_ended:
                self.think_ended = now
            self.text += event.text
        elif isinstance(event, Usage):
            self.usage = event
        elif isinstance(event, Finish):
            self.finish = event
            self.usage = event.usage or self.usage
        elif isinstance(event, Retrying):
            self.retrying = event
        elif isinstance(event, AccountWait):
            self.account_wait = event.seconds or None

    def end(self, *, stopped: bool = False, error: BaseException | None = None) -> None:
        """The stream is over: finished, stopped by the visitor, or failed."""
        now = self.clock()
        self.ended_at = self.ended_at or now
        self.done_at = self.done_at or _utc(self.wall())
        if self.think_started and not self.think_ended:
            self.think_ended = now
        self.stopped = self.stopped or stopped
        self.error = self.error or error

    def snapshot(self) -> Reply:
        """A copy that later events do not change (every field is immutable)."""
        return replace(self)

    def raw(self) -> str:
        """The assistant turn as MiniMax asks to get it back in the next request."""
        if self.finish is not None:
            return self.finish.raw_content
        if self.inline_thinking and self.reasoning:
            return f"<think>{self.reasoning}</think>\n\n{self.text}"
        return self.text

    def messages(self, lang: str) -> list[dict]:
        """The reply as chat messages for the widget."""
        shown: list[dict] = []
        if self.reasoning.strip():  # not an empty fold for a stream cut after a newline
            done = self.think_ended is not None
            ended = self.think_ended if self.think_ended is not None else self.clock()
            duration = ended - (self.think_started if self.think_started is not None else ended)
            shown.append({"role": "assistant", "content": display(self.reasoning),
                          "metadata": {"title": text("thinking", lang),
                                       "status": "done" if done else "pending",
                                       "duration": round(duration, 1)}})
        if self.text:
            shown.append({"role": "assistant", "content": display(self.text)})
        lines = self._note_lines(lang)
        if lines:
            shown.append(note(lines, "error" if self.error else "info", self._extra(lang)))
        elif not shown and self.ended_at is None:  # nothing yet: say it is on its way
            shown.append(note([self._waiting(lang)], PENDING))
        return shown

    def _extra(self, lang: str) -> str:
        """The ended reply's facts and what they show: cost and times (`cost.note_extra`)."""
        usage = usage_record(self.usage, self.model, self.region) if self.model else None
        facts = {"usage": usage, "sent": self.sent_at, "at": self.done_at}
        return note_extra(facts, self.earlier or Totals(), lang)

    def _waiting(self, lang: str) -> str:
        if self.retrying is None and self.account_wait:
            return text("account_wait", lang, seconds=max(1, round(self.account_wait)))
        if self.retrying is None:
            return text("waiting", lang)
        err = self.retrying.error
        reason = (f"HTTP {err.http_status}" if err.http_status
                  else f"MiniMax {err.code}" if err.code is not None
                  else text("network", lang))
        return text("retrying", lang).format(reason=reason, seconds=max(1, round(self.retrying.delay)),
                                             attempt=self.retrying.attempt,
                                             retries=self.retrying.attempts - 1)

    def _note_lines(self, lang: str) -> list[str]:
        if self.ended_at is None:
            return []
        lines: list[str] = []
        if self.stopped:
            lines.append(text("stopped", lang))
        if self.error is not None:
            lines += error_lines(self.error, lang, self.host_key)
        elif self.finish is None and not self.stopped:
            lines.append(text("cut_off", lang))
        if self.finish is not None:
            if self.finish.filtered:
                lines.append(text("filtered", lang))
            if self.finish.reason in ("length", "max_output"):
                lines.append(text("length_budget" if self.budget_capped else "length", lang))
            if not self.text and not self.finish.filtered:
                lines.append(text("empty", lang))
            if self.finish.warning:
                log.info("MiniMax warning (%s): %s", self.finish.trace_id, self.finish.warning)
            lines.append(self.usage_line(lang))
        return [line for line in lines if line]

    def usage_line(self, lang: str) -> str:
        """Tokens as MiniMax reports them, time to first token and tokens per second."""
        parts = []
        usage = self.usage
        if usage is not None and (usage.prompt_tokens or usage.completion_tokens):
            counts = text("usage", lang, prompt=usage.prompt_tokens, completion=usage.completion_tokens)
            if usage.reasoning_tokens:
                counts += text("usage_reasoning", lang, reasoning=usage.reasoning_tokens)
            if usage.cached_tokens:  # prompt tokens read from MiniMax's cache
                counts += text("usage_cached", lang, cached=usage.cached_tokens)
            parts.append(counts)
        elif usage is not None and usage.total_tokens:  # the pro API reports only a total
            parts.append(text("usage_total", lang, total=usage.total_tokens))
        if self.first_token_at is not None:
            parts.append(text("ttft", lang, seconds=self.first_token_at - self.started))
            elapsed = (self.ended_at or self.clock()) - self.first_token_at
            if usage is not None and usage.completion_tokens and elapsed > 0:
                parts.append(text("speed", lang, rate=usage.completion_tokens / elapsed))
        return " · ".join(parts)

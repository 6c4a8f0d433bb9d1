"""The chat event handlers: adapt the backend's event stream to the chat widget.

Each handler takes the widget's history (gradio 6 content blocks, untrusted), returns the new
history, and never talks HTTP. `respond` streams one reply; the others prepare the history
for it (send, retry, edit, example) or undo and stop.
"""
from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import aclosing
from dataclasses import replace
from typing import Any

import gradio as gr

from minimax_backend import ChatRequest, MiniMaxError, ValidationError
from minimax_backend.models import PRO, REASONING_INLINE, spec_for

from ..protect.guard import Guard, LimitExceeded, limit_text
from ..protect.logs import log_finished, log_limited
from ..protect.spending import Reservation, prompt_tokens, reply_tokens
from ..text.advice import refused
from ..text.safe_markdown import display, original
from ..text.strings import lang_of, text
from ..text.valid_text import repaired, valid
from .coalesce import INTERVAL, coalesce
from .history import (
    MAX_SYSTEM_CHARS,
    check_history,
    item_text,
    last_user_index,
    shown_answers,
    to_messages,
)
from .reply import Reply, error_lines, note
from .service import ReplyService, Route, Run, Runs

log = logging.getLogger(__name__)

MAX_MESSAGE_CHARS = 20_000
END_WAIT_S = 2.0  # New chat waits this long at most for a cancelled reply's handler to return
RawReplies = dict[str, str]  # answer as shown -> raw reply as MiniMax sent it


def user_message(content: str) -> dict:
    """A user turn for the widget, any markup in it shown as text, any invalid character as �."""
    return {"role": "user", "content": display(valid(content))}


def _settle(held: Reservation, session: str, chat_request: ChatRequest, received: Reply,
            shown: Reply) -> None:
    """Charge what the reply cost (all MiniMax sent, even past what was shown) in place of
    what was held for it, and write its log line."""
    tokens, estimated = reply_tokens(chat_request, received)
    held.settle(tokens)
    log_finished(session, chat_request, shown, tokens, estimated)


def _session(request: gr.Request | None) -> str:
    return getattr(request, "session_hash", None) or "anonymous"


def _number(name: str, value: Any, kind: type) -> Any:
    try:
        if isinstance(value, bool):
            raise TypeError(name)
        number = float(value)
    except (TypeError, ValueError):
        raise refused(name, "not_a_number") from None
    if kind is int:
        if not number.is_integer():
            raise refused(name, "not_whole")
        return int(number)
    return number


def build_request(history: Any, raw_replies: RawReplies | None, api: str, model: str,
                  system: str, temperature: Any, top_p: Any, max_tokens: Any,
                  bot_name: str, user_name: str) -> ChatRequest:
    """The request for the reply to the last user message; raises ValidationError."""
    system = system if isinstance(system, str) else ""
    if len(system) > MAX_SYSTEM_CHARS:
        raise refused("system", "system_too_long", limit=MAX_SYSTEM_CHARS)
    names = {"bot_name": bot_name, "user_name": user_name} if api == PRO else {}
    return ChatRequest(
        messages=tuple(to_messages(history, raw_replies)), model=(model or "").strip(), api=api,
        system=system, temperature=_number("temperature", temperature, float),
        top_p=_number("top_p", top_p, float), max_tokens=_number("max_tokens", max_tokens, int),
        **{k: (v or "").strip() for k, v in names.items()})


def _remember(raw_replies: RawReplies | None, history: list, reply: Reply) -> RawReplies:
    """The raw replies still on screen, plus `reply`'s (regenerated answers are forgotten)."""
    try:
        shown = shown_answers(history)
    except ValidationError:
        shown = set()
    kept = {k: v for k, v in (raw_replies or {}).items() if k in shown}
    if reply.text:
        kept[display(reply.text)] = reply.raw()  # keyed as shown, like to_messages looks up
    return kept


# Every page update of every stream costs the one server process CPU (gradio diffs and sends
# it). Past this many replies at once, updates are spaced out in proportion, so 50 visitors
# cost about as much as 10; one visitor still gets an update every 40 ms.
SMOOTH_STREAMS = 10
MAX_INTERVAL = 0.25


def page_interval(base: float, streaming: int) -> float:
    """Seconds between page updates of one reply while `streaming` replies are running."""
    return min(max(base, MAX_INTERVAL), base * max(1.0, streaming / SMOOTH_STREAMS))


class ChatHandlers:
    """The handlers of one app; `service` streams replies, `runs` tracks them for Stop."""

    def __init__(self, service: ReplyService, runs: Runs | None = None,
                 interval: float | None = None, guard: Guard | None = None) -> None:
        self.service = service
        self.runs = runs or Runs()
        self.guard = guard or Guard()  # per-visitor limits; the defaults suit a public demo
        base = INTERVAL if interval is None else interval
        self.coalesce_args = {"interval": lambda: page_interval(base, self.runs.streaming())}

    def _check_idle(self, request: gr.Request | None) -> None:
        """Refuse to start a reply while one streams. The page already holds Send, Enter,
        Retry, Edit and Undo then; this is for scripts and races, and gradio shows the
        message only for a queued event (these are not: a start must be quick)."""
        if self.runs.busy(_session(request)):
            raise gr.Error(text("busy", lang_of(request)), print_exception=False)

    # -- preparing a reply ------------------------------------------------------------

    def send(self, message: Any, history: Any, request: gr.Request) -> tuple:
        """Move the typed message into the chat. Outputs: input, chatbot."""
        self._check_idle(request)
        if not isinstance(message, str) or not message.strip():
            return gr.skip(), gr.skip()
        return "", list(history or []) + [user_message(message[:MAX_MESSAGE_CHARS])]

    def retry(self, history: Any, request: gr.Request) -> Any:
        """Drop the last answer so it is generated again. Output: chatbot."""
        self._check_idle(request)
        history = list(history or [])
        index = last_user_index(history)
        if index is None:
            return gr.skip()
        end = index
        while end < len(history) and history[end].get("role") == "user":
            end += 1
        return history[:end]

    def edit(self, history: Any, edit: gr.EditData, request: gr.Request) -> Any:
        """Regenerate from an edited user message. Output: chatbot."""
        self._check_idle(request)
        history = list(history or [])
        index = edit.index[0] if isinstance(edit.index, (list, tuple)) else edit.index
        if not isinstance(index, int) or not 0 <= index < len(history) \
                or history[index].get("role") != "user" or not str(edit.value).strip():
            return gr.skip()
        edited = original(str(edit.value))[:MAX_MESSAGE_CHARS]  # the box showed it escaped
        return history[:index] + [user_message(edited)]

    def example(self, choice: gr.SelectData, request: gr.Request) -> Any:
        """Start the chat with a starter example. Output: chatbot."""
        self._check_idle(request)
        value = choice.value if isinstance(choice.value, dict) else {}
        message = value.get("text") or ""
        return [user_message(message)] if message else gr.skip()

    def undo(self, history: Any, request: gr.Request) -> tuple:
        """Remove the last turn and put its message back in the box. Outputs: chatbot, input."""
        self._check_idle(request)
        history = list(history or [])
        index = last_user_index(history)
        if index is None:
            return gr.skip(), gr.skip()
        message = "\n\n".join(original(item_text(item)) for item in history[index:]
                                if item.get("role") == "user")
        return history[:index], message

    def new_chat(self, request: gr.Request) -> tuple:
        """Cancel any reply and empty the chat. Outputs: chatbot, raw replies."""
        run = self.runs.stop(_session(request), freeze=False)
        if run is not None:  # let its last update out first, or it lands in the empty chat
            run.ended.wait(END_WAIT_S)
        return [], {}

    # -- streaming and stopping -------------------------------------------------------

    async def respond(self, history: Any, raw_replies: RawReplies | None, api: str, region: str,
                      model: str, system: str, temperature: Any, top_p: Any, max_tokens: Any,
                      bot_name: str, user_name: str, request: gr.Request, user_key: Any = None,
                      user_group: Any = None) -> AsyncIterator[tuple[list[dict], Any]]:
        """Stream the reply to the last user message. Outputs: chatbot, raw replies.
        `user_key`/`user_group`: the visitor's own key and GroupId (inputs only, never output)."""
        history = list(history or [])
        if not history or not isinstance(history[-1], dict) or history[-1].get("role") != "user":
            return  # nothing to answer (an empty message was not sent)
        lang, session = lang_of(request), _session(request)
        history, invalid = repaired(history)
        if invalid:  # sent back repaired, so that the next message can go
            yield history + [note([text("invalid_text", lang)], "error")], gr.skip()
            return
        raw_replies = raw_replies or {}
        visitor = self.guard.visitor(request)
        try:  # before the backend: the only place that spends the host's key
            check_history(history, self.guard.config)
            route = Route.of(region, user_key, user_group)
            chat_request = build_request(history, raw_replies, api, model, system, temperature,
                                         top_p, max_tokens, bot_name, user_name)
            # The token budget guards the host's key: a visitor's own key spends their money.
            held = self.guard.admit(visitor, None if route.api_key else prompt_tokens(chat_request),
                                    chat_request.max_tokens)
        except LimitExceeded as err:
            log_limited(session, err.what, err.retry_after)
            yield history + [note([limit_text(err, lang)], "error")], gr.skip()
            return
        except MiniMaxError as err:
            yield history + [note(error_lines(err, lang), "error")], gr.skip()
            return
        capped = held.reply_tokens is not None and held.reply_tokens < chat_request.max_tokens
        if capped:  # no more than the visitor's budget has left
            chat_request = replace(chat_request, max_tokens=held.reply_tokens)
        reply = Reply(inline_thinking=spec_for(chat_request.model).reasoning == REASONING_INLINE,
                      budget_capped=capped, host_key=not route.api_key)
        run = Run(base=history, reply=reply.snapshot())
        self.runs.start(session, run)
        try:
            events = self.service.stream(chat_request, route, run.cancel)
            failure: Exception | None = None
            try:
                async with aclosing(coalesce(events, **self.coalesce_args)) as batches:
                    async for batch in batches:
                        if run.cancel.cancelled:
                            break
                        for event in batch:
                            reply.apply(event)
                        run.reply = reply.snapshot()
                        yield history + reply.messages(lang), gr.skip()
            except MiniMaxError as err:
                failure = err
            except Exception as err:  # a bug here must not cost the visitor the chat
                log.exception("reply failed")
                failure = err
            cancelled = run.cancel.cancelled
            shown = run.reply.snapshot() if cancelled else reply  # frozen as last shown
            shown.end(stopped=cancelled, error=None if cancelled else failure)
            run.done = True
            _settle(held, session, chat_request, reply, shown)
            # Cancelled by New chat or a newer reply, this reply must not come back into the
            # chat; by Stop, it ends frozen and marked (after any update still on its way).
            if not cancelled or run.frozen:
                yield history + shown.messages(lang), _remember(raw_replies, history, shown)
        finally:
            run.cancel.cancel()  # closes the upstream too when the visitor leaves mid-reply
            if not held.settled:  # gradio closed the handler mid-reply: Stop, a closed tab
                reply.end(stopped=True)
                _settle(held, session, chat_request, reply, reply)
            if run.done:
                self.runs.finish(session, run)
            else:  # kept a moment for the Stop handler, which may run after this
                self.runs.closed(session, run)
            run.ended.set()

    def stop(self, raw_replies: RawReplies | None, request: gr.Request) -> tuple:
        """Cancel the reply and freeze it as last shown, marked as stopped.
        Outputs: chatbot, raw replies."""
        run = self.runs.stop(_session(request))
        if run is None:
            return gr.skip(), gr.skip()
        reply = run.reply.snapshot()
        reply.end(stopped=True)
        return run.base + reply.messages(lang_of(request)), _remember(raw_replies, run.base, reply)


"""The handlers of a reply: `respond` streams it into the chat widget, Stop freezes it, New
chat drops it. The history they take comes from the browser (gradio 6 content blocks,
untrusted); they never talk HTTP. The history is prepared for them by `turns`.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing
from dataclasses import replace
from typing import Any

import gradio as gr

from minimax_backend import ChatRequest, MiniMaxError, ValidationError
from minimax_backend.models import PRO, REASONING_INLINE, V2, spec_for
from minimax_backend.types import THINK_ADAPTIVE, THINK_OFF

from ..protect.account import AccountConfig, AccountGate
from ..protect.account_line import AccountBusy, AccountLine
from ..protect.guard import Guard, LimitExceeded, limit_text
from ..protect.logs import log_finished, log_limited
from ..protect.spending import Reservation, prompt_tokens, reply_tokens
from ..text.safe_markdown import display
from ..text.strings import lang_of, text
from ..text.valid_text import repaired
from .attachments import Attached
from .coalesce import INTERVAL, coalesce, page_interval
from .history import PENDING, REFUSED, chat_totals, check_history, shown_answers, to_messages
from .lifecycle import Runs, session_of
from .line import Line
from .metered import metered
from .reply import Reply, error_lines, note
from .service import ReplyService, Route
from .settings import ChatSettings

log = logging.getLogger(__name__)

END_WAIT_S = 2.0  # New chat waits this long at most for a cancelled reply's handler to return
RawReplies = dict[str, str]  # answer as shown -> raw reply as MiniMax sent it


def _settle(held: Reservation, session: str, chat_request: ChatRequest, received: Reply,
            shown: Reply) -> int:
    """Charge what the reply cost (all MiniMax sent, even past what was shown) in place of
    what was held for it, and write its log line; the tokens charged."""
    tokens, estimated = reply_tokens(chat_request, received)
    held.settle(tokens)
    log_finished(session, chat_request, shown, tokens, estimated)
    return tokens


def build_request(history: Any, raw_replies: RawReplies | None, settings: ChatSettings,
                  attached: Attached | None = None) -> ChatRequest:
    """The request for the reply to the last user message; raises ValidationError."""
    names = {"bot_name": settings.bot_name, "user_name": settings.user_name} \
        if settings.api == PRO else {}  # v2 has no names: the request keeps its defaults
    return ChatRequest(
        messages=tuple(to_messages(history, raw_replies, attached)), model=settings.model,
        api=settings.api, thinking=THINK_OFF if settings.thinking_off else THINK_ADAPTIVE,
        system=settings.system, temperature=settings.temperature, top_p=settings.top_p,
        max_tokens=settings.max_tokens, **names)


def _awaits_reply(history: list) -> bool:
    return bool(history) and isinstance(history[-1], dict) and history[-1].get("role") == "user"


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


class ChatHandlers:
    """The handlers of one app; `service` streams replies, `runs` tracks them for Stop."""

    def __init__(self, service: ReplyService, runs: Runs | None = None,
                 interval: float | None = None, guard: Guard | None = None,
                 account: AccountLine | None = None,
                 line: Line | Callable[[], Line] | None = None) -> None:
        """`line` may be a loader (e.g. `Line.from_env`), called at first use."""
        self.service = service
        self.runs = runs or Runs()
        self.guard = guard or Guard()  # per-visitor limits; the defaults suit a public demo
        # The host key's rate, all visitors together (limits.py's ACCOUNT_*, read at first use).
        self.account = account or AccountLine(AccountGate(AccountConfig.from_env))
        self._load_line = line if callable(line) else (lambda: line or Line.from_env({}))
        self._line: Line | None = None
        self._line_lock = threading.Lock()
        base = INTERVAL if interval is None else interval
        # Seconds between a reply's page updates, `shown` characters long so far; its stream is
        # read at the pace of a reply of none (`coalesce`'s `read_every`).
        self.pace = lambda shown=0: page_interval(base, self.line.running(), shown)

    @property
    def line(self) -> Line:
        """The process's replies, running and waiting their turn (`line`)."""
        with self._line_lock:
            if self._line is None:
                self._line = self._load_line()
            return self._line

    def new_chat(self, request: gr.Request) -> tuple:
        """Cancel any reply and empty the chat. Outputs: chatbot, raw replies."""
        run = self.runs.stop(session_of(request), freeze=False)
        if run is not None:  # let its last update out first, or it lands in the empty chat
            run.ended.wait(END_WAIT_S)
        return [], {}

    def refuse(self, history: Any, err: MiniMaxError, request: gr.Request) -> list[tuple]:
        """The update saying why the reply to the last user message was not asked for
        (none when there is nothing to answer): a `REFUSED` note, so a message sent from the
        box goes back there (`turns.TurnHandlers.take_back`). Outputs: chatbot, raw replies."""
        history, _ = repaired(list(history or []))  # (else the note could not be sent at all)
        if not _awaits_reply(history):
            return []
        return [(history + [note(error_lines(err, lang_of(request)), REFUSED)], gr.skip())]

    async def respond(self, history: Any, raw_replies: RawReplies | None, settings: ChatSettings,
                      route: Route, request: gr.Request, attached: Attached | None = None,
                      ) -> AsyncGenerator[tuple[list[dict], Any], None]:
        """Stream the reply to the last user message. Outputs: chatbot, raw replies.
        `route` may carry the visitor's own key and GroupId (inputs only, never output);
        `attached`, the session's images (`attachments`)."""
        history = list(history or [])
        if not _awaits_reply(history):
            return  # nothing to answer (an empty message was not sent)
        lang, session = lang_of(request), session_of(request)
        history, invalid = repaired(history)
        if invalid:  # sent back repaired, so that the next message can go
            yield history + [note([text("invalid_text", lang)], REFUSED)], gr.skip()
            return
        raw_replies = raw_replies or {}
        visitor = self.guard.visitor(request)
        try:  # before the backend: the only place that spends the host's key
            check_history(history, self.guard.config)
            chat_request = build_request(history, raw_replies, settings, attached)
            # The token budget guards the host's key: a visitor's own key spends their money,
            # and the offline demo none (it has a higher message rate: it only costs CPU).
            demo = not route.api_key and self.service.offline
            host_key = not route.api_key and not demo
            held = await self.guard.admit_off_loop(
                visitor, prompt_tokens(chat_request) if host_key else None,
                chat_request.max_tokens, demo=demo)
        except LimitExceeded as err:
            log_limited(session, err.what, err.retry_after)
            yield history + [note([limit_text(err, lang)], REFUSED)], gr.skip()
            return
        except MiniMaxError as err:
            for update in self.refuse(history, err, request):
                yield update
            return
        capped = False
        if held.reply_tokens is not None and held.reply_tokens < chat_request.max_tokens:
            capped = True  # no more than the visitor's budget has left
            chat_request = replace(chat_request, max_tokens=held.reply_tokens)
        # A partial reply sent back as text: only v2 takes its thinking inline (`turns.py`).
        inline = chat_request.api == V2 and spec_for(chat_request.model).reasoning == REASONING_INLINE
        reply = Reply(inline_thinking=inline, budget_capped=capped, host_key=not route.api_key,
                      model=chat_request.model, region=self._region(route),
                      earlier=chat_totals(history))

        prompt = prompt_tokens(chat_request)

        def updates() -> float:  # between page updates: longer as the reply grows
            return self.pace(len(reply.text) + len(reply.reasoning))

        def charge(received: Reply, shown: Reply) -> None:
            tokens = _settle(held, session, chat_request, received, shown)
            if host_key:
                self.account.gate.spend(tokens - prompt)  # the prompt was counted at its turn

        ticket = self.line.join()
        if ticket is None:  # a script, or a race with the page's own check (`turns.send`)
            held.settle(0)
            yield history + [note([self.line.refusal(lang)], REFUSED)], gr.skip()
            return
        with self.runs.open(session, history, reply, charge) as life:
            failure: Exception | None = None
            try:
                async with aclosing(ticket.wait()) as places:
                    async for place in places:  # past the process's capacity: in line
                        if not life.streaming:
                            break
                        yield history + [note([place.words(lang)], PENDING)], gr.skip()
                reply.started = reply.clock()  # its time to first token starts with its turn
                source: AsyncGenerator[list, None]
                if not life.streaming:  # dropped while in line: nothing to ask for
                    source = coalesce(iter([]), self.pace)
                elif host_key:  # the host's account: wait for a turn, retried on its rate refusals
                    source = metered(self.account, visitor[-1], prompt,
                                     self.account.gate.max_wait,
                                     lambda cancel: self.service.stream(chat_request, route, cancel),
                                     life, updates, self.pace)
                else:
                    source = coalesce(self.service.stream(chat_request, route, life.cancel),
                                      updates, read_every=self.pace)
                async with aclosing(source) as batches:
                    async for batch in batches:
                        if not life.streaming:
                            break
                        for event in batch:
                            reply.apply(event)
                        life.show()
                        yield history + reply.messages(lang), gr.skip()
            except (MiniMaxError, AccountBusy) as err:
                failure = err
                if isinstance(err, AccountBusy):
                    log_limited(session, "account", err.max_wait)
            except Exception as err:  # a bug here must not cost the visitor the chat
                log.exception("reply failed")
                failure = err
            finally:
                ticket.leave()
            shown = life.finish(failure)
            # Dropped by New chat or a newer reply, it must not come back into the chat;
            # stopped, it ends frozen and marked (after any update still on its way).
            if shown is not None:
                yield history + shown.messages(lang), _remember(raw_replies, history, shown)

    def _region(self, route: Route) -> str:
        """The region that prices the reply: the page's, else the server's."""
        if route.region:
            return route.region
        try:
            return self.service.settings().region
        except MiniMaxError:
            return ""

    def stop(self, raw_replies: RawReplies | None, request: gr.Request) -> tuple:
        """Cancel the reply and freeze it as last shown, marked as stopped.
        Outputs: chatbot, raw replies."""
        run = self.runs.stop(session_of(request))
        if run is None:
            return gr.skip(), gr.skip()
        reply = run.reply.snapshot()
        reply.end(stopped=True)
        return run.base + reply.messages(lang_of(request)), _remember(raw_replies, run.base, reply)


"""Share the open chat by link, and open a shared one read-only, then keep it on request.

The link's text is made here and read here (`share_link.py`): it reaches the server only in
the one event that makes it (from the chat the page sends anyway) and in the events that open
or keep it, and nothing keeps it. Until "Continue in my chats", a shared chat is only shown:
the visitor's own store is neither read nor written.
"""
from __future__ import annotations

from typing import Any

import gradio as gr

from ..chat.lifecycle import session_of
from ..chat.settings import ChatSettings
from ..text.strings import lang_of, text
from . import share_link
from .current import keep_current
from .export import FormatError
from .files import add_copy
from .share_link import LinkError
from .store import find, parse_store, title_of
from .transcript import messages_to_history


def _refusal(err: LinkError | FormatError, lang: str) -> str:
    return text("shared_refused", lang, reason=err.message(lang))


class ShareHandlers:
    """Share, open, continue; `runs.busy(session)` is True while a reply streams (no switch
    to another chat then)."""

    def __init__(self, runs: Any = None) -> None:
        self.runs = runs

    def make(self, stored: Any, history: Any, raw: Any, thinking: Any,
             settings: ChatSettings | None, request: gr.Request) -> tuple:
        """The link's text for the chat on screen (thinking only if ticked), or "" and why
        not. Outputs: link text, note, link box (shown only with a link)."""
        lang = lang_of(request)
        store = keep_current(parse_store(stored), history, raw, settings, lang)
        conversation = find(store, store["current"])
        if conversation is None or not conversation["messages"]:
            return "", text("share_nothing", lang), gr.update(visible=False, value="")
        try:
            link = share_link.encode(conversation, thinking=thinking is True)
        except (LinkError, FormatError) as err:
            return "", err.message(lang), gr.update(visible=False, value="")
        note = text("share_ready", lang, chars=f"{len(link):,}",
                    limit=f"{share_link.MAX_LINK_CHARS:,}")
        return link, note, gr.update(visible=True)

    def open(self, link: Any, request: gr.Request) -> dict:
        """Show a shared chat read-only; a link that is not valid shows nothing and says why
        (gr.Error ends the steps that would show the view). Outputs: shared chat."""
        lang = lang_of(request)
        try:
            document = share_link.decode(link)
        except (LinkError, FormatError) as err:
            raise gr.Error(_refusal(err, lang), duration=None) from None
        history, _ = messages_to_history(document["messages"], lang)
        label = f"{title_of(document, lang)} · {document['settings']['model']}"
        return gr.update(value=history, label=label)

    def keep(self, link: Any, stored: Any, history: Any, raw: Any,
             settings: ChatSettings | None, request: gr.Request) -> tuple:
        """Copy the shared chat into the visitor's own list (a new id, within the store's
        bounds, as an import) and open it, after keeping the chat they had on screen.
        Outputs: as `restore`."""
        lang = lang_of(request)
        if self.runs is not None and self.runs.busy(session_of(request)):
            raise gr.Error(text("busy", lang))
        try:
            document = share_link.decode(link)
        except (LinkError, FormatError) as err:
            raise gr.Error(_refusal(err, lang), duration=None) from None
        store = keep_current(parse_store(stored), history, raw, settings, lang)
        return add_copy(store, document, lang)

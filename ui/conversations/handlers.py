"""The visitor's list of conversations: restore on page load, save, New chat, switch, rename
and delete. What is stored, and how it is checked and bounded, is `ui/conversations/store.py`;
export and import are `ui/conversations/files.py`.
"""
from __future__ import annotations

from typing import Any

import gradio as gr

from minimax_backend import ValidationError

from ..chat.history import is_refusal, item_text
from ..chat.settings import FIELDS, ChatSettings
from ..text.strings import lang_of, text
from . import export
from .current import (
    keep_current,
    kept,
    list_update,
    listed,
    open_conversation,
    refused,
    unchanged,
)
from .store import bound, default_settings, find, new_conversation, parse_store

LEFT = "-"  # `sent_in` once New chat has left the conversation a reply was streaming into


def _refused(history: Any) -> bool:
    """True when the chat ends with a refused message, on its way back into the box
    (`ui.chat.turns.TurnHandlers.take_back`): it is not to be stored."""
    last = history[-1] if isinstance(history, list) and history else None
    try:
        return isinstance(last, dict) and is_refusal(item_text(last))
    except ValidationError:
        return False


class ConversationHandlers:
    """Gradio handlers over the browser store. `runs.busy(session)` is True while a reply
    streams: switching away then would mix two conversations."""

    def __init__(self, runs: Any = None) -> None:
        self.runs = runs

    def _store(self, stored: Any, history: Any, raw: Any, settings: ChatSettings | None,
               lang: str, into: Any = None, mid_reply: bool = False) -> tuple:
        """`keep_current` on the store the browser sent; outputs store, list (skipped when
        no title changed)."""
        store = parse_store(stored)
        shown = listed(store, lang)
        store = keep_current(store, history, raw, settings, lang, into=into, mid_reply=mid_reply)
        return store, list_update(store, lang, shown)

    def restore(self, stored: Any, request: gr.Request) -> tuple:
        """Reopen the last conversation on page load. Outputs: store, list, chatbot, raw
        replies, and the nine settings."""
        lang = lang_of(request)
        store = parse_store(stored)
        conversation = find(store, store["current"]) or \
            (store["conversations"][0] if store["conversations"] else None)
        if conversation is None:
            return (store, list_update(store, lang), gr.skip(), gr.skip(), *(gr.skip(),) * len(FIELDS))
        return open_conversation(store, conversation, lang)

    def save(self, stored: Any, history: Any, raw: Any, settings: ChatSettings | None,
             request: gr.Request) -> tuple:
        """Store the chat and settings in the current conversation. Outputs: store, list."""
        return self._store(stored, history, raw, settings, lang_of(request))

    def save_sent(self, stored: Any, sent_in: Any, history: Any, raw: Any,
                  settings: ChatSettings | None, request: gr.Request) -> tuple:
        """Store the chat a moment after a message was sent, so a reload mid-reply keeps it,
        its reply marked as cut until the save after the reply. Outputs: store, list, and the
        conversation the reply belongs to. Nothing once New chat has left the chat (it kept
        it already)."""
        if not history or sent_in == LEFT or _refused(history):
            return gr.skip(), gr.skip(), gr.skip()
        store, listing = self._store(stored, history, raw, settings, lang_of(request),
                                     mid_reply=True)
        return store, listing, store["current"]

    def save_reply(self, stored: Any, sent_in: Any, history: Any, raw: Any,
                   settings: ChatSettings | None, request: gr.Request) -> tuple:
        """Store a reply that ended in the conversation its message was sent in (`sent_in`;
        "" before it was named: the current one). Nothing once New chat has left it: New
        chat stored the chat as it was, and must not find this reply in its new one.
        Outputs: store, list."""
        if not history or sent_in == LEFT:
            return gr.skip(), gr.skip()
        return self._store(stored, history, raw, settings, lang_of(request), into=sent_in)

    def new(self, stored: Any, history: Any, raw: Any, settings: ChatSettings | None,
            request: gr.Request) -> tuple:
        """Keep the chat on screen and start an empty conversation with the same settings.
        Outputs: store, list."""
        store = parse_store(stored)
        if history:
            store = keep_current(store, history, raw, settings, lang_of(request))
        current = find(store, store["current"])
        if current is None or current["messages"]:
            current = new_conversation(kept(settings) or default_settings())
            store["conversations"].insert(0, current)
            store["current"] = current["id"]
        return bound(store), list_update(store, lang_of(request))

    def switch(self, stored: Any, chosen: Any, history: Any, raw: Any,
               settings: ChatSettings | None, request: gr.Request) -> tuple:
        """Open another conversation with its settings. Outputs: as `restore`."""
        store = parse_store(stored)
        target = find(store, chosen) if isinstance(chosen, str) else None
        if target is None or chosen == store["current"]:
            return unchanged()
        if refused(self.runs, request):  # and put the list back on the conversation shown
            return (gr.skip(), gr.update(value=store["current"] or None), *(gr.skip(),) * (2 + len(FIELDS)))
        lang = lang_of(request)
        store = keep_current(store, history, raw, settings, lang)
        return open_conversation(store, find(store, chosen) or target, lang)

    def rename(self, stored: Any, title: Any, request: gr.Request) -> tuple:
        """Give the current conversation the visitor's title; on an empty page, say there is
        nothing to rename yet and keep the text. Outputs: store, list, title box."""
        store = parse_store(stored)
        conversation = find(store, store["current"])
        title = " ".join(title.split())[:export.MAX_TITLE_CHARS] if isinstance(title, str) else ""
        if conversation is None:
            gr.Warning(text("no_chat_open", lang_of(request)))
        if conversation is None or not title:
            return gr.skip(), gr.skip(), gr.skip()
        conversation["title"] = title
        return store, list_update(store, lang_of(request)), ""

    def delete(self, stored: Any, confirmed: Any, request: gr.Request) -> tuple:
        """Delete the current conversation, once the visitor `confirmed`, and open the next
        one; on an empty page, say there is nothing to delete (the page asked nothing).
        Outputs: as `restore`."""
        lang = lang_of(request)
        store = parse_store(stored)
        if find(store, store["current"]) is None:
            gr.Warning(text("no_chat_open", lang))
            return unchanged()
        if confirmed is not True or refused(self.runs, request):
            return unchanged()
        store["conversations"] = [c for c in store["conversations"] if c["id"] != store["current"]]
        if not store["conversations"]:
            fresh = new_conversation(default_settings())
            store["conversations"].append(fresh)
        return open_conversation(store, store["conversations"][0], lang)

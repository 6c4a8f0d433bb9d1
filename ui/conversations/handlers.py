"""The visitor's conversations on the page: the list, switching, renaming, deleting, export
and import. What is stored, and how it is checked and bounded, is `ui/conversations/store.py`.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from typing import Any

import gradio as gr

from minimax_backend.models import PRO, models_for, spec_for
from minimax_backend.types import DEFAULT_BOT_NAME as BOT_NAME
from minimax_backend.types import DEFAULT_USER_NAME as USER_NAME

from ..text.strings import lang_of, text
from . import export
from .export import FormatError
from .store import (
    bound,
    default_settings,
    find,
    new_conversation,
    new_id,
    now,
    parse_store,
    settings_from,
    title_of,
)
from .transcript import history_to_messages, messages_to_history

LEFT = "-"  # `sent_in` once New chat has left the conversation a reply was streaming into


def _listed(store: dict, lang: str) -> tuple:
    return [(title_of(c, lang), c["id"]) for c in store["conversations"]], store["current"] or None


def _list_update(store: dict, lang: str, shown: tuple | None = None) -> dict:
    """The list for `store`; a skip when it would show `shown` again (most saves change no
    title: re-sending the list makes gradio rebuild the component for the session)."""
    choices, value = listed = _listed(store, lang)
    return gr.skip() if listed == shown else gr.update(choices=choices, value=value)


def settings_updates(settings: dict) -> tuple:
    """Updates for api, model, system, temperature, top_p, max tokens, bot name, user name."""
    api, spec = settings["api"], spec_for(settings["model"])
    pro = api == PRO
    return (gr.update(value=api), gr.update(choices=models_for(api), value=settings["model"]),
            gr.update(value=settings["system"]), gr.update(value=settings["temperature"]),
            gr.update(value=settings["top_p"]),
            gr.update(value=settings["max_tokens"], maximum=spec.max_output_tokens),
            gr.update(value=settings["bot_name"] or BOT_NAME, visible=pro),
            gr.update(value=settings["user_name"] or USER_NAME, visible=pro))


class ConversationHandlers:
    """Gradio handlers over the browser store. `runs.busy(session)` is True while a reply
    streams: switching away then would mix two conversations."""

    def __init__(self, runs: Any = None) -> None:
        self.runs = runs

    def _refused(self, request: gr.Request) -> bool:
        """True, after telling the visitor, while a reply streams."""
        session = getattr(request, "session_hash", None) or "anonymous"
        if self.runs is not None and self.runs.busy(session):
            gr.Warning(text("busy", lang_of(request)))
            return True
        return False

    def _open(self, store: dict, conversation: dict, lang: str) -> tuple:
        store["current"] = conversation["id"]
        history, raw = messages_to_history(conversation["messages"], lang)
        return (store, _list_update(store, lang), history, raw,
                *settings_updates(conversation["settings"]))

    def _save_current(self, store: dict, history: Any, raw: Any, values: tuple, lang: str,
                      into: Any = None) -> dict:
        """Put the chat on screen and its settings into the current conversation, or into
        the conversation `into` while it is still stored."""
        try:
            messages = history_to_messages(history, raw if isinstance(raw, dict) else {})
        except ValueError:  # a malformed history: keep what was stored
            messages = None
        conversation = (isinstance(into, str) and find(store, into)) or find(store, store["current"])
        if conversation is None:
            if not messages:
                return store
            conversation = new_conversation(settings_from(values) or default_settings())
            store["conversations"].insert(0, conversation)
            store["current"] = conversation["id"]
        if messages is not None:
            try:
                conversation["messages"] = export.parse_messages(export.fit_for_storage(messages))
            except FormatError:  # kept as it was; the chat stays on screen
                gr.Warning(text("not_saved", lang))
        conversation["settings"] = settings_from(values) or conversation["settings"]
        conversation["updated"] = now()
        return bound(store)

    def _store(self, stored: Any, history: Any, raw: Any, values: tuple, lang: str,
               into: Any = None) -> tuple:
        """`_save_current` on the store the browser sent; outputs store, list (skipped when
        no title changed)."""
        store = parse_store(stored)
        shown = _listed(store, lang)
        store = self._save_current(store, history, raw, values, lang, into=into)
        return store, _list_update(store, lang, shown)

    # -- events --------------------------------------------------------------------------

    def restore(self, stored: Any, request: gr.Request) -> tuple:
        """Reopen the last conversation on page load. Outputs: store, list, chatbot, raw
        replies, and the eight settings."""
        lang = lang_of(request)
        store = parse_store(stored)
        conversation = find(store, store["current"]) or \
            (store["conversations"][0] if store["conversations"] else None)
        if conversation is None:
            return (store, _list_update(store, lang), gr.skip(), gr.skip(), *(gr.skip(),) * 8)
        return self._open(store, conversation, lang)

    def save(self, stored: Any, history: Any, raw: Any, api: Any, model: Any, system: Any, temperature: Any, top_p: Any,
            max_tokens: Any, bot_name: Any, user_name: Any, request: gr.Request) -> tuple:
        """Store the chat and settings in the current conversation. Outputs: store, list."""
        values = (api, model, system, temperature, top_p, max_tokens, bot_name, user_name)
        return self._store(stored, history, raw, values, lang_of(request))

    def save_sent(self, stored: Any, sent_in: Any, history: Any, raw: Any, api: Any, model: Any, system: Any,
                  temperature: Any, top_p: Any, max_tokens: Any, bot_name: Any, user_name: Any,
                  request: gr.Request) -> tuple:
        """Store the chat a moment after a message was sent, so a reload mid-reply keeps it.
        Outputs: store, list, and the conversation the reply belongs to. Nothing once New
        chat has left the chat (it kept it already)."""
        if not history or sent_in == LEFT:
            return gr.skip(), gr.skip(), gr.skip()
        store, listing = self.save(stored, history, raw, api, model, system, temperature, top_p,
                                   max_tokens, bot_name, user_name, request)
        return store, listing, store["current"]

    def save_reply(self, stored: Any, sent_in: Any, history: Any, raw: Any, api: Any, model: Any, system: Any,
                   temperature: Any, top_p: Any, max_tokens: Any, bot_name: Any, user_name: Any,
                   request: gr.Request) -> tuple:
        """Store a reply that ended in the conversation its message was sent in (`sent_in`;
        "" before it was named: the current one). Nothing once New chat has left it: New
        chat stored the chat as it was, and must not find this reply in its new one.
        Outputs: store, list."""
        if not history or sent_in == LEFT:
            return gr.skip(), gr.skip()
        values = (api, model, system, temperature, top_p, max_tokens, bot_name, user_name)
        return self._store(stored, history, raw, values, lang_of(request), into=sent_in)

    def new(self, stored: Any, history: Any, raw: Any, api: Any, model: Any, system: Any, temperature: Any, top_p: Any,
            max_tokens: Any, bot_name: Any, user_name: Any, request: gr.Request) -> tuple:
        """Keep the chat on screen and start an empty conversation with the same settings.
        Outputs: store, list."""
        values = (api, model, system, temperature, top_p, max_tokens, bot_name, user_name)
        store = parse_store(stored)
        if history:
            store = self._save_current(store, history, raw, values, lang_of(request))
        current = find(store, store["current"])
        if current is None or current["messages"]:
            current = new_conversation(settings_from(values) or default_settings())
            store["conversations"].insert(0, current)
            store["current"] = current["id"]
        return bound(store), _list_update(store, lang_of(request))

    def switch(self, stored: Any, chosen: Any, history: Any, raw: Any, api: Any, model: Any, system: Any, temperature: Any, top_p: Any,
            max_tokens: Any, bot_name: Any, user_name: Any, request: gr.Request) -> tuple:
        """Open another conversation with its settings. Outputs: as `restore`."""
        values = (api, model, system, temperature, top_p, max_tokens, bot_name, user_name)
        store = parse_store(stored)
        target = find(store, chosen) if isinstance(chosen, str) else None
        if target is None or chosen == store["current"]:
            return (gr.skip(),) * 12
        if self._refused(request):  # and put the list back on the conversation shown
            return (gr.skip(), gr.update(value=store["current"] or None), *(gr.skip(),) * 10)
        lang = lang_of(request)
        store = self._save_current(store, history, raw, values, lang)
        return self._open(store, find(store, chosen) or target, lang)

    def rename(self, stored: Any, title: Any, request: gr.Request) -> tuple:
        """Give the current conversation the visitor's title. Outputs: store, list, title box."""
        store = parse_store(stored)
        conversation = find(store, store["current"])
        title = " ".join(title.split())[:export.MAX_TITLE_CHARS] if isinstance(title, str) else ""
        if conversation is None or not title:
            return gr.skip(), gr.skip(), gr.skip()
        conversation["title"] = title
        return store, _list_update(store, lang_of(request)), ""

    def delete(self, stored: Any, confirmed: Any, request: gr.Request) -> tuple:
        """Delete the current conversation, once the visitor `confirmed`, and open the next
        one. Outputs: as `restore`."""
        if confirmed is not True or self._refused(request):
            return (gr.skip(),) * 12
        lang = lang_of(request)
        store = parse_store(stored)
        store["conversations"] = [c for c in store["conversations"] if c["id"] != store["current"]]
        if not store["conversations"]:
            fresh = new_conversation(default_settings())
            store["conversations"].append(fresh)
        return self._open(store, store["conversations"][0], lang)

    def import_file(self, file: Any, stored: Any, history: Any, raw: Any, api: Any, model: Any, system: Any, temperature: Any, top_p: Any,
            max_tokens: Any, bot_name: Any, user_name: Any, request: gr.Request) -> tuple:
        """Open an exported JSON file as a new conversation; a bad file changes nothing but
        says why. Outputs: as `restore`."""
        values = (api, model, system, temperature, top_p, max_tokens, bot_name, user_name)
        if self._refused(request):
            return (gr.skip(),) * 12
        lang = lang_of(request)
        path = file if isinstance(file, str) else getattr(file, "name", None)
        try:
            if not path or os.path.getsize(path) > export.MAX_FILE_BYTES:
                raise FormatError("file_missing", mb=export.MAX_FILE_BYTES // 1_000_000)
            with open(path, "rb") as handle:
                document = export.load_json(handle.read(export.MAX_FILE_BYTES + 1))
        except FormatError as err:
            gr.Warning(err.message(lang))
            return (gr.skip(),) * 12
        except OSError:
            gr.Warning(text("import_unreadable", lang))
            return (gr.skip(),) * 12
        store = self._save_current(parse_store(stored), history, raw, values, lang)
        conversation = {"id": new_id(), **document}
        store["conversations"].insert(0, conversation)
        store["current"] = conversation["id"]
        return self._open(bound(store), conversation, lang)

    def _document(self, stored: Any, history: Any, raw: Any, values: tuple, lang: str) -> dict:
        store = self._save_current(parse_store(stored), history, raw, values, lang)
        conversation = find(store, store["current"]) or new_conversation(default_settings())
        return {k: v for k, v in conversation.items() if k != "id"}

    def export_json(self, stored: Any, history: Any, raw: Any, api: Any, model: Any, system: Any, temperature: Any, top_p: Any,
            max_tokens: Any, bot_name: Any, user_name: Any, request: gr.Request) -> str:
        """The current conversation as a JSON file. Output: a file."""
        values = (api, model, system, temperature, top_p, max_tokens, bot_name, user_name)
        lang = lang_of(request)
        document = self._document(stored, history, raw, values, lang)
        document["title"] = title_of(document, lang)
        return _write(export.dump_json(document), document["title"], ".json")

    def export_markdown(self, stored: Any, history: Any, raw: Any, api: Any, model: Any, system: Any, temperature: Any, top_p: Any,
            max_tokens: Any, bot_name: Any, user_name: Any, options: Any, request: gr.Request) -> str:
        """The current conversation as Markdown, with the chosen options. Output: a file."""
        values = (api, model, system, temperature, top_p, max_tokens, bot_name, user_name)
        options = options if isinstance(options, list) else []
        lang = lang_of(request)
        document = self._document(stored, history, raw, values, lang)
        document["title"] = title_of(document, lang)
        body = export.to_markdown(document, lang, thinking="thinking" in options,
                                  notes="usage" in options)
        return _write(body, document["title"], ".md")


# Exports are written here, each in its own folder so the download keeps a readable name.
# Gradio copies a returned file into its cache straight away (cleaned by the Blocks'
# `delete_cache`), so older exports are removed on the next export: a public server must
# not collect every visitor's conversations on its disk.
EXPORTS = os.path.join(tempfile.gettempdir(), "minimax-chat-exports")
EXPORT_TTL = 600.0  # seconds


def _write(body: str, title: str, suffix: str) -> str:
    os.makedirs(EXPORTS, exist_ok=True)
    _prune(EXPORTS, time.time() - EXPORT_TTL)
    folder = tempfile.mkdtemp(prefix="export-", dir=EXPORTS)
    name = "-".join(filter(None, ("minimax-chat", _file_name(title), time.strftime("%Y%m%d-%H%M%S"))))
    path = os.path.join(folder, name + suffix)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(body)
    return path


def _file_name(title: str) -> str:
    """The title as part of a file name: letters, digits and CJK kept, the rest as dashes."""
    kept = re.sub(r"[^\w\u3400-\u9fff]+", "-", title, flags=re.UNICODE).strip("-_")
    return kept[:40].rstrip("-_")


def _prune(root: str, before: float) -> None:
    """Remove the folders in `root` last changed before `before` (a timestamp)."""
    for entry in os.scandir(root):
        try:
            if entry.is_dir(follow_symlinks=False) and entry.stat().st_mtime < before:
                shutil.rmtree(entry.path, ignore_errors=True)
        except OSError:
            continue  # removed meanwhile by another export

"""Conversations kept in the visitor's browser: the list, switching, export and import.

The store lives in `gr.BrowserState` (the browser's localStorage), never on the server:

    {"version": 1, "current": <id>, "conversations": [{"id": <16 hex>, **document}, ...]}

where each document is `ui.export`'s versioned conversation format, so stored data and
imported files pass the same validation: both come from the browser and are untrusted.
Raw assistant turns (M2's `<think>` part) are kept there too and refill the server-side
`raw_replies` state when a conversation is reopened.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import tempfile
import time
from typing import Any

import gradio as gr

from minimax_backend.models import DEFAULT_MODEL, PRO, V2, models_for, spec_for

from . import export
from .controls import BOT_NAME, USER_NAME
from .export import FormatError, parse_document, parse_settings
from .strings import lang_of, text
from .transcript import history_to_messages, messages_to_history

STORE_VERSION = 1
STORAGE_KEY = "minimax-chat-conversations"
# gradio's BrowserState encrypts in the browser with a secret it ships in the page config, so
# the secret hides nothing from anyone who can open the page; what it must be is stable, or
# every restart makes the stored chats unreadable. See README, "Conversations".
DEFAULT_STORAGE_SECRET = "minimax-chat-browser-storage-v1"
MAX_CONVERSATIONS = 50
# The store travels in each save request, beside the chat on screen, under the app's 2 MB
# body cap (ui/middleware.py); localStorage holds about 5 MB per site.
MAX_STORE_BYTES = 1_000_000
TITLE_CHARS = 40
_ID = re.compile(r"^[0-9a-f]{16}$")


def storage_secret(env: dict | None = None) -> str:
    """APP_STORAGE_SECRET if set (a Space secret), else a fixed default: see the module note."""
    env = os.environ if env is None else env
    return (env.get("APP_STORAGE_SECRET") or "").strip() or DEFAULT_STORAGE_SECRET


def browser_store() -> gr.BrowserState:
    """The component holding the store in the browser."""
    return gr.BrowserState(None, storage_key=STORAGE_KEY, secret=storage_secret())


def new_id() -> str:
    return secrets.token_hex(8)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


# -- the store ----------------------------------------------------------------------------

def parse_store(value: Any) -> dict:
    """A valid store from what the browser sent: bad conversations are dropped, never trusted."""
    store = {"version": STORE_VERSION, "current": "", "conversations": []}
    if not isinstance(value, dict) or not isinstance(value.get("conversations"), list):
        return store
    seen = set()
    for item in value["conversations"][:MAX_CONVERSATIONS]:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) \
                or not _ID.match(item["id"]) or item["id"] in seen:
            continue
        try:
            document = parse_document(item)
        except FormatError:
            continue
        seen.add(item["id"])
        store["conversations"].append({"id": item["id"], **document})
    current = value.get("current")
    store["current"] = current if current in seen else ""
    return store


def _find(store: dict, conv_id: str) -> dict | None:
    return next((c for c in store["conversations"] if c["id"] == conv_id), None)


def _settings(values: tuple) -> dict | None:
    named = dict(zip(export.SETTINGS, values))
    if isinstance(named.get("max_tokens"), float) and named["max_tokens"].is_integer():
        named["max_tokens"] = int(named["max_tokens"])
    try:
        return parse_settings(named)
    except FormatError:
        return None


def _default_settings() -> dict:
    spec = spec_for(DEFAULT_MODEL[V2])
    return {"api": V2, "model": DEFAULT_MODEL[V2], "system": "", "temperature": spec.default_temperature,
            "top_p": spec.default_top_p, "max_tokens": spec.default_max_tokens,
            "bot_name": BOT_NAME, "user_name": USER_NAME}


def _new_conversation(settings: dict) -> dict:
    now = _now()
    return {"id": new_id(), "format": export.FORMAT, "version": export.VERSION, "title": "",
            "created": now, "updated": now, "settings": dict(settings), "messages": []}


def title_of(conversation: dict, lang: str) -> str:
    """The title shown in the list: the visitor's, else the first message's start."""
    if conversation.get("title"):
        return conversation["title"]
    first = next((m["content"] for m in conversation["messages"] if m["role"] == "user"), "")
    first = " ".join(first.split())
    if not first:
        return text("untitled", lang)
    return first if len(first) <= TITLE_CHARS else first[:TITLE_CHARS - 1] + "…"


def _bound(store: dict) -> dict:
    """Drop the oldest conversations (never the current one) until the store fits."""
    conversations = store["conversations"]
    while len(conversations) > 1 and (len(conversations) > MAX_CONVERSATIONS
                                      or len(json.dumps(store, ensure_ascii=False).encode()) > MAX_STORE_BYTES):
        # Least recently updated first; on a tie, the one furthest down the list (older).
        _, index = min((c.get("updated") or "", -i) for i, c in enumerate(conversations)
                       if c["id"] != store["current"])
        del conversations[-index]
    return store


def _list_update(store: dict, lang: str) -> dict:
    choices = [(title_of(c, lang), c["id"]) for c in store["conversations"]]
    return gr.update(choices=choices, value=store["current"] or None)


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

    def _save_current(self, store: dict, history: Any, raw: Any, values: tuple) -> dict:
        """Put the chat on screen and its settings into the current conversation."""
        try:
            messages = history_to_messages(history, raw if isinstance(raw, dict) else {})
        except ValueError:  # a malformed history: keep what was stored
            messages = None
        conversation = _find(store, store["current"])
        if conversation is None:
            if not messages:
                return store
            conversation = _new_conversation(_settings(values) or _default_settings())
            store["conversations"].insert(0, conversation)
            store["current"] = conversation["id"]
        if messages is not None:
            try:
                conversation["messages"] = export.parse_messages(messages)
            except FormatError:
                pass
        conversation["settings"] = _settings(values) or conversation["settings"]
        conversation["updated"] = _now()
        return _bound(store)

    # -- events --------------------------------------------------------------------------

    def restore(self, stored: Any, request: gr.Request) -> tuple:
        """Reopen the last conversation on page load. Outputs: store, list, chatbot, raw
        replies, and the eight settings."""
        lang = lang_of(request)
        store = parse_store(stored)
        conversation = _find(store, store["current"]) or \
            (store["conversations"][0] if store["conversations"] else None)
        if conversation is None:
            return (store, _list_update(store, lang), gr.skip(), gr.skip(), *(gr.skip(),) * 8)
        return self._open(store, conversation, lang)

    def save(self, stored: Any, history: Any, raw: Any, api: Any, model: Any, system: Any, temperature: Any, top_p: Any,
             max_tokens: Any, bot_name: Any, user_name: Any,
             request: gr.Request) -> tuple:
        """Store the chat and settings in the current conversation. Outputs: store, list."""
        values = (api, model, system, temperature, top_p, max_tokens, bot_name, user_name)
        store = self._save_current(parse_store(stored), history, raw, values)
        return store, _list_update(store, lang_of(request))

    def new(self, stored: Any, history: Any, raw: Any, api: Any, model: Any, system: Any, temperature: Any, top_p: Any,
             max_tokens: Any, bot_name: Any, user_name: Any,
            request: gr.Request) -> tuple:
        """Keep the chat on screen and start an empty conversation with the same settings.
        Outputs: store, list."""
        values = (api, model, system, temperature, top_p, max_tokens, bot_name, user_name)
        store = parse_store(stored)
        if history:
            store = self._save_current(store, history, raw, values)
        current = _find(store, store["current"])
        if current is None or current["messages"]:
            current = _new_conversation(_settings(values) or _default_settings())
            store["conversations"].insert(0, current)
            store["current"] = current["id"]
        return _bound(store), _list_update(store, lang_of(request))

    def switch(self, stored: Any, chosen: Any, history: Any, raw: Any, api: Any, model: Any, system: Any, temperature: Any, top_p: Any,
             max_tokens: Any, bot_name: Any, user_name: Any,
               request: gr.Request) -> tuple:
        """Open another conversation with its settings. Outputs: as `restore`."""
        values = (api, model, system, temperature, top_p, max_tokens, bot_name, user_name)
        store = parse_store(stored)
        target = _find(store, chosen) if isinstance(chosen, str) else None
        if target is None or chosen == store["current"]:
            return (gr.skip(),) * 12
        if self._refused(request):  # and put the list back on the conversation shown
            return (gr.skip(), gr.update(value=store["current"] or None), *(gr.skip(),) * 10)
        store = self._save_current(store, history, raw, values)
        return self._open(store, _find(store, chosen) or target, lang_of(request))

    def rename(self, stored: Any, title: Any, request: gr.Request) -> tuple:
        """Give the current conversation the visitor's title. Outputs: store, list, title box."""
        store = parse_store(stored)
        conversation = _find(store, store["current"])
        title = " ".join(title.split())[:export.MAX_TITLE_CHARS] if isinstance(title, str) else ""
        if conversation is None or not title:
            return gr.skip(), gr.skip(), gr.skip()
        conversation["title"] = title
        return store, _list_update(store, lang_of(request)), ""

    def delete(self, stored: Any, request: gr.Request) -> tuple:
        """Delete the current conversation and open the next one. Outputs: as `restore`."""
        if self._refused(request):
            return (gr.skip(),) * 12
        lang = lang_of(request)
        store = parse_store(stored)
        store["conversations"] = [c for c in store["conversations"] if c["id"] != store["current"]]
        if not store["conversations"]:
            fresh = _new_conversation(_default_settings())
            store["conversations"].append(fresh)
        return self._open(store, store["conversations"][0], lang)

    def import_file(self, file: Any, stored: Any, history: Any, raw: Any, api: Any, model: Any, system: Any, temperature: Any, top_p: Any,
             max_tokens: Any, bot_name: Any, user_name: Any,
                    request: gr.Request) -> tuple:
        """Open an exported JSON file as a new conversation; a bad file changes nothing but
        says why. Outputs: as `restore`."""
        values = (api, model, system, temperature, top_p, max_tokens, bot_name, user_name)
        if self._refused(request):
            return (gr.skip(),) * 12
        lang = lang_of(request)
        path = file if isinstance(file, str) else getattr(file, "name", None)
        try:
            if not path or os.path.getsize(path) > export.MAX_FILE_BYTES:
                raise FormatError(f"the file is missing or larger than {export.MAX_FILE_BYTES // 1_000_000} MB",
                                  f"文件不存在或超过 {export.MAX_FILE_BYTES // 1_000_000} MB")
            with open(path, "rb") as handle:
                document = export.load_json(handle.read(export.MAX_FILE_BYTES + 1))
        except FormatError as err:
            gr.Warning(err.message(lang))
            return (gr.skip(),) * 12
        except OSError:
            gr.Warning(text("import_unreadable", lang))
            return (gr.skip(),) * 12
        store = self._save_current(parse_store(stored), history, raw, values)
        conversation = {"id": new_id(), **document}
        store["conversations"].insert(0, conversation)
        store["current"] = conversation["id"]
        return self._open(_bound(store), conversation, lang)

    def _document(self, stored: Any, history: Any, raw: Any, values: tuple) -> dict:
        store = self._save_current(parse_store(stored), history, raw, values)
        conversation = _find(store, store["current"]) or _new_conversation(_default_settings())
        return {k: v for k, v in conversation.items() if k != "id"}

    def export_json(self, stored: Any, history: Any, raw: Any, api: Any, model: Any, system: Any, temperature: Any, top_p: Any,
             max_tokens: Any, bot_name: Any, user_name: Any,
                    request: gr.Request) -> str:
        """The current conversation as a JSON file. Output: a file."""
        values = (api, model, system, temperature, top_p, max_tokens, bot_name, user_name)
        document = self._document(stored, history, raw, values)
        document["title"] = title_of(document, lang_of(request))
        return _write(export.dump_json(document), ".json")

    def export_markdown(self, stored: Any, history: Any, raw: Any, api: Any, model: Any, system: Any, temperature: Any, top_p: Any,
             max_tokens: Any, bot_name: Any, user_name: Any,
                        options: Any, request: gr.Request) -> str:
        """The current conversation as Markdown, with the chosen options. Output: a file."""
        values = (api, model, system, temperature, top_p, max_tokens, bot_name, user_name)
        options = options if isinstance(options, list) else []
        lang = lang_of(request)
        document = self._document(stored, history, raw, values)
        document["title"] = title_of(document, lang)
        body = export.to_markdown(document, lang, thinking="thinking" in options,
                                  notes="usage" in options)
        return _write(body, ".md")


# Exports are written here, each in its own folder so the download keeps a readable name.
# Gradio copies a returned file into its cache straight away (cleaned by the Blocks'
# `delete_cache`), so older exports are removed on the next export: a public server must
# not collect every visitor's conversations on its disk.
EXPORTS = os.path.join(tempfile.gettempdir(), "minimax-chat-exports")
EXPORT_TTL = 600.0  # seconds


def _write(body: str, suffix: str) -> str:
    os.makedirs(EXPORTS, exist_ok=True)
    _prune(EXPORTS, time.time() - EXPORT_TTL)
    folder = tempfile.mkdtemp(prefix="export-", dir=EXPORTS)
    path = os.path.join(folder, time.strftime("minimax-chat-%Y%m%d-%H%M%S") + suffix)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(body)
    return path


def _prune(root: str, before: float) -> None:
    """Remove the folders in `root` last changed before `before` (a timestamp)."""
    for entry in os.scandir(root):
        try:
            if entry.is_dir(follow_symlinks=False) and entry.stat().st_mtime < before:
                shutil.rmtree(entry.path, ignore_errors=True)
        except OSError:
            continue  # removed meanwhile by another export

"""The conversations a visitor keeps in their browser: the store's shape, its validation
and its bounds. The handlers that show and change it are `handlers.py` and `files.py`.

The store lives in `gr.BrowserState` (the browser's localStorage), never on the server:

    {"version": 1, "current": <id>, "conversations": [{"id": <16 hex>, **document}, ...]}

where each document is `ui.conversations.export`'s versioned conversation format, so stored data and
imported files pass the same validation: both come from the browser and are untrusted.
Raw assistant turns (M2's `<think>` part) are kept there too and refill the server-side
`raw_replies` state when a conversation is reopened.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import time
from collections.abc import Mapping
from typing import Any

import gradio as gr

from ..chat.settings import ChatSettings
from ..text.strings import text
from . import export
from .export import FormatError, parse_document

STORE_VERSION = 1
STORAGE_KEY = "minimax-chat-conversations"
# gradio's BrowserState encrypts in the browser with a secret it ships in the page config, so
# the secret hides nothing from anyone who can open the page; what it must be is stable, or
# every restart makes the stored chats unreadable. See docs/features.md, "Conversations".
DEFAULT_STORAGE_SECRET = "minimax-chat-browser-storage-v1"
MAX_CONVERSATIONS = 50
# The store travels in each save request, beside the chat on screen, under the app's 2 MB
# body cap (ui/server/middleware.py); localStorage holds about 5 MB per site.
MAX_STORE_BYTES = 1_000_000
TITLE_CHARS = 40
_ID = re.compile(r"^[0-9a-f]{16}$")


def storage_secret(env: Mapping[str, str] | None = None) -> str:
    """APP_STORAGE_SECRET if set (a Space secret), else a fixed default: see the module note."""
    env = os.environ if env is None else env
    return (env.get("APP_STORAGE_SECRET") or "").strip() or DEFAULT_STORAGE_SECRET


def browser_store() -> gr.BrowserState:
    """The component holding the store in the browser."""
    return gr.BrowserState(None, storage_key=STORAGE_KEY, secret=storage_secret())


def new_id() -> str:
    return secrets.token_hex(8)


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


# -- the store ----------------------------------------------------------------------------

def parse_store(value: Any) -> dict:
    """A valid store from what the browser sent: bad conversations are dropped, never trusted."""
    conversations: list[dict] = []
    store = {"version": STORE_VERSION, "current": "", "conversations": conversations}
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
        conversations.append({"id": item["id"], **document})
    current = value.get("current")
    store["current"] = current if current in seen else ""
    return store


def find(store: dict, conv_id: str) -> dict | None:
    return next((c for c in store["conversations"] if c["id"] == conv_id), None)


def default_settings() -> dict:
    return ChatSettings().as_dict()


def new_conversation(settings: dict) -> dict:
    now_ = now()
    return {"id": new_id(), "format": export.FORMAT, "version": export.VERSION, "title": "",
            "created": now_, "updated": now_, "settings": dict(settings), "messages": []}


def title_of(conversation: dict, lang: str) -> str:
    """The title shown in the list: the visitor's, else the first message's start."""
    if conversation.get("title"):
        return conversation["title"]
    first = next((m["content"] for m in conversation["messages"] if m["role"] == "user"), "")
    first = " ".join(first.split())
    if not first:
        return text("untitled", lang)
    return first if len(first) <= TITLE_CHARS else first[:TITLE_CHARS - 1] + "…"


def _json_bytes(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False).encode())


def bound(store: dict) -> dict:
    """Drop the oldest conversations (never the current one) until the store fits."""
    conversations = store["conversations"]
    # The store's JSON is its frame plus each conversation's, joined by ", ": each is
    # measured once (measuring the whole store after every drop cost seconds for a large one).
    sizes = {id(c): _json_bytes(c) + 2 for c in conversations}
    size = _json_bytes({**store, "conversations": []}) - 2 + sum(sizes.values())
    while len(conversations) > 1 and (len(conversations) > MAX_CONVERSATIONS or size > MAX_STORE_BYTES):
        # Least recently updated first; on a tie, the one furthest down the list (older).
        _, index = min((c.get("updated") or "", -i) for i, c in enumerate(conversations)
                       if c["id"] != store["current"])
        size -= sizes[id(conversations[-index])]
        del conversations[-index]
    return store

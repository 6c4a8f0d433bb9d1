"""A visitor's own personas, kept in their browser like their chats, in a store of their own.

The store is a personas document (`personas.py`) in a `gr.BrowserState` beside the chats'
(same secret: see `store.py`). Its budget is its own, 50 personas and 200 KB, beside the
chats' 1 MB: together well under the 5 MB a browser keeps per site, and it travels only in
the personas' own requests, never in a chat's saves. Unlike a chat, a persona is never
dropped to make room: a save or import that would not fit is refused, and says so.
"""
from __future__ import annotations

import json
from typing import Any

import gradio as gr

from .personas import FORMAT, OWN_ID, VERSION, PersonaFormatError, parse_persona
from .store import new_id, now, storage_secret

STORAGE_KEY = "minimax-chat-personas"
MAX_PERSONAS = 50
MAX_STORE_BYTES = 200_000


class StoreFull(Exception):
    """Adding these personas would pass the store's budget; nothing was added."""


def browser_personas() -> gr.BrowserState:
    """The component holding the visitor's personas in the browser."""
    return gr.BrowserState(None, storage_key=STORAGE_KEY, secret=storage_secret())


def empty() -> dict:
    return {"format": FORMAT, "version": VERSION, "personas": []}


def parse_store(value: Any) -> dict:
    """A valid store from what the browser sent: a persona that is not valid is dropped."""
    store = empty()
    items = value.get("personas") if isinstance(value, dict) else None
    if not isinstance(items, list):
        return store
    seen: set[str] = set()
    for item in items[:MAX_PERSONAS]:
        try:
            persona = parse_persona(item)
        except PersonaFormatError:
            continue
        if OWN_ID.match(persona["id"]) and persona["id"] not in seen:
            seen.add(persona["id"])
            store["personas"].append(persona)
    return store


def find(store: dict, persona_id: Any) -> dict | None:
    return next((p for p in store["personas"] if p["id"] == persona_id), None)


def size(store: dict) -> int:
    """The store's bytes as JSON, as the browser keeps it."""
    return len(json.dumps(store, ensure_ascii=False).encode())


def fits(store: dict) -> bool:
    return len(store["personas"]) <= MAX_PERSONAS and size(store) <= MAX_STORE_BYTES


def unused_name(name: str, taken: set[str], limit: int) -> str:
    """`name`, or "name (2)", "(3)"… for the first not in `taken`, within `limit` characters."""
    number, candidate = 1, name
    while candidate in taken:
        number += 1
        suffix = f" ({number})"
        candidate = name[:limit - len(suffix)] + suffix
    return candidate


def _same(a: dict, b: dict) -> bool:
    return all(a[k] == b[k] for k in ("name", "description", "settings"))


def add(store: dict, name: str, description: str, settings: dict, limit: int) -> tuple[dict, dict]:
    """A new store with a new persona first (a name already used gets a number); raises
    StoreFull. Returns the store and the persona."""
    stamp = now()
    taken = {p["name"] for p in store["personas"]}
    persona = {"id": new_id(), "name": unused_name(name, taken, limit), "description": description,
               "created": stamp, "updated": stamp, "settings": dict(settings)}
    grown = {**store, "personas": [persona, *store["personas"]]}
    if not fits(grown):
        raise StoreFull
    return grown, persona


def merge(store: dict, imported: list[dict], limit: int) -> tuple[dict, int, int]:
    """A new store with the `imported` personas after the visitor's, each with a new id; one
    the same as one already kept is skipped, a taken name gets a number. Raises StoreFull
    (nothing added) when they would not fit. Returns the store, added and skipped counts."""
    kept = list(store["personas"])
    added = skipped = 0
    for persona in imported:
        if any(_same(persona, p) for p in kept):
            skipped += 1
            continue
        name = unused_name(persona["name"], {p["name"] for p in kept}, limit)
        kept.append({**persona, "id": new_id(), "name": name})
        added += 1
    grown = {**store, "personas": kept}
    if not fits(grown):
        raise StoreFull
    return grown, added, skipped


def replace(store: dict, persona_id: str, **changes: Any) -> tuple[dict, dict]:
    """A new store with the persona `persona_id` changed; raises StoreFull. Returns the store
    and the changed persona (KeyError when it is gone)."""
    old = find(store, persona_id)
    if old is None:
        raise KeyError(persona_id)
    changed = {**old, **changes, "updated": now()}
    grown = {**store, "personas": [changed if p is old else p for p in store["personas"]]}
    if not fits(grown):
        raise StoreFull
    return grown, changed


def remove(store: dict, persona_id: str) -> dict:
    """A new store without the persona `persona_id`."""
    return {**store, "personas": [p for p in store["personas"] if p["id"] != persona_id]}

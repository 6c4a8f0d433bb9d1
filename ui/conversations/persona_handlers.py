"""The personas' handlers: list them, show one, start a chat from one, save the settings as
one, edit, delete, export and import. The format is `personas.py`; the store, `persona_store.py`.

The persona picked in the list is held on the server (`chosen`, a gr.State), so starting a
chat from it sends the chats' store without the personas' beside it.
"""
from __future__ import annotations

import os
from typing import Any

import gradio as gr

from minimax_backend import ValidationError

from ..chat.settings import ChatSettings
from ..text.strings import lang_of, text
from .current import keep_current, kept, open_conversation, refused, unchanged
from .persona_store import (
    MAX_PERSONAS,
    MAX_STORE_BYTES,
    StoreFull,
    add,
    find,
    merge,
    parse_store,
    remove,
    replace,
)
from .personas import (
    DESCRIPTION_CHARS,
    MAX_FILE_BYTES,
    NAME_CHARS,
    PersonaFormatError,
    applied,
    built_in,
    dump_json,
    load_json,
    parse_persona,
)
from .store import bound, default_settings, new_conversation
from .store import find as find_conversation
from .store import parse_store as parse_chats

OWN_ICON = "👤"
EXPORT_NAME = "minimax-personas.json"
DETAILS = 7  # name, description, system prompt, Save changes, Delete, Start, the chosen persona


def _one_line(value: Any, limit: int) -> str:
    return " ".join(value.split())[:limit] if isinstance(value, str) else ""


def label(persona: dict, icon: str) -> str:
    """A persona's line in the list: icon, name and description, as plain text."""
    return f"{icon} {persona['name']}" + (f" · {persona['description']}" if persona["description"] else "")


def list_update(store: dict, lang: str, value: str | None = None) -> dict:
    """The list: the visitor's own personas first, then the built-in ones in `lang`."""
    choices = [(label(p, OWN_ICON), p["id"]) for p in store["personas"]]
    choices += [(label(p, p["icon"]), p["id"]) for p in built_in(lang)]
    return gr.update(choices=choices, value=value)


def details(persona: dict | None, own: bool = False) -> tuple:
    """The picked persona's fields (editable only for an own one), Save changes, Delete,
    Start, and what is held as the chosen persona."""
    if persona is None:
        blank, off = gr.update(value="", interactive=False), gr.update(interactive=False)
        return blank, blank, blank, off, off, off, None
    mine = gr.update(interactive=own)
    return (gr.update(value=persona["name"], interactive=own),
            gr.update(value=persona["description"], interactive=own),
            gr.update(value=persona["settings"].get("system", ""), interactive=own),
            mine, mine, gr.update(interactive=True), {**persona, "own": own})


def _skip(count: int) -> tuple:
    return (gr.skip(),) * count


class PersonaHandlers:
    """Gradio handlers over the personas' browser store. `runs.busy(session)` is True while
    a reply streams: a chat is not started from a persona then."""

    def __init__(self, runs: Any = None) -> None:
        self.runs = runs

    def restore(self, stored: Any, request: gr.Request) -> tuple:
        """The list on page load. Outputs: store, list."""
        store = parse_store(stored)
        return store, list_update(store, lang_of(request))

    def choose(self, stored: Any, chosen: Any, request: gr.Request) -> tuple:
        """Show the persona picked in the list. Outputs: `details`."""
        own = find(parse_store(stored), chosen)
        if own is not None:
            return details(own, own=True)
        return details(next((p for p in built_in(lang_of(request)) if p["id"] == chosen), None))

    def start(self, stored_chats: Any, history: Any, raw: Any, chosen: Any,
              settings: ChatSettings | None, request: gr.Request) -> tuple:
        """Keep the chat on screen and open a new one with the chosen persona's settings (an
        empty chat on screen takes them itself). Outputs: as ConversationHandlers.restore."""
        lang = lang_of(request)
        if not isinstance(chosen, dict):
            gr.Warning(text("persona_pick_first", lang))
            return unchanged()
        if refused(self.runs, request):
            return unchanged()
        store = keep_current(parse_chats(stored_chats), history, raw, settings, lang)
        current = find_conversation(store, store["current"])
        base = kept(settings) or (current["settings"] if current else default_settings())
        try:
            started = ChatSettings(**applied(chosen["settings"], base)).as_dict()
        except (ValidationError, TypeError):
            gr.Warning(text("persona_bad_settings", lang))
            return unchanged()
        if current is None or current["messages"]:
            current = new_conversation(started)
            store["conversations"].insert(0, current)
        current["settings"] = started
        gr.Info(text("persona_started", lang, name=chosen["name"]))
        return open_conversation(bound(store), current, lang)

    def save_as(self, stored: Any, name: Any, description: Any, settings: ChatSettings | None,
                request: gr.Request) -> tuple:
        """Save the settings panel's values as a new persona of the visitor's. Outputs: store,
        list, the name and description boxes, `details`."""
        lang = lang_of(request)
        name = _one_line(name, NAME_CHARS)
        if not name or settings is None:
            gr.Warning(text("persona_no_name" if not name else "persona_bad_settings", lang))
            return _skip(4 + DETAILS)
        try:
            store, persona = add(parse_store(stored), name, _one_line(description, DESCRIPTION_CHARS),
                                 settings.as_dict(), NAME_CHARS)
        except StoreFull:
            gr.Warning(text("persona_full", lang, limit=MAX_PERSONAS, kb=MAX_STORE_BYTES // 1000))
            return _skip(4 + DETAILS)
        gr.Info(text("persona_saved", lang, name=persona["name"]))
        return store, list_update(store, lang, persona["id"]), "", "", *details(persona, own=True)

    def _own(self, store: dict, chosen: Any, lang: str) -> dict | None:
        """The chosen persona if it is the visitor's and still kept; else None, once said why."""
        if not isinstance(chosen, dict):
            gr.Warning(text("persona_pick_first", lang))
        elif not chosen.get("own"):
            gr.Warning(text("persona_not_own", lang))
        elif find(store, chosen.get("id")) is None:
            gr.Warning(text("persona_gone", lang))
        else:
            return find(store, chosen["id"])
        return None

    def edit(self, stored: Any, chosen: Any, name: Any, description: Any, system: Any,
             request: gr.Request) -> tuple:
        """Save the edited name, description and system prompt of an own persona. Outputs:
        store, list, `details`."""
        lang = lang_of(request)
        store = parse_store(stored)
        persona = self._own(store, chosen, lang)
        name = _one_line(name, NAME_CHARS)
        if persona is None or not name:
            if persona is not None:
                gr.Warning(text("persona_no_name", lang))
            return _skip(2 + DETAILS)
        changes = {"name": name, "description": _one_line(description, DESCRIPTION_CHARS),
                   "settings": {**persona["settings"], "system": system}}
        try:
            parse_persona({**persona, **changes})  # a system prompt over the limit, say
            store, persona = replace(store, persona["id"], **changes)
        except PersonaFormatError as err:
            gr.Warning(err.message(lang))
            return _skip(2 + DETAILS)
        except StoreFull:
            gr.Warning(text("persona_full", lang, limit=MAX_PERSONAS, kb=MAX_STORE_BYTES // 1000))
            return _skip(2 + DETAILS)
        gr.Info(text("persona_updated", lang, name=persona["name"]))
        return store, list_update(store, lang, persona["id"]), *details(persona, own=True)

    def delete(self, stored: Any, chosen: Any, confirmed: Any, request: gr.Request) -> tuple:
        """Delete the chosen own persona once the visitor `confirmed`. Outputs: store, list,
        `details`."""
        lang = lang_of(request)
        store = parse_store(stored)
        persona = self._own(store, chosen, lang)
        if persona is None or confirmed is not True:
            return _skip(2 + DETAILS)
        store = remove(store, persona["id"])
        return store, list_update(store, lang), *details(None)

    def export(self, stored: Any, request: gr.Request) -> tuple:
        """The visitor's own personas as a JSON file, saved by the browser. Outputs: file
        name, text."""
        store = parse_store(stored)
        if not store["personas"]:
            gr.Warning(text("persona_none_to_export", lang_of(request)))
            return gr.skip(), gr.skip()
        return EXPORT_NAME, dump_json(store["personas"])

    def import_file(self, file: Any, stored: Any, request: gr.Request) -> tuple:
        """Add the personas of an exported file to the visitor's; a bad file, or one that
        would not fit, changes nothing but says why. Outputs: store, list, `details`."""
        lang = lang_of(request)
        path = file if isinstance(file, str) else getattr(file, "name", None)
        try:
            if not path or os.path.getsize(path) > MAX_FILE_BYTES:
                raise PersonaFormatError("file_missing", mb=MAX_FILE_BYTES // 1_000_000)
            with open(path, "rb") as handle:
                document = load_json(handle.read(MAX_FILE_BYTES + 1))
            store, added, skipped = merge(parse_store(stored), document["personas"], NAME_CHARS)
        except PersonaFormatError as err:
            gr.Warning(err.message(lang))
            return _skip(2 + DETAILS)
        except OSError:
            gr.Warning(text("import_unreadable", lang))
            return _skip(2 + DETAILS)
        except StoreFull:
            gr.Warning(text("persona_import_full", lang, count=len(document["personas"]),
                            limit=MAX_PERSONAS, kb=MAX_STORE_BYTES // 1000))
            return _skip(2 + DETAILS)
        gr.Info(text("persona_imported", lang, added=added, skipped=skipped))
        return store, list_update(store, lang), *details(None)

"""Personas as data: the format a visitor's own are kept and exported in, its validation, the
built-in library checked by the same code, and the settings a chat started from one gets.

A personas file is of the conversation file's family (`export.py`): versioned, and untrusted
whether it comes from a file or back from the browser's storage:

    {"format": "minimax-chat-personas", "version": 1,
     "personas": [{"id": str, "name": str, "description": str, "created": str, "updated": str,
                   "settings": {a conversation's settings: api, model, system, temperature,
                                top_p, max_tokens, bot_name, user_name, thinking?}}]}

A persona may leave out the API and the model (the built-in ones do): a chat started from it
keeps the visitor's, with the persona's max tokens held to what that model allows.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from minimax_backend.models import spec_for

from ..protect.limits import IMPORT_BYTES
from ..text.persona_files import persona_refusal
from ..text.persona_library import LIBRARY
from ..text.strings import EN, ZH
from .export import FormatError, checked_text, parse_settings

FORMAT = "minimax-chat-personas"
VERSION = 1
NAME_CHARS = 40
DESCRIPTION_CHARS = 120
MAX_FILE_BYTES = IMPORT_BYTES.default
MAX_IN_FILE = 200
# Own ids are drawn like a conversation's (16 hex digits); built-in ones are words.
_ID = re.compile(r"^[0-9a-z][0-9a-z-]{0,31}$")
OWN_ID = re.compile(r"^[0-9a-f]{16}$")
# Validates the settings of a persona that names no model: a name no table knows gets the
# largest limits (`spec_for`), so its max tokens are checked against the most any model takes.
_ANY_MODEL = "any-model"


class PersonaFormatError(FormatError):
    """A personas file (or stored personas) that is not valid; `message(lang)` says why."""

    def __init__(self, reason: str, where: str = "", **values: object) -> None:
        ValueError.__init__(self, persona_refusal(reason, EN, where, **values))
        self.reason, self.where, self.values = reason, where, values

    def message(self, lang: str) -> str:
        return persona_refusal(self.reason, lang, self.where, **self.values)


@contextmanager
def _at(where: str) -> Iterator[None]:
    """A conversation-format refusal raised inside, said as this persona's."""
    try:
        yield
    except PersonaFormatError:
        raise
    except FormatError as err:
        raise PersonaFormatError(err.reason, where, **err.values) from None


def parse_persona_settings(value: Any) -> dict:
    """A persona's settings: a conversation's, or without API and model, only the fields given."""
    if isinstance(value, dict) and "model" not in value and "api" not in value:
        given = parse_settings({**value, "model": _ANY_MODEL})
        return {name: given[name] for name in given if name in value}
    return parse_settings(value)


def parse_persona(value: Any, where: str = "persona") -> dict:
    """A validated persona (a new dict with only the known fields); raises PersonaFormatError."""
    if not isinstance(value, dict):
        raise PersonaFormatError("persona_type", where)
    if not isinstance(value.get("id"), str) or not _ID.match(value["id"]):
        raise PersonaFormatError("persona_id", where)
    with _at(where):
        name = checked_text(value.get("name"), "name", NAME_CHARS).strip()
        if not name:
            raise PersonaFormatError("no_name", where)
        return {
            "id": value["id"], "name": name,
            "description": checked_text(value.get("description"), "description", DESCRIPTION_CHARS,
                                 required=False).strip(),
            "created": checked_text(value.get("created", ""), "created", 40, required=False),
            "updated": checked_text(value.get("updated", ""), "updated", 40, required=False),
            "settings": parse_persona_settings(value.get("settings")),
        }


def parse_personas(value: Any) -> dict:
    """A validated personas document (a new dict); raises PersonaFormatError."""
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise PersonaFormatError("format", format=FORMAT)
    if value.get("version") != VERSION or isinstance(value.get("version"), bool):
        raise PersonaFormatError("version", got=value.get("version"), supported=VERSION)
    personas = value.get("personas")
    if not isinstance(personas, list):
        raise PersonaFormatError("personas_type")
    if len(personas) > MAX_IN_FILE:
        raise PersonaFormatError("too_many_personas", limit=MAX_IN_FILE)
    return {"format": FORMAT, "version": VERSION,
            "personas": [parse_persona(p, f"personas[{i}]") for i, p in enumerate(personas)]}


def load_json(data: bytes) -> dict:
    """Personas from an uploaded file's bytes; raises PersonaFormatError, never anything else."""
    if len(data) > MAX_FILE_BYTES:
        raise PersonaFormatError("file_too_big", mb=MAX_FILE_BYTES // 1_000_000)
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise PersonaFormatError("not_json") from None
    return parse_personas(value)


def dump_json(personas: list[dict]) -> str:
    """The file's text for `personas`: readable, Chinese kept as is."""
    return json.dumps({"format": FORMAT, "version": VERSION, "personas": personas},
                      ensure_ascii=False, indent=2)


def applied(persona_settings: dict, current: dict) -> dict:
    """The settings of a chat started from a persona: its own where it names a model;
    otherwise the visitor's `current` ones with the persona's fields over them, its max
    tokens held to what the model allows."""
    if "model" in persona_settings:
        return dict(persona_settings)
    merged = {**current, **persona_settings}
    merged["max_tokens"] = min(merged["max_tokens"], spec_for(merged["model"]).max_output_tokens)
    return merged


# -- the built-in library -----------------------------------------------------------------

def _library(entries: tuple[dict, ...]) -> dict[str, tuple[dict, ...]]:
    """The library in each language, every entry checked as an own persona is; raises
    PersonaFormatError at import for an entry that is not valid."""
    built_in: dict[str, tuple[dict, ...]] = {}
    for lang in (ZH, EN):
        personas = []
        for entry in entries:
            settings = {"system": entry["system"][lang], "bot_name": entry["bot_name"][lang],
                        **{k: entry[k] for k in ("temperature", "top_p", "max_tokens")}}
            persona = parse_persona({"id": entry["id"], "name": entry["name"][lang],
                                     "description": entry["description"][lang],
                                     "settings": settings}, f"built-in {entry['id']}")
            if OWN_ID.match(persona["id"]):
                raise PersonaFormatError("persona_id", f"built-in {entry['id']}")
            personas.append({**persona, "icon": entry["icon"]})
        built_in[lang] = tuple(personas)
    return built_in


BUILT_IN = _library(LIBRARY)


def built_in(lang: str) -> tuple[dict, ...]:
    """The built-in personas in `lang` (Chinese unless "en")."""
    return BUILT_IN[EN if lang == EN else ZH]

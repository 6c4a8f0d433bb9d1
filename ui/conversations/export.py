"""One conversation as a file: the versioned JSON format, its validation, and Markdown.

The JSON document is lossless and is also how a conversation is kept in the visitor's browser:

    {"format": "minimax-chat", "version": 1, "title": str, "created": str, "updated": str,
     "settings": {"api", "model", "system", "temperature", "top_p", "max_tokens",
                  "bot_name", "user_name", "thinking"?: "adaptive"|"off"},
     "messages": [{"role": "user"|"assistant", "content": str,
                   "images"?: [str],   # user: what was attached ("PNG 800x600"), not the image
                   "raw"?: str,        # the assistant turn as MiniMax sent it (M2's <think> part)
                   "reasoning"?: str,  # the thinking shown folded away
                   "note"?: {"kind": "info"|"error", "lines": [str]},  # usage, errors
                   "at"?: str,         # UTC, "2026-11-30T21:30:05Z": sent (user), ended (reply)
                   "usage"?: {"prompt", "completion", "cached", "cache_write", "reasoning",
                              "total": int, "model": str, "region": "cn"|"global"}}]}

`at` and `usage` came after version 1's first files: optional, so older files still load, and
an older app reading a newer file keeps the chat without them. An exported file adds
"estimate" (the chat's tokens and estimated cost, with the price table's date): information
for the reader, ignored on import, where the estimate is made again from `usage`.

A file comes from anywhere, and stored data comes back from the browser: both are untrusted,
so `parse_document` checks every field's type and size and rejects the whole file otherwise.
The settings' ranges are `ui/chat/settings.py`'s; the sizes are `ui/protect/limits.py`'s.
"""
from __future__ import annotations

import json
import math
from typing import Any

from minimax_backend.models import APIS, V2, spec_for
from minimax_backend.types import THINKING

from ..chat.cost import Totals, cost_line, time_of, totals, usage_of
from ..chat.settings import TEXT_CHARS, UNIT, max_tokens_span
from ..protect.limits import IMPORT_BYTES, MAX_CONTEXT_CHARS, TITLE_CHARS
from ..text.files import TRANSCRIPT_LABELS, file_refusal
from ..text.strings import EN, ZH

FORMAT = "minimax-chat"
VERSION = 1
MAX_FILE_BYTES = IMPORT_BYTES.default
MAX_MESSAGES = 1_000
MAX_FIELD_CHARS = MAX_CONTEXT_CHARS  # one message, its raw turn or its reasoning
MAX_TITLE_CHARS = TITLE_CHARS.default
MAX_NOTE_LINES = 12
MAX_NOTE_LINE_CHARS = 600
NOTE_KINDS = ("info", "error")
# A stored or exported conversation keeps a line naming each image, never the image: a few
# photos would fill the browser's store (docs/features.md, "Images").
MAX_IMAGES = 4
IMAGE_LABEL_CHARS = 40


class FormatError(ValueError):
    """A file or stored conversation that is not a valid conversation: `reason` is a code of
    `ui.text.files.FILE_REFUSALS`, `values` fill in its words; `str()` is English."""

    def __init__(self, reason: str, **values: object) -> None:
        super().__init__(file_refusal(reason, EN, **values))
        self.reason, self.values = reason, values

    def message(self, lang: str) -> str:
        """The reason in the visitor's language."""
        return file_refusal(self.reason, lang, **self.values)


def checked_text(value: Any, name: str, limit: int, *, required: bool = True) -> str:
    """A file's text field `name`: a string of at most `limit` characters ("" when it is
    missing and not `required`); raises FormatError naming it otherwise."""
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise FormatError("not_text", name=name)
    if len(value) > limit:
        raise FormatError("too_long", name=name, limit=limit)
    return value


def _unit(value: Any, name: str) -> float:
    # A file must not smuggle in a value the sliders cannot show or MiniMax would refuse.
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not math.isfinite(value) or not UNIT.holds(value):
        raise FormatError("not_unit", name=name)
    return float(value)


def parse_settings(value: Any) -> dict:
    """Validated settings; a missing field gets the model's default."""
    if not isinstance(value, dict):
        raise FormatError("settings_type")
    api = value.get("api", V2)
    if api not in APIS:
        raise FormatError("api", allowed=list(APIS))
    model = checked_text(value.get("model"), "settings.model", TEXT_CHARS["model"]).strip()
    if not model:
        raise FormatError("no_model")
    spec, span = spec_for(model), max_tokens_span(model)
    max_tokens = value.get("max_tokens", spec.default_max_tokens)
    if isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or not span.holds(max_tokens):
        raise FormatError("max_tokens", limit=span.high)
    return {
        "api": api, "model": model,
        "system": checked_text(value.get("system", ""), "settings.system", TEXT_CHARS["system"]),
        "temperature": _unit(value.get("temperature", spec.default_temperature), "settings.temperature"),
        "top_p": _unit(value.get("top_p", spec.default_top_p), "settings.top_p"),
        "max_tokens": max_tokens,
        "bot_name": checked_text(value.get("bot_name", ""), "settings.bot_name", TEXT_CHARS["bot_name"]),
        "user_name": checked_text(value.get("user_name", ""), "settings.user_name", TEXT_CHARS["user_name"]),
        # Missing (a file from before the switch): adaptive, MiniMax's default.
        **({"thinking": _one_of(value["thinking"], "settings.thinking", THINKING)}
           if "thinking" in value else {}),
    }


def _one_of(value: Any, name: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise FormatError("one_of", name=name, allowed=", ".join(allowed))
    return value


def _note(value: Any, where: str) -> dict:
    if not isinstance(value, dict) or value.get("kind") not in NOTE_KINDS \
            or not isinstance(value.get("lines"), list) or len(value["lines"]) > MAX_NOTE_LINES:
        raise FormatError("note", where=where)
    lines = [checked_text(line, f"{where}.note.lines", MAX_NOTE_LINE_CHARS) for line in value["lines"]]
    return {"kind": value["kind"], "lines": lines}


def _images(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or len(value) > MAX_IMAGES:
        raise FormatError("images", where=where, limit=MAX_IMAGES)
    return [checked_text(line, f"{where}.images", IMAGE_LABEL_CHARS) for line in value]


def _checked(value: Any, name: str, reason: str) -> Any:
    if value is None:
        raise FormatError(reason, name=name)
    return value


def parse_messages(value: Any) -> list[dict]:
    """Validated messages, with only the known fields kept."""
    if not isinstance(value, list):
        raise FormatError("messages_type")
    if len(value) > MAX_MESSAGES:
        raise FormatError("too_many_messages", limit=MAX_MESSAGES)
    messages, total = [], 0
    for index, item in enumerate(value):
        where = f"messages[{index}]"
        if not isinstance(item, dict) or item.get("role") not in ("user", "assistant"):
            raise FormatError("role", where=where)
        message = {"role": item["role"], "content": checked_text(item.get("content"), f"{where}.content",
                                                          MAX_FIELD_CHARS)}
        if item["role"] == "user" and item.get("images") is not None:
            message["images"] = _images(item["images"], where)
        if item["role"] == "assistant":
            for name in ("raw", "reasoning"):
                if item.get(name) is not None:
                    message[name] = checked_text(item[name], f"{where}.{name}", MAX_FIELD_CHARS)
            if item.get("note") is not None:
                message["note"] = _note(item["note"], where)
            if item.get("usage") is not None:
                message["usage"] = _checked(usage_of(item["usage"]), f"{where}.usage", "usage")
        if item.get("at") is not None:
            message["at"] = _checked(time_of(item["at"]), f"{where}.at", "at")
        total += sum(len(v) for v in message.values() if isinstance(v, str))
        messages.append(message)
    if total > 2 * MAX_FILE_BYTES:
        raise FormatError("conversation_too_long")
    return messages


def fit_for_storage(messages: list[dict]) -> list[dict]:
    """`messages` without raw turns or thinking too long to keep (a very long M2 thinking):
    the chat is still saved, and such an answer is then sent back as shown."""
    return [{k: v for k, v in m.items()
             if k not in ("raw", "reasoning") or not isinstance(v, str) or len(v) <= MAX_FIELD_CHARS}
            for m in messages]


def parse_document(value: Any) -> dict:
    """A validated conversation document (a new dict); raises FormatError."""
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise FormatError("format", format=FORMAT)
    if value.get("version") != VERSION or isinstance(value.get("version"), bool):
        raise FormatError("version", got=value.get("version"), supported=VERSION)
    return {
        "format": FORMAT, "version": VERSION,
        "title": checked_text(value.get("title", ""), "title", MAX_TITLE_CHARS, required=False).strip(),
        "created": checked_text(value.get("created", ""), "created", 40, required=False),
        "updated": checked_text(value.get("updated", ""), "updated", 40, required=False),
        "settings": parse_settings(value.get("settings")),
        "messages": parse_messages(value.get("messages")),
    }


def load_json(data: bytes) -> dict:
    """A conversation from an uploaded file's bytes; raises FormatError, never anything else."""
    if len(data) > MAX_FILE_BYTES:
        raise FormatError("file_too_big", mb=MAX_FILE_BYTES // 1_000_000)
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise FormatError("not_json") from None
    return parse_document(value)


def dump_json(document: dict) -> str:
    """The file's text: readable, Chinese kept as is, with the chat's estimate."""
    estimate = totals(m.get("usage") for m in document["messages"]).as_export()
    return json.dumps({**document, "estimate": estimate}, ensure_ascii=False, indent=2)


def _stamp(value: str) -> str:
    return f"{value[:10]} {value[11:19]} UTC"


def _quote(text: str) -> str:
    return "\n".join("> " + line for line in text.splitlines())


def to_markdown(document: dict, lang: str, *, thinking: bool = True, notes: bool = False) -> str:
    """A readable Markdown transcript: thinking folded in <details> (or left out), notes (usage,
    errors) optional."""
    labels = TRANSCRIPT_LABELS[ZH if lang == ZH else EN]
    settings = document["settings"]
    lines = [f"# {document.get('title') or labels['untitled']}", ""]
    facts = [f"{settings['api']}", f"`{settings['model']}`", f"temperature {settings['temperature']}",
             f"top_p {settings['top_p']}", f"max_tokens {settings['max_tokens']}"]
    lines += [f"*{labels['settings']}: {' · '.join(facts)}*", ""]
    if settings.get("system"):
        lines += [f"**{labels['system']}:**", "", _quote(settings["system"]), ""]
    earlier = Totals()
    for message in document["messages"]:
        lines += [f"### {labels[message['role']]}", ""]
        if message.get("at"):
            lines += [f"*{_stamp(message['at'])}*", ""]
        if thinking and message.get("reasoning"):
            lines += ["<details>", f"<summary>{labels['thinking']}</summary>", "",
                      message["reasoning"], "", "</details>", ""]
        if message.get("images"):
            lines += [f"*🖼 {labels['images']}: {'; '.join(message['images'])}*", ""]
        if message["content"]:
            lines += [message["content"], ""]
        if notes and message.get("note"):
            said = [*message["note"]["lines"], cost_line(message.get("usage"), earlier, lang)]
            lines += [_quote("\n".join(line for line in said if line)), ""]
        earlier.add(message.get("usage"))
    return "\n".join(lines).rstrip() + "\n"

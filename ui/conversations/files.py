"""Export and import of a conversation: the current one as a JSON or Markdown file for the
browser to save, and an exported JSON file opened as a new conversation. The file format and
its checks are `ui/conversations/export.py`.
"""
from __future__ import annotations

import os
import re
import unicodedata
from typing import Any

import gradio as gr

from ..chat.settings import ChatSettings
from ..text.strings import lang_of, text
from . import export
from .current import keep_current, open_conversation, refused, unchanged
from .export import FormatError
from .store import (
    bound,
    default_settings,
    find,
    new_conversation,
    new_id,
    parse_store,
    title_of,
    unused_title,
)


def add_copy(store: dict, document: dict, lang: str) -> tuple:
    """Open a validated `document` (an import, a shared link) as a new conversation at the
    top of `store`, within its bounds. Outputs: as `restore`."""
    conversation = {"id": new_id(), **document}
    # A chat imported twice, or back into the browser it came from, gets a title of its own.
    taken = {title_of(c, lang) for c in store["conversations"]}
    title = title_of(conversation, lang)
    if title in taken:
        conversation["title"] = unused_title(title, taken)
    store["conversations"].insert(0, conversation)
    store["current"] = conversation["id"]
    return open_conversation(bound(store), conversation, lang)


class FileHandlers:
    """Export and import; `runs.busy(session)` is True while a reply streams (no import then)."""

    def __init__(self, runs: Any = None) -> None:
        self.runs = runs

    def import_file(self, file: Any, stored: Any, history: Any, raw: Any,
                    settings: ChatSettings | None, request: gr.Request) -> tuple:
        """Open an exported JSON file as a new conversation; a bad file changes nothing but
        says why. Outputs: as `restore`."""
        if refused(self.runs, request):
            return unchanged()
        lang = lang_of(request)
        path = file if isinstance(file, str) else getattr(file, "name", None)
        try:
            if not path or os.path.getsize(path) > export.MAX_FILE_BYTES:
                raise FormatError("file_missing", mb=export.MAX_FILE_BYTES // 1_000_000)
            with open(path, "rb") as handle:
                document = export.load_json(handle.read(export.MAX_FILE_BYTES + 1))
        except FormatError as err:
            gr.Warning(err.message(lang))
            return unchanged()
        except OSError:
            gr.Warning(text("import_unreadable", lang))
            return unchanged()
        store = keep_current(parse_store(stored), history, raw, settings, lang)
        return add_copy(store, document, lang)

    def _document(self, stored: Any, history: Any, raw: Any, settings: ChatSettings | None,
                  lang: str) -> dict:
        store = keep_current(parse_store(stored), history, raw, settings, lang)
        conversation = find(store, store["current"]) or new_conversation(default_settings())
        return {k: v for k, v in conversation.items() if k != "id"}

    def export_json(self, stored: Any, history: Any, raw: Any, settings: ChatSettings | None,
                    request: gr.Request) -> tuple[str, str]:
        """The current conversation as a JSON file, saved by the browser. Outputs: file
        name, text."""
        lang = lang_of(request)
        document = self._document(stored, history, raw, settings, lang)
        document["title"] = title_of(document, lang)
        return file_name(document["title"], ".json"), export.dump_json(document)

    def export_markdown(self, stored: Any, history: Any, raw: Any, options: Any,
                        settings: ChatSettings | None, request: gr.Request) -> tuple[str, str]:
        """The current conversation as Markdown, with the chosen options, saved by the
        browser. Outputs: file name, text."""
        options = options if isinstance(options, list) else []
        lang = lang_of(request)
        document = self._document(stored, history, raw, settings, lang)
        document["title"] = title_of(document, lang)
        body = export.to_markdown(document, lang, thinking="thinking" in options,
                                  notes="usage" in options)
        return file_name(document["title"], ".md"), body


# An export is sent to the page, which saves it as a file (ui/browser/scripts.py DOWNLOAD):
# the server writes nothing, so a public link cannot be made to fill its disk with exports.
# A name is the chat's title, safe on every system: no character Windows refuses (the widest
# set), no control or format character (a right-to-left mark could disguise the suffix), no
# name Windows keeps for a device, no leading or trailing dot or space, and short enough in
# UTF-8 for any file system (255 bytes) with room for the browser's " (1)".
_UNSAFE = re.compile(r'[<>:"/\\|?*]')
_DEVICE = re.compile(r"(?i)(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?")
MAX_NAME_BYTES = 150
FALLBACK_NAME = "minimax-chat"


def file_name(title: str, suffix: str) -> str:
    """The file an export is saved as: `title` made safe (see above), then `suffix`."""
    kept = "".join(" " if _UNSAFE.match(c) or unicodedata.category(c)[0] in "CZ" else c
                   for c in title)
    name = " ".join(kept.split())
    while len(name.encode("utf-8")) > MAX_NAME_BYTES:
        name = name[:-1]
    name = name.strip(" .")
    if _DEVICE.fullmatch(name):
        name += "_"
    return (name or FALLBACK_NAME) + suffix

"""Export and import of a conversation: the current one written as a JSON or Markdown file
for download, and an exported JSON file opened as a new conversation. The file format and
its checks are `ui/conversations/export.py`.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
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
)


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
        conversation = {"id": new_id(), **document}
        store["conversations"].insert(0, conversation)
        store["current"] = conversation["id"]
        return open_conversation(bound(store), conversation, lang)

    def _document(self, stored: Any, history: Any, raw: Any, settings: ChatSettings | None,
                  lang: str) -> dict:
        store = keep_current(parse_store(stored), history, raw, settings, lang)
        conversation = find(store, store["current"]) or new_conversation(default_settings())
        return {k: v for k, v in conversation.items() if k != "id"}

    def export_json(self, stored: Any, history: Any, raw: Any, settings: ChatSettings | None,
                    request: gr.Request) -> str:
        """The current conversation as a JSON file. Output: a file."""
        lang = lang_of(request)
        document = self._document(stored, history, raw, settings, lang)
        document["title"] = title_of(document, lang)
        return _write(export.dump_json(document), document["title"], ".json")

    def export_markdown(self, stored: Any, history: Any, raw: Any, options: Any,
                        settings: ChatSettings | None, request: gr.Request) -> str:
        """The current conversation as Markdown, with the chosen options. Output: a file."""
        options = options if isinstance(options, list) else []
        lang = lang_of(request)
        document = self._document(stored, history, raw, settings, lang)
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

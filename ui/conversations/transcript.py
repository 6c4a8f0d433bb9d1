"""The chat widget's history and a conversation document's messages, both ways.

The widget shows an assistant turn as up to three items (the folded thinking, the answer, a
note); the document keeps it as one message with `reasoning`, `raw` and `note` beside the
answer (see `ui.conversations.export`). A user turn's images are kept as a line naming each
("PNG 800x600"), never the image: restored, they show as a note saying so.
"""
from __future__ import annotations

import html
import re
from typing import Any

from ..chat.attachments import describe, image_blocks, is_ours
from ..chat.cost import Totals, note_extra, split_extra
from ..chat.history import (
    NOTE_CLASS,
    REFUSED,
    images_note,
    is_note,
    is_pending,
    is_thought,
    item_text,
    noted_images,
)
from ..chat.reply import note
from ..text.safe_markdown import display, original
from ..text.strings import text
from . import export

_NOTE = re.compile(rf'^<div class="{NOTE_CLASS} mm-(\w+)">(.*)</div>$', re.DOTALL)


def _note_lines(content: str) -> tuple[dict, dict]:
    """A note's kind and lines, and the facts it keeps (`ui.chat.cost`)."""
    match = _NOTE.match(content)
    kind = match.group(1) if match else "info"
    # A refusal left in the chat (one of a Retry or an edit) is kept as the error it says.
    kind = "error" if kind == REFUSED else kind if kind in export.NOTE_KINDS else "info"
    body, facts = split_extra(match.group(2)) if match else (re.sub(r"<[^>]+>", "", content), {})
    return {"kind": kind, "lines": [html.unescape(line) for line in body.split("<br>")]}, facts


def _keep_facts(messages: list[dict], reply: dict, facts: dict) -> None:
    """A reply's usage and end time on it, and its message's sent time on that message."""
    if "usage" in facts:
        reply["usage"] = facts["usage"]
    if "at" in facts:
        reply["at"] = facts["at"]
    asked = next((m for m in reversed(messages) if m["role"] == "user"), None)
    if "sent" in facts and asked is not None and "at" not in asked:
        asked["at"] = facts["sent"]


def history_to_messages(history: Any, raw_replies: dict | None) -> list[dict]:
    """The document's messages for the widget's history; raises ValidationError if malformed."""
    raw_replies = raw_replies or {}
    messages: list[dict] = []
    for item in history or []:
        if not isinstance(item, dict) or item.get("role") not in ("user", "assistant"):
            continue
        content = item_text(item)
        if item["role"] == "user":
            images = [describe(b) for b in image_blocks(item) if is_ours(b)]
            images += noted_images(content)
            last = messages[-1] if messages and messages[-1]["role"] == "user" else None
            if noted_images(content) and last is not None:  # the note under its turn's text
                last["images"] = (last.get("images", []) + images)[:export.MAX_IMAGES]
                continue
            message: dict = {"role": "user", "content": "" if is_note(content) else content}
            if images:
                message["images"] = images[:export.MAX_IMAGES]
            messages.append(message)
            continue
        if is_pending(content):
            continue
        last = messages[-1] if messages and messages[-1]["role"] == "assistant" else None
        if last is None or "note" in last:
            last = {"role": "assistant", "content": ""}
            messages.append(last)
        if is_thought(item):
            last["reasoning"] = last.get("reasoning", "") + content
        elif is_note(content):
            last["note"], facts = _note_lines(content)
            _keep_facts(messages, last, facts)
        elif content:
            last["content"] = f"{last['content']}\n\n{content}" if last["content"] else content
    for message in messages:
        raw = raw_replies.get(message["content"]) if message["role"] == "assistant" else None
        # The widget shows markup escaped (ui.text.safe_markdown); a document keeps the real text.
        message["content"] = original(message["content"])
        if "reasoning" in message:
            message["reasoning"] = original(message["reasoning"])
        if isinstance(raw, str) and raw != message["content"]:
            message["raw"] = raw
    return messages


def marked_cut(messages: list[dict], lang: str) -> list[dict]:
    """`messages` saved while their last reply still streams, that reply marked as cut: kept
    so, it is what a reload, a closed tab or a lost connection leaves (the save after the
    reply replaces it). A reply that ended has its note (usage, stopped, error) already."""
    if not messages or (messages[-1]["role"] == "assistant" and "note" in messages[-1]):
        return messages
    cut = {"kind": "error", "lines": [text("cut_by_reload", lang)]}
    if messages[-1]["role"] == "user":  # not a word of the reply yet
        return [*messages, {"role": "assistant", "content": "", "note": cut}]
    return [*messages[:-1], {**messages[-1], "note": cut}]


def messages_to_history(messages: list[dict], lang: str) -> tuple[list[dict], dict]:
    """The widget's history and the raw replies for validated document messages."""
    history: list[dict] = []
    raw: dict[str, str] = {}
    earlier, sent = Totals(), ""
    for message in messages:
        shown = display(message["content"])
        if message["role"] == "user":
            sent = message.get("at", "")
            if shown:
                history.append({"role": "user", "content": shown})
            if message.get("images"):
                history.append(images_note(message["images"], lang))
            continue
        if message.get("reasoning"):
            history.append({"role": "assistant", "content": display(message["reasoning"]),
                            "metadata": {"title": text("thinking", lang), "status": "done"}})
        if shown:
            history.append({"role": "assistant", "content": shown})
            if message.get("raw"):
                raw[shown] = message["raw"]
        if message.get("note"):
            facts = {"usage": message.get("usage"), "sent": sent, "at": message.get("at")}
            history.append(note(message["note"]["lines"], message["note"]["kind"],
                                note_extra(facts, earlier, lang)))
        earlier.add(message.get("usage"))
        sent = ""
    return history, raw

"""From the chat widget's history to the conversation sent to MiniMax.

The history comes back from the browser on every call, so it is untrusted input: its shape is
checked here, and only what MiniMax should see leaves this module. Display-only items never do:
the thinking block (its text goes back inside the raw reply instead), and notes (usage,
"stopped", errors), which the UI marks with `NOTE_CLASS`.
"""
from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from minimax_backend import Message, ValidationError

from ..protect.guard import GuardConfig, too_big
from ..protect.limits import MAX_CONTEXT_CHARS
from ..text.advice import refused
from ..text.safe_markdown import original
from ..text.strings import EN, text
from .attachments import Attached, images_of
from .cost import Totals, split_extra

NOTE_CLASS = "mm-note"
_NOTE_START = f'<div class="{NOTE_CLASS}'


PENDING = "pending"  # the kind of the note shown until a reply's first token
IMAGES = "images"  # the kind of the note naming a user turn's images once they are gone
# The kind of the note saying why a message was not sent at all (a limit, a setting): the
# message then goes back into the box (`turns.TurnHandlers.take_back`).
REFUSED = "refused"
REFUSAL_MARK = f"mm-{REFUSED}"  # in every refusal note, and in the page's copy of it
_IMAGES_NOTE = re.compile(rf'^{_NOTE_START} mm-{IMAGES}">🖼 (.*?)(<br>|</div>)', re.DOTALL)
_NOTE_BODY = re.compile(rf'^{_NOTE_START} mm-\w+">(.*)</div>$', re.DOTALL)


def is_note(content: str) -> bool:
    """True for a display-only note the UI added under a reply."""
    return content.startswith(_NOTE_START)


def is_pending(content: str) -> bool:
    """True for the "waiting for MiniMax" note: it says nothing once the page is reloaded."""
    return content.startswith(f"{_NOTE_START} mm-{PENDING}\"")


def is_refusal(content: str) -> bool:
    """True for the note of a message refused before anything was asked of MiniMax."""
    return content.startswith(f"{_NOTE_START} mm-{REFUSED}\"")


def note_lines(content: str) -> list[str]:
    """The plain-text lines of a note (none for any other text)."""
    found = _NOTE_BODY.match(content)
    if not found:
        return []
    body, _ = split_extra(found.group(1))
    return [html.unescape(line) for line in body.split("<br>")]


def note_facts(content: str) -> dict:
    """The facts a reply's note keeps (`cost`): usage, sent and done times; {} for none."""
    found = _NOTE_BODY.match(content)
    return split_extra(found.group(1))[1] if found else {}


def chat_totals(history: Any) -> Totals:
    """The tokens and estimated cost of the replies in `history`, from their notes."""
    found = Totals()
    for item in history if isinstance(history, list) else []:
        try:
            content = item_text(item) if isinstance(item, dict) else ""
        except ValidationError:
            continue
        if is_note(content):
            found.add(note_facts(content).get("usage"))
    return found


def images_note(described: list[str], lang: str) -> dict:
    """The user-side note naming images a restored conversation no longer has."""
    lines = ["🖼 " + " · ".join(described), text("image_kept", lang)]
    body = "<br>".join(html.escape(line, quote=False) for line in lines)
    return {"role": "user", "content": f'<div class="{NOTE_CLASS} mm-{IMAGES}">{body}</div>'}


def noted_images(content: str) -> list[str]:
    """The images an `images_note` names (none for any other text)."""
    found = _IMAGES_NOTE.match(content)
    return [html.unescape(d) for d in found.group(1).split(" · ")] if found else []


def _bad_history(reason: str) -> ValidationError:
    return refused("history", reason)


def item_text(item: Any) -> str:
    """The text of one history item; content is gradio 6's list of blocks or a plain string."""
    content = item.get("content")
    if isinstance(content, str):
        return content
    if not isinstance(content, (list, tuple)):
        raise _bad_history("history_content")
    parts = []
    for block in content:
        if not isinstance(block, dict):
            raise _bad_history("history_block")
        if block.get("type") == "text":
            if not isinstance(block.get("text"), str):
                raise _bad_history("history_text")
            parts.append(block["text"])
        # Files and components are not part of a text chat: ignored.
    return "".join(parts)


def is_thought(item: dict) -> bool:
    metadata = item.get("metadata")
    return isinstance(metadata, dict) and bool(metadata.get("title"))


def _groups(history: Any) -> list[tuple[str, list[dict]]]:
    """Consecutive items of one role, in order, after checking each item's shape."""
    if history is None:
        return []
    if not isinstance(history, (list, tuple)):
        raise _bad_history("history_type")
    groups: list[tuple[str, list[dict]]] = []
    for item in history:
        if not isinstance(item, dict) or item.get("role") not in ("user", "assistant"):
            raise _bad_history("history_role")
        if groups and groups[-1][0] == item["role"]:
            groups[-1][1].append(item)
        else:
            groups.append((item["role"], [item]))
    return groups


def answer_text(items: list[dict]) -> str:
    """The answer shown in one assistant group: no thinking block, no notes."""
    texts = [item_text(item) for item in items if not is_thought(item)]
    return "\n\n".join(t for t in texts if t and not is_note(t))


def to_messages(history: Any, raw_replies: Mapping[str, str] | None = None,
                attached: Attached | None = None) -> list[Message]:
    """The conversation for MiniMax from a history that ends with the new user message.

    An assistant turn is sent as MiniMax produced it: `raw_replies` maps the answer as shown to
    the raw reply (with any `<think>` part); an answer not found there is sent as shown. A
    user turn whose reply never came (an error, or stopped before any answer) is left out
    together with its note, since the model never answered it. A user turn's images are sent
    while the session keeps them (`attached`); one that is gone is named in a line instead.
    """
    raw_replies = raw_replies or {}
    groups = _groups(history)
    if not groups or groups[-1][0] != "user":
        raise _bad_history("history_end")
    messages: list[Message] = []
    size = 0
    for index, (role, items) in enumerate(groups):
        if role == "user":
            # Shown with markup escaped (ui.text.safe_markdown); MiniMax gets what was typed.
            texts = [item_text(i) for i in items]
            content = "\n\n".join(original(t) for t in texts if t and not is_note(t))
            is_last = index == len(groups) - 1
            answered = not is_last and bool(answer_text(groups[index + 1][1]))
            if is_last or answered:
                images, missing = images_of(items, attached)
                missing += [d for t in texts for d in noted_images(t)]
                gone = [text("image_missing", EN, image=d) for d in missing]
                content = "\n\n".join(part for part in (*gone, content) if part)
                messages.append(Message("user", content, tuple(images)))
                size += len(content)
        elif messages and messages[-1].role == "user":
            answer = answer_text(items)
            raw = raw_replies.get(answer) or original(answer)
            messages.append(Message("assistant", raw))
            size += len(raw)
    if size > MAX_CONTEXT_CHARS:
        raise refused("history", "history_too_long", limit=MAX_CONTEXT_CHARS)
    return messages


def shown_answers(history: Any) -> set[str]:
    """Every answer shown in `history`, as `to_messages` looks them up."""
    return {answer_text(items) for role, items in _groups(history) if role == "assistant"}


def last_user_index(history: list[dict]) -> int | None:
    """Index of the first item of the last user group, or None without one."""
    index = None
    for i in range(len(history) - 1, -1, -1):
        role = history[i].get("role") if isinstance(history[i], dict) else None
        if role == "user":
            index = i
        elif index is not None:
            break
    return index


def check_history(history: Any, config: GuardConfig) -> None:
    """Refuse a history (untrusted: it comes back from the browser) over the size limits.
    Its shape is checked item by item here and again by `history.to_messages`."""
    if not isinstance(history, (list, tuple)):
        raise refused("history", "history_not_list")
    turns = size = 0
    previous = None
    for item in history:
        if not isinstance(item, dict) or item.get("role") not in ("user", "assistant"):
            raise refused("history", "message_role")
        content = item_text(item)
        size += len(content)
        if item["role"] == "user":
            content = original(content)  # as typed: the box counts it so
            turns += item["role"] != previous
            if len(content) > config.max_message_chars:
                raise too_big("message_chars", config.max_message_chars)
        previous = item["role"]
    # Items without text still cost CPU to validate and re-render: cap their number too.
    if turns > config.max_history_turns or len(history) > 8 * config.max_history_turns:
        raise too_big("history_turns", config.max_history_turns)
    if size > config.max_history_chars:
        raise too_big("history_chars", config.max_history_chars)

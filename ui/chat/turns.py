"""The handlers that prepare the history for a reply, or take a turn back: Send (and Enter),
Retry, Edit, a starter example, Undo. Each returns the new history at once; the reply itself
is streamed by `handlers.ChatHandlers.respond`, chained after them.

A message refused for any reason stays in the box, with its images, and the line under the
box says why: Send refuses what it can see (empty, too long, a bad image, a full line) before the
message leaves the box; what `respond` refuses (a rate, a setting, images a model does not
take) comes back into the box by `take_back`.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gradio as gr

from minimax_backend import ValidationError

from ..protect.guard import Guard, too_big
from ..text.advice import advice
from ..text.safe_markdown import display, original
from ..text.strings import lang_of, text
from ..text.valid_text import valid
from .attachments import Attached, attach, image_blocks
from .history import is_note, is_refusal, item_text, last_user_index, note_lines
from .lifecycle import Runs, session_of
from .line import Line

# The line under the box is a plain value, shown only when it says something (app.py's CSS):
# a props update (`gr.update(visible=…)`) would make gradio rebuild it for the session.
SAID_NOTHING = ""


def user_message(content: str, images: list[dict] | None = None) -> dict:
    """A user turn for the widget, any markup in it shown as text, any invalid character as �,
    after its images' blocks."""
    if not images:
        return {"role": "user", "content": display(valid(content))}
    text_block = [{"type": "text", "text": display(valid(content))}] if content.strip() else []
    return {"role": "user", "content": [*images, *text_block]}


def said(lines: list[str]) -> str:
    """The line under the box saying why a message was not sent (markup in it shown as text)."""
    return "\n\n".join(display(line) for line in lines)


class TurnHandlers:
    """Prepare or undo a turn; refused while the session's reply streams (`runs`). `guard`
    holds the longest message the server takes; `line` gives the process's line
    (ui/chat/line.py): when it is full, Send leaves the message in the box."""

    def __init__(self, runs: Runs, guard: Guard | None = None,
                 line: Callable[[], Line] | None = None) -> None:
        self.runs = runs
        self.guard = guard or Guard()
        self.line = line

    def _check_idle(self, request: gr.Request | None) -> None:
        """Refuse to start a reply while one streams. The page already holds Send, Enter,
        Retry, Edit and Undo then; this is for scripts and races, and gradio shows the
        message only for a queued event (these are not: a start must be quick)."""
        if self.runs.busy(session_of(request)):
            raise gr.Error(text("busy", lang_of(request)), print_exception=False)

    def send(self, message: Any, history: Any, attached: Attached | None,
             request: gr.Request) -> tuple:
        """Move the typed message and its images into the chat, the images checked and kept
        for the session (`attachments`). Outputs: input, chatbot, attached images, the line
        under the box. A message refused (nothing typed, too long, a bad image) stays in the
        box, whole, and the line says why (the page then goes no further: `SENT`). While a
        reply streams the page holds Send and Enter; a script or a race is refused here."""
        self._check_idle(request)
        lang = lang_of(request)
        message = message if isinstance(message, dict) else {"text": message}
        words = message.get("text") if isinstance(message.get("text"), str) else ""
        files = message.get("files") or []
        refusal: list[str] | None = None  # the lines saying why
        if not words.strip() and not files:
            refusal = [text("nothing_to_send", lang)]
        elif (line := self.line() if self.line is not None else None) is not None \
                and line.full():  # come back later, the message still typed
            refusal = [line.refusal(lang), text("kept_in_box", lang)]
        elif len(words) > self.guard.config.max_message_chars:  # never cut: refused whole
            refusal = ["⚠️ " + advice(too_big("message_chars", self.guard.config.max_message_chars),
                                      lang)]
        else:
            try:
                blocks, attached = attach(files, attached)
            except ValidationError as err:
                refusal = ["⚠️ " + advice(err, lang)]
        if refusal is not None:
            return gr.skip(), gr.skip(), gr.skip(), said(refusal)
        return "", list(history or []) + [user_message(words, blocks)], attached, SAID_NOTHING

    def take_back(self, history: Any, box: Any) -> tuple:
        """After `respond`: a message it refused before asking MiniMax (its note is the last
        item) leaves the chat for the box, with its images, before anything typed since, and
        the note goes under the box. Outputs: chatbot, input, the line under the box."""
        history = list(history or [])
        if not history or not isinstance(history[-1], dict) \
                or not is_refusal(item_text(history[-1])):
            return gr.skip(), gr.skip(), gr.skip()
        index = last_user_index(history)
        if index is None:  # a refusal of nothing: the note alone goes under the box
            return history[:-1], gr.skip(), said(note_lines(item_text(history[-1])))
        asked = [item for item in history[index:-1] if item.get("role") == "user"]
        words = [original(t) for t in map(item_text, asked) if t and not is_note(t)]
        files = [block["file"]["path"] for item in asked for block in image_blocks(item)]
        typed = box if isinstance(box, dict) else {"text": box if isinstance(box, str) else ""}
        if isinstance(typed.get("text"), str) and typed["text"].strip():
            words.append(typed["text"])
        files += [f for f in typed.get("files") or [] if isinstance(f, str)]
        return (history[:index], {"text": "\n\n".join(words), "files": files},
                said(note_lines(item_text(history[-1]))))

    def retry(self, history: Any, request: gr.Request) -> Any:
        """Drop the last answer so it is generated again. Output: chatbot."""
        self._check_idle(request)
        history = list(history or [])
        index = last_user_index(history)
        if index is None:
            return gr.skip()
        end = index
        while end < len(history) and history[end].get("role") == "user":
            end += 1
        return history[:end]

    def edit(self, history: Any, edit: gr.EditData, request: gr.Request) -> Any:
        """Regenerate from an edited user message. Output: chatbot."""
        self._check_idle(request)
        history = list(history or [])
        index = edit.index[0] if isinstance(edit.index, (list, tuple)) else edit.index
        if not isinstance(index, int) or not 0 <= index < len(history) \
                or history[index].get("role") != "user" or not str(edit.value).strip():
            return gr.skip()
        edited = original(str(edit.value))  # the box showed it escaped
        return history[:index] + [user_message(edited, image_blocks(history[index]))]

    def example(self, choice: gr.SelectData, request: gr.Request) -> Any:
        """Start the chat with a starter example. Output: chatbot."""
        self._check_idle(request)
        value = choice.value if isinstance(choice.value, dict) else {}
        message = value.get("text") or ""
        return [user_message(message)] if message else gr.skip()

    def undo(self, history: Any, request: gr.Request) -> tuple:
        """Remove the last turn and put its message back in the box. Outputs: chatbot, input."""
        self._check_idle(request)
        history = list(history or [])
        index = last_user_index(history)
        if index is None:
            return gr.skip(), gr.skip()
        message = "\n\n".join(original(item_text(item)) for item in history[index:]
                                if item.get("role") == "user")
        return history[:index], message

"""The handlers that prepare the history for a reply, or take a turn back: Send (and Enter),
Retry, Edit, a starter example, Undo. Each returns the new history at once; the reply itself
is streamed by `handlers.ChatHandlers.respond`, chained after them.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gradio as gr

from minimax_backend import ValidationError

from ..text.advice import advice
from ..text.safe_markdown import display, original
from ..text.strings import lang_of, text
from ..text.valid_text import valid
from .attachments import Attached, attach, image_blocks
from .history import item_text, last_user_index
from .lifecycle import Runs, session_of
from .line import Line
from .reply import note


def user_message(content: str, images: list[dict] | None = None) -> dict:
    """A user turn for the widget, any markup in it shown as text, any invalid character as �,
    after its images' blocks."""
    if not images:
        return {"role": "user", "content": display(valid(content))}
    text_block = [{"type": "text", "text": display(valid(content))}] if content.strip() else []
    return {"role": "user", "content": [*images, *text_block]}


class TurnHandlers:
    """Prepare or undo a turn; refused while the session's reply streams (`runs`). `line`
    gives the process's line (`line`): when it is full, Send leaves the message in the box."""

    def __init__(self, runs: Runs, line: Callable[[], Line] | None = None) -> None:
        self.runs = runs
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
        for the session (`attachments`). Outputs: input, chatbot, attached images. A bad
        image leaves the message in the box and says why in the chat."""
        self._check_idle(request)
        message = message if isinstance(message, dict) else {"text": message}
        words = message.get("text") if isinstance(message.get("text"), str) else ""
        files = message.get("files") or []
        if not words.strip() and not files:
            return gr.skip(), gr.skip(), gr.skip()
        line = self.line() if self.line is not None else None
        if line is not None and line.full():  # come back later, the message still typed
            lang = lang_of(request)
            refusal = note([line.refusal(lang), text("kept_in_box", lang)], "error")
            return gr.skip(), list(history or []) + [refusal], gr.skip()
        try:
            blocks, attached = attach(files, attached)
        except ValidationError as err:
            refusal = note(["⚠️ " + advice(err, lang_of(request))], "error")
            return gr.skip(), list(history or []) + [refusal], gr.skip()
        # Never cut: one over APP_MAX_MESSAGE_CHARS is refused, with a note saying the limit,
        # by the guard in `respond` (the page's box stops there already; a script may not).
        return "", list(history or []) + [user_message(words, blocks)], attached

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

"""The conversation on screen and its place in the store, shared by the list's handlers
(`handlers`) and export and import (`files`): keep the chat into it, open another, and the
updates that show it (the list, the settings panel).
"""
from __future__ import annotations

from typing import Any

import gradio as gr

from minimax_backend.models import PRO, models_for, spec_for
from minimax_backend.types import DEFAULT_BOT_NAME as BOT_NAME
from minimax_backend.types import DEFAULT_USER_NAME as USER_NAME
from minimax_backend.types import THINK_ADAPTIVE

from ..chat.lifecycle import session_of
from ..chat.settings import FIELDS, ChatSettings
from ..text.strings import lang_of, text
from . import export
from .export import FormatError
from .store import bound, default_settings, find, new_conversation, now, title_of
from .transcript import history_to_messages, marked_cut, messages_to_history


def unchanged() -> tuple:
    """The outputs of an event that opens a conversation, all left as they are."""
    return (gr.skip(),) * (4 + len(FIELDS))


def listed(store: dict, lang: str) -> tuple:
    """The list's choices (title, id) and its value (the current conversation)."""
    return [(title_of(c, lang), c["id"]) for c in store["conversations"]], store["current"] or None


def list_update(store: dict, lang: str, shown: tuple | None = None) -> Any:
    """The list for `store`; only its value when it would show `shown` again. Most saves
    change no title, and any props update, even an empty `gr.skip()`, makes gradio rebuild
    the component for the session; a plain value is just sent (the page ignores it unchanged)."""
    choices, value = now_listed = listed(store, lang)
    return value if now_listed == shown else gr.update(choices=choices, value=value)


def kept(settings: ChatSettings | None) -> dict | None:
    """Settings as a conversation keeps them; None (not valid) stays None."""
    return settings.as_dict() if settings is not None else None


def settings_updates(settings: dict) -> tuple:
    """Updates for api, model, system, temperature, top_p, max tokens, bot name, user name,
    thinking (shown only for a model that can turn it off)."""
    api, spec = settings["api"], spec_for(settings["model"])
    pro = api == PRO
    return (gr.update(value=api), gr.update(choices=models_for(api), value=settings["model"]),
            gr.update(value=settings["system"]), gr.update(value=settings["temperature"]),
            gr.update(value=settings["top_p"]),
            gr.update(value=settings["max_tokens"], maximum=spec.max_output_tokens),
            gr.update(value=settings["bot_name"] or BOT_NAME, visible=pro),
            gr.update(value=settings["user_name"] or USER_NAME, visible=pro),
            gr.update(value=settings.get("thinking") or THINK_ADAPTIVE,
                      visible=spec.thinking_switch))


def refused(runs: Any, request: gr.Request) -> bool:
    """True, after telling the visitor, while their reply streams (`runs.busy`): switching
    away then would mix two conversations."""
    if runs is not None and runs.busy(session_of(request)):
        gr.Warning(text("busy", lang_of(request)))
        return True
    return False


def open_conversation(store: dict, conversation: dict, lang: str) -> tuple:
    """Show `conversation`. Outputs: store, list, chatbot, raw replies, the nine settings."""
    store["current"] = conversation["id"]
    history, raw = messages_to_history(conversation["messages"], lang)
    return (store, list_update(store, lang), history, raw,
            *settings_updates(conversation["settings"]))


def keep_current(store: dict, history: Any, raw: Any, settings: ChatSettings | None,
                 lang: str, into: Any = None, mid_reply: bool = False) -> dict:
    """Put the chat on screen and its settings into the current conversation, or into
    the conversation `into` while it is still stored. Settings that are not valid (None)
    leave the conversation's own. `mid_reply`: the last reply still streams, so it is kept
    marked as cut (`transcript.marked_cut`) until the save after it."""
    try:
        messages = history_to_messages(history, raw if isinstance(raw, dict) else {})
        if mid_reply:
            messages = marked_cut(messages, lang)
    except ValueError:  # a malformed history: keep what was stored
        messages = None
    conversation = (isinstance(into, str) and find(store, into)) or find(store, store["current"])
    if conversation is None:
        if not messages:
            return store
        conversation = new_conversation(kept(settings) or default_settings())
        store["conversations"].insert(0, conversation)
        store["current"] = conversation["id"]
    if messages is not None:
        try:
            conversation["messages"] = export.parse_messages(export.fit_for_storage(messages))
        except FormatError:  # kept as it was; the chat stays on screen
            gr.Warning(text("not_saved", lang))
    conversation["settings"] = kept(settings) or conversation["settings"]
    conversation["updated"] = now()
    return bound(store)

"""Bring your own key: the visitor's key, GroupId and region, for their own requests only.

The key field is an input of events, never an output, so its value never travels back to a
browser; the server keeps it only for the request that carries it.
"""
from __future__ import annotations

from typing import Any

import gradio as gr

from minimax_backend import ChatRequest, Message, MiniMaxError, ValidationError
from minimax_backend.models import APIS, DEFAULT_MODEL, V2
from minimax_backend.settings import REGIONS

from ..chat.reply import error_lines
from ..chat.service import (
    MAX_GROUP_ID_CHARS,
    MAX_VISITOR_KEY_CHARS,
    ReplyService,
    Route,
)
from ..protect.guard import Guard, LimitExceeded, limit_text
from ..text.advice import advice
from ..text.strings import REGION_NAMES, lang_of, text, tr

AUTH_CODES = (1004, 2049)  # how MiniMax refuses a key, including one sent to the other region


def key_panel() -> tuple[gr.Textbox, gr.Textbox, gr.Button, gr.Markdown]:
    """The fields inside the "use your own key" accordion: key, GroupId, test, result."""
    gr.Markdown(tr("own_key_info"))
    key = gr.Textbox("", type="password", elem_id="user-key", label=tr("own_key"),
                     max_length=MAX_VISITOR_KEY_CHARS,
                     placeholder=tr("own_key_placeholder"), autofocus=False)
    group = gr.Textbox("", elem_id="user-group-id", label=tr("own_group_id"), max_length=MAX_GROUP_ID_CHARS,
                       info=tr("own_group_id_info"))
    test = gr.Button(tr("test_key"), elem_id="test-key", size="sm")
    result = gr.Markdown(elem_id="key-status")
    return key, group, test, result


def check_key(service: ReplyService, api_key: Any, group_id: Any, region: Any, api: Any,
              model: Any, request: gr.Request, guard: Guard | None = None) -> str:
    """One tiny call with the visitor's key; says whether key and region match. Output: status.
    `guard`: each test counts as a message, so the button can't make the server a relay."""
    lang = lang_of(request)
    try:
        route = Route.of(region, api_key, group_id)
    except ValidationError as err:
        return "⚠️ " + advice(err, lang)
    if not route.api_key:
        return text("key_missing", lang)
    if guard is not None:
        try:
            guard.admit(guard.visitor(request))  # their key, their tokens
        except LimitExceeded as err:
            return "⚠️ " + limit_text(err, lang)
    api = api if api in APIS else V2
    model = model.strip() if isinstance(model, str) and model.strip() else DEFAULT_MODEL[api]
    shown_region = REGION_NAMES.get(route.region or "", route.region or "")
    try:
        chat = ChatRequest(messages=(Message("user", "hi"),), model=model, api=api, max_tokens=1)
        service.complete(chat, route)
    except MiniMaxError as err:
        if err.code in AUTH_CODES:
            other = next((r for r in REGIONS if r != route.region), "global")
            return text("key_wrong_region", lang, code=err.code, region=shown_region,
                        other=REGION_NAMES[other])
        return "\n\n".join(error_lines(err, lang))
    return text("key_ok", lang, region=shown_region)

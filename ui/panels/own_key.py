"""Bring your own key: the visitor's key, GroupId and region, for their own requests only, and
the line beside the message box that says which key answers.

The key field is an input of the events that use it and never an output, except to empty it
(Forget): its value never travels back to a browser, and the server keeps it only for the
request that carries it. The events that only need to know whether a key is typed are sent
just that (`KEY_TYPED`), not the key.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from minimax_backend import (
    AuthenticationError,
    ChatRequest,
    Message,
    MiniMaxError,
    QuotaError,
    ValidationError,
)
from minimax_backend.models import APIS, DEFAULT_MODEL, V2
from minimax_backend.settings import REGIONS

from ..browser.scripts import KEY_TYPED
from ..chat.reply import error_lines
from ..chat.service import MAX_GROUP_ID_CHARS, MAX_VISITOR_KEY_CHARS, ReplyService, Route
from ..protect.guard import Guard, LimitExceeded, limit_text
from ..text.advice import advice
from ..text.strings import REGION_NAMES, lang_of, text, tr

AUTH_CODES = (1004, 2049)  # how MiniMax refuses a key, including one sent to the other region
QUICK: dict[str, Any] = {"queue": False, "api_visibility": "private", "show_progress": "hidden"}


@dataclass(frozen=True)
class KeyPanel:
    """The own-key fields; `refused` is MiniMax's code for the typed key when its test was
    refused ("" otherwise): the chat then routes as if no key were typed (`reply_event`)."""

    key: gr.Textbox
    group: gr.Textbox
    test: gr.Button
    forget: gr.Button
    status: gr.Markdown
    refused: gr.State


@dataclass(frozen=True)
class KeyCheck:
    """A key test's outcome: what to say, and MiniMax's code when the key cannot answer."""

    said: str
    refused: str = ""


def key_panel() -> KeyPanel:
    """The fields inside the "use your own key" accordion: key, GroupId, test, forget, result."""
    gr.Markdown(tr("own_key_info"))
    key = gr.Textbox("", type="password", elem_id="user-key", label=tr("own_key"),
                     max_length=MAX_VISITOR_KEY_CHARS,
                     placeholder=tr("own_key_placeholder"), autofocus=False)
    group = gr.Textbox("", elem_id="user-group-id", label=tr("own_group_id"), max_length=MAX_GROUP_ID_CHARS,
                       info=tr("own_group_id_info"))
    with gr.Row():
        test = gr.Button(tr("test_key"), elem_id="test-key", size="sm")
        forget = gr.Button(tr("forget_key"), elem_id="forget-key", size="sm")
    status = gr.Markdown(elem_id="key-status")
    return KeyPanel(key, group, test, forget, status, gr.State(""))


def route_line() -> gr.Markdown:
    """The quiet line beside the message box naming the key that answers (`route_words`)."""
    return gr.Markdown("", elem_id="key-route", elem_classes=["mm-note"])


def _host(service: ReplyService) -> str:
    """"host" when the server has a key, "offline" when replies come from the emulator."""
    try:
        return "offline" if service.offline else "host"
    except MiniMaxError:  # a misconfigured server: the banner says so
        return "host"


def route_words(service: ReplyService, typed: Any, refused: Any, lang: str) -> str:
    """Which key answers the next message: the visitor's when one is typed and its test was
    not refused, else the host's or the offline demo."""
    if typed and not refused:
        return text("route_own", lang)
    words = text(f"route_{_host(service)}", lang)
    return words + text("route_refused", lang, code=refused) if typed and refused else words


def check_key(service: ReplyService, api_key: Any, group_id: Any, region: Any, api: Any,
              model: Any, request: gr.Request, guard: Guard | None = None) -> KeyCheck:
    """One tiny call with the visitor's key; says whether key and region match and, when
    MiniMax refused the key, that the next message goes elsewhere. `guard`: each test counts
    as a message, so the button can't make the server a relay."""
    lang = lang_of(request)
    try:
        route = Route.of(region, api_key, group_id)
    except ValidationError as err:
        return KeyCheck("⚠️ " + advice(err, lang))
    if not route.api_key:
        return KeyCheck(text("key_missing", lang))
    if guard is not None:
        try:
            guard.admit(guard.visitor(request))  # their key, their tokens
        except LimitExceeded as err:
            return KeyCheck("⚠️ " + limit_text(err, lang))
    api = api if api in APIS else V2
    model = model.strip() if isinstance(model, str) and model.strip() else DEFAULT_MODEL[api]
    shown_region = REGION_NAMES.get(route.region or "", route.region or "")
    try:
        chat = ChatRequest(messages=(Message("user", "hi"),), model=model, api=api, max_tokens=1)
        service.complete(chat, route)
    except MiniMaxError as err:
        if not isinstance(err, AuthenticationError | QuotaError):  # it may pass next time
            return KeyCheck("\n\n".join([*error_lines(err, lang), text("next_own", lang)]))
        # A key that cannot answer would fail every later message the same way.
        code = str(err.code) if err.code is not None else f"HTTP {err.http_status}"
        if err.code in AUTH_CODES:
            other = next((r for r in REGIONS if r != route.region), "global")
            said = text("key_wrong_region", lang, code=err.code, region=shown_region,
                        other=REGION_NAMES[other])
        else:
            said = "\n\n".join(error_lines(err, lang))
        return KeyCheck(f"{said}\n\n{text('next_' + _host(service), lang)}", code)
    return KeyCheck(text("key_ok", lang, region=shown_region))


def wire_key_panel(panel: KeyPanel, route: gr.Markdown, service: ReplyService, guard: Guard,
                   region: Any, api: Any, model: Any, demo: gr.Blocks) -> None:
    """The route line on load and whenever the key, its GroupId or region is edited (which
    also clears a refusal: the key is untested again), tested or forgotten."""
    def show(typed: Any, request: gr.Request) -> str:
        return route_words(service, typed, "", lang_of(request))

    def edited(typed: Any, request: gr.Request) -> tuple:
        # A new key's test has not run: its result goes. Emptied (as Forget does), what the
        # panel last said stays.
        return "" if typed else gr.skip(), "", route_words(service, typed, "", lang_of(request))

    def test(key: Any, group: Any, where: Any, dialect: Any, name: Any,
             request: gr.Request) -> tuple:
        checked = check_key(service, key, group, where, dialect, name, request, guard)
        typed = isinstance(key, str) and bool(key.strip())
        return checked.said, checked.refused, route_words(service, typed, checked.refused,
                                                          lang_of(request))

    def forget(request: gr.Request) -> tuple:
        lang = lang_of(request)
        return "", "", "", text("key_forgotten", lang), route_words(service, "", "", lang)

    demo.load(show, panel.key, route, js=KEY_TYPED, **QUICK)
    # `change` for the text fields: gradio 6.31 sends their `input` on a key press only, not
    # on a paste, which is how a key arrives.
    for edit in (panel.key.change, panel.group.change, region.input):
        edit(edited, panel.key, [panel.status, panel.refused, route], js=KEY_TYPED,
             trigger_mode="always_last", **QUICK)
    panel.test.click(test, [panel.key, panel.group, region, api, model],
                     [panel.status, panel.refused, route], **QUICK)
    panel.forget.click(forget, None, [panel.key, panel.group, panel.refused, panel.status, route],
                       **QUICK)

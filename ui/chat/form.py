"""The settings panel's components, read as one `ChatSettings` by the events that need them.

Gradio 6 hands a handler whose `inputs` are a set one dict of values keyed by component
(sorted by creation, which also orders the public API's parameters). `SettingsForm.event`
and `reply_event` turn that dict back into the handler's own arguments, the nine settings
as one value, so no handler spells them out.
"""
from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing
from typing import Any

import gradio as gr

from minimax_backend import ValidationError

from .handlers import ChatHandlers
from .service import Route
from .settings import FIELDS, ChatSettings

Values = dict[Any, Any]  # what gradio passes for a set of inputs: component -> value


class SettingsForm:
    """The nine settings' components, by `ChatSettings` field name."""

    def __init__(self, **components: Any) -> None:
        if set(components) != set(FIELDS):
            raise TypeError(f"SettingsForm needs exactly {FIELDS}")
        self.by_name = components

    @property
    def components(self) -> list[Any]:
        """The components in `FIELDS` order (as the outputs of an event that sets them)."""
        return [self.by_name[name] for name in FIELDS]

    def read(self, values: Values) -> ChatSettings:
        """The settings in `values`; raises ValidationError naming a bad one."""
        return ChatSettings.from_page({name: values[c] for name, c in self.by_name.items()})

    def event(self, fn: Callable[..., Any], *before: Any) -> dict[str, Any]:
        """Event arguments (fn, inputs) calling `fn(*values of before, settings, request)`;
        `settings` is None when the page's are not valid (only a script sends such)."""
        def handler(values: Values, request: gr.Request) -> Any:
            try:
                settings: ChatSettings | None = self.read(values)
            except ValidationError:
                settings = None
            return fn(*(values[c] for c in before), settings, request)

        handler.__name__ = fn.__name__
        return {"fn": handler, "inputs": {*before, *self.components}}


def reply_event(chat: ChatHandlers, form: SettingsForm, chatbot: Any, raw_replies: Any,
                region: Any, user_key: Any, user_group: Any,
                attached: Any = None, refused: Any = None) -> dict[str, Any]:
    """Event arguments (fn, inputs) streaming `chat.respond` with the page's settings and
    route; settings or a key that are not valid are explained in the chat instead. `refused`:
    a state naming the typed key's failed test; while set, the key is not used."""
    async def respond(values: Values, request: gr.Request) -> AsyncGenerator[tuple, None]:
        history = values[chatbot]
        try:
            settings = form.read(values)
            key, group = ("", "") if refused is not None and values.get(refused) \
                else (values[user_key], values[user_group])
            route = Route.of(values[region], key, group)
        except ValidationError as err:
            for update in chat.refuse(history, err, request):
                yield update
            return
        # Closed with this handler (Stop, a closed tab), so the reply's own end runs at once.
        async with aclosing(chat.respond(history, values[raw_replies], settings, route,
                                         request, values.get(attached))) as updates:
            async for update in updates:
                yield update

    inputs = {chatbot, raw_replies, region, user_key, user_group, *form.components}
    inputs |= {state for state in (attached, refused) if state is not None}  # server state
    return {"fn": respond, "inputs": inputs}

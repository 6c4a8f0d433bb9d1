"""The settings panel as the page shows it: API, region, model, system prompt, sampling, pro's
names, thinking, reset and the own-key fields, and the events that keep them consistent."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gradio as gr

from minimax_backend.models import DEFAULT_MODEL, V2, models_for, spec_for
from minimax_backend.settings import DEFAULT_REGION
from minimax_backend.types import MAX_NAME_CHARS, THINK_ADAPTIVE, THINK_OFF

from ..chat.form import SettingsForm
from ..chat.service import ReplyService
from ..protect.guard import Guard
from ..protect.limits import SYSTEM_CHARS
from ..text.strings import tr
from .controls import (
    API_CHOICES,
    BOT_NAME,
    REGION_CHOICES,
    USER_NAME,
    model_facts,
    on_api_change,
    on_model_change,
    page_load,
    reset_defaults,
)
from .own_key import key_panel, wire_key_panel

QUICK: dict[str, Any] = {"queue": False, "api_visibility": "private"}


class SettingsPanel:
    """Builds the settings and own-key fields in the current Blocks context; `form` is what a
    reply reads, `region`, `user_key` and `user_group` its route; `wire` connects the rest."""

    def __init__(self, under_system: Callable[[], Any] | None = None) -> None:
        """`under_system`: builds more fields right under the system prompt (Save as persona)."""
        spec = spec_for(DEFAULT_MODEL[V2])
        with gr.Accordion(tr("settings"), open=True):
            self.api = gr.Radio(API_CHOICES, value=V2, elem_id="api-mode",
                                label=tr("api_mode"), info=tr("api_mode_info"))
            gr.Markdown(tr("api_guide"), elem_id="api-guide", elem_classes=["mm-note"])
            self.region = gr.Radio(REGION_CHOICES, value=DEFAULT_REGION, elem_id="region",
                                   label=tr("region"), info=tr("region_info"))
            self.model = gr.Dropdown(models_for(V2), value=DEFAULT_MODEL[V2], elem_id="model",
                                     allow_custom_value=True, label=tr("model"),
                                     info=tr("model_info"))
            self.model_note = gr.Markdown(visible=False, elem_id="model-note",
                                          elem_classes=["mm-note"])
            self.system = gr.Textbox(elem_id="system-prompt", lines=3, max_lines=12,
                                     max_length=SYSTEM_CHARS.default, label=tr("system"),
                                     info=tr("system_info"), placeholder=tr("system_placeholder"))
            if under_system is not None:
                under_system()
            self.temperature = gr.Slider(0.01, 1.0, value=spec.default_temperature, step=0.01,
                                         elem_id="temperature", label=tr("temperature"),
                                         info=tr("temperature_info"))
            self.top_p = gr.Slider(0.01, 1.0, value=spec.default_top_p, step=0.01,
                                   elem_id="top-p", label=tr("top_p"), info=tr("top_p_info"))
            self.max_tokens = gr.Slider(1, spec.max_output_tokens, value=spec.default_max_tokens,
                                        step=1, elem_id="max-tokens", label=tr("max_tokens"),
                                        info=tr("max_tokens_info"))
            # What a model change had to change of the visitor's values (on_model_change).
            self.sampling_note = gr.Markdown("", visible=False, elem_id="sampling-note",
                                             elem_classes=["mm-note"])
            self.bot_name = gr.Textbox(BOT_NAME, visible=False, elem_id="bot-name",
                                       max_length=MAX_NAME_CHARS, label=tr("bot_name"),
                                       info=tr("bot_name_info"))
            self.user_name = gr.Textbox(USER_NAME, visible=False, elem_id="user-name",
                                        max_length=MAX_NAME_CHARS, label=tr("user_name"),
                                        info=tr("user_name_info"))
            self.thinking = gr.Radio(
                [(tr("thinking_adaptive"), THINK_ADAPTIVE), (tr("thinking_off"), THINK_OFF)],
                value=THINK_ADAPTIVE, elem_id="thinking", label=tr("thinking"),
                info=tr("thinking_info"), visible=spec.thinking_switch)
            self.reset = gr.Button(tr("reset"), elem_id="reset", size="sm")
        with gr.Accordion(tr("own_key_title"), open=False, elem_id="own-key"):
            self.own_key = key_panel()
        self.user_key, self.user_group = self.own_key.key, self.own_key.group
        self.form = SettingsForm(api=self.api, model=self.model, system=self.system,
                                 temperature=self.temperature, top_p=self.top_p,
                                 max_tokens=self.max_tokens, bot_name=self.bot_name,
                                 user_name=self.user_name, thinking=self.thinking)

    def wire(self, service: ReplyService, guard: Guard, banner: gr.Markdown,
             demo: gr.Blocks, route: gr.Markdown) -> None:
        """Connect the panel's own events: an API or model change, the own key's (its test,
        Forget, and the `route` line naming the key that answers), reset, and on load the
        `banner` (offline, misconfigured) and the host's region."""
        # `input`, not `change`: restoring a conversation sets these without resetting the rest.
        sampling = [self.temperature, self.top_p, self.max_tokens]
        self.api.input(on_api_change, self.api, [self.model, self.bot_name, self.user_name],
                       **QUICK).then(on_model_change, [self.model, *sampling],
                                     [*sampling, self.sampling_note], **QUICK)
        self.model.input(on_model_change, [self.model, *sampling], [*sampling, self.sampling_note],
                         **QUICK)
        # `change`: whatever set the model (the visitor, the API switch, a restored chat).
        self.model.change(model_facts, [self.model, self.thinking],
                          [self.thinking, self.model_note], **QUICK)

        wire_key_panel(self.own_key, route, service, guard, self.region, self.api, self.model, demo)
        self.reset.click(reset_defaults, self.model,
                         [self.system, *sampling, self.bot_name, self.user_name], **QUICK)

        def load(request: gr.Request) -> tuple:
            return page_load(service, request)

        demo.load(load, None, [banner, self.region], **QUICK)

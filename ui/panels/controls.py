"""The settings panel: model lists per API dialect, per-model defaults, the offline banner."""
from __future__ import annotations

from typing import Any

import gradio as gr

from minimax_backend import MiniMaxError
from minimax_backend.models import (
    ANTHROPIC,
    APIS,
    DEFAULT_MODEL,
    MODELS,
    OPENAI,
    PRO,
    V2,
    models_for,
    spec_for,
)
from minimax_backend.settings import DEFAULT_REGION, REGIONS
from minimax_backend.types import DEFAULT_BOT_NAME, DEFAULT_USER_NAME, THINK_ADAPTIVE

from ..chat.service import ReplyService
from ..text.advice import advice
from ..text.strings import REGION_NAMES, lang_of, text

BOT_NAME, USER_NAME = DEFAULT_BOT_NAME, DEFAULT_USER_NAME
# In the README's order of advice; the one line on each is `api_guide` (ui/text/choices.py).
API_CHOICES = [("v2 · chatcompletion_v2", V2), ("OpenAI-compatible · /v1/chat/completions", OPENAI),
               ("Anthropic-compatible · /anthropic/v1/messages", ANTHROPIC),
               ("pro · chatcompletion_pro (legacy)", PRO)]
REGION_CHOICES = [(f"{REGION_NAMES[region]} · {url.removeprefix('https://')}", region)
                  for region, url in REGIONS.items()]


def sampling_defaults(model: str) -> tuple:
    """Temperature, top-p and max-tokens updates holding the model's documented defaults."""
    spec = spec_for(model or "")
    return (gr.update(value=spec.default_temperature), gr.update(value=spec.default_top_p),
            gr.update(value=spec.default_max_tokens, maximum=spec.max_output_tokens))


def on_api_change(api: str) -> tuple:
    """Switch the model list to the dialect and show pro's names only in pro mode.
    Outputs: model, bot name, user name."""
    api = api if api in APIS else V2
    pro = gr.update(visible=api == PRO)
    return gr.update(choices=models_for(api), value=DEFAULT_MODEL[api]), pro, pro


# Values some model uses by default: one of these was left as it was, not set by the visitor,
# so it follows the new model's default.
_DEFAULTS: dict[str, set[float]] = {
    "temperature": {spec.default_temperature for spec in MODELS.values()},
    "top_p": {spec.default_top_p for spec in MODELS.values()},
    "max_tokens": {spec.default_max_tokens for spec in MODELS.values()},
}


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _shown(number: float) -> str:
    return str(int(number)) if number == int(number) else str(number)


def on_model_change(model: str, temperature: Any, top_p: Any, max_tokens: Any,
                    request: gr.Request) -> tuple:
    """Keep the visitor's temperature, top-p and max tokens where the new model allows them
    (values left at a model's default take the new model's); name in a note each one it made
    change. Outputs: temperature, top-p, max tokens, the note."""
    spec = spec_for((model or "").strip())
    lang = lang_of(request)
    defaults: dict[str, float] = {"temperature": spec.default_temperature,
                                  "top_p": spec.default_top_p, "max_tokens": spec.default_max_tokens}
    highest: dict[str, float] = {"temperature": 1.0, "top_p": 1.0,
                                 "max_tokens": spec.max_output_tokens}
    chosen: dict[str, float] = {}
    changes: list[str] = []
    for field, value in (("temperature", temperature), ("top_p", top_p), ("max_tokens", max_tokens)):
        number = _number(value)
        if number is None or number <= 0 or number in _DEFAULTS[field]:
            chosen[field] = defaults[field]
        elif number > highest[field]:
            chosen[field] = highest[field]
            changes.append(text(f"changed_{field}", lang, old=_shown(number),
                                new=_shown(highest[field])))
        else:
            chosen[field] = int(number) if field == "max_tokens" else number
    note = gr.update(value=text("kept_settings", lang, model=spec.name, changes="; ".join(changes))
                     if changes else "", visible=bool(changes))
    return (gr.update(value=chosen["temperature"]), gr.update(value=chosen["top_p"]),
            gr.update(value=chosen["max_tokens"], maximum=spec.max_output_tokens), note)


def model_facts(model: str, thinking: str, request: gr.Request) -> tuple:
    """What the page says of the model: the thinking switch, shown only for a model that can
    turn thinking off (back to adaptive otherwise), and a note when its limits are unknown.
    Outputs: thinking, model note."""
    spec = spec_for((model or "").strip())
    switch = gr.update(visible=spec.thinking_switch,
                       value=thinking if spec.thinking_switch else THINK_ADAPTIVE)
    if spec.known or not spec.name:
        return switch, gr.update(value="", visible=False)
    words = text("model_unknown", lang_of(request), model=spec.name,
                 limit=f"{spec.max_output_tokens:,}")
    return switch, gr.update(value=words, visible=True)


def reset_defaults(model: str) -> tuple:
    """Everything back to the model's defaults. Outputs: system, temperature, top-p, max
    tokens, bot name, user name."""
    return ("", *sampling_defaults(model), BOT_NAME, USER_NAME)


def page_load(service: ReplyService, request: gr.Request) -> tuple:
    """The banner and region for a new visitor. Outputs: banner, region."""
    lang = lang_of(request)
    try:
        settings = service.settings()
    except MiniMaxError as err:
        banner = text("misconfigured", lang, advice=advice(err, lang))
        return gr.update(value=banner, visible=True), gr.update(value=DEFAULT_REGION)
    if not settings.api_key:  # the region still matters for a visitor's own key
        return (gr.update(value=text("offline", lang), visible=True),
                gr.update(value=settings.region, interactive=not settings.base_url))
    # A MINIMAX_BASE_URL overrides the region's host, so the choice would do nothing.
    return gr.update(visible=False), gr.update(value=settings.region,
                                                interactive=not settings.base_url)

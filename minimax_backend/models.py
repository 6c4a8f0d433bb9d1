"""What we know about each MiniMax chat model: which APIs serve it, its limits and defaults.

One table, `_ROWS`, read from MiniMax's own pages (see `SOURCE`); docs/minimax-api.md#models
says what each column means and where each number comes from. A model typed by hand gets
`spec_for`'s generous defaults and `known=False`, so a caller can say its limits are unknown.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

V2 = "v2"
PRO = "pro"
OPENAI = "openai"  # POST /v1/chat/completions, the OpenAI-compatible endpoint
ANTHROPIC = "anthropic"  # POST /anthropic/v1/messages, the Anthropic-compatible endpoint
APIS = (V2, PRO, OPENAI, ANTHROPIC)

SOURCE = ("platform.minimax.io / platform.minimaxi.com: guides/text-generation, "
          "api-reference/text-openai-api, text-anthropic-api, text-chat-openai, "
          "text-chat-anthropic, text-post; read 2026-11-30. Legacy rows: MiniMax's 2024-2025 pages.")

# How chatcompletion_v2 returns a model's thinking, if it thinks at all.
REASONING_NONE = "none"
REASONING_FIELD = "field"  # delta.reasoning_content (MiniMax-M1)
REASONING_INLINE = "inline"  # <think>…</think> at the start of content (the M-series)

# Whether a request may turn the thinking off (`ChatRequest.thinking`).
THINKING_NONE = "none"  # the model does not think
THINKING_ALWAYS = "always"  # it always thinks: "disabled" is ignored by MiniMax (M2.x, M1)
THINKING_SWITCH = "adaptive|disabled"  # adaptive by default, or disabled on request (M3)

_M = (V2, OPENAI, ANTHROPIC)


@dataclass(frozen=True)
class ModelSpec:
    """Limits and sampling defaults of one model. `default_max_tokens` is what the app sends
    unless told otherwise; `recommended_max_tokens` is MiniMax's own advice, where it gives one."""

    name: str
    apis: tuple[str, ...]
    max_output_tokens: int
    default_max_tokens: int
    default_temperature: float
    default_top_p: float = 0.95
    reasoning: str = REASONING_NONE
    context_tokens: int | None = None
    recommended_max_tokens: int | None = None
    thinking: str = THINKING_NONE
    images: bool = False
    legacy: bool = False
    known: bool = True

    @property
    def thinking_switch(self) -> bool:
        """True if a request may turn this model's thinking off."""
        return self.thinking == THINKING_SWITCH


_INLINE, _FIELD, _NONE = REASONING_INLINE, REASONING_FIELD, REASONING_NONE
_SW, _ALWAYS, _NO = THINKING_SWITCH, THINKING_ALWAYS, THINKING_NONE
# name, APIs, context, output cap, default and recommended max tokens, temperature, top_p,
# thinking on v2, thinking control, image input, legacy. Newest first: the order of the lists.
_ROWS = (
    ("MiniMax-M3", _M, 1_000_000, 524_288, 32_768, 131_072, 1.0, 0.95, _INLINE, _SW, True, False),
    ("MiniMax-M2.7", _M, 204_800, 131_072, 10_240, None, 1.0, 0.95, _INLINE, _ALWAYS, False, False),
    ("MiniMax-M2.7-highspeed", _M, 204_800, 131_072, 10_240, None, 1.0, 0.95, _INLINE, _ALWAYS, False, False),
    ("MiniMax-M2.5", _M, 204_800, 131_072, 10_240, None, 1.0, 0.95, _INLINE, _ALWAYS, False, False),
    ("MiniMax-M2.5-highspeed", _M, 204_800, 131_072, 10_240, None, 1.0, 0.95, _INLINE, _ALWAYS, False, False),
    ("MiniMax-M2.1", _M, 204_800, 131_072, 10_240, None, 1.0, 0.95, _INLINE, _ALWAYS, False, False),
    ("MiniMax-M2.1-highspeed", _M, 204_800, 131_072, 10_240, None, 1.0, 0.95, _INLINE, _ALWAYS, False, False),
    ("MiniMax-M2", _M, 204_800, 131_072, 10_240, None, 1.0, 0.95, _INLINE, _ALWAYS, False, False),
    # Gone from MiniMax's current lists; still offered where the older pages offered them.
    ("MiniMax-M1", (V2,), 1_000_000, 40_000, 8_192, None, 1.0, 0.95, _FIELD, _ALWAYS, False, True),
    ("MiniMax-Text-01", (V2, PRO), 1_000_192, 8_192, 2_048, None, 0.1, 0.95, _NONE, _NO, False, True),
    ("abab6.5s-chat", (V2, PRO), 245_760, 8_192, 2_048, None, 0.1, 0.95, _NONE, _NO, False, True),
    ("abab6.5g-chat", (V2,), 8_192, 8_192, 2_048, None, 0.1, 0.95, _NONE, _NO, False, True),
    ("abab6.5t-chat", (V2, PRO), 8_192, 8_192, 2_048, None, 0.1, 0.95, _NONE, _NO, False, True),
    ("abab6.5-chat", (PRO,), 8_192, 8_192, 2_048, None, 0.1, 0.95, _NONE, _NO, False, True),
    ("abab6-chat", (PRO,), 32_768, 8_192, 2_048, None, 0.1, 0.95, _NONE, _NO, False, True),
    ("abab5.5-chat", (V2, PRO), 16_384, 8_192, 2_048, None, 0.1, 0.95, _NONE, _NO, False, True),
    ("abab5.5s-chat", (V2,), 8_192, 8_192, 2_048, None, 0.1, 0.95, _NONE, _NO, False, True),
)

MODELS: dict[str, ModelSpec] = {
    name: ModelSpec(name, apis, cap, default, temperature, top_p, reasoning, context,
                    recommended, thinking, images, legacy)
    for (name, apis, context, cap, default, recommended, temperature, top_p, reasoning,
         thinking, images, legacy) in _ROWS
}

DEFAULT_MODEL = {V2: "MiniMax-M3", PRO: "abab6.5s-chat", OPENAI: "MiniMax-M3",
                 ANTHROPIC: "MiniMax-M3"}

# A model we don't know (MiniMax ships new ones often) is most likely a newer M-series one:
# no cap below the largest known, M-series sampling, thinking recognised, images allowed.
# MiniMax itself refuses what the model cannot do.
_UNKNOWN = ModelSpec("", APIS, 524_288, 10_240, 1.0, 0.95, REASONING_INLINE,
                     thinking=THINKING_SWITCH, images=True, known=False)


def models_for(api: str) -> list[str]:
    """Known model names served by one API dialect, newest first."""
    return [name for name, spec in MODELS.items() if api in spec.apis]


def spec_for(model: str) -> ModelSpec:
    """The spec of a model; a generous generic spec, `known=False`, for names we don't know."""
    return MODELS.get(model) or replace(_UNKNOWN, name=model)

"""What we know about each MiniMax chat model: which API serves it, its limits and defaults.

Defaults come from MiniMax's API reference (see docs/minimax-api.md#v2-request). Output caps
are the documented or widely reported maximum output per request; where MiniMax publishes none
(the abab and Text-01 models) we use a conservative 8192.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

V2 = "v2"
PRO = "pro"
APIS = (V2, PRO)

# How a model returns its thinking, if it thinks at all.
REASONING_NONE = "none"
REASONING_FIELD = "field"  # delta.reasoning_content (MiniMax-M1)
REASONING_INLINE = "inline"  # <think>…</think> at the start of content (MiniMax-M2.x)


@dataclass(frozen=True)
class ModelSpec:
    """Limits and sampling defaults of one model."""

    name: str
    apis: tuple[str, ...]
    max_output_tokens: int
    default_max_tokens: int
    default_temperature: float
    default_top_p: float = 0.95
    reasoning: str = REASONING_NONE


def _m2(name: str) -> ModelSpec:
    return ModelSpec(name, (V2,), 131072, 10240, 1.0, 0.95, REASONING_INLINE)


def _abab(name: str, apis: tuple[str, ...] = (V2, PRO)) -> ModelSpec:
    return ModelSpec(name, apis, 8192, 2048, 0.1, 0.95)


MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        _m2("MiniMax-M2.7"),
        _m2("MiniMax-M2.7-highspeed"),
        _m2("MiniMax-M2.5"),
        _m2("MiniMax-M2.5-highspeed"),
        _m2("MiniMax-M2.1"),
        _m2("MiniMax-M2.1-lightning"),
        _m2("MiniMax-M2"),
        ModelSpec("MiniMax-M1", (V2,), 40000, 8192, 1.0, 0.95, REASONING_FIELD),
        ModelSpec("MiniMax-Text-01", (V2, PRO), 8192, 2048, 0.1, 0.95),
        _abab("abab6.5s-chat"),
        _abab("abab6.5g-chat", (V2,)),
        _abab("abab6.5t-chat"),
        _abab("abab6.5-chat", (PRO,)),
        _abab("abab6-chat", (PRO,)),
        _abab("abab5.5-chat"),
        _abab("abab5.5s-chat", (V2,)),
    )
}

DEFAULT_MODEL = {V2: "MiniMax-M2.7", PRO: "abab6.5s-chat"}

# Models we don't know still work: MiniMax ships new ones often.
_UNKNOWN = ModelSpec("", APIS, 8192, 2048, 0.7, 0.95)


def models_for(api: str) -> list[str]:
    """Known model names served by one API dialect, newest first."""
    return [name for name, spec in MODELS.items() if api in spec.apis]


def spec_for(model: str) -> ModelSpec:
    """The spec of a model; a permissive generic spec for names we don't know yet."""
    return MODELS.get(model) or replace(_UNKNOWN, name=model)

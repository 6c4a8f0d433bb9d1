"""The model catalogue: M3 first and the default, the documented limits, legacy rows, and a
hand-typed model that works with generous defaults and says its limits are unknown."""
from __future__ import annotations

from minimax_backend.models import (
    ANTHROPIC,
    APIS,
    DEFAULT_MODEL,
    MODELS,
    OPENAI,
    PRO,
    SOURCE,
    THINKING_ALWAYS,
    THINKING_SWITCH,
    V2,
    models_for,
    spec_for,
)

M_SERIES = ["MiniMax-M3", "MiniMax-M2.7", "MiniMax-M2.7-highspeed", "MiniMax-M2.5",
            "MiniMax-M2.5-highspeed", "MiniMax-M2.1", "MiniMax-M2.1-highspeed", "MiniMax-M2"]


def test_the_current_models_newest_first_on_the_three_current_apis():
    for api in (V2, OPENAI, ANTHROPIC):
        assert models_for(api)[:len(M_SERIES)] == M_SERIES
    assert models_for(OPENAI) == models_for(ANTHROPIC) == M_SERIES
    assert not [name for name in MODELS if name.endswith("-lightning")]


def test_m3_is_the_default_with_its_documented_limits():
    assert DEFAULT_MODEL == {V2: "MiniMax-M3", PRO: "abab6.5s-chat", OPENAI: "MiniMax-M3",
                             ANTHROPIC: "MiniMax-M3"}
    m3 = spec_for("MiniMax-M3")
    assert (m3.context_tokens, m3.max_output_tokens, m3.recommended_max_tokens) == (
        1_000_000, 524_288, 131_072)
    assert (m3.thinking, m3.thinking_switch, m3.images, m3.legacy, m3.known) == (
        THINKING_SWITCH, True, True, False, True)
    assert (m3.default_temperature, m3.default_top_p) == (1.0, 0.95)
    assert PRO not in m3.apis


def test_m2_models_always_think_and_take_no_images():
    for name in M_SERIES[1:]:
        spec = spec_for(name)
        assert (spec.context_tokens, spec.thinking, spec.images) == (204_800, THINKING_ALWAYS, False)


def test_older_models_are_legacy_and_pro_keeps_its_own():
    assert all(spec.legacy for name, spec in MODELS.items() if name not in M_SERIES)
    assert models_for(PRO) == ["MiniMax-Text-01", "abab6.5s-chat", "abab6.5t-chat",
                               "abab6.5-chat", "abab6-chat", "abab5.5-chat"]


def test_a_model_typed_by_hand_is_not_crippled_and_says_its_limits_are_unknown():
    spec = spec_for("MiniMax-M4-preview")
    assert (spec.name, spec.known, spec.apis) == ("MiniMax-M4-preview", False, APIS)
    assert spec.max_output_tokens == 524_288 and spec.default_max_tokens == 10_240
    assert (spec.default_temperature, spec.thinking_switch, spec.images) == (1.0, True, True)


def test_the_table_names_its_source_and_date():
    assert "platform.minimax" in SOURCE and "2026-11-30" in SOURCE

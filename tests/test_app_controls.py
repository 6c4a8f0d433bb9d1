"""The settings panel and the page banner: what each control does and what the page says."""
from dataclasses import replace
from types import SimpleNamespace

import pytest

from minimax_backend import Settings, ValidationError
from minimax_backend.models import (
    ANTHROPIC,
    APIS,
    DEFAULT_MODEL,
    OPENAI,
    PRO,
    V2,
    models_for,
    spec_for,
)
from minimax_backend.types import THINK_ADAPTIVE, THINK_OFF
from ui.chat.handlers import build_request
from ui.chat.service import ChatService
from ui.chat.settings import ChatSettings
from ui.panels.controls import (
    API_CHOICES,
    model_facts,
    on_api_change,
    on_model_change,
    page_load,
    reset_defaults,
)

M2 = "MiniMax-M2.7"


def request(lang="en-US", session="s1"):
    return SimpleNamespace(headers={"accept-language": lang}, session_hash=session)


def test_switching_to_pro_lists_pro_models_and_shows_the_names():
    model, bot, user_name = on_api_change(PRO)
    assert model["choices"] == models_for(PRO) and model["value"] == DEFAULT_MODEL[PRO]
    assert bot["visible"] and user_name["visible"]
    model, bot, _ = on_api_change(V2)
    assert model["value"] == DEFAULT_MODEL[V2] and not bot["visible"]


def untouched(model):
    """`on_model_change` from the page's first model with its defaults left as they were."""
    spec = spec_for(DEFAULT_MODEL[V2])
    return on_model_change(model, spec.default_temperature, spec.default_top_p,
                           spec.default_max_tokens, request())


def test_a_model_brings_its_documented_defaults_and_token_cap():
    temperature, top_p, max_tokens, note = untouched("MiniMax-M1")
    spec = spec_for("MiniMax-M1")
    assert temperature["value"] == spec.default_temperature == 1.0
    assert top_p["value"] == 0.95
    assert max_tokens == {"__type__": "update", "value": 8192, "maximum": 40000}
    assert untouched("abab6.5s-chat")[0]["value"] == 0.1
    assert note == {"__type__": "update", "value": "", "visible": False}  # nothing to say


def test_a_model_change_keeps_the_visitors_values_where_the_model_allows_them():
    temperature, top_p, max_tokens, note = on_model_change("MiniMax-M2.5", 0.35, 0.8, 20000,
                                                           request())
    assert (temperature["value"], top_p["value"], max_tokens["value"]) == (0.35, 0.8, 20000)
    assert max_tokens["maximum"] == 131072 and note["visible"] is False


def test_a_value_the_new_model_cannot_take_is_changed_and_named_in_both_languages():
    out = on_model_change("abab6.5s-chat", 0.35, 0.8, 20000, request())
    assert (out[0]["value"], out[1]["value"], out[2]["value"]) == (0.35, 0.8, 8192)
    assert out[3] == {"__type__": "update", "visible": True,
                      "value": "Now abab6.5s-chat: max tokens changed from 20000 to 8192 (its most)."}
    chinese = on_model_change("abab6.5s-chat", 0.35, 0.8, 20000, request("zh-CN"))[3]["value"]
    assert chinese == "切换到 abab6.5s-chat：最大输出 token 数由 20000 改为 8192（该模型最多 8192）。"


def test_reset_restores_the_model_defaults():
    system, temperature, _, max_tokens, bot, user_name = reset_defaults(M2)
    assert system == "" and temperature["value"] == 1.0 and max_tokens["value"] == 10240
    assert (bot, user_name) == ("MM智能助理", "用户")



# -- the page banner ---------------------------------------------------------------------

def test_the_page_says_plainly_when_replies_are_offline_demo_replies():
    banner, region = page_load(ChatService(Settings()), request("zh-CN"))
    assert banner["visible"] and "离线演示模式" in banner["value"] and "MINIMAX_API_KEY" in banner["value"]
    assert region["interactive"]  # a visitor may bring a key of either region
    banner, region = page_load(ChatService(Settings(api_key="k", region="global")), request())
    assert not banner["visible"] and region == {"__type__": "update", "value": "global", "interactive": True}


def test_a_misconfigured_server_is_explained_on_the_page():
    def broken():
        raise ValidationError("MINIMAX_REGION", "one_of", allowed=["cn", "global"], got="eu")
    banner, _ = page_load(ChatService(broken), request("en"))
    assert banner["visible"] and "MINIMAX_REGION must be one of" in banner["value"]


def test_the_api_choice_offers_all_four_and_each_lists_the_catalogues_models():
    assert [value for _, value in API_CHOICES] == [V2, OPENAI, ANTHROPIC, PRO]
    for api in APIS:
        model, bot, _ = on_api_change(api)
        assert model["choices"] == models_for(api) and model["value"] == DEFAULT_MODEL[api]
        assert bot["visible"] == (api == PRO)
    assert "MiniMax-M3" in on_api_change(ANTHROPIC)[0]["choices"]
    assert "MiniMax-M3" not in on_api_change(PRO)[0]["choices"]


def test_the_thinking_switch_shows_only_for_a_model_that_can_turn_it_off():
    switch, note = model_facts("MiniMax-M3", THINK_OFF, request())
    assert switch == {"__type__": "update", "visible": True, "value": THINK_OFF}
    assert note == {"__type__": "update", "value": "", "visible": False}
    switch, _ = model_facts(M2, THINK_OFF, request())  # M2.7 always thinks
    assert switch == {"__type__": "update", "visible": False, "value": THINK_ADAPTIVE}


def test_a_hand_typed_model_says_its_limits_are_unknown():
    _, note = model_facts(" MiniMax-M9 ", THINK_ADAPTIVE, request())
    assert note["visible"] and note["value"] == (
        "⚠️ MiniMax-M9 is not in this app's list, so its limits are unknown: the app allows up "
        "to 524,288 output tokens and lets MiniMax refuse what the model cannot do.")
    assert model_facts("MiniMax-M9", THINK_ADAPTIVE, request("zh-CN"))[1]["value"].startswith(
        "⚠️ MiniMax-M9 不在本应用的模型列表中")


def test_thinking_is_one_of_the_settings_and_off_reaches_the_request_only_where_it_can():
    history = [{"role": "user", "content": "hi"}]
    off = ChatSettings.from_page({"api": V2, "model": "MiniMax-M3", "temperature": 1,
                                  "top_p": 0.95, "max_tokens": 100, "thinking": THINK_OFF})
    assert build_request(history, {}, off).thinking == THINK_OFF
    ignored = replace(off, model=M2)  # a script's "off" for a model that always thinks
    assert build_request(history, {}, ignored).thinking == THINK_ADAPTIVE
    with pytest.raises(ValidationError) as caught:
        replace(off, thinking="sometimes")
    assert caught.value.field == "thinking"

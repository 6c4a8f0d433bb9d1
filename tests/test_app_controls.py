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


def test_a_model_brings_its_documented_defaults_and_token_cap():
    temperature, top_p, max_tokens = on_model_change("MiniMax-M1")
    spec = spec_for("MiniMax-M1")
    assert temperature["value"] == spec.default_temperature == 1.0
    assert top_p["value"] == 0.95
    assert max_tokens == {"__type__": "update", "value": 8192, "maximum": 40000}
    assert on_model_change("abab6.5s-chat")[0]["value"] == 0.1


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

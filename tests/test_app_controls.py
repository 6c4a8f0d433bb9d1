"""The settings panel and the page banner: what each control does and what the page says."""
from types import SimpleNamespace

from minimax_backend import Settings, ValidationError
from minimax_backend.models import DEFAULT_MODEL, PRO, V2, models_for, spec_for
from ui.chat.service import ChatService
from ui.panels.controls import on_api_change, on_model_change, page_load, reset_defaults

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

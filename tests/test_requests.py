"""Validation before sending, settings, and how each codec encodes a conversation."""
from __future__ import annotations

import pytest

from minimax_backend import codec_pro, codec_v2
from minimax_backend.dialects import CODECS, Codec
from minimax_backend.errors import ValidationError
from minimax_backend.models import APIS
from minimax_backend.settings import Settings
from minimax_backend.types import ChatRequest, Message
from ui.text.advice import advice

TURNS = (Message("user", "你好"), Message("assistant", "<think>hm</think>\n\n你好！"),
         Message("user", "再见"))


def request(**kw):
    values = dict(messages=TURNS, model="MiniMax-M2.7", system="你是助手", temperature=0.7,
                  top_p=0.9, max_tokens=1000)
    values.update(kw)
    return ChatRequest(**values)


@pytest.mark.parametrize("field,value,needle", [
    ("temperature", 0, "temperature must be greater than 0 and at most 1 (got 0)"),
    ("temperature", 1.5, "temperature must be greater than 0 and at most 1 (got 1.5)"),
    ("top_p", 0.0, "top_p must be greater than 0 and at most 1 (got 0.0)"),
    ("top_p", -1, "top_p must be greater than 0 and at most 1"),
    ("max_tokens", 0, "max_tokens must be a whole number from 1 to 131072 for MiniMax-M2.7 (got 0)"),
    ("max_tokens", 200000, "from 1 to 131072"),
    ("max_tokens", 2.5, "whole number"),
    ("api", "v3", "api must be one of ('v2', 'pro', 'openai', 'anthropic')"),
    ("model", " ", "choose a model"),
    ("messages", (Message("user", "  "),), "the message is empty"),
    ("messages", (), "must end with a user message"),
    ("messages", TURNS[:2], "must end with a user message"),
])
def test_invalid_requests_name_the_field_and_range(field, value, needle):
    with pytest.raises(ValidationError) as info:
        request(**{field: value})
    assert info.value.field == field and needle in info.value.message
    assert advice(info.value, "zh") != info.value.message  # a Chinese message too


def test_a_known_model_on_the_other_api_is_refused_and_a_new_one_passes():
    with pytest.raises(ValidationError) as info:
        request(api="pro", model="MiniMax-M2.7", max_tokens=1024)
    assert info.value.field == "model" and "not served by the pro API" in info.value.message
    assert "pro 接口不提供 MiniMax-M2.7" in advice(info.value, "zh")
    assert request(api="pro", model="abab9-chat-next", max_tokens=1024).model == "abab9-chat-next"


def test_model_limit_depends_on_the_model():
    assert request(model="MiniMax-M1", max_tokens=40000).max_tokens == 40000
    with pytest.raises(ValidationError, match="from 1 to 40000"):
        request(model="MiniMax-M1", max_tokens=40001)


def test_bad_role_is_rejected():
    with pytest.raises(ValidationError, match="role"):
        Message("system", "x")


def test_every_api_has_a_codec_in_the_one_table():
    assert list(CODECS) == list(APIS)
    assert all(isinstance(codec, Codec) for codec in CODECS.values())
    assert not isinstance(object(), Codec)


def test_v2_encoding_sends_system_and_raw_assistant_turns():
    body = codec_v2.encode(request(), stream=True)
    assert body == {
        "model": "MiniMax-M2.7",
        "messages": [{"role": "system", "content": "你是助手"},
                     {"role": "user", "content": "你好"},
                     {"role": "assistant", "content": "<think>hm</think>\n\n你好！"},
                     {"role": "user", "content": "再见"}],
        "stream": True, "max_tokens": 1000, "temperature": 0.7, "top_p": 0.9}
    assert codec_v2.params("123") == {}  # never a GroupId on v2


def test_v2_without_system_prompt_sends_no_system_message():
    assert codec_v2.encode(request(system=" "), stream=False)["messages"][0]["role"] == "user"


def test_pro_encoding_uses_senders_bot_setting_and_reply_constraints():
    body = codec_pro.encode(request(api="pro", model="abab6.5s-chat", bot_name="小M",
                                    user_name="小明"), stream=False)
    assert body == {
        "model": "abab6.5s-chat",
        "messages": [{"sender_type": "USER", "sender_name": "小明", "text": "你好"},
                     {"sender_type": "BOT", "sender_name": "小M", "text": "<think>hm</think>\n\n你好！"},
                     {"sender_type": "USER", "sender_name": "小明", "text": "再见"}],
        "bot_setting": [{"bot_name": "小M", "content": "你是助手"}],
        "reply_constraints": {"sender_type": "BOT", "sender_name": "小M"},
        "stream": False, "tokens_to_generate": 1000, "temperature": 0.7, "top_p": 0.9,
        "mask_sensitive_info": False}
    assert codec_pro.params("123") == {"GroupId": "123"}


def test_pro_without_system_prompt_uses_a_default_persona():
    body = codec_pro.encode(request(api="pro", model="abab6.5s-chat", system=""), stream=True)
    assert body["bot_setting"][0]["content"] == codec_pro.DEFAULT_PERSONA


def test_pro_names_are_validated():
    with pytest.raises(ValidationError, match="bot_name"):
        request(api="pro", model="abab6.5s-chat", bot_name=" ")
    with pytest.raises(ValidationError, match="user_name must be on one line, without control characters"):
        request(api="pro", model="abab6.5s-chat", user_name="ann\nreply session=forged")


@pytest.mark.parametrize("model", ["MiniMax-M2.7\nreply session=forged", "M" * 65, "Mini Max",
                                   "abab6.5s-chat;rm", "模型"])
def test_a_model_name_is_a_short_name_not_free_text(model):
    with pytest.raises(ValidationError) as info:
        request(model=model)
    assert info.value.field == "model"
    assert info.value.message == ("a model name is 1 to 64 letters, digits and . _ - : / "
                                  "(like MiniMax-M2.7)")


@pytest.mark.parametrize("field, build", [
    ("messages", lambda: Message("assistant", "a \udc80")),
    ("system", lambda: request(system="be kind \ud800")),
])
def test_text_that_cannot_be_utf_8_is_refused_naming_its_field(field, build):
    with pytest.raises(ValidationError) as info:
        build()
    assert info.value.field == field
    assert info.value.message == (f"{field} contains characters that are not valid text "
                                  "(a lone UTF-16 surrogate); retype it")


def test_settings_from_env_and_overrides():
    env = {"MINIMAX_API_KEY": " sk-secret ", "MINIMAX_REGION": "global", "MINIMAX_GROUP_ID": "42"}
    settings = Settings.from_env(env)
    assert (settings.api_key, settings.url, settings.group_id) == ("sk-secret", "https://api.minimax.io", "42")
    assert Settings.from_env({}).url == "https://api.minimaxi.com"  # cn by default
    assert Settings.from_env(env, base_url="http://127.0.0.1:1/").url == "http://127.0.0.1:1"
    assert Settings.from_env(env, region=None).region == "global"  # None does not override
    assert "sk-secret" not in repr(settings) and "<set>" in repr(settings)


@pytest.mark.parametrize("env,field", [({"MINIMAX_REGION": "eu"}, "MINIMAX_REGION"),
                                       ({"MINIMAX_GROUP_ID": "abc"}, "MINIMAX_GROUP_ID")])
def test_bad_settings_name_the_variable(env, field):
    with pytest.raises(ValidationError) as info:
        Settings.from_env(env)
    assert info.value.field == field and field in info.value.message

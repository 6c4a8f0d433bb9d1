"""What goes over the wire to the OpenAI- and Anthropic-compatible endpoints, and the images
and thinking rules every dialect shares: refused before sending when a model cannot."""
from __future__ import annotations

import base64

import pytest

from minimax_backend import (
    ChatRequest,
    ImagePart,
    Message,
    ValidationError,
    codec_anthropic,
    codec_openai,
    codec_pro,
    codec_v2,
)
from minimax_backend.turns import pack_anthropic, pack_openai
from tests.compat_payloads import ANTHROPIC_BLOCKS
from ui.text.advice import advice

PNG = ImagePart("image/png", b"\x89PNG\r\n\x1a\nfake")
PNG_URL = "data:image/png;base64," + base64.b64encode(PNG.data).decode()
DETAILS = [{"type": "reasoning.text", "id": "reasoning-text-1", "format": "MiniMax-response-v1",
            "index": 0, "text": "想"}]


def request(*messages, **kw):
    values = dict(model="MiniMax-M3", system="你是助手", temperature=0.7, top_p=0.9, max_tokens=1000)
    values.update(kw)
    return ChatRequest(messages=messages or (Message("user", "你好"),), **values)


def test_openai_body_splits_thinking_and_asks_for_usage():
    body = codec_openai.encode(request(api="openai"), stream=True)
    assert body == {"model": "MiniMax-M3",
                    "messages": [{"role": "system", "content": "你是助手"},
                                 {"role": "user", "content": "你好"}],
                    "stream": True, "max_completion_tokens": 1000, "temperature": 0.7,
                    "top_p": 0.9, "reasoning_split": True,
                    "stream_options": {"include_usage": True}, "thinking": {"type": "adaptive"}}
    assert "stream_options" not in codec_openai.encode(request(api="openai"), stream=False)


def test_anthropic_body_has_a_top_level_system_and_no_system_message():
    body = codec_anthropic.encode(request(api="anthropic", thinking="off"), stream=False)
    assert body == {"model": "MiniMax-M3", "max_tokens": 1000,
                    "messages": [{"role": "user", "content": "你好"}], "stream": False,
                    "temperature": 0.7, "top_p": 0.9, "system": "你是助手",
                    "thinking": {"type": "disabled"}}


def test_images_go_as_image_url_parts_or_anthropic_image_blocks():
    turn = Message("user", "这是什么？", (PNG,))
    for codec, api in ((codec_v2, "v2"), (codec_openai, "openai")):
        sent = codec.encode(request(turn, api=api), stream=False)["messages"][-1]
        assert sent == {"role": "user", "content": [
            {"type": "text", "text": "这是什么？"},
            {"type": "image_url", "image_url": {"url": PNG_URL}}]}
    sent = codec_anthropic.encode(request(turn, api="anthropic"), stream=False)["messages"][-1]
    assert sent == {"role": "user", "content": [
        {"type": "image", "source": {"type": "base64", "media_type": "image/png",
                                     "data": base64.b64encode(PNG.data).decode()}},
        {"type": "text", "text": "这是什么？"}]}


def test_an_image_alone_is_a_message():
    assert request(Message("user", "", (PNG,))).messages[-1].images == (PNG,)


@pytest.mark.parametrize("model, api", [("MiniMax-M2.7", "v2"), ("MiniMax-M2.7", "anthropic"),
                                        ("abab6.5s-chat", "pro"), ("my-new-model", "pro")])
def test_a_model_without_image_input_is_refused_before_sending(model, api):
    with pytest.raises(ValidationError) as info:
        request(Message("user", "看", (PNG,)), model=model, api=api)
    assert (info.value.field, info.value.reason) == ("messages", "no_images")
    assert str(info.value) == (f"{model} does not take images on the {api} API; remove the "
                               "images or choose a model that takes them")
    assert advice(info.value, "zh") == (f"{model} 在 {api} 接口上不支持图片输入，消息未发送。请换用支持图片的"
                                        "模型（MiniMax-M3，pro 接口除外）后点击“重试”，或去掉图片后重新发送。")


def test_bad_images_are_refused():
    with pytest.raises(ValidationError, match="images must be one of"):
        ImagePart("image/svg+xml", b"<svg/>")
    with pytest.raises(ValidationError, match="an image is empty"):
        ImagePart("image/png", b"")
    with pytest.raises(ValidationError, match="only a user message can carry images"):
        Message("assistant", "x", (PNG,))
    assert "bytes" in repr(PNG) and "PNG" not in repr(PNG)  # no image data in a log line


def test_thinking_off_only_for_a_model_that_can_stop():
    with pytest.raises(ValidationError) as info:
        request(model="MiniMax-M2.7", thinking="off")
    assert str(info.value) == "MiniMax-M2.7 always thinks; its thinking cannot be turned off"
    with pytest.raises(ValidationError, match="thinking must be one of"):
        request(thinking="never")
    # a model that always thinks gets no `thinking` field at all
    assert "thinking" not in codec_v2.encode(request(model="MiniMax-M2.7"), stream=False)
    assert codec_v2.encode(request(thinking="off"), stream=False)["thinking"] == {"type": "disabled"}


def test_each_dialect_gets_back_its_own_thinking_unchanged():
    anthropic_turn, openai_turn = pack_anthropic(ANTHROPIC_BLOCKS), pack_openai("答", DETAILS)
    for raw, api, expected in [
            (anthropic_turn, "anthropic", {"role": "assistant", "content": ANTHROPIC_BLOCKS}),
            (openai_turn, "openai", {"role": "assistant", "content": "答", "reasoning_details": DETAILS}),
            ("<think>想</think>\n\n答", "v2", {"role": "assistant", "content": "<think>想</think>\n\n答"}),
            ("<think>想</think>\n\n答", "openai", {"role": "assistant", "content": "<think>想</think>\n\n答"})]:
        codec = {"v2": codec_v2, "openai": codec_openai, "anthropic": codec_anthropic}[api]
        history = (Message("user", "问"), Message("assistant", raw), Message("user", "再问"))
        assert codec.encode(request(*history, api=api), stream=False)["messages"][-2] == expected


def test_another_dialects_thinking_turn_goes_as_its_answer_text():
    history = (Message("user", "问"), Message("assistant", pack_anthropic(ANTHROPIC_BLOCKS)),
               Message("user", "再问"))
    for codec, api in ((codec_v2, "v2"), (codec_openai, "openai")):
        sent = codec.encode(request(*history, api=api), stream=False)["messages"][-2]
        assert sent == {"role": "assistant", "content": "这是一张照片 📷。"}
    inline = (Message("user", "问"), Message("assistant", "<think>想</think>\n\n答"), Message("user", "再"))
    sent = codec_anthropic.encode(request(*inline, api="anthropic"), stream=False)["messages"][1]
    assert sent == {"role": "assistant", "content": "答"}
    pro = codec_pro.encode(request(*history, api="pro", model="abab6.5s-chat"), stream=False)
    assert pro["messages"][1]["text"] == "这是一张照片 📷。"

"""The official `openai` and `anthropic` SDKs against the emulator, with only the base URL and
key changed, as MiniMax's quick starts use them: text, thinking and usage where each SDK puts
them, standard and streaming, a system prompt, several turns, thinking on and off, an image."""
from __future__ import annotations

import base64
import io

import anthropic
import openai
import pytest
from PIL import Image

from minimax_backend.emulator import Emulator, EmulatorConfig

KEY = "sk-sdk-test"


@pytest.fixture(scope="module")
def emu():
    with Emulator(EmulatorConfig(api_keys=(KEY,), interval_ms=0)) as emulator:
        yield emulator


def png(width=64, height=48) -> str:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(buf, "PNG")
    return base64.b64encode(buf.getvalue()).decode()


def lines(text: str, *needles: str) -> list[str]:
    return [line for line in text.splitlines() if any(n in line for n in needles)]


@pytest.fixture
def oai(emu):
    return openai.OpenAI(base_url=emu.url + "/v1", api_key=KEY, max_retries=0)


@pytest.fixture
def claude(emu):
    return anthropic.Anthropic(base_url=emu.url + "/anthropic", api_key=KEY, max_retries=0)


def test_openai_sdk_split_thinking_image_and_system(oai):
    response = oai.chat.completions.create(
        model="MiniMax-M3",
        messages=[{"role": "system", "content": "你是诗人"},
                  {"role": "user", "content": [
                      {"type": "text", "text": "图里是什么？"},
                      {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{png()}"}}]}],
        extra_body={"reasoning_split": True})
    message = response.choices[0].message
    assert message.content.startswith("你好！这是 MiniMax 模拟器的离线演示回复") and "<think>" not in message.content
    assert lines(message.content, "图片", "系统提示") == [
        "- 系统提示 / system prompt: 你是诗人", "- 图片 / images: 1 (image/png 64×48)"]
    assert message.reasoning_details[0]["text"].startswith("用户说「图里是什么？」")
    assert response.usage.completion_tokens > 0 and response.usage.completion_tokens_details.reasoning_tokens > 0
    assert response.usage.total_tokens == response.usage.prompt_tokens + response.usage.completion_tokens


def test_openai_sdk_stream_inline_think_and_usage_chunk(oai):
    stream = oai.chat.completions.create(
        model="MiniMax-M3", messages=[{"role": "user", "content": "你好"}], stream=True,
        stream_options={"include_usage": True})
    text, usage = "", None
    for chunk in stream:
        if chunk.choices:
            text += chunk.choices[0].delta.content or ""
        usage = chunk.usage or usage
    assert text.startswith("<think>\n用户说「你好」") and "</think>\n\n你好！这是 MiniMax" in text
    assert usage.completion_tokens > 0 and usage.prompt_tokens > 0


def test_openai_sdk_multi_turn_with_details_back_and_thinking_off(oai):
    first = oai.chat.completions.create(model="MiniMax-M3", messages=[{"role": "user", "content": "一"}],
                                        extra_body={"reasoning_split": True})
    turn = first.choices[0].message.model_dump(exclude_none=True)
    second = oai.chat.completions.create(
        model="MiniMax-M3",
        messages=[{"role": "user", "content": "一"}, turn, {"role": "user", "content": "二"}],
        extra_body={"reasoning_split": True, "thinking": {"type": "disabled"}})
    message = second.choices[0].message
    assert lines(message.content, "消息数", "回传") == ["- 消息数 / messages: 3",
                                                      "- 回传的思考 / thinking sent back: 1"]
    assert getattr(message, "reasoning_details", None) is None  # thinking off: none at all
    assert second.usage.prompt_tokens_details.cached_tokens > 0


def test_anthropic_sdk_message_with_image_thinking_and_cache_usage(claude):
    message = claude.messages.create(
        model="MiniMax-M3", max_tokens=4000, system="你是诗人",
        messages=[{"role": "user", "content": [
            {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": png(10, 20)}},
            {"type": "text", "text": "图里是什么？"}]}])
    thinking, text = message.content
    assert thinking.type == "thinking" and thinking.thinking.startswith("用户说「图里是什么？」")
    assert len(thinking.signature) == 64
    assert text.type == "text" and lines(text.text, "图片") == ["- 图片 / images: 1 (image/png 10×20)"]
    assert message.stop_reason == "end_turn" and message.usage.output_tokens > 0


def test_anthropic_sdk_stream_then_thinking_sent_back_unchanged(claude):
    with claude.messages.stream(model="MiniMax-M3", max_tokens=4000,
                                messages=[{"role": "user", "content": "你好"}]) as stream:
        deltas = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert [b.type for b in final.content] == ["thinking", "text"]
    assert final.content[1].text == deltas and final.usage.input_tokens > 0
    assert final.usage.output_tokens > 0
    history = [{"role": "user", "content": "你好"},
               {"role": "assistant", "content": [b.model_dump() for b in final.content]},
               {"role": "user", "content": "再说一遍"}]
    again = claude.messages.create(model="MiniMax-M3", max_tokens=4000, messages=history,
                                   thinking={"type": "disabled"})
    assert [b.type for b in again.content] == ["text"]
    assert lines(again.content[0].text, "回传") == ["- 回传的思考 / thinking sent back: 1"]
    assert again.usage.cache_read_input_tokens > 0


def test_anthropic_sdk_tampered_thinking_is_refused_in_anthropics_error_shape(claude):
    history = [{"role": "user", "content": "你好"},
               {"role": "assistant", "content": [
                   {"type": "thinking", "thinking": "改过的思考", "signature": "0" * 64},
                   {"type": "text", "text": "好"}]},
               {"role": "user", "content": "再说"}]
    with pytest.raises(anthropic.BadRequestError) as info:
        claude.messages.create(model="MiniMax-M3", max_tokens=100, messages=history)
    assert info.value.status_code == 400
    assert info.value.body["error"]["type"] == "invalid_request_error"
    assert info.value.body["error"]["message"].endswith("with its signature (2013)")


def test_sdks_see_a_wrong_key_as_their_authentication_error(emu):
    bad_oai = openai.OpenAI(base_url=emu.url + "/v1", api_key="sk-wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as info:
        bad_oai.chat.completions.create(model="MiniMax-M3", messages=[{"role": "user", "content": "x"}])
    assert info.value.body["type"] == "authorized_error" and info.value.body["message"] == "invalid api key (2049)"
    bad_claude = anthropic.Anthropic(base_url=emu.url + "/anthropic", api_key="sk-wrong", max_retries=0)
    with pytest.raises(anthropic.AuthenticationError):
        bad_claude.messages.create(model="MiniMax-M3", max_tokens=10, messages=[{"role": "user", "content": "x"}])

"""MiniMaxClient on the OpenAI- and Anthropic-compatible endpoints, against the emulator:
text, thinking and usage; thinking sent back next turn; images; every error form; retries."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from minimax_backend import (
    AuthenticationError,
    ChatRequest,
    Finish,
    ImagePart,
    Message,
    MiniMaxClient,
    QuotaError,
    RateLimitError,
    ReasoningDelta,
    Retrying,
    ServerError,
    Settings,
    TextDelta,
)
from minimax_backend.emulator import Emulator, EmulatorConfig
from minimax_backend.turns import unpack

KEY = "sk-compat"
APIS = ["openai", "anthropic"]


@pytest.fixture(scope="module")
def emu():
    with Emulator(EmulatorConfig(api_keys=(KEY,), interval_ms=0)) as emulator:
        emulator.clear_faults()
        yield emulator


def client_for(emu, key=KEY):
    return MiniMaxClient(Settings(api_key=key, base_url=emu.url, max_retries=2), retry_backoff=0.01)


def ask(api, *messages, **kw):
    return ChatRequest(messages=messages or (Message("user", "你好"),), model="MiniMax-M3",
                       api=api, system="你是助手", max_tokens=4000, temperature=1.0, **kw)


def run(client, request):
    events = list(client.stream(request))
    text = "".join(e.text for e in events if isinstance(e, TextDelta))
    reasoning = "".join(e.text for e in events if isinstance(e, ReasoningDelta))
    assert isinstance(events[-1], Finish)
    return text, reasoning, events[-1], events


def jpeg(width, height) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), "navy").save(buf, "JPEG")
    return buf.getvalue()


@pytest.mark.parametrize("api", APIS)
def test_stream_and_complete_give_the_same_reply_with_thinking_apart(emu, api):
    client = client_for(emu)
    text, reasoning, finish, _ = run(client, ask(api))
    assert text.startswith("你好！这是 MiniMax 模拟器的离线演示回复") and "<think>" not in text
    assert reasoning.startswith("用户说「你好」。我是模拟器")
    assert unpack(finish.raw_content).api == api and unpack(finish.raw_content).answer == text
    assert finish.usage.completion_tokens > 0
    assert finish.usage.total_tokens == finish.usage.prompt_tokens + finish.usage.completion_tokens
    whole = client.complete(ask(api))
    assert (whole.text, whole.reasoning, whole.finish.raw_content) == (text, reasoning, finish.raw_content)


@pytest.mark.parametrize("api", APIS)
def test_the_thinking_turn_goes_back_and_is_acknowledged(emu, api):
    client = client_for(emu)
    first = client.complete(ask(api))
    history = (Message("user", "你好"), Message("assistant", first.finish.raw_content),
               Message("user", "再说一遍"))
    text, _, finish, _ = run(client, ask(api, *history))
    assert "- 回传的思考 / thinking sent back: 1" in text.splitlines()
    assert finish.usage.cached_tokens > 0


@pytest.mark.parametrize("api", APIS + ["v2"])
def test_thinking_off_gives_no_thinking_and_an_image_is_acknowledged(emu, api):
    message = Message("user", "这是什么？", (ImagePart("image/jpeg", jpeg(40, 30)),))
    text, reasoning, finish, _ = run(client_for(emu), ask(api, message, thinking="off"))
    assert reasoning == "" and finish.raw_content == text
    assert "- 图片 / images: 1 (image/jpeg 40×30)" in text.splitlines()


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize("where", ["", ";where=stream"])
def test_a_refusal_before_any_text_is_the_tables_error(emu, api, where):
    emu.push_fault("error=1008" + where)
    with pytest.raises(QuotaError) as info:
        run(client_for(emu), ask(api))
    assert info.value.code == 1008 and info.value.message == "insufficient balance"
    # in a stream, only the OpenAI-compatible object names its status (`http_code`)
    assert info.value.http_status == (200 if where and api == "anthropic" else 402)


@pytest.mark.parametrize("api", APIS)
def test_a_failure_mid_answer_keeps_the_text_and_is_not_retried(emu, api):
    emu.push_fault("error=2064;after=6")
    shown = []
    with pytest.raises(ServerError) as info:
        for event in client_for(emu).stream(ask(api)):
            shown.append(event)
    assert info.value.code == 2064 and info.value.http_status == 529
    assert not any(isinstance(e, Retrying) for e in shown)
    assert any(isinstance(e, (TextDelta, ReasoningDelta)) for e in shown)


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize("code, cls", [(2064, ServerError), (1002, RateLimitError)])
def test_an_overload_or_rate_limit_is_retried_then_answered(emu, api, code, cls):
    emu.push_fault(f"error={code};times=1;key={api}-{code}")
    text, _, _, events = run(client_for(emu), ask(api))
    retries = [e for e in events if isinstance(e, Retrying)]
    assert len(retries) == 1 and type(retries[0].error) is cls and retries[0].error.code == code
    assert text.startswith("你好！")


@pytest.mark.parametrize("api", APIS)
def test_a_wrong_key_is_an_authentication_error(emu, api):
    with pytest.raises(AuthenticationError) as info:
        client_for(emu, key="sk-wrong").complete(ask(api))
    assert (info.value.code, info.value.http_status) == (2049, 401)


@pytest.mark.parametrize("api", APIS)
@pytest.mark.parametrize("mode", ["stream", "complete"])
@pytest.mark.parametrize("fault, cls, code, status", [
    ("error=1008", QuotaError, 1008, 402), ("error=1008;minimal", QuotaError, 1008, 402),
    ("error=2049", AuthenticationError, 2049, 401), ("http=529", ServerError, None, 529),
    ("http=502;html", ServerError, None, 502)])
def test_every_error_form_in_both_modes(emu, api, mode, fault, cls, code, status):
    client = MiniMaxClient(Settings(api_key=KEY, base_url=emu.url, max_retries=0))
    emu.push_fault(fault)
    with pytest.raises(cls) as info:
        if mode == "stream":
            run(client, ask(api))
        else:
            client.complete(ask(api))
    assert (info.value.code, info.value.http_status) == (code, status)

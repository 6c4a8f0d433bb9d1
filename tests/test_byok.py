"""Bring your own key, without a browser: the key reaches MiniMax for that request only, is never
printed, and "test key" tells a wrong region apart from success."""
from types import SimpleNamespace

import pytest

from minimax_backend import (
    CancelToken,
    ChatRequest,
    Message,
    RateLimitError,
    Settings,
    TextDelta,
    ValidationError,
)
from minimax_backend.emulator import Emulator, EmulatorConfig
from ui.chat.service import ChatService, Route
from ui.panels.own_key import check_key, route_words
from ui.protect.guard import Guard, GuardConfig

HI = ChatRequest(messages=(Message("user", "hi"),), model="MiniMax-M2.7", max_tokens=64)


def request(lang="zh-CN"):
    return SimpleNamespace(headers={"accept-language": lang}, session_hash="s1")


@pytest.fixture(scope="module")
def strict():
    """An emulator that knows exactly one key, like a region that owns it."""
    emu = Emulator(EmulatorConfig(interval_ms=1, api_keys=("sk-visitor-good",))).start()
    yield emu
    emu.stop()


def never_offline():
    raise AssertionError("a visitor's key must not go to the offline emulator")


def test_a_route_never_prints_the_key():
    route = Route.of("global", "  sk-visitor-secret ", "123")
    assert route.api_key == "sk-visitor-secret" and route.group_id == "123"
    assert "sk-visitor" not in repr(route) and "sk-visitor" not in str(route)


@pytest.mark.parametrize("key, group, field", [("sk bad", "", "api_key"), ("sk\nx", "", "api_key"),
                                               ("k" * 2000, "", "api_key"), ("sk", "12a", "group_id"),
                                               ("sk-ключ", "", "api_key"), ("sk\udc80", "", "api_key"),
                                               ("sk", "１２", "group_id"), ("sk", "²", "group_id")])
def test_a_malformed_key_or_group_id_is_refused(key, group, field):
    with pytest.raises(ValidationError) as caught:
        Route.of("cn", key, group)
    assert caught.value.field == field


def test_without_a_server_key_the_visitors_key_goes_to_minimax_not_the_emulator(strict):
    service = ChatService(Settings(base_url=strict.url, group_id="999", max_retries=0),
                          emulator_factory=never_offline)
    events = list(service.stream(HI, Route.of("cn", "sk-visitor-good"), CancelToken()))
    assert any(isinstance(e, TextDelta) for e in events)
    assert strict.requests[-1].api_key == "sk-visitor-good"
    assert "GroupId" not in strict.requests[-1].query  # the host's GroupId is not lent out
    assert service._clients == {}  # no client kept for a visitor's key


def test_with_a_server_key_a_plain_region_still_uses_the_servers_key(strict):
    service = ChatService(Settings(api_key="sk-visitor-good", base_url=strict.url, max_retries=0))
    list(service.stream(HI, Route.of("cn"), CancelToken()))
    assert strict.requests[-1].api_key == "sk-visitor-good"
    service.close()


def test_test_key_says_ok_for_a_good_key(strict):
    service = ChatService(Settings(base_url=strict.url, max_retries=0), emulator_factory=never_offline)
    message = check_key(service, "sk-visitor-good", "", "cn", "v2", "MiniMax-M2.7", request()).said
    assert message.startswith("✅") and "中国大陆" in message
    body = strict.requests[-1].body
    assert body["max_tokens"] == 1 and strict.requests[-1].api_key == "sk-visitor-good"


def test_test_key_suggests_the_other_region_when_minimax_refuses_the_key(strict):
    service = ChatService(Settings(base_url=strict.url, max_retries=0), emulator_factory=never_offline)
    zh = check_key(service, "sk-other-region", "", "cn", "v2", "MiniMax-M2.7", request()).said
    assert "2049" in zh and "海外 Global" in zh and "sk-other-region" not in zh
    en = check_key(service, "sk-other-region", "", "global", "v2", "", request("en-US")).said
    assert "try “中国大陆 China”" in en


def test_test_key_counts_against_the_visitors_message_limit(strict):
    """A script can't turn the button into a relay to MiniMax: past the limit, no request."""
    service = ChatService(Settings(base_url=strict.url, max_retries=0), emulator_factory=never_offline)
    guard = Guard(GuardConfig(messages_per_minute=2))
    before = len(strict.requests)
    answers = [check_key(service, "sk-visitor-good", "", "cn", "v2", "MiniMax-M2.7", request(),
                         guard).said for _ in range(3)]
    assert [a.startswith("✅") for a in answers] == [True, True, False]
    assert answers[2].startswith("⚠️ ⏳") and "每分钟最多 2 条" in answers[2]
    assert len(strict.requests) - before == 2


def test_test_key_without_a_key_asks_for_one():
    service = ChatService(Settings(), emulator_factory=never_offline)
    assert "粘贴" in check_key(service, "  ", "", "cn", "v2", "MiniMax-M2.7", request()).said


def test_a_refused_key_says_where_the_next_message_goes_and_is_marked_refused(strict):
    offline = ChatService(Settings(base_url=strict.url, max_retries=0), emulator_factory=never_offline)
    hosted = ChatService(Settings(api_key="sk-visitor-good", base_url=strict.url, max_retries=0))
    alone = check_key(offline, "sk-typo", "", "cn", "v2", "MiniMax-M2.7", request("en-US"))
    assert alone.refused == "2049"
    assert alone.said.endswith("\n\nUntil you change the key or the region, your next message will "
                               "use the offline demo.")
    beside = check_key(hosted, "sk-typo", "", "cn", "v2", "MiniMax-M2.7", request())
    assert beside.refused == "2049" and beside.said.endswith("在你修改 Key 或区域之前，下一条消息将改用服务器的 Key。")
    hosted.close()


def test_a_key_that_failed_for_another_reason_is_still_used():
    class Busy:
        offline = True

        def complete(self, chat, route):
            raise RateLimitError("rate limit exceeded", code=1002)

    checked = check_key(Busy(), "sk-visitor-good", "", "cn", "v2", "MiniMax-M2.7", request("en-US"))
    assert checked.refused == "" and checked.said.endswith("\n\nYour next message will still use this key.")
    assert "1002" in checked.said


@pytest.mark.parametrize("server_key, typed, refused, said", [
    ("", "", "", "🔌 Answering with: the offline demo (an emulator, not a real model)"),
    ("sk-host", "", "", "🔑 Answering with: the host's key"),
    ("", "typed", "", "🔑 Answering with: your key"),
    ("sk-host", "typed", "", "🔑 Answering with: your key"),
    ("sk-host", "typed", "1004", "🔑 Answering with: the host's key (your key was refused in its test, 1004)"),
    ("", "typed", "2049", "🔌 Answering with: the offline demo (an emulator, not a real model)"
                          " (your key was refused in its test, 2049)"),
])
def test_the_route_line_names_the_key_that_answers(server_key, typed, refused, said):
    service = ChatService(Settings(api_key=server_key), emulator_factory=never_offline)
    assert route_words(service, typed, refused, "en") == said


def test_the_route_line_in_chinese():
    service = ChatService(Settings(), emulator_factory=never_offline)
    assert route_words(service, "typed", "", "zh") == "🔑 回复使用：你的 Key"
    assert route_words(service, "", "", "zh") == "🔌 回复来自：离线演示（模拟器，不是真正的模型）"

"""Per-visitor limits (messages, tokens, message and history size) and their settings: checked
before the backend is called, shown as a note with the seconds to wait, the history kept."""
import asyncio
import json
import logging
import threading
from types import SimpleNamespace

import gradio as gr
import pytest
from conftest import WAIT_FOR_CANCEL, FakeService

from minimax_backend import Finish, Settings, TextDelta, Usage, ValidationError
from ui.chat.handlers import ChatHandlers
from ui.chat.history import check_history
from ui.chat.service import Route
from ui.chat.settings import ChatSettings
from ui.chat.turns import TurnHandlers
from ui.protect.guard import (
    DEFAULTS,
    Guard,
    GuardConfig,
    LimitExceeded,
    auth_from_env,
    client_ip,
)
from ui.protect.spending import SlidingWindow, estimate_tokens
from ui.text.safe_markdown import display

REPLY = [TextDelta("Hi!"), Finish("stop", "Hi!", Usage(40, 10, 0, 50))]
SETTINGS = ChatSettings(api="v2", model="MiniMax-M2.7", system="", temperature=1.0, top_p=0.95,
                        max_tokens=256, bot_name="MM智能助理", user_name="用户")


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def visitor(session="s1", ip="203.0.113.7", lang="en-US", forwarded=None):
    headers = {"accept-language": lang}
    if forwarded:
        headers["x-forwarded-for"] = forwarded
    return SimpleNamespace(headers=headers, session_hash=session, client=SimpleNamespace(host=ip))


def user(text):
    return {"role": "user", "content": [{"type": "text", "text": text}], "metadata": None}


def respond(handlers, history, req, user_key=""):
    route = Route.of("cn", user_key)

    async def collect():
        return [u async for u in handlers.respond(history, {}, SETTINGS, route, req)]
    return asyncio.run(collect())[-1][0]


def last_text(history):
    content = history[-1]["content"]
    return content if isinstance(content, str) else content[0]["text"]


# -- settings -----------------------------------------------------------------------------

def test_defaults_suit_a_public_demo_and_env_overrides_them():
    assert GuardConfig.from_env({}) == GuardConfig()
    assert GuardConfig().messages_per_minute == DEFAULTS["APP_MAX_MESSAGES_PER_MINUTE"] == 10
    config = GuardConfig.from_env({"APP_MAX_MESSAGES_PER_MINUTE": "3", "APP_MAX_TOKENS_PER_HOUR": "0",
                                   "APP_MAX_MESSAGE_CHARS": "100", "APP_MAX_HISTORY_CHARS": "1000",
                                   "APP_MAX_HISTORY_TURNS": "4", "APP_MAX_DEMO_MESSAGES_PER_MINUTE": "30"})
    assert config == GuardConfig(3, 0, 100, 1000, 4, 30)


@pytest.mark.parametrize("name, value", [("APP_MAX_MESSAGES_PER_MINUTE", "ten"),
                                         ("APP_MAX_DEMO_MESSAGES_PER_MINUTE", "-5"),
                                         ("APP_MAX_TOKENS_PER_HOUR", "-1"),
                                         ("APP_MAX_MESSAGE_CHARS", "0"),
                                         ("APP_MAX_HISTORY_TURNS", "1.5"),
                                         ("APP_MAX_HISTORY_CHARS", "200001")])
def test_a_bad_setting_is_refused_naming_its_variable(name, value):
    with pytest.raises(ValidationError, match=name) as caught:
        GuardConfig.from_env({name: value})
    assert caught.value.field == name


def test_the_guard_counts_the_address_the_http_edge_put_in_the_request():
    # The proxy rule is applied once, at the edge (tests/test_server_edge.py): a header the
    # visitor wrote is never read here.
    spoofed = visitor(ip="10.0.0.5", forwarded="1.2.3.4, 10.0.0.1")
    assert client_ip(spoofed) == "10.0.0.5"
    assert Guard().visitor(spoofed) == ("session:s1", "ip:10.0.0.5")


def test_app_auth_parses_pairs_and_refuses_a_malformed_one():
    assert auth_from_env({}) is None
    assert auth_from_env({"APP_AUTH": "ann:s3cret, bob:pa:ss"}) == [("ann", "s3cret"), ("bob", "pa:ss")]
    with pytest.raises(ValidationError, match="APP_AUTH"):
        auth_from_env({"APP_AUTH": "ann"})


# -- the limiter ----------------------------------------------------------------------------

def test_a_sliding_window_says_when_the_oldest_spending_leaves_it():
    clock = Clock()
    window = SlidingWindow(3, 60, clock)
    for _ in range(3):
        assert window.retry_after("k") == 0
        window.add("k", 1)
        clock.now += 10
    assert window.retry_after("k") == pytest.approx(30)  # the first left at 1000 + 60
    assert window.retry_after("other") == 0
    clock.now += 30
    assert window.retry_after("k") == 0


def test_a_visitor_is_limited_by_session_and_by_address():
    guard = Guard(GuardConfig(messages_per_minute=2), clock=Clock())
    for _ in range(2):
        guard.admit(guard.visitor(visitor(session="a")))
    with pytest.raises(LimitExceeded) as caught:  # a new session from the same address
        guard.admit(guard.visitor(visitor(session="fresh")))
    assert caught.value.what == "messages" and caught.value.retry_after == 60
    guard.admit(guard.visitor(visitor(session="b", ip="198.51.100.1")))  # someone else


def test_the_wait_told_is_the_longest_of_session_and_address():
    clock = Clock()
    guard = Guard(GuardConfig(messages_per_minute=1), clock=clock)
    guard.admit(guard.visitor(visitor(session="b", ip="198.51.100.9")))  # session b's, at 1000
    clock.now += 40
    guard.admit(guard.visitor(visitor(session="a")))  # the address's message, at 1040
    with pytest.raises(LimitExceeded) as caught:  # session b from that address
        guard.admit(guard.visitor(visitor(session="b")))
    assert caught.value.retry_after == 60  # session b frees in 20 s, the address in 60


def test_estimates_count_cjk_characters_as_tokens():
    assert estimate_tokens("") == 0
    assert estimate_tokens("你好世界") == 4
    assert estimate_tokens("abcdefgh") == 2


# -- in the streaming handler -------------------------------------------------------------

def test_over_the_message_limit_the_visitor_gets_a_note_and_keeps_the_chat():
    service = FakeService(always=REPLY)
    handlers = ChatHandlers(service, interval=0.0, guard=Guard(GuardConfig(messages_per_minute=2)))
    history = [user("one")]
    for _ in range(2):
        assert last_text(respond(handlers, history, visitor())).startswith("<div class=\"mm-note")
    limited = respond(handlers, history, visitor())
    assert len(service.requests) == 2, "the backend was called over the limit"
    assert limited[:-1] == history  # the message stays
    assert "Too many messages (at most 2 per minute per visitor). Try again in 60 s" in last_text(limited)
    chinese = last_text(respond(handlers, history, visitor(lang="zh-CN")))
    assert "每分钟最多 2 条" in chinese and "60 秒后重试" in chinese
    # Another visitor (session and address) is not affected.
    other = respond(handlers, history, visitor(session="s2", ip="198.51.100.2"))
    assert len(service.requests) == 3 and "Hi!" in [i["content"] for i in other]


def test_the_offline_demo_has_its_own_higher_rate_and_spends_no_token_budget():
    offline = FakeService(always=REPLY, settings=Settings(api_key=""))
    config = GuardConfig(messages_per_minute=2, demo_messages_per_minute=4, tokens_per_hour=10)
    handlers = ChatHandlers(offline, interval=0.0, guard=Guard(config))
    for _ in range(4):  # past the host key's 2 a minute and its 10 tokens
        assert "Hi!" in [i["content"] for i in respond(handlers, [user("hello")], visitor())]
    limited = respond(handlers, [user("hello")], visitor())
    assert len(offline.requests) == 4
    assert "Too many messages (at most 4 per minute per visitor). Try again in 60 s" in last_text(limited)
    assert GuardConfig().demo_messages_per_minute == DEFAULTS["APP_MAX_DEMO_MESSAGES_PER_MINUTE"] == 60


def test_the_token_budget_counts_reported_usage_then_refuses():
    service = FakeService(always=REPLY)
    handlers = ChatHandlers(service, interval=0.0, guard=Guard(GuardConfig(tokens_per_hour=100)))
    history = [user("hello")]
    respond(handlers, history, visitor())
    respond(handlers, history, visitor())  # 50 tokens spent before it: under budget, so it ran
    limited = respond(handlers, history, visitor())  # 100 spent: the budget is used up
    assert len(service.requests) == 2
    assert "budget of 100 tokens per hour" in last_text(limited) and "Try again in" in last_text(limited)


def test_a_visitors_own_key_is_not_charged_to_the_hosts_token_budget():
    service = FakeService(always=REPLY)
    handlers = ChatHandlers(service, interval=0.0, guard=Guard(GuardConfig(tokens_per_hour=10)))
    for _ in range(3):
        respond(handlers, [user("hello")], visitor(), user_key="sk-visitor-own-key-123")
    assert len(service.requests) == 3
    respond(handlers, [user("hello")], visitor())  # the host's key: the budget applies
    assert "budget of 10 tokens" in last_text(respond(handlers, [user("hello")], visitor()))


def test_without_reported_usage_the_tokens_are_estimated():
    service = FakeService(always=[TextDelta("x" * 400), Finish("stop", "x" * 400, None)])
    guard = Guard(GuardConfig(tokens_per_hour=150))
    handlers = ChatHandlers(service, interval=0.0, guard=guard)
    respond(handlers, [user("y" * 40)], visitor())
    # 40 characters of prompt ≈ 10 tokens, 400 of reply ≈ 100: 110 of 150 spent.
    assert guard.tokens.retry_after("session:s1", 40) == 0
    assert guard.tokens.retry_after("session:s1", 41) > 0


def test_a_reply_closed_mid_stream_by_stop_or_a_closed_tab_is_charged_and_logged(caplog):
    guard = Guard(GuardConfig(tokens_per_hour=1000))
    stalling = FakeService([*(TextDelta("x" * 40) for _ in range(3)), WAIT_FOR_CANCEL])  # a long reply
    handlers = ChatHandlers(stalling, interval=0.0, guard=guard)

    async def close_after_the_third_part():
        stream = handlers.respond([user("y" * 40)], {}, SETTINGS, Route.of("cn"), visitor())
        shown = [await stream.__anext__() for _ in range(3)]
        await stream.aclose()  # what gradio does to the handler on Stop or a closed tab
        return shown[-1][0]

    with caplog.at_level(logging.INFO, logger="minimax_chat.replies"):
        shown = asyncio.run(close_after_the_third_part())
    assert last_text(shown) == "x" * 120
    # 40 characters of prompt ≈ 10 tokens, 120 received ≈ 30: charged in place of the 266
    # (prompt + max tokens 256) held while it streamed.
    assert guard.tokens.left("session:s1") == 1000 - 40
    assert "outcome=stopped" in caplog.text and "tokens=40(estimated)" in caplog.text


def test_a_reply_may_use_only_what_is_left_of_the_budget_and_says_so_when_cut():
    cut = [TextDelta("z" * 40), Finish("length", "z" * 40, Usage(10, 60, 0, 70))]
    service = FakeService(always=cut)
    guard = Guard(GuardConfig(tokens_per_hour=100))
    handlers = ChatHandlers(service, interval=0.0, guard=guard)
    shown = respond(handlers, [user("y" * 40)], visitor())  # prompt ≈ 10 tokens of 100
    assert service.requests[-1].max_tokens == 90  # not the 256 asked for
    assert "that was all that was left of this demo's hourly token budget" in last_text(shown)
    assert guard.tokens.left("session:s1") == 30  # charged the 70 MiniMax reported
    respond(handlers, [user("y" * 40)], visitor(session="s2"))  # same address, new session
    assert service.requests[-1].max_tokens == 20  # what the address has left
    assert "budget of 100 tokens per hour" in last_text(respond(handlers, [user("y" * 40)], visitor()))


def test_replies_streaming_at_once_cannot_together_overrun_the_budget():
    guard = Guard(GuardConfig(tokens_per_hour=1000))
    first = guard.admit(guard.visitor(visitor(session="a")), prompt=100, reply=600)
    second = guard.admit(guard.visitor(visitor(session="b")), prompt=100, reply=600)
    assert (first.reply_tokens, second.reply_tokens) == (600, 200)  # the rest of the 1,000
    with pytest.raises(LimitExceeded) as caught:
        guard.admit(guard.visitor(visitor(session="c")), prompt=100, reply=600)
    assert caught.value.what == "tokens"
    first.settle(150)  # it used less than it held
    assert guard.admit(guard.visitor(visitor(session="c")), prompt=100, reply=600).reply_tokens == 450


def test_a_too_long_message_or_history_is_refused_before_the_backend():
    service = FakeService(always=REPLY)
    config = GuardConfig(max_message_chars=10, max_history_chars=30, max_history_turns=2)
    handlers = ChatHandlers(service, interval=0.0, guard=Guard(config))
    too_long = respond(handlers, [user("x" * 11)], visitor())
    assert "too long (at most 10 characters)" in last_text(too_long)
    answer = {"role": "assistant", "content": [{"type": "text", "text": "a" * 20}], "metadata": None}
    big = respond(handlers, [user("hi"), answer, user("more"), answer, user("?")], visitor())
    assert "too many turns (at most 2)" in last_text(big)
    assert "too long (at most 30 characters)" in last_text(
        respond(handlers, [user("hi"), answer, user("more text")], visitor()))
    assert len(service.requests) == 0


@pytest.mark.parametrize("history", ["not a list", [{"role": "system", "content": "x"}],
                                     [{"role": "user", "content": 5}], [["user", "hi"]]])
def test_a_malformed_history_is_refused_with_a_message(history):
    with pytest.raises(ValidationError):
        check_history(history, GuardConfig())


def test_a_message_over_the_limit_is_kept_whole_and_refused_saying_the_limit():
    service = FakeService(always=REPLY)
    guard = Guard(GuardConfig(max_message_chars=10))
    handlers = ChatHandlers(service, interval=0.0, guard=guard)
    turns = TurnHandlers(handlers.runs, guard)
    box, history, _, said = turns.send("x" * 20_001, [], None, visitor())
    assert box == gr.skip() and history == gr.skip()  # whole, in the box, out of the chat
    assert said == "⚠️ The message is too long (at most 10 characters). Shorten it and send again."
    assert turns.send("<b>" * 3, [], None, visitor())[0] == ""  # 9 as typed, 15 as shown
    # A script that puts it in the chat anyway is refused before the backend; from the
    # page, the refused message then goes back into the box.
    sent = [{"role": "user", "content": "x" * 20_001}]
    refused = respond(handlers, sent, visitor())
    assert refused[0] == sent[0] and service.requests == []
    assert "The message is too long (at most 10 characters)" in last_text(refused)
    history, box, said = turns.take_back(refused, {"text": "", "files": []})
    assert history == [] and box == {"text": "x" * 20_001, "files": []}
    assert said == "⚠️ The message is too long (at most 10 characters). Shorten it and send again."
    respond(handlers, [user(display("<b>" * 3))], visitor())  # counted as typed, not as shown
    assert len(service.requests) == 1


def test_the_page_allows_what_the_server_does(monkeypatch):
    import app
    from ui.protect.limits import SYSTEM_CHARS

    def max_length(demo, elem_id):
        block = next(b for b in demo.blocks.values() if b.elem_id == elem_id)
        if elem_id != "chat-input":
            return block.max_length
        # The multimodal box: the limit its counter counts against, set by a step that runs
        # on page load; a paste stays text well past it (gradio makes a longer one a file).
        [limit] = [json.loads(f["js"].split("window.mmLimit = ")[1].rsplit(";", 1)[0])["limit"]
                   for f in demo.config["dependencies"] if "window.mmLimit" in (f.get("js") or "")]
        assert block.max_plain_text_length == 10 * limit
        return limit

    demo = app.build_demo(guard=Guard(GuardConfig(max_message_chars=123)))
    assert max_length(demo, "chat-input") == 123
    assert max_length(demo, "system-prompt") == SYSTEM_CHARS.default == 20_000
    monkeypatch.delenv("APP_MAX_MESSAGE_CHARS", raising=False)
    assert max_length(app.build_demo(), "chat-input") == GuardConfig().max_message_chars == 8_000


def test_counts_in_redis_are_checked_off_the_event_loop_and_in_memory_on_it():
    """A reply's start checks the visitor's counts from the event loop: a round trip to Redis
    goes to a worker thread, so every other visitor is served meanwhile."""
    guard = Guard(GuardConfig())
    seen = []
    memory = guard.ledger
    real_admit = memory.admit

    def in_memory(*args):
        seen.append(("memory", threading.current_thread()))
        return real_admit(*args)

    class Remote:  # a ledger whose counts are elsewhere (RedisLedger in the app)
        tokens = memory.tokens

        def admit(self, *args):
            seen.append(("remote", threading.current_thread()))
            return real_admit(*args)

    memory.admit = in_memory
    asyncio.run(guard.admit_off_loop(guard.visitor(visitor(session="a"))))
    guard._ledger = Remote()
    asyncio.run(guard.admit_off_loop(guard.visitor(visitor(session="b"))))
    assert [where for where, _ in seen] == ["memory", "remote"]
    assert seen[0][1] is threading.main_thread() and seen[1][1] is not threading.main_thread()

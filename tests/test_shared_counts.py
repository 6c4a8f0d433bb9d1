"""Per-visitor counts in Redis (ui/protect/redis_ledger.py), against a real redis-server:
two guards stand for two app processes sharing one Redis; an unreachable Redis refuses."""
from __future__ import annotations

import asyncio
import subprocess
import tempfile
import time
from types import SimpleNamespace

import pytest
from conftest import FakeService
from limits.storage import RedisStorage

from deploy.fleet import free_port
from minimax_backend import Finish, TextDelta, Usage
from ui.chat.handlers import ChatHandlers
from ui.chat.service import Route
from ui.chat.settings import ChatSettings
from ui.protect.guard import Guard, GuardConfig
from ui.protect.ledger import CountsUnavailable, LimitExceeded

pytestmark = pytest.mark.fleet

SETTINGS = ChatSettings(api="v2", model="MiniMax-M2.7", system="", temperature=1.0, top_p=0.95,
                        max_tokens=256, bot_name="MM智能助理", user_name="用户")


@pytest.fixture(scope="module")
def redis_url():
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                                   "--save", "", "--appendonly", "no", "--dir", folder],
                                  stdout=subprocess.DEVNULL)
        try:
            url = f"redis://127.0.0.1:{port}/0"
            deadline = time.monotonic() + 10
            while not RedisStorage(url).check():
                assert time.monotonic() < deadline, "redis-server did not start"
                time.sleep(0.05)
            yield url
        finally:
            server.terminate()
            server.wait(10)


@pytest.fixture
def replicas(redis_url):
    """Two guards on one fresh Redis: what two app processes behind the balancer share."""
    def guard(config):
        return Guard(config, storage=lambda: RedisStorage(redis_url))
    RedisStorage(redis_url).storage.flushdb()
    return guard


def visitor(session="s1", ip="203.0.113.7", lang="en-US"):
    return SimpleNamespace(headers={"accept-language": lang}, session_hash=session,
                           client=SimpleNamespace(host=ip))


def keys(guard, session="s1", ip="203.0.113.7"):
    return guard.visitor(visitor(session, ip))


def test_a_visitors_messages_are_counted_once_for_every_process(replicas):
    one, two = (replicas(GuardConfig(messages_per_minute=3)) for _ in range(2))
    one.admit(keys(one, "a"))
    one.admit(keys(one, "a"))
    two.admit(keys(two, "b"))  # the same address, another session, on the other process
    with pytest.raises(LimitExceeded) as caught:
        two.admit(keys(two, "b"))
    assert caught.value.what == "messages" and caught.value.limit == 3
    assert 59 <= caught.value.retry_after <= 60  # until the first message leaves the minute
    two.admit(keys(two, "c", ip="198.51.100.1"))  # someone else


def test_reservations_made_on_two_processes_cannot_together_overrun_the_budget(replicas):
    one, two = (replicas(GuardConfig(tokens_per_hour=1000)) for _ in range(2))
    first = one.admit(keys(one, "a"), prompt=100, reply=600)
    second = two.admit(keys(two, "b"), prompt=100, reply=600)
    assert (first.reply_tokens, second.reply_tokens) == (600, 200)  # the rest of the 1,000
    with pytest.raises(LimitExceeded) as caught:
        two.admit(keys(two, "c"), prompt=100, reply=600)
    assert caught.value.what == "tokens" and 3590 <= caught.value.retry_after <= 3600
    first.settle(150)  # it used less than it held: settled on one process, seen on the other
    assert two.tokens.left("ip:203.0.113.7") == 1000 - 150 - 300
    assert two.admit(keys(two, "c"), prompt=100, reply=600).reply_tokens == 450


def test_the_offline_demo_counts_against_its_own_rate_in_redis_too(replicas):
    guard = replicas(GuardConfig(messages_per_minute=1, demo_messages_per_minute=2))
    guard.admit(keys(guard), demo=True)
    guard.admit(keys(guard), demo=True)
    with pytest.raises(LimitExceeded) as caught:
        guard.admit(keys(guard), demo=True)
    assert caught.value.limit == 2
    guard.admit(keys(guard))  # the host key's rate is counted apart


def test_an_unreachable_redis_refuses_the_message_with_a_note_in_both_languages():
    closed = f"redis://127.0.0.1:{free_port()}/0"  # nobody listens there
    guard = Guard(GuardConfig(messages_per_minute=3, tokens_per_hour=1000),
                  storage=lambda: RedisStorage(closed, socket_connect_timeout=2))
    with pytest.raises(CountsUnavailable):
        guard.admit(keys(guard), prompt=10, reply=10)
    service = FakeService(always=[TextDelta("Hi!"), Finish("stop", "Hi!", Usage(4, 2, 0, 6))])
    handlers = ChatHandlers(service, interval=0.0, guard=guard)
    history = [{"role": "user", "content": [{"type": "text", "text": "hello"}], "metadata": None}]

    async def answer(lang):
        updates = [u async for u in handlers.respond(history, {}, SETTINGS, Route.of("cn"),
                                                       visitor(lang=lang))]
        return updates[-1][0]

    english, chinese = asyncio.run(answer("en-US")), asyncio.run(answer("zh-CN"))
    assert service.requests == []  # nothing was sent on the host's key
    assert english[:-1] == history  # the chat is kept
    assert ("The app cannot check its usage limits right now (its shared counter is unreachable), "
            "so the message was not sent. Try again in 10 s; your chat is kept."
            in english[-1]["content"])
    assert "暂时无法核对使用限制（共享计数服务无法连接），消息未发送。请在 10 秒后重试" in chinese[-1]["content"]

"""The host account's shared count (AccountGate) on a fake clock, and the line's round-robin
order (AccountLine) with a scripted gate: who goes when, how long the rest are told to wait."""
from __future__ import annotations

import asyncio
import threading

import limits.storage.memory
import limits.strategies
import pytest
from limits.storage import MemoryStorage

from minimax_backend import RateLimitError
from minimax_backend.errors import error_for_code
from ui.protect.account import AccountConfig, AccountGate, rate_refusal
from ui.protect.account_line import AccountBusy, AccountLine
from ui.protect.limits import ACCOUNT_MAX_WAIT, ACCOUNT_REQUESTS, ACCOUNT_WINDOW


class FakeTime:
    """Stands in for the `time` module inside `limits`, which counts in wall time."""

    def __init__(self) -> None:
        self.now = 1_000_020.0  # the start of a minute (sliding counters split time in windows)

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = FakeTime()
    monkeypatch.setattr(limits.storage.memory, "time", fake)
    monkeypatch.setattr(limits.strategies, "time", fake)
    return fake


def gate(clock, **config) -> AccountGate:
    return AccountGate(AccountConfig(**config), storage=MemoryStorage(), clock=clock.time)


def test_off_by_default_and_read_from_the_environment():
    assert AccountConfig.from_env({}) == AccountConfig(requests=0, tokens=0, window=60, max_wait=120)
    assert (ACCOUNT_REQUESTS.default, ACCOUNT_WINDOW.default, ACCOUNT_MAX_WAIT.default) == (0, 60, 120)
    env = {"APP_ACCOUNT_REQUESTS_PER_MINUTE": "20", "APP_ACCOUNT_TOKENS_PER_MINUTE": "1000000",
           "APP_ACCOUNT_WINDOW_SECONDS": "2", "APP_ACCOUNT_MAX_WAIT_SECONDS": "30"}
    assert AccountConfig.from_env(env) == AccountConfig(20, 1_000_000, 2, 30)
    with pytest.raises(ValueError, match="APP_ACCOUNT_WINDOW_SECONDS"):
        AccountConfig.from_env({"APP_ACCOUNT_WINDOW_SECONDS": "0"})


def test_n_requests_per_window_then_the_wait_until_the_oldest_leaves_it(clock):
    account = gate(clock, requests=3, window=60)
    assert [account.take() for _ in range(3)] == [0, 0, 0]
    clock.now += 20
    assert account.take() == pytest.approx(40)  # the first left at 60 s
    clock.now += 41  # all three have left; the refused one was never counted
    assert [account.take() for _ in range(3)] == [0, 0, 0]
    assert account.take() == pytest.approx(60)
    assert account.slot_seconds() == 20  # a window's share: the line's estimate per place


def test_without_a_limit_every_request_goes(clock):
    account = gate(clock)
    assert all(account.take(5000) == 0 for _ in range(1000))


def test_tokens_per_window_count_the_prompt_then_the_reply(clock):
    account = gate(clock, tokens=1000, window=60)
    assert account.take(600) == 0
    assert account.take(600) > 0  # 1200 would pass the budget: nothing counted
    assert account.take(300) == 0
    account.spend(500)  # the replies' tokens, as many as still fit (100)
    assert account.take(1) > 0
    clock.now += 30
    assert account.take(1) > 0  # a sliding count: the window's tokens leave it gradually
    clock.now += 91
    assert account.take(1000) == 0


def test_a_refusal_pauses_everyone_and_repeated_ones_double_the_pause(clock):
    account = gate(clock, requests=10, window=60)
    refusal = error_for_code(1002, "rate limit exceeded(RPM)")
    assert account.back_off(refusal) == 1
    assert account.take() == pytest.approx(1)  # paused: nothing counted
    assert account.back_off(refusal) == pytest.approx(1)  # sent before the pause: no longer
    clock.now += 1
    assert account.paused() == 0 and account.take() == 0
    assert account.back_off(refusal) == 2  # still within the window: doubled
    clock.now += 2
    assert account.back_off(refusal) == 4
    clock.now += 4 + 2 * 60  # the strikes are forgotten
    assert account.back_off(refusal) == 1


def test_a_retry_after_is_honoured(clock):
    account = gate(clock)
    err = RateLimitError("busy", code=1002, http_status=429)
    err.retry_after = 7.0
    assert account.back_off(err) == 7
    clock.now += 3
    assert account.paused() == pytest.approx(4)


def test_only_the_accounts_rate_refusals_pause():
    assert rate_refusal(error_for_code(1002, "rate limit exceeded(RPM)"))
    assert rate_refusal(error_for_code(1039, "token limit exceeded(TPM)"))
    assert not rate_refusal(error_for_code(1039, "context length exceeds the model's limit"))
    assert not rate_refusal(error_for_code(1008, "balance"))
    assert not rate_refusal(RateLimitError("gateway", http_status=429))  # the client's own retry
    assert not rate_refusal(ValueError("x"))


class Slots:
    """A scripted gate: `free` slots; none left, a fixed wait."""

    def __init__(self, free: int = 0, wait: float = 5.0, local: bool = True) -> None:
        self.free, self.wait, self.local = free, wait, local  # local: counts in memory
        self.asked_in: list[str] = []  # the thread each `take` ran in

    def take(self, tokens: int = 0) -> float:
        self.asked_in.append(threading.current_thread().name)
        if self.free:
            self.free -= 1
            return 0.0
        return self.wait

    def slot_seconds(self) -> float:
        return 3.0

    def back_off(self, err) -> float:
        return 0.0

    def line_heads(self, stale: float) -> None:
        return None  # one process


def names(line: AccountLine) -> list[str]:
    return [f"{t.visitor}{t.tokens}" for t in line.order()]


def test_visitors_are_served_in_turn_not_by_arrival():
    line = AccountLine(Slots())
    for visitor, n in [("a", 1), ("a", 2), ("a", 3), ("b", 1), ("a", 4), ("c", 1), ("b", 2)]:
        line.join(visitor, n)
    assert names(line) == ["a1", "b1", "c1", "a2", "b2", "a3", "a4"]
    line.leave(line.order()[0], served=True)  # a's turn was taken: a goes to the back
    assert names(line) == ["b1", "c1", "a2", "b2", "a3", "a4"]
    line.leave(line.order()[0], served=True)
    assert names(line) == ["c1", "a2", "b2", "a3", "a4"]
    line.join("b", 9, first=True)  # refused by MiniMax after its turn: first again
    assert names(line)[:2] == ["b9", "c1"]


@pytest.mark.parametrize("local", [True, False])
def test_counts_in_memory_are_asked_on_the_loop_and_redis_in_a_worker_thread(local):
    async def scenario():
        slots = Slots(free=3, local=local)
        line = AccountLine(slots)
        for visitor in "abc":
            async for _ in line.turn(visitor):
                pass
        return slots.asked_in, threading.current_thread().name, line.waiting()

    asked_in, loop_thread, left = asyncio.run(scenario())
    assert len(asked_in) == 3 and left == 0
    assert all((thread == loop_thread) == local for thread in asked_in)


def test_the_gate_knows_where_its_counts_are(monkeypatch):
    monkeypatch.delenv("APP_REDIS_URL", raising=False)
    assert AccountGate(AccountConfig()).local
    monkeypatch.setenv("APP_REDIS_URL", "redis://127.0.0.1:1/0")  # not opened to answer
    assert not AccountGate(AccountConfig()).local
    assert AccountGate(AccountConfig(), storage=MemoryStorage()).local


def test_waiting_turns_are_served_round_robin_and_told_their_wait():
    async def scenario():
        slots = Slots(free=0, wait=1.0)
        line = AccountLine(slots, poll=0.01)
        served, told = [], {}

        async def ask(visitor, n):
            async for seconds in line.turn(visitor, n):
                told[f"{visitor}{n}"] = seconds
            served.append(f"{visitor}{n}")

        tasks = [asyncio.create_task(ask(v, n)) for v, n in [("a", 1), ("a", 2), ("a", 3), ("b", 1)]]
        await asyncio.sleep(0.05)
        before = dict(told)  # what each was last told before any slot came free
        for _ in range(4):  # one slot at a time
            slots.free = 1
            for _ in range(100):
                await asyncio.sleep(0.01)
                if not slots.free:
                    break
        await asyncio.wait_for(asyncio.gather(*tasks), 5)
        return served, before, line.waiting()

    served, told, left = asyncio.run(scenario())
    assert served == ["a1", "b1", "a2", "a3"] and left == 0
    # The head hears the gate's wait; the others that, plus a window's share per place ahead.
    assert told == {"a1": 1.0, "b1": 4.0, "a2": 7.0, "a3": 10.0}


def test_past_the_maximum_wait_the_turn_gives_up_and_leaves_the_line():
    async def scenario():
        line = AccountLine(Slots(wait=30.0), poll=0.01)
        with pytest.raises(AccountBusy) as raised:
            async for _ in line.turn("a", max_wait=5):
                pass
        return raised.value, line.waiting()

    busy, left = asyncio.run(scenario())
    assert busy.max_wait == 5 and left == 0
    assert str(busy) == "no free slot on the host's account within 5 s"


def test_a_turn_left_midway_frees_its_place():
    async def scenario():
        line = AccountLine(Slots(wait=30.0), poll=0.01)
        turns = line.turn("a")
        await turns.__anext__()
        assert line.waiting() == 1
        await turns.aclose()  # Stop, a closed tab
        return line.waiting()

    assert asyncio.run(scenario()) == 0

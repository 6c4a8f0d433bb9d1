"""Who goes next across replicas (ui/protect/line_heads.py), against a real redis-server: a
replica's account line lets no reply go while another replica's line head has waited longer,
even with room in the shared count, and a replica that stopped saying so is forgotten."""
from __future__ import annotations

import asyncio
import time

import pytest
from limits.storage import RedisStorage
from test_shared_counts import redis_url  # noqa: F401  (the fixture: a real redis-server)

from ui.protect import account_line
from ui.protect.account import AccountConfig, AccountGate
from ui.protect.account_line import AccountLine
from ui.protect.line_heads import LineHeads, heads_for

pytestmark = pytest.mark.fleet


@pytest.fixture
def storage(redis_url):  # noqa: F811
    found = RedisStorage(redis_url)
    found.storage.flushdb()
    return found


def test_the_longest_waiting_head_of_the_others_is_named_and_a_silent_one_is_forgotten(storage):
    first, second = LineHeads(storage.storage, stale=1), LineHeads(storage.storage, stale=60)
    assert first.earliest_elsewhere(100.0) is None  # nobody else waits
    assert second.earliest_elsewhere(101.0) == 100.0  # the first's head has waited longer
    assert first.earliest_elsewhere(100.0) == 101.0  # (it may go: its own is earlier)
    assert first.earliest_elsewhere(None) == 101.0  # its line emptied
    assert second.earliest_elsewhere(101.0) is None
    time.sleep(1.2)  # the second stops saying so, as a killed replica would
    assert first.earliest_elsewhere(102.0) is None
    assert heads_for(storage, 10) is not None


def test_a_replica_waits_for_the_other_replicas_earlier_head_though_the_count_has_room(storage):
    gate = AccountGate(AccountConfig(requests=2, window=60), storage=storage)
    other = LineHeads(storage.storage, stale=60)  # another replica, its head waiting longer
    other.earliest_elsewhere(time.time() - 5)

    async def scenario():
        line = AccountLine(gate, poll=0.05)
        told: list[float] = []

        async def ask():
            async for seconds in line.turn("203.0.113.9"):
                told.append(seconds)
                if len(told) == 3:  # a few looks at the line: the other's head still waits
                    await asyncio.to_thread(other.earliest_elsewhere, None)  # and now goes
        await asyncio.wait_for(ask(), 10)
        return told

    told = asyncio.run(scenario())
    assert len(told) >= 3 and all(seconds > 0 for seconds in told)  # a waiting note each look
    assert gate.take() == 0.0 and gate.take() > 0  # the line counted its reply once, at the end


def test_a_line_the_count_lets_go_never_makes_another_replica_wait(storage, monkeypatch):
    """Only a head the count holds back is published. A head said whenever replies waited
    made two unlimited replicas wait a slot (1 s) for each other in turn: 200 visitors'
    replies started over 11 s in the benchmark's two-replica crowd."""
    monkeypatch.setattr(account_line, "BATCH", 1)  # one grant at a time: the others still wait
    gate = AccountGate(AccountConfig(), storage=storage)  # no account limit
    said: list[float | None] = []
    heads = LineHeads(storage.storage, stale=60)

    class Spy:
        def earliest_elsewhere(self, joined):
            said.append(joined)
            return heads.earliest_elsewhere(joined)

    async def scenario():
        line = AccountLine(gate, poll=0.05)
        line._heads, line._heads_known = Spy(), True

        async def ask(visitor):
            async for _ in line.turn(visitor):
                raise AssertionError("a reply waited though nothing held it back")
        await asyncio.wait_for(asyncio.gather(*(ask(f"203.0.113.{i}") for i in range(4))), 10)

    asyncio.run(scenario())
    assert said and all(joined is None for joined in said), said
    assert LineHeads(storage.storage, stale=60).earliest_elsewhere(None) is None

"""Two app processes behind haproxy, sharing per-visitor counts through Redis: a real
redis-server and haproxy (Debian's packages) and two `python app.py` started by `deploy.fleet`,
the emulator standing in for MiniMax, visitors speaking gradio's protocol (bench/load_client).

Each visitor is pinned to a replica by the balancer's cookie, as a browser is, and the app logs
prove which replica served which session. The limits' numbers are chosen so that either
replica, counting alone, would have let the refused message through."""
from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from bench import fleet_phase, load_client
from bench.contenders import APP
from bench.gradio_protocol import message_text
from bench.load_client import REPLY_START, Target, Visit
from deploy.fleet import ROOT, START_TIMEOUT_S, Fleet, free_port, serves
from minimax_backend.emulator import Emulator, EmulatorConfig
from ui.protect.logs import short_id

pytestmark = pytest.mark.fleet

MESSAGES, TOKENS = 3, 300  # per visitor: a minute's messages, an hour's tokens
REPLY_TOKENS = 200  # every reply: 200 one-token chunks, 10 ms apart (2 s)
COOKIE = "MMREPLICA"
SCENARIO_S = 120  # each test's visitors are given up on after this


@pytest.fixture(scope="module")
def emulator():
    with Emulator(EmulatorConfig(interval_ms=10, faults=f"chunks={REPLY_TOKENS}")) as running:
        yield running


@pytest.fixture(scope="module")
def fleet(emulator):
    env = {"MINIMAX_API_KEY": "fleet-test-key", "MINIMAX_BASE_URL": emulator.url,
           "APP_MAX_MESSAGES_PER_MINUTE": str(MESSAGES), "APP_MAX_TOKENS_PER_HOUR": str(TOKENS),
           "APP_MAX_DEMO_MESSAGES_PER_MINUTE": "0"}
    with Fleet(replicas=2, env=env) as running:
        yield running


def served(fleet: Fleet, replica: int, tab) -> bool:
    """Whether replica `replica` (0 or 1) logged a reply or refusal for `tab`'s session."""
    return f"session={short_id(tab.session)}" in fleet.apps[replica].log.read_text(errors="replace")


async def target(fleet: Fleet, first_get: str | None = None, max_tokens: int | None = None
                 ) -> Target:
    controls = APP.controls | ({"max-tokens": max_tokens} if max_tokens else {})
    async with load_client.new_client() as client:
        found = await Target.load(client, fleet.url, APP.elem_id, controls)
    found.first_get = first_get
    return found


def tab(target: Target, replica: str | None = None, address: str | None = None):
    """A browser tab; `replica` pins it (the cookie a returning browser sends)."""
    opened = load_client._Visitor(target)
    opened.headers["Accept-Language"] = "en-US"
    if replica is not None:
        opened.headers["Cookie"] = f"{COOKIE}={replica}"
    if address is not None:
        opened.headers["X-Forwarded-For"] = address  # the visitor's address, as a proxy saw it
    return opened


def replica_of(opened) -> str | None:
    """The replica the balancer's affinity cookie in the tab names."""
    return next((c.value for c in opened.client.cookie_jar if c.key == COOKIE), None)


async def say(opened, message: str) -> str:
    """Send `message` in the tab; the answer it shows (a failure is the Visit's error)."""
    opened.visit = Visit(started=time.perf_counter())
    visit = await opened.send(message)
    return last_answer(opened) if visit.ok else f"failed: {visit.error}"


def chat(opened) -> list:
    return opened.values[opened.target.model.by_elem_id["chatbot"]]


def last_answer(opened) -> str:
    """What the chat shows after its last user message: the reply and its notes; or, for a
    message refused before MiniMax was asked (it goes back into the box), what the line under
    the box says."""
    said = opened.values.get(opened.target.model.by_elem_id["input-note"])
    if said:
        return said
    history = chat(opened)
    last_user = max(i for i, m in enumerate(history) if m["role"] == "user")
    return "\n".join(message_text(m) for m in history[last_user + 1:])


def run(scenario):
    return asyncio.run(asyncio.wait_for(scenario, SCENARIO_S))


def test_a_visitors_message_limit_holds_across_both_replicas(fleet):
    async def scenario():
        page = await target(fleet, max_tokens=20)  # short replies: the token budget stays out of it
        a, b = tab(page, "r1", "203.0.113.10"), tab(page, "r2", "203.0.113.10")
        try:
            await asyncio.gather(a.open(), b.open())
            return a, b, [await say(a, "one"), await say(a, "two"), await say(b, "three"),
                          await say(b, "four")]
        finally:
            await asyncio.gather(a.close(), b.close())

    a, b, answers = run(scenario())
    assert [REPLY_START in answer for answer in answers] == [True, True, True, False], answers
    # r2 had counted one message from this address: only the shared count refuses the fourth.
    assert (f"Too many messages (at most {MESSAGES} per minute per visitor). Try again in"
            in answers[3])
    assert served(fleet, 0, a) and not served(fleet, 1, a)
    assert served(fleet, 1, b) and not served(fleet, 0, b)


def test_a_visitors_token_budget_holds_across_both_replicas(fleet):
    async def scenario():
        page = await target(fleet)
        first, second, third = (tab(page, r, "203.0.113.20") for r in ("r1", "r2", "r1"))
        try:
            await asyncio.gather(first.open(), second.open(), third.open())
            return [await say(first, "one"), await say(second, "two"), await say(third, "three")]
        finally:
            await asyncio.gather(first.close(), second.close(), third.close())

    answers = run(scenario())
    # The first reply costs its short prompt and 200 tokens of the 300. On r2 the second may
    # only use what is left, and says so; r1 alone would still see ~100 left for the third.
    assert REPLY_START in answers[0] and "token budget" not in answers[0], answers
    assert REPLY_START in answers[1], answers
    assert "that was all that was left of this demo's hourly token budget" in answers[1]
    assert f"You have used this demo's budget of {TOKENS} tokens per hour" in answers[2], answers


def test_the_benchmarks_two_replica_crowd_runs_through_the_balancer(fleet):
    pids = [child.pid for child in [*fleet.apps, fleet.balancer, fleet.redis] if child]
    result = run(fleet_phase.crowd_through(fleet.url, 4, pids, first_get="/"))
    assert result["failures"] == 0, result["errors"]
    assert result["visitors"] == 4 and 0 < result["ttft_p95_ms"] < SCENARIO_S * 1000
    assert result["cpu_s"] > 0


def test_a_replica_killed_mid_crowd_fails_its_visitors_clearly_and_the_other_serves_them_next(
        fleet, emulator):
    async def scenario():
        # Short replies (60 tokens): a killed replica never settles what it held for a reply,
        # so its visitors' budgets stay charged the whole reservation for the hour.
        page = await target(fleet, first_get="/", max_tokens=60)  # the balancer picks replicas
        tabs = [tab(page) for _ in range(6)]
        try:
            await asyncio.gather(*(t.open() for t in tabs))
            replicas = [replica_of(t) for t in tabs]
            for _ in tabs:  # the crowd's replies: 3 s each, so the kill lands mid-stream
                emulator.push_fault("chunks=60;interval_ms=50")
            replies = asyncio.gather(*(t.send(f"hello #{i}") for i, t in enumerate(tabs)))
            deadline = time.monotonic() + 60
            while not all(t.visit.first_token for t in tabs) and time.monotonic() < deadline:
                await asyncio.sleep(0.05)  # every reply is streaming
            await asyncio.to_thread(fleet.kill_replica, 0)
            first = await replies
            on_r1 = [t for t, r in zip(tabs, replicas) if r == "r1"]
            again = await asyncio.gather(*(say(t, "still there?") for t in on_r1))
            return replicas, first, on_r1, again, [chat(t) for t in on_r1]
        finally:
            await asyncio.gather(*(t.close() for t in tabs))

    replicas, first, on_r1, again, chats = run(scenario())
    assert sorted(replicas) == ["r1"] * 3 + ["r2"] * 3
    for replica, visit in zip(replicas, first):
        if replica == "r2":  # untouched: whole replies
            assert not visit.failed and visit.reply.count(REPLY_START) == 1
        else:  # its stream broke: an error, never a reply passed off as whole
            assert not visit.ok and visit.done is None and visit.error
    for answer, history in zip(again, chats):
        assert REPLY_START in answer, answer  # served by r2 now
        users = [m["content"] for m in history if m["role"] == "user"]
        assert users[-1] in ("still there?", [{"type": "text", "text": "still there?"}])
        assert len(users) == 2, "the chat lost its first message"
    assert all(served(fleet, 1, t) for t in on_r1)


def test_deploy_run_starts_the_whole_set_on_loopback_and_ctrl_c_stops_all_of_it(tmp_path):
    ports = {"--port": free_port(), "--app-port": free_port(), "--redis-port": free_port()}
    argv = [sys.executable, "deploy/run.py", "--replicas", "1", "--logs", str(tmp_path)]
    command = subprocess.Popen([*argv, *(str(x) for pair in ports.items() for x in pair)],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{ports['--port']}"
    try:
        deadline = time.monotonic() + 3 * START_TIMEOUT_S  # Redis, the app, haproxy
        while not serves(url):
            assert command.poll() is None and time.monotonic() < deadline, "the set did not start"
            time.sleep(0.2)
        page = httpx.get(url + "/")
        assert page.status_code == 200 and page.cookies.get(COOKIE) == "r1"
        listening = {port: _listening(port) for port in ports.values()}
        assert listening == dict.fromkeys(ports.values(), "127.0.0.1")  # nothing beyond loopback
        command.send_signal(signal.SIGINT)  # Ctrl-C
        out, _ = command.communicate(timeout=60)
    finally:
        command.kill()
    assert command.returncode == 0, out.decode(errors="replace")[-2000:]
    assert out.endswith("stopping…\n".encode())  # (its "Serving" line may come after our check)
    assert {port: _listening(port) for port in ports.values()} == dict.fromkeys(ports.values())


def _listening(port: int) -> str | None:
    """The address a TCP port listens on, from /proc (None: nothing listens)."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                return ".".join(str(int(address[i:i + 2], 16)) for i in (6, 4, 2, 0)) \
                    if len(address) == 8 else address
    return None

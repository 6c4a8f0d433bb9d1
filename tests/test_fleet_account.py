"""The host account's rate limit across two replicas: a real redis-server and haproxy and two
`python app.py` (deploy/fleet.py), the emulator acting as MiniMax with its own rate limit
(1002 past it). With the account limit set to N requests per window, 3N visitors spread over
both replicas each get their own reply, in the order they asked, the later ones after a
waiting note, and none sees a 1002: the count and the line's order are the replicas' shared.

The window is 4 s instead of a minute, so the crowd takes seconds."""
from __future__ import annotations

import time

import pytest
from account_crowd_kit import ask_all, check_every_reply, open_clients, waited

from deploy.fleet import Fleet
from minimax_backend.emulator import Emulator, EmulatorConfig
from ui.protect.logs import short_id

pytestmark = pytest.mark.fleet

N, WINDOW = 2, 4
COOKIE = "MMREPLICA"


@pytest.fixture(scope="module")
def minimax():
    # MiniMax's window a little shorter than the app's: the app stays under MiniMax's count.
    with Emulator(EmulatorConfig(interval_ms=2, rpm=N, rpm_window=WINDOW - 0.3)) as running:
        yield running


@pytest.fixture(scope="module")
def fleet(minimax):
    env = {"MINIMAX_API_KEY": "fleet-account-key", "MINIMAX_BASE_URL": minimax.url,
           "APP_ACCOUNT_REQUESTS_PER_MINUTE": str(N), "APP_ACCOUNT_WINDOW_SECONDS": str(WINDOW),
           "APP_ACCOUNT_MAX_WAIT_SECONDS": "60"}
    with Fleet(replicas=2, env=env) as running:
        # A first reply warms each replica (a cold one took seconds: longer than the window);
        # then a window passes, so the crowd starts on an empty count.
        ask_all(open_clients(running.url, 2, visitor))
        time.sleep(WINDOW + 0.5)
        minimax.requests.clear()
        yield running


def visitor(n: int) -> dict[str, str]:
    """Visitor n's browser: pinned to r1 or r2 in turn, from an address of its own."""
    return {"Cookie": f"{COOKIE}=r{n % 2 + 1}", "X-Forwarded-For": f"203.0.113.{50 + n}"}


def test_a_crowd_of_three_times_the_limit_over_both_replicas_gets_every_reply_in_order(
        fleet, minimax):
    clients = open_clients(fleet.url, 3 * N, visitor)
    updates = ask_all(clients)
    check_every_reply(updates)
    assert waited(updates) == list(range(N, 3 * N))  # all but the first N were told to wait
    asked = [r.body["messages"][-1]["content"] for r in minimax.requests]
    assert asked == [f"visitor {n}" for n in range(3 * N)]  # one request each, in order
    assert minimax.state.refused_for_rate == 0
    for n, client in enumerate(clients):  # each replica served its own visitors
        logs = [app.log.read_text(errors="replace") for app in fleet.apps]
        mine = f"session={short_id(client.session_hash)}"
        assert [mine in log for log in logs] == [n % 2 == 0, n % 2 == 1], n

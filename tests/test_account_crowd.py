"""A crowd on the host's key, end to end (gradio_client against an in-process app and the
emulator acting as MiniMax past its rate limit): with the account limit set to N requests per
window, 3N visitors at once each get their own reply, in the order they asked, the later ones
after a waiting note, and none sees a 1002; MiniMax refusing for a while only slows them down.

The window is 4 s instead of a minute, so the crowd takes seconds."""
from __future__ import annotations

import time

import pytest
from gradio_client import Client
from limits.storage import MemoryStorage

import app
from minimax_backend import Settings
from minimax_backend.emulator import Emulator, EmulatorConfig
from ui.chat.service import ChatService
from ui.protect.account import AccountConfig, AccountGate
from ui.protect.account_line import AccountLine

N, WINDOW = 2, 4
# A model without thinking, so the reply is plain answer text (tests/test_safety_faults.py).
CONTROLS = ["v2", "cn", "abab6.5s-chat", "", 0.1, 0.95, 256, "MM智能助理", "用户", "adaptive", "", ""]
WAITING = "⏳ Waiting for a free slot on the host's MiniMax account, about"


def serve(emulator: Emulator, config: AccountConfig):
    service = ChatService(Settings(api_key="host-key", base_url=emulator.url))
    line = AccountLine(AccountGate(config, storage=MemoryStorage()), poll=0.25)
    demo = app.build_demo(service, account=line)
    options = {k: v for k, v in app.launch_options().items() if k != "share"}
    _, address, _ = demo.launch(prevent_thread_lock=True, quiet=True, show_error=True,
                                server_name="127.0.0.1", **options)
    return demo, service, address


@pytest.fixture
def crowd_app(request):
    """The app on the host's key, and an emulator that refuses past its own rate (1002)."""
    emulator_config, account = request.param
    emulator = Emulator(emulator_config).start()
    demo, service, address = serve(emulator, account)
    try:
        yield emulator, address
    finally:
        demo.close()
        service.close()
        emulator.stop()


def ask_all(address: str, visitors: int) -> list[list]:
    """Every visitor's updates. They ask one after another, each once the one before has
    heard back (a reply or a waiting note), so their order is known; then all wait at once."""
    clients = [Client(address, verbose=False, headers={"Accept-Language": "en"},
                      httpx_kwargs={"timeout": 30}) for _ in range(visitors)]
    jobs = []
    deadline = time.monotonic() + 60
    for n, client in enumerate(clients):
        history = [{"role": "user", "content": [{"type": "text", "text": f"visitor {n}"}]}]
        jobs.append(client.submit(history, *CONTROLS, api_name="/respond"))
        while not (jobs[-1].outputs() or jobs[-1].done()) and time.monotonic() < deadline:
            time.sleep(0.01)
    for job in jobs:
        job.result(timeout=max(1, deadline - time.monotonic()))
    return [job.outputs() for job in jobs]


def texts(history) -> list[str]:
    return [item["content"][0]["text"] for item in history]


def check_every_reply(updates: list[list]) -> None:
    for n, outputs in enumerate(updates):
        final = texts(outputs[-1])
        assert final[0] == f"visitor {n}"
        assert f"> visitor {n}" in final[1], final  # the emulator quotes the message it answers
        assert "mm-error" not in final[-1] and "1002" not in final[-1], final[-1]
        assert not any("Too many requests" in text or "1002" in text
                       for output in outputs for text in texts(output))


@pytest.mark.parametrize("crowd_app", [(
    # MiniMax's window a little shorter than the app's: the app stays under MiniMax's count.
    EmulatorConfig(interval_ms=2, rpm=N, rpm_window=WINDOW - 0.3),
    AccountConfig(requests=N, window=WINDOW, max_wait=60),
)], indirect=True)
def test_a_crowd_of_three_times_the_limit_gets_every_reply_in_order_after_waiting(crowd_app):
    emulator, address = crowd_app
    updates = ask_all(address, 3 * N)
    check_every_reply(updates)
    waited = [n for n, outputs in enumerate(updates)
              if any(WAITING in text for output in outputs for text in texts(output))]
    assert waited == list(range(N, 3 * N))  # all but the first N were told to wait
    asked = [r.body["messages"][-1]["content"] for r in emulator.requests]
    assert asked == [f"visitor {n}" for n in range(3 * N)]  # one request each, in order
    assert emulator.state.refused_for_rate == 0


@pytest.mark.parametrize("crowd_app", [(
    EmulatorConfig(interval_ms=2, faults="error=1002;times=4"),  # MiniMax refuses four times
    AccountConfig(max_wait=60),  # no limit of the app's own
)], indirect=True)
def test_minimax_refusing_for_a_while_slows_the_crowd_down_without_failing_it(crowd_app):
    emulator, address = crowd_app
    updates = ask_all(address, 3)
    check_every_reply(updates)
    assert all(any(WAITING in text for output in outputs for text in texts(output))
               for outputs in updates)
    # Three refused at once pause everyone for 1 s; after it, one more refusal (2 s); no
    # visitor asks again on their own meanwhile: 4 refusals and 3 replies in all.
    assert len(emulator.requests) == 7

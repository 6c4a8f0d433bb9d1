"""A crowd on the host's key, end to end (gradio_client against an in-process app and the
emulator acting as MiniMax past its rate limit): with the account limit set to N requests per
window, 3N visitors at once each get their own reply, in the order they asked, the later ones
after a waiting note, and none sees a 1002; MiniMax refusing for a while only slows them down.

The window is 4 s instead of a minute, so the crowd takes seconds."""
from __future__ import annotations

import pytest
from account_crowd_kit import (
    WAITING,
    ask_all,
    check_every_reply,
    open_clients,
    texts,
    waited,
)
from limits.storage import MemoryStorage

import app
from minimax_backend import Settings
from minimax_backend.emulator import Emulator, EmulatorConfig
from ui.chat.service import ChatService
from ui.protect.account import AccountConfig, AccountGate
from ui.protect.account_line import AccountLine

N, WINDOW = 2, 4


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


@pytest.mark.parametrize("crowd_app", [(
    # MiniMax's window a little shorter than the app's: the app stays under MiniMax's count.
    EmulatorConfig(interval_ms=2, rpm=N, rpm_window=WINDOW - 0.3),
    AccountConfig(requests=N, window=WINDOW, max_wait=60),
)], indirect=True)
def test_a_crowd_of_three_times_the_limit_gets_every_reply_in_order_after_waiting(crowd_app):
    emulator, address = crowd_app
    updates = ask_all(open_clients(address, 3 * N))
    check_every_reply(updates)
    assert waited(updates) == list(range(N, 3 * N))  # all but the first N were told to wait
    asked = [r.body["messages"][-1]["content"] for r in emulator.requests]
    assert asked == [f"visitor {n}" for n in range(3 * N)]  # one request each, in order
    assert emulator.state.refused_for_rate == 0


@pytest.mark.parametrize("crowd_app", [(
    EmulatorConfig(interval_ms=2, faults="error=1002;times=4"),  # MiniMax refuses four times
    AccountConfig(max_wait=60),  # no limit of the app's own
)], indirect=True)
def test_minimax_refusing_for_a_while_slows_the_crowd_down_without_failing_it(crowd_app):
    emulator, address = crowd_app
    updates = ask_all(open_clients(address, 3))
    check_every_reply(updates)
    assert all(any(WAITING in text for output in outputs for text in texts(output))
               for outputs in updates)
    # Three refused at once pause everyone for 1 s; after it, one more refusal (2 s); no
    # visitor asks again on their own meanwhile: 4 refusals and 3 replies in all.
    assert len(emulator.requests) == 7

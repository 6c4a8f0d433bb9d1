"""Where replies come from (`ChatService`) and the running reply of each session (`Runs`)."""
import threading
from types import SimpleNamespace

import pytest
from conftest import FakeClient

from minimax_backend import (
    CancelToken,
    ChatRequest,
    Finish,
    Message,
    QuotaError,
    Settings,
    TextDelta,
)
from ui.chat.lifecycle import Run, Runs, State
from ui.chat.reply import Reply
from ui.chat.service import ChatService, Route

HI = ChatRequest((Message("user", "hi"),), model="MiniMax-M2.7")


def test_the_service_reads_nothing_and_starts_nothing_until_asked():
    calls = []
    ChatService(settings=lambda: calls.append("settings"), emulator_factory=lambda: calls.append("emu"))
    assert calls == []


def test_without_a_key_the_emulator_starts_once_for_all_threads():
    started, made = [], []

    def emulator():
        started.append(1)
        return SimpleNamespace(url="http://127.0.0.1:9", stop=lambda: None)

    def client(settings):
        made.append(settings)
        return FakeClient(always=[TextDelta("x")])

    service = ChatService(Settings(), client_factory=client, emulator_factory=emulator)
    threads = [threading.Thread(target=lambda: list(service.stream(None, "cn", None))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert started == [1] and len(made) == 1
    assert made[0].url == "http://127.0.0.1:9" and made[0].api_key
    assert service.offline


def test_with_a_key_the_region_picks_the_host_unless_a_base_url_overrides_it():
    made = []

    def client(settings):
        made.append(settings)
        return FakeClient(always=[])

    service = ChatService(Settings(api_key="k", region="cn"), client_factory=client,
                          emulator_factory=lambda: pytest.fail("no emulator with a key"))
    list(service.stream(None, "global", None))
    list(service.stream(None, "cn", None))
    assert [s.url for s in made] == ["https://api.minimax.io", "https://api.minimaxi.com"]
    fixed = ChatService(Settings(api_key="k", base_url="http://proxy.local"), client_factory=client)
    list(fixed.stream(None, "global", None))
    assert made[-1].url == "http://proxy.local"


def test_a_visitors_client_is_closed_after_its_one_request_even_when_it_fails():
    scripts = [[TextDelta("part"), QuotaError("no balance", code=1008)],
               [TextDelta("ok"), Finish("stop", "ok", None)],
               [TextDelta("host"), Finish("stop", "host", None)]]
    made = []

    def client(settings):
        made.append((settings.api_key, FakeClient(scripts.pop(0))))
        return made[-1][1]

    service = ChatService(Settings(api_key="host-key"), client_factory=client)
    route = Route.of("global", "sk-visitor")
    with pytest.raises(QuotaError):
        list(service.stream(HI, route, CancelToken()))
    assert service.complete(HI, route).text == "ok"
    assert [(key, fake.closed) for key, fake in made] == [("sk-visitor", 1), ("sk-visitor", 1)]
    assert next(iter(service.stream(HI, "cn", CancelToken()))) == TextDelta("host")
    host_key, host = made[-1]
    assert host_key == "host-key" and host.closed == 0  # the host's client is kept for the next
    service.close()
    assert host.closed == 1


# -- the running replies -----------------------------------------------------------------

def test_runs_keep_a_closed_reply_for_stop_only_a_minute():
    now = [100.0]
    runs = Runs(keep_closed_s=60, clock=lambda: now[0])
    closed = Run(base=[], reply=Reply())
    runs.start("tab-closed", closed)
    runs.close("tab-closed", closed)
    now[0] += 59
    runs.start("someone", Run(base=[], reply=Reply()))
    assert runs.stop("tab-closed") is closed  # Stop, just after gradio closed it, still finds it
    runs.start("tab-closed-2", closed)
    runs.close("tab-closed-2", closed)
    now[0] += 61
    runs.start("someone-else", Run(base=[], reply=Reply()))
    assert runs.stop("tab-closed-2") is None  # gone with the next reply a minute on


def test_runs_forget_old_cancelled_replies_but_never_a_live_one():
    runs = Runs(capacity=2)
    live = Run(base=[], reply=Reply())
    runs.start("live", live)
    for n in range(5):
        stale = Run(base=[], reply=Reply())
        runs.start(f"closed-{n}", stale)
        runs.close(f"closed-{n}", stale)
    assert runs.busy("live") and not live.cancel.cancelled
    assert runs.stop("closed-0") is None  # forgotten


def test_a_reply_ends_in_one_state_whichever_of_stop_and_its_end_comes_first():
    runs = Runs()
    stopped = Run(base=[], reply=Reply())
    runs.start("s", stopped)
    assert runs.stop("s") is stopped and stopped.cancel.cancelled
    assert runs.end("s", stopped) is State.STOPPED  # its handler then shows it frozen, marked
    finished = Run(base=[], reply=Reply())
    runs.start("s", finished)
    assert runs.end("s", finished) is State.STREAMING  # shown whole
    assert runs.stop("s") is None and not finished.cancel.cancelled  # a late Stop changes nothing
    replaced = Run(base=[], reply=Reply())
    runs.start("s", replaced)
    runs.start("s", Run(base=[], reply=Reply()))  # a newer reply in the same session
    assert replaced.cancel.cancelled and runs.end("s", replaced) is State.CANCELLED  # dropped


class Closed(Exception):
    """Stands for gradio closing the handler (GeneratorExit, CancelledError)."""


def test_a_reply_is_charged_once_however_its_handler_ends():
    charged = []
    runs = Runs()

    def charge(received, shown):
        charged.append((received.text, shown.stopped))

    with runs.open("s", [], Reply(), charge) as life:
        life.reply.text = "whole"
        assert life.finish() is life.reply
    with pytest.raises(Closed), runs.open("s", [], Reply(), charge) as closed:
        closed.reply.text = "partial"
        raise Closed
    assert charged == [("whole", False), ("partial", True)]
    assert closed.run.ended.is_set() and closed.cancel.cancelled
    assert runs.stop("s") is closed.run  # kept for the Stop handler that runs just after

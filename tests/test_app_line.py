"""The line: past the process's capacity a reply waits its turn, its visitor sees their place
and an estimate, and a full line tells newcomers to come back later, their message kept."""
import asyncio
import threading
from types import SimpleNamespace

import gradio as gr
import pytest

from minimax_backend import Finish, TextDelta, Usage, ValidationError
from minimax_backend.models import V2
from ui.chat.handlers import ChatHandlers
from ui.chat.line import Line, Place
from ui.chat.service import Route
from ui.chat.settings import ChatSettings
from ui.chat.turns import TurnHandlers
from ui.protect.guard import Guard, GuardConfig
from ui.protect.limits import LINE_LENGTH, REPLIES_AT_ONCE

SETTINGS = ChatSettings(api=V2, model="MiniMax-Text-01", system="", temperature=1.0, top_p=0.95,
                        max_tokens=256, bot_name="", user_name="")


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_replies_run_up_to_capacity_and_then_wait_in_order():
    async def main():
        line = Line(capacity=2, max_waiting=5)
        a, b, c, d = (line.join() for _ in range(4))
        assert a.started is not None and b.started is not None
        assert (line.place(c), line.place(d)) == (Place(1, None), Place(2, None))
        a.leave()
        await asyncio.sleep(0)
        assert c.started is not None and line.place(d).position == 1
        assert line.running() == 2 and line.waiting() == 1
    asyncio.run(main())


def test_the_estimate_comes_from_finished_replies_and_the_running_ones_age():
    async def main():
        clock = Clock()
        line = Line(capacity=2, max_waiting=5, clock=clock)
        first = line.join()
        clock.now += 10  # replies here take 10 s
        first.leave()
        running = [line.join()]
        clock.now += 4
        running.append(line.join())
        waiting = [line.join() for _ in range(3)]
        # a ends in about 6 s, b in 10 s; the third waits a whole reply after a's slot.
        assert [line.place(t) for t in waiting] == [Place(1, 6.0), Place(2, 10.0), Place(3, 16.0)]
        clock.now += 20  # past the average: any moment now
        assert line.place(waiting[0]).seconds() == 1
        assert all(t.started is not None for t in running)
    asyncio.run(main())


def test_a_full_line_takes_no_one_until_a_place_frees():
    async def main():
        line = Line(capacity=1, max_waiting=1)
        running, waiting = line.join(), line.join()
        assert line.full() and line.join() is None
        waiting.leave()  # the visitor left the line (Stop, closed tab)
        assert not line.full() and line.place(waiting) == Place(0, 0.0)
        assert running is not None
    asyncio.run(main())


def test_the_line_is_a_host_setting_named_in_its_error():
    line = Line.from_env({"APP_MAX_REPLIES_AT_ONCE": "3", "APP_MAX_LINE": "0"})
    assert (line.capacity, line.max_waiting) == (3, 0)
    assert (Line.from_env({}).capacity, Line.from_env({}).max_waiting) == \
        (REPLIES_AT_ONCE.default, LINE_LENGTH.default)
    with pytest.raises(ValidationError, match="APP_MAX_REPLIES_AT_ONCE"):
        Line.from_env({"APP_MAX_REPLIES_AT_ONCE": "0"})


class Gated:
    """A service whose replies wait for `release` before their text."""

    offline = True

    def __init__(self):
        self.release = threading.Event()
        self.asked = 0

    def stream(self, request, route, cancel):
        self.asked += 1
        if not self.release.wait(10):
            raise TimeoutError("the test never released the reply")
        yield TextDelta("Hello")
        yield Finish("stop", "Hello", Usage(3, 1, 0, 4))


def request(session, lang="en-US"):
    return SimpleNamespace(headers={"accept-language": lang}, session_hash=session,
                           client=SimpleNamespace(host=f"10.0.0.{session[-1]}"))


def user(text):
    return {"role": "user", "content": [{"type": "text", "text": text}], "metadata": None}


def contents(update):
    history, _ = update
    return [item["content"] for item in history]


def test_a_second_visitor_sees_their_place_then_their_reply():
    service = Gated()
    chat = ChatHandlers(service, interval=0.01, guard=Guard(GuardConfig(demo_messages_per_minute=0)),
                        line=Line(capacity=1, max_waiting=5))

    async def visitor(session, lang="en-US"):
        return [u async for u in chat.respond([user("hi")], {}, SETTINGS, Route.of("cn"),
                                              request(session, lang))]

    async def main():
        first = asyncio.create_task(visitor("s1"))
        await asyncio.sleep(0.1)
        second = asyncio.create_task(visitor("s2"))
        third = asyncio.create_task(visitor("s3", "zh-CN"))
        await asyncio.sleep(0.1)
        assert service.asked == 1  # the others wait without asking MiniMax
        service.release.set()
        return await first, await second, await third

    first, second, third = asyncio.run(main())
    waiting = contents(second[0])[-1]
    assert "you are number 1 in line" in waiting and "An estimate of the wait shows" in waiting
    assert "第 2 位" in contents(third[0])[-1]
    for updates in (first, second, third):
        assert contents(updates[-1])[1] == "Hello"
    assert service.asked == 3


def test_a_full_line_refuses_a_newcomer_and_keeps_the_message_in_the_box():
    line = Line(capacity=1, max_waiting=1)
    turns = TurnHandlers(runs=ChatHandlers(Gated()).runs, line=lambda: line)

    async def main():
        running, waiting = line.join(), line.join()
        refused = turns.send({"text": "hello there", "files": []}, [], {}, request("s9"))
        waiting.leave()
        accepted = turns.send({"text": "hello there", "files": []}, [], {}, request("s9"))
        running.leave()
        return refused, accepted

    (box, history, _, said), (box_after, history_after, _, said_after) = asyncio.run(main())
    assert box == gr.skip() and history == gr.skip()  # the box keeps what was typed
    assert said == (  # the line under the box says why
        "🚦 Too many people are chatting right now: the line is full (1 waiting). Please come "
        "back in a few minutes.\n\nYour message is still in the box: press Enter to send it "
        "again later.")
    assert said_after == ""
    assert box_after == "" and history_after[-1]["role"] == "user"  # a place freed: it goes

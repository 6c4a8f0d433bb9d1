"""The line in a browser: with room for one reply at a time and one waiting, a second visitor
sees their place and an estimate, then their reply; a third is told to come back later and
keeps their message in the box."""
from __future__ import annotations

import pytest
from browser_kit import (  # noqa: F401
    BOT,
    TIMEOUT,
    browser,
    open_page,
    send,
    serving,
    wait_for_reply,
    wait_for_text,
)
from conftest import FakeService

from minimax_backend import Finish, TextDelta, Usage
from ui.chat.line import Line

pytestmark = pytest.mark.browser
REPLY_S = 3.0  # each reply's pause between its two words: long enough to be seen waiting


@pytest.fixture(scope="module")
def url():
    service = FakeService(always=[TextDelta("Hello "), REPLY_S, TextDelta("there"),
                                  Finish("stop", "Hello there", Usage(5, 2, 0, 7))])
    with serving(service, line=Line(capacity=1, max_waiting=1)) as address:
        yield address


def test_a_visitor_past_capacity_waits_in_a_visible_line_and_a_full_line_says_come_back(browser, url):  # noqa: F811
    first = open_page(browser, url, locale="en-US")
    send(first, "warm up")  # one finished reply: the line can estimate from it
    wait_for_reply(first)

    second = open_page(browser, url, locale="en-US")
    third = open_page(browser, url, locale="zh-CN")
    send(first, "tell me more")
    # Its reply has started, so it holds the one slot: the warm-up's "Hello" is on the page
    # already, and waiting for any "Hello" let the second visitor's message reach the line
    # first now and then (on a busy machine the first's Send and join came later).
    first.wait_for_function(
        "([sel, n]) => [...document.querySelectorAll(sel)]"
        ".filter(e => e.innerText.includes('Hello')).length >= n",
        arg=[BOT, 2], timeout=TIMEOUT)
    send(second, "my turn?")
    wait_for_text(second, "#chatbot .mm-pending", "you are number 1 in line")
    waiting = second.locator("#chatbot .mm-pending").inner_text()
    assert "your reply should start in about" in waiting, waiting

    send(third, "我也想问")
    wait_for_text(third, "#input-note", "排队已满")  # said under the box, like every refusal
    assert third.locator("#input-note").inner_text().strip() == (
        "🚦 现在使用的人太多，排队已满（1 人在等）。请过几分钟再来。\n\n"
        "你的消息还在输入框里，稍后按 Enter 即可再次发送。")
    assert third.locator("#chat-input textarea").input_value() == "我也想问"
    assert third.locator("#chatbot .message.user").count() == 0

    wait_for_text(second, BOT, "Hello there")
    assert second.locator("#chatbot .mm-pending").count() == 0
    assert second.locator(BOT).first.inner_text().startswith("Hello there")
    wait_for_reply(second)

"""The message box and the chat's small things, in headless Chromium: both copy actions give
the words as written (no thinking, no notes), the box counts toward the server's limit and
keeps a message it refuses, and a reply cut by a reload is stored marked, with Retry."""
import random

import browser_kit
import pytest
from browser_kit import BOT, browser, open_page, send, serving, wait_for_reply, wait_for_text  # noqa: F401
from conftest import WAIT_FOR_CANCEL, FakeService

from minimax_backend import Finish, ReasoningDelta, Settings, TextDelta, Usage
from ui.browser.scripts import SEND_SAVE_DELAY_MS
from ui.protect.guard import Guard, GuardConfig
from ui.text.safe_markdown import display, original

pytestmark = pytest.mark.browser

PHONE, DESKTOP = browser_kit.PHONE, browser_kit.DESKTOP
QUESTION = "Explain <b> & `<i>` please"
# Markup the chat shows escaped (safe_markdown.display) and a code block that it does not.
ANSWER = "**Bold**, `<i>`, <b>tag</b> and ![logo](http://example.com/x.png)\n\n```py\nx = '&lt;a>'\n```"
REPLY = [ReasoningDelta("I think about <x> first"), TextDelta(ANSWER),
         Finish("stop", ANSWER, Usage(40, 10, 0, 50))]
LIMIT = 100


@pytest.fixture(scope="module")
def served():
    service = FakeService(always=REPLY, settings=Settings(api_key="fake-key", max_retries=0))
    with serving(service, guard=Guard(GuardConfig(max_message_chars=LIMIT))) as url:
        yield service, url


def page_for(browser, url, locale, viewport):
    context = browser.new_context(locale=locale, viewport=viewport)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    return open_page(context, url, locale=locale)


def clipboard_after(page, button):
    page.evaluate("() => navigator.clipboard.writeText('')")
    button.click()
    page.wait_for_function("() => navigator.clipboard.readText().then(t => t !== '')")
    return page.evaluate("() => navigator.clipboard.readText()")


@pytest.mark.parametrize("locale, viewport, copy_label", [("en-US", DESKTOP, "Copy message"),
                                                          ("zh-CN", PHONE, "复制消息")])
def test_copy_gives_the_answer_and_the_turns_without_thinking_or_notes(
        browser, served, locale, viewport, copy_label):
    page = page_for(browser, served[1], locale, viewport)
    send(page, QUESTION)
    wait_for_reply(page)
    # What is shown stays: the thinking fold and the usage note.
    assert page.locator("#chatbot .thought-group").count() == 1
    assert page.locator("#chatbot .mm-note").count() == 1
    copies = page.get_by_role("button", name=copy_label)
    assert clipboard_after(page, copies.last) == ANSWER
    assert clipboard_after(page, copies.first) == QUESTION
    conversation = page.get_by_role("button", name="Copy conversation")
    assert clipboard_after(page, conversation) == f"user: {QUESTION}\n\nassistant: {ANSWER}"
    page.keyboard.press("Escape")
    copies.last.focus()  # by keyboard too
    page.evaluate("() => navigator.clipboard.writeText('')")
    page.keyboard.press("Enter")
    page.wait_for_function("() => navigator.clipboard.readText().then(t => t !== '')")
    assert page.evaluate("() => navigator.clipboard.readText()") == ANSWER
    page.context.close()


def test_the_pages_copy_undoes_the_display_escapes_as_the_server_does(browser, served):
    """static/copy.js repeats safe_markdown.original() rule for rule: both must agree."""
    pieces = ["<", ">", "`", "``", "```\n", "~~~", "\n   ```", "!", "[", "]", "&", "lt;", "amp;",
              "#33;", "a", " ", "\n", "img ", "/", "\r"]
    rng = random.Random(11)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 16))) for _ in range(3000)]
    shown = [display(t) for t in texts] + texts  # and text display() never made
    page = page_for(browser, served[1], "en-US", DESKTOP)
    undone = page.evaluate("(all) => all.map(window.mmCopy.original)", shown)
    assert undone[:len(texts)] == texts
    assert undone == [original(s) for s in shown]
    page.context.close()


@pytest.mark.parametrize("locale, viewport, near, over", [
    ("en-US", DESKTOP, "80 / 100 characters", "112 / 100 characters: 12 too many to send"),
    ("zh-CN", PHONE, "80 / 100 字", "112 / 100 字：多了 12 字，删减后才能发送")])
def test_the_box_counts_near_the_limit_and_keeps_a_message_too_long(
        browser, served, locale, viewport, near, over):
    service, url = served
    page = page_for(browser, url, locale, viewport)
    box = page.locator("#chat-input textarea")
    box.fill("x" * 79)
    page.wait_for_timeout(300)
    assert not page.locator("#mm-count").is_visible()  # quiet until 80 %
    box.press("x")
    wait_for_text(page, "#mm-count", near)
    text = "y" * 100 + " and twelve!"  # 112: pasted whole, not cut at the limit
    box.fill("")
    box.focus()
    page.keyboard.insert_text(text)
    wait_for_text(page, "#mm-count", over)
    assert page.locator("#mm-count.mm-over").is_visible()
    asked = len(service.requests)
    box.press("Enter")
    said = ("The message is too long (at most 100 characters)" if locale == "en-US"
            else "消息太长了（最多 100 个字符），请缩短后重新发送。")
    wait_for_text(page, "#input-note", said)
    page.click("#send")  # Send too
    page.wait_for_timeout(500)
    assert box.input_value() == text and len(service.requests) == asked
    assert page.locator("#chatbot .message").count() == 0 and page.is_enabled("#send")
    box.press("End")
    for _ in range(12):
        box.press("Backspace")
    wait_for_text(page, "#mm-count", "100 / 100")
    box.press("Enter")  # now it goes, and the line under the box is empty again
    wait_for_reply(page)
    assert box.input_value() == "" and page.inner_text("#input-note").strip() == ""
    page.context.close()


def test_a_message_over_the_rate_stays_in_the_box_and_the_refusal_is_said(browser):
    service = FakeService(always=REPLY, settings=Settings(api_key="fake-key", max_retries=0))
    with serving(service, guard=Guard(GuardConfig(messages_per_minute=1))) as url:
        page = page_for(browser, url, "en-US", DESKTOP)
        send(page, "first")
        wait_for_reply(page)
        send(page, "second, **too soon**")
        wait_for_text(page, "#input-note", "Too many messages")
        box = page.locator("#chat-input textarea")
        page.wait_for_function("() => document.querySelector('#chat-input textarea').value !== ''")
        assert box.input_value() == "second, **too soon**" and len(service.requests) == 1
        assert page.locator("#chatbot .message.user").all_inner_texts() == ["first"]
        assert page.is_enabled("#send")
        page.wait_for_timeout(3000)  # after the saves: the stored chat has no refused message
        page.reload()
        wait_for_text(page, "#chatbot .message.user", "first")
        assert page.locator("#chatbot .message.user").all_inner_texts() == ["first"]
        page.context.close()


def test_a_sent_message_is_saved_once_its_first_words_show_not_before(browser, served):
    """Under a crowd the first words take seconds: the save of the sent message waits for them
    (at a fixed moment, every visitor's save queued ahead of the crowd's first words)."""
    service, url = served
    service.enqueue([(SEND_SAVE_DELAY_MS + 2500) / 1000, TextDelta("Once upon"), WAIT_FOR_CANCEL])
    page = page_for(browser, url, "en-US", DESKTOP)
    listed = "() => document.querySelectorAll('#conversations label').length"
    send(page, "Tell me a story")
    page.wait_for_timeout(SEND_SAVE_DELAY_MS + 1000)  # past the moment, before the words
    assert page.evaluate(listed) == 0
    wait_for_text(page, BOT, "Once upon")
    page.wait_for_function(f"() => ({listed})() == 1", timeout=5000)
    assert [t.strip() for t in page.locator("#conversations label").all_inner_texts()] \
        == ["Tell me a story"]
    page.click("#stop")
    page.context.close()


def test_a_reply_cut_by_a_reload_is_stored_marked_and_retry_gives_it_whole(browser, served):
    service, url = served
    service.enqueue([TextDelta("Once upon"), WAIT_FOR_CANCEL])
    page = page_for(browser, url, "en-US", DESKTOP)
    send(page, "Tell me a story")
    wait_for_text(page, BOT, "Once upon")
    page.wait_for_timeout(SEND_SAVE_DELAY_MS + 800)  # the save a moment after sending
    page.reload()
    mark = ("This reply did not finish: the page was reloaded, closed or lost its connection "
            "while it came in. Press Retry to get it again.")
    wait_for_text(page, "#chatbot .mm-note", mark)
    assert "Once upon" in page.inner_text("#chatbot")
    page.click("#chatbot button[aria-label='Retry']")
    wait_for_text(page, BOT, "Bold")
    wait_for_reply(page)
    assert mark not in page.inner_text("#chatbot")
    page.context.close()

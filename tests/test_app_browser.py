"""The app in headless Chromium (Debian's package, driven by playwright; never `playwright
install`): typing and streaming, Stop, an error explained, thinking folded away."""
import time
from pathlib import Path

import browser_kit
import pytest
from browser_kit import BOT, browser, send, serving, wait_for_text  # noqa: F401

from minimax_backend import Settings
from tests.test_app_client import TrackingService
from ui.browser.scripts import SEND_SAVE_DELAY_MS

pytestmark = pytest.mark.browser

SCREENSHOT = Path(__file__).resolve().parent.parent / "assets" / "screenshot.png"
VIEWPORT = {"width": 1280, "height": 960}


@pytest.fixture(scope="module")
def served(emulator):
    service = TrackingService(Settings(max_retries=0), emulator_factory=lambda: emulator)
    with serving(service) as url:
        yield service, url


@pytest.fixture(autouse=True)
def no_leftover_faults(emulator):
    emulator.clear_faults()


def open_page(browser, url, locale="zh-CN"):
    return browser_kit.open_page(browser, url, locale=locale, viewport=VIEWPORT)


def answer_text(page):
    """The visible text of the last answer (no thought block, no note)."""
    return page.evaluate("""() => {
        const bots = [...document.querySelectorAll('#chatbot [data-testid=bot]')]
            .filter(e => !e.querySelector('.thought-group') && !e.querySelector('.mm-note'));
        return bots.length ? bots[bots.length - 1].innerText : '';
    }""")


def start_long_reply(page, service, emulator):
    """Send a message whose reply takes 15 s and wait until it streams; returns how many
    upstream connections had closed before it."""
    emulator.push_fault("chunks=3000;interval_ms=5")
    before = len(service.closed_at)
    send(page, "讲一个很长的故事")
    wait_for_text(page, BOT, "你好！这是 MiniMax 模拟器")
    return before


def assert_upstream_closed_within_a_second(service, before, clicked):
    while len(service.closed_at) == before and time.monotonic() < clicked + 5:
        time.sleep(0.02)
    assert len(service.closed_at) > before and service.closed_at[-1] - clicked < 1.0


def test_a_message_streams_in_and_the_page_keeps_up(browser, served, emulator):
    service, url = served
    page = open_page(browser, url)
    assert "离线演示模式" in page.inner_text("#banner")
    emulator.push_fault("chunks=2000;interval_ms=1")
    before = len(service.closed_at)
    box = page.locator("#chat-input textarea")
    box.fill("第一行")
    box.press("Shift+Enter")  # a new line, not a send
    box.press_sequentially("第二行")
    assert box.input_value() == "第一行\n第二行"
    box.press("Enter")
    wait_for_text(page, "#chatbot .message.user", "第一行\n第二行")
    wait_for_text(page, BOT, "你好！这是 MiniMax 模拟器")
    partial = len(answer_text(page))
    page.wait_for_selector("#chatbot .mm-note:not(.mm-pending)")
    shown = time.monotonic()
    assert len(service.closed_at) > before
    # Gradio sends one update per yield; uncoalesced, 2,000 chunks trail by about 6 s (1,000
    # took 3 s in Chromium). The target, 100 ms, is the benchmark's (bench/targets.py); this
    # bound is loose enough for a machine busy with other work (it measured 1.03 s so).
    assert shown - service.closed_at[-1] < 3.0
    final = answer_text(page)
    assert 0 < partial < len(final), "the reply did not stream"
    assert "输出 2000 tokens" in page.inner_text("#chatbot .mm-note:not(.mm-pending)")
    assert page.is_enabled("#send") and not page.is_enabled("#stop")
    page.close()


def test_stop_freezes_the_reply_and_closes_the_upstream(browser, served, emulator):
    service, url = served
    page = open_page(browser, url)
    before = start_long_reply(page, service, emulator)
    assert not page.is_enabled("#send") and page.is_enabled("#stop")
    # The next message can be typed while the reply streams, but Enter doesn't send it.
    box = page.locator("#chat-input textarea")
    box.fill("下一条")
    box.press("Enter")
    page.wait_for_timeout(300)
    assert box.input_value() == "下一条" and page.locator("#chatbot .message.user").count() == 1
    page.click("#stop")
    clicked = time.monotonic()
    wait_for_text(page, "#chatbot .mm-note:not(.mm-pending)", "（已停止）")
    assert page.is_enabled("#send") and not page.is_enabled("#stop")
    frozen = answer_text(page)
    assert_upstream_closed_within_a_second(service, before, clicked)
    time.sleep(0.5)
    assert answer_text(page) == frozen and frozen.startswith("你好！这是 MiniMax 模拟器")
    assert box.input_value() == "下一条"  # still there to send
    send(page, "继续")  # the chat goes on
    page.wait_for_function("() => document.querySelectorAll('#chatbot .mm-note:not(.mm-pending)').length == 2")
    assert "消息数 / messages: 3" in answer_text(page)  # stopped turn kept as context
    page.close()


def test_stop_closes_a_silent_upstream_within_a_second(browser, served, emulator):
    service, url = served
    page = open_page(browser, url)
    emulator.push_fault("stall_after=50;stall=60")  # thinking, a few words, then silence
    before = len(service.closed_at)
    send(page, "你好")
    wait_for_text(page, BOT, "你好！这是")
    time.sleep(0.3)
    page.click("#stop")
    clicked = time.monotonic()
    wait_for_text(page, "#chatbot .mm-note:not(.mm-pending)", "（已停止）")
    assert_upstream_closed_within_a_second(service, before, clicked)
    page.close()


def test_an_error_is_explained_and_the_next_message_works(browser, served, emulator):
    _, url = served
    page = open_page(browser, url)
    emulator.push_fault("error=1008")
    send(page, "你好")
    wait_for_text(page, "#chatbot .mm-note:not(.mm-pending)", "账户余额不足")
    note = page.inner_text("#chatbot .mm-note:not(.mm-pending)")
    assert "MiniMax 1008" in note and "Trace-Id" in note and "Traceback" not in note
    page.wait_for_function("() => !document.querySelector('#send').disabled")  # ready again
    send(page, "再试一次")
    wait_for_text(page, BOT, "你好！这是 MiniMax 模拟器")
    page.wait_for_function("() => document.querySelectorAll('#chatbot .mm-note:not(.mm-pending)').length == 2")
    assert "消息数 / messages: 1" in answer_text(page)  # the failed turn is not resent
    page.close()


def test_until_the_first_words_the_chat_says_it_is_waiting(browser, served, emulator):
    _, url = served
    page = open_page(browser, url)
    emulator.push_fault("stall_before_headers=2")
    send(page, "慢一点")
    wait_for_text(page, "#chatbot .mm-pending", "正在等待 MiniMax 回复")
    wait_for_text(page, BOT, "你好！这是 MiniMax 模拟器")
    assert page.locator("#chatbot .mm-pending").count() == 0
    page.close()


def test_thinking_is_folded_away_in_the_visitors_language(browser, served):
    _, url = served
    page = open_page(browser, url, locale="en-US")
    assert page.inner_text("#send").strip() == "Send ➤"
    send(page, "What is 2 + 2? Show $x^2$ and \\(y\\).")
    page.wait_for_selector("#chatbot .mm-note:not(.mm-pending)")
    thought = page.locator("#chatbot .thought-group").first
    assert "💭 Thinking" in thought.inner_text()
    assert "I am the emulator" not in thought.inner_text() and "我是模拟器" not in thought.inner_text()
    assert "<think>" not in page.inner_text("#chatbot")
    assert page.locator("#chatbot .katex").count() >= 1  # $E=mc^2$ rendered as math
    # Tall enough for the whole chat: the question, the folded thinking and the reply; the
    # chat fills the screen, with the message box at its foot.
    page.set_viewport_size({"width": 1280, "height": 1300})
    page.wait_for_function("""() => { const e = document.querySelector('#chatbot .bubble-wrap');
                                      return e.scrollHeight <= e.clientHeight + 1; }""")
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    thought.locator(".title").click()  # unfold on demand
    wait_for_text(page, "#chatbot .thought-group", "我是模拟器")
    page.close()


def test_an_example_and_retry_each_start_a_reply_that_stop_can_end(browser, served, emulator):
    """The other ways to start a reply switch Send and Stop too (their `js=` hands the
    event's inputs on unchanged: none for an example, the chat for Retry)."""
    _, url = served
    page = open_page(browser, url)
    emulator.push_fault("chunks=400;interval_ms=5")  # a 2 s reply
    page.locator("#chatbot button.example").first.click()
    wait_for_text(page, BOT, "你好！这是 MiniMax 模拟器")
    assert not page.is_enabled("#send") and page.is_enabled("#stop")
    browser_kit.wait_for_reply(page)
    assert page.inner_text("#chatbot .message.user") == "用三句话解释什么是大语言模型。"
    emulator.push_fault("chunks=3000;interval_ms=5")  # 15 s: stopped below
    page.click("#chatbot button[aria-label='重试']")
    page.wait_for_function("n => document.querySelectorAll('#chatbot .mm-note:not(.mm-pending)').length == 0")
    wait_for_text(page, BOT, "你好！这是 MiniMax 模拟器")
    assert not page.is_enabled("#send") and page.is_enabled("#stop")
    page.click("#stop")
    wait_for_text(page, "#chatbot .mm-note:not(.mm-pending)", "（已停止）")
    assert page.is_enabled("#send") and not page.is_enabled("#stop")
    asked = [r.body["messages"][-1]["content"] for r in list(emulator.requests)[-2:]]
    assert asked == ["用三句话解释什么是大语言模型。"] * 2
    assert page.locator("#chatbot .message.user").count() == 1
    page.close()


# Before and after the save that follows sending.
@pytest.mark.parametrize("after_s", [0.2, SEND_SAVE_DELAY_MS / 1000 + 0.5])
def test_new_chat_mid_reply_cancels_it_and_leaves_the_page_ready(browser, served, emulator, after_s):
    service, url = served
    page = open_page(browser, url)
    before = start_long_reply(page, service, emulator)
    time.sleep(after_s)
    page.click("#new-chat")
    clicked = time.monotonic()
    page.wait_for_function("() => !document.querySelector('#chatbot .message')")
    assert page.is_enabled("#send") and not page.is_enabled("#stop")
    assert_upstream_closed_within_a_second(service, before, clicked)
    time.sleep(0.5)  # nothing of the cancelled reply comes back
    assert page.locator("#chatbot .message").count() == 0
    # In the browser's store: the cancelled chat as it was, and a new empty one.
    page.reload()
    page.wait_for_function("() => document.querySelectorAll('#conversations label').length == 2")
    titles = page.locator("#conversations label").all_inner_texts()
    assert [t.strip() for t in titles] == ["新对话", "讲一个很长的故事"], titles
    assert page.locator("#chatbot .message").count() == 0
    send(page, "新的对话")
    browser_kit.wait_for_reply(page)
    assert "消息数 / messages: 1" in answer_text(page)
    page.locator("#conversations label", has_text="讲一个很长的故事").click()
    wait_for_text(page, "#chatbot .message.user", "讲一个很长的故事")
    assert page.locator("#chatbot .message.user").all_inner_texts() == ["讲一个很长的故事"]
    wait_for_text(page, BOT, "你好！这是 MiniMax 模拟器")  # its reply as far as it came
    page.close()


def test_a_message_survives_a_reload_in_the_middle_of_its_reply(browser, served, emulator):
    service, url = served
    page = open_page(browser, url)
    before = start_long_reply(page, service, emulator)
    time.sleep(SEND_SAVE_DELAY_MS / 1000 + 1)
    # Listed a moment after it was sent, while its 15-second reply still streams.
    assert page.locator("#conversations label").all_inner_texts() == ["讲一个很长的故事"]
    page.reload()
    assert_upstream_closed_within_a_second(service, before, time.monotonic())
    wait_for_text(page, "#chatbot .message.user", "讲一个很长的故事")
    assert page.is_enabled("#send")
    send(page, "接着说")
    browser_kit.wait_for_reply(page)
    page.close()

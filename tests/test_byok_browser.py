"""A visitor's own key in the browser: it reaches MiniMax (here the emulator, via
MINIMAX_BASE_URL) and comes back in no response the browser receives, the SSE stream included."""
import browser_kit
import pytest
from browser_kit import BOT, open_page, send, serving, wait_for_text

from minimax_backend import Settings
from ui.chat.service import ChatService

pytestmark = pytest.mark.browser
browser = browser_kit.browser  # the fixture
KEY = "sk-visitor-7f3a9c-only-mine"


def test_a_pasted_key_is_used_and_never_sent_back(browser, emulator):
    # No server key: without a visitor key replies come from the offline emulator ("offline-demo");
    # with one they go to MINIMAX_BASE_URL, the real MiniMax in production.
    service = ChatService(Settings(base_url=emulator.url, max_retries=0),
                          emulator_factory=lambda: emulator)
    with serving(service) as url:
        context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
        context.add_init_script(browser_kit.TEE_QUEUE_STREAM)  # the open SSE stream, as read
        page = open_page(context, url)
        finished = []
        page.on("requestfinished", lambda request: finished.append(request))
        browser_kit.open_settings(page)
        page.get_by_role("button", name="🔑 使用自己的 Key").click()
        page.fill("#user-key input", KEY)
        page.click("#test-key")
        wait_for_text(page, "#key-status", "✅ Key 可用")
        assert emulator.requests[-1].api_key == KEY and emulator.requests[-1].body["max_tokens"] == 1
        send(page, "用我的 Key")
        wait_for_text(page, BOT, "你好！这是 MiniMax 模拟器")
        browser_kit.wait_for_reply(page)  # and the page ready for the next message
        assert emulator.requests[-1].api_key == KEY
        page.fill("#user-key input", "")
        send(page, "不用 Key")
        page.wait_for_function("() => document.querySelectorAll('#chatbot .mm-note:not(.mm-pending)').length == 2")
        assert emulator.requests[-1].api_key == "offline-demo"
        reply = "你好！这是 MiniMax 模拟器"
        streamed = "".join(page.evaluate("window.__queueStream"))
        if reply not in streamed:
            pytest.fail("the SSE stream was not captured: the check below would prove nothing")
        assert KEY not in streamed
        page.wait_for_timeout(500)
        bodies = [(r.url, r.response().body() if r.response() else b"") for r in list(finished)]
        assert [url for url, body in bodies if KEY.encode() in body] == []
        page.context.close()

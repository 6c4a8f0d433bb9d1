"""The page in the browser's language, and Enter that never sends half-typed pinyin."""
import browser_kit
import pytest
from browser_kit import (
    BOT,
    open_page,
    send,
    url,  # noqa: F401  (a fixture and a helper the browser tests share)
    wait_for_text,
)

pytestmark = pytest.mark.browser
PHONE, DESKTOP = browser_kit.PHONE, browser_kit.DESKTOP

browser = browser_kit.browser  # the fixture


@pytest.mark.parametrize("locale, expected, absent", [
    ("zh-CN", ["发送 ➤", "💬 对话列表", "聊天记录只保存在此浏览器中", "🔑 使用自己的 Key", "离线演示模式",
               "✏️ 重命名", "复制消息"], ["Send ➤", "Conversations", "Copy message"]),
    ("en-US", ["Send ➤", "💬 Conversations", "Chats are stored only in this browser", "🔑 Use your own key",
               "Offline demo mode", "✏️ Rename", "Copy message"], ["发送", "对话列表", "复制消息"]),
])
def test_the_page_speaks_the_browsers_language(browser, url, locale, expected, absent):
    page = open_page(browser, url, locale=locale)
    send(page, "hi")
    page.wait_for_selector("#chatbot .mm-note:not(.mm-pending)")
    browser_kit.open_settings(page)  # its words too
    shown = page.inner_text("body") + " ".join(page.evaluate(
        "() => [...document.querySelectorAll('[aria-label],[title]')]"
        ".map(e => e.getAttribute('aria-label') || e.title)"))
    for text in expected:
        assert text in shown, text
    for text in absent:
        assert text not in shown, text
    page.context.close()


KEY = """(kind) => {
    const box = document.querySelector('#chat-input textarea');
    const enter = (type, extra, keyCode) => {
        const e = new KeyboardEvent(type, {key: 'Enter', code: 'Enter', bubbles: true, cancelable: true, ...extra});
        if (keyCode) Object.defineProperty(e, 'keyCode', {get: () => keyCode});
        box.dispatchEvent(e);
    };
    if (kind === 'start') box.dispatchEvent(new CompositionEvent('compositionstart', {bubbles: true, data: ''}));
    if (kind === 'end') box.dispatchEvent(new CompositionEvent('compositionend', {bubbles: true, data: '你好'}));
    if (kind === 'composing') { enter('keydown', {isComposing: true}); enter('keypress', {isComposing: true}); }
    if (kind === 'plain') { enter('keydown', {}); enter('keypress', {}); }
    if (kind === 'safari') { enter('keydown', {}, 229); enter('keypress', {}); }
}"""


def test_enter_does_not_send_while_an_input_method_composes(browser, url):
    page = open_page(browser, url)
    box = page.locator("#chat-input textarea")
    box.fill("ni hao")
    page.evaluate(KEY, "start")
    page.evaluate(KEY, "composing")  # Chromium / Firefox: isComposing
    page.evaluate(KEY, "plain")  # any Enter between compositionstart and compositionend
    page.evaluate(KEY, "end")
    page.evaluate(KEY, "safari")  # Safari: compositionend first, then keyCode 229
    page.wait_for_timeout(700)
    assert page.locator("#chatbot .message.user").count() == 0 and box.input_value() == "ni hao"
    box.fill("你好")
    page.evaluate(KEY, "plain")  # composition over: Enter sends again
    wait_for_text(page, "#chatbot .message.user", "你好")
    wait_for_text(page, BOT, "你好！这是 MiniMax 模拟器")
    page.context.close()


def test_a_phone_opens_at_the_top_without_its_keyboard_and_a_desktop_ready_to_type(browser, url):
    phone = browser.new_context(locale="zh-CN", viewport=PHONE,
                                is_mobile=True, has_touch=True)
    page = open_page(phone, url)
    page.wait_for_timeout(500)
    assert page.evaluate("() => window.scrollY") == 0
    assert page.evaluate("() => document.activeElement.tagName") != "TEXTAREA"
    # The offline notice: one line for the visitor, pointing to the settings; the host's
    # instructions only when the visitor opens it.
    notice = page.inner_text("#banner")
    assert "离线演示模式" in notice and "⚙️ 设置" in notice and "MINIMAX_API_KEY" not in notice
    page.click("#banner summary")
    wait_for_text(page, "#banner", "MINIMAX_API_KEY")
    phone.close()
    page = open_page(browser, url)
    page.wait_for_function("() => document.activeElement === document.querySelector('#chat-input textarea')")
    page.context.close()

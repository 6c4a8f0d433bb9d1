"""The line beside the message box names the key that answers, and follows the visitor's key:
typed, tested (a refused key is not used for the next message) and forgotten. A strict
emulator stands in for the host's MiniMax: it knows the host's key and one visitor's."""
import browser_kit
import pytest
from browser_kit import BOT, open_page, send, serving, wait_for_reply, wait_for_text
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from minimax_backend import Settings
from minimax_backend.emulator import Emulator, EmulatorConfig
from ui.chat.service import ChatService

pytestmark = pytest.mark.browser
PHONE, DESKTOP = browser_kit.PHONE, browser_kit.DESKTOP
browser = browser_kit.browser  # the fixture
HOST_KEY, VISITOR_KEY = "sk-host-5e1d", "sk-visitor-b72c"
SIZES = [pytest.param(DESKTOP, id="desktop"),
         pytest.param(PHONE, id="phone")]
ROUTE = "#key-route"


@pytest.fixture(scope="module")
def minimax():
    emu = Emulator(EmulatorConfig(interval_ms=2, api_keys=(HOST_KEY, VISITOR_KEY))).start()
    yield emu
    emu.stop()


@pytest.fixture(scope="module")
def offline_url(emulator):
    """No host key; a visitor's key goes to MINIMAX_BASE_URL (here the emulator too)."""
    service = ChatService(Settings(base_url=emulator.url, max_retries=0),
                          emulator_factory=lambda: emulator)
    with serving(service) as url:
        yield url


@pytest.fixture(scope="module")
def hosted_url(minimax):
    """The host's key, answered by the strict emulator."""
    service = ChatService(Settings(api_key=HOST_KEY, base_url=minimax.url, max_retries=0))
    with serving(service) as url:
        yield url
    service.close()


def route_is(page, words):
    try:
        page.wait_for_function("([sel, words]) => document.querySelector(sel).innerText.trim() == words",
                               arg=[ROUTE, words], timeout=browser_kit.TIMEOUT)
    except PlaywrightTimeout:
        typed = "a key" if page.input_value("#user-key input") else "nothing"
        raise AssertionError(f"the line says {page.inner_text(ROUTE)!r}, not {words!r}; "
                             f"the key field holds {typed}") from None


def open_key_panel(page, title):
    browser_kit.open_settings(page)  # closed until its button in the top bar is pressed
    page.get_by_role("button", name=title).click()
    page.locator("#user-key input").wait_for(state="visible")
    browser_kit.settled(page, "#settings-panel")  # the fold has opened; typing may begin


@pytest.mark.parametrize("size", SIZES)
def test_offline_the_line_says_demo_then_your_key_and_forget_clears_both_fields(
        browser, emulator, offline_url, size):
    page = open_page(browser, offline_url, locale="en-US", viewport=size)
    route_is(page, "🔌 Answering with: the offline demo (an emulator, not a real model)")
    assert page.locator(ROUTE).is_visible()
    open_key_panel(page, "🔑 Use your own key")
    page.fill("#user-key input", VISITOR_KEY)
    page.fill("#user-group-id textarea", "1234")
    route_is(page, "🔑 Answering with: your key")
    page.click("#forget-key")
    wait_for_text(page, "#key-status", "🗑️ The key and GroupId are cleared from this page.")
    route_is(page, "🔌 Answering with: the offline demo (an emulator, not a real model)")
    assert page.input_value("#user-key input") == ""
    assert page.input_value("#user-group-id textarea") == ""
    send(page, "after forgetting")
    wait_for_reply(page)
    assert emulator.requests[-1].api_key == "offline-demo"  # the demo, not the forgotten key
    page.context.close()


@pytest.mark.parametrize("size", SIZES)
def test_a_refused_key_is_not_used_and_the_line_says_the_hosts_key_answers(browser, minimax,
                                                                           hosted_url, size):
    page = open_page(browser, hosted_url, locale="zh-CN", viewport=size)
    route_is(page, "🔑 回复使用：服务器的 Key")
    open_key_panel(page, "🔑 使用自己的 Key")
    page.fill("#user-key input", "sk-typo")
    route_is(page, "🔑 回复使用：你的 Key")
    page.click("#test-key")
    wait_for_text(page, "#key-status", "❌ MiniMax 拒绝了这个 Key（2049）")
    wait_for_text(page, "#key-status", "在你修改 Key 或区域之前，下一条消息将改用服务器的 Key。")
    route_is(page, "🔑 回复使用：服务器的 Key（你的 Key 在测试中被拒绝，2049）")
    send(page, "还能聊吗")
    wait_for_reply(page)
    wait_for_text(page, BOT, "你好！这是 MiniMax 模拟器")  # a reply, not an error
    assert minimax.requests[-1].api_key == HOST_KEY
    page.fill("#user-key input", VISITOR_KEY)  # a new key is untested: it is used
    route_is(page, "🔑 回复使用：你的 Key")
    assert page.inner_text("#key-status").strip() == ""
    page.click("#test-key")
    wait_for_text(page, "#key-status", "✅ Key 可用")
    route_is(page, "🔑 回复使用：你的 Key")
    send(page, "用我的")
    wait_for_reply(page, 2)
    assert minimax.requests[-1].api_key == VISITOR_KEY
    page.context.close()

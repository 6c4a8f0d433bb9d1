"""What the persistence, i18n and own-key browser tests share: Debian's chromium through
playwright (never `playwright install`), the app served in-process, and page helpers."""
from __future__ import annotations

import os
import shutil
from contextlib import contextmanager

import pytest

import app
from minimax_backend import Settings
from ui.chat.service import ChatService

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT = 30_000  # ms
BOT = "#chatbot [data-testid=bot]"
# Copies what the page reads from gradio's queue stream (a long-lived fetch), as it arrives.
TEE_QUEUE_STREAM = """(() => {
  window.__queueStream = [];
  const fetch0 = window.fetch;
  window.fetch = async (...args) => {
    const response = await fetch0(...args);
    const url = String(args[0] && args[0].url ? args[0].url : args[0]);
    if (!url.includes('/queue/data') || !response.body) return response;
    const [mine, copy] = response.body.tee();
    (async () => {
      const reader = copy.getReader(), decoder = new TextDecoder();
      for (;;) {
        const {done, value} = await reader.read();
        if (done) break;
        window.__queueStream.push(decoder.decode(value, {stream: true}));
      }
    })();
    return new Response(mine, {status: response.status, statusText: response.statusText,
                               headers: response.headers});
  };
})();"""


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is missing: apt-get install -y chromium")
        pytest.skip("Debian's chromium is not installed")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@contextmanager
def serving(service, **build):
    """The app on a free port for `service` (and `build_demo`'s other arguments); yields its URL."""
    demo = app.build_demo(service, **build)
    options = {k: v for k, v in app.launch_options().items() if k != "share"}
    _, url, _ = demo.launch(prevent_thread_lock=True, quiet=True, show_error=True,
                            server_name="127.0.0.1", **options)
    try:
        yield url
    finally:
        demo.close()


@pytest.fixture(scope="module")
def url(emulator):
    """The page served offline, its replies from the suite's emulator (one per test module)."""
    with serving(ChatService(Settings(max_retries=0), emulator_factory=lambda: emulator)) as address:
        yield address


def open_panel(page, panel, button):
    """Open the side panel `panel` (closed until `button` in the top bar is pressed, or on a
    phone, for the chats) and wait until its fields are shown."""
    if not page.locator(f"#{panel}.open").count():
        page.click(f"#{button}")
    page.wait_for_selector(f"#{panel}.open .sidebar-content", state="visible")
    settled(page, f"#{panel}")


def settled(page, selector):
    """Wait until `selector` and what it holds have stopped moving (a panel slides in over
    0.3 s, an accordion unfolds): fields typed into while they move are what a visitor never does."""
    page.wait_for_function("sel => !document.querySelector(sel).getAnimations({subtree: true})"
                           ".some(a => a instanceof CSSTransition)",
                           arg=selector, timeout=TIMEOUT)


def open_settings(page):
    """Open the settings panel."""
    open_panel(page, "settings-panel", "open-settings")


def open_chats(page):
    """Open the conversations panel (beside the chat on a wide screen, closed on a phone)."""
    open_panel(page, "chats-panel", "open-chats")


def set_number(page, elem_id, value):
    """Type `value` into a number field (a slider's box, in the settings panel) and commit it."""
    open_settings(page)
    field = page.locator(f"#{elem_id} input[type=number]")
    field.fill(str(value))
    field.press("Enter")


# The two sizes every page is checked at: a common phone and a laptop.
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def open_page(context_or_browser, url, locale="zh-CN", viewport=None):
    """A page of the app; a browser makes a fresh context (its own localStorage)."""
    if hasattr(context_or_browser, "new_context"):
        context_or_browser = context_or_browser.new_context(
            locale=locale, viewport=viewport or {"width": 1400, "height": 1000})
    page = context_or_browser.new_page()
    page.set_default_timeout(TIMEOUT)
    page.goto(url)
    page.wait_for_selector("#chat-input textarea")
    # The page script (Enter guards, Send/Stop switch) runs once gradio has mounted the app,
    # a moment after the chat box appears; keys sent before it would meet an unguarded box.
    page.wait_for_function("() => window.__mmImeGuard && window.mmBusy")
    return page


def send(page, message):
    box = page.locator("#chat-input textarea")
    box.fill(message)
    box.press("Enter")


def wait_for_text(page, selector, text):
    """Wait until some element matching `selector` contains `text`."""
    page.wait_for_function(
        "([sel, text]) => [...document.querySelectorAll(sel)].some(e => e.innerText.includes(text))",
        arg=[selector, text], timeout=TIMEOUT)


def wait_for_reply(page, count=1):
    """Wait until `count` replies have finished (each ends with its note, not the waiting one),
    and the chat is saved."""
    page.wait_for_function("n => document.querySelectorAll('#chatbot .mm-note:not(.mm-pending)').length >= n",
                           arg=count, timeout=TIMEOUT)
    page.wait_for_function("() => !document.querySelector('#send').disabled", timeout=TIMEOUT)
    page.wait_for_timeout(400)  # the save step runs right after the reply


def conversation_titles(page):
    return page.locator("#conversations label").all_inner_texts()

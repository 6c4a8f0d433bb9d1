"""Share a chat by link in Chromium: the link opens in another browser's context read-only,
Continue keeps it there (the next message carries its history), and a tampered or oversized
link changes nothing and says why."""
import base64
import json
import random
import zlib

import browser_kit
import pytest
from browser_kit import (  # noqa: F401  (a fixture and helpers the browser tests share)
    BOT,
    conversation_titles,
    open_chats,
    open_page,
    send,
    url,
    wait_for_reply,
    wait_for_text,
)
from test_a11y_browser import audit

from ui.conversations.export import FormatError
from ui.conversations.share_link import MAX_LINK_CHARS, LinkError, decode

pytestmark = pytest.mark.browser
browser = browser_kit.browser  # the fixture
PHONE, DESKTOP = browser_kit.PHONE, browser_kit.DESKTOP


def make_link(page):
    """Press Share in the chats panel and return the link the box shows."""
    open_chats(page)
    page.click("#share")
    page.wait_for_function("() => (document.querySelector('#share-link textarea') || {}).value")
    return page.input_value("#share-link textarea")


def own_chat(page, titles, text):
    """The visitor's own chats: these titles, and `text` in the chat on screen."""
    open_chats(page)
    wait_for_text(page, "#conversations", titles[0])
    assert conversation_titles(page) == titles
    wait_for_text(page, "#chatbot .message.user", text)


def test_a_shared_chat_opens_read_only_elsewhere_and_continues_with_its_history(
        browser, url, emulator):
    sharer = open_page(browser, url, locale="en-US", viewport=DESKTOP)
    send(sharer, "Share me: 分享 🎉")
    wait_for_reply(sharer)
    link = make_link(sharer)
    assert link.startswith(url.rstrip("/") + "/#share=1.")
    size = len(link.split("#share=", 1)[1])
    wait_for_text(sharer, "#share-note", f"Link ready: {size:,} characters after “#share=”")

    reader = open_page(browser, url, locale="zh-CN", viewport=PHONE)
    send(reader, "我自己的对话")
    wait_for_reply(reader)
    reader.goto(link)  # the same browser, its own chat kept
    wait_for_text(reader, "#shared-banner", "分享的对话 — 只读")
    assert reader.evaluate("() => location.href") == url.rstrip("/") + "/"  # fragment taken out
    wait_for_text(reader, "#shared-chat .message.user", "Share me: 分享 🎉")
    wait_for_text(reader, "#shared-chat [data-testid=bot]", "你好！这是 MiniMax 模拟器")
    assert not reader.locator("#chat-input").is_visible()  # no box acting on it
    assert not reader.locator("#chatbot").is_visible()
    reader.click("#shared-continue")
    wait_for_text(reader, "#chatbot .message.user", "Share me: 分享 🎉")
    # The view closes in the page right after the chat is set (a step of its own after the
    # server's): on a loaded machine the chat showed a moment before the view had gone.
    reader.wait_for_selector("#shared-view", state="hidden")
    open_chats(reader)
    wait_for_text(reader, "#conversations", "Share me")
    assert conversation_titles(reader) == ["Share me: 分享 🎉", "我自己的对话"]
    reader.click("#chats-panel > .toggle-button")  # on a phone the panel covers the chat
    send(reader, "接着聊")
    wait_for_reply(reader, 2)
    sent = emulator.requests[-1].body["messages"]
    said = [(m["role"], m["content"]) for m in sent if m["role"] in ("user", "assistant")]
    assert said[0] == ("user", "Share me: 分享 🎉") and said[-1] == ("user", "接着聊")
    assert [role for role, _ in said] == ["user", "assistant", "user"]
    reader.reload()  # the link was read once: a reload shows the visitor's own chats
    reader.wait_for_selector("#chat-input textarea")
    reader.wait_for_timeout(800)
    assert not reader.locator("#shared-view").is_visible()
    sharer.context.close()
    reader.context.close()


def test_close_returns_to_the_visitors_own_chat_and_axe_finds_nothing_serious(browser, url):
    sharer = open_page(browser, url, locale="en-US", viewport=DESKTOP)
    send(sharer, "Only to read")
    wait_for_reply(sharer)
    link = make_link(sharer)
    problems = audit(sharer, "link made")  # axe: the share controls and the link box
    reader = open_page(browser, url, locale="en-US", viewport=DESKTOP)
    send(reader, "Mine")
    wait_for_reply(reader)
    reader.goto(link)
    wait_for_text(reader, "#shared-banner", "A shared chat — read only")
    wait_for_text(reader, "#shared-chat [data-testid=bot]", "MiniMax")
    assert problems + audit(reader, "shared view") == []
    reader.click("#shared-close")
    own_chat(reader, ["Mine"], "Mine")
    assert not reader.locator("#shared-view").is_visible()
    sharer.context.close()
    reader.context.close()


def tampered(link):
    """`link` with one character of its packed text changed, the first change (from the
    middle on) that the codec finds damaged: without a checksum some changes only alter a
    letter, and are as valid as a link anyone may make."""
    head, body = link.split("#share=1.", 1)
    for at in range(len(body) // 2, len(body)):
        for letter in "AZaz09_-":
            changed = f"1.{body[:at]}{letter}{body[at + 1:]}"
            try:
                decode(changed)
            except LinkError as err:
                if err.reason == "damaged":
                    return f"{head}#share={changed}"
            except FormatError:
                pass
    raise AssertionError("no change damages the link")


@pytest.mark.parametrize("viewport", [pytest.param(PHONE, id="phone"), pytest.param(DESKTOP, id="desktop")])
def test_a_tampered_or_oversized_link_changes_nothing_and_says_why(browser, url, viewport):
    sharer = open_page(browser, url, locale="en-US", viewport=DESKTOP)
    send(sharer, "Tamper with me")
    wait_for_reply(sharer)
    link = make_link(sharer)
    page = open_page(browser, url, locale="en-US", viewport=viewport)
    send(page, "My chat")
    wait_for_reply(page)
    base = url.rstrip("/") + "/"
    oversized = base + "#share=1." + "A" * MAX_LINK_CHARS
    # A bomb: a few kilobytes that unpack to more than an import may hold.
    bomb = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = bomb.compress(b" " * 3_000_000) + bomb.flush()
    bombed = base + "#share=1." + base64.urlsafe_b64encode(packed).decode().rstrip("=")
    for bad, why in [(tampered(link), "The link is damaged"), (link[:-40], "The link is damaged"),
                     (oversized, "longer (32,002 characters) than this app opens (32,000)"),
                     (bombed, "unpacks to more than 2 MB"),
                     (base + "#share=2.abc", "format version 2"),
                     (base + "#share=1.not*base64", "not a shared chat of this app")]:
        page.goto(bad)
        wait_for_text(page, "[data-testid=toast-body]", why)
        wait_for_text(page, "[data-testid=toast-body]", "your own chats are unchanged")
        assert not page.locator("#shared-view").is_visible()
        page.click(".toast-close")  # the reason stays until closed (it covers the top bar)
        own_chat(page, ["My chat"], "My chat")
        page.goto(base)
        page.wait_for_selector("#chat-input textarea")
    sharer.context.close()
    page.context.close()


def test_a_chat_too_long_for_a_link_is_refused_with_what_to_do(browser, url):
    page = open_page(browser, url, locale="en-US", viewport=PHONE)
    # Random letters pack badly: 40,000 of them overflow the link. Brought in as a file.
    noise = base64.b64encode(random.Random(13).randbytes(30_000)).decode()
    document = {"format": "minimax-chat", "version": 1, "title": "Long",
                "settings": {"model": "MiniMax-M2"},
                "messages": [{"role": "user", "content": noise}]}
    open_chats(page)
    page.locator("input[type=file][accept*='.json']").set_input_files(files=[{
        "name": "long.json", "mimeType": "application/json", "buffer": json.dumps(document).encode()}])
    wait_for_text(page, "#conversations", "Long")
    page.click("#share")
    wait_for_text(page, "#share-note", "This chat is too long for a link")
    wait_for_text(page, "#share-note", "Untick “Put the thinking in the link”")
    assert not page.locator("#share-link").is_visible()
    page.context.close()

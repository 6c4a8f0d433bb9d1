"""Search over the stored chats, in headless Chromium: a word only inside an old message
finds its chat with the word marked in a snippet, the hit opens that chat with the message in
view (on a phone the panel closes), no hit says so, and a message's markup stays text."""
from __future__ import annotations

import json

import browser_kit
import pytest
from browser_kit import open_chats, open_page, url  # noqa: F401  (a fixture)
from test_a11y_browser import audit

from ui.conversations import export
from ui.conversations.store import default_settings

pytestmark = pytest.mark.browser

browser = browser_kit.browser  # the fixture
PHONE, DESKTOP = browser_kit.PHONE, browser_kit.DESKTOP
OLD_WORD = "长颈鹿Zephyr"  # only in the first message of the long chat


def document(title: str, contents: list[str]) -> bytes:
    """A conversation file as an export writes it, to seed the browser's list by import."""
    roles = ("user", "assistant")
    return json.dumps({
        "format": export.FORMAT, "version": export.VERSION, "title": title,
        "created": "2026-11-01T08:00:00Z", "updated": "2026-11-01T08:00:00Z",
        "settings": default_settings(),
        "messages": [{"role": roles[i % 2], "content": c} for i, c in enumerate(contents)],
    }, ensure_ascii=False).encode()


CHATS = [
    ("旧的长对话", [f"很久以前我说过：蓝色的{OLD_WORD}住在山上。"]
     + [f"第 {n} 段闲聊，内容与动物无关。\n\n" + "填充文字。" * 40 for n in range(1, 24)]),
    ("Markup", ['Look: <img src=x onerror="window.__mmPwned=1"> <b>bold</b> tag']),
    ("天气", ["今天天气怎么样？", "晴朗。"]),
]


def seeded(context_browser, address, viewport):
    page = open_page(context_browser, address, viewport=viewport)
    open_chats(page)
    upload = page.locator("input[type=file][accept*='.json']")
    for count, (title, contents) in enumerate(CHATS, start=1):
        upload.set_input_files(files=[{"name": f"{count}.json", "mimeType": "application/json",
                                       "buffer": document(title, contents)}])
        page.wait_for_function("n => document.querySelectorAll('#conversations label').length == n",
                               arg=count)
    browser_kit.wait_for_text(page, "#chatbot", "晴朗")  # the last import is open
    return page


def search(page, query):
    box = page.locator("#chat-search textarea, #chat-search input").first
    box.fill(query)


def hits(page):
    return page.locator("#chat-search-results .mm-hit").all_inner_texts()


def in_view(page, text):
    return page.evaluate("""(text) => {
        const m = [...document.querySelectorAll('#chatbot .message')].find(e => e.innerText.includes(text));
        if (!m) return false;
        const r = m.getBoundingClientRect();
        return r.bottom > 0 && r.top < window.innerHeight;
    }""", text)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_word_in_an_old_message_finds_its_chat_and_the_hit_opens_it_in_view(browser, url, viewport):
    page = seeded(browser, url, viewport)
    search(page, "长颈鹿zephyr")  # another case than stored
    page.wait_for_selector("#chat-search-results .mm-hit")
    assert page.inner_text("#chat-search-results [role=status]") == "有 1 个对话包含“长颈鹿zephyr”，点击即可打开。"
    assert hits(page) == [f"旧的长对话\n很久以前我说过：蓝色的{OLD_WORD}住在山上。"]
    assert page.locator("#chat-search-results mark").all_inner_texts() == [OLD_WORD]
    assert not page.locator("#conversations").is_visible()  # the hits stand in for the list
    assert audit(page, "search hits") == []
    assert not in_view(page, OLD_WORD)
    page.click("#chat-search-results .mm-hit")
    browser_kit.wait_for_text(page, "#chatbot .message.user", OLD_WORD)
    page.wait_for_function(
        "() => document.querySelector('#conversations input:checked')"
        "?.closest('label').innerText.trim() === '旧的长对话'")
    if viewport is PHONE:
        page.wait_for_selector("#chats-panel:not(.open)")
    page.wait_for_function("""(text) => {
        const m = [...document.querySelectorAll('#chatbot .message')].find(e => e.innerText.includes(text));
        const r = m && m.getBoundingClientRect();
        return !!r && r.bottom > 0 && r.top < window.innerHeight;
    }""", arg=OLD_WORD)
    page.wait_for_timeout(2_000)  # and it stays there once the chat has settled
    assert in_view(page, OLD_WORD)
    page.screenshot(path=f"/tmp/search-{viewport['width']}.png")
    page.context.close()


def test_no_hit_says_so_markup_stays_text_and_an_empty_box_brings_back_the_list(browser, url):
    page = seeded(browser, url, DESKTOP)
    search(page, "天气 Zephyr")  # each word is in a chat, never both in one
    browser_kit.wait_for_text(page, "#chat-search-results", "没有对话")
    assert page.inner_text("#chat-search-results [role=status]") == \
        "没有对话包含“天气 Zephyr”。请检查拼写，或减少几个词再试。"
    assert hits(page) == [] and audit(page, "no hit") == []
    search(page, "onerror")
    page.wait_for_selector("#chat-search-results .mm-hit")
    assert hits(page) == ['Markup\nLook: <img src=x onerror="window.__mmPwned=1"> <b>bold</b> tag']
    assert page.locator("#chat-search-results img, #chat-search-results b").count() == 0
    assert page.evaluate("() => window.__mmPwned") is None
    page.locator("#chat-search textarea, #chat-search input").first.press("Escape")
    page.wait_for_selector("#conversations", state="visible")
    assert browser_kit.conversation_titles(page) == ["天气", "Markup", "旧的长对话"]
    assert hits(page) == []
    page.context.close()

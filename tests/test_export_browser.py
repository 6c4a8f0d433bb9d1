"""The conversation list's actions in Chromium, on a desktop (1366x900) and a phone (390x844):
export is one click to a file named after the chat, an imported chat whose title exists gets
a number, and Rename and Delete are disabled until a chat is open."""
import json
import re

import browser_kit
import pytest
from browser_kit import (  # noqa: F401  (a fixture and helpers the browser tests share)
    conversation_titles,
    open_chats,
    open_page,
    send,
    url,
    wait_for_reply,
    wait_for_text,
)

pytestmark = pytest.mark.browser
PHONE, DESKTOP = browser_kit.PHONE, browser_kit.DESKTOP
browser = browser_kit.browser  # the fixture
SIZES = [pytest.param(DESKTOP, id="desktop"),
         pytest.param(PHONE, id="phone")]
TITLE = "Trip: Paris/Rome?"
FILE = "Trip Paris Rome"  # the title without what some file system refuses


def saved(page, selector):
    """Click once and return the name and bytes of the file the browser saves."""
    with page.expect_download() as download:
        page.click(selector)
    with open(download.value.path(), "rb") as handle:
        return download.value.suggested_filename, handle.read()


def disabled(page, selector):
    return page.locator(selector).is_disabled()


@pytest.mark.parametrize("size", SIZES)
def test_rename_and_delete_are_disabled_until_a_chat_is_open(browser, url, size):
    page = open_page(browser, url, locale="en-US", viewport=size)
    page.wait_for_timeout(500)  # the page's load steps have run
    assert conversation_titles(page) == []
    assert disabled(page, "#rename") and disabled(page, "#delete-chat")
    assert disabled(page, "#rename-box textarea")
    send(page, "# **Bold** question\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    wait_for_reply(page)
    open_chats(page)  # on a phone the list is in a closed panel
    wait_for_text(page, "#conversations", "Bold question")
    assert conversation_titles(page) == ["Bold question a b 1 2"]  # plain text, no markup
    page.wait_for_function("() => !document.querySelector('#delete-chat').disabled")
    assert not disabled(page, "#rename") and not disabled(page, "#rename-box textarea")
    page.fill("#rename-box textarea", "Renamed")
    page.click("#rename")
    wait_for_text(page, "#conversations", "Renamed")
    assert conversation_titles(page) == ["Renamed"]
    page.context.close()


@pytest.mark.parametrize("size", SIZES)
def test_export_is_one_click_named_after_the_chat_and_an_import_gets_a_title_of_its_own(
        browser, url, size):
    page = open_page(browser, url, locale="en-US", viewport=size)
    send(page, TITLE)
    wait_for_reply(page)
    open_chats(page)  # on a phone the list and its buttons are in a closed panel
    assert page.locator("#export-md").is_visible() and page.locator("#export-json").is_visible()
    name, markdown = saved(page, "#export-md")
    assert name == f"{FILE}.md"
    text = markdown.decode()
    assert text.startswith(f"# {TITLE}\n")
    assert re.search(rf"### 🧑 User\n\n\*\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d UTC\*\n\n{re.escape(TITLE)}\n", text)
    name, data = saved(page, "#export-json")
    assert name == f"{FILE}.json"
    document = json.loads(data)
    assert document["title"] == TITLE
    assert document["messages"][0] == {"role": "user", "content": TITLE,
                                       "at": document["messages"][0]["at"]}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", document["messages"][0]["at"])
    upload = page.locator("input[type=file][accept*='.json']")
    for count in (2, 3):
        upload.set_input_files(files=[{"name": name, "mimeType": "application/json", "buffer": data}])
        page.wait_for_function("n => document.querySelectorAll('#conversations label').length == n",
                               arg=count)
    assert conversation_titles(page) == [f"{TITLE} (3)", f"{TITLE} (2)", TITLE]
    name, _ = saved(page, "#export-json")  # the imported chat is open, under its new title
    assert name == f"{FILE} (3).json"
    page.context.close()

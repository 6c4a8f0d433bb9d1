"""Personas in Chromium: a chat started from a built-in one sends its system prompt and
settings to the emulator and keeps the chat that was open; an own persona is saved from the
settings panel, edited, started, deleted (on a phone), exported and imported into another
browser, where a bad file changes nothing and says why."""
import json

import browser_kit
import pytest
from browser_kit import (  # noqa: F401  (a fixture and helpers the browser tests share)
    BOT,
    conversation_titles,
    open_chats,
    open_page,
    open_settings,
    send,
    url,
    wait_for_reply,
    wait_for_text,
)

from ui.conversations.personas import built_in

pytestmark = pytest.mark.browser
browser = browser_kit.browser  # the fixture
PHONE, DESKTOP = browser_kit.PHONE, browser_kit.DESKTOP
TOAST = "[data-testid=toast-body]"


def open_personas(page):
    if page.viewport_size["width"] < 769 and page.locator("#settings-panel.open").count():
        page.click("#settings-panel > .toggle-button")  # on a phone it covers the page
        page.wait_for_selector("#settings-panel.open", state="detached")
    open_chats(page)
    if not page.locator("#personas").count():
        page.click("#personas-panel > button")
    page.wait_for_selector("#personas label")


def persona_lines(page):
    return page.locator("#personas label").all_inner_texts()


def pick(page, name):
    open_personas(page)
    page.locator("#personas label", has_text=name).click()
    page.wait_for_function("() => !document.querySelector('#persona-start').disabled")


def open_details(page):
    if not page.locator("#persona-name").count():
        page.click("#persona-details > button")
    page.wait_for_selector("#persona-name textarea")


def system_prompt_sent(emulator):
    messages = emulator.requests[-1].body["messages"]
    return [m["content"] for m in messages if m["role"] == "system"]


def test_a_chat_started_from_a_built_in_persona_sends_its_prompt_and_keeps_the_open_chat(
        browser, url, emulator):
    page = open_page(browser, url, viewport=DESKTOP)
    send(page, "之前的对话")
    wait_for_reply(page)
    translator = next(p for p in built_in("zh") if p["id"] == "translator")
    pick(page, "中英互译")
    open_details(page)  # a built-in one is shown, not editable
    assert page.input_value("#persona-system textarea") == translator["settings"]["system"]
    assert page.locator("#persona-save").is_disabled() and page.locator("#persona-delete").is_disabled()
    page.click("#persona-start")
    wait_for_text(page, TOAST, "已用人设“中英互译”开始新对话")
    page.wait_for_function("() => !document.querySelector('#chatbot .message')")
    assert conversation_titles(page) == ["新对话", "之前的对话"]  # the open chat was kept
    send(page, "今天天气很好")
    wait_for_reply(page)
    wait_for_text(page, BOT, "系统提示 / system prompt: 你是专业的中英翻译。")
    wait_for_text(page, BOT, "temperature: 0.3")
    assert system_prompt_sent(emulator) == [translator["settings"]["system"]]
    body = emulator.requests[-1].body
    assert (body["temperature"], body["top_p"], body["max_tokens"]) == (0.3, 0.9, 8192)
    assert body["model"] == "MiniMax-M3"  # the visitor's model is kept
    assert conversation_titles(page) == ["今天天气很好", "之前的对话"]
    # The old chat still has its own (empty) system prompt.
    page.locator("#conversations label", has_text="之前的对话").click()
    open_settings(page)
    page.wait_for_function("() => document.querySelector('#system-prompt textarea').value === ''")
    page.context.close()


def save_as_persona(page, system, name, description):
    open_settings(page)
    page.fill("#system-prompt textarea", system)
    if not page.locator("#persona-new-name").count():
        page.click("#persona-save-as-panel > button")
    page.fill("#persona-new-name textarea", name)
    page.fill("#persona-new-description textarea", description)
    page.click("#persona-save-as")
    wait_for_text(page, TOAST, f"Saved your persona “{name}”")


def test_on_a_phone_an_own_persona_is_saved_edited_started_and_deleted(browser, url, emulator):
    page = open_page(browser, url, locale="en-US", viewport=PHONE)
    save_as_persona(page, "You are a haiku poet.", "Haiku", "Poems in 5-7-5")
    open_personas(page)  # the settings panel gives way to the chats on a phone
    assert persona_lines(page)[0] == "👤 Haiku · Poems in 5-7-5"
    assert page.locator("#personas input:checked").count() == 1  # the new one is picked
    open_details(page)
    assert page.input_value("#persona-name textarea") == "Haiku"
    page.fill("#persona-name textarea", "Haiku master")
    page.fill("#persona-system textarea", "You write haiku only.")
    page.click("#persona-save")
    wait_for_text(page, TOAST, "Saved the changes to “Haiku master”")
    assert persona_lines(page)[0] == "👤 Haiku master · Poems in 5-7-5"
    page.reload()  # kept in this browser
    page.wait_for_function("() => window.mmBusy")
    pick(page, "Haiku master")
    page.click("#persona-start")
    page.wait_for_selector("#chats-panel:not(.open)", state="attached")  # the chat is shown
    send(page, "the sea")
    wait_for_reply(page)
    assert system_prompt_sent(emulator) == ["You write haiku only."]
    pick(page, "Haiku master")
    open_details(page)
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("#persona-delete")
    page.wait_for_timeout(800)
    assert asked == ["Delete the persona “Haiku master”? It cannot be brought back."]
    assert persona_lines(page)[0].startswith("👤 Haiku master")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#persona-delete")
    page.wait_for_function("() => !document.querySelector('#personas').innerText.includes('Haiku')")
    assert len(persona_lines(page)) == len(built_in("en"))
    page.context.close()


def test_own_personas_export_and_import_into_another_browser_and_a_bad_file_changes_nothing(
        browser, url):
    page = open_page(browser, url, locale="en-US", viewport=DESKTOP)
    open_personas(page)
    page.click("#persona-export")
    wait_for_text(page, TOAST, "You have no personas of your own to export yet")
    save_as_persona(page, "Answer in rhyme.", "Rhymer", "")
    save_as_persona(page, "只用文言文回答。", "文言", "古文风格")
    open_personas(page)
    with page.expect_download() as download:
        page.click("#persona-export")
    assert download.value.suggested_filename == "minimax-personas.json"
    with open(download.value.path(), "rb") as handle:
        data = handle.read()
    document = json.loads(data)
    assert (document["format"], document["version"]) == ("minimax-chat-personas", 1)
    assert [(p["name"], p["settings"]["system"]) for p in document["personas"]] == [
        ("文言", "只用文言文回答。"), ("Rhymer", "Answer in rhyme.")]
    page.context.close()

    other = open_page(browser, url, locale="en-US", viewport=DESKTOP)  # its own storage
    open_personas(other)
    upload = other.locator("#persona-files input[type=file]")
    upload.set_input_files(files=[{"name": "p.json", "mimeType": "application/json", "buffer": data}])
    wait_for_text(other, TOAST, "Imported 2 personas (0 were already here).")
    assert persona_lines(other)[:3] == ["👤 文言 · 古文风格", "👤 Rhymer", "🌐 Translator zh↔en · "
                                        "Chinese to English and back, faithful and natural"]
    upload.set_input_files(files=[{"name": "p.json", "mimeType": "application/json", "buffer": data}])
    wait_for_text(other, TOAST, "Imported 0 personas (2 were already here).")
    before = persona_lines(other)
    bad = json.dumps({**document, "version": 9}).encode()
    upload.set_input_files(files=[{"name": "bad.json", "mimeType": "application/json", "buffer": bad}])
    wait_for_text(other, TOAST, "Not a personas file this app can import: version 9 is not supported")
    assert persona_lines(other) == before
    pick(other, "文言")
    other.click("#persona-start")
    open_settings(other)
    other.wait_for_function("() => document.querySelector('#system-prompt textarea').value === '只用文言文回答。'")
    other.context.close()

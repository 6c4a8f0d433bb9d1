"""Conversations kept in the browser, in headless Chromium: they survive a reload and a restart
of `python app.py`, stay out of other browsers, keep their own settings, and round-trip
through export and import."""
import json
import os
import re
import socket
import subprocess
import sys
import time

import browser_kit
import pytest
import requests
from browser_kit import (  # noqa: F401  (a fixture and a helper the browser tests share)
    BOT,
    conversation_titles,
    open_page,
    send,
    set_number,
    url,
    wait_for_reply,
    wait_for_text,
)

import app

pytestmark = pytest.mark.browser

browser = browser_kit.browser  # the fixture
APP_DIR = os.path.dirname(app.__file__)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_app(port):
    """`python app.py` without a key (offline emulator) on `port`, once it serves."""
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("MINIMAX_", "APP_"))},
           "GRADIO_SERVER_NAME": "127.0.0.1", "GRADIO_SERVER_PORT": str(port), "MINIMAX_API_KEY": ""}
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=APP_DIR, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stdout.read()[-3000:]
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return proc, url
        except requests.ConnectionError:
            time.sleep(0.2)
    proc.kill()
    pytest.fail("python app.py did not start serving")


def stop_app(proc):
    proc.terminate()
    proc.wait(10)


def test_reload_and_restart_keep_the_chat_and_another_browser_sees_none(browser):
    port = free_port()
    proc, url = start_app(port)
    try:
        context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
        page = open_page(context, url)
        send(page, "记住：蓝色的猫")
        wait_for_reply(page)
        wait_for_text(page, "#conversations", "记住：蓝色的猫")
        page.reload()
        wait_for_text(page, "#chatbot .message.user", "记住：蓝色的猫")
        stop_app(proc)
        proc, url = start_app(port)  # a restart: same address, a new process
        page.reload()
        wait_for_text(page, "#chatbot .message.user", "记住：蓝色的猫")
        assert conversation_titles(page) == ["记住：蓝色的猫"]
        send(page, "还记得吗？")  # the restored chat is the context of the next request
        wait_for_reply(page, 2)
        wait_for_text(page, BOT, "消息数 / messages: 3")
        other = open_page(browser, url)  # another browser: its own, empty storage
        page.wait_for_timeout(800)
        assert conversation_titles(other) == [] and "蓝色的猫" not in other.inner_text("#chatbot")
        other.context.close()
        context.close()
    finally:
        stop_app(proc)


def test_switching_conversations_restores_their_settings_and_raw_replies(browser, url, emulator):
    page = open_page(browser, url)
    set_number(page, "temperature", 0.3)  # opens the settings panel
    page.fill("#system-prompt textarea", "你是甲")
    send(page, "甲的对话")
    wait_for_reply(page)
    wait_for_text(page, BOT, "temperature: 0.3")
    page.click("#new-chat")
    page.wait_for_function("() => document.querySelectorAll('#conversations label').length == 2")
    set_number(page, "temperature", 0.8)
    page.fill("#system-prompt textarea", "你是乙")
    send(page, "乙的对话")
    wait_for_reply(page)
    wait_for_text(page, BOT, "temperature: 0.8")
    assert conversation_titles(page) == ["乙的对话", "甲的对话"]
    page.locator("#conversations label", has_text="甲的对话").click()
    wait_for_text(page, "#chatbot .message.user", "甲的对话")
    page.wait_for_function("() => document.querySelector('#system-prompt textarea').value == '你是甲'")
    assert page.input_value("#temperature input[type=number]") == "0.3"
    send(page, "继续")
    wait_for_reply(page, 2)
    wait_for_text(page, BOT, "系统提示 / system prompt: 你是甲")
    sent = emulator.requests[-1].body["messages"]
    assistant = [m["content"] for m in sent if m["role"] == "assistant"]
    assert len(assistant) == 1 and assistant[0].startswith("<think>")  # raw turn restored
    page.context.close()


def fetch(page, selector, name):
    """Click an export button and read the file the browser saves as `name`."""
    with page.expect_download() as saved:
        page.click(selector)
    assert saved.value.suggested_filename == name
    with open(saved.value.path(), "rb") as handle:
        return handle.read()


def test_delete_asks_first_and_cancel_keeps_the_chat(browser, url):
    page = open_page(browser, url)
    send(page, "别删我")
    wait_for_reply(page)
    asked = []

    def answer(dialog, accept):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    page.click("#delete-chat")
    page.wait_for_timeout(800)
    assert asked == ["删除对话“别删我”？删除后无法恢复。"]
    assert conversation_titles(page) == ["别删我"] and "别删我" in page.inner_text("#chatbot")
    page.once("dialog", lambda dialog: answer(dialog, True))
    page.click("#delete-chat")
    page.wait_for_function("() => !document.querySelector('#chatbot .message')")
    assert conversation_titles(page) == ["新对话"]
    page.context.close()


def test_export_then_import_round_trips_and_a_bad_file_changes_nothing(browser, url):
    page = open_page(browser, url)
    send(page, "导出测试")
    wait_for_reply(page)
    data = fetch(page, "#export-json", "导出测试.json")  # one click, named after the chat
    document = json.loads(data)
    assert document["format"] == "minimax-chat" and document["version"] == 1
    # ... with when it was sent (UTC), and its reply's usage (docs/features.md, "What a chat costs")
    assert document["messages"][1]["usage"]["model"] == "MiniMax-M3"
    assert document["messages"][1]["usage"]["completion"] > 0
    assert document["messages"][0] == {"role": "user", "content": "导出测试",
                                       "at": document["messages"][0]["at"]}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", document["messages"][0]["at"])
    assert document["messages"][1]["raw"].startswith("<think>") and document["messages"][1]["reasoning"]
    upload = page.locator("input[type=file][accept*='.json']")
    upload.set_input_files(files=[{"name": "chat.json", "mimeType": "application/json", "buffer": data}])
    page.wait_for_function("() => document.querySelectorAll('#conversations label').length == 2")
    assert conversation_titles(page) == ["导出测试 (2)", "导出测试"]  # a title of its own
    wait_for_text(page, BOT, "你好！这是 MiniMax 模拟器")
    before = page.inner_text("#chatbot")
    upload.set_input_files(files=[{"name": "bad.json", "mimeType": "application/json",
                                   "buffer": b'{"format": "minimax-chat", "version": 9}'}])
    wait_for_text(page, "[data-testid=toast-body]", "不支持版本 9")
    assert len(conversation_titles(page)) == 2 and page.inner_text("#chatbot") == before
    markdown = fetch(page, "#export-md", "导出测试 (2).md").decode()
    assert markdown.startswith("# 导出测试") and "### 🧑 用户" in markdown and "<details>" in markdown
    page.context.close()

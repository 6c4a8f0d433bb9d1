"""Images and the thinking switch in headless Chromium (Debian's package, never `playwright
install`): an image attached in the message box, seen in the chat and by the emulator; the
same image refused for a text-only model with nothing sent; a reply with thinking off has no
fold; a reload keeps what the store promises (a line naming the image, not the image)."""
import io
import os
import tempfile
from pathlib import Path

import browser_kit
import pytest
from browser_kit import (  # noqa: F401
    BOT,
    browser,
    send,
    serving,
    url,  # noqa: F401  (a fixture and a helper the browser tests share)
    wait_for_reply,
    wait_for_text,
)
from PIL import Image

pytestmark = pytest.mark.browser

# Looked at by hand, not committed: the page with an image in the chat, on a desktop.
SHOT = Path(os.environ.get("MM_IMAGE_SHOT", Path(tempfile.gettempdir()) / "m3ui-image-chat.png"))
VIEWPORT = {"width": 1400, "height": 1000}
USER = "#chatbot .message.user"


@pytest.fixture(scope="module")
def picture(tmp_path_factory):
    """A 64x48 PNG with a name that lies about its type: the bytes decide."""
    path = tmp_path_factory.mktemp("images") / "holiday.png"
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(out, "PNG")
    path.write_bytes(out.getvalue())
    return path


def open_page(browser, url, locale="zh-CN"):
    return browser_kit.open_page(browser, url, locale=locale, viewport=VIEWPORT)


def attach(page, path):
    """Pick `path` in the message box and wait until its upload shows in the box."""
    page.set_input_files("#chat-input input[type=file]", str(path))
    page.wait_for_selector("#chat-input img", timeout=browser_kit.TIMEOUT)


def choose_model(page, name):
    browser_kit.open_settings(page)
    field = page.locator("#model input")
    field.fill(name)
    field.press("Enter")
    page.wait_for_function("n => document.querySelector('#model input').value == n", arg=name)


def test_an_image_with_m3_is_shown_and_acknowledged_and_a_reload_keeps_its_line(
        browser, url, picture, emulator):
    page = open_page(browser, url)
    attach(page, picture)
    send(page, "这张图里是什么？")
    wait_for_reply(page)
    wait_for_text(page, BOT, "图片 / images: 1 (image/png 64×48)")
    user = page.locator(USER)
    assert user.locator("img").count() == 1
    assert "这张图里是什么？" in page.inner_text(USER)
    sent = emulator.requests[-1].body["messages"][-1]["content"]
    assert [part["type"] for part in sent] == ["text", "image_url"]
    assert sent[1]["image_url"]["url"].startswith("data:image/png;base64,")
    assert page.locator("#chat-input img").count() == 0  # the box is empty again
    SHOT.parent.mkdir(parents=True, exist_ok=True)
    page.evaluate("() => { document.querySelector('#chatbot .bubble-wrap').scrollTop = 0; }")
    page.wait_for_timeout(200)
    page.screenshot(path=str(SHOT))
    page.reload()
    wait_for_text(page, USER, "这张图里是什么？")
    wait_for_text(page, USER, "🖼 PNG 64×48")
    assert "图片本身未保存在此浏览器中" in page.inner_text(USER)
    assert page.locator(f"{USER} img").count() == 0  # kept: a line naming it, not the image
    # Asked again after the reload, MiniMax is told the image is gone rather than nothing.
    page.click("#chatbot button[aria-label='重试']")
    wait_for_reply(page)
    asked = emulator.requests[-1].body["messages"][-1]["content"]
    assert asked == "[an image that is no longer available: PNG 64×48]\n\n这张图里是什么？"
    page.context.close()


def test_an_image_for_a_text_only_model_is_refused_before_anything_is_sent(
        browser, url, picture, emulator):
    page = open_page(browser, url, locale="en-US")
    choose_model(page, "MiniMax-M2.5")
    attach(page, picture)
    before = len(emulator.requests)
    send(page, "What is in this picture?")
    wait_for_text(page, "#input-note", "MiniMax-M2.5 does not take images on the v2 API, "
                                       "so nothing was sent")
    assert len(emulator.requests) == before
    # The visitor's message and image are back in the box, to send again on another model.
    page.wait_for_selector("#chat-input img", timeout=browser_kit.TIMEOUT)
    assert page.input_value("#chat-input textarea") == "What is in this picture?"
    assert page.locator(USER).count() == 0
    assert page.is_enabled("#send")
    choose_model(page, "MiniMax-M3")
    page.click("#send")
    wait_for_reply(page)
    assert page.locator(f"{USER} img").count() == 1 and len(emulator.requests) == before + 1
    page.context.close()


def test_thinking_off_gives_a_reply_without_a_fold(browser, url, emulator):
    page = open_page(browser, url, locale="en-US")
    browser_kit.open_settings(page)
    assert page.locator("#thinking").is_visible()  # M3, the default, can turn it off
    page.locator("#thinking label", has_text="Off").click()
    send(page, "Hello")
    wait_for_reply(page)
    wait_for_text(page, BOT, "你好！这是 MiniMax 模拟器")
    assert page.locator("#chatbot .thought-group").count() == 0
    assert emulator.requests[-1].body["thinking"] == {"type": "disabled"}
    choose_model(page, "MiniMax-M2.7")  # it always thinks: no switch to show
    page.wait_for_selector("#thinking", state="hidden")
    page.context.close()


def test_two_images_picked_in_one_dialog_both_reach_minimax(browser, url, picture, tmp_path):
    """A phone's picker hands over several photos at once: one upload request with both."""
    second = tmp_path / "second.jpg"
    Image.new("RGB", (32, 20), (10, 90, 200)).save(second, "JPEG")
    page = open_page(browser, url)
    page.set_input_files("#chat-input input[type=file]", [str(picture), str(second)])
    page.wait_for_function("() => document.querySelectorAll('#chat-input img').length == 2",
                           timeout=browser_kit.TIMEOUT)
    send(page, "比较这两张图")
    wait_for_reply(page)
    wait_for_text(page, BOT, "图片 / images: 2 (image/png 64×48, image/jpeg 32×20)")
    assert page.locator(USER).locator("img").count() == 2
    page.close()

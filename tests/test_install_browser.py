"""The page as an installable app: gradio's manifest with our icon, no developer note in the
settings panel a visitor opens from the footer, and nothing fetched from outside the server."""
import io

import browser_kit
import pytest
import requests
from browser_kit import url  # noqa: F401  (a fixture and a helper the browser tests share)
from PIL import Image

pytestmark = pytest.mark.browser
PHONE, DESKTOP = browser_kit.PHONE, browser_kit.DESKTOP

browser = browser_kit.browser  # the fixture


def test_the_manifest_names_the_app_and_its_icons_are_square_pngs(url):
    manifest = requests.get(url + "manifest.json", timeout=10).json()
    assert manifest["name"] == "MiniMax Chat" and manifest["display"] == "standalone"
    assert [icon["sizes"] for icon in manifest["icons"]] == ["192x192", "512x512"]
    for icon in manifest["icons"]:
        image = Image.open(io.BytesIO(requests.get(url + icon["src"].lstrip("/"), timeout=10).content))
        assert image.format == "PNG" and f"{image.width}x{image.height}" == icon["sizes"]


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_the_settings_panel_has_no_developer_note_and_the_page_fetches_nothing_outside(
        browser, url, locale):
    context = browser.new_context(locale=locale, viewport=DESKTOP)
    fetched = []
    context.on("request", lambda request: fetched.append(request.url))
    page = browser_kit.open_page(context, url)
    page.locator("footer").get_by_role("button").last.click()  # gradio's "Settings"
    page.wait_for_function("() => document.body.innerText.includes('Progressive Web App')")
    shown = page.inner_text("body")
    assert "not enabled" not in shown and "pwa=True" not in shown
    outside = [u for u in fetched if not u.startswith(url) and not u.startswith(("data:", "blob:"))]
    assert outside == []
    context.close()

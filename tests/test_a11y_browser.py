"""axe-core (axe-playwright-python) audits the page in Debian's chromium: no critical and no
serious violation on a desktop and a phone, in light and dark, on a fresh page, after a reply
with thinking and a code block (every accordion open), and with that thinking unfolded.

No rule is excluded. What axe leaves below "serious" is not asserted: gradio's footer icon's
alt text repeats its label ("Settings", image-redundant-alt, minor)."""
from __future__ import annotations

import browser_kit
import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_kit import url  # noqa: F401  (the offline page, a fixture)

pytestmark = pytest.mark.browser
PHONE, DESKTOP = browser_kit.PHONE, browser_kit.DESKTOP

browser = browser_kit.browser  # the fixture
ASSERTED = ("critical", "serious")
# The desktop in English, the phone in Chinese: both languages are audited, and their results
# matched when each ran at both sizes (zh-CN only adds longer labels in the same markup).
SCREENS = {
    "desktop": (DESKTOP, "en-US"),
    "phone": (PHONE, "zh-CN"),
}
THOUGHT_HEADER = "#chatbot .thought-group > .title"
CLOSED_FOLD = ".label-wrap:not(.open):visible"  # a closed gr.Accordion's header


def open_every_fold(page):
    """Open the page's closed accordions (own key, export), so the audit sees their text."""
    for _ in range(10):
        closed = page.locator(CLOSED_FOLD)
        if not closed.count():
            return
        closed.first.click()
        page.wait_for_timeout(200)
    raise AssertionError("accordions that would not open: " + ", ".join(closed.all_inner_texts()))


def audit(page, when):
    """axe's critical and serious violations on `page`, one readable line per node, once no
    step is running: gradio dims a component while a step that updates it runs (`.pending`,
    opacity 0.2), and on a busy machine the page's opening steps were still running, the
    offline banner dimmed to a contrast of 2.87."""
    page.wait_for_function("() => !document.querySelector('.pending')")
    found = Axe().run(page).response["violations"]
    return [f"{when}: {v['id']} ({v['impact']}) at {' '.join(map(str, node['target']))}\n"
            f"    {node['html'][:200]}\n    {node.get('failureSummary', '').replace(chr(10), ' ')}"
            for v in found if v["impact"] in ASSERTED for node in v["nodes"]]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("screen", SCREENS)
def test_axe_finds_nothing_serious_before_and_after_a_reply(browser, url, screen, scheme):  # noqa: F811
    viewport, locale = SCREENS[screen]
    context = browser.new_context(locale=locale, viewport=viewport, color_scheme=scheme)
    try:
        page = browser_kit.open_page(context, url, locale=locale)
        assert page.evaluate("() => document.body.classList.contains('dark')") == (scheme == "dark")
        problems = audit(page, "fresh page")
        assert page.locator("h1").all_inner_texts() == [
            "💬 MiniMax Chat" if locale == "en-US" else "💬 MiniMax 聊天"]

        browser_kit.send(page, "Show me some code")
        browser_kit.wait_for_reply(page)
        # The emulator's reply thinks first and ends with a Python block: the audit sees both.
        assert page.locator(THOUGHT_HEADER).count() == 1
        assert page.locator("#chatbot pre .token.keyword").count() >= 1
        open_every_fold(page)
        problems += audit(page, "after a reply, every accordion open")
        # Side panels (gr.Sidebar) closed on a small screen: each opened in turn and audited.
        for panel in page.locator(".sidebar:not(.open)[id]").evaluate_all("ps => ps.map(p => p.id)"):
            page.evaluate("id => window.mmPanel ? window.mmPanel(id) : null", panel)
            page.wait_for_selector(f"#{panel}.open")
            page.wait_for_timeout(400)  # it slides in
            open_every_fold(page)
            problems += audit(page, f"after a reply, panel {panel} open")
        assert not problems, "\n".join(problems)

        header = page.locator(THOUGHT_HEADER)
        assert header.get_attribute("aria-expanded") == "false"
        header.focus()
        page.keyboard.press(" ")  # a button opens on Space as on Enter
        page.wait_for_selector(f"{THOUGHT_HEADER}[aria-expanded=true]")
        browser_kit.wait_for_text(page, "#chatbot .thought-group", "模拟器")
        problems = audit(page, "thinking unfolded")
        assert not problems, "\n".join(problems)
    finally:
        context.close()

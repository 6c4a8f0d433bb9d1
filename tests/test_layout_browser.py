"""The page's layout on a phone and a desktop, and its keyboard reach: the message box and Send
on the first screen with the last reply right above them, the panels out of the way until
opened, settings usable on a phone, and the focus always visible."""
from pathlib import Path

import browser_kit
import pytest
from browser_kit import open_settings, send, set_number, url, wait_for_reply  # noqa: F401

pytestmark = pytest.mark.browser

browser = browser_kit.browser  # the fixture

PHONE_SHOT = Path(__file__).resolve().parent.parent / "assets" / "screenshot-phone.png"
PHONES = [(390, 844), (360, 740)]
SIZES = [*PHONES, (1366, 900)]
LOCALES = ["zh-CN", "en-US"]
NOTE = "#chatbot .mm-note:not(.mm-pending)"
# The element's box, and the viewport's size.
BOX = """(sel) => { const r = document.querySelector(sel).getBoundingClientRect();
    return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width,
            height: r.height, vw: window.innerWidth, vh: window.innerHeight}; }"""
# Every shown button without a name: its text, aria-label or title.
NAMELESS = """() => [...document.querySelectorAll('button, [role=button]')]
    .filter(b => b.getClientRects().length && getComputedStyle(b).visibility === 'visible')
    .filter(b => !b.closest('.thought-group'))
    .filter(b => !((b.getAttribute('aria-label') || '').trim() || b.innerText.trim() || (b.title || '').trim()))
    .map(b => b.outerHTML.slice(0, 120))"""
FOCUS_OUTLINE = """(sel) => { const e = sel ? document.querySelector(sel) : document.activeElement;
    const s = getComputedStyle(e); return s.outlineStyle !== 'none' ? parseFloat(s.outlineWidth) : 0; }"""


def open_page(browser, url, size, locale):
    width, height = size
    phone = width < 768
    context = browser.new_context(locale=locale, viewport={"width": width, "height": height},
                                  is_mobile=phone, has_touch=phone)
    return browser_kit.open_page(context, url)


def box(page, selector):
    return page.evaluate(BOX, selector)


def assert_on_first_screen(page, selector):
    """The whole element is inside the viewport, with the page not scrolled."""
    where = box(page, selector)
    assert page.evaluate("() => window.scrollY") == 0
    assert where["width"] > 0 and where["height"] > 0, selector
    assert where["top"] >= 0 and where["bottom"] <= where["vh"], (selector, where)
    assert where["left"] >= 0 and where["right"] <= where["vw"], (selector, where)


def assert_touch_target(page, selector):
    where = box(page, selector)
    assert where["width"] >= 32 and where["height"] >= 32, (selector, where)


def panel_open(page, elem_id):
    return page.locator(f"#{elem_id}.open").count() == 1


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_box_and_send_are_on_the_first_screen_with_the_last_reply_above(
        browser, url, emulator, size, locale):
    page = open_page(browser, url, size, locale)
    phone = size[0] < 768
    assert panel_open(page, "chats-panel") is not phone  # beside the chat only where it fits
    assert not panel_open(page, "settings-panel")
    for selector in ("#chat-input", "#send"):
        assert_on_first_screen(page, selector)
    for selector in ("#send", "#open-chats", "#new-chat", "#open-settings"):
        assert_touch_target(page, selector)
    assert page.evaluate(NAMELESS) == []
    emulator.push_fault("chunks=400;interval_ms=5")  # two seconds: Stop can be seen
    send(page, "Write a palindrome checker in Python")
    page.wait_for_function("() => !document.querySelector('#stop').disabled")
    assert_on_first_screen(page, "#stop")  # on a phone in Send's place
    assert_touch_target(page, "#stop")
    wait_for_reply(page)
    for selector in ("#chat-input", "#send"):
        assert_on_first_screen(page, selector)
    # The end of the last reply (its note) is shown, above the box, inside the chat.
    note, chat, field = box(page, NOTE), box(page, "#chatbot"), box(page, "#chat-input")
    assert chat["top"] <= note["top"] and note["bottom"] <= min(chat["bottom"], field["top"]), (note, chat)
    icons = page.evaluate("""() => [...document.querySelectorAll(
            '#chatbot button.icon-button, #chatbot button.copy_code_button')]
        .filter(b => b.getClientRects().length && !b.closest('.thought-group'))
        .map(b => [b.getBoundingClientRect().width, b.getBoundingClientRect().height])""")
    assert icons and all(w >= 32 and h >= 32 for w, h in icons), icons
    assert page.evaluate(NAMELESS) == []
    page.context.close()


def test_the_phone_screenshot(browser, url):
    """assets/screenshot-phone.png, shown in the README beside the desktop one."""
    page = open_page(browser, url, (390, 844), "en-US")
    send(page, "Write a palindrome checker in Python")
    wait_for_reply(page)
    assert_on_first_screen(page, "#send")
    PHONE_SHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(PHONE_SHOT))
    page.context.close()


@pytest.mark.parametrize("size, locale", [((390, 844), "zh-CN"), ((360, 740), "en-US")])
def test_on_a_phone_the_chat_list_opens_over_the_chat_and_a_pick_closes_it(
        browser, url, size, locale):
    page = open_page(browser, url, size, locale)
    send(page, "first chat")
    wait_for_reply(page)
    page.click("#new-chat")
    page.wait_for_function("() => !document.querySelector('#chatbot .message')")
    assert not page.locator("#conversations").is_visible()
    page.click("#open-chats")
    page.wait_for_selector("#chats-panel.open #conversations", state="visible")
    toggle = "#chats-panel > .toggle-button"
    assert page.get_attribute(toggle, "aria-expanded") == "true"
    assert page.get_attribute(toggle, "aria-label") == page.inner_text("#open-chats").strip()
    assert_touch_target(page, toggle)
    page.locator("#conversations label", has_text="first chat").click()
    browser_kit.wait_for_text(page, "#chatbot .message.user", "first chat")
    page.wait_for_selector("#chats-panel:not(.open)")
    page.wait_for_selector("#conversations", state="hidden")  # out of the Tab order too
    assert_on_first_screen(page, "#chat-input")
    page.context.close()


@pytest.mark.parametrize("size, locale", [((390, 844), "en-US"), ((360, 740), "zh-CN")])
def test_on_a_phone_the_settings_open_change_the_next_request_and_close(
        browser, url, emulator, size, locale):
    page = open_page(browser, url, size, locale)
    assert not page.locator("#temperature").is_visible()  # out of the way until opened
    open_settings(page)
    set_number(page, "temperature", 0.42)
    page.click("#settings-panel > .toggle-button")  # its arrow, shown while it is open
    page.wait_for_selector("#settings-panel:not(.open)")
    page.wait_for_selector("#temperature", state="hidden")
    assert_on_first_screen(page, "#send")
    send(page, "warm enough?")
    wait_for_reply(page)
    assert emulator.requests[-1].body["temperature"] == 0.42
    browser_kit.wait_for_text(page, "#chatbot [data-testid=bot]", "temperature: 0.42")
    page.context.close()


@pytest.mark.parametrize("locale, skip", [("zh-CN", "跳到输入框"), ("en-US", "Skip to the message box")])
def test_on_a_desktop_the_box_has_the_focus_and_a_skip_link_leads_back_to_it(
        browser, url, locale, skip):
    page = open_page(browser, url, (1366, 900), locale)
    page.wait_for_function("() => document.activeElement === document.querySelector('#chat-input textarea')")
    assert page.evaluate(FOCUS_OUTLINE, "#chat-input") >= 2  # the box's frame shows it
    # From the top of the page (a click on its empty margin), the first Tab stop is the skip
    # link, shown and named; Enter on it puts the focus back in the box: two keys.
    page.mouse.click(page.evaluate("() => window.innerWidth") - 6, 4)
    assert page.evaluate("() => document.activeElement.tagName") != "TEXTAREA"
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.id") == "skip-to-input"
    assert page.inner_text("#skip-to-input").strip() == skip
    assert_on_first_screen(page, "#skip-to-input")
    assert page.evaluate(FOCUS_OUTLINE, None) >= 2
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement === document.querySelector('#chat-input textarea')")
    # The next stops, Tab by Tab, all show where they are: the list's toggle, then the list.
    page.mouse.click(page.evaluate("() => window.innerWidth") - 6, 4)
    for _ in range(3):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
        assert page.evaluate(FOCUS_OUTLINE, None) >= 2, focused
    page.context.close()


def test_the_chat_list_shows_which_chat_has_the_focus(browser, url):
    page = open_page(browser, url, (1366, 900), "en-US")
    send(page, "focus me")
    wait_for_reply(page)
    page.mouse.click(page.evaluate("() => window.innerWidth") - 6, 4)
    for _ in range(6):  # skip link, the list's toggle, then the list
        page.keyboard.press("Tab")
        if page.evaluate("() => !!document.activeElement.closest('#conversations')"):
            break
    assert page.evaluate("() => document.activeElement.closest('#conversations label').innerText").strip() == "focus me"
    framed = page.evaluate("""() => { const s = getComputedStyle(document.activeElement.closest('label'));
        return s.outlineStyle !== 'none' ? parseFloat(s.outlineWidth) : 0; }""")
    assert framed >= 2
    page.context.close()


# The chat's scroll viewport, and what gradio floats over the top of the chat.
HEADER = """() => { const q = (s) => document.querySelector(s).getBoundingClientRect();
    const head = [q('#chatbot label.float'), q('#chatbot .top-panel')];
    return {view: q('#chatbot .bubble-wrap').top, header: Math.max(...head.map(r => r.bottom)),
            user: q('#chatbot .message.user'), buttons: q('#chatbot .top-panel')}; }"""
# The topmost element at the centre of the chat's scroll-to-the-end arrow, inside a panel?
ARROW_UNDER = """(panel) => { const r = document.querySelector(
        '#chatbot .scroll-down-button-container button').getBoundingClientRect();
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return top ? (top.closest('#' + panel) ? 'panel' : top.outerHTML.slice(0, 100)) : 'none'; }"""


@pytest.mark.parametrize("size, locale", [((390, 844), "zh-CN"), ((1366, 900), "en-US")])
def test_nothing_covers_a_message_and_no_gap_or_arrow_spoils_the_chats_panel(
        browser, url, size, locale):
    page = open_page(browser, url, size, locale)
    send(page, "hi")  # short and right-aligned: it sat under the Clear and Copy-all buttons
    wait_for_reply(page)
    page.evaluate("() => { document.querySelector('#chatbot .bubble-wrap').scrollTop = 0; }")
    seen = page.evaluate(HEADER)
    # The messages scroll below the chat's label and buttons, so none can pass under them.
    assert seen["view"] >= seen["header"] - 1, seen
    user, buttons = seen["user"], seen["buttons"]
    assert user["top"] >= buttons["bottom"] - 1 or user["right"] <= buttons["left"], seen
    # No empty place for search hits under the search box until something is searched.
    if size[0] < 768:
        page.click("#open-chats")
        page.wait_for_selector("#chats-panel.open #conversations", state="visible")
    assert page.evaluate("() => document.querySelector('#chat-search-results')"
                         ".getClientRects().length") == 0
    page.fill("#chat-search textarea, #chat-search input", "hi")
    page.wait_for_selector("#chat-search-results [role=status]", state="visible")
    page.fill("#chat-search textarea, #chat-search input", "")
    page.wait_for_selector("#chat-search-results", state="hidden")
    if size[0] < 768:  # the chats panel covers the chat: its scroll arrow stays under it
        page.click("#chats-panel > .toggle-button")
        page.wait_for_selector("#chats-panel:not(.open)")
        page.evaluate("() => { document.querySelector('#chatbot .bubble-wrap').scrollTop = 0; }")
        page.wait_for_selector("#chatbot .scroll-down-button-container button", state="visible")
        page.click("#open-chats")
        page.wait_for_selector("#chats-panel.open #conversations", state="visible")
        # (once the panel has slid in)
        page.wait_for_function("() => document.querySelector('#chats-panel')"
                               ".getBoundingClientRect().left >= 0")
        assert page.evaluate(ARROW_UNDER, "chats-panel") == "panel"
    page.context.close()

"""The settings panel in the page: a model change keeps the visitor's values where it can and
names, near the settings, the ones it had to change."""
import browser_kit
import pytest
from browser_kit import set_number, url, wait_for_text  # noqa: F401  (a fixture and a helper the browser tests share)

pytestmark = pytest.mark.browser
PHONE, DESKTOP = browser_kit.PHONE, browser_kit.DESKTOP

browser = browser_kit.browser  # the fixture


def choose_model(page, name):
    browser_kit.open_settings(page)
    page.locator("#model input").click()
    page.get_by_role("option", name=name, exact=True).click()


@pytest.mark.parametrize("size", [pytest.param(DESKTOP, id="desktop"),
                                  pytest.param(PHONE, id="phone")])
@pytest.mark.parametrize("locale, said", [
    ("en-US", "Now abab6.5s-chat: max tokens changed from 20000 to 8192 (its most)."),
    ("zh-CN", "切换到 abab6.5s-chat：最大输出 token 数由 20000 改为 8192（该模型最多 8192）。"),
])
def test_a_model_change_keeps_the_visitors_values_and_names_what_it_changed(browser, url,
                                                                             locale, said, size):
    page = browser_kit.open_page(browser, url, locale=locale, viewport=size)
    set_number(page, "temperature", 0.35)
    set_number(page, "top-p", 0.8)
    set_number(page, "max-tokens", 20000)
    choose_model(page, "MiniMax-M2.5")
    page.wait_for_timeout(800)  # the change's step has run (nothing is to be shown)
    assert page.input_value("#max-tokens input[type=number]") == "20000"
    assert not page.locator("#sampling-note").is_visible()
    choose_model(page, "abab6.5s-chat")
    wait_for_text(page, "#sampling-note", said)
    assert page.input_value("#max-tokens input[type=number]") == "8192"
    assert page.input_value("#temperature input[type=number]") == "0.35"
    assert page.input_value("#top-p input[type=number]") == "0.8"
    page.context.close()

"""What a chat costs and when, in Chromium: after two replies each note's cost line matches
the usage the backend received and the price table (the expected text is worked out here from
`prices.TABLE`), the times are shown in the visitor's own zone, and a reload and the JSON
export keep both. Desktop with the mainland's ¥, phone with the international $."""
import json
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import browser_kit
import pytest
from browser_kit import open_page, open_settings, send, serving, wait_for_reply

from minimax_backend import Finish, Settings, Usage
from ui.chat.prices import CHECKED, TABLE
from ui.chat.service import ChatService

pytestmark = pytest.mark.browser
PHONE, DESKTOP = browser_kit.PHONE, browser_kit.DESKTOP
browser = browser_kit.browser  # the fixture
MODEL = "MiniMax-M2.7"
ZONE = "Asia/Shanghai"
NOTES = "#chatbot .mm-note:not(.mm-pending)"


class Recording(ChatService):
    """The app's service, noting the usage each reply's stream delivered."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.usages: list[Usage] = []

    def stream(self, request, region, cancel):
        last = None
        for event in super().stream(request, region, cancel):
            if isinstance(event, Usage):
                last = event
            elif isinstance(event, Finish) and event.usage is not None:
                last = event.usage
            yield event
        self.usages.append(last)


@pytest.fixture(scope="module")
def served(emulator):
    service = Recording(Settings(max_retries=0), emulator_factory=lambda: emulator)
    with serving(service) as address:
        yield address, service


def expected_amount(usage: Usage, region: str) -> Decimal:
    """The reply's cost from the table's row, worked out here, not by the app's code."""
    row = TABLE[MODEL][region]
    fresh = usage.prompt_tokens - usage.cached_tokens
    return (fresh * row.input + usage.cached_tokens * row.cache_read
            + usage.completion_tokens * row.output) / 1_000_000


def shown(amount: Decimal, symbol: str) -> str:
    return f"{symbol}{amount.quantize(Decimal('0.0001'), rounding=ROUND_HALF_UP)}"


def local(utc: str) -> datetime:
    """A stored UTC time in the page's zone."""
    return datetime.strptime(utc, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).astimezone(ZoneInfo(ZONE))


def local_clock(utc: str) -> str:
    """An en-US 2-digit clock ("05:30 AM") of a stored UTC time, in the page's zone."""
    return local(utc).strftime("%I:%M %p")


def choose(page, region_label):
    open_settings(page)
    page.locator("#model input").click()
    page.get_by_role("option", name=MODEL, exact=True).click()
    page.get_by_label(region_label).check()
    page.wait_for_timeout(300)


@pytest.mark.parametrize("size, region, label, symbol", [
    pytest.param(DESKTOP, "cn", "中国大陆 China · api.minimaxi.com", "¥", id="desktop-cn"),
    pytest.param(PHONE, "global", "海外 Global · api.minimax.io", "$", id="phone-global"),
])
def test_the_cost_line_matches_the_usage_and_the_price_table_and_times_are_local(
        browser, served, size, region, label, symbol):
    url, service = served
    context = browser.new_context(locale="en-US", viewport=size, timezone_id=ZONE)
    page = open_page(context, url)
    choose(page, label)
    service.usages.clear()
    send(page, "What does a reply cost?")
    wait_for_reply(page)
    send(page, "And a second one, with the first in its prompt?")
    wait_for_reply(page, 2)
    first, second = service.usages
    assert first.completion_tokens and second.prompt_tokens > first.prompt_tokens
    basis = f"estimate from MiniMax's pay-as-you-go prices checked {CHECKED}"
    one, two = expected_amount(first, region), expected_amount(second, region)
    tokens = first.prompt_tokens + first.completion_tokens
    lines = [f"≈ {shown(one, symbol)} for this reply · chat so far: {tokens:,} tokens ≈ "
             f"{shown(one, symbol)} · {basis}"]
    tokens += second.prompt_tokens + second.completion_tokens
    lines.append(f"≈ {shown(two, symbol)} for this reply · chat so far: {tokens:,} tokens ≈ "
                 f"{shown(one + two, symbol)} · {basis}")
    assert page.locator(f"{NOTES} .mm-cost").all_inner_texts() == lines

    times = page.locator(f"{NOTES} time.mm-time")
    stamps = [times.nth(i).get_attribute("datetime") for i in range(times.count())]
    assert len(stamps) == 4  # sent and done, for each reply
    words = [f"🕒 sent {local_clock(stamps[i])} · done {local_clock(stamps[i + 1])}" for i in (0, 2)]
    assert page.locator(f"{NOTES} .mm-when").all_inner_texts() == words
    # The full date on hover, in the page's zone.
    assert times.first.get_attribute("title").startswith(local(stamps[0]).strftime("%B %-d, %Y"))

    page.reload()  # reopened from the browser's store: the same lines
    page.wait_for_function("n => document.querySelectorAll('#chatbot time.mm-time[data-local]')"
                           ".length == n", arg=4)
    assert page.locator(f"{NOTES} .mm-cost").all_inner_texts() == lines
    assert page.locator(f"{NOTES} .mm-when").all_inner_texts() == words

    browser_kit.open_chats(page)
    with page.expect_download() as download:
        page.click("#export-json")
    with open(download.value.path(), "rb") as handle:
        document = json.load(handle)
    asked = [m for m in document["messages"] if m["role"] == "user"]
    replies = [m for m in document["messages"] if m["role"] == "assistant"]
    assert [m["at"] for m in asked] == stamps[0::2] and [m["at"] for m in replies] == stamps[1::2]
    for usage, message in zip((first, second), replies):
        assert message["usage"] == {
            "prompt": usage.prompt_tokens, "completion": usage.completion_tokens,
            "cached": usage.cached_tokens, "cache_write": 0, "reasoning": usage.reasoning_tokens,
            "total": usage.prompt_tokens + usage.completion_tokens, "model": MODEL, "region": region}
    currency = TABLE[MODEL][region].currency
    assert document["estimate"]["amounts"] == {currency: shown(one + two, "")}
    assert document["estimate"]["prices_checked"] == CHECKED
    context.close()

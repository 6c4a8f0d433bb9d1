"""One page, measured in Debian's chromium: a cold load on a throttled phone (bytes by type,
first paint, first contentful paint, time to a message box one can type in), and on an
unthrottled phone screen the screenshots and axe-core's findings, fresh and after a reply.

The phone: 390x844 at 3x, touch; network 1.6 Mbps down, 750 kbps up, 150 ms round trip
(Lighthouse's "slow 4G"); the CPU slowed 4x. Times are from navigation start, read in the
page (`performance`), so the harness's own overhead is not counted.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3,
         "is_mobile": True, "has_touch": True}
NETWORK = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8,
           "uploadThroughput": 750_000 / 8}
CPU_SLOWDOWN = 4
QUIET_S = 2.0  # the load is over once no response has finished for this long
LOAD_TIMEOUT_S = 120.0
REPLY_TIMEOUT_S = 60.0
MAX_TABS = 30
# The end of the emulator's reply (its code sample's last line): the reply streamed whole.
REPLY_END = '你好, {name}!'


# Records when the message box first takes a click: present, enabled, visible, and on top
# at its centre (no loading mask over it). Checked every 50 ms from the first script on.
WATCH_BOX = """(() => {
  const probe = () => {
    const box = document.querySelector("#spike-input textarea");
    if (!box || box.disabled || box.readOnly) return false;
    const r = box.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || r.bottom > innerHeight) return false;
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return top === box || box.contains(top);
  };
  const timer = setInterval(() => {
    if (probe()) { window.__boxReady = performance.now(); clearInterval(timer); }
  }, 50);
})();"""


@dataclass
class ColdLoad:
    """One cold load on the throttled phone; times in ms from navigation start."""

    first_paint: float
    first_contentful_paint: float
    box_ready: float
    bytes_by_type: Counter = field(default_factory=Counter)
    requests: int = 0

    @property
    def total_bytes(self) -> int:
        return sum(self.bytes_by_type.values())


def cold_load(browser, url: str) -> ColdLoad:
    """A fresh context (empty cache) on the throttled phone profile."""
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.send("Network.emulateNetworkConditions", NETWORK)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
        kinds: dict[str, str] = {}
        sizes: Counter = Counter()
        last = [time.monotonic()]
        cdp.on("Network.responseReceived",
               lambda e: kinds.__setitem__(e["requestId"], e["type"]))

        def finished(e: dict) -> None:
            sizes[kinds.get(e["requestId"], "Other")] += int(e["encodedDataLength"])
            last[0] = time.monotonic()
        cdp.on("Network.loadingFinished", finished)
        page.add_init_script(WATCH_BOX)
        page.set_default_timeout(LOAD_TIMEOUT_S * 1000)
        page.goto(url, wait_until="load")
        page.wait_for_function("() => window.__boxReady !== undefined", polling=200)
        deadline = time.monotonic() + LOAD_TIMEOUT_S
        while time.monotonic() - last[0] < QUIET_S and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        paints = page.evaluate("""() => Object.fromEntries(
            performance.getEntriesByType('paint').map(p => [p.name, p.startTime]))""")
        return ColdLoad(paints["first-paint"], paints["first-contentful-paint"],
                        page.evaluate("() => window.__boxReady"), sizes, len(kinds))
    finally:
        context.close()


@dataclass
class Look:
    """What the page looks like and what axe-core finds on it, fresh and after a reply."""

    axe: dict[str, Counter]  # "fresh" / "after reply" / "conversations open" -> (impact, rule) -> nodes
    screenshots: list[Path]
    tabs_to_box: int | None  # Tab presses from a fresh page to the message box (None: > MAX_TABS)
    list_by_keyboard: bool  # whatever opens the conversations takes keyboard focus


def _tabs_to_box(page) -> int | None:
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement?.matches('#spike-input textarea')"):
            return presses
    return None


def _violations(page) -> Counter:
    found: Counter = Counter()
    for v in Axe().run(page).response["violations"]:
        found[(v["impact"], v["id"])] += len(v["nodes"])
    return found


@dataclass(frozen=True)
class Taps:
    """What a visitor taps on one page: to pick an image (the last tap opens the file
    chooser), and to see the conversations."""

    attach: tuple[str, ...]
    open_list: str


def look(browser, url: str, name: str, shots: Path, taps: Taps, image: Path) -> Look:
    """Screenshots at 390x844 and axe-core's violations: fresh, after a message with `image`
    and its reply, and with the conversations open."""
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        page.set_default_timeout(REPLY_TIMEOUT_S * 1000)
        page.add_init_script(WATCH_BOX)
        page.goto(url)
        page.wait_for_function("() => window.__boxReady !== undefined", polling=200)
        page.wait_for_timeout(1000)  # fonts and icons settle
        fresh = shots / f"{name}-fresh.png"
        page.screenshot(path=fresh)
        axe = {"fresh": _violations(page)}
        tabs = _tabs_to_box(page)
        by_keyboard = page.locator(taps.open_list).first.evaluate(
            "el => el.tabIndex >= 0 && !el.closest('[inert]')")
        for selector in taps.attach[:-1]:
            page.locator(selector).first.tap()
        with page.expect_file_chooser() as chooser:
            page.locator(taps.attach[-1]).first.tap()
        chooser.value.set_files(image)
        page.wait_for_timeout(1500)  # uploaded and shown in the box
        box = page.locator("#spike-input textarea")
        box.fill("Plan a day in Hangzhou · 杭州一日游")
        box.press("Enter")
        page.wait_for_function("end => document.body.innerText.includes(end)", arg=REPLY_END,
                               polling=200)
        page.wait_for_timeout(1500)  # the last updates and the bubble's actions
        replied = shots / f"{name}-reply.png"
        page.screenshot(path=replied)
        axe["after reply"] = _violations(page)
        page.locator(taps.open_list).tap()
        page.wait_for_timeout(1000)  # the sidebar slides in
        listed = shots / f"{name}-list.png"
        page.screenshot(path=listed)
        axe["conversations open"] = _violations(page)
        return Look(axe, [fresh, replied, listed], tabs, by_keyboard)
    finally:
        context.close()

"""What a visitor sees, in headless Chromium: when the last token of a reply becomes visible.

The page records, at each animation frame after the chat's DOM changed, how much of the
emulator's filler text the assistant messages show (a frame is when the browser is about to
paint). Page times are `performance.timeOrigin + performance.now()`, moved onto the wall
clock by an offset measured around `evaluate` round trips. The emulator host reports when it
handed its stream's last byte to the server (`time.time()` on the same machine); the lag is
the first frame showing the whole filler minus that moment.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from minimax_backend.emulator.replies import _FILLER as FILLER  # the emulator pads with this

from .emulator_control import EmulatorControl
from .load_client import visitor_address

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
BOT_MESSAGES = "[data-testid=bot]"
MARK = "__bench_frame"
POLL_MS = 50

# Counts the filler characters shown: from the filler's first occurrence, how long the text
# keeps following the filler's repeating pattern (a cut-off reply shows fewer). Each change is
# logged to the console, which reaches us even while the page is too busy to be asked.
RECORDER = """([filler, selector, MARK]) => {
  const head = filler.slice(0, 8);
  const shown = () => {
    let text = "";
    for (const el of document.querySelectorAll(selector)) text += el.textContent;
    const start = text.indexOf(head);
    if (start < 0) return 0;
    let n = 0;
    while (start + n < text.length && text[start + n] === filler[n % filler.length]) n++;
    return n;
  };
  const bench = {last: 0};
  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      const n = shown();
      if (n !== bench.last) {
        bench.last = n;
        console.debug(MARK, performance.timeOrigin + performance.now(), n);
      }
    });
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


@dataclass(frozen=True)
class Lag:
    """One reply watched in the browser; times in seconds."""

    lag_s: float  # last token visible - emulator's last byte; a lower bound if not complete
    complete: bool  # False: we stopped watching before the last token showed
    shown: float  # the fraction of the reply's filler on screen when we stopped watching
    enter_to_visible_s: float
    stream_s: float  # the emulator's first to last byte
    chunks: int


def page_clock_offset(page, tries: int = 5) -> float:
    """Seconds to add to a page timestamp (ms) / 1000 to get `time.time()`."""
    best = None
    for _ in range(tries):
        before = time.time()
        page_ms = page.evaluate("() => performance.timeOrigin + performance.now()")
        after = time.time()
        if best is None or after - before < best[0]:
            best = (after - before, (before + after) / 2 - page_ms / 1000)
    return best[1]


def filler_length(text: str) -> int:
    """How many filler characters a reply's full text ends with (what the page must show)."""
    start = text.find(FILLER[:8])
    return 0 if start < 0 else len(text) - start


def watch_reply(browser, url: str, emulator: EmulatorControl, message: str,
                input_selector: str, setup: Callable | None = None,
                watch_s: float = 300.0, timeout_s: float = 60.0) -> Lag:
    """Open the page, send `message`, and time the reply's last token onto the screen.
    Stops watching `watch_s` after the emulator's last byte (the lag is then a lower bound)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900},
                            extra_http_headers={"X-Forwarded-For": visitor_address()})
    page.set_default_timeout(timeout_s * 1000)
    try:
        page.goto(url)
        box = page.locator(input_selector)
        box.wait_for()
        if setup is not None:
            setup(page)
        frames: list[tuple[float, int]] = []  # (page time in ms, filler characters shown)
        page.on("console", lambda msg: _collect(msg, frames))
        page.evaluate(RECORDER, [FILLER, BOT_MESSAGES, MARK])
        offset = page_clock_offset(page)
        emulator.clear_streams()
        box.fill(message)
        entered = time.time()
        box.press("Enter")
        stream = emulator.wait_for_stream(timeout_s)
        expected = filler_length(stream["final_text"] or "")
        if expected < 100:
            raise RuntimeError("the emulator's reply had no filler; was chunks= set?")
        # The last chunk may end in whitespace the renderer trims; earlier frames are a
        # whole chunk (4 characters) short or more.
        complete = expected - 2
        give_up = stream["last_byte"] + watch_s
        while not (frames and frames[-1][1] >= complete) and time.time() < give_up:
            page.wait_for_timeout(POLL_MS)  # lets console events in; the page may be busy
        given_up = time.time()
    finally:
        page.close()  # closed by the browser, even while the page is still rendering
    stream_s = stream["last_byte"] - stream["first_byte"]
    done = [t for t, n in frames if n >= complete]
    if not done:
        shown = (frames[-1][1] if frames else 0) / expected
        return Lag(given_up - stream["last_byte"], False, round(shown, 3), given_up - entered,
                   stream_s, stream["events"])
    visible = done[0] / 1000 + offset
    return Lag(visible - stream["last_byte"], True, 1.0, visible - entered, stream_s,
               stream["events"])


def _collect(message, frames: list) -> None:
    args = message.text.split()
    if len(args) == 3 and args[0] == MARK:
        frames.append((float(args[1]), int(args[2])))


def launch(playwright):
    """Debian's Chromium, headless (never `playwright install`)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

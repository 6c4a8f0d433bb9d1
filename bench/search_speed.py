"""How fast the chat search answers with the 50-chat budget at the store's byte limit, in
headless Chromium: `python -m bench.search_speed`.

Fifty chats of about 19.5 KB each (the store just under `MAX_STORE_BYTES`) are imported into
a fresh page of the offline app; then words are typed into the search box, key by key. For
each keystroke the page records the time from its `input` event to the next animation frame
after it (the frame that paints the hits; the search runs inside that event); the first key
comes 0.3 s after the click into the box, about as soon as a person types. Requests the
page makes while typing are counted: the search is meant to make none. Run at desktop size,
and at phone size with the CPU slowed fourfold (Chromium's throttling)."""
from __future__ import annotations

import argparse
import json
import statistics

from app import build_demo, launch_options
from minimax_backend import Settings
from ui.chat.service import ChatService
from ui.conversations import export
from ui.conversations.store import MAX_CONVERSATIONS, MAX_STORE_BYTES, default_settings

from .browser import CHROMIUM, CHROMIUM_ARGS

CHAT_BYTES = (MAX_STORE_BYTES - 4_000) // MAX_CONVERSATIONS - 40  # 40: the id the store adds
RARE = "长颈鹿Zephyr"  # in one old message of one chat only
QUERIES = [("one hit, typed", "zephyr"), ("one hit, 汉字", "长颈鹿"),
           ("every chat hits", "the"), ("no hit", "qqqq")]
TIMING = """() => {
  window.__lat = [];
  window.addEventListener("input", (e) => {
    if (!e.target.closest || !e.target.closest("#chat-search")) return;
    const start = performance.now();
    requestAnimationFrame(() => window.__lat.push(performance.now() - start));
  }, true);
}"""


def chat_file(number: int) -> bytes:
    """A chat of mixed Chinese and English messages, CHAT_BYTES long as JSON."""
    roles = ("user", "assistant")
    messages = []
    document = {"format": export.FORMAT, "version": export.VERSION, "title": "",
                "created": "2026-11-01T08:00:00Z", "updated": f"2026-11-01T08:{number:02d}:00Z",
                "settings": default_settings(), "messages": messages}
    line = f"第 {number} 个对话：今天讨论天气、旅行和读书计划。We talked about the weather and books. "
    while len(json.dumps(document, ensure_ascii=False).encode()) < CHAT_BYTES - 1_000:
        words = line * 3 if number != 7 or messages else f"很久以前：{RARE}。" + line * 3
        messages.append({"role": roles[len(messages) % 2], "content": words})
    return json.dumps(document, ensure_ascii=False).encode()


def seed(page) -> int:
    upload = page.locator("input[type=file][accept*='.json']")
    total = 0
    for number in range(1, MAX_CONVERSATIONS + 1):
        data = chat_file(number)
        total += len(data)
        upload.set_input_files(files=[{"name": f"{number}.json", "mimeType": "application/json",
                                       "buffer": data}])
        page.wait_for_function("n => document.querySelectorAll('#conversations label').length == n",
                               arg=number, timeout=60_000)
    return total


def measure(page) -> dict:
    box = page.locator("#chat-search input, #chat-search textarea").first
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if "/gradio_api/" in r.url else None)
    page.evaluate(TIMING)
    found = {}
    for name, query in QUERIES:
        box.click()
        page.wait_for_timeout(300)  # as a visitor's first key comes after the click
        page.evaluate("() => { window.__lat = []; }")
        box.press_sequentially(query, delay=80)
        page.wait_for_timeout(300)
        latencies = page.evaluate("() => window.__lat")
        hits = page.locator("#chat-search-results .mm-hit").count()
        found[name] = {"keys": len(latencies), "median_ms": round(statistics.median(latencies), 1),
                       "max_ms": round(max(latencies), 1), "hits": hits}
        box.press("Escape")
        page.wait_for_timeout(200)
    found["requests while typing"] = len(requests)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    from playwright.sync_api import sync_playwright

    demo = build_demo(ChatService(Settings(max_retries=0)))
    options = {k: v for k, v in launch_options().items() if k != "share"}
    _, url, _ = demo.launch(prevent_thread_lock=True, quiet=True, server_name="127.0.0.1", **options)
    results: dict = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, viewport, slowdown in (("desktop 1366x900", (1366, 900), 1),
                                             ("phone 390x844, CPU x4", (390, 844), 4)):
                context = browser.new_context(viewport=dict(zip(("width", "height"), viewport)),
                                              locale="en-US")
                page = context.new_page()
                page.set_default_timeout(60_000)
                page.goto(url)
                page.wait_for_function("() => window.mmSearch && window.mmSearch.store")
                if not page.locator("#chats-panel.open").count():
                    page.click("#open-chats")
                stored = seed(page)
                if slowdown > 1:
                    context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate",
                                                       {"rate": slowdown})
                results[name] = {"stored chat bytes": stored, **measure(page)}
                context.close()
            browser.close()
    finally:
        demo.close()
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()

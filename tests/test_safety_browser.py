"""In headless Chromium: hostile markup stays inert text, and the host's key (or a visitor's)
reaches no page, response, stream message, error message or log line."""
import asyncio
import json
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import browser_kit
import httpx
import pytest
import requests
from browser_kit import BOT, TIMEOUT, browser, send, serving, wait_for_text  # noqa: F401

import app
from bench.gradio_protocol import AppModel, SSEDecoder, loads
from minimax_backend import Settings
from tests.test_app_client import free_port
from ui.chat.service import ChatService

pytestmark = pytest.mark.browser

HOSTILE = ('<img src=http://a.test/1> <script>window.pwned=1</script> <iframe src=http://a.test/2>'
           '</iframe> ![x](http://a.test/3) <p style="background:url(http://a.test/4)">p</p> '
           '<video src=http://a.test/5 autoplay>')
HOST_KEY = "sk-host-SECRET-7f3a9c"
VISITOR_KEY = "sk-visitor-SECRET-b81e2d"


@pytest.fixture(autouse=True)
def no_leftover_faults(emulator):
    emulator.clear_faults()


def record_remote_requests(page):
    """Every request the page tries to make to a host other than the app's, aborted."""
    remote = []

    def route(r):
        host = urlparse(r.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            remote.append(r.request.url)
            r.abort()
    page.route("**/*", route)
    return remote


def test_hostile_markup_in_a_message_and_a_reply_renders_as_text(browser, emulator):
    service = ChatService(Settings(max_retries=0), emulator_factory=lambda: emulator)
    with serving(service) as url:
        page = browser.new_page(locale="en-US")
        page.set_default_timeout(TIMEOUT)
        remote = record_remote_requests(page)
        page.goto(url)
        page.wait_for_selector("#chat-input textarea")
        send(page, HOSTILE)
        page.wait_for_selector("#chatbot .mm-note:not(.mm-pending)")
        wait_for_text(page, BOT, "<script>window.pwned=1</script>")  # the emulator's echo
        user = page.inner_text("#chatbot .message.user")
        for literal in ("<img src=http://a.test/1>", "<script>window.pwned=1</script>",
                        "<iframe src=http://a.test/2>", '<p style="background:url(http://a.test/4)">'):
            assert literal in user
        time.sleep(0.5)  # let any image or media element start loading
        loaders = page.evaluate("""() => [...document.querySelectorAll(
            '#chatbot img, #chatbot video, #chatbot audio, #chatbot iframe, #chatbot source, #chatbot [style]')]
            .map(e => ['src', 'style', 'poster', 'srcset'].map(a => e.getAttribute(a) || '').join(' '))
            .filter(h => h.includes('a.test'))""")
        assert loaders == []
        assert page.evaluate("window.pwned") is None
        # The image is now a link the visitor may click, and nothing was fetched.
        assert page.locator('#chatbot [data-testid=bot] a[href="http://a.test/3"]').count() == 1
        assert remote == []
        # MiniMax got the message exactly as typed.
        assert emulator.requests[-1].body["messages"][-1]["content"] == HOSTILE
        page.close()


# -- the key never leaves ------------------------------------------------------------------

@pytest.fixture(scope="module")
def keyed_app(emulator, tmp_path_factory):
    """`python app.py` with the host's key, talking to the emulator; its output goes to a file."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("keyleak") / "server.log"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("MINIMAX_", "APP_"))},
           "GRADIO_SERVER_NAME": "127.0.0.1", "GRADIO_SERVER_PORT": str(port),
           "MINIMAX_API_KEY": HOST_KEY, "MINIMAX_BASE_URL": emulator.url,
           "APP_MAX_MESSAGES_PER_MINUTE": "0", "APP_MAX_TOKENS_PER_HOUR": "0"}
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, "app.py"], cwd=os.path.dirname(app.__file__),
                                env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, log_path.read_text()[-3000:]
        try:
            if requests.get(url, timeout=1).status_code == 200:
                break
        except requests.ConnectionError:
            assert time.monotonic() < deadline, "python app.py did not start serving"
            time.sleep(0.2)
    yield url, proc, log_path
    proc.terminate()
    proc.wait(10)


async def queue_call(url, text, error_fault=None):
    """One reply through gradio's queue protocol as raw bytes: the join answer and the whole
    SSE stream of `/gradio_api/queue/data`."""
    async with httpx.AsyncClient(timeout=30) as client:
        model = AppModel.from_config((await client.get(url + "/config")).json())
        dep = next(d for d in model.dependencies if d.api_name == "respond")
        values = model.initial_values()
        values[model.by_elem_id["chatbot"]] = [
            {"role": "user", "content": [{"type": "text", "text": text}]}]
        data = [None if model.stateful(i) else values.get(i) for i in dep.inputs]
        session = "leak" + str(time.monotonic_ns())[-8:]
        joined = await client.post(url + model.api_prefix + "/queue/join", json={
            "data": data, "fn_index": dep.id, "session_hash": session, "event_data": None,
            "trigger_id": None})
        raw = [joined.content]
        decoder, messages = SSEDecoder(), []
        async with client.stream("GET", url + model.api_prefix + "/queue/data",
                                 params={"session_hash": session}) as stream:
            async for chunk in stream.aiter_raw():
                raw.append(chunk)
                for payload in decoder.feed(chunk):
                    messages.append(loads(payload))
                if any(m.get("msg") in ("process_completed", "close_stream") for m in messages):
                    break
        return b"".join(raw), messages


def assert_no_key(blob, where):
    text = blob.decode("utf-8", "replace") if isinstance(blob, bytes) else blob
    for key in (HOST_KEY, VISITOR_KEY, "SECRET-"):
        assert key not in text, f"a key leaked in {where}"


def test_no_key_in_any_page_response_stream_error_or_log(browser, keyed_app, emulator):
    url, proc, log_path = keyed_app
    # Raw HTTP, as a script would read the app.
    for path in ("/", "/config", "/gradio_api/info", "/gradio_api/openapi.json",
                 "/gradio_api/info?all_endpoints=true"):
        response = requests.get(url + path, timeout=10)
        assert_no_key(response.content, path)
        assert_no_key(json.dumps(dict(response.headers)), path + " headers")
    # The queue stream of a reply, and of failures that are about the key.
    for fault in (None, "error=2049", "error=1004", "http=401"):
        if fault:
            emulator.push_fault(fault)
        with ThreadPoolExecutor(1) as pool:  # playwright's loop runs in this thread
            raw, messages = pool.submit(asyncio.run, queue_call(url, "hello")).result()
        assert_no_key(raw, f"the queue stream ({fault or 'a reply'})")
        final = next(m for m in messages if m.get("msg") == "process_completed")
        if fault == "error=2049":
            assert "MiniMax 2049" in json.dumps(final, ensure_ascii=False)
    assert emulator.requests[-1].api_key == HOST_KEY  # the key was really used

    # A browser session: every response body it receives, the queue's SSE stream included.
    page = browser.new_page(locale="en-US")
    page.set_default_timeout(TIMEOUT)
    # Bodies are read once a request has finished (a stream still open would block), so
    # the queue's SSE streams are read after gradio closed them, whole.
    finished, bodies, unread = [], [], []
    page.on("requestfinished", lambda request: finished.append(request))
    page.add_init_script(browser_kit.TEE_QUEUE_STREAM)
    page.goto(url)
    page.wait_for_selector("#chat-input textarea")
    if page.locator("#user-key").count():  # bring-your-own-key: paste a visitor's key too
        browser_kit.open_settings(page)
        page.click("#own-key")
        page.fill("#user-key input", VISITOR_KEY)
    emulator.push_fault("error=2049")
    send(page, "first")
    wait_for_text(page, "#chatbot .mm-note:not(.mm-pending)", "2049")
    send(page, "second")
    wait_for_text(page, "#chatbot .mm-note:not(.mm-pending)", "tokens")
    for button in ("#export-json", "#export-md"):  # the chat's exports, as downloaded
        if page.locator(button).count():
            with page.expect_download() as saved:
                page.click(button)
            assert saved.value.suggested_filename.endswith("." + button[8:])
            with open(saved.value.path(), "rb") as handle:
                exported = handle.read()
            assert b"second" in exported
            assert_no_key(exported, f"the {button[8:]} export")
    streamed = "".join(page.evaluate("window.__queueStream"))
    assert "process_completed" in streamed and "2049" in streamed, streamed[-500:]
    assert_no_key(streamed, "the queue stream the page read")
    page.wait_for_timeout(500)  # lets playwright deliver its last events
    for request in finished:
        try:
            bodies.append((request.url, request.response().body()))
        except Exception:  # noqa: BLE001 - e.g. a redirect without a body
            unread.append(request.url)
    assert any("/gradio_api/queue/join" in u for u, _ in bodies), (unread, [u for u, _ in bodies])
    for where, body in bodies:
        assert_no_key(body, where)
    assert_no_key(page.content(), "the page's DOM")
    if page.locator("#user-key").count():
        assert emulator.requests[-1].api_key == VISITOR_KEY
    page.close()

    # The server's own output: one log line per reply, useful and redacted.
    proc.terminate()
    proc.wait(10)
    log = log_path.read_text()
    assert_no_key(log, "the server log")
    lines = [line for line in log.splitlines() if "reply session=" in line]
    assert len(lines) >= 6, log[-3000:]
    assert re.search(r"outcome=auth .*code=2049 .*trace_id=[0-9a-f]{8}", log), lines
    assert re.search(r"model=MiniMax-M3 outcome=ok ttft=\d+\.\d+s .*tokens=\d+", log), lines
    assert "hello" not in "\n".join(lines)  # what visitors write stays out of the log

"""A stranger with the link, scripted against `python app.py` (issue 11, items 1-3): the disk,
memory and CPU a script can make the server spend stay within the README's figures, and the
direct-call routes reach only the steps the page itself calls that way.

The app runs with the emulator upstream and a host key, in its own temp dir, with
APP_TRUST_PROXY=1 as behind Spaces' proxy: each request names its visitor's address in
X-Forwarded-For, so one script plays one visitor or a crowd of them.
"""
import asyncio
import itertools
import json
import math
import os
import statistics
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from bench.contenders import APP
from bench.emulator_control import EmulatorControl
from bench.load_client import Target, new_client, visit
from bench.processes import Server, child_env, emulator_server, free_port
from bench.profiles import MODEL

UPLOAD_BUDGET_MB = 100  # ui/server/uploads.py ALL_BYTES
ADDRESS_UPLOAD_MB = 20  # ui/server/uploads.py ADDRESS_BYTES
# README "Sharing safely": what strangers can make the process hold beyond a warm idle, at most
# 128 MB of sessions' state (ui/server/sessions.py) and the two large requests being served.
RSS_CEILING_MB = 200
SESSIONS = 40  # each sending a 7.9 MB input: gradio kept +9.5 MB a session, up to 1,000 of them
KEPT_MB = 40  # once they are answered, none of it stays
SLOWDOWN = 4  # a reply while someone hammers save takes at most this many times as long
_addresses = itertools.count(1)


def address() -> str:
    n = next(_addresses)
    return f"10.{200 + (n >> 16 & 31)}.{n >> 8 & 255}.{n & 255}"


def file(index: int) -> bytes:
    """1.9 MB of a file of its own (gradio keeps uploads by their content's hash)."""
    return b"%08d" % index + b"x" * 1_899_992


def disk_bytes(root) -> int:
    total = 0
    for folder, _, files in os.walk(root):
        for name in files:
            try:
                total += os.path.getsize(os.path.join(folder, name))
            except OSError:
                pass  # removed meanwhile
    return total


class Page:
    """The app's page as `/config` describes it, and requests as a script would make them."""

    def __init__(self, server: Server, temp) -> None:
        self.server, self.temp, self.url = server, temp, server.url
        config = httpx.get(self.url + "/config", timeout=30).json()
        self.components = {c["id"]: c for c in config["components"]}
        self.steps = {d["api_name"]: d for d in config["dependencies"]}
        self.elem = {c["props"]["elem_id"]: i for i, c in self.components.items()
                     if c.get("props", {}).get("elem_id")}

    def body(self, step: str, **values) -> bytes:
        """A `run/predict` body for `step`, inputs by elem_id (the store as `store`)."""
        dep = self.steps[step]
        named = {self.elem.get(k, k): v for k, v in values.items()}
        data = []
        for i in dep["inputs"]:
            kind = self.components[i]["type"]
            key = "store" if kind == "browserstate" else i
            data.append(None if kind == "state" else named.get(key, self.components[i]
                                                                    ["props"].get("value")))
        return json.dumps({"data": data, "fn_index": dep["id"], "trigger_id": None,
                           "session_hash": uuid.uuid4().hex[:11], "event_data": None}).encode()

    def post(self, path: str, client: httpx.Client, who: str | None = None,
             **kwargs) -> tuple[int, str]:
        """Status and text; 0 when the server closed the connection before answering."""
        headers = {"X-Forwarded-For": who or address(), **kwargs.pop("headers", {})}
        try:
            response = client.post(self.url + "/gradio_api" + path, headers=headers, **kwargs)
        except httpx.TransportError:
            return 0, ""
        return response.status_code, response.text

    def predict(self, client: httpx.Client, body: bytes, who: str | None = None,
                path: str = "/run/predict") -> tuple[int, str]:
        return self.post(path, client, who, content=body,
                         headers={"content-type": "application/json"})

    def upload(self, client: httpx.Client, files: list[bytes], who: str | None = None):
        return self.post("/upload", client, who,
                         files=[("files", (f"chat{i}.json", data)) for i, data in enumerate(files)])

    def rss_mb(self) -> float:
        return self.server.rss_mb()

    def settled_rss_mb(self, seconds: float = 2.0) -> float:
        time.sleep(seconds)
        return self.rss_mb()


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    logs = tmp_path_factory.mktemp("abuse")
    temp = logs / "tmp"
    temp.mkdir()
    emulator = emulator_server(logs).start()
    control = EmulatorControl(emulator.url)
    control.set_directives("chunks=25;interval_ms=20")  # a half-second reply
    port = free_port()
    env = child_env(MINIMAX_API_KEY="bench-key", MINIMAX_BASE_URL=emulator.url,
                    MINIMAX_MODEL=MODEL, APP_TRUST_PROXY="1", GRADIO_SERVER_NAME="127.0.0.1",
                    GRADIO_SERVER_PORT=str(port), TMPDIR=str(temp))
    try:
        with Server("app", [sys.executable, "app.py"], port, env, logs / "app.log") as server:
            page = Page(server, temp)
            with httpx.Client(timeout=60) as client:  # gradio loads the rest at its first event
                assert page.predict(client, page.body("on_model_change_1", model=MODEL))[0] == 200
            yield page
    finally:
        control.close()
        emulator.stop()


def history(chars: int) -> list[dict]:
    """A chat on screen of about `chars` characters, as the page sends it."""
    per = 190_000  # under the longest message a stored chat keeps
    return [{"role": ("user", "assistant")[i % 2],
             "content": [{"type": "text", "text": f"{i} " + "y" * (per - 8)}]}
            for i in range(max(1, chars // per))]


def stored_chats(conversations: int = 50, messages: int = 1_000) -> dict:
    """A browser store as large as the body cap lets through: 50 conversations of 1,000 short
    messages (7.5 MB), each message checked on every save."""
    settings = {"api": "v2", "model": "MiniMax-M2.7", "system": "", "temperature": 0.7,
                "top_p": 0.9, "max_tokens": 512, "bot_name": "", "user_name": ""}
    chats = [{"id": f"{n + 1:016x}", "format": "minimax-chat", "version": 1, "title": f"chat {n}",
              "created": "", "updated": "", "settings": settings,
              "messages": [{"role": ("user", "assistant")[i % 2], "content": f"{n}.{i} " + "z" * 100}
                           for i in range(messages)]}
             for n in range(conversations)]
    return {"version": 1, "current": chats[0]["id"], "conversations": chats}


# -- the routes ------------------------------------------------------------------------------

def test_direct_calls_reach_only_the_quick_steps_the_page_posts(page):
    quick = page.body("on_model_change_1", model="MiniMax-M2.7")
    idle_script = next(name for name, dep in page.steps.items()
                       if not dep["backend_fn"] and dep.get("js") and "mmBusy(false)" in dep["js"])
    with httpx.Client(timeout=30) as client:
        status, text = page.predict(client, quick)
        assert status == 200 and '"maximum":' in text  # the page's own door still opens
        for path in ("/run/upload", "/run/on_model_change_1", "/api/predict"):
            assert page.predict(client, quick, path=path) == (404, json.dumps({"detail": (
                "This API endpoint does not accept direct HTTP POST requests. "
                "Please join the queue to use this API.")})), path
        for step in ("respond", idle_script):  # queued, or never sent to the server
            status, text = page.predict(client, page.body(step))
            assert status == 404 and "join the queue" in text, (step, status, text[:200])


# -- disk ------------------------------------------------------------------------------------

def test_exports_write_nothing_and_uploads_stay_within_the_disk_budget(page):
    before = disk_bytes(page.temp)
    chat = history(3_800_000)  # the largest chat a stored conversation holds
    body = page.body("export_json", chatbot=chat)
    with httpx.Client(timeout=60) as client:
        for _ in range(6):  # ~10 calls a second made +4 GB of exports in 48 s
            status, text = page.predict(client, body)
            assert status == 200, text[:200]
        assert disk_bytes(page.temp) - before < 100_000  # the browser saves exports
        name, exported = json.loads(text)["data"]
        assert name.startswith("0 yyy") and name.endswith("….json")  # the chat's title, cut short
        assert len(name.encode()) <= 155
        assert len(json.loads(exported)["messages"]) == len(chat)

        five = page.upload(client, [b"{}"] * 5)  # more than one message's images
        assert five == (413, '{"detail": "At most 4 files per upload"}')
        one_visitor = address()
        statuses = [page.upload(client, [file(i)], one_visitor)[0]
                    for i in range(ADDRESS_UPLOAD_MB // 2 + 1)]
        assert statuses == [200] * (ADDRESS_UPLOAD_MB // 2) + [429]

    def upload(index):
        with httpx.Client(timeout=60) as client:
            return page.upload(client, [file(1000 + index)])[0]

    with ThreadPoolExecutor(8) as pool:  # a crowd of addresses, 114 MB in all
        crowd = list(pool.map(upload, range(60)))
    grown = (disk_bytes(page.temp) - before) / 1e6
    assert grown <= UPLOAD_BUDGET_MB + 2, f"+{grown:.0f} MB on disk; {crowd}"
    assert crowd.count(200) >= (UPLOAD_BUDGET_MB - ADDRESS_UPLOAD_MB) // 2 - 1  # up to the budget
    assert set(crowd) == {200, 503}, crowd


# -- memory ----------------------------------------------------------------------------------

class Sampler:
    """The server's RSS every 0.1 s while a `with` block runs; `peak` once it is done."""

    def __init__(self, page: Page) -> None:
        self.page, self.peak, self._done = page, 0.0, threading.Event()

    def _run(self) -> None:
        while not self._done.wait(0.1):
            self.peak = max(self.peak, self.page.rss_mb())

    def __enter__(self):
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        self._thread.join()


def test_memory_stays_under_the_ceiling_however_many_sessions_send_large_inputs(page):
    idle = page.settled_rss_mb()
    large = page.body("on_model_change_1", model="m" * 7_900_000)

    def send(_):
        with httpx.Client(timeout=60) as client:
            return page.predict(client, large.replace(b'"session_hash": "', b'"session_hash": "'
                                                      + uuid.uuid4().hex[:6].encode(), 1))[0]

    with Sampler(page) as sampler:
        with ThreadPoolExecutor(4) as pool:  # 40 sessions, each from its own address
            statuses = list(pool.map(send, range(SESSIONS)))
        huge = page.body("on_model_change_1", model="m" * 40_000_000)
        with httpx.Client(timeout=60) as client:  # the routes that skipped the body cap
            bypass = [page.predict(client, huge, path=path)[0]
                      for path in ("/run/upload", "/run/predict")]
            bypass.append(page.upload(client, [b"x" * 2_000_000] * 20)[0])
    after = page.settled_rss_mb()
    assert after - idle < KEPT_MB, f"RSS {idle:.0f} MB idle -> {after:.0f} MB after"
    assert sampler.peak - idle < RSS_CEILING_MB, f"RSS {idle:.0f} MB idle, {sampler.peak:.0f} at peak"
    assert statuses == [200] * SESSIONS
    assert set(bypass) <= {0, 404, 413}, bypass  # 0: closed before the body was read


# -- CPU -------------------------------------------------------------------------------------

def test_a_reply_stays_fast_while_another_visitor_hammers_save(page):
    save = page.body("save", store=stored_chats())
    attacker, stop, answers = address(), threading.Event(), []

    def hammer(index):  # half as one visitor, half as a crowd with an address per call
        with httpx.Client(timeout=120) as client:
            while not stop.is_set():
                answers.append(page.predict(client, save, attacker if index % 2 else None)[0])

    async def replies(label: str) -> list[float]:
        """Seconds from Enter to each of three visitors' complete replies (inf: no reply)."""
        async with new_client() as client:
            target = await Target.load(client, page.url, APP.elem_id, APP.controls)
            visits = [await visit(target, f"{label} {i}") for i in range(3)]
        return [math.inf if v.failed else v.done - v.started for v in visits]

    calm = statistics.median(asyncio.run(replies("calm")))
    with ThreadPoolExecutor(16) as pool:
        hammering = [pool.submit(hammer, i) for i in range(16)]
        time.sleep(2)
        try:
            busy = asyncio.run(replies("busy"))
        finally:
            stop.set()
        for done in hammering:
            done.result()
    assert max(busy) < SLOWDOWN * calm, f"calm {calm:.2f} s, while hammered {busy}"
    assert 200 in answers and 429 in answers  # saves were served, up to the visitor's budget

"""The HTTP edge's budgets in-process, with a fake clock: what an address may post, when a
large body waits, which routes are never reached, one file per upload, and the bytes of
session state gradio may keep."""
import asyncio
import json

import gradio as gr
import pytest

from ui.protect.images import MAX_IMAGES
from ui.server.budget import Budget, RequestBudget
from ui.server.refused import RefusedRoutes, refused
from ui.server.sessions import SESSION_BYTES, BoundedSessions
from ui.server.uploads import MAX_FILES, UploadBudget, UploadGuard, parts


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Recorder:
    """An ASGI app that reads the whole body and answers 200; `hold` keeps it busy."""

    def __init__(self) -> None:
        self.bodies, self.running, self.most = [], 0, 0
        self.hold = asyncio.Event()
        self.hold.set()

    async def __call__(self, scope, receive, send) -> None:
        self.running += 1
        self.most = max(self.most, self.running)
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        await self.hold.wait()
        self.bodies.append(body)
        self.running -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def call(app, path="/gradio_api/run/predict", body=b"{}", who="10.0.0.1", method="POST",
         headers=()):
    """Status, headers and body of one request through `app`."""
    scope = {"type": "http", "method": method, "path": path, "client": (who, 5000),
             "headers": [(b"content-length", str(len(body)).encode()), *headers]}
    sent = []

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        sent.append(message)

    async def run():
        await app(scope, receive, send)

    return run(), sent


def answer(sent):
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], dict(start["headers"]), body


def run(app, **request):
    coroutine, sent = call(app, **request)
    asyncio.run(coroutine)
    return answer(sent)


def test_an_address_over_its_posts_waits_until_its_oldest_leaves_the_minute():
    clock = Clock()
    budget = RequestBudget(Recorder(), Budget(posts=3, refusal_delay_s=0), clock)
    for second in (0, 10, 20):
        clock.now = 1000.0 + second
        assert run(budget)[0] == 200
    clock.now = 1030.0
    status, headers, body = run(budget)
    assert (status, headers[b"retry-after"]) == (429, b"30")  # the first post leaves at 1060
    assert json.loads(body) == {"detail": "Too many requests from this address"}
    assert run(budget, who="10.0.0.2")[0] == 200  # another address has its own budget
    for host in ("2001:db8::1", "2001:db8::2", "2001:db8::3"):  # one /64: one visitor
        assert run(budget, who=host)[0] == 200
    assert run(budget, who="2001:db8::ffff")[0] == 429
    assert run(budget, method="GET")[0] == 200  # pages, assets and streams are not counted
    clock.now = 1060.0
    assert run(budget)[0] == 200


def test_an_address_over_its_bytes_is_refused_before_its_body_is_read():
    inner = Recorder()
    budget = RequestBudget(inner, Budget(body_bytes=1_000, heavy_bytes=10_000,
                                         refusal_delay_s=0), Clock())
    assert run(budget, body=b"x" * 900)[0] == 200
    assert run(budget, body=b"x" * 200)[0] == 429
    assert inner.bodies == [b"x" * 900]


def test_a_body_without_a_length_is_refused():
    budget = RequestBudget(Recorder(), Budget(refusal_delay_s=0), Clock())
    scope = {"type": "http", "method": "POST", "path": "/gradio_api/queue/join",
             "client": ("10.0.0.1", 1), "headers": [(b"transfer-encoding", b"chunked")]}
    sent = []

    async def send(message):
        sent.append(message)

    asyncio.run(budget(scope, None, send))
    assert answer(sent)[0] == 411


def test_large_bodies_are_served_one_at_a_time_and_a_long_wait_is_refused():
    async def scenario():
        inner = Recorder()
        inner.hold.clear()
        budget = RequestBudget(inner, Budget(heavy_bytes=100, heavy_at_once=1, heavy_wait_s=0.2),
                               Clock())
        first, first_sent = call(budget, body=b"a" * 100, who="10.0.0.1")
        second, second_sent = call(budget, body=b"b" * 100, who="10.0.0.2")
        small, small_sent = call(budget, body=b"c" * 99, who="10.0.0.3")
        tasks = [asyncio.create_task(c) for c in (first, second, small)]
        await asyncio.sleep(0.4)
        assert answer(second_sent)[0] == 503  # waited past heavy_wait_s
        assert inner.running == 2  # the first large one and the small one
        inner.hold.set()
        await asyncio.gather(*tasks)
        assert answer(first_sent)[0] == answer(small_sent)[0] == 200

    asyncio.run(scenario())


@pytest.mark.parametrize("method, path, refuse", [
    ("POST", "/gradio_api/run/predict", False),  # the page's quick steps
    ("POST", "/gradio_api/run/predict/", False),
    ("POST", "/gradio_api/queue/join", False),
    ("POST", "/gradio_api/upload", False),
    ("POST", "/gradio_api/run/upload", True),  # the same call, named to skip the body cap
    ("POST", "/gradio_api/run/respond", True),
    ("POST", "/gradio_api/api/predict", True),
    ("POST", "/mounted/gradio_api/run/save", True),
    ("POST", "/gradio_api/process_recording", True),
    ("POST", "/gradio_api/stream/abc", True),
    ("POST", "/gradio_api/component_server/", True),
    ("GET", "/gradio_api/run/upload", False),
])
def test_only_the_routes_the_page_posts_to_are_reached(method, path, refuse):
    assert refused(method, path) is refuse
    status = run(RefusedRoutes(Recorder()), path=path, method=method)[0]
    assert status == (404 if refuse else 200)


FORM = (b'--XyZ\r\nContent-Disposition: form-data; name="files"; filename="a.json"\r\n\r\n{}\r\n'
        b'--XyZ\r\nContent-Disposition: form-data; name="files"; filename="b.json"\r\n\r\n{}\r\n'
        b"--XyZ--\r\n")
ONE = FORM[:FORM.index(b"--XyZ\r\n", 5)] + b"--XyZ--\r\n"
FORM_TYPE = [(b"content-type", b"multipart/form-data; boundary=XyZ")]


def form(files: int) -> bytes:
    part = b'--XyZ\r\nContent-Disposition: form-data; name="files"; filename="a.png"\r\n\r\n{}\r\n'
    return part * files + b"--XyZ--\r\n"


def test_an_upload_holds_at_most_a_messages_images_and_reaches_gradio_whole():
    assert (parts(FORM_TYPE[0][1], FORM), parts(FORM_TYPE[0][1], ONE)) == (2, 1)
    assert parts(b'multipart/form-data; boundary="XyZ"', ONE) == 1
    assert MAX_FILES == MAX_IMAGES  # a message's images picked in one dialog pass
    inner = Recorder()
    guard = UploadGuard(inner, UploadBudget(refusal_delay_s=0), Clock())
    status, _, body = run(guard, path="/gradio_api/upload", body=form(MAX_FILES + 1), headers=FORM_TYPE)
    assert (status, body) == (413, b'{"detail": "At most 4 files per upload"}')
    assert run(guard, path="/gradio_api/upload", body=ONE, headers=FORM_TYPE)[0] == 200
    assert run(guard, path="/gradio_api/upload", body=form(MAX_FILES), headers=FORM_TYPE)[0] == 200
    assert inner.bodies == [ONE, form(MAX_FILES)]


def test_uploads_past_an_address_or_the_whole_budget_wait_for_the_sweep():
    clock = Clock()
    guard = UploadGuard(Recorder(), UploadBudget(address_bytes=2 * len(ONE),
                                                 all_bytes=3 * len(ONE), refusal_delay_s=0),
                        clock)
    upload = {"path": "/gradio_api/upload", "body": ONE, "headers": FORM_TYPE}
    assert [run(guard, **upload)[0] for _ in range(3)] == [200, 200, 429]
    status, headers, _ = run(guard, who="10.0.0.2", **upload)
    assert status == 200
    status, headers, _ = run(guard, who="10.0.0.3", **upload)
    assert (status, headers[b"retry-after"]) == (503, b"180")  # when the first is swept
    clock.now += 180
    assert run(guard, **upload)[0] == 200


def test_sessions_past_the_byte_budget_go_least_recently_used_first():
    with gr.Blocks() as demo:
        kept = gr.State({})
        box = gr.Textbox()
    holder = BoundedSessions(max_bytes=3 * SESSION_BYTES + 3_100_000)
    holder.set_blocks(demo)
    for name in ("a", "b", "c"):
        holder[name][kept._id] = {"answer": "r" * 1_000_000}  # ~1 MB of raw replies each
    assert list(holder.session_data) == ["a", "b", "c"]
    holder["a"][box._id] = box  # a: used again
    holder["d"][kept._id] = {"answer": "r" * 1_000_000}
    holder["d"]  # the next request finds the store over its budget
    assert list(holder.session_data) == ["c", "a", "d"]  # b, least recently used, went
    assert holder.bytes <= holder.max_bytes
    holder["a"]._update_value_in_config(box._id, "v" * 1_000_000)
    assert holder["a"].config_values == {}  # no session keeps a copy of the inputs

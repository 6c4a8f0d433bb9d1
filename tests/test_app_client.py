"""The app in-process, driven through gradio_client against the backend's emulator."""
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from gradio_client import Client

import app
from minimax_backend import Settings
from ui.chat.service import ChatService

# ... then the visitor's own key and GroupId (empty: the server's key or the offline emulator)
CONTROLS = ["v2", "cn", "MiniMax-M2.7", "You are a pirate.", 0.7, 0.9, 4096, "MM智能助理", "用户", "adaptive", "", ""]


class TrackingService(ChatService):
    """The real service, noting when each upstream stream has ended (its generator closed)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.closed_at: list[float] = []

    def stream(self, request, region, cancel):
        try:
            yield from super().stream(request, region, cancel)
        finally:
            self.closed_at.append(time.monotonic())


@pytest.fixture(scope="module")
def served(emulator):
    # max_retries=0: a one-shot fault must reach the page, not be retried away.
    service = TrackingService(Settings(max_retries=0), emulator_factory=lambda: emulator)
    demo = app.build_demo(service)
    options = {k: v for k, v in app.launch_options().items() if k != "share"}
    _, url, _ = demo.launch(prevent_thread_lock=True, quiet=True, show_error=True,
                            server_name="127.0.0.1", **options)
    try:
        yield service, Client(url, verbose=False)
    finally:
        demo.close()


@pytest.fixture(autouse=True)
def no_leftover_faults(emulator):
    emulator.clear_faults()


def ask(client, text, controls=CONTROLS):
    return client.submit([{"role": "user", "content": [{"type": "text", "text": text}]}],
                         *controls, api_name="/respond")


def texts(history):
    return [item["content"][0]["text"] for item in history]


def test_a_reply_streams_in_a_few_coalesced_updates(served, emulator):
    _, client = served
    emulator.push_fault("chunks=400")
    job = ask(client, "hello")
    updates = list(job)
    final = job.result()
    assert len(updates) > 1, "the reply did not stream"
    assert len(updates) < 100, f"{len(updates)} updates for 400 chunks: not coalesced"
    thought, _answer, note = final[1:]
    assert thought["metadata"]["status"] == "done" and "我是模拟器" in texts([thought])[0]
    assert "<think>" not in texts(final[1:3])[0] + texts(final[1:3])[1]
    assert "400 tokens" in texts([note])[0]
    sent = emulator.requests[-1].body
    assert sent["model"] == "MiniMax-M2.7" and sent["temperature"] == 0.7 and sent["top_p"] == 0.9
    assert sent["max_tokens"] == 4096 and sent["messages"][0] == {"role": "system",
                                                                 "content": "You are a pirate."}


def test_the_next_turn_sends_the_raw_reply_back_and_nothing_shown_only(served, emulator):
    _, client = served
    first = ask(client, "hello").result()
    follow_up = first + [{"role": "user", "content": [{"type": "text", "text": "and then?"}]}]
    client.submit(follow_up, *CONTROLS, api_name="/respond").result()
    sent = emulator.requests[-1].body["messages"]
    assert [m["role"] for m in sent] == ["system", "user", "assistant", "user"]
    assistant, answer = sent[2]["content"], texts(first)[2]
    assert assistant.startswith("<think>") and "</think>" in assistant  # as MiniMax asks
    assert assistant.endswith(answer)  # and not the usage note shown under it
    assert "mm-note" not in assistant and "首字" not in assistant


def test_m1_reasoning_content_is_a_thought_block_and_not_sent_back(served, emulator):
    _, client = served
    m1 = ["v2", "cn", "MiniMax-M1", "", 1.0, 0.95, 8192, "MM智能助理", "用户", "adaptive", "", ""]
    first = ask(client, "hello", m1).result()
    thought = first[1]
    assert thought["metadata"]["title"] == "💭 思考过程" and "我是模拟器" in texts([thought])[0]
    follow_up = first + [{"role": "user", "content": [{"type": "text", "text": "ok"}]}]
    client.submit(follow_up, *m1, api_name="/respond").result()
    assistant = emulator.requests[-1].body["messages"][1]["content"]
    assert assistant.startswith("你好！这是 MiniMax 模拟器") and "我是模拟器" not in assistant


@pytest.mark.parametrize("api", ["v2", "openai", "anthropic"])
def test_m3_thinks_in_one_fold_from_every_dialect_and_not_at_all_when_off(served, emulator, api):
    _, client = served
    m3 = [api, "cn", "MiniMax-M3", "", 1.0, 0.95, 2048, "MM智能助理", "用户", "adaptive", "", ""]
    thought, answer, _note = ask(client, "hello", m3).result()[1:]
    assert thought["metadata"]["title"] == "💭 思考过程" and "我是模拟器" in texts([thought])[0]
    assert texts([answer])[0].startswith("你好！这是 MiniMax 模拟器") and "<think>" not in texts([answer])[0]
    off = m3[:9] + ["off", "", ""]
    final = ask(client, "hello", off).result()
    assert [item.get("metadata") or {} for item in final[1:]] == [{}, {}]  # answer and note only
    assert texts(final[1:2])[0].startswith("你好！这是 MiniMax 模拟器")
    sent = emulator.requests[-1].body
    assert sent["thinking"] == {"type": "disabled"}


def test_a_business_error_is_explained_with_code_and_trace_id(served, emulator):
    _, client = served
    emulator.push_fault("error=1008")
    final = ask(client, "hello").result()
    assert len(final) == 2
    note = texts(final)[1]
    assert "账户余额不足" in note and "MiniMax 1008" in note and "Trace-Id" in note


def test_an_error_mid_reply_keeps_the_partial_text(served, emulator):
    _, client = served
    emulator.push_fault("error=1027;after=40")
    final = ask(client, "hello").result()
    answer, note = texts(final)[-2:]
    assert answer.startswith("你好！这是 MiniMax 模拟器")
    assert "回复内容被 MiniMax 安全审核拦截" in note and "MiniMax 1027" in note


def test_a_gateway_html_page_becomes_a_short_message(served, emulator):
    _, client = served
    emulator.push_fault("http=502;html")
    note = texts(ask(client, "hello").result())[-1]
    assert "MiniMax 服务出现问题" in note and "HTTP 502" in note
    assert "<html" not in note.lower() and "<body" not in note.lower()


def test_a_soft_block_is_shown_as_filtered(served, emulator):
    _, client = served
    emulator.push_fault("soft_block=input")
    note = texts(ask(client, "hello").result())[-1]
    assert "安全审核过滤" in note


def test_cancelling_closes_a_silent_upstream_within_a_second(served, emulator):
    service, client = served
    emulator.push_fault("stall_after=20;stall=60")
    before = len(service.closed_at)
    job = ask(client, "tell me a long story")
    deadline = time.monotonic() + 10
    while not job.outputs() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert job.outputs(), "no streamed output before the stall"
    time.sleep(0.3)  # the upstream is now silent
    cancelled = time.monotonic()
    job.cancel()
    while len(service.closed_at) == before and time.monotonic() < cancelled + 5:
        time.sleep(0.02)
    assert len(service.closed_at) > before, "the upstream stream was never closed"
    assert service.closed_at[-1] - cancelled < 1.0


def test_visitors_are_served_at_the_same_time(served, emulator):
    _, client = served
    slow = ["v2", "cn", "abab6.5s-chat", "", 0.1, 0.95, 2048, "MM智能助理", "用户", "adaptive", "", ""]
    visitors = [Client(client.src, verbose=False) for _ in range(4)]  # one session each

    def one(visitor=client):
        emulator.push_fault("chunks=60;interval_ms=15")  # about a second of streaming
        start = time.monotonic()
        final = ask(visitor, "hi", slow).result()
        assert "60 tokens" in texts(final)[-1]  # the whole reply, not cut short
        return time.monotonic() - start

    alone = one()
    start = time.monotonic()
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(one, visitors))
    together = time.monotonic() - start
    # One at a time (gradio's default limit) would take about four times as long.
    assert together < 2 * alone, (together, alone)


def test_importing_the_app_starts_nothing():
    code = ("import threading, app; names = [t.name for t in threading.enumerate()];"
            "assert not any('emulator' in n for n in names), names; print('ok')")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MINIMAX_")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         cwd=os.path.dirname(app.__file__), timeout=60)
    assert out.stdout.strip() == "ok", out.stderr[-2000:]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def run_app():
    """Start `python app.py` with extra environment; yields its URL once it serves."""
    procs = []

    def start(cwd=None, **env):
        port = free_port()
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("MINIMAX_")},
               "GRADIO_SERVER_NAME": "127.0.0.1", "GRADIO_SERVER_PORT": str(port),
               "MINIMAX_API_KEY": "", **env}  # set, even empty: a developer's .env must not win
        proc = subprocess.Popen([sys.executable, "app.py"], cwd=cwd or os.path.dirname(app.__file__),
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        procs.append(proc)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert proc.poll() is None, proc.stdout.read()[-3000:]
            try:
                if requests.get(url, timeout=1).status_code == 200:
                    return url
            except requests.ConnectionError:
                time.sleep(0.2)
        pytest.fail("python app.py did not start serving")

    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(10)


def test_python_app_py_without_a_key_answers_from_the_offline_emulator(run_app):
    url = run_app()
    reply = texts(ask(Client(url, verbose=False), "你好").result())
    assert "这是 MiniMax 模拟器的离线演示回复" in reply[-2]


def test_a_dotenv_file_beside_app_py_sets_the_browser_stores_secret(run_app, tmp_path):
    root = os.path.dirname(app.__file__)
    for name in ("app.py", "ui", "minimax_backend"):  # a checkout of the app with its own .env
        (tmp_path / name).symlink_to(os.path.join(root, name))
    (tmp_path / ".env").write_text("APP_STORAGE_SECRET=from-dotenv\n")
    url = run_app(cwd=str(tmp_path))
    config = requests.get(url + "/config", timeout=10).json()
    secrets = [c["props"].get("secret") for c in config["components"] if c.get("type") == "browserstate"]
    assert secrets == ["from-dotenv"] * 2, secrets  # the personas' store, then the chats'


def test_python_app_py_with_a_key_talks_to_minimax_and_never_shows_the_key(run_app, emulator):
    url = run_app(MINIMAX_API_KEY="sk-test-secret-123", MINIMAX_BASE_URL=emulator.url)
    for path in ("/", "/config", "/gradio_api/info"):
        assert "sk-test-secret-123" not in requests.get(url + path, timeout=10).text
    reply = texts(ask(Client(url, verbose=False), "hi").result())
    assert "系统提示 / system prompt: You are a pirate." in reply[-2]
    assert emulator.requests[-1].api_key == "sk-test-secret-123"

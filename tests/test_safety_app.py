"""What a host gets when sharing the app: the queue cannot be bypassed, uploads and bodies are
capped, a CSP is sent, a login can be required, and limits reach the page as a note."""
import os
import subprocess
import sys

import pytest
import requests
from gradio_client import Client

import app
from minimax_backend import Settings
from ui.chat.service import ChatService
from ui.protect.guard import Guard, GuardConfig

CONTROLS = ["v2", "cn", "MiniMax-M2.7", "", 0.7, 0.9, 512, "MM智能助理", "用户", "adaptive", "", ""]


def launch(emulator, guard=None, **extra):
    service = ChatService(Settings(max_retries=0), emulator_factory=lambda: emulator)
    demo = app.build_demo(service, guard=guard)
    options = {k: v for k, v in app.launch_options().items() if k != "share"}
    _, url, _ = demo.launch(prevent_thread_lock=True, quiet=True, show_error=True,
                            server_name="127.0.0.1", **{**options, **extra})
    return demo, url.rstrip("/")


@pytest.fixture(scope="module")
def served(emulator):
    demo, url = launch(emulator, Guard(GuardConfig(demo_messages_per_minute=2)))  # offline
    yield url
    demo.close()


def ask(client, text="hello"):
    return client.submit([{"role": "user", "content": [{"type": "text", "text": text}]}],
                         *CONTROLS, api_name="/respond").result()


def test_launch_options_keep_ssr_and_run_history_off_and_cap_uploads():
    options = app.launch_options()
    assert options["ssr_mode"] is False and options["run_history"] is False
    assert options["max_file_size"] == "5mb" and options["auth"] is None  # an image (issue 12)
    assert options["state_session_capacity"] == 1000  # gradio's own default keeps 10,000
    assert app.demo.delete_cache == (60, 120)  # uploaded imports go within three minutes


def test_the_queue_cannot_be_bypassed(served):
    response = requests.post(served + "/gradio_api/run/respond", json={"data": []}, timeout=10)
    assert response.status_code == 404 and "join the queue" in response.text
    config = requests.get(served + "/config", timeout=10).json()
    assert config["enable_queue"] is not False
    assert all(dep.get("queue") is not None for dep in config["dependencies"])


def test_uploads_and_request_bodies_are_capped(served):
    photo = requests.post(served + "/gradio_api/upload",
                          files={"files": ("p.jpg", b"\xff\xd8\xff" + b"x" * 4_900_000)}, timeout=30)
    assert photo.status_code == 200  # an image up to the limit gets through the edge
    big = requests.post(served + "/gradio_api/upload", files={"files": ("a.bin", b"x" * 5_300_000)},
                        timeout=30)
    assert big.status_code == 413
    body = requests.post(served + "/gradio_api/queue/join", data=b"[" * 8_100_000,
                         headers={"content-type": "application/json"}, timeout=30)
    assert body.status_code == 413


def test_every_page_forbids_remote_images_media_and_frames(served):
    for path in ("/", "/config"):
        policy = requests.get(served + path, timeout=10).headers["content-security-policy"]
        assert "img-src 'self' data: blob:" in policy and "media-src 'self'" in policy
        assert "frame-src 'self'" in policy and policy.endswith("; frame-ancestors 'self'")


def test_over_the_limit_the_page_shows_when_to_retry_and_keeps_the_chat(served):
    visitor = Client(served, verbose=False, headers={"Accept-Language": "en-US"})
    assert "offline demo reply" in ask(visitor)[-2]["content"][0]["text"]
    ask(visitor)
    limited = ask(visitor, "third")
    assert limited[0]["content"][0]["text"] == "third"  # the message stays in the chat
    note = limited[-1]["content"][0]["text"]
    assert "Too many messages (at most 2 per minute per visitor). Try again in" in note


def test_the_server_keeps_a_bounded_number_of_sessions_and_a_dropped_one_still_chats(emulator):
    demo, url = launch(emulator, Guard(GuardConfig(demo_messages_per_minute=0)),
                       state_session_capacity=3)
    try:
        visitors = [Client(url, verbose=False) for _ in range(5)]
        for visitor in visitors:
            ask(visitor)
        assert len(demo.state_holder.session_data) == 3  # the two oldest were dropped
        again = ask(visitors[0], "back again")
        assert again[0]["content"][0]["text"] == "back again"
        assert "这是 MiniMax 模拟器的离线演示回复" in again[-2]["content"][0]["text"]
    finally:
        demo.close()


def test_a_login_guards_every_route_and_the_chat_works_after_it(emulator):
    demo, url = launch(emulator, auth=[("ann", "s3cret")])
    try:
        for path in ("/config", "/gradio_api/info"):
            assert requests.get(url + path, timeout=10).status_code == 401
        join = requests.post(url + "/gradio_api/queue/join", timeout=10,
                             json={"data": [], "fn_index": 0, "session_hash": "x"})
        assert join.status_code == 401
        session = requests.Session()
        assert session.post(url + "/login", data={"username": "ann", "password": "nope"},
                            timeout=10).status_code == 400
        assert session.post(url + "/login", data={"username": "ann", "password": "s3cret"},
                            timeout=10).json() == {"success": True}
        assert session.get(url + "/config", timeout=10).status_code == 200
        reply = ask(Client(url, auth=("ann", "s3cret"), verbose=False))
        assert "这是 MiniMax 模拟器的离线演示回复" in reply[-2]["content"][0]["text"]
    finally:
        demo.close()


@pytest.mark.parametrize("name, value", [("APP_MAX_MESSAGES_PER_MINUTE", "lots"),
                                         ("APP_MAX_SESSIONS", "0"),
                                         ("APP_AUTH", "no-password"),
                                         ("APP_ACCOUNT_WINDOW_SECONDS", "0"),
                                         ("APP_TRUST_PROXY", "proxy.example")])
def test_python_app_py_refuses_a_bad_setting_naming_it(name, value):
    env = {**os.environ, name: value, "MINIMAX_API_KEY": ""}
    out = subprocess.run([sys.executable, "app.py"], cwd=os.path.dirname(app.__file__), env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and name in out.stderr, out.stderr[-2000:]


def test_gradios_monitoring_page_is_off_and_its_summary_is_not_rebuilt_per_event(emulator):
    demo, url = launch(emulator)
    try:
        for path in ("/monitoring", "/monitoring/summary"):  # gradio serves both by default
            response = requests.get(url + path, timeout=10)
            assert response.status_code == 403 and "Monitoring is not enabled" in response.text
        visitor = Client(url, verbose=False)
        for text in ("one", "two", "three"):
            assert "offline demo reply" in ask(visitor, text)[-2]["content"][0]["text"]
        queue = demo._queue
        assert queue.events_recorded >= 3  # the replies went through the queue ...
        assert queue.event_count_at_last_cache == 0  # ... and no pandas summary was built
        assert len(queue.event_analytics) <= 1
    finally:
        demo.close()

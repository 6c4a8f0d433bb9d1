"""Every upstream fault through the whole app (gradio_client against an in-process app and the
emulator): a clear English or Chinese message with the code, the history and any partial reply
kept, the next message answered, and other visitors' replies untouched.
(tests/test_app_client.py covers a few of these in Chinese, with the trace id.)"""
import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from gradio_client import Client

import app
from minimax_backend import Settings
from minimax_backend.errors import CODES, error_for_code
from ui.chat.service import ChatService
from ui.text.advice import advice
from ui.text.strings import EN

# A model without thinking, so a partial reply is plain answer text.
CONTROLS = ["v2", "cn", "abab6.5s-chat", "", 0.1, 0.95, 2048, "MM智能助理", "用户", "adaptive", "", ""]
START = "你好！这是 MiniMax 模拟器"


@pytest.fixture(scope="module")
def url(emulator):
    # A short read timeout, so a silent upstream fails within the test.
    service = ChatService(Settings(max_retries=0, read_timeout=1.0), emulator_factory=lambda: emulator)
    demo = app.build_demo(service)
    options = {k: v for k, v in app.launch_options().items() if k != "share"}
    _, address, _ = demo.launch(prevent_thread_lock=True, quiet=True, show_error=True,
                                server_name="127.0.0.1", **options)
    yield address
    demo.close()


@pytest.fixture(autouse=True)
def no_leftover_faults(emulator):
    emulator.clear_faults()


def block(role, text):
    return {"role": role, "content": [{"type": "text", "text": text}]}


def submit(client, history):
    return client.submit(history, *CONTROLS, api_name="/respond")


def texts(history):
    return [item["content"][0]["text"] for item in history]


def note_text(history):
    """The visible text of the note under the reply (our own <div> wrapper removed)."""
    raw = texts(history)[-1]
    assert raw.startswith('<div class="mm-note'), raw
    return re.sub(r"<br>", "\n", re.sub(r"^<div[^>]*>|</div>$", "", raw))


def expect(code):
    return advice(error_for_code(code, "upstream says no"), EN)


FAULTS = (
    [pytest.param(f"error={code}", expect(code), f"MiniMax {code}", False, id=f"error={code}")
     for code in sorted(CODES)]
    + [pytest.param("error=1027;after=12", expect(1027), "MiniMax 1027", True, id="error-mid-stream"),
       pytest.param("http=429;retry_after=2", "Too many requests", "HTTP 429", False, id="http=429"),
       pytest.param("http=503", "MiniMax's service had a problem", "HTTP 503", False, id="http=503"),
       pytest.param("http=502;html", "MiniMax's service had a problem", "HTTP 502", False,
                    id="http=502-html"),
       pytest.param("drop_after=3", "the connection dropped", "", True, id="drop_after=3"),
       pytest.param("stall_after=2;stall=30", "took too long", "", True, id="stall_after=2"),
       pytest.param("stall_before_headers=30", "took too long", "", False, id="silent-before-headers"),
       pytest.param("malformed_after=2", "could not be read", "", True, id="malformed_after=2")])


@pytest.mark.parametrize("fault, advice, reference, partial", FAULTS)
def test_a_fault_is_explained_keeps_the_chat_and_the_next_message_works(url, emulator, fault, advice,
                                                                         reference, partial):
    client = Client(url, verbose=False, headers={"Accept-Language": "en-US"})
    earlier = [block("user", "first"), block("assistant", "an earlier answer")]
    emulator.push_fault(fault)
    final = submit(client, earlier + [block("user", "second")]).result()
    assert texts(final)[:3] == ["first", "an earlier answer", "second"]  # the history is kept
    note = note_text(final)
    assert advice in note and reference in note, note
    assert not re.search(r"<(html|body|head|title|script)", note, re.I)
    assert "Traceback" not in note and "Exception" not in note
    if partial:  # the text received before the fault stays, as a reply
        answer = texts(final)[3]
        assert len(final) == 5 and START.startswith(answer[:6]) and answer, final
    else:
        assert len(final) == 4
    # The next message is answered normally.
    follow_up = submit(client, final + [block("user", "third")]).result()
    assert texts(follow_up)[-2].startswith(START)
    assert "tokens" in note_text(follow_up)


def test_a_character_split_across_network_reads_arrives_whole(url, emulator):
    client = Client(url, verbose=False)
    clean = submit(client, [block("user", "你好，世界")]).result()
    emulator.push_fault("utf8_split")
    split = submit(client, [block("user", "你好，世界")]).result()
    assert texts(split)[1] == texts(clean)[1] and "\ufffd" not in texts(split)[1]


def test_one_visitors_failure_leaves_another_visitors_reply_alone(url, emulator):
    # One client (session) each: a new reply in a session cancels that session's earlier one.
    steady, *failing = (Client(url, verbose=False) for _ in range(3))
    emulator.push_fault("chunks=150;interval_ms=8")  # about 1.2 s of streaming
    long_job = submit(steady, [block("user", "a long one")])
    deadline = time.monotonic() + 10
    while not long_job.outputs() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert long_job.outputs(), "the long reply never started"
    with ThreadPoolExecutor(2) as pool:
        faults = ["drop_after=3", "error=1002"]
        for fault in faults:
            emulator.push_fault(fault)
        broken = list(pool.map(lambda client: submit(client, [block("user", "x")]).result(), failing))
    for final in broken:
        assert "mm-error" in texts(final)[-1]
    final = long_job.result()
    assert "150 tokens" in note_text(final) and "mm-error" not in texts(final)[-1]

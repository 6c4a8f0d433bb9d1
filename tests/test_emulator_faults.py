"""Fault injection: the emulator misbehaves exactly as the directives say, and only then."""
from __future__ import annotations

import json
import socket
import time

import pytest
import requests

from minimax_backend.emulator import (
    STATUS_MESSAGES,
    Emulator,
    EmulatorConfig,
    FaultSyntaxError,
)
from minimax_backend.errors import CODES

KEY = "test-key"
V2, PRO = "/v1/text/chatcompletion_v2", "/v1/text/chatcompletion_pro"
AUTH = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
ASK = {"model": "abab6.5s-chat", "messages": [{"role": "user", "content": "你好"}], "max_tokens": 1024}
PRO_ASK = {"model": "abab6.5s-chat", "bot_setting": [{"bot_name": "MM", "content": "助手"}],
           "messages": [{"sender_type": "USER", "sender_name": "小明", "text": "你好"}],
           "reply_constraints": {"sender_type": "BOT", "sender_name": "MM"}}


@pytest.fixture(scope="module")
def emu():
    with Emulator(EmulatorConfig(interval_ms=0)) as emulator:
        yield emulator


def post(emu, faults="", body=ASK, path=V2, stream=False, **kwargs):
    headers = {**AUTH, "X-MiniMax-Emulator": faults} if faults else AUTH
    kwargs.setdefault("timeout", 10)
    return requests.post(emu.url + path, params={"GroupId": "1"} if path == PRO else None,
                         headers=headers, json={**body, "stream": stream}, **kwargs)


def data_lines(raw: bytes) -> list[str]:
    """The data: fields of an SSE byte stream, any line ending."""
    text = raw.decode("utf-8").replace("\r\n", "\n")
    return [line[6:] for line in text.split("\n") if line.startswith("data: ")]


def events(raw: bytes) -> list:
    return [json.loads(d) for d in data_lines(raw)]


def reference_text(emu) -> str:
    return post(emu).json()["choices"][0]["message"]["content"]


@pytest.mark.parametrize("code", sorted(CODES))
@pytest.mark.parametrize("where", ["body", "stream"])
def test_every_known_error_code(emu, code, where):
    r = post(emu, f"error={code}", stream=where == "stream")
    assert r.status_code == 200
    if where == "stream":
        assert r.headers["Content-Type"] == "text/event-stream"
        [body] = events(r.content)
    else:
        assert r.headers["Content-Type"].startswith("application/json")
        body = r.json()
    assert body["base_resp"] == {"status_code": code, "status_msg": STATUS_MESSAGES[code]}
    assert body["choices"] is None and body["id"] == r.headers["Trace-Id"]
    assert body["usage"]["total_tokens"] == 0


def test_error_in_a_body_for_a_stream_request_and_minimal_bodies(emu):
    r = post(emu, "error=1008;where=body;minimal", stream=True)
    assert r.headers["Content-Type"].startswith("application/json")
    assert r.json() == {"base_resp": {"status_code": 1008, "status_msg": "insufficient balance"}}
    pro = post(emu, "error=1039", body=PRO_ASK, path=PRO).json()
    assert pro["reply"] == "" and pro["choices"] is None and pro["base_resp"]["status_code"] == 1039


def test_error_after_partial_output(emu):
    evs = events(post(emu, "error=1027;after=3", stream=True).content)
    assert len(evs) == 4
    text = "".join(ev["choices"][0]["delta"]["content"] for ev in evs[:3])
    assert text == reference_text(emu)[:12]
    assert evs[3]["choices"] is None and evs[3]["base_resp"]["status_code"] == 1027
    pro = events(post(emu, "error=1001;after=2", body=PRO_ASK, path=PRO, stream=True).content)
    assert [ev["reply"] for ev in pro[:2]] == ["", ""] and pro[2]["base_resp"]["status_code"] == 1001


def test_http_429_with_retry_after(emu):
    r = post(emu, "http=429;retry_after=7", stream=True)
    assert r.status_code == 429 and r.headers["Retry-After"] == "7"
    assert r.json() == {"error": {"code": 429, "message": "Too Many Requests (MiniMax emulator)"}}
    coded = post(emu, "http=500;error=1000")
    assert coded.status_code == 500 and coded.json()["base_resp"]["status_code"] == 1000
    plain = post(emu, "http=503;text")
    assert plain.text == "503 Service Unavailable\n"
    assert plain.headers["Content-Type"].startswith("text/plain")


def test_echo_auth_repeats_the_requests_key_in_the_error_and_the_trace_id(emu):
    key = AUTH["Authorization"].removeprefix("Bearer ")
    coded = post(emu, "error=1999;echo_auth=20")
    message = coded.json()["base_resp"]["status_msg"]
    assert len(message) == 20 + len(key) and message.endswith(key)
    assert coded.headers["Trace-Id"] == key
    plain = post(emu, "http=502;echo_auth=5", stream=True)
    assert plain.status_code == 502 and plain.text == "The g" + key


def test_http_502_gateway_html_page(emu):
    r = post(emu, "http=502;html", stream=True)
    assert r.status_code == 502 and r.headers["Content-Type"] == "text/html"
    assert r.text.startswith("<html>\r\n<head><title>502 Bad Gateway</title></head>")
    assert len(r.headers["Trace-Id"]) == 32


def test_drop_mid_stream_is_an_incomplete_read(emu):
    r = requests.post(emu.url + V2, headers={**AUTH, "X-MiniMax-Emulator": "drop_after=3"},
                      json={**ASK, "stream": True}, stream=True, timeout=10)
    received = b""
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        for piece in r.iter_content(None):
            received += piece
    assert len(events(received)) == 3
    with pytest.raises(requests.exceptions.ChunkedEncodingError):  # non-stream: half a body
        requests.post(emu.url + V2, headers={**AUTH, "X-MiniMax-Emulator": "drop_after=1"},
                      json=ASK, timeout=10)


def test_stall_after_some_chunks(emu):
    start = time.monotonic()
    r = post(emu, "stall_after=2;stall=0.4", stream=True)
    assert time.monotonic() - start >= 0.4
    assert events(r.content)[-1]["choices"][0]["message"]["content"] == reference_text(emu)
    r = requests.post(emu.url + V2, headers={**AUTH, "X-MiniMax-Emulator": "stall_after=2"},
                      json={**ASK, "stream": True}, stream=True, timeout=(5, 0.3))
    received = b""
    with pytest.raises(requests.exceptions.ConnectionError):  # requests' read timeout mid-body
        for piece in r.iter_content(None):
            received += piece
    assert len(events(received)) == 2
    r.close()


def test_stall_before_headers(emu):
    with pytest.raises(requests.exceptions.ReadTimeout):
        post(emu, "stall_before_headers=5", timeout=(5, 0.3))
    start = time.monotonic()
    assert post(emu, "stall_before_headers=0.3").status_code == 200
    assert time.monotonic() - start >= 0.3


def raw_reads(emu, faults: str) -> list[bytes]:
    """What a plain socket receives, read by read, for a streamed v2 request."""
    body = json.dumps({**ASK, "stream": True}).encode()
    head = (f"POST {V2} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nX-MiniMax-Emulator: {faults}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    reads = []
    with socket.create_connection(("127.0.0.1", emu.port), timeout=10) as sock:
        sock.sendall(head + body)
        while piece := sock.recv(65536):
            reads.append(piece)
    return reads


def test_utf8_split_cuts_characters_across_reads(emu):
    reads = raw_reads(emu, "utf8_split;interval_ms=5;chunks=30")
    broken = 0
    for piece in reads[1:]:
        try:
            piece.decode("utf-8")
        except UnicodeDecodeError:
            broken += 1
    assert broken >= 10  # most events arrive with a character cut in two
    r = requests.post(emu.url + V2, headers={**AUTH, "X-MiniMax-Emulator": "utf8_split;chunks=40"},
                      json={**ASK, "stream": True}, stream=True, timeout=10)
    pieces = list(r.iter_content(None))
    assert sum(map(_undecodable, pieces)) >= 20  # every event with a multi-byte character
    whole = post(emu, "chunks=40").json()["choices"][0]["message"]["content"]
    assert events(b"".join(pieces))[-1]["choices"][0]["message"]["content"] == whole


def _undecodable(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def test_crlf_line_ends_split_inside_the_pairs(emu):
    r = requests.post(emu.url + V2, headers={**AUTH, "X-MiniMax-Emulator": "crlf;chunks=20"},
                      json={**ASK, "stream": True}, stream=True, timeout=10)
    pieces = list(r.iter_content(None))
    raw = b"".join(pieces)
    assert raw.startswith(b"data: {") and raw.endswith(b"}\r\n\r\n") and b"\n\n" not in raw
    assert raw.count(b"\r\n\r\n") == 21 == pieces.count(b"\n\r") == pieces.count(b"\n")
    assert sum(p.startswith(b"data: {") and p.endswith(b"}\r") for p in pieces) == 21
    whole = post(emu, "chunks=20").json()["choices"][0]["message"]["content"]
    assert events(raw)[-1]["choices"][0]["message"]["content"] == whole


def test_done_comments_and_malformed(emu):
    raw = post(emu, "done;comments", stream=True).content.decode()
    assert raw.endswith("data: [DONE]\n\n") and raw.count(": ping\n\n") == raw.count("data: ") - 2
    lines = data_lines(post(emu, "malformed_after=2", stream=True).content)
    assert lines[2] == "{not json" and json.loads(lines[3])["object"] == "chat.completion.chunk"


def test_soft_blocks(emu):
    blocked_in = post(emu, "soft_block=input").json()
    assert blocked_in["base_resp"]["status_code"] == 0 and blocked_in["input_sensitive"] is True
    assert blocked_in["input_sensitive_type"] == 1 and blocked_in["choices"][0]["message"]["content"] == ""
    evs = events(post(emu, "soft_block=output", stream=True).content)
    assert evs[-1]["output_sensitive"] is True and evs[-1]["output_sensitive_type"] == 1
    text = evs[-1]["choices"][0]["message"]["content"]
    assert text and reference_text(emu).startswith(text) and text != reference_text(emu)


def test_role_empty_chunks_and_chunk_size(emu):
    evs = events(post(emu, "role_empty;chunks=50;chunk_chars=10", stream=True).content)
    assert len(evs) == 51 and all(ev["choices"][0]["delta"]["role"] == "" for ev in evs[:-1])
    assert all(len(ev["choices"][0]["delta"]["content"]) == 10 for ev in evs[1:-2])
    assert evs[-1]["usage"]["completion_tokens"] == 50


def test_interval_paces_the_stream(emu):
    start = time.monotonic()
    post(emu, "interval_ms=30;chunks=11", stream=True)
    assert time.monotonic() - start >= 0.3


def test_times_lets_the_retry_succeed(emu):
    codes = [post(emu, "error=1002;times=2;key=t1").json()["base_resp"]["status_code"] for _ in range(3)]
    assert codes == [1002, 1002, 0]
    assert post(emu, "error=1002;times=1;key=t2").json()["base_resp"]["status_code"] == 1002


def test_one_shot_queue(emu):
    emu.push_fault("error=1041")
    assert post(emu).json()["base_resp"]["status_code"] == 1041
    assert post(emu).json()["base_resp"]["status_code"] == 0
    r = requests.post(emu.url + "/_emulator/faults", json={"fault": "error=2056"}, timeout=10)
    assert r.json() == {"queued": "error=2056"}
    assert post(emu, body=PRO_ASK, path=PRO).json()["base_resp"]["status_code"] == 2056
    assert post(emu).json()["base_resp"]["status_code"] == 0


def test_bad_directives_are_refused(emu):
    r = post(emu, "eror=1008")
    assert r.status_code == 400 and "unknown emulator directive 'eror'" in r.text
    assert post(emu, "chunks=many").status_code == 400
    queued = requests.post(emu.url + "/_emulator/faults", json={"fault": "after=2"}, timeout=10)
    assert queued.status_code == 400 and "after only makes sense together with error=" in queued.text
    with pytest.raises(FaultSyntaxError):
        emu.push_fault("drop")
    with pytest.raises(ValueError):
        EmulatorConfig(faults="nonsense")


def test_emulator_wide_default_faults_and_keys():
    config = EmulatorConfig(api_keys=("a", "b"), faults="error=1033;times=1;key=boot", interval_ms=0)
    with Emulator(config) as emu:
        headers = {"Authorization": "Bearer b"}
        first = requests.post(emu.url + V2, headers=headers, json=ASK, timeout=10).json()
        again = requests.post(emu.url + V2, headers=headers, json=ASK, timeout=10).json()
        assert first["base_resp"]["status_code"] == 1033 and again["base_resp"]["status_code"] == 0
        assert [seen.api_key for seen in emu.requests] == ["b", "b"]


def test_stop_cuts_a_stalled_stream():
    emu = Emulator(interval_ms=0).start()
    r = requests.post(emu.url + V2, headers={**AUTH, "X-MiniMax-Emulator": "stall_after=1"},
                      json={**ASK, "stream": True}, stream=True, timeout=10)
    start = time.monotonic()
    emu.stop()
    assert time.monotonic() - start < 2
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        _ = r.content  # reading the body is what fails

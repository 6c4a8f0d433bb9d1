"""200 concurrent streams: all complete with the right text, and the emulator stays cheap.

The emulator runs in its own process (the CLI), so its CPU time can be read from /proc; the
clients are raw asyncio sockets, so the client side costs little too. Run as a script to
print the numbers: `python tests/test_emulator_load.py [streams] [directives]`.
"""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time

import pytest
import requests

V2 = "/v1/text/chatcompletion_v2"
BODY = {"model": "abab6.5s-chat", "messages": [{"role": "user", "content": "压测 load test"}],
        "max_tokens": 4096, "stream": True}


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _unchunk(data: bytes) -> bytes:
    """The body of an HTTP/1.1 chunked response."""
    parts, at = [], 0
    while True:
        end = data.index(b"\r\n", at)
        size = int(data[at:end], 16)
        if size == 0:
            return b"".join(parts)
        parts.append(data[end + 2:end + 2 + size])
        at = end + 2 + size + 2


async def _stream(port: int, directives: str) -> str:
    """One streamed request over a raw socket; the concatenated delta text."""
    payload = json.dumps(BODY).encode()
    head = (f"POST {V2} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer k\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
            f"X-MiniMax-Emulator: {directives}\r\nConnection: close\r\n\r\n").encode()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(head + payload)
    raw = await reader.read(-1)
    writer.close()
    headers, _, chunked = raw.partition(b"\r\n\r\n")
    assert headers.startswith(b"HTTP/1.1 200"), headers
    text = []
    for block in _unchunk(chunked).decode("utf-8").split("\n\n"):
        if block.startswith("data: "):
            event = json.loads(block[6:])
            if event["object"] == "chat.completion.chunk":
                text.append(event["choices"][0]["delta"]["content"])
    return "".join(text)


def run_load(streams: int = 200, directives: str = "interval_ms=20") -> dict:
    """Start an emulator process, run `streams` concurrent streams, return the numbers."""
    proc = subprocess.Popen([sys.executable, "-m", "minimax_backend.emulator", "--port", "0"],
                            stdout=subprocess.PIPE, text=True, cwd=os.path.dirname(os.path.dirname(
                                os.path.abspath(__file__))))
    try:
        url = proc.stdout.readline().split()[-1]
        port = int(url.rsplit(":", 1)[1])
        expected = requests.post(url + V2, headers={"Authorization": "Bearer k",
                                                    "X-MiniMax-Emulator": directives},
                                 json={**BODY, "stream": False}, timeout=30).json()
        expected_text = expected["choices"][0]["message"]["content"]
        cpu_before, start = _cpu_seconds(proc.pid), time.monotonic()

        async def all_streams():
            return await asyncio.gather(*(_stream(port, directives) for _ in range(streams)))

        texts = asyncio.run(all_streams())
        wall, cpu = time.monotonic() - start, _cpu_seconds(proc.pid) - cpu_before
    finally:
        proc.terminate()
        proc.wait(10)
    chunks = expected["usage"]["completion_tokens"]
    return {"streams": streams, "directives": directives, "chunks_per_stream": chunks,
            "correct": sum(t == expected_text for t in texts), "wall_s": round(wall, 2),
            "emulator_cpu_s": round(cpu, 2), "events_per_cpu_s": round(streams * (chunks + 1) / max(cpu, 1e-3))}


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="reads CPU time from /proc")
def test_200_concurrent_streams_are_cheap():
    numbers = run_load(200, "interval_ms=20")
    print(numbers)
    assert numbers["correct"] == 200
    pacing = numbers["chunks_per_stream"] * 0.02
    # Pacing dominates: the emulator is not the bottleneck (3.3 s alone; loose for a busy machine).
    assert numbers["wall_s"] < 3 * pacing + 5
    assert numbers["emulator_cpu_s"] < numbers["wall_s"]  # less than one core


if __name__ == "__main__":
    print(run_load(int(sys.argv[1]) if len(sys.argv) > 1 else 200,
                   sys.argv[2] if len(sys.argv) > 2 else "interval_ms=20"))

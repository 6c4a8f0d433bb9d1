"""`python -m minimax_backend`: what a user sees on stdout/stderr, and the exit codes."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from minimax_backend.emulator import Emulator, EmulatorConfig

KEY = "sk-cli-key"


@pytest.fixture(scope="module")
def emu():
    with Emulator(EmulatorConfig(api_keys=(KEY,), group_id="42", interval_ms=0)) as emulator:
        yield emulator


def cli(emu, *args, key=KEY):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MINIMAX_")}
    env.update(MINIMAX_API_KEY=key, MINIMAX_GROUP_ID="42", PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, "-m", "minimax_backend", "--base-url", emu.url, *args],
                          capture_output=True, text=True, env=env, timeout=60,
                          cwd=os.path.dirname(os.path.dirname(__file__)))


def test_streams_the_answer_alone_to_stdout(emu):
    done = cli(emu, "--model", "MiniMax-M2.7", "--temperature", "0.3", "你好")
    assert done.returncode == 0, done.stderr
    assert "<think>" not in done.stdout and "你好" in done.stdout and "0.3" in done.stdout
    assert done.stderr == ""
    received = emu.requests[-1].body
    assert received["temperature"] == 0.3 and received["max_tokens"] == 10240  # the model's default


def test_stream_and_no_stream_print_the_same(emu):
    assert cli(emu, "hi").stdout == cli(emu, "--no-stream", "hi").stdout


def test_reasoning_goes_to_stderr_when_asked(emu):
    done = cli(emu, "--model", "MiniMax-M1", "--reasoning", "hi")
    assert done.returncode == 0 and done.stderr.strip() and done.stderr.strip() not in done.stdout


def test_pro_api(emu):
    done = cli(emu, "--api", "pro", "--system", "你是诗人", "写诗")
    assert done.returncode == 0 and "你是诗人" in done.stdout
    assert emu.requests[-1].query == {"GroupId": "42"}


def test_minimax_error_exits_1_with_code_on_one_line(emu):
    emu.push_fault("error=1008")
    done = cli(emu, "hi")
    assert done.returncode == 1 and done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "1008" in lines[0] and "Top up" in lines[0] and "Trace-Id" in lines[0]


def test_http_status_is_named(emu):
    for _ in range(3):
        emu.push_fault("http=502;html")
    done = cli(emu, "hi")
    assert done.returncode == 1 and "HTTP 502" in done.stderr and "<" not in done.stderr


def test_partial_text_stays_printed(emu):
    emu.push_fault("drop_after=5")
    done = cli(emu, "--model", "MiniMax-Text-01", "hi")
    assert done.returncode == 1 and done.stdout.strip() and "dropped" in done.stderr


def test_bad_key_exits_1_and_names_2049(emu):
    done = cli(emu, "hi", key="sk-wrong")
    assert done.returncode == 1 and "2049" in done.stderr and "sk-wrong" not in done.stderr


@pytest.mark.parametrize("args,needle", [(["--temperature", "0", "hi"], "temperature"),
                                         (["--max-tokens", "0", "hi"], "max_tokens"),
                                         (["  "], "empty")])
def test_invalid_request_exits_2_and_sends_nothing(emu, args, needle):
    before = len(emu.requests)
    done = cli(emu, *args)
    assert done.returncode == 2 and needle in done.stderr and len(emu.requests) == before


def test_missing_key_exits_2(emu):
    done = cli(emu, "hi", key="")
    assert done.returncode == 2 and "MINIMAX_API_KEY" in done.stderr


@pytest.mark.parametrize("api, path", [("openai", "/v1/chat/completions"),
                                       ("anthropic", "/anthropic/v1/messages")])
def test_the_compatible_endpoints_with_thinking_on_and_off(emu, api, path):
    done = cli(emu, "--api", api, "--reasoning", "你好")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("你好！这是 MiniMax 模拟器") and "- API: " + api in done.stdout
    assert done.stderr.startswith("用户说「你好」")  # the thinking, apart from the answer
    assert emu.requests[-1].path == path and emu.requests[-1].body["model"] == "MiniMax-M3"
    off = cli(emu, "--api", api, "--thinking", "off", "--reasoning", "你好")
    assert off.returncode == 0 and off.stderr == ""
    assert emu.requests[-1].body["thinking"] == {"type": "disabled"}


def test_thinking_off_for_a_model_that_always_thinks_is_refused_before_sending(emu):
    sent = len(emu.requests)
    done = cli(emu, "--model", "MiniMax-M2.7", "--thinking", "off", "hi")
    assert done.returncode == 2 and len(emu.requests) == sent
    assert done.stderr == "error: MiniMax-M2.7 always thinks; its thinking cannot be turned off\n"

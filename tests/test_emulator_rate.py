"""The emulator's own rate limit (`rpm`): past N chat requests per window it refuses with
1002, as MiniMax does past a key's RPM, in each dialect's error form; a window later it answers."""
from __future__ import annotations

import time

import pytest
import requests

from minimax_backend.emulator import OPENAI_PATH, V2_PATH, Emulator, EmulatorConfig

AUTH = {"Authorization": "Bearer any-key", "Content-Type": "application/json"}
ASK = {"model": "abab6.5s-chat", "messages": [{"role": "user", "content": "你好"}], "max_tokens": 64}


def post(emu, path=V2_PATH, stream=False):
    return requests.post(emu.url + path, headers=AUTH, json={**ASK, "stream": stream}, timeout=10)


def test_past_n_requests_a_window_the_emulator_answers_1002_until_the_window_moves():
    with Emulator(EmulatorConfig(interval_ms=0, rpm=2, rpm_window=1.0)) as emu:
        first, second, third = (post(emu).json() for _ in range(3))
        assert first["base_resp"] == second["base_resp"] == {"status_code": 0, "status_msg": ""}
        assert third["base_resp"] == {"status_code": 1002, "status_msg": "rate limit exceeded(RPM)"}
        assert third["choices"] is None
        streamed = post(emu, stream=True).text  # a stream hears of it in its only event
        assert streamed.count("data: ") == 1 and '"status_code":1002' in streamed.replace(" ", "")
        compat = post(emu, OPENAI_PATH)  # the OpenAI-compatible endpoint: a real HTTP status
        assert compat.status_code == 429 and "1002" in compat.text
        assert emu.state.refused_for_rate == 3
        time.sleep(1.05)
        assert post(emu).json()["base_resp"]["status_code"] == 0


def test_a_bad_rate_is_refused_at_construction():
    with pytest.raises(ValueError, match="rpm"):
        EmulatorConfig(rpm=-1)
    with pytest.raises(ValueError, match="rpm"):
        EmulatorConfig(rpm=5, rpm_window=0)

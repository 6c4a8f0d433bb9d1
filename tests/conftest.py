"""Shared test fixtures. Keep this file small: fixtures used by one file live in that file."""
from __future__ import annotations

import os

# Before gradio is imported anywhere: no analytics calls from tests or CI.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
# The suite sends many messages from one address within a minute: no per-visitor rate limits
# unless a test asks for them (tests/test_safety_limits.py sets its own).
os.environ.setdefault("APP_MAX_MESSAGES_PER_MINUTE", "0")
os.environ.setdefault("APP_MAX_TOKENS_PER_HOUR", "0")

import pytest  # noqa: E402


@pytest.fixture(scope="module")
def emulator():
    """The backend's MiniMax emulator on a free port, fast-paced; faults cleared after use."""
    from minimax_backend.emulator import Emulator, EmulatorConfig

    emu = Emulator(EmulatorConfig(interval_ms=2)).start()
    try:
        yield emu
    finally:
        emu.stop()


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives the app in headless Chromium (Debian's chromium)")
    config.addinivalue_line("markers", "load: many visitors at once against `python app.py` (bounded, ~20 s)")

"""Shared test fixtures and the one scripted backend fake. Keep this file small: fixtures used
by one file live in that file."""
from __future__ import annotations

import os

# Before gradio is imported anywhere: no analytics calls from tests or CI.
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
# The suite sends many messages from one address within a minute: no per-visitor rate limits
# unless a test asks for them (tests/test_safety_limits.py sets its own).
os.environ.setdefault("APP_MAX_MESSAGES_PER_MINUTE", "0")
os.environ.setdefault("APP_MAX_TOKENS_PER_HOUR", "0")
os.environ.setdefault("APP_MAX_DEMO_MESSAGES_PER_MINUTE", "0")

import time  # noqa: E402

import pytest  # noqa: E402

from minimax_backend import (  # noqa: E402
    ChatResult,
    Finish,
    ReasoningDelta,
    Settings,
    TextDelta,
)

WAIT_FOR_CANCEL = "wait-for-cancel"  # a step: idle until the reply is cancelled (5 s at most)


class Scripted:
    """Replies played from a queue, one script per request, as simonw/llm's mock model does.

    A script is a list of steps: a backend event to yield, a float to pause that many
    seconds, an exception to raise, or WAIT_FOR_CANCEL (then it ends quietly, as the backend
    does once cancelled). `always` answers every request the queue has no script for.
    Each request and its cancel token are recorded."""

    def __init__(self, *scripts, always=None):
        self.scripts, self.always = list(scripts), always
        self.requests, self.cancels = [], []
        self.closed = 0

    def enqueue(self, *scripts):
        self.scripts.extend(scripts)
        return self

    def _play(self, request, cancel):
        self.requests.append(request)
        self.cancels.append(cancel)
        if not self.scripts and self.always is None:
            raise AssertionError(f"no reply enqueued for request {len(self.requests)}")
        for step in self.scripts.pop(0) if self.scripts else self.always:
            if isinstance(step, float):
                time.sleep(step)
            elif step == WAIT_FOR_CANCEL:
                cancel.wait(5)
                return
            elif isinstance(step, BaseException):
                raise step
            else:
                yield step

    def _result(self, request, cancel):
        events = list(self._play(request, cancel))
        return ChatResult("".join(e.text for e in events if isinstance(e, TextDelta)),
                          "".join(e.text for e in events if isinstance(e, ReasoningDelta)),
                          next(e for e in events if isinstance(e, Finish)))


class FakeClient(Scripted):
    """A scripted `minimax_backend.ChatClient`."""

    def stream(self, request, cancel=None):
        return self._play(request, cancel)

    def complete(self, request, cancel=None):
        return self._result(request, cancel)

    def close(self):
        self.closed += 1


class FakeService(Scripted):
    """A scripted `ui.chat.service.ReplyService`; `routes` records where each reply went."""

    def __init__(self, *scripts, always=None, settings=None):
        super().__init__(*scripts, always=always)
        self._settings = settings or Settings(api_key="fake-key")
        self.routes = []

    def settings(self):
        return self._settings

    @property
    def offline(self):
        return not self._settings.api_key

    def stream(self, request, route, cancel):
        self.routes.append(route)
        yield from self._play(request, cancel)

    def complete(self, request, route):
        self.routes.append(route)
        return self._result(request, None)

    def close(self):
        self.closed += 1


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
    config.addinivalue_line("markers", "fleet: app processes sharing Redis, behind haproxy (Debian's packages; ~2 min)")

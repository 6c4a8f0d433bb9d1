"""What the account-limit crowd tests share (one process: test_account_crowd.py; two replicas
behind haproxy: test_fleet_account.py): visitors on gradio_client asking one after another,
and what every visitor must have seen."""
from __future__ import annotations

import time
from collections.abc import Callable

from gradio_client import Client

# A model without thinking, so the reply is plain answer text (tests/test_safety_faults.py).
CONTROLS = ["v2", "cn", "abab6.5s-chat", "", 0.1, 0.95, 256, "MM智能助理", "用户", "adaptive", "", ""]
WAITING = "⏳ Waiting for a free slot on the host's MiniMax account, about"


def open_clients(address: str, visitors: int,
                 headers: Callable[[int], dict[str, str]] = lambda n: {}) -> list[Client]:
    """One page per visitor, in English; `headers(n)` adds visitor n's own (a cookie, an address)."""
    return [Client(address, verbose=False, headers={"Accept-Language": "en", **headers(n)},
                   httpx_kwargs={"timeout": 30}) for n in range(visitors)]


def ask_all(clients: list[Client]) -> list[list]:
    """Every visitor's updates. They ask one after another, each once the one before has
    heard back (a reply or a waiting note), so their order is known; then all wait at once."""
    jobs = []
    deadline = time.monotonic() + 60
    for n, client in enumerate(clients):
        history = [{"role": "user", "content": [{"type": "text", "text": f"visitor {n}"}]}]
        jobs.append(client.submit(history, *CONTROLS, api_name="/respond"))
        while not (jobs[-1].outputs() or jobs[-1].done()) and time.monotonic() < deadline:
            time.sleep(0.01)
    for job in jobs:
        job.result(timeout=max(1, deadline - time.monotonic()))
    return [job.outputs() for job in jobs]


def texts(history) -> list[str]:
    return [item["content"][0]["text"] for item in history]


def check_every_reply(updates: list[list]) -> None:
    for n, outputs in enumerate(updates):
        final = texts(outputs[-1])
        assert final[0] == f"visitor {n}"
        assert f"> visitor {n}" in final[1], final  # the emulator quotes the message it answers
        assert "mm-error" not in final[-1] and "1002" not in final[-1], final[-1]
        assert not any("Too many requests" in text or "1002" in text
                       for output in outputs for text in texts(output))


def waited(updates: list[list]) -> list[int]:
    """The visitors who were shown the waiting note."""
    return [n for n, outputs in enumerate(updates)
            if any(WAITING in text for output in outputs for text in texts(output))]

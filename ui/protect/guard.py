"""Per-visitor limits that protect the host's key, wallet and CPU on a public link.

Everything the page can call, a script can call too, so the limits live in the one handler
that spends the key (`ChatHandlers.respond`), before the backend is called. A visitor is
counted twice, by gradio session and by client IP, and must be under the budget for both:
a script can draw a new session for every request, but not a new address. Settings come from
the environment once (`GuardConfig.from_env`), and a bad value names its variable at startup.
"""
from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from limits.storage import Storage

from minimax_backend import ValidationError

from ..text.advice import refusal, refused
from . import shared
from .ledger import Ledger, LimitExceeded, MemoryLedger, Window, ledger_for
from .limits import (
    DEMO_MESSAGES_PER_MINUTE,
    HISTORY_CHARS,
    HISTORY_TURNS,
    LIMITS,
    MESSAGE_CHARS,
    MESSAGES_PER_MINUTE,
    SESSIONS,
    TOKENS_PER_HOUR,
)
from .spending import Reservation

# What a public demo allows one visitor by default, by variable (the ranges: `limits.py`).
DEFAULTS = {limit.variable: limit.default for limit in LIMITS if limit.variable}


@dataclass(frozen=True)
class GuardConfig:
    """The limits, per visitor; a rate of 0 means unlimited."""

    messages_per_minute: int = MESSAGES_PER_MINUTE.default
    tokens_per_hour: int = TOKENS_PER_HOUR.default
    max_message_chars: int = MESSAGE_CHARS.default
    max_history_chars: int = HISTORY_CHARS.default
    max_history_turns: int = HISTORY_TURNS.default
    demo_messages_per_minute: int = DEMO_MESSAGES_PER_MINUTE.default  # the offline demo's

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> GuardConfig:
        """The limits from APP_* variables; raises ValidationError naming a bad one."""
        env = os.environ if env is None else env
        return cls(
            messages_per_minute=MESSAGES_PER_MINUTE.read(env),
            demo_messages_per_minute=DEMO_MESSAGES_PER_MINUTE.read(env),
            tokens_per_hour=TOKENS_PER_HOUR.read(env),
            max_message_chars=MESSAGE_CHARS.read(env),
            max_history_chars=HISTORY_CHARS.read(env),
            max_history_turns=HISTORY_TURNS.read(env))


def client_ip(request: Any) -> str:
    """The visitor's address as the request carries it. Behind a proxy, the HTTP edge has put
    the visitor's address there by APP_TRUST_PROXY's rule (ui/server/forwarded.py); no
    header is read here, so there is one rule, applied once."""
    client = getattr(request, "client", None)
    return getattr(client, "host", None) or "unknown"


class Guard:
    """Checks and records each visitor's messages and tokens, in this process or, with
    APP_REDIS_URL, in the Redis every replica shares (`ledger.py`)."""

    def __init__(self, config: GuardConfig | Callable[[], GuardConfig] | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 storage: Callable[[], Storage] = shared.storage) -> None:
        """`config` may be a loader (e.g. `GuardConfig.from_env`), called at first use, and
        so is `storage`; `clock` is for counts in memory (Redis keeps its own time)."""
        self._load = config if callable(config) else (lambda: config or GuardConfig())
        self._clock, self._storage = clock, storage
        self._lock = threading.Lock()
        self._config: GuardConfig | None = None
        self._ledger: Ledger | None = None

    @property
    def config(self) -> GuardConfig:
        with self._lock:
            if self._config is None:
                config = self._load()
                self._ledger = ledger_for(self._storage(), config.messages_per_minute,
                                          config.demo_messages_per_minute,
                                          config.tokens_per_hour, self._clock)
                self._config = config
            return self._config

    @property
    def ledger(self) -> Ledger:
        _ = self.config
        assert self._ledger is not None
        return self._ledger

    @property
    def tokens(self) -> Window:
        """The token budget's counts (what a visitor has left, when more fits)."""
        return self.ledger.tokens

    def visitor(self, request: Any) -> tuple[str, ...]:
        """The keys one visitor is counted under: session and client IP."""
        session = getattr(request, "session_hash", None) or "anonymous"
        return f"session:{session}", f"ip:{client_ip(request)}"

    async def admit_off_loop(self, keys: tuple[str, ...], prompt: int | None = None,
                             reply: int = 0, demo: bool = False) -> Reservation:
        """`admit`, from the event loop. Counts in Redis are a network round trip, in a worker
        thread, so the loop serves everyone else meanwhile; counts in memory are checked at
        once (a thread hop would cost more than they do)."""
        if isinstance(self.ledger, MemoryLedger):
            return self.admit(keys, prompt, reply, demo)
        return await asyncio.to_thread(self.admit, keys, prompt, reply, demo)

    def admit(self, keys: tuple[str, ...], prompt: int | None = None,
              reply: int = 0, demo: bool = False) -> Reservation:
        """Count one message, or raise LimitExceeded (then nothing is counted). With `prompt`
        (the tokens a request on the host's key sends) the token budget must have room for
        it and some reply: the reply's share, up to `reply`, is held until `settle`, so
        replies streaming at once cannot together overrun the budget. A `demo` message (an
        offline emulator reply) counts against the demo's own, higher rate. With the counts
        in Redis and Redis unreachable, it raises CountsUnavailable (a LimitExceeded)."""
        return self.ledger.admit(keys, prompt, reply, demo)


def limit_text(err: LimitExceeded, lang: str) -> str:
    """The over-limit note for the visitor, with the seconds until a retry fits."""
    return refusal(err.what, lang, limit=err.limit, seconds=err.retry_after)


def too_big(what: str, limit: int) -> ValidationError:
    """The refusal of something over a size limit (`what` names the limit)."""
    return refused(what, what, limit=limit)


def sessions_from_env(env: Mapping[str, str] | None = None) -> int:
    """How many visitors' sessions the server keeps (`launch(state_session_capacity=…)`).
    A session dropped for newer ones keeps its chat (it is in the browser) but loses the
    raw replies kept on the server, so earlier M2 answers are then sent back without their
    thinking."""
    return SESSIONS.read(os.environ if env is None else env)


def auth_from_env(env: Mapping[str, str] | None = None) -> list[tuple[str, str]] | None:
    """`launch(auth=…)` from APP_AUTH="user:password,user2:password2"; None when unset."""
    env = os.environ if env is None else env
    raw = (env.get("APP_AUTH") or "").strip()
    if not raw:
        return None
    pairs = []
    for entry in raw.split(","):
        user, _, password = entry.strip().partition(":")
        if not user.strip() or not password:
            raise refused("APP_AUTH", "auth_format")
        pairs.append((user.strip(), password))
    return pairs

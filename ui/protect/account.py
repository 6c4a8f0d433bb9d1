"""The host's MiniMax account: its rate limit, counted for all visitors together.

MiniMax limits each key's requests and tokens per minute (RPM, TPM) and answers 1002 (RPM) or
1039 ("token limit exceeded(TPM)") past them. Every count lives in the shared storage (`shared.py`: memory, or Redis
so that replicas agree), never in this process alone:

- requests: a moving window (`limits`' MovingWindowRateLimiter): at most N starts per window;
- tokens: a sliding-window counter (a per-token moving window would keep one entry per token);
  the prompt is counted when a reply starts, the rest of its cost when it ends;
- a pause: after a 1002/1039 every replica holds new requests until it ends (Retry-After when
  MiniMax sends one, else 1, 2, 4 … 30 s, doubling while refusals keep coming within a window).

`AccountGate.take` answers "go" (0) or how long until a request may go; who asks first is the
line's business (`account_line.py`).
"""
from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage, Storage
from limits.strategies import MovingWindowRateLimiter, SlidingWindowCounterRateLimiter

from minimax_backend import MiniMaxError

from .limits import ACCOUNT_MAX_WAIT, ACCOUNT_REQUESTS, ACCOUNT_TOKENS, ACCOUNT_WINDOW
from .line_heads import LineHeads, heads_for
from .shared import configured as shared_configured
from .shared import storage as shared_storage

# MiniMax's refusals that mean "this account, too fast": 1002 (RPM), and 1039 when it says TPM.
# 1039 also means a conversation too long for the model, which no pause mends and which any
# visitor could send to stall everyone: that one is the visitor's to see ("shorten the chat").
# (1041, too many connections, and a gateway's bare 429 stay with the client's own retries.)
RPM_CODE, TOKENS_CODE = 1002, 1039
FIRST_PAUSE, MAX_PAUSE = 1.0, 30.0  # seconds, without a Retry-After
NAMESPACE = "ACCOUNT"
ACCOUNT = "host"  # one key per deployment: one account to count
PAUSE, STRIKES = "account/pause", "account/strikes"


@dataclass(frozen=True)
class AccountConfig:
    """The host account's limits; a rate of 0 sets no limit of the app's own."""

    requests: int = ACCOUNT_REQUESTS.default
    tokens: int = ACCOUNT_TOKENS.default
    window: int = ACCOUNT_WINDOW.default  # seconds
    max_wait: int = ACCOUNT_MAX_WAIT.default  # seconds

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> AccountConfig:
        """The limits from their APP variables (limits.py); raises ValidationError naming a bad one."""
        env = os.environ if env is None else env
        return cls(ACCOUNT_REQUESTS.read(env), ACCOUNT_TOKENS.read(env), ACCOUNT_WINDOW.read(env),
                   ACCOUNT_MAX_WAIT.read(env))


def rate_refusal(err: BaseException) -> bool:
    """True when MiniMax refused for the account's rate (RPM/TPM), not for this request."""
    if not isinstance(err, MiniMaxError):
        return False
    return err.code == RPM_CODE or (err.code == TOKENS_CODE and "tpm" in err.message.lower())


class AccountGate:
    """Counts the host account's requests and tokens in the shared storage."""

    def __init__(self, config: AccountConfig | Callable[[], AccountConfig] | None = None,
                 storage: Storage | None = None, clock: Callable[[], float] = time.time) -> None:
        """`config` may be a loader (e.g. `AccountConfig.from_env`), called at first use;
        `clock` must be the storage's (wall time: Redis and `limits` count in it)."""
        self._load = config if callable(config) else (lambda: config or AccountConfig())
        self._storage, self._clock = storage, clock
        self._config: AccountConfig | None = None

    @property
    def config(self) -> AccountConfig:
        if self._config is None:
            self._config = self._load()
        return self._config

    @property
    def max_wait(self) -> float:
        """Seconds a reply may wait for the account in all."""
        return self.config.max_wait

    @property
    def storage(self) -> Storage:
        if self._storage is None:
            self._storage = shared_storage()
        return self._storage

    @property
    def local(self) -> bool:
        """True when the counts are in this process's memory: asking costs no round trip
        (decided without opening the storage, which for Redis connects)."""
        if self._storage is not None:
            return isinstance(self._storage, MemoryStorage)
        return not shared_configured()

    def _requests(self) -> tuple[MovingWindowRateLimiter, RateLimitItemPerSecond] | None:
        config = self.config
        if not config.requests:
            return None
        return (MovingWindowRateLimiter(self.storage),
                RateLimitItemPerSecond(config.requests, config.window, namespace=NAMESPACE))

    def _tokens(self) -> tuple[SlidingWindowCounterRateLimiter, RateLimitItemPerSecond] | None:
        config = self.config
        if not config.tokens:
            return None
        return (SlidingWindowCounterRateLimiter(self.storage),
                RateLimitItemPerSecond(config.tokens, config.window, namespace=NAMESPACE + "-T"))

    def take(self, tokens: int = 0) -> float:
        """Count one request that sends about `tokens` and return 0; or, counting nothing,
        the seconds until one may go (the pause, or the oldest count leaving the window)."""
        wait = self.paused()
        if wait:
            return wait
        requests, budget = self._requests(), self._tokens()
        cost = min(max(tokens, 1), self.config.tokens)  # a prompt over the whole budget waits for an empty window
        if budget is not None and not budget[0].test(budget[1], ACCOUNT, cost=cost):
            return self._until(budget[0].get_window_stats(budget[1], ACCOUNT).reset_time)
        if requests is not None and not requests[0].hit(requests[1], ACCOUNT):
            return self._until(requests[0].get_window_stats(requests[1], ACCOUNT).reset_time)
        if budget is not None:
            budget[0].hit(budget[1], ACCOUNT, cost=cost)
        return 0.0

    def spend(self, tokens: int) -> None:
        """Count tokens a reply cost beyond what `take` counted (as many as still fit)."""
        budget = self._tokens()
        if budget is None or tokens <= 0:
            return
        left = budget[0].get_window_stats(budget[1], ACCOUNT).remaining
        if left > 0:
            budget[0].hit(budget[1], ACCOUNT, cost=min(tokens, left))

    def slot_seconds(self) -> float:
        """About how long each further request waits behind one more: the window's share."""
        config = self.config
        return config.window / config.requests if config.requests else FIRST_PAUSE

    def paused(self) -> float:
        """Seconds left of the pause after MiniMax's last refusal; 0 when there is none."""
        if not self.storage.get(PAUSE):
            return 0.0
        return max(0.0, self.storage.get_expiry(PAUSE) - self._clock())

    def back_off(self, err: MiniMaxError) -> float:
        """MiniMax refused for the account's rate: pause every replica, and return for how long.
        A refusal of a request sent before the pause began does not lengthen it."""
        left = self.paused()
        if left and not err.retry_after:
            return left
        strikes = self.storage.incr(STRIKES, 2 * self.config.window)
        seconds = err.retry_after or min(MAX_PAUSE, FIRST_PAUSE * 2.0 ** (strikes - 1))
        if seconds > left:
            self.storage.clear(PAUSE)
            self.storage.incr(PAUSE, max(1, round(seconds)))  # Redis expires in whole seconds
        return max(seconds, left)

    def line_heads(self, stale: float) -> LineHeads | None:
        """Where the replicas' account lines say whose head waits longest (`line_heads.py`);
        None when the count is this process's own."""
        return heads_for(self.storage, stale)

    def _until(self, at: float) -> float:
        return max(0.05, at - self._clock())

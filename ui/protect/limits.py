"""Every size and rate limit of the app, each declared once with its range.

A limit a host may change has an `APP_*` variable, read once at startup (`Limit.read`); a bad
value stops the app naming the variable. The others are fixed. Whatever uses a limit (the
page's `max_length`, the guard, the history sent to MiniMax, the store, export and import)
reads it here, so the page never allows what the server then refuses, and nothing over a
limit is cut silently: it is refused with a note saying the limit.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..text.advice import refused


@dataclass(frozen=True)
class Limit:
    """One limit: its default, the range a host may set it in, and what it bounds."""

    variable: str | None  # the APP_* variable that sets it; None: fixed
    default: int
    low: int
    high: int | None  # None: no upper bound
    bounds: str  # what it applies to, and where

    def read(self, env: Mapping[str, str]) -> int:
        """The value `env` sets (the default when unset); raises ValidationError naming the
        variable when it is not a whole number in range."""
        raw = (env.get(self.variable) or "").strip() if self.variable else ""
        if not raw:
            return self.default
        try:
            value = int(raw)
        except ValueError:
            value = None
        if value is not None and value >= self.low and (self.high is None or value <= self.high):
            return value
        if self.high is None:
            raise refused(self.variable or "", "whole_at_least", minimum=self.low, got=raw)
        raise refused(self.variable or "", "whole_in_range", minimum=self.low, maximum=self.high,
                      got=raw)


# Per visitor (session and address); 0 switches a rate off.
MESSAGES_PER_MINUTE = Limit("APP_MAX_MESSAGES_PER_MINUTE", 10, 0, None,
                            "messages per visitor per minute (the guard)")
# The offline demo spends no key, only the server's CPU (the emulator streams each reply at
# 40 events a second): a visitor trying the page may chat freely, a script may not.
DEMO_MESSAGES_PER_MINUTE = Limit("APP_MAX_DEMO_MESSAGES_PER_MINUTE", 60, 0, None,
                                 "messages per visitor per minute in the offline demo (the guard)")
TOKENS_PER_HOUR = Limit("APP_MAX_TOKENS_PER_HOUR", 100_000, 0, None,
                        "tokens per visitor per hour on the host's key (the guard)")
# The most a request may carry, whatever a host allows: a public demo spends the host's
# tokens. Also the most one stored or imported message (its raw turn, its thinking) may hold.
MAX_CONTEXT_CHARS = 200_000
HISTORY_CHARS = Limit("APP_MAX_HISTORY_CHARS", 100_000, 1, MAX_CONTEXT_CHARS,
                      "characters in the chat a request carries (the guard; its maximum: "
                      "the conversation sent, one stored or imported message)")
MESSAGE_CHARS = Limit("APP_MAX_MESSAGE_CHARS", 8_000, 1, MAX_CONTEXT_CHARS,
                      "characters in one message (the message box's max_length, the guard)")
HISTORY_TURNS = Limit("APP_MAX_HISTORY_TURNS", 50, 1, None,
                      "user turns in the chat a request carries (the guard)")
# Gradio keeps every session's copy of the page (110 KB here when it opens, more once its
# visitor chats: bench/page_cost.py) until its cap, 10,000 by default: over 1 GB on a public
# link. The least recently used ones go first.
SESSIONS = Limit("APP_MAX_SESSIONS", 1_000, 1, None,
                 "browser sessions the server keeps (launch's state_session_capacity)")
SYSTEM_CHARS = Limit(None, 20_000, 20_000, 20_000,
                     "the system prompt, sent with every message (its box, the request, "
                     "a stored or imported conversation)")
TITLE_CHARS = Limit(None, 120, 120, 120, "a conversation's title (the rename box, import)")
IMPORT_BYTES = Limit(None, 2_000_000, 2_000_000, 2_000_000,
                     "an imported file (import; the upload cap is app.py's MAX_FILE_SIZE)")

# The host's MiniMax account, all visitors together (ui/protect/account.py). MiniMax's own
# limits per key: mainland free tier 20 RPM / 1M TPM, paid 500 RPM / 20M TPM (M2.x; M3: 200 RPM
# / 10M TPM). Off by default: the app cannot know the key's tier, a low guess would slow a paid
# account 25-fold, and MiniMax's own refusal (1002/1039) still pauses the whole app.
ACCOUNT_REQUESTS = Limit("APP_ACCOUNT_REQUESTS_PER_MINUTE", 0, 0, None,
                         "requests the app sends on the host's key per window, all visitors "
                         "together; replies past it wait their turn (the account line)")
ACCOUNT_TOKENS = Limit("APP_ACCOUNT_TOKENS_PER_MINUTE", 0, 0, None,
                       "tokens (prompt and reply) the app spends on the host's key per window, "
                       "all visitors together (the account line)")
ACCOUNT_WINDOW = Limit("APP_ACCOUNT_WINDOW_SECONDS", 60, 1, 3600,
                       "the span the account's requests and tokens are counted over (MiniMax "
                       "counts per minute; tests shorten it)")
ACCOUNT_MAX_WAIT = Limit("APP_ACCOUNT_MAX_WAIT_SECONDS", 120, 1, 3600,
                         "how long a reply waits for the host's account before the visitor is "
                         "told to send again later")

LIMITS = (MESSAGES_PER_MINUTE, DEMO_MESSAGES_PER_MINUTE, TOKENS_PER_HOUR, MESSAGE_CHARS, HISTORY_CHARS, HISTORY_TURNS,
          SESSIONS, SYSTEM_CHARS, TITLE_CHARS, IMPORT_BYTES, ACCOUNT_REQUESTS, ACCOUNT_TOKENS,
          ACCOUNT_WINDOW, ACCOUNT_MAX_WAIT)

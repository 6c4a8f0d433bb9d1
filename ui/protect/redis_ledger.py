"""The guard's counts in Redis, so every replica behind the load balancer sees the same ones.

Why not a `limits` strategy: a token reservation holds an estimate and is settled to the real
cost when the reply ends, and a visitor is counted under two keys (session, address) that must
be checked and counted as one step. `limits`' moving window stores one list item per unit of
cost (100,000 for one hour's tokens) and cannot change a past hit; its sliding-window counter
cannot either, and it tests and hits one key at a time. So the same sliding log as
`spending.SlidingWindow` lives here in sorted sets: one member per spending, `<id>:<amount>`,
scored by the time Redis gives (one clock for all replicas), changed in place by `settle`.
"""
from __future__ import annotations

import logging
import uuid
from typing import Any

from redis.exceptions import RedisError

from .ledger import HOUR, MINUTE, CountsUnavailable, LimitExceeded
from .spending import Reservation

log = logging.getLogger(__name__)
PREFIX = "minimax-chat:guard:"

# Shared by the scripts: the entries of a key still in its window (older ones are dropped),
# their sum, and how long until `want` more fits (0: now), as `SlidingWindow` computes them.
_PRELUDE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local function entries(key, window)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  return redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
end
local function amount(member) return tonumber(string.match(member, ':(%d+)$')) end
local function spent(list)
  local sum = 0
  for i = 1, #list, 2 do sum = sum + amount(list[i]) end
  return sum
end
local function retry_after(list, limit, window, want)
  local sum = spent(list)
  if sum + want <= limit then return 0 end
  for i = 1, #list, 2 do
    sum = sum - amount(list[i])
    if sum + want <= limit then return tonumber(list[i + 1]) + window - now end
  end
  if #list > 0 then return tonumber(list[#list]) + window - now end
  return 0
end
local function add(key, window, member)
  redis.call('ZADD', key, now, member)
  redis.call('EXPIRE', key, math.ceil(window))
end
"""

# KEYS: the message keys, then the token keys (as many). ARGV: the count of each, the message
# limit and window, the token limit and window, the prompt's tokens (-1: no budget applies),
# the reply's tokens wanted, the entry's id. Returns {outcome, seconds to wait, reply share}.
_ADMIT = _PRELUDE + """
local n = tonumber(ARGV[1])
local mlimit, mwindow = tonumber(ARGV[2]), tonumber(ARGV[3])
local tlimit, twindow = tonumber(ARGV[4]), tonumber(ARGV[5])
local prompt, reply, id = tonumber(ARGV[6]), tonumber(ARGV[7]), ARGV[8]
if mlimit > 0 then
  local wait = 0
  for i = 1, n do wait = math.max(wait, retry_after(entries(KEYS[i], mwindow), mlimit, mwindow, 1)) end
  if wait > 0 then return {'messages', tostring(wait), '-1'} end
end
local share = -1
if prompt >= 0 and tlimit > 0 then
  local lists, room = {}, nil
  for i = 1, n do
    lists[i] = entries(KEYS[n + i], twindow)
    local left = tlimit - spent(lists[i])
    if room == nil or left < room then room = left end
  end
  room = room - prompt
  if room < 1 then
    local wait = 0
    for i = 1, n do wait = math.max(wait, retry_after(lists[i], tlimit, twindow, prompt + 1)) end
    if wait <= 0 then wait = twindow end
    return {'tokens', tostring(wait), '-1'}
  end
  share = math.min(reply, room)
  if prompt + share > 0 then
    for i = 1, n do add(KEYS[n + i], twindow, id .. ':' .. (prompt + share)) end
  end
end
if mlimit > 0 then
  for i = 1, n do add(KEYS[i], mwindow, id .. ':1') end
end
return {'ok', '0', tostring(share)}
"""

# KEYS[1]: a key. ARGV: limit, window, amount wanted. Returns {spent, seconds until it fits}.
_PEEK = _PRELUDE + """
local list = entries(KEYS[1], tonumber(ARGV[2]))
return {spent(list), tostring(retry_after(list, tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])))}
"""

# KEYS[1]: a key. ARGV: the entry's id, its amount now, the amount it settles to.
_SETTLE = """
local old, new = ARGV[1] .. ':' .. ARGV[2], ARGV[1] .. ':' .. ARGV[3]
local score = redis.call('ZSCORE', KEYS[1], old)
if score then
  redis.call('ZREM', KEYS[1], old)
  redis.call('ZADD', KEYS[1], score, new)
end
"""


class RedisWindow:
    """One limit's counts in Redis: `limit` per `window` seconds per key (0: unlimited)."""

    def __init__(self, client: Any, name: str, limit: int, window: float) -> None:
        self.limit, self.window, self.name = limit, window, name
        self._peek = client.register_script(_PEEK)
        self._settle = client.register_script(_SETTLE)

    def key(self, key: str) -> str:
        return f"{PREFIX}{self.name}:{key}"

    def _look(self, key: str, amount: int) -> tuple[int, float]:
        spent, wait = self._peek(keys=[self.key(key)], args=[self.limit, self.window, amount])
        return int(spent), float(wait)

    def left(self, key: str) -> int | None:
        """How much `key` may still spend now; None when there is no limit."""
        return self.limit - self._look(key, 0)[0] if self.limit else None

    def retry_after(self, key: str, amount: int = 1) -> float:
        """0 if `amount` more fits in the window now, else seconds until it will."""
        return self._look(key, amount)[1] if self.limit else 0.0

    def settle(self, entry: list | None, amount: int) -> None:
        """Change what an admission recorded (`entry`: key, id, amount) to `amount`. Redis
        unreachable, the estimate stays counted: the visitor is charged what was held."""
        if entry is None:
            return
        key, entry_id, held = entry
        try:
            self._settle(keys=[key], args=[entry_id, held, max(0, amount)])
            entry[2] = max(0, amount)
        except RedisError as err:
            log.warning("could not settle a reservation (%s); the estimate stays counted",
                        type(err).__name__)


class RedisLedger:
    """The guard's counts, shared by every app process that uses the same Redis."""

    def __init__(self, client: Any, messages: int, demo_messages: int, tokens: int) -> None:
        self.messages = RedisWindow(client, "messages", messages, MINUTE)
        self.demo_messages = RedisWindow(client, "demo", demo_messages, MINUTE)
        self.tokens = RedisWindow(client, "tokens", tokens, HOUR)
        self._admit = client.register_script(_ADMIT)

    def admit(self, keys: tuple[str, ...], prompt: int | None, reply: int,
              demo: bool) -> Reservation:
        messages = self.demo_messages if demo else self.messages
        entry_id = uuid.uuid4().hex
        try:
            outcome, wait, share = self._admit(
                keys=[messages.key(k) for k in keys] + [self.tokens.key(k) for k in keys],
                args=[len(keys), messages.limit, messages.window, self.tokens.limit,
                      self.tokens.window, -1 if prompt is None else prompt, reply, entry_id])
        except RedisError as err:
            raise CountsUnavailable(err) from err
        outcome = outcome.decode() if isinstance(outcome, bytes) else outcome
        if outcome == "messages":
            raise LimitExceeded("messages", float(wait), messages.limit)
        if outcome == "tokens":
            raise LimitExceeded("tokens", float(wait), self.tokens.limit)
        share = int(share)
        if share < 0:
            return Reservation()
        held = (prompt or 0) + share
        entries = tuple([self.tokens.key(k), entry_id, held] for k in keys) if held > 0 else ()
        return Reservation(self.tokens, entries, share)

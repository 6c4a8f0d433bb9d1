"""Which replica's account line goes next: the heads of every process's line, in Redis.

Each process keeps its own line, round-robin by visitor (`account_line.py`), and all of them
draw on one count (`AccountGate`). Without more, when a slot comes free the replicas' heads
race for it, and a reply that has waited on one replica can lose it to a newer one on the
other. So a process whose line head the count holds back says when that head joined, under its
own name, and a process lets a reply go only if no other replica's head joined earlier: across
replicas the longest waiting goes first, as within one. A line whose replies go says nothing
(`account_line.py`): said whenever replies waited, two replicas with room in the count took
turns waiting for each other.

A replica that dies leaves its entry behind; it counts only while it is refreshed, each time
that replica's head looks at the line (every few seconds at most), so a dead one stops
holding the others back after `stale` seconds. Join times are wall clock (`time.time()`), the
same on one machine and within milliseconds across servers kept in time.

Without Redis there is one process, and nothing to share (`heads_for` gives None).
"""
from __future__ import annotations

import uuid
from typing import Any

from limits.storage import RedisStorage, Storage

KEY = "minimax-chat:account:heads"  # a sorted set: process → when its head joined
SEEN = "minimax-chat:account:heads-seen"  # process → when it last said so (Redis's time)

# KEYS: heads, seen. ARGV: this process, when its head joined ('' : its line is empty), stale
# seconds. Forgets the processes not seen for `stale` seconds, records this one, and returns
# the earliest join time among the others (false: none waits).
_LOOK = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
for _, gone in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now - tonumber(ARGV[3]))) do
  redis.call('ZREM', KEYS[1], gone)
  redis.call('ZREM', KEYS[2], gone)
end
if ARGV[2] == '' then
  redis.call('ZREM', KEYS[1], ARGV[1])
  redis.call('ZREM', KEYS[2], ARGV[1])
else
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
  redis.call('ZADD', KEYS[2], now, ARGV[1])
end
local first = redis.call('ZRANGE', KEYS[1], 0, 1, 'WITHSCORES')
for i = 1, #first, 2 do
  if first[i] ~= ARGV[1] then return first[i + 1] end
end
return false
"""


class LineHeads:
    """Every replica's line head in Redis, this process's under a name of its own."""

    def __init__(self, client: Any, stale: float) -> None:
        self.name = uuid.uuid4().hex
        self.stale = stale
        self._look = client.register_script(_LOOK)

    def earliest_elsewhere(self, joined: float | None) -> float | None:
        """Say this process's head joined at `joined` (None: its line is empty); when the
        longest-waiting head of another replica joined, or None when no other waits."""
        found = self._look(keys=[KEY, SEEN],
                           args=[self.name, "" if joined is None else repr(joined), self.stale])
        return None if found is None else float(found)


def heads_for(storage: Storage, stale: float) -> LineHeads | None:
    """The shared heads in the Redis behind `storage`; None for a process's own memory."""
    if isinstance(storage, RedisStorage):
        return LineHeads(storage.storage, stale)
    return None

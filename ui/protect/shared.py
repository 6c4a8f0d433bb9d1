"""Where counts that several app processes must agree on are kept.

Without `APP_REDIS_URL` every count lives in this process's memory, as on a laptop or a single
Space. With it (`redis://host:6379/0`), each replica behind the load balancer counts in the same
Redis, so a visitor's limits and the account's rate limit hold across replicas. The storage is a
`limits` storage: rate limiters built on it (`limits.strategies`) work the same on both.
"""
from __future__ import annotations

import os
from functools import lru_cache

from limits.storage import MemoryStorage, Storage, storage_from_string

REDIS_URL = "APP_REDIS_URL"
REDIS_TIMEOUT_S = 2.0


def configured() -> bool:
    """True when the counts are to be kept in Redis (APP_REDIS_URL is set)."""
    return bool(os.environ.get(REDIS_URL, "").strip())


@lru_cache(maxsize=1)
def storage() -> Storage:
    """This process's shared storage: Redis at APP_REDIS_URL, else memory (one per process)."""
    url = os.environ.get(REDIS_URL, "").strip()
    if not url:
        return MemoryStorage()
    # Bounded waits: an unreachable Redis must refuse a message within seconds, not hang it.
    found = storage_from_string(url, socket_timeout=REDIS_TIMEOUT_S,
                                socket_connect_timeout=REDIS_TIMEOUT_S)
    assert isinstance(found, Storage), f"{REDIS_URL} must name a synchronous storage"
    return found

"""What gradio keeps per browser session, bounded in bytes as well as in number.

gradio 6.31 keeps a `SessionState` per session hash, and any request may name a new one. Its
own kept, for every session, a copy of the page's config (107 KB and ~9 ms of CPU to build)
holding the last value of every input and output: a 7.9 MB input stayed in memory until 1,000
newer sessions pushed it out. Those copies serve only gradio's deep links, which this page
does not offer, so `LeanSession` keeps none of them. What remains is the sessions' `gr.State`
values (the raw replies), which `BoundedSessions` counts in bytes: past `max_bytes` the least
recently used sessions go first, as they already do past gradio's session count.

Installed by the app's ASGI lifespan (`lifespan.py`), before the first request.
"""
from __future__ import annotations

import datetime
import sys
from collections.abc import Callable
from copy import copy
from typing import Any

from gradio.components import State
from gradio.state_holder import SessionState, StateHolder

MAX_SESSION_BYTES = 128_000_000  # all sessions' state together
# What a session costs beside its state: the page's index, and the components its updates
# rebuilt (57 KB each for 800 sessions that opened the page and changed the settings).
SESSION_BYTES = 64_000
CLOSED_TTL_S = 3600  # gradio's: a closed tab's state is kept an hour for it to come back


def size_of(value: Any, depth: int = 0) -> int:
    """Bytes `value` holds in memory, containers followed a few levels deep."""
    size = sys.getsizeof(value)
    if depth < 4:
        if isinstance(value, dict):
            size += sum(size_of(k, depth + 1) + size_of(v, depth + 1) for k, v in value.items())
        elif isinstance(value, (list, tuple, set)):
            size += sum(size_of(v, depth + 1) for v in value)
    return size


class LeanSession(SessionState):
    """A session without gradio's per-session copy of the page config; reports the bytes of
    its `gr.State` values to `on_resize` whenever they change."""

    def __init__(self, blocks: Any, on_resize: Callable[[int], None] = lambda size: None) -> None:
        # gradio's own __init__ also builds `config_values`, the copy this class leaves out.
        self.blocks_config = copy(blocks.default_config)
        self.config_values: dict[int, Any] = {}
        self.state_data: dict[int, Any] = {}
        self._state_ttl: dict[int, tuple] = {}
        self.is_closed = False
        self.STATE_TTL_WHEN_CLOSED = CLOSED_TTL_S
        self._on_resize = on_resize

    def __setitem__(self, key: int, value: Any) -> None:
        block = self.blocks_config.blocks.get(key)
        if isinstance(block, State):
            self._state_ttl[key] = (block.time_to_live, datetime.datetime.now())
            self.state_data[key] = value
            self.resized()
        else:
            self.blocks_config.blocks[key] = value

    def _update_config(self, key: int) -> None:
        pass  # the config copy is not kept

    def _update_value_in_config(self, key: int, value: Any) -> None:
        pass  # nor the last value of each component

    def resized(self) -> None:
        """Report the state's bytes again (after a value was set or deleted)."""
        self._on_resize(sum(size_of(v) for v in self.state_data.values()))


class BoundedSessions(StateHolder):
    """gradio's session store, least recently used first out, past `capacity` sessions (set
    by gradio from `launch(state_session_capacity=…)`) or past `max_bytes` in all."""

    def __init__(self, max_bytes: int = MAX_SESSION_BYTES) -> None:
        super().__init__()
        self.max_bytes = max_bytes
        self.bytes = 0
        self._sizes: dict[str, int] = {}

    def __getitem__(self, session_id: str) -> SessionState:
        session = self.session_data.get(session_id)
        if session is None:
            session = LeanSession(self.blocks, lambda size: self._resize(session_id, size))
            self.session_data[session_id] = session
            self._resize(session_id, 0)
        self.update(session_id)
        self.time_last_used[session_id] = datetime.datetime.now()
        return session

    def _resize(self, session_id: str, state_bytes: int) -> None:
        with self.lock:
            if session_id not in self.session_data:
                return  # dropped meanwhile: nothing of it is kept
            size = SESSION_BYTES + state_bytes
            self.bytes += size - self._sizes.get(session_id, 0)
            self._sizes[session_id] = size

    def update(self, session_id: str) -> None:
        with self.lock:
            if session_id in self.session_data:
                self.session_data.move_to_end(session_id)
            while len(self.session_data) > 1 and (len(self.session_data) > self.capacity
                                                  or self.bytes > self.max_bytes):
                dropped, _ = self.session_data.popitem(last=False)
                self.time_last_used.pop(dropped, None)
                self.bytes -= self._sizes.pop(dropped, 0)

    def delete_state(self, session_id: str, expired_only: bool = False) -> None:
        session = self.session_data.get(session_id)
        kept = len(session.state_data) if session is not None else 0
        super().delete_state(session_id, expired_only)  # gradio calls this every second
        if isinstance(session, LeanSession) and len(session.state_data) != kept:
            session.resized()


def install_bounded_sessions(app: Any, max_bytes: int = MAX_SESSION_BYTES) -> None:
    """Give gradio's `app` a `BoundedSessions` store; before it serves anything
    (`ui/server/lifespan.py`)."""
    holder = BoundedSessions(max_bytes)
    holder.set_blocks(app.get_blocks())
    app.state_holder = holder

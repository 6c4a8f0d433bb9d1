"""The server's heap, settled once the app is built: what exists then lives as long as the
process, so Python's garbage collector stops going through it.

A full collection walked every object gradio, fastapi and this app had made by then, at
200-360 ms a time on this machine, holding every thread: one landing while a crowd's replies
start delays every first token by that much (measured with `gc.callbacks` while 100 visitors
sent at once). `gc.freeze()` moves those objects out of the collector's reach; later
collections walk only what came after (gradio's lazy imports, the sessions, their chats and
replies): 90-170k objects, ~100 ms a full walk. Collections were also made rarer
(thresholds 10,000, 10, 100) for a while, which left the server ~30 MB fuller after a crowd
than `tests/test_load.py` allows: Python's own thresholds are kept.
"""
from __future__ import annotations

import gc


def settle_heap() -> int:
    """Collect what the start left behind, then leave everything alive now out of every later
    collection; the number of objects set aside."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()

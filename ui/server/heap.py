"""The server's heap, settled once the app is built: what exists then lives as long as the
process, so Python's garbage collector stops going through it.

A full collection walked every object gradio, fastapi and this app had made by then, at
200-360 ms a time on this machine, holding every thread: one landing while a crowd's replies
start delays every first token by that much (measured with `gc.callbacks` while 100 visitors
sent at once). `gc.freeze()` moves those objects out of the collector's reach; later
collections walk only what came after (gradio's lazy imports, the sessions, their chats and
replies): 90-170k objects, still ~100 ms a full walk, hence the rarer collections below.
"""
from __future__ import annotations

import gc

# Collections of the youngest objects every 10,000 new ones (700 by default), of everything
# after 100 of the middle generation's (10): over a 100-visitor crowd 6-9 young collections in
# its first 1.5 s instead of ~100-150, and a full one every few dozen crowds instead of every
# other one. Cyclic garbage waits longer for collection; resident memory over 8 crowds of 100
# grew as it did before (240 -> 298 MiB against 238 -> 292; gradio keeps each session).
THRESHOLDS = (10_000, 10, 100)


def settle_heap() -> int:
    """Collect what the start left behind, then leave everything alive now out of every later
    collection; the number of objects set aside."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
    return gc.get_freeze_count()

"""What the personas' store holds and costs: `python bench/persona_budget.py`.

- the built-in library's bytes, kept as own personas would be;
- how many own personas with a long system prompt (1,300 Chinese characters) fit the store's
  budget (ui/conversations/persona_store.py), and its bytes then;
- the milliseconds to check that full store as it comes back from the browser (`parse_store`,
  run on every personas event), the median of 20.
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ui.conversations.persona_store import StoreFull, add, empty, parse_store, size  # noqa: E402
from ui.conversations.personas import built_in  # noqa: E402

LONG_PROMPT = "你" * 1_300
SETTINGS = {"api": "v2", "model": "MiniMax-M3", "system": LONG_PROMPT, "temperature": 0.7,
            "top_p": 0.9, "max_tokens": 8192, "bot_name": "助手", "user_name": "用户",
            "thinking": "adaptive"}


def main() -> None:
    library = [{k: v for k, v in p.items() if k != "icon"} for p in built_in("zh")]
    print(f"built-in library (zh) as own personas: {size({**empty(), 'personas': library}):,} bytes")
    store = empty()
    while True:
        try:
            store, _ = add(store, f"persona {len(store['personas'])}", "一句话描述" * 4, SETTINGS, 40)
        except StoreFull:
            break
    print(f"own personas of 1,300 Chinese characters that fit: {len(store['personas'])}, "
          f"{size(store):,} bytes")
    sent = json.loads(json.dumps(store))
    times = []
    for _ in range(20):
        start = time.perf_counter()
        parse_store(sent)
        times.append((time.perf_counter() - start) * 1000)
    print(f"checking that store (parse_store): {statistics.median(times):.1f} ms (median of 20)")


if __name__ == "__main__":
    main()

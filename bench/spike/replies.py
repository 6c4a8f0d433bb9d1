"""Where both spike pages get their replies: the backend's offline emulator, streamed.

The emulator starts on the first message (nothing at import); a reply is yielded as the
text so far, at most every UPDATE_S, as the real page coalesces its updates.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Iterator

from minimax_backend import ChatRequest, Message, MiniMaxClient, Settings, TextDelta
from minimax_backend.emulator import Emulator, EmulatorConfig

UPDATE_S = 0.04
INTERVAL_MS = 25  # the offline demo's pace

_lock = threading.Lock()
_client: MiniMaxClient | None = None


def client() -> MiniMaxClient:
    """A client of an emulator started on first use."""
    global _client
    with _lock:
        if _client is None:
            emulator = Emulator(EmulatorConfig(interval_ms=INTERVAL_MS)).start()
            _client = MiniMaxClient(Settings(api_key="offline-demo", base_url=emulator.url))
        return _client


def stream_reply(turns: list[tuple[str, str]], text: str) -> Iterator[str]:
    """The answer to `text` after `turns` (role, text), as it grows."""
    messages = [Message(role, said) for role, said in turns if said] + [Message("user", text)]
    request = ChatRequest(messages=messages, model="MiniMax-M3", max_tokens=1024)
    answer, shown_at = "", 0.0
    for event in client().stream(request):
        if isinstance(event, TextDelta):
            answer += event.text
            if time.monotonic() - shown_at >= UPDATE_S:
                shown_at = time.monotonic()
                yield answer
    yield answer


# Three saved chats, so the list has something to show; each a (role, text) list.
SAMPLE_CHATS: dict[str, list[tuple[str, str]]] = {
    "杭州三日游 · A trip to Hangzhou": [("user", "杭州三日游怎么安排？"),
                                      ("assistant", "第一天西湖，第二天灵隐寺和龙井村，第三天河坊街。")],
    "Python 列表去重 · Dedup a list": [("user", "How do I dedupe a list and keep order?"),
                                     ("assistant", "`list(dict.fromkeys(items))` keeps the first of each.")],
    "写一首诗 · A short poem": [("user", "写一句关于秋天的诗"),
                              ("assistant", "秋风过处叶先知，一夜霜华染旧枝。")],
}

"""How long the chat's running total takes, which is summed from its notes before each reply:
`python bench/chat_totals.py`. Prints the fastest of 20 runs for chats of 50 and 500 replies."""
from __future__ import annotations

import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the app's packages importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from minimax_backend import Finish, TextDelta, Usage  # noqa: E402
from ui.chat.history import chat_totals  # noqa: E402
from ui.chat.reply import Reply  # noqa: E402

USAGE = Usage(prompt_tokens=12_345, completion_tokens=678, cached_tokens=9_000, total_tokens=13_023)


def chat(replies: int) -> list[dict]:
    """A chat of `replies` exchanges as the widget holds it, each reply with its note."""
    history: list[dict] = []
    for _ in range(replies):
        reply = Reply(model="MiniMax-M2.7", region="cn")
        reply.apply(TextDelta("answer"))
        reply.apply(Finish(reason="stop", raw_content="answer", usage=USAGE))
        reply.end()
        history += [{"role": "user", "content": "question"}, *reply.messages("zh")]
    return history


def main() -> None:
    for replies in (50, 500):
        history, runs = chat(replies), []
        for _ in range(20):
            start = time.perf_counter()
            chat_totals(history)
            runs.append(time.perf_counter() - start)
        print(f"running total over {replies} replies: {min(runs) * 1000:.1f} ms (fastest of 20)")


if __name__ == "__main__":
    main()

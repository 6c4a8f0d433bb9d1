"""The Anthropic-compatible endpoint's objects: a `message` body and its event stream.

Shaped after MiniMax's sample of `/anthropic/v1/messages` (a 32-hex id, thinking blocks
with a 64-hex `signature`, usage with cache counts) and Anthropic's stream: message_start,
ping, content_block_start / _delta / _stop per block, message_delta with the stop reason and
output tokens, message_stop (docs/minimax-api.md#anthropic-compatible).
"""
from __future__ import annotations

from collections.abc import Iterator

from .checks_compat import signature_of
from .frames import Envelope
from .replies import Reply

STOP_REASONS = {"stop": "end_turn", "length": "max_tokens"}


def usage(reply: Reply, *, output: bool = True) -> dict:
    """Input tokens not read from the cache, output tokens, and the cache counts."""
    return {"input_tokens": reply.prompt_tokens - reply.cached_tokens,
            "output_tokens": reply.completion_tokens if output else 0,
            "cache_creation_input_tokens": 0, "cache_read_input_tokens": reply.cached_tokens}


def content(reply: Reply) -> list[dict]:
    """The reply's content blocks: thinking (signed) if any, then the text."""
    blocks = []
    if reply.reasoning:
        blocks.append({"thinking": reply.reasoning_text,
                       "signature": signature_of(reply.reasoning_text), "type": "thinking"})
    return blocks + [{"text": reply.text, "type": "text"}]


def message(env: Envelope, reply: Reply) -> dict:
    """A non-streaming reply."""
    return {"id": env.id, "type": "message", "role": "assistant", "model": env.model,
            "content": content(reply), "usage": usage(reply),
            "stop_reason": STOP_REASONS.get(reply.finish_reason, reply.finish_reason)}


def _delta(index: int, delta: dict) -> dict:
    return {"type": "content_block_delta", "index": index, "delta": delta}


def stream_events(env: Envelope, reply: Reply) -> Iterator[dict]:
    """Every event of a successful stream, in order."""
    start = {**message(env, reply), "content": [], "stop_reason": None, "stop_sequence": None,
             "usage": usage(reply, output=False)}
    yield {"type": "message_start", "message": start}
    yield {"type": "ping"}
    index = 0
    if reply.reasoning:
        yield {"type": "content_block_start", "index": index,
               "content_block": {"type": "thinking", "thinking": "", "signature": ""}}
        for piece in reply.reasoning:
            yield _delta(index, {"type": "thinking_delta", "thinking": piece})
        yield _delta(index, {"type": "signature_delta",
                             "signature": signature_of(reply.reasoning_text)})
        yield {"type": "content_block_stop", "index": index}
        index += 1
    yield {"type": "content_block_start", "index": index,
           "content_block": {"type": "text", "text": ""}}
    for piece in reply.content:
        yield _delta(index, {"type": "text_delta", "text": piece})
    yield {"type": "content_block_stop", "index": index}
    yield {"type": "message_delta",
           "delta": {"stop_reason": STOP_REASONS.get(reply.finish_reason, reply.finish_reason),
                     "stop_sequence": None},
           "usage": {"output_tokens": reply.completion_tokens}}
    yield {"type": "message_stop"}

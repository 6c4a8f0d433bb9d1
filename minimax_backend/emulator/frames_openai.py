"""The OpenAI-compatible endpoint's objects: `chat.completion` bodies and stream chunks.

MiniMax's own samples of `/v1/chat/completions` carry v2's fields (`name`, `audio_content`,
the sensitivity flags), so these build on frames.py; what differs is thinking apart from the
answer under `reasoning_split` (`reasoning_details`, whose text MiniMax's examples treat as
the thinking so far), cached prompt tokens, and OpenAI's stream ending: an optional
choices-less usage chunk, then `data: [DONE]` (docs/minimax-api.md#openai-compatible).
"""
from __future__ import annotations

from collections.abc import Iterator

from .frames import Envelope, base_resp, v2_completion, v2_delta, v2_usage
from .replies import Reply

DONE = "[DONE]"


def details(text: str) -> list[dict]:
    """`reasoning_details` as MiniMax's pages show them."""
    return [{"type": "reasoning.text", "id": "reasoning-text-1", "format": "MiniMax-response-v1",
             "index": 0, "text": text}]


def usage(env: Envelope, reply: Reply) -> dict:
    found = v2_usage(env, reply)
    if reply.cached_tokens:
        found["prompt_tokens_details"] = {"cached_tokens": reply.cached_tokens}
    return found


def completion(env: Envelope, reply: Reply, split: bool) -> dict:
    """A non-streaming reply: with `split`, thinking in reasoning_content and details."""
    body = v2_completion(env, reply)
    message = body["choices"][0]["message"]
    message.pop("reasoning_content", None)
    if split and reply.reasoning:
        message.update(reasoning_content=reply.reasoning_text,
                       reasoning_details=details(reply.reasoning_text))
    return {**body, "usage": usage(env, reply)}


def _chunk(env: Envelope, content: str = "", *, thinking_so_far: str | None = None,
           finish: str | None = None) -> dict:
    chunk = v2_delta(env, content, finish_reason=finish)
    if thinking_so_far is not None:
        chunk["choices"][0]["delta"]["reasoning_details"] = details(thinking_so_far)
    return chunk


def pieces(env: Envelope, reply: Reply) -> Iterator[dict]:
    """The chunks before the last: thinking (cumulative details), then the answer."""
    so_far = ""
    for piece in reply.reasoning:
        so_far += piece
        yield _chunk(env, thinking_so_far=so_far)
    for text in reply.content[:-1]:
        yield _chunk(env, text)


def stream_events(env: Envelope, reply: Reply, *, include_usage: bool) -> Iterator[dict | str]:
    """Every frame of a successful stream, in order."""
    yield from pieces(env, reply)
    last = _chunk(env, reply.content[-1] if reply.content else "", finish=reply.finish_reason)
    if include_usage:
        yield last
        yield {**_chunk(env), "choices": [], "usage": usage(env, reply),
               "base_resp": base_resp(0, env.warning)}
    else:  # no usage asked for: it rides on the finishing chunk
        yield {**last, "usage": usage(env, reply), "base_resp": base_resp(0, env.warning)}
    yield DONE

"""The Anthropic-compatible endpoint, `/anthropic/v1/messages`: the `anthropic` SDK's format.

A top-level `system`, content blocks (`thinking` with its `signature`, `text`, `image`), and
Anthropic's event stream: message_start, content_block_start / _delta / _stop, message_delta
(stop reason and usage), message_stop, ping and error (docs/minimax-api.md#anthropic-compatible).
"""
from __future__ import annotations

import base64

from .codec_v2 import int_of, thinking_param
from .errors import ResponseFormatError
from .models import ANTHROPIC
from .turns import unpack
from .types import JSON, USER, ChatRequest, Message, Piece, Usage

PATH = "/anthropic/v1/messages"

# Anthropic's stop reasons in the words the other dialects use.
STOP_REASONS = {"end_turn": "stop", "stop_sequence": "stop", "max_tokens": "length",
                "tool_use": "tool_calls"}


def encode(request: ChatRequest, stream: bool) -> JSON:
    """The JSON body; earlier thinking turns go back as the blocks they came in."""
    body: JSON = {
        "model": request.model,
        "max_tokens": request.max_tokens,
        "messages": [_message(m) for m in request.messages],
        "stream": stream,
        "temperature": request.temperature,
        "top_p": request.top_p,
    }
    if request.system.strip():
        body["system"] = request.system
    return {**body, **thinking_param(request)}


def _message(message: Message) -> JSON:
    if message.role == USER:
        if not message.images:
            return {"role": USER, "content": message.content}
        images = [{"type": "image", "source": {"type": "base64", "media_type": i.mime,
                                               "data": base64.b64encode(i.data).decode("ascii")}}
                  for i in message.images]
        text = [{"type": "text", "text": message.content}] if message.content.strip() else []
        return {"role": USER, "content": images + text}
    turn = unpack(message.content)
    if turn.api == ANTHROPIC:
        return {"role": "assistant", "content": turn.native}
    return {"role": "assistant", "content": turn.answer}


def params(group_id: str) -> dict[str, str]:
    """No GroupId: the key alone names the account."""
    return {}


def read_usage(usage: object) -> Usage | None:
    """Anthropic usage, or None if absent or all zero. Anthropic counts cache reads and
    writes apart from `input_tokens`; `Usage.prompt_tokens` is all of them, as on v2."""
    if not isinstance(usage, dict):
        return None
    read, written = (int_of(usage.get("cache_read_input_tokens")),
                     int_of(usage.get("cache_creation_input_tokens")))
    prompt = int_of(usage.get("input_tokens")) + read + written
    completion = int_of(usage.get("output_tokens"))
    found = Usage(prompt_tokens=prompt, completion_tokens=completion,
                  total_tokens=prompt + completion, cached_tokens=read, cache_write_tokens=written)
    return found if found != Usage() else None


def _stop(reason: object) -> str:
    return STOP_REASONS.get(str(reason), str(reason)) if reason else ""


def _str(part: object, key: str) -> str:
    value = part.get(key) if isinstance(part, dict) else None
    return value if isinstance(value, str) else ""


def decode_event(obj: JSON) -> Piece:
    """One event, by its `type` (errors were raised before; ping and stops say nothing)."""
    kind = obj.get("type")
    if kind == "message_start":
        message = obj.get("message")
        return Piece(usage=read_usage(message.get("usage") if isinstance(message, dict) else None))
    if kind == "content_block_start":
        block = obj.get("content_block")
        if not isinstance(block, dict):
            raise ResponseFormatError("content_block_start without a content block")
        return Piece(block=block, content=_str(block, "text"), reasoning=_str(block, "thinking"),
                     signature=_str(block, "signature"))
    if kind == "content_block_delta":
        delta = obj.get("delta")
        return Piece(content=_str(delta, "text"), reasoning=_str(delta, "thinking"),
                     signature=_str(delta, "signature"))
    if kind == "message_delta":
        delta = obj.get("delta")
        return Piece(finish_reason=_stop(delta.get("stop_reason") if isinstance(delta, dict) else ""),
                     usage=read_usage(obj.get("usage")))
    return Piece()


def decode_body(obj: JSON) -> Piece:
    """A non-streaming `message`."""
    content = obj.get("content")
    if not isinstance(content, list) or not all(isinstance(b, dict) for b in content):
        raise ResponseFormatError("the response has no content blocks")
    return Piece(content="".join(_str(b, "text") for b in content if b.get("type") == "text"),
                 reasoning="".join(_str(b, "thinking") for b in content
                                   if b.get("type") == "thinking"),
                 finish_reason=_stop(obj.get("stop_reason")) or "stop",
                 usage=read_usage(obj.get("usage")), blocks=tuple(content))

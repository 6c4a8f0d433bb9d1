"""The OpenAI-compatible endpoint, `/v1/chat/completions`: the `openai` SDK's wire format.

Messages, images and usage as on v2; thinking is asked for apart from the answer with
`reasoning_split: true` and arrives in `reasoning_details` (or `reasoning_content`), and inline
as `<think>` if a server ignores it (docs/minimax-api.md#openai-compatible).
"""
from __future__ import annotations

from .codec_v2 import (
    chat_messages,
    first_choice,
    read_usage,
    sensitive,
    text_of,
    thinking_param,
)
from .errors import ResponseFormatError
from .models import OPENAI
from .types import JSON, ChatRequest, Piece

PATH = "/v1/chat/completions"


def encode(request: ChatRequest, stream: bool) -> JSON:
    """The JSON body: `max_completion_tokens` (MiniMax marks `max_tokens` deprecated here),
    thinking split from the answer, and usage at the end of a stream."""
    body: JSON = {
        "model": request.model,
        "messages": chat_messages(request, OPENAI),
        "stream": stream,
        "max_completion_tokens": request.max_tokens,
        "temperature": request.temperature,
        "top_p": request.top_p,
        "reasoning_split": True,
    }
    if stream:
        body["stream_options"] = {"include_usage": True}
    return {**body, **thinking_param(request)}


def params(group_id: str) -> dict[str, str]:
    """No GroupId: the key alone names the account."""
    return {}


def _details(part: object) -> tuple[tuple[JSON, ...] | None, str | None]:
    """`reasoning_details` as sent, and the text they hold."""
    details = part.get("reasoning_details") if isinstance(part, dict) else None
    if not isinstance(details, list) or not details:
        return None, None
    entries = tuple(d for d in details if isinstance(d, dict))
    return entries, "".join(d["text"] for d in entries if isinstance(d.get("text"), str))


def decode_event(obj: JSON) -> Piece:
    """One chunk. Content is new text; `reasoning_details` text is the thinking so far, which
    `ReplyAssembler` turns into what is new."""
    choice = first_choice(obj)
    delta = choice.get("delta")
    message = choice.get("message")
    details, total = _details(delta)
    return Piece(
        content=text_of(delta, "content"),
        reasoning="" if details else text_of(delta, "reasoning_content"),
        finish_reason=str(choice.get("finish_reason") or ""),
        usage=read_usage(obj),
        full_content=text_of(message, "content") if isinstance(message, dict) else None,
        sensitive=sensitive(obj),
        reasoning_total=total,
        details=details,
    )


def decode_body(obj: JSON) -> Piece:
    """A non-streaming `chat.completion`."""
    message = first_choice(obj).get("message")
    if not isinstance(message, dict):
        raise ResponseFormatError("the response has no message")
    details, total = _details(message)
    return Piece(
        content=text_of(message, "content"),
        reasoning=(total or "") if details else text_of(message, "reasoning_content"),
        finish_reason=str(first_choice(obj).get("finish_reason") or "stop"),
        usage=read_usage(obj),
        sensitive=sensitive(obj),
        details=details,
    )

"""chatcompletion_v2: OpenAI-like messages in, delta chunks out."""
from __future__ import annotations

import base64

from .errors import ResponseFormatError
from .models import V2, spec_for
from .turns import unpack
from .types import JSON, THINK_OFF, USER, ChatRequest, ImagePart, Message, Piece, Usage

PATH = "/v1/text/chatcompletion_v2"


def encode(request: ChatRequest, stream: bool) -> JSON:
    """The JSON body; the system prompt becomes a `system` message."""
    body = {
        "model": request.model,
        "messages": chat_messages(request, V2),
        "stream": stream,
        # Always sent: older models cut answers short when it is left to the default.
        "max_tokens": request.max_tokens,
        "temperature": request.temperature,
        "top_p": request.top_p,
    }
    return {**body, **thinking_param(request)}


def thinking_param(request: ChatRequest) -> JSON:
    """`thinking`, for a model that can turn it off (MiniMax-M3); others get nothing, as
    MiniMax ignores "disabled" for a model that always thinks."""
    if not spec_for(request.model).thinking_switch:
        return {}
    return {"thinking": {"type": "disabled" if request.thinking == THINK_OFF else "adaptive"}}


def chat_messages(request: ChatRequest, api: str) -> list[JSON]:
    """OpenAI-style messages (v2 and the OpenAI-compatible endpoint): a `system` message,
    user turns with `image_url` parts, and assistant turns as MiniMax sent them."""
    messages = [{"role": "system", "content": request.system}] if request.system.strip() else []
    return messages + [_message(m, api) for m in request.messages]


def _message(message: Message, api: str) -> JSON:
    if message.role == USER:
        if not message.images:
            return {"role": USER, "content": message.content}
        parts = [{"type": "text", "text": message.content}] if message.content.strip() else []
        return {"role": USER, "content": parts + [image_url_part(i) for i in message.images]}
    turn = unpack(message.content)
    if turn.api and turn.api == api and isinstance(turn.native, dict):
        return {"role": "assistant", **turn.native}
    return {"role": "assistant", "content": turn.answer if turn.api else turn.raw}


def image_url_part(image: ImagePart) -> JSON:
    """An image as a `data:` URL part (docs/minimax-api.md#images)."""
    data = base64.b64encode(image.data).decode("ascii")
    return {"type": "image_url", "image_url": {"url": f"data:{image.mime};base64,{data}"}}


def params(group_id: str) -> dict[str, str]:
    """v2 takes no GroupId: one of another account is refused with 1004."""
    return {}


def read_usage(obj: JSON) -> Usage | None:
    """Usage from a frame, or None for absent, null or all-zero placeholders."""
    usage = obj.get("usage")
    if not isinstance(usage, dict):
        return None
    details = usage.get("completion_tokens_details") or {}
    prompt_details = usage.get("prompt_tokens_details") or {}
    found = Usage(
        prompt_tokens=int_of(usage.get("prompt_tokens")),
        completion_tokens=int_of(usage.get("completion_tokens")),
        reasoning_tokens=int_of(details.get("reasoning_tokens") if isinstance(details, dict) else 0),
        total_tokens=int_of(usage.get("total_tokens")),
        cached_tokens=int_of(prompt_details.get("cached_tokens")
                           if isinstance(prompt_details, dict) else 0),
    )
    return found if found != Usage() else None


def int_of(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def sensitive(obj: JSON) -> bool:
    return bool(obj.get("input_sensitive") or obj.get("output_sensitive"))


def first_choice(obj: JSON) -> JSON:
    choices = obj.get("choices")
    if not choices:  # None on errors, [] on the usage-only tail
        return {}
    if not isinstance(choices, list) or not isinstance(choices[0], dict):
        raise ResponseFormatError(f"unexpected choices: {str(choices)[:100]}")
    return choices[0]


def decode_event(obj: JSON) -> Piece:
    """One stream event. Only `delta` text is appended; a `message` is the terminal frame
    that repeats the whole reply."""
    choice = first_choice(obj)
    delta = choice.get("delta")
    message = choice.get("message")
    return Piece(
        content=text_of(delta, "content"),
        reasoning=text_of(delta, "reasoning_content"),
        finish_reason=str(choice.get("finish_reason") or ""),
        usage=read_usage(obj),
        full_content=text_of(message, "content") if isinstance(message, dict) else None,
        sensitive=sensitive(obj),
    )


def decode_body(obj: JSON) -> Piece:
    """A non-streaming response body."""
    choice = first_choice(obj)
    message = choice.get("message")
    if not isinstance(message, dict):
        raise ResponseFormatError("the response has no message")
    return Piece(
        content=text_of(message, "content"),
        reasoning=text_of(message, "reasoning_content"),
        finish_reason=str(choice.get("finish_reason") or "stop"),
        usage=read_usage(obj),
        sensitive=sensitive(obj),
    )


def text_of(part: object, key: str) -> str:
    value = part.get(key) if isinstance(part, dict) else None
    return value if isinstance(value, str) else ""

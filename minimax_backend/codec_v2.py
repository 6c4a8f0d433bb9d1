"""chatcompletion_v2: OpenAI-like messages in, delta chunks out."""
from __future__ import annotations

from .errors import ResponseFormatError
from .types import JSON, ChatRequest, Piece, Usage

PATH = "/v1/text/chatcompletion_v2"


def encode(request: ChatRequest, stream: bool) -> JSON:
    """The JSON body; the system prompt becomes a `system` message."""
    messages = [{"role": "system", "content": request.system}] if request.system.strip() else []
    messages += [{"role": m.role, "content": m.content} for m in request.messages]
    return {
        "model": request.model,
        "messages": messages,
        "stream": stream,
        # Always sent: older models cut answers short when it is left to the default.
        "max_tokens": request.max_tokens,
        "temperature": request.temperature,
        "top_p": request.top_p,
    }


def params(group_id: str) -> dict[str, str]:
    """v2 takes no GroupId: one of another account is refused with 1004."""
    return {}


def read_usage(obj: JSON) -> Usage | None:
    """Usage from a frame, or None for absent, null or all-zero placeholders."""
    usage = obj.get("usage")
    if not isinstance(usage, dict):
        return None
    details = usage.get("completion_tokens_details") or {}
    found = Usage(
        prompt_tokens=_int(usage.get("prompt_tokens")),
        completion_tokens=_int(usage.get("completion_tokens")),
        reasoning_tokens=_int(details.get("reasoning_tokens") if isinstance(details, dict) else 0),
        total_tokens=_int(usage.get("total_tokens")),
    )
    return found if found != Usage() else None


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _sensitive(obj: JSON) -> bool:
    return bool(obj.get("input_sensitive") or obj.get("output_sensitive"))


def _first_choice(obj: JSON) -> JSON:
    choices = obj.get("choices")
    if not choices:  # None on errors, [] on the usage-only tail
        return {}
    if not isinstance(choices, list) or not isinstance(choices[0], dict):
        raise ResponseFormatError(f"unexpected choices: {str(choices)[:100]}")
    return choices[0]


def decode_event(obj: JSON) -> Piece:
    """One stream event. Only `delta` text is appended; a `message` is the terminal frame
    that repeats the whole reply."""
    choice = _first_choice(obj)
    delta = choice.get("delta")
    message = choice.get("message")
    return Piece(
        content=_text(delta, "content"),
        reasoning=_text(delta, "reasoning_content"),
        finish_reason=str(choice.get("finish_reason") or ""),
        usage=read_usage(obj),
        full_content=_text(message, "content") if isinstance(message, dict) else None,
        sensitive=_sensitive(obj),
    )


def decode_body(obj: JSON) -> Piece:
    """A non-streaming response body."""
    choice = _first_choice(obj)
    message = choice.get("message")
    if not isinstance(message, dict):
        raise ResponseFormatError("the response has no message")
    return Piece(
        content=_text(message, "content"),
        reasoning=_text(message, "reasoning_content"),
        finish_reason=str(choice.get("finish_reason") or "stop"),
        usage=read_usage(obj),
        sensitive=_sensitive(obj),
    )


def _text(part: object, key: str) -> str:
    value = part.get(key) if isinstance(part, dict) else None
    return value if isinstance(value, str) else ""

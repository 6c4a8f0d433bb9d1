"""Request checking the way MiniMax does it: a refusal is a business error, not an HTTP one.

`check_access` and `check_call` raise `Rejected(code, status_msg)`; the server turns that
into an HTTP-200 body (or a single stream event) whose `base_resp` carries the code.
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from ..models import ANTHROPIC, PRO, V2, spec_for
from .images import SeenImage, from_url

# status_msg texts as MiniMax words them (or close to it) for injected errors.
STATUS_MESSAGES = {
    1000: "unknown error",
    1001: "request timeout",
    1002: "rate limit exceeded(RPM)",
    1004: "cookie is missing, log in again",
    1008: "insufficient balance",
    1013: "internal service error",
    1024: "internal error",
    1026: "input new_sensitive",
    1027: "output new_sensitive",
    1033: "system error",
    1039: "token limit exceeded(TPM)",
    1041: "conn limit exceeded",
    1042: "illegal characters exceeded limit",
    2013: "invalid params",
    2045: "rate growth limit exceeded",
    2049: "invalid api key",
    2056: "usage limit exceeded",
    2061: "your current token plan not support model",
    2064: "The server cluster is currently under high load. Please retry after a short wait "
          "and thank you for your patience.",
}

_V2_FIELDS = {"model", "messages", "stream", "stream_options", "max_tokens", "max_completion_tokens",
              "temperature", "top_p", "tool_choice", "tools", "mask_sensitive_info",
              "response_format", "reasoning_split", "n", "thinking"}
_PRO_FIELDS = {"model", "messages", "bot_setting", "reply_constraints", "stream", "tokens_to_generate",
               "temperature", "top_p", "mask_sensitive_info", "sample_messages", "plugins",
               "functions", "function_call", "skip_info_mask"}
_V2_ROLES = ("system", "user", "assistant", "tool")
SENDER_TYPES = ("USER", "BOT", "FUNCTION")  # pro's message senders, upper case only
PRO_DEFAULT_TOKENS = 256  # MiniMax's default for tokens_to_generate: long answers get cut


class Rejected(Exception):
    """MiniMax refuses the request with this `base_resp`."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def status_message(code: int) -> str:
    """A MiniMax-like status_msg for an error code."""
    return STATUS_MESSAGES.get(code, f"error {code}")


@dataclass(frozen=True)
class Call:
    """One accepted chat request, reduced to what the reply and its frames need."""

    api: str
    model: str
    stream: bool
    temperature: float | None  # None: not sent, the model default applies
    top_p: float | None
    max_tokens: int  # the effective output budget
    max_tokens_sent: bool
    system: str
    last_user: str
    message_count: int
    prompt_chars: int
    include_usage: bool = False
    mask: bool = False
    bot_name: str = ""  # pro: who answers
    warning: str = ""  # status_msg for a status_code-0 warning
    thinking: bool = True  # False when `thinking: disabled` reached a model that can stop
    split: bool = False  # OpenAI-compatible `reasoning_split`: thinking apart from content
    images: tuple[SeenImage, ...] = ()  # the last user message's images
    thinking_returned: int = 0  # earlier thinking sent back (Anthropic blocks, details)
    cached_chars: int = 0  # prompt characters before the last user turn: the "cached" prefix


def check_access(api: str, headers: Mapping[str, str], query: Mapping[str, str],
                 api_keys: tuple[str, ...], group_id: str) -> None:
    """Auth and GroupId, checked before the body like the real gateway does."""
    scheme, _, token = headers.get("authorization", "").strip().partition(" ")
    token = token.strip() if scheme.lower() == "bearer" else ""
    if api == ANTHROPIC and not token:  # the anthropic SDK sends its key as X-Api-Key
        token = headers.get("x-api-key", "").strip()
    if not token:
        raise Rejected(1004, "cookie is missing, log in again")
    if api_keys and token not in api_keys:
        raise Rejected(2049, "invalid api key")
    group = query.get("GroupId")
    if api == PRO:
        if not group or not group.isdigit() or (group_id and group != group_id):
            raise Rejected(1004, "token not match group")
    elif group is not None and group_id and group != group_id:
        # v2 needs no GroupId, but one of another account is still refused.
        raise Rejected(1004, "token not match group")


def parse_body(raw: bytes) -> dict:
    """The JSON object of a request body."""
    try:
        body = json.loads(raw)
    except ValueError:
        raise Rejected(2013, "invalid params, request body is not valid json") from None
    if not isinstance(body, dict):
        raise Rejected(2013, "invalid params, request body must be a json object")
    return body


def invalid(detail: str) -> Rejected:
    return Rejected(2013, f"invalid params, {detail}")


def unit(body: dict, name: str) -> float | None:
    value = body.get(name)
    if value is None:
        return None
    # (0, 1]: MiniMax rejects 0, unlike OpenAI's [0, 2].
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
        raise invalid(f"{name} must be in (0, 1], got {value!r}")
    return float(value)


def budget(body: dict, names: tuple[str, ...], default: int) -> tuple[int, bool]:
    for name in names:
        value = body.get(name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise invalid(f"{name} must be an integer of at least 1, got {value!r}")
        return value, True
    return default, False


def text_of(content: object) -> str:
    """The text of a v2 content: a string or a list of {type: "text"} parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict)
                       and isinstance(p.get("text"), str))
    return ""


def warning_for(body: dict, known: set[str]) -> str:
    # MiniMax decodes with Go's DisallowUnknownFields but still serves the call.
    unknown = [name for name in body if name not in known]
    return f'Invalid parameters detected, json: unknown field "{unknown[0]}"' if unknown else ""


def model_of(body: dict, api: str) -> str:
    model = body.get("model")
    if not isinstance(model, str) or not model.strip():
        raise invalid("model is required")
    # The docs list each API's models; which code MiniMax gives a known model on the other
    # API is not documented, so this answers as for any invalid parameter.
    if api not in spec_for(model).apis:
        raise invalid(f"model {model} is not supported by chatcompletion_{api}")
    return model


def messages_of(body: dict) -> list:
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise invalid("messages is empty")
    if not all(isinstance(m, dict) for m in messages):
        raise invalid("each message must be an object")
    return messages


def thinking_of(body: dict, model: str) -> bool:
    """Whether the reply may think: `thinking: {"type": "disabled"}` stops a model that can
    stop (MiniMax-M3); MiniMax ignores it for one that always thinks."""
    thinking = body.get("thinking")
    if thinking is None:
        return True
    kind = thinking.get("type") if isinstance(thinking, dict) else None
    if kind not in ("adaptive", "disabled", "enabled"):
        raise invalid('thinking.type must be "adaptive" or "disabled"')
    return kind != "disabled" or not spec_for(model).thinking_switch


def images_of(model: str, parts: list[SeenImage]) -> tuple[SeenImage, ...]:
    """The images of a request, refused as MiniMax does for a model without image input."""
    if parts and not spec_for(model).images:
        raise invalid(f"model {model} does not support image input")
    return tuple(parts)


def url_images(content: object) -> list[SeenImage]:
    """The `image_url` parts of an OpenAI-style content list."""
    if not isinstance(content, list):
        return []
    return [from_url(p["image_url"].get("url", "")) for p in content if isinstance(p, dict)
            and p.get("type") == "image_url" and isinstance(p.get("image_url"), dict)]


def check_call(api: str, body: dict) -> Call:
    """Validate a v2 or pro request body; raise Rejected(2013, ...) naming the field.
    (The compatible endpoints' bodies: `checks_compat.check_compat`.)"""
    return _check_pro(body) if api == PRO else _check_v2(body)


def _check_v2(body: dict) -> Call:
    model, messages = model_of(body, V2), messages_of(body)
    for i, message in enumerate(messages):
        if message.get("role") not in _V2_ROLES:
            raise invalid(f"messages[{i}].role must be one of {'|'.join(_V2_ROLES)}")
    if body.get("tool_choice") not in (None, "none", "auto"):
        raise invalid('tool_choice must be "none" or "auto"')
    temperature, top_p = unit(body, "temperature"), unit(body, "top_p")
    tokens, sent = budget(body, ("max_tokens", "max_completion_tokens"),
                           spec_for(model).default_max_tokens)
    texts = [text_of(m.get("content")) for m in messages]
    users = [t for m, t in zip(messages, texts) if m["role"] == "user"]
    last: dict = next((m for m in reversed(messages) if m["role"] == "user"), {})
    options = body.get("stream_options")
    return Call(
        api=V2, model=model, stream=body.get("stream") is True, temperature=temperature,
        top_p=top_p, max_tokens=tokens, max_tokens_sent=sent,
        system="\n".join(t for m, t in zip(messages, texts) if m["role"] == "system"),
        last_user=users[-1] if users else "", message_count=len(messages),
        prompt_chars=sum(map(len, texts)),
        include_usage=isinstance(options, dict) and options.get("include_usage") is True,
        mask=body.get("mask_sensitive_info") is True, warning=warning_for(body, _V2_FIELDS),
        thinking=thinking_of(body, model), images=images_of(model, url_images(last.get("content"))))


def _check_pro(body: dict) -> Call:
    model, messages = model_of(body, PRO), messages_of(body)
    for i, message in enumerate(messages):
        name = message.get("sender_name")
        if not isinstance(name, str) or not name:
            raise invalid(f"messages[{i}].sender_name is required")
        if message.get("sender_type") not in SENDER_TYPES:
            raise invalid(f"messages[{i}].sender_type must be one of {', '.join(SENDER_TYPES)}")
    bots = body.get("bot_setting")
    if not isinstance(bots, list) or not bots or not all(
            isinstance(b, dict) and isinstance(b.get("bot_name"), str)
            and isinstance(b.get("content"), str) for b in bots):
        raise invalid("bot_setting is required: a list of {bot_name, content}")
    constraints = body.get("reply_constraints")
    if not isinstance(constraints, dict):
        raise invalid("reply_constraints is required")
    if constraints.get("sender_type") != "BOT":
        raise invalid("reply_constraints.sender_type must be BOT")
    persona = {b["bot_name"]: b["content"] for b in bots}
    bot_name = constraints.get("sender_name")
    if not isinstance(bot_name, str) or bot_name not in persona:
        raise invalid("reply_constraints.sender_name must be one of the bot_setting bot_name values")
    temperature, top_p = unit(body, "temperature"), unit(body, "top_p")
    tokens, sent = budget(body, ("tokens_to_generate",), PRO_DEFAULT_TOKENS)
    texts = [m.get("text") if isinstance(m.get("text"), str) else "" for m in messages]
    users = [t for m, t in zip(messages, texts) if m.get("sender_type") == "USER"]
    return Call(
        api=PRO, model=model, stream=body.get("stream") is True, temperature=temperature,
        top_p=top_p, max_tokens=tokens, max_tokens_sent=sent, system=persona[bot_name],
        last_user=users[-1] if users else "", message_count=len(messages),
        prompt_chars=sum(map(len, texts)) + sum(map(len, persona.values())),
        mask=body.get("mask_sensitive_info") is not False, bot_name=bot_name,
        warning=warning_for(body, _PRO_FIELDS))

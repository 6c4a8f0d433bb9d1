"""The JSON objects MiniMax sends, for both APIs: stream frames, whole bodies, error bodies.

Field names, order and the odd repetitions (role/name on every v2 chunk, the whole reply again
at the end of both streams) follow docs/minimax-api.md (#v2-stream, #pro-stream), which
follows captures of the real service.
"""
from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from ..models import PRO
from .replies import Reply

BOT_NAME_V2 = "MiniMax AI"


def dumps(payload: dict) -> str:
    """Compact JSON with raw UTF-8, the way MiniMax writes it."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def new_id() -> str:
    """A fresh 32-hex id, used both as the body's `id` and the Trace-Id header."""
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Envelope:
    """What every frame of one response shares."""

    id: str
    model: str
    created: int = 0
    warning: str = ""  # status_msg of a status_code-0 answer
    input_sensitive: bool = False
    output_sensitive: bool = False
    thinking: bool = False  # the model reports reasoning_tokens
    role: str = "assistant"  # "" reproduces MiniMax-M2.5's empty role
    bot_name: str = ""  # pro: the answering persona

    @classmethod
    def fresh(cls, model: str, id: str = "", **kwargs) -> Envelope:
        """An envelope stamped now, with the given id or a new one."""
        return cls(id=id or new_id(), model=model, created=int(time.time()), **kwargs)


def base_resp(code: int = 0, message: str = "") -> dict:
    return {"status_code": code, "status_msg": message}


def _sensitivity(env: Envelope) -> dict:
    return {"input_sensitive": env.input_sensitive, "output_sensitive": env.output_sensitive,
            "input_sensitive_type": int(env.input_sensitive),
            "output_sensitive_type": int(env.output_sensitive), "output_sensitive_int": 0}


def v2_usage(env: Envelope, reply: Reply) -> dict:
    usage: dict[str, Any] = {"total_tokens": reply.total_tokens, "total_characters": 0,
             "prompt_tokens": reply.prompt_tokens, "completion_tokens": reply.completion_tokens}
    if env.thinking:
        usage["completion_tokens_details"] = {"reasoning_tokens": reply.thinking_chunks}
    return usage


def _v2_head(env: Envelope, obj: str, choices: list | None) -> dict:
    return {"id": env.id, "choices": choices, "created": env.created, "model": env.model,
            "object": obj}


def v2_delta(env: Envelope, content: str = "", *, reasoning: str | None = None,
             finish_reason: str | None = None) -> dict:
    """A `chat.completion.chunk`; the one with finish_reason still carries text."""
    delta = {"content": content, "role": env.role, "name": BOT_NAME_V2, "audio_content": ""}
    if reasoning is not None:
        delta["reasoning_content"] = reasoning
    choice = {"index": 0, "delta": delta}
    if finish_reason is not None:
        choice = {"finish_reason": finish_reason, **choice}
    return {**_v2_head(env, "chat.completion.chunk", [choice]), **_sensitivity(env)}


def v2_completion(env: Envelope, reply: Reply) -> dict:
    """A whole `chat.completion`: the non-stream body, and by default the stream's last frame."""
    message = {"content": reply.text, "role": "assistant", "name": BOT_NAME_V2, "audio_content": ""}
    if reply.reasoning:
        message["reasoning_content"] = reply.reasoning_text
    choice = {"finish_reason": reply.finish_reason, "index": 0, "message": message}
    return {**_v2_head(env, "chat.completion", [choice]), "usage": v2_usage(env, reply),
            **_sensitivity(env), "base_resp": base_resp(0, env.warning)}


def v2_usage_tail(env: Envelope, reply: Reply) -> dict:
    """The last frame under stream_options.include_usage: no choices, only usage and status."""
    return {**_v2_head(env, "chat.completion.chunk", []), "usage": v2_usage(env, reply),
            **_sensitivity(env), "base_resp": base_resp(0, env.warning)}


def v2_error(env: Envelope, code: int, message: str) -> dict:
    """A refused v2 call: `choices` is null and usage is zeros."""
    usage = {"total_tokens": 0, "total_characters": 0, "prompt_tokens": 0, "completion_tokens": 0}
    return {**_v2_head(env, "chat.completion", None), "usage": usage, **_sensitivity(env),
            "base_resp": base_resp(code, message)}


def _pro_message(env: Envelope, text: str) -> dict:
    return {"sender_type": "BOT", "sender_name": env.bot_name, "text": text}


def pro_piece(env: Envelope, text: str) -> dict:
    """An intermediate pro event: `reply` is empty, the new text is in the message."""
    return {"created": env.created, "model": env.model, "reply": "",
            "choices": [{"messages": [_pro_message(env, text)]}],
            "output_sensitive": env.output_sensitive, "request_id": env.id}


def pro_final(env: Envelope, reply: Reply) -> dict:
    """The whole pro answer: the non-stream body, and the stream's last event."""
    return {"created": env.created, "model": env.model, "reply": reply.text,
            "choices": [{"finish_reason": reply.finish_reason,
                         "messages": [_pro_message(env, reply.text)]}],
            "usage": {"total_tokens": reply.total_tokens},
            "input_sensitive": env.input_sensitive, "output_sensitive": env.output_sensitive,
            "id": env.id, "base_resp": base_resp(0, env.warning)}


def pro_error(env: Envelope, code: int, message: str) -> dict:
    return {"created": env.created, "model": env.model, "reply": "", "choices": None,
            "usage": {"total_tokens": 0}, "input_sensitive": False, "output_sensitive": False,
            "id": env.id, "base_resp": base_resp(code, message)}


def error_body(api: str, env: Envelope, code: int, message: str, *, minimal: bool = False) -> dict:
    """The body of a business error in either API; `minimal` is just the base_resp."""
    if minimal:
        return {"base_resp": base_resp(code, message)}
    return pro_error(env, code, message) if api == PRO else v2_error(env, code, message)


def http_error_page(status: int, phrase: str) -> str:
    """A gateway's HTML error page, as nginx in front of MiniMax sends it."""
    title = f"{status} {phrase}"
    return (f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
            f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")

"""How the OpenAI- and Anthropic-compatible endpoints say no: a real HTTP status and

    {"type": "error", "error": {"type": ..., "message": "... (<code>)", "http_code": "401"},
     "request_id": ...}

with MiniMax's code at the end of the message (MiniMax's OaiError schema; captured bodies of
the Anthropic endpoint carry no `http_code` and name Anthropic's error types). The same
object is a stream's `error` event (docs/minimax-api.md#errors-of-the-compatible-endpoints).
"""
from __future__ import annotations

from ..models import ANTHROPIC

# MiniMax code -> HTTP status; anything else is a 500.
HTTP_STATUS = {1001: 408, 1002: 429, 1004: 401, 1008: 402, 1026: 422, 1027: 422, 1039: 429,
               1041: 429, 1042: 400, 2013: 400, 2045: 429, 2049: 401, 2056: 429, 2061: 400,
               2064: 529}
_OPENAI_TYPES = {400: "bad_request_error", 401: "authorized_error", 402: "insufficient_balance_error",
                 422: "unprocessable_entity_error", 429: "rate_limit_error", 529: "overloaded_error"}
_ANTHROPIC_TYPES = {400: "invalid_request_error", 401: "authentication_error",
                    402: "billing_error", 422: "invalid_request_error", 429: "rate_limit_error",
                    529: "overloaded_error"}


def status_of(code: int) -> int:
    """The HTTP status MiniMax answers a code with on these endpoints."""
    return HTTP_STATUS.get(code, 500)


def error_type(api: str, status: int) -> str:
    types = _ANTHROPIC_TYPES if api == ANTHROPIC else _OPENAI_TYPES
    return types.get(status, "api_error" if api == ANTHROPIC else "server_error")


def error_object(api: str, request_id: str, code: int | None, message: str, *,
                 status: int | None = None, minimal: bool = False) -> dict:
    """The error body (or stream event) for a MiniMax code, or for a bare HTTP status."""
    status = status or (status_of(code) if code is not None else 500)
    if code is not None:
        message = f"{message} ({code})" + (f" ({status})" if status == 529 else "")
    detail = {"type": error_type(api, status), "message": message}
    if minimal:
        return {"type": "error", "error": detail}
    if api != ANTHROPIC:
        detail["http_code"] = str(status)
    return {"type": "error", "error": detail, "request_id": request_id}

"""One error tree for every way MiniMax says no, and one table that maps codes onto it.

MiniMax reports failures three ways: an HTTP status, `base_resp` in an HTTP-200 JSON body,
and `base_resp` in a stream event; its OpenAI- and Anthropic-compatible endpoints add a fourth,
an `{"type": "error", "error": {...}}` object with the code at the end of its message, as a
body or a stream event. All of them go through `error_for_code` (via `check_body` /
`error_for_http`), so a caller sees the same class, code and message whichever way it arrived.
"""
from __future__ import annotations

import html
import json
import re
from typing import Any


class MiniMaxError(Exception):
    """Base of all errors; keeps MiniMax's code and message, the HTTP status and the trace id.

    `str()` is English, for developers, the CLI and logs. What a person is told to do is
    chosen by whoever shows the error, from `kind` and `code` (the web UI: `ui.text.advice`)."""

    kind = "error"

    def __init__(self, message: str, *, code: int | None = None, http_status: int | None = None,
                 trace_id: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.http_status = http_status
        self.trace_id = trace_id
        self.retry_after: float | None = None  # seconds, from an HTTP Retry-After header

    def reference(self) -> str:
        """Code / HTTP status / trace id, for quoting to MiniMax support."""
        parts = []
        if self.code is not None:
            parts.append(f"MiniMax {self.code}")
        if self.http_status is not None and self.http_status != 200:
            parts.append(f"HTTP {self.http_status}")
        if self.trace_id:
            parts.append(f"Trace-Id {self.trace_id}")
        return ", ".join(parts)

    def __str__(self) -> str:
        ref = self.reference()
        return f"{self.message} ({ref})" if ref else self.message


# The backend's reasons for refusing a request, in English (`ValidationError.message`).
REASONS = {
    "bad_role": "role must be one of {allowed}, got {got!r}",
    "not_text": "message content must be text",
    "unit_interval": "{field} must be greater than 0 and at most 1 (got {got!r})",
    "unknown_api": "api must be one of {allowed} (got {got!r})",
    "no_model": "choose a model",
    "wrong_api": "{model} is not served by the {api} API; choose a model of that API or switch the API",
    "token_range": "max_tokens must be a whole number from 1 to {limit} for {model} (got {got!r})",
    "not_last_user": "the conversation must end with a user message",
    "empty": "the message is empty",
    "name_length": "{field} must be 1 to {limit} characters",
    "name_line": "{field} must be on one line, without control characters",
    "model_name": "a model name is 1 to {limit} letters, digits and . _ - : / (like MiniMax-M2.7)",
    "not_unicode": "{field} contains characters that are not valid text (a lone UTF-16 surrogate); "
                   "retype it",
    "setting": "{field} must be {expected} (got {got!r})",
    "one_of": "{field} must be one of {allowed} (got {got!r})",
    "digits": "{field} must be digits",
    "missing_key": "no MiniMax API key: set {field}",
    "needs_group_id": "the pro API needs your GroupId: set {field}",
    "image_type": "images must be one of {allowed} (got {got!r})",
    "image_empty": "an image is empty",
    "image_role": "only a user message can carry images",
    "no_images": "{model} does not take images on the {api} API; remove the images or choose a model that takes them",
    "thinking_fixed": "{model} always thinks; its thinking cannot be turned off",
}


class ValidationError(MiniMaxError, ValueError):
    """The request is invalid and was not sent: `field` names the culprit, `reason` is a code
    (one of `REASONS`, or a caller's own), `facts` fill in its words (limits, the value got)."""

    kind = "invalid_request"

    def __init__(self, field: str, reason: str, **facts: object) -> None:
        template = REASONS.get(reason)
        detail = ", ".join(f"{name}={value!r}" for name, value in facts.items())
        message = template.format(field=field, **facts) if template is not None \
            else f"invalid {field}: {reason}" + (f" ({detail})" if detail else "")
        super().__init__(message)
        self.field, self.reason, self.facts = field, reason, facts


class AuthenticationError(MiniMaxError):
    kind = "auth"


class RateLimitError(MiniMaxError):
    kind = "rate_limit"


class QuotaError(MiniMaxError):
    kind = "quota"


class ContentFilteredError(MiniMaxError):
    kind = "content_filtered"


class ContextTooLongError(MiniMaxError):
    kind = "too_long"


class BadRequestError(MiniMaxError):
    kind = "bad_request"


class ServerError(MiniMaxError):
    kind = "server"


class ResponseFormatError(ServerError):
    """The upstream sent something that is not MiniMax's JSON (malformed event, HTML page)."""

    kind = "bad_response"


class APITimeoutError(MiniMaxError):
    kind = "timeout"


class APIConnectionError(MiniMaxError):
    kind = "connection"


# MiniMax's documented codes -> the class a caller catches.
CODES: dict[int, type[MiniMaxError]] = {
    1000: ServerError,
    1013: ServerError,
    1024: ServerError,
    1033: ServerError,
    1001: APITimeoutError,
    1002: RateLimitError,
    1004: AuthenticationError,
    1008: QuotaError,
    1026: ContentFilteredError,
    1027: ContentFilteredError,
    1039: ContextTooLongError,
    1041: RateLimitError,
    1042: BadRequestError,
    2013: BadRequestError,
    2045: RateLimitError,
    2049: AuthenticationError,
    2056: QuotaError,
    2061: BadRequestError,
    2064: ServerError,  # "the server cluster is currently under high load" (HTTP 529)
}
# Retried before any output: the request was refused as a whole and may pass a moment later.
RETRYABLE_CODES = frozenset({1002, 1041, 2064})


def error_for_code(code: int, message: str, *, http_status: int | None = 200,
                   trace_id: str = "") -> MiniMaxError:
    """The error for a non-zero `base_resp.status_code`."""
    cls = CODES.get(code, MiniMaxError)
    return cls(message or f"MiniMax error {code}", code=code, http_status=http_status,
               trace_id=trace_id)


def check_base_resp(obj: object, *, http_status: int | None = 200, trace_id: str = "") -> str:
    """Raise for an error in `base_resp`; return its warning text (code 0, non-empty msg)."""
    base = obj.get("base_resp") if isinstance(obj, dict) else None
    if not isinstance(base, dict):
        return ""
    code = base.get("status_code") or 0
    message = str(base.get("status_msg") or "")
    if code:
        try:
            code = int(code)
        except (TypeError, ValueError):
            raise ResponseFormatError(f"unreadable status_code {code!r}", http_status=http_status,
                                      trace_id=trace_id) from None
        raise error_for_code(code, message, http_status=http_status, trace_id=trace_id)
    return message


# The `error.type` of the OpenAI- and Anthropic-compatible error object, for a message that
# carries no MiniMax code (MiniMax's own names and Anthropic's).
ERROR_TYPES: dict[str, type[MiniMaxError]] = {
    "authorized_error": AuthenticationError, "authentication_error": AuthenticationError,
    "permission_error": AuthenticationError, "rate_limit_error": RateLimitError,
    "insufficient_balance_error": QuotaError, "billing_error": QuotaError,
    "bad_request_error": BadRequestError, "invalid_request_error": BadRequestError,
    "unprocessable_entity_error": BadRequestError, "not_found_error": BadRequestError,
    "request_too_large": ContextTooLongError, "overloaded_error": ServerError,
    "api_error": ServerError, "server_error": ServerError,
}
# MiniMax ends such a message with its code, sometimes the HTTP status after it:
# "… thank you for your patience. (2064) (529)".
_TRAILING_CODES = re.compile(r"(?:\s*\((\d{3,4})\))+\s*$")


def _error_object(obj: dict[str, Any], http_status: int | None, trace_id: str) -> MiniMaxError | None:
    """The error an `{"type": "error", "error": {...}}` object (or a bare `error` object, as
    some streams send it) stands for; None if `obj` is not one."""
    detail = obj.get("error")
    if isinstance(detail, dict) and obj.get("type") != "error" and "type" not in detail:
        detail = None  # e.g. a gateway's {"error": {"code": 502, ...}}: its status says more
    if not isinstance(detail, dict):
        detail = obj if obj.get("type") not in (None, "error") and "message" in obj \
            and str(obj.get("type", "")).endswith("error") else None
    if detail is None:
        return None
    message = str(detail.get("message") or detail.get("type") or "error")
    trace_id = trace_id or str(obj.get("request_id") or "")
    status = detail.get("http_code")
    if isinstance(status, str) and status.isdigit():
        http_status = int(status)
    numbers = re.findall(r"\((\d{3,4})\)", found.group(0)) \
        if (found := _TRAILING_CODES.search(message)) else []
    codes = [int(n) for n in numbers if len(n) == 4]
    statuses = [int(n) for n in numbers if len(n) == 3]
    if statuses and not isinstance(status, str):
        http_status = statuses[-1]
    message = message[:found.start()].rstrip() if found and found.start() else message
    if codes:
        return error_for_code(codes[0], message, http_status=http_status, trace_id=trace_id)
    cls = ERROR_TYPES.get(str(detail.get("type") or ""))
    if cls is None:
        cls = _http_class(http_status) if http_status and http_status != 200 else MiniMaxError
    return cls(message, http_status=http_status, trace_id=trace_id)


def check_body(obj: object, *, http_status: int | None = 200, trace_id: str = "") -> str:
    """Raise for an error in a JSON body or stream frame of any dialect (`base_resp`, or an
    error object); return a `base_resp` warning text, if any."""
    warning = check_base_resp(obj, http_status=http_status, trace_id=trace_id)
    if isinstance(obj, dict):
        err = _error_object(obj, http_status, trace_id)
        if err is not None:
            raise err
    return warning


_HTTP = {401: AuthenticationError, 403: AuthenticationError, 408: APITimeoutError,
         413: ContextTooLongError, 429: RateLimitError}


def error_for_http(status: int, body: str, *, trace_id: str = "") -> MiniMaxError:
    """The error for a non-200 HTTP answer; a MiniMax `base_resp` or error object in the body
    wins over the status."""
    try:
        check_body(json.loads(body), http_status=status, trace_id=trace_id)
    except MiniMaxError as err:
        return err
    except ValueError:
        pass
    return _http_class(status)(f"HTTP {status}: {summarize_body(body)}", http_status=status,
                               trace_id=trace_id)


def _http_class(status: int) -> type[MiniMaxError]:
    return _HTTP.get(status) or (ServerError if status >= 500 else BadRequestError)


def summarize_body(body: str, limit: int = 200) -> str:
    """A one-line, tag-free summary of an error body: a gateway's HTML page becomes its title."""
    title = re.search(r"<title[^>]*>(.*?)</title>", body, re.I | re.S)
    text = title.group(1) if title else re.sub(r"<[^>]+>", " ", body)
    text = " ".join(html.unescape(text).split())
    return (text[:limit] + "…") if len(text) > limit else (text or "(empty body)")

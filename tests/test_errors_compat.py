"""The error object of the OpenAI- and Anthropic-compatible endpoints, mapped into the one
table: every code, as a body with its HTTP status and as a stream event, and error types
that come without a code (docs/minimax-api.md#errors-of-the-compatible-endpoints)."""
from __future__ import annotations

import json

import pytest

from minimax_backend.emulator.compat_errors import error_object, status_of
from minimax_backend.errors import (
    AuthenticationError,
    BadRequestError,
    ContextTooLongError,
    MiniMaxError,
    QuotaError,
    RateLimitError,
    ServerError,
    check_body,
    error_for_http,
)
from tests.test_errors import TABLE
from ui.text.advice import advice


@pytest.mark.parametrize("api", ["openai", "anthropic"])
@pytest.mark.parametrize("code", sorted(TABLE))
def test_every_code_in_an_error_body_with_its_status(api, code):
    body = json.dumps(error_object(api, "req-1", code, f"message {code}"))
    err = error_for_http(status_of(code), body)
    assert type(err) is TABLE[code]
    assert (err.code, err.message, err.http_status, err.trace_id) == (
        code, f"message {code}", status_of(code), "req-1")
    assert advice(err, "zh") != advice(err, "en")


@pytest.mark.parametrize("code", sorted(TABLE))
def test_every_code_as_a_stream_event(code):
    with pytest.raises(MiniMaxError) as info:
        check_body(error_object("anthropic", "req-2", code, f"message {code}"), trace_id="tr")
    assert type(info.value) is TABLE[code] and info.value.code == code
    assert info.value.trace_id == "tr"  # the response's Trace-Id header wins over request_id


def test_minimax_sample_bodies_as_captured():
    login = ('{"type":"error","error":{"type":"authorized_error","message":"login fail: Please '
             "carry the API secret key in the 'Authorization' field of the request header (1004)\","
             '"http_code":"401"},"request_id":"021785229015510a2c883cf675b9804d"}')
    err = error_for_http(401, login)
    assert isinstance(err, AuthenticationError) and err.code == 1004
    assert str(err) == ("login fail: Please carry the API secret key in the 'Authorization' field "
                        "of the request header (MiniMax 1004, HTTP 401, "
                        "Trace-Id 021785229015510a2c883cf675b9804d)")
    wall = ('{"type":"error","error":{"type":"rate_limit_error","message":"Token Plan usage limit '
            'reached: Upgrade your Token Plan or purchase Credits for more usage. (2056)"},'
            '"request_id":"06cd2b0d6d5bff0be2821ef3b318dccd"}')
    err = error_for_http(429, wall)  # labelled a rate limit, but code 2056 is the plan's quota
    assert isinstance(err, QuotaError) and (err.code, err.http_status) == (2056, 429)


@pytest.mark.parametrize("kind, cls", [
    ("authentication_error", AuthenticationError), ("permission_error", AuthenticationError),
    ("rate_limit_error", RateLimitError), ("billing_error", QuotaError),
    ("invalid_request_error", BadRequestError), ("request_too_large", ContextTooLongError),
    ("overloaded_error", ServerError), ("api_error", ServerError)])
def test_an_error_type_without_a_code(kind, cls):
    err = error_for_http(400, json.dumps({"type": "error", "error": {"type": kind, "message": "no"}}))
    assert type(err) is cls and (err.code, err.message, err.http_status) == (None, "no", 400)


def test_a_gateway_error_without_a_type_is_judged_by_its_status():
    err = error_for_http(502, '{"error": {"code": 502, "message": "Bad Gateway"}}')
    assert isinstance(err, ServerError) and err.message.startswith("HTTP 502: ")


def test_a_normal_frame_is_no_error():
    assert check_body({"type": "message_stop"}) == ""
    assert check_body({"type": "content_block_delta", "delta": {"type": "text_delta", "text": "error"}}) == ""

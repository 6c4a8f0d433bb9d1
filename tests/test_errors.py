"""Every row of MiniMax's error table, from each of the three ways it arrives."""
from __future__ import annotations

import json

import pytest

from minimax_backend import codec_v2
from minimax_backend.errors import (
    CODES,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ContentFilteredError,
    ContextTooLongError,
    MiniMaxError,
    QuotaError,
    RateLimitError,
    ServerError,
    check_base_resp,
    error_for_http,
)
from minimax_backend.reply import decode_stream
from tests.payloads import sse
from ui.text.advice import advice

# The table of docs/minimax-api.md#error-codes: code -> the class a caller catches.
TABLE = {
    1000: ServerError, 1013: ServerError, 1024: ServerError, 1033: ServerError,
    1001: APITimeoutError, 1002: RateLimitError, 1004: AuthenticationError, 1008: QuotaError,
    1026: ContentFilteredError, 1027: ContentFilteredError, 1039: ContextTooLongError,
    1041: RateLimitError, 1042: BadRequestError, 2013: BadRequestError, 2045: RateLimitError,
    2049: AuthenticationError, 2056: QuotaError, 2061: BadRequestError, 2064: ServerError,
}


def test_table_covers_every_documented_code():
    assert set(CODES) == set(TABLE)


def error_body(code):
    return {"id": "x", "choices": None, "usage": {"total_tokens": 0},
            "base_resp": {"status_code": code, "status_msg": f"message {code}"}}


def assert_error(err, code, http_status=200):
    assert type(err) is TABLE[code]
    assert (err.code, err.message, err.http_status, err.trace_id) == (code, f"message {code}", http_status, "tr")
    assert advice(err, "zh") and advice(err, "en") and advice(err, "zh") != advice(err, "en")
    assert f"MiniMax {code}" in str(err) and "Trace-Id tr" in str(err)


@pytest.mark.parametrize("code", sorted(TABLE))
def test_code_in_a_200_body(code):
    with pytest.raises(MiniMaxError) as info:
        check_base_resp(error_body(code), http_status=200, trace_id="tr")
    assert_error(info.value, code)


@pytest.mark.parametrize("code", sorted(TABLE))
def test_code_in_a_stream_event(code):
    with pytest.raises(MiniMaxError) as info:
        list(decode_stream(codec_v2, iter([sse(error_body(code))]), "tr"))
    assert_error(info.value, code)


@pytest.mark.parametrize("code", sorted(TABLE))
def test_code_in_a_non_200_http_answer(code):
    err = error_for_http(500, json.dumps(error_body(code)), trace_id="tr")
    assert_error(err, code, http_status=500)


def test_region_is_suggested_for_key_errors():
    for code in (1004, 2049):
        err = error_for_http(200, json.dumps(error_body(code)))
        assert "api.minimax.io" in advice(err, "en") and "区域" in advice(err, "zh")


@pytest.mark.parametrize("status,cls", [(401, AuthenticationError), (403, AuthenticationError),
                                        (429, RateLimitError), (500, ServerError),
                                        (502, ServerError), (503, ServerError),
                                        (400, BadRequestError), (408, APITimeoutError)])
def test_plain_http_status(status, cls):
    err = error_for_http(status, "upstream said no", trace_id="tr")
    assert type(err) is cls and err.http_status == status and err.code is None
    assert str(err) == f"HTTP {status}: upstream said no (HTTP {status}, Trace-Id tr)"


def test_html_error_page_becomes_its_title():
    page = ("<html><head><title>502 Bad Gateway</title><style>b{}</style></head>"
            "<body><center><h1>502 Bad Gateway</h1></center><hr>nginx</body></html>")
    err = error_for_http(502, page)
    assert err.message == "HTTP 502: 502 Bad Gateway" and "<" not in str(err)


def test_status_zero_with_message_is_a_warning():
    body = {"base_resp": {"status_code": 0, "status_msg": 'unknown field "frequency_penalty"'}}
    assert check_base_resp(body) == 'unknown field "frequency_penalty"'


def test_unknown_code_is_still_an_error_with_its_code():
    with pytest.raises(MiniMaxError) as info:
        check_base_resp({"base_resp": {"status_code": 9999, "status_msg": "new"}})
    assert type(info.value) is MiniMaxError and info.value.code == 9999

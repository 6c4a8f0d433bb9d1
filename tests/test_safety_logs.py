"""Logs: one useful line per reply, and no key in any line, whoever logs it."""
import logging
from types import SimpleNamespace

from minimax_backend import TextDelta
from minimax_backend.errors import error_for_code
from ui.chat.reply import Reply
from ui.protect.logs import install_redaction, log_finished, redact, short_id


def test_key_shaped_text_and_configured_keys_are_masked():
    jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl"
    text = (f"Authorization: Bearer {jwt} api_key=abcdef123456 sk-api-0123456789abcdef "
            "and my-plain-host-key")
    masked = redact(text, {"my-plain-host-key"})
    for secret in (jwt, "abcdef123456", "sk-api-0123456789abcdef", "my-plain-host-key"):
        assert secret not in masked
    assert masked.count("[redacted]") == 4


def test_every_log_record_is_redacted_tracebacks_included(caplog):
    install_redaction({"MINIMAX_API_KEY": "host-key-for-the-log-test"})
    with caplog.at_level(logging.INFO):
        logging.getLogger("some.library").info("sending %s", "host-key-for-the-log-test")
        try:
            raise RuntimeError("bad key host-key-for-the-log-test")
        except RuntimeError:
            logging.getLogger("another").exception("failed")
    assert "host-key-for-the-log-test" not in caplog.text
    assert "sending [redacted]" in caplog.text and "RuntimeError: bad key [redacted]" in caplog.text


def test_one_line_per_reply_names_model_timings_tokens_outcome_code_and_trace(caplog):
    clock = iter([10.0, 10.4, 12.0]).__next__
    reply = Reply(clock=clock)
    reply.apply(TextDelta("Hi"))
    reply.end(error=error_for_code(1027, "output new_sensitive", trace_id="abc123"))
    request = SimpleNamespace(model="MiniMax-M2.7", api="v2")
    with caplog.at_level(logging.INFO, logger="minimax_chat.replies"):
        log_finished("session-hash-xyz", request, reply, 42, True)
    [line] = caplog.messages
    assert line == (f"reply session={short_id('session-hash-xyz')} api=v2 model=MiniMax-M2.7 "
                    "outcome=content_filtered ttft=0.400s duration=2.00s tokens=42(estimated) "
                    "code=1027 http=200 trace_id=abc123")
    assert "session-hash-xyz" not in line and "Hi" not in line

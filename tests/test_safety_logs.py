"""Logs: one useful line per reply, no key in any line, whoever logs it, and every record
one escaped, bounded line."""
import logging
import sys
from types import SimpleNamespace

from minimax_backend import TextDelta
from minimax_backend.errors import error_for_code
from ui.chat.reply import Reply
from ui.protect import log_lines
from ui.protect.log_lines import MAX_LINE_CHARS, field
from ui.protect.logs import Redactor, install_redaction, log_finished, redact, short_id


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


def shaped(*args, secrets=(), keep_tracebacks=False, exc_info=None):
    """The record a Redactor makes of `logger.info(*args)` (no global factory involved)."""
    redactor = Redactor(secrets, keep_tracebacks)
    redactor._factory = logging.LogRecord
    return redactor("some.logger", logging.INFO, __file__, 1, args[0], args[1:], exc_info)


def test_a_value_cannot_start_a_line_of_its_own():
    record = shaped("model=%s", "M\n2026-01-01 00:00:00,000 INFO x: forged\r\u2028\x1b[31m")
    assert record.getMessage() == ("model=M\\n2026-01-01 00:00:00,000 INFO x: forged\\r\\u2028"
                                   "\\u001b[31m")


def test_a_traceback_is_one_line_unless_asked_for():
    try:
        raise ValueError("bad input\nwith a second line")
    except ValueError:
        info = sys.exc_info()
    one = shaped("request failed", exc_info=info)
    assert one.getMessage() == "request failed | ValueError: bad input\\nwith a second line"
    assert one.exc_info is None
    full = shaped("request failed", exc_info=info, keep_tracebacks=True)
    assert full.getMessage() == "request failed" and "Traceback (most recent call last)" in full.exc_text


def test_a_line_is_masked_before_it_is_cut():
    key = "plain-host-key-0123456789"
    record = shaped("%s", "x" * (MAX_LINE_CHARS - 5) + key + "y" * 50, secrets={key})
    message = record.getMessage()
    assert message.endswith("… [55 more characters]") and "plain" not in message
    assert len(message) == MAX_LINE_CHARS + len("… [55 more characters]")


def test_gradios_printed_tracebacks_reach_the_log_as_one_line(caplog):
    with caplog.at_level(logging.ERROR):
        try:
            {}["missing"]
        except KeyError:
            log_lines._print_exc_to_log()
    [record] = caplog.records  # named for the caller, with the exception for the Redactor
    assert record.name == __name__ and record.getMessage().startswith("request failed")
    # (folded into the line already if an earlier test installed the Redactor)
    assert (record.exc_info and record.exc_info[0] is KeyError) \
        or record.getMessage() == "request failed | KeyError: 'missing'"


def test_the_reply_line_quotes_a_value_that_is_not_plain():
    assert field("MiniMax-M2.7") == "MiniMax-M2.7"
    assert field("a b=c\nd") == '"a b=c\\nd"'

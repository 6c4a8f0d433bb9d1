"""How one reply is shown: thinking block, answer, usage, stop and error notes, raw turn."""
import pytest

from minimax_backend import (
    APIConnectionError,
    Finish,
    MiniMaxError,
    ReasoningDelta,
    TextDelta,
    Usage,
    ValidationError,
)
from minimax_backend.errors import error_for_code, error_for_http
from ui.chat.history import is_note
from ui.chat.reply import Reply, error_lines
from ui.text.strings import EN, ZH, pick_lang


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def streamed(events, *, inline=False, step=0.5):
    """A Reply fed `events`, the clock moving `step` seconds before each."""
    clock = Clock()
    reply = Reply(inline_thinking=inline, clock=clock)
    for event in events:
        clock.now += step
        reply.apply(event)
    return reply, clock


def notes(messages):
    return [m["content"] for m in messages if is_note(m["content"])]


def test_thinking_is_a_pending_thought_block_while_it_streams():
    reply, _ = streamed([ReasoningDelta("let me "), ReasoningDelta("think")])
    [thought] = reply.messages(ZH)
    assert thought["content"] == "let me think"
    assert thought["metadata"] == {"title": "💭 思考过程", "status": "pending", "duration": 0.5}


def test_thinking_folds_when_the_answer_starts_and_keeps_its_duration():
    reply, _ = streamed([ReasoningDelta("hmm"), ReasoningDelta("…"), TextDelta("Hello")])
    thought, answer = reply.messages(EN)
    assert thought["metadata"] == {"title": "💭 Thinking", "status": "done", "duration": 1.0}
    assert answer == {"role": "assistant", "content": "Hello"}
    assert "<think>" not in thought["content"] + answer["content"]


def test_a_finished_reply_gets_a_quiet_usage_line():
    usage = Usage(prompt_tokens=26, completion_tokens=223, reasoning_tokens=214, total_tokens=249)
    reply, _clock = streamed([ReasoningDelta("x"), TextDelta("Hi"),
                             Finish("stop", "Hi", usage, "trace-1")], step=0.25)
    reply.end()
    [note] = notes(reply.messages(EN))
    # first token 0.25 s after sending; 223 tokens over the 0.5 s since then.
    assert ("prompt 26 · completion 223 tokens (reasoning 214) · first token 0.25 s · "
            "446.0 tokens/s") in note
    assert "mm-note" in note
    [note_zh] = notes(reply.messages(ZH))
    assert "输入 26 · 输出 223 tokens（含思考 214） · 首字 0.25 秒" in note_zh


def test_cached_prompt_tokens_show_in_the_usage_line_when_reported():
    usage = Usage(prompt_tokens=900, completion_tokens=20, total_tokens=920, cached_tokens=850)
    reply, _ = streamed([TextDelta("Hi"), Finish("stop", "Hi", usage)])
    reply.end()
    assert "prompt 900 · completion 20 tokens (cached 850) · " in notes(reply.messages(EN))[0]
    assert "输入 900 · 输出 20 tokens（缓存命中 850） · " in notes(reply.messages(ZH))[0]


def test_a_reply_without_thinking_has_no_fold():
    reply, _ = streamed([TextDelta("Hello"), Finish("stop", "Hello", Usage(3, 1, 0, 4))])
    reply.end()
    assert [m for m in reply.messages(EN) if m.get("metadata")] == []


def test_a_total_only_usage_is_shown_as_a_total():
    reply, _ = streamed([TextDelta("Hi"), Finish("stop", "Hi", Usage(total_tokens=116))])
    reply.end()
    assert "共 116 tokens · 首字 0.50 秒" in notes(reply.messages(ZH))[0]


def test_the_raw_turn_is_the_finish_raw_content():
    reply, _ = streamed([ReasoningDelta("r"), TextDelta("a"),
                         Finish("stop", "<think>r</think>\n\na", None)], inline=True)
    reply.end()
    assert reply.raw() == "<think>r</think>\n\na"


@pytest.mark.parametrize("inline, expected", [(True, "<think>plan</think>\n\nHel"), (False, "Hel")])
def test_a_partial_raw_turn_puts_inline_thinking_back(inline, expected):
    reply, _ = streamed([ReasoningDelta("plan"), TextDelta("Hel")], inline=inline)
    reply.end(stopped=True)
    assert reply.raw() == expected


def test_stopped_keeps_the_partial_text_and_says_so():
    reply, _ = streamed([TextDelta("Once upon")])
    reply.end(stopped=True)
    answer, note = reply.messages(ZH)
    assert answer["content"] == "Once upon"
    assert "（已停止）" in note["content"]


def test_stopped_while_thinking_stops_the_spinner():
    reply, _ = streamed([ReasoningDelta("thinking…")])
    reply.end(stopped=True)
    thought, note = reply.messages(EN)
    assert thought["metadata"]["status"] == "done"
    assert "(stopped)" in note["content"]


def test_an_error_after_a_partial_reply_keeps_the_text_and_explains():
    reply, _ = streamed([TextDelta("partial")])
    reply.end(error=APIConnectionError("the connection dropped", trace_id="abc123"))
    answer, note = reply.messages(EN)
    assert answer["content"] == "partial"
    assert "Could not reach MiniMax, or the connection dropped" in note["content"]
    assert "Trace-Id abc123" in note["content"]
    assert "mm-error" in note["content"]


def test_a_stream_cut_after_a_blank_thought_shows_no_empty_fold():
    reply, _ = streamed([ReasoningDelta("\n")])
    reply.end(error=APIConnectionError("the connection dropped"))
    [note] = reply.messages(EN)  # only the explanation
    assert "Could not reach MiniMax" in note["content"]


@pytest.mark.parametrize("code, lang, expected", [
    (1008, ZH, "账户余额不足，请为 MiniMax 账户充值。"),
    (1008, EN, "The account balance is too low. Top up your MiniMax account."),
    (2049, EN, "try the other region"),
    (1002, ZH, "请求太频繁"),
    (1026, EN, "Rephrase it"),
    (1039, ZH, "请缩短对话"),
])
def test_each_minimax_code_becomes_advice_with_its_reference(code, lang, expected):
    lines = error_lines(error_for_code(code, "upstream says no", trace_id="t-1"), lang)
    assert expected in lines[0]
    assert lines[-1] == f"MiniMax {code}, Trace-Id t-1"


def test_a_gateway_html_page_never_reaches_the_page():
    err = error_for_http(502, "<html><head><title>502 Bad Gateway</title></head><body><h1>nginx</h1>"
                              "<script>alert(1)</script></body></html>", trace_id="t-2")
    reply = Reply()
    reply.end(error=err)
    [note] = notes(reply.messages(EN))
    assert "<script>" not in note and "<h1>" not in note and "<html>" not in note
    assert "MiniMax's service had a problem" in note and "HTTP 502" in note


def test_an_unknown_code_shows_minimax_message_escaped():
    reply = Reply()
    reply.end(error=error_for_code(4242, "odd <b>thing</b>"))
    [note] = notes(reply.messages(EN))
    assert "odd &lt;b&gt;thing&lt;/b&gt;" in note and "MiniMax 4242" in note


def test_a_bug_is_explained_without_a_stack_trace():
    reply = Reply()
    reply.end(error=KeyError("choices"))
    [note] = notes(reply.messages(ZH))
    assert "应用内部出错" in note and "KeyError" not in note and "choices" not in note


def test_validation_errors_speak_the_visitors_language():
    err = ValidationError("temperature", "unit_interval", got=0)
    assert error_lines(err, ZH) == ["⚠️ temperature 必须大于 0 且不超过 1（当前为 0）"]
    assert error_lines(err, EN) == ["⚠️ temperature must be greater than 0 and at most 1 (got 0)"]


def test_a_soft_block_is_shown_as_filtered_not_as_an_empty_bubble():
    reply, _ = streamed([Finish("stop", "", Usage(5, 0, 0, 5), filtered=True)])
    reply.end()
    [note] = notes(reply.messages(EN))
    assert "content filter blocked this" in note
    assert len(reply.messages(EN)) == 1


def test_an_empty_reply_says_so():
    reply, _ = streamed([Finish("stop", "", None)])
    reply.end()
    [note] = notes(reply.messages(EN))
    assert "The model returned nothing" in note


def test_a_reply_cut_by_max_tokens_says_how_to_get_more():
    reply, _ = streamed([TextDelta("long"), Finish("length", "long", None)])
    reply.end()
    assert "Raise “Max tokens”" in notes(reply.messages(EN))[0]


def test_a_stream_that_ends_without_finish_is_not_silent():
    reply, _ = streamed([TextDelta("half")])
    reply.end()
    assert "ended unexpectedly" in notes(reply.messages(EN))[0]


def test_base_minimax_error_has_generic_advice():
    assert error_lines(MiniMaxError("boom"), EN)[0].startswith("⚠️ Something went wrong")


@pytest.mark.parametrize("header, lang", [
    (None, ZH), ("", ZH), ("zh-CN,zh;q=0.9,en;q=0.8", ZH), ("en-US,en;q=0.9", EN),
    ("en;q=0.5,zh-TW;q=0.8", ZH), ("fr-FR", EN), ("*", ZH), ("en;q=bad,zh", ZH),
])
def test_language_comes_from_accept_language_defaulting_to_chinese(header, lang):
    assert pick_lang(header) == lang

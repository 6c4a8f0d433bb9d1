"""The conversation file format: lossless JSON that round-trips, readable Markdown, and files
that are malformed, hostile or too big refused with a bilingual reason."""
import json

import pytest

from ui.conversations.export import (
    FORMAT,
    MAX_FILE_BYTES,
    MAX_MESSAGES,
    FormatError,
    dump_json,
    load_json,
    parse_document,
    to_markdown,
)
from ui.conversations.files import file_name

SETTINGS = {"api": "v2", "model": "MiniMax-M2.7", "system": "你是诗人", "temperature": 0.7,
            "top_p": 0.9, "max_tokens": 2048, "bot_name": "MM智能助理", "user_name": "用户"}
DOCUMENT = {
    "format": FORMAT, "version": 1, "title": "写诗", "created": "2026-11-25T10:00:00Z",
    "updated": "2026-11-25T10:01:00Z", "settings": SETTINGS,
    "messages": [
        {"role": "user", "content": "写一句诗"},
        {"role": "assistant", "content": "床前明月光", "raw": "<think>\n想一想\n</think>\n\n床前明月光",
         "reasoning": "\n想一想\n", "note": {"kind": "info", "lines": ["输入 3 · 输出 9 tokens"]}},
    ],
}


def encoded(document) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode()


def test_a_document_round_trips_through_the_file_unchanged():
    assert load_json(dump_json(DOCUMENT).encode()) == DOCUMENT


def test_unknown_fields_are_dropped_and_missing_settings_get_the_model_defaults():
    document = {**DOCUMENT, "extra": 1, "settings": {"api": "v2", "model": "MiniMax-M1"},
                "messages": [{"role": "user", "content": "hi", "raw": "x", "evil": "<script>"}]}
    parsed = parse_document(document)
    assert "extra" not in parsed and parsed["messages"] == [{"role": "user", "content": "hi"}]
    assert parsed["settings"]["max_tokens"] == 8192 and parsed["settings"]["temperature"] == 1.0


def test_markdown_folds_the_thinking_and_shows_usage_only_when_asked():
    full = to_markdown(DOCUMENT, "zh", thinking=True, notes=True)
    assert full.startswith("# 写诗\n") and "> 你是诗人" in full
    assert "<details>\n<summary>💭 思考过程</summary>\n\n\n想一想\n" in full
    assert "### 🤖 助手\n" in full and "床前明月光" in full and "> 输入 3 · 输出 9 tokens" in full
    plain = to_markdown(DOCUMENT, "en")
    assert "### 🧑 User" in plain and "想一想" in plain and "输出 9 tokens" not in plain
    assert "想一想" not in to_markdown(DOCUMENT, "en", thinking=False)
    assert "<think>" not in full  # the raw turn is for MiniMax, not for readers


def broken(**changes):
    return {**DOCUMENT, **changes}


@pytest.mark.parametrize("document, reason", [
    ([], "“format” must be"),
    (broken(format="chatgpt"), "“format” must be"),
    (broken(version=2), "version 2 is not supported"),
    (broken(version=True), "version True is not supported"),
    (broken(settings=None), "“settings” must be an object"),
    (broken(settings={**SETTINGS, "api": "v3"}), "“settings.api”"),
    (broken(settings={**SETTINGS, "temperature": 0}), "“settings.temperature”"),
    (broken(settings={**SETTINGS, "top_p": float("nan")}), "“settings.top_p”"),
    (broken(settings={**SETTINGS, "max_tokens": 10 ** 9}), "“settings.max_tokens”"),
    (broken(settings={**SETTINGS, "system": 7}), "“settings.system” must be text"),
    (broken(title="x" * 500), "“title” is longer than"),
    (broken(messages={"0": "hi"}), "“messages” must be a list"),
    (broken(messages=[{"role": "system", "content": "obey"}]), "“messages[0]” needs role"),
    (broken(messages=[{"role": "user", "content": ["hi"]}]), "“messages[0].content” must be text"),
    (broken(messages=[{"role": "user", "content": "x" * 300_000}]), "longer than"),
    (broken(messages=[{"role": "user", "content": "hi"}] * (MAX_MESSAGES + 1)), "more than"),
    (broken(messages=[{"role": "assistant", "content": "hi", "note": {"kind": "<b>", "lines": []}}]),
     "“messages[0].note”"),
])
def test_a_malformed_document_is_refused_naming_the_field(document, reason):
    with pytest.raises(FormatError) as caught:
        load_json(encoded(document))
    assert reason in caught.value.message("en")
    assert caught.value.message("zh").startswith("无法导入该文件：")


@pytest.mark.parametrize("data", [b"", b"\xff\xfe{", b"{not json", b"[" * 100_000 + b"]" * 100_000])
def test_bytes_that_are_not_json_are_refused_plainly(data):
    with pytest.raises(FormatError) as caught:
        load_json(data)
    assert "not UTF-8 JSON" in caught.value.message("en") or "“format”" in caught.value.message("en")


def test_an_oversized_file_is_refused_before_it_is_parsed():
    with pytest.raises(FormatError) as caught:
        load_json(b" " * (MAX_FILE_BYTES + 1))
    assert "larger than 2 MB" in caught.value.message("en") and "超过 2 MB" in caught.value.message("zh")


@pytest.mark.parametrize("title, name", [
    ("My title", "My title.md"),
    ("写诗", "写诗.md"),
    ("a/b\\c: d*?<e>|\"f\"", "a b c d e f.md"),  # what Windows refuses
    ("evil\u202egpj", "evil gpj.md"),  # a right-to-left override would show "evil dm.jpg"
    ("tab\there\nnew\u00a0line", "tab here new line.md"),
    ("  ..hidden.  ", "hidden.md"),  # no dot file, no trailing dot
    ("CON", "CON_.md"), ("lpt1.txt", "lpt1.txt_.md"),  # Windows' device names
    ("...", "minimax-chat.md"), ("", "minimax-chat.md"),
])
def test_an_export_is_named_after_its_chat_safely(title, name):
    assert file_name(title, ".md") == name


def test_a_long_title_is_cut_to_fit_any_file_system():
    name = file_name("诗" * 200, ".json")
    assert name == "诗" * 50 + ".json" and len(name.encode()) <= 155

"""Visitor-facing words live in ui/text: the backend's errors carry codes and facts in
English, and every code they can carry is worded there in Chinese and English."""
from __future__ import annotations

import io
import pathlib
import re
import tokenize

import pytest

from minimax_backend import MiniMaxError, ValidationError
from minimax_backend.codec_pro import DEFAULT_PERSONA
from minimax_backend.errors import CODES, REASONS
from minimax_backend.types import DEFAULT_BOT_NAME, DEFAULT_USER_NAME
from ui.text.advice import BY_KIND, REFUSALS, advice, refused
from ui.text.strings import EN, ZH

ROOT = pathlib.Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]")
# What MiniMax's pro API is sent when nobody names the persona: wire data, not the app's words.
WIRE_DEFAULTS = {DEFAULT_BOT_NAME, DEFAULT_USER_NAME, DEFAULT_PERSONA}
# The emulator's offline demo reply is what its stand-in model says, in both languages.
EMULATED_MODEL = ROOT / "minimax_backend" / "emulator" / "replies.py"


def chinese_strings(path: pathlib.Path) -> list[str]:
    """The string literals of a Python file that hold Chinese (comments are not looked at)."""
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    return [tok.string for tok in tokens if tok.type == tokenize.STRING and CJK.search(tok.string)]


def error_classes(cls: type[MiniMaxError] = MiniMaxError) -> list[type[MiniMaxError]]:
    return [cls, *(sub for child in cls.__subclasses__() for sub in error_classes(child))]


def test_the_backend_says_nothing_in_chinese_but_its_wire_defaults():
    found = {str(path.relative_to(ROOT)): strings
             for path in (ROOT / "minimax_backend").rglob("*.py") if path != EMULATED_MODEL
             for strings in [[s for s in chinese_strings(path) if s.strip("\"'") not in WIRE_DEFAULTS]]
             if strings}
    assert found == {}


def test_outside_ui_text_the_ui_writes_no_chinese():
    found = {str(path.relative_to(ROOT)): chinese_strings(path)
             for path in [ROOT / "app.py", *(ROOT / "ui").rglob("*.py")]
             if path.parent.name != "text" and chinese_strings(path)}
    assert found == {}


@pytest.mark.parametrize("reason", sorted(REASONS))
def test_every_reason_the_backend_gives_is_worded_in_both_languages(reason):
    words = REFUSALS[reason]
    assert set(words) == {ZH, EN} and CJK.search(words[ZH]) and not CJK.search(words[EN])


@pytest.mark.parametrize("cls", [c for c in error_classes() if c is not ValidationError],
                         ids=lambda cls: cls.__name__)
def test_every_kind_of_failure_is_worded_in_both_languages(cls):
    err = cls("upstream says no")
    assert CJK.search(advice(err, ZH)) and not CJK.search(advice(err, EN))
    assert "upstream says no" not in advice(err, EN)  # the action to take, not MiniMax's words
    assert cls.kind in BY_KIND


def test_every_documented_code_maps_to_a_worded_kind():
    assert {cls.kind for cls in CODES.values()} <= set(BY_KIND)


def test_a_backend_refusal_has_english_for_developers_and_both_languages_for_visitors():
    err = ValidationError("max_tokens", "token_range", limit=40000, model="MiniMax-M1", got=0)
    assert str(err) == "max_tokens must be a whole number from 1 to 40000 for MiniMax-M1 (got 0)"
    assert (err.field, err.reason, err.facts) == ("max_tokens", "token_range",
                                                  {"limit": 40000, "model": "MiniMax-M1", "got": 0})
    assert advice(err, "zh-CN") == "MiniMax-M1 的最大输出 token 数必须是 1 到 40000 之间的整数（当前为 0）"
    assert advice(err, "en-US") == str(err)


def test_a_refusal_the_app_words_itself_reads_the_same_in_its_log_line():
    err = refused("system", "system_too_long", limit=5)
    assert str(err) == "the system prompt is over 5 characters" == advice(err, EN)
    assert advice(err, ZH) == "系统提示词超过 5 个字符" and err.field == "system"


def test_a_reason_worded_nowhere_yet_still_explains_itself_in_english():
    err = ValidationError("top_k", "not_supported", got=5)
    assert str(err) == "invalid top_k: not_supported (got=5)"
    assert advice(err, ZH) == advice(err, EN) == str(err)

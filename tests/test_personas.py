"""The personas' format, the built-in library and the visitor's store: a file round-trips,
hostile input is refused naming the field in both languages, every built-in is valid in both
languages, and the store never drops a persona to make room."""
from __future__ import annotations

import json
import re

import pytest

from minimax_backend.models import spec_for
from ui.conversations import persona_store
from ui.conversations.persona_store import MAX_PERSONAS, StoreFull, add, merge, parse_store
from ui.conversations.personas import (
    BUILT_IN,
    FORMAT,
    MAX_FILE_BYTES,
    MAX_IN_FILE,
    NAME_CHARS,
    PersonaFormatError,
    applied,
    built_in,
    dump_json,
    load_json,
    parse_persona,
)
from ui.text.persona_library import LIBRARY

CJK = re.compile(r"[\u4e00-\u9fff]")
SETTINGS = {"api": "v2", "model": "MiniMax-M3", "system": "你是一位诗人", "temperature": 0.7,
            "top_p": 0.9, "max_tokens": 4096, "bot_name": "诗人", "user_name": "用户",
            "thinking": "off"}
PERSONA = {"id": "0123456789abcdef", "name": "写诗", "description": "五言绝句",
           "created": "2026-11-30T21:00:00Z", "updated": "2026-11-30T21:00:00Z",
           "settings": SETTINGS}


def encoded(value) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


def document(*personas, **changes) -> dict:
    return {"format": FORMAT, "version": 1, "personas": list(personas), **changes}


def test_a_file_round_trips_every_field():
    text = dump_json([PERSONA])
    assert load_json(text.encode()) == document(PERSONA)
    assert "写诗" in text  # Chinese kept readable


def test_unknown_fields_are_dropped_and_text_is_trimmed():
    loaded = load_json(encoded(document({**PERSONA, "name": "  写诗 ", "html": "<b>x</b>",
                                         "settings": {**SETTINGS, "api_key": "sk-secret"}})))
    persona = loaded["personas"][0]
    assert persona["name"] == "写诗" and "html" not in persona
    assert "api_key" not in persona["settings"] and persona["settings"] == SETTINGS


def persona(**changes):
    return {**PERSONA, **changes}


@pytest.mark.parametrize("value, said", [
    ([], "“format” must be “minimax-chat-personas”"),
    (document(format="minimax-chat"), "“format” must be"),
    (document(version=2), "version 2 is not supported"),
    (document(version=True), "version True is not supported"),
    (document(personas={"a": 1}), "“personas” must be a list"),
    (document(*[PERSONA] * (MAX_IN_FILE + 1)), f"more than {MAX_IN_FILE} personas"),
    (document("写诗"), "personas[0]: each persona must be an object"),
    (document(persona(id="../../etc")), "personas[0]: “id” must be"),
    (document(persona(id=7)), "“id” must be"),
    (document(PERSONA, persona(name="   ")), "personas[1]: “name” is empty"),
    (document(persona(name="x" * (NAME_CHARS + 1))), f"“name” is longer than {NAME_CHARS}"),
    (document(persona(name=["写诗"])), "“name” must be text"),
    (document(persona(description="d" * 121)), "“description” is longer than 120"),
    (document(persona(settings=None)), "personas[0]: “settings” must be an object"),
    (document(persona(settings={**SETTINGS, "temperature": 0})), "“settings.temperature”"),
    (document(persona(settings={**SETTINGS, "max_tokens": 10 ** 9})), "“settings.max_tokens”"),
    (document(persona(settings={**SETTINGS, "api": "v9"})), "“settings.api”"),
    (document(persona(settings={**SETTINGS, "system": "x" * 20_001})), "“settings.system” is longer"),
    (document(persona(settings={"system": "x", "max_tokens": 10 ** 7})), "“settings.max_tokens”"),
    (document(persona(settings={**SETTINGS, "thinking": "always"})), "“settings.thinking”"),
])
def test_a_malformed_file_is_refused_naming_the_field_in_both_languages(value, said):
    with pytest.raises(PersonaFormatError) as caught:
        load_json(encoded(value))
    assert said in caught.value.message("en")
    assert caught.value.message("en").startswith("Not a personas file this app can import: ")
    assert caught.value.message("zh").startswith("无法导入该人设文件：")
    assert CJK.search(caught.value.message("zh"))


@pytest.mark.parametrize("data", [b"", b"\xff\xfe{", b"{not json", b"[" * 100_000 + b"]" * 100_000])
def test_bytes_that_are_not_json_are_refused_plainly(data):
    with pytest.raises(PersonaFormatError) as caught:
        load_json(data)
    message = caught.value.message("en")
    assert "not UTF-8 JSON" in message or "“format”" in message


def test_an_oversized_file_is_refused_before_it_is_parsed():
    with pytest.raises(PersonaFormatError) as caught:
        load_json(b" " * (MAX_FILE_BYTES + 1))
    assert caught.value.message("en").endswith("the file is larger than 2 MB")
    assert caught.value.message("zh") == "无法导入该人设文件：文件超过 2 MB"


# -- the built-in library ------------------------------------------------------------------

def test_the_library_has_a_dozen_personas_each_in_both_languages():
    assert len(LIBRARY) == 12 and len({entry["id"] for entry in LIBRARY}) == 12
    for zh, en in zip(built_in("zh"), built_in("en"), strict=True):
        assert zh["id"] == en["id"]
        for field in ("name", "description"):
            assert CJK.search(zh[field]), (zh["id"], field)
            assert not CJK.search(en[field]), (en["id"], field)
        assert CJK.search(zh["settings"]["system"]) and not CJK.search(en["settings"]["system"])
        assert zh["settings"]["system"] != en["settings"]["system"]


def test_every_built_in_persona_passes_the_own_personas_check():
    for lang in ("zh", "en"):
        for entry in BUILT_IN[lang]:
            again = parse_persona({k: v for k, v in entry.items() if k != "icon"})
            assert again["settings"] == entry["settings"]
            assert set(entry["settings"]) == {"system", "bot_name", "temperature", "top_p", "max_tokens"}
            assert entry["settings"]["max_tokens"] >= 8192  # room for the thinking
    assert any("医生" in p["settings"]["system"] for p in built_in("zh"))  # the health caveat
    assert any("doctor" in p["settings"]["system"] for p in built_in("en"))


def test_a_library_entry_that_is_not_valid_stops_the_import():
    from ui.conversations.personas import _library
    broken = {**LIBRARY[0], "temperature": 1.5}
    with pytest.raises(PersonaFormatError, match=r"built-in translator: “settings\.temperature”"):
        _library((broken,))


def test_a_built_in_keeps_the_visitors_model_and_fits_its_max_tokens():
    current = {**SETTINGS, "api": "pro", "model": "abab6.5s-chat", "user_name": "小明"}
    coder = next(p for p in built_in("en") if p["id"] == "code-reviewer")
    started = applied(coder["settings"], current)
    assert (started["api"], started["model"], started["user_name"]) == ("pro", "abab6.5s-chat", "小明")
    assert started["system"] == coder["settings"]["system"] and started["bot_name"] == "Reviewer"
    assert started["temperature"] == 0.2
    assert started["max_tokens"] == spec_for("abab6.5s-chat").max_output_tokens == 8192


def test_an_own_persona_brings_its_own_model():
    assert applied(SETTINGS, {**SETTINGS, "model": "MiniMax-M2.7", "system": ""}) == SETTINGS


# -- the store in the browser ----------------------------------------------------------------

def test_the_store_drops_what_is_not_valid_or_not_own_and_keeps_the_rest():
    stored = {"personas": [PERSONA, persona(id="translator"), persona(id="fedcba9876543210", name=""),
                           PERSONA, "junk"]}
    assert parse_store(stored)["personas"] == [PERSONA]
    assert parse_store("junk")["personas"] == [] and parse_store(None)["personas"] == []


def test_saving_a_taken_name_numbers_it_and_a_full_store_refuses():
    store, first = add(parse_store(None), "写诗", "", SETTINGS, NAME_CHARS)
    store, second = add(store, "写诗", "", SETTINGS, NAME_CHARS)
    assert [p["name"] for p in store["personas"]] == ["写诗 (2)", "写诗"]
    assert first["id"] != second["id"] and re.fullmatch(r"[0-9a-f]{16}", first["id"])
    for number in range(MAX_PERSONAS - 2):
        store, _ = add(store, f"p{number}", "", SETTINGS, NAME_CHARS)
    with pytest.raises(StoreFull):
        add(store, "one too many", "", SETTINGS, NAME_CHARS)
    assert len(store["personas"]) == MAX_PERSONAS


def test_a_store_over_its_bytes_refuses_rather_than_drop_one(monkeypatch):
    big = {**SETTINGS, "system": "长" * 400}  # 1,200 bytes of UTF-8
    store, _ = add(parse_store(None), "a", "", big, NAME_CHARS)
    store, _ = add(store, "b", "", big, NAME_CHARS)
    monkeypatch.setattr(persona_store, "MAX_STORE_BYTES", persona_store.size(store) + 1_000)
    with pytest.raises(StoreFull):
        add(store, "c", "", big, NAME_CHARS)
    assert [p["name"] for p in store["personas"]] == ["b", "a"]


def test_an_import_keeps_every_persona_skips_copies_and_numbers_taken_names():
    store, mine = add(parse_store(None), "写诗", "五言绝句", SETTINGS, NAME_CHARS)
    other = persona(id="1111111111111111", name="写诗", description="七言律诗")
    store, added, skipped = merge(store, [mine, other], NAME_CHARS)
    assert (added, skipped) == (1, 1)
    assert [p["name"] for p in store["personas"]] == ["写诗", "写诗 (2)"]
    assert store["personas"][0] == mine and store["personas"][1]["id"] != other["id"]


def test_an_import_that_would_not_fit_adds_nothing():
    store, _ = add(parse_store(None), "mine", "", SETTINGS, NAME_CHARS)
    many = [persona(id=f"{n:016x}", name=f"p{n}") for n in range(MAX_PERSONAS)]
    with pytest.raises(StoreFull):
        merge(store, many, NAME_CHARS)
    assert [p["name"] for p in store["personas"]] == ["mine"]

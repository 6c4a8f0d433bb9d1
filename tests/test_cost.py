"""What a chat costs and when its messages were sent: the price arithmetic (per reply, per
chat, cached input, unknown model, rounding, ¥ and $), and the format's optional `usage` and
`at` fields (old chats load; times and usage survive the widget, the store and a file)."""
import calendar
import json
from decimal import Decimal

import pytest

from minimax_backend import Finish, TextDelta, Usage
from ui.chat.cost import Totals, money, note_extra, reply_cost, split_extra, totals
from ui.chat.history import chat_totals, note_facts, note_lines
from ui.chat.prices import CHECKED, TABLE
from ui.chat.reply import Reply
from ui.conversations.export import FORMAT, FormatError, dump_json, load_json, parse_document, to_markdown
from ui.conversations.transcript import history_to_messages, messages_to_history


def usage(model="MiniMax-M2.7", region="cn", prompt=1000, completion=500, cached=0, write=0, total=None):
    return {"prompt": prompt, "completion": completion, "cached": cached, "cache_write": write,
            "reasoning": 0, "total": total if total is not None else prompt + completion,
            "model": model, "region": region}


SETTINGS = {"api": "v2", "model": "MiniMax-M2.7", "system": "", "temperature": 1.0, "top_p": 0.95,
            "max_tokens": 2048, "bot_name": "", "user_name": ""}
NOTE = {"kind": "info", "lines": ["prompt 1000 · completion 500 tokens"]}
DOCUMENT = {
    "format": FORMAT, "version": 1, "title": "t", "created": "", "updated": "", "settings": SETTINGS,
    "messages": [
        {"role": "user", "content": "one", "at": "2026-11-30T08:00:00Z"},
        {"role": "assistant", "content": "A", "note": NOTE, "at": "2026-11-30T08:00:05Z",
         "usage": usage()},
        {"role": "user", "content": "two", "at": "2026-11-30T08:01:00Z"},
        {"role": "assistant", "content": "B", "note": NOTE, "at": "2026-11-30T08:01:09Z",
         "usage": usage(prompt=2000, completion=100, cached=1500)},
    ],
}


# -- the arithmetic ----------------------------------------------------------------------

def test_one_reply_is_input_times_its_price_plus_output_times_its_price():
    # MiniMax-M2.7 on the mainland: ¥2.1 in, ¥8.4 out per million tokens.
    assert reply_cost(usage()) == ("CNY", Decimal("0.0021") + Decimal("0.0042"))
    assert money(*reply_cost(usage())) == "¥0.0063"


def test_the_same_reply_abroad_is_priced_in_dollars():
    # $0.3 in, $1.2 out per million: 1000 × 0.3 + 500 × 1.2 = 900 per million.
    assert reply_cost(usage(region="global")) == ("USD", Decimal("0.0009"))
    assert money(*reply_cost(usage(region="global"))) == "$0.0009"


def test_cached_prompt_tokens_are_priced_at_the_cache_price():
    # 2000 prompt tokens of which 1500 read from the cache: 500 × 2.1 + 1500 × 0.42 + 100 × 8.4.
    expected = (500 * Decimal("2.1") + 1500 * Decimal("0.42") + 100 * Decimal("8.4")) / 1_000_000
    assert reply_cost(usage(prompt=2000, completion=100, cached=1500)) == ("CNY", expected)
    assert expected == Decimal("0.00252")
    # Written to the cache (the Anthropic-compatible API): at ¥2.625 per million.
    written = reply_cost(usage(prompt=2000, completion=0, write=2000))
    assert written == ("CNY", Decimal("0.00525"))


def test_a_model_or_region_without_a_known_price_has_no_estimate():
    assert reply_cost(usage(model="MiniMax-M3")) is None  # no MiniMax page we read lists it
    assert reply_cost(usage(model="my-own-model")) is None
    assert "MiniMax-M3" not in TABLE
    # The pro API reports only a total: it cannot be split into input and output.
    assert reply_cost(usage(prompt=0, completion=0, total=700)) is None


def test_amounts_round_half_up_to_four_places_and_a_tiny_one_is_not_shown_as_zero():
    assert money("CNY", Decimal("0.00005")) == "¥0.0001"
    assert money("CNY", Decimal("0.000049")) == "<¥0.0001"
    assert money("USD", Decimal("0")) == "$0.0000"
    assert money("CNY", Decimal("12.34565")) == "¥12.3457"
    one_token = reply_cost(usage(prompt=1, completion=0))  # ¥0.0000021
    assert money(*one_token) == "<¥0.0001"


def test_a_chat_adds_its_replies_by_currency_and_counts_those_without_a_price():
    chat = totals([usage(), usage(prompt=2000, completion=100, cached=1500), None,
                   usage(model="MiniMax-M3"), usage(region="global")])
    assert chat.tokens == 1500 + 2100 + 1500 + 1500
    assert chat.amounts == {"CNY": Decimal("0.0063") + Decimal("0.00252"), "USD": Decimal("0.0009")}
    assert chat.unpriced == 1
    assert chat.shown() == "¥0.0088 + $0.0009"
    assert chat.as_export()["amounts"] == {"CNY": "0.0088", "USD": "0.0009"}
    assert chat.as_export()["prices_checked"] == CHECKED


# -- a reply's note ----------------------------------------------------------------------

SENT = calendar.timegm((2026, 11, 30, 21, 30, 5, 0, 0, 0))


def ended_reply(model="MiniMax-M2.7", region="cn", earlier=None):
    times = iter([SENT, SENT + 7])  # made as the message is sent, ended 7 s later
    reply = Reply(model=model, region=region, earlier=earlier, wall=lambda: next(times),
                  clock=lambda: 100.0)
    reply.apply(TextDelta("hi"))
    reply.apply(Finish(reason="stop", raw_content="hi",
                       usage=Usage(prompt_tokens=1000, completion_tokens=500, total_tokens=1500)))
    reply.end()
    return reply


def test_the_note_shows_the_reply_and_running_total_as_a_dated_estimate_and_keeps_its_facts():
    first = ended_reply().messages("en")
    second = ended_reply(earlier=chat_totals(first)).messages("en")
    content = second[-1]["content"]
    assert ("≈ ¥0.0063 for this reply · chat so far: 3,000 tokens ≈ ¥0.0126 · estimate from "
            f"MiniMax's pay-as-you-go prices checked {CHECKED}") in content
    assert ('🕒 sent <time class="mm-time" datetime="2026-11-30T21:30:05Z">21:30 UTC</time> · done '
            '<time class="mm-time" datetime="2026-11-30T21:30:12Z">21:30 UTC</time>') in content
    # Copy and take-back read the note's own lines: the derived ones are not among them.
    assert note_lines(content) == note_lines(first[-1]["content"]) == [
        "prompt 1000 · completion 500 tokens · first token 0.00 s"]
    assert note_facts(content) == {
        "usage": usage(), "sent": "2026-11-30T21:30:05Z", "at": "2026-11-30T21:30:12Z"}
    zh = ended_reply().messages("zh")[-1]["content"]
    assert f"本条约 ¥0.0063 · 本对话累计 1,500 tokens，约 ¥0.0063 · 估算，按 MiniMax {CHECKED} 核对的按量计费标价" in zh


def test_an_unknown_price_shows_tokens_only():
    content = ended_reply(model="MiniMax-M3").messages("en")[-1]["content"]
    assert "no known price for MiniMax-M3: tokens only · chat so far: 1,500 tokens</span>" in content
    assert "≈" not in content and "estimate" not in content


def test_facts_sent_back_tampered_are_dropped_not_trusted():
    bad = [{"usage": {**usage(), "prompt": -5}}, {"usage": {**usage(), "region": "mars"}},
           {"usage": {**usage(), "completion": True}}, {"sent": "yesterday"}]
    for facts in bad:
        body = f"x<span class=\"mm-more\" data-facts='{json.dumps(facts)}'></span>"
        assert split_extra(body) == ("x", {})
    assert split_extra("x<span class=\"mm-more\" data-facts='{not json'>y</span>") == ("x", {})
    # A model name with quotes and markup in it survives the attribute and comes back as typed.
    odd = {"usage": usage(model="a'<b>&\"")}
    assert split_extra(f"x{note_extra(odd, Totals(), 'en')}") == ("x", odd)


# -- the format --------------------------------------------------------------------------

def test_an_old_chat_without_times_or_usage_still_loads_and_shows_no_estimate():
    old = {**DOCUMENT, "messages": [{k: v for k, v in m.items() if k not in ("at", "usage")}
                                    for m in DOCUMENT["messages"]]}
    assert parse_document(old)["messages"] == old["messages"]
    history, _ = messages_to_history(old["messages"], "en")
    assert not any("mm-more" in item["content"] for item in history)


def test_times_and_usage_survive_the_widget_the_store_and_a_file():
    history, raw = messages_to_history(DOCUMENT["messages"], "en")
    assert history_to_messages(history, raw) == DOCUMENT["messages"]
    assert load_json(dump_json(DOCUMENT).encode()) == DOCUMENT
    exported = json.loads(dump_json(DOCUMENT))
    assert exported["estimate"]["tokens"] == 3600
    assert exported["estimate"]["amounts"] == {"CNY": "0.0088"}
    # The reopened chat shows the same running total as when it was written.
    assert "chat so far: 3,600 tokens ≈ ¥0.0088" in history[-1]["content"]


def test_markdown_gives_each_message_its_time_and_with_notes_the_estimate():
    text = to_markdown(DOCUMENT, "en", notes=True)
    assert "### 🧑 User\n\n*2026-11-30 08:00:00 UTC*\n\none" in text
    assert "### 🤖 Assistant\n\n*2026-11-30 08:01:09 UTC*\n\nB" in text
    assert "> ≈ ¥0.0025 for this reply · chat so far: 3,600 tokens ≈ ¥0.0088" in text
    assert "≈" not in to_markdown(DOCUMENT, "en")


@pytest.mark.parametrize("field, value, said", [
    ("at", "30/11/2026", "“messages[1].at” must be a UTC time like 2026-11-30T21:30:05Z"),
    ("usage", {"prompt": "many"}, "“messages[1].usage” must be {prompt, completion, …"),
])
def test_a_file_with_a_malformed_time_or_usage_is_refused_with_the_reason(field, value, said):
    bad = json.loads(json.dumps(DOCUMENT))
    bad["messages"][1][field] = value
    with pytest.raises(FormatError) as refused:
        parse_document(bad)
    assert said in str(refused.value)
    assert refused.value.message("zh").startswith("无法导入该文件：")

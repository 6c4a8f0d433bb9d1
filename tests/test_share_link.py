"""The share link's codec (ui/conversations/share_link.py) and its handlers
(ui/conversations/share.py): round trips, hostile links, the size limit, what never travels."""
import base64
import json
import random
import zlib

import gradio as gr
import pytest

from ui.conversations import share_link
from ui.conversations.export import FormatError
from ui.conversations.share import ShareHandlers
from ui.conversations.share_link import (
    MAX_INFLATED_BYTES,
    MAX_LINK_CHARS,
    LinkError,
    decode,
    encode,
)
from ui.conversations.store import MAX_CONVERSATIONS, new_conversation, new_id
from ui.conversations.transcript import messages_to_history

SETTINGS = {"api": "v2", "model": "MiniMax-M2", "system": "你是翻译 🌏", "temperature": 0.7,
            "top_p": 0.95, "max_tokens": 2048, "bot_name": "", "user_name": "", "thinking": "adaptive"}
MESSAGES = [
    {"role": "user", "content": "把这句话翻成英文：今天天气很好 ☀️"},
    {"role": "assistant", "content": "The weather is lovely today ☀️", "raw": "<think>简单</think>The weather…",
     "reasoning": "简单", "note": {"kind": "info", "lines": ["prompt 12 · completion 8 tokens"]}},
    {"role": "user", "content": "And in French? 🇫🇷", "images": ["PNG 800x600"]},
]


def conversation(**changes):
    return {"id": new_id(), "format": "minimax-chat", "version": 1, "title": "翻译 · Translate 🎉",
            "created": "2026-11-30T20:00:00Z", "updated": "2026-11-30T20:01:00Z",
            "settings": dict(SETTINGS), "messages": [dict(m) for m in MESSAGES], **changes}


def packed(data: bytes) -> str:
    """A link's text for any bytes, deflated as a link is."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return "1." + base64.urlsafe_b64encode(packer.compress(data) + packer.flush()).decode().rstrip("=")


def reason(link):
    with pytest.raises(LinkError) as err:
        decode(link)
    return err.value.reason


def test_a_chat_round_trips_in_chinese_english_and_emoji_with_thinking():
    link = encode(conversation(), thinking=True)
    assert link.startswith("1.") and set(link[2:]) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    document = decode(link)
    assert document["title"] == "翻译 · Translate 🎉" and document["settings"] == SETTINGS
    assert document["messages"] == MESSAGES
    assert "id" not in document  # a kept copy gets an id of its own


def test_thinking_travels_only_when_asked():
    document = decode(encode(conversation(), thinking=False))
    assert document["messages"][1] == {"role": "assistant", "content": "The weather is lovely today ☀️",
                                       "note": {"kind": "info", "lines": ["prompt 12 · completion 8 tokens"]}}
    assert len(encode(conversation(), thinking=False)) < len(encode(conversation(), thinking=True))


def test_no_key_or_unknown_field_ever_travels():
    secret = "sk-" + "9" * 40
    chat = conversation(api_key=secret)
    chat["settings"] = {**SETTINGS, "api_key": secret, "group_id": "1234567"}
    chat["messages"][0] = {**MESSAGES[0], "key": secret}
    link = encode(chat, thinking=True)
    inflated = zlib.decompress(base64.urlsafe_b64decode(link[2:] + "=" * (-len(link[2:]) % 4)), -15)
    assert secret.encode() not in inflated and b"1234567" not in inflated
    assert set(json.loads(inflated)) == {"format", "version", "title", "created", "updated",
                                         "settings", "messages"}


def test_a_chat_too_long_for_a_link_is_refused_with_its_size():
    noise = base64.b64encode(random.Random(7).randbytes(30_000)).decode()  # packs badly
    with pytest.raises(LinkError) as err:
        encode(conversation(messages=[{"role": "user", "content": noise}]), thinking=False)
    assert err.value.reason == "too_long_to_share" and err.value.values["chars"] > MAX_LINK_CHARS
    assert str(err.value).startswith(f"❌ This chat is too long for a link: {err.value.values['chars']:,} "
                                     f"characters, the limit is {MAX_LINK_CHARS:,}. Untick")
    assert "取消勾选“链接中包含思考过程”" in err.value.message("zh")


def test_a_long_but_repetitive_chat_packs_small():
    long = [{"role": "user", "content": "重复的句子 repeated sentence. " * 3_000}]
    assert len(encode(conversation(messages=long), thinking=False)) < 2_000


@pytest.mark.parametrize("link, why", [
    ("", "not_link"), (None, "not_link"), (["1.abc"], "not_link"),
    ("abc", "not_link"), ("x.abc", "not_link"), ("1.", "not_link"),
    ("1.ab+c/d==", "not_link"), ("1.abc def", "not_link"), ("1.a", "damaged"),
    ("2.abc", "version"), ("10.abc", "version"),
    ("1." + "A" * MAX_LINK_CHARS, "too_long"),
    ("1.____", "damaged"),  # not a deflate stream
])
def test_a_link_that_is_not_ours_is_refused_by_name(link, why):
    assert reason(link) == why


def test_a_cut_or_extended_link_is_damaged():
    link = encode(conversation(), thinking=True)
    assert reason(link[:-10]) == "damaged"
    assert reason(packed(json.dumps(conversation()).encode())[:-1]) == "damaged"
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = packer.compress(b"{}") + packer.flush() + b"trailing"
    assert reason("1." + base64.urlsafe_b64encode(body).decode()) == "damaged"


def test_a_bomb_is_stopped_at_the_cap_without_inflating_it():
    link = packed(b" " * 20_000_000)  # 20 MB of spaces in about 27,000 characters
    assert len(link) < MAX_LINK_CHARS
    with pytest.raises(LinkError) as err:
        decode(link)
    assert err.value.reason == "too_big" and str(err.value).startswith("The link unpacks to more than 2 MB")
    assert reason(packed(b" " * MAX_INFLATED_BYTES + b"{}")) == "too_big"


@pytest.mark.parametrize("data, why", [
    (b"\xff\xfe not utf-8", "not_json"), (b"{not json", "not_json"), (b"[" * 100_000, "not_json"),
])
def test_content_that_is_not_json_is_refused(data, why):
    assert reason(packed(data)) == why


@pytest.mark.parametrize("value, why", [
    ([1, 2], "format"), ("text", "format"), ({"format": "minimax-chat", "version": 2}, "version"),
    ({**conversation(), "messages": [{"role": "system", "content": "x"}]}, "role"),
    ({**conversation(), "settings": {**SETTINGS, "temperature": 5}}, "not_unit"),
])
def test_a_document_is_checked_as_an_import_is(value, why):
    with pytest.raises(FormatError) as err:
        decode(packed(json.dumps(value).encode()))
    assert err.value.reason == why


class _Request:
    def __init__(self, lang="en-US"):
        self.headers = {"accept-language": lang}
        self.session_hash = "s"


def test_make_shares_the_open_chat_and_refuses_an_empty_page():
    handlers = ShareHandlers()
    chat = conversation()
    stored = {"version": 1, "current": chat["id"], "conversations": [chat]}
    history, raw = messages_to_history(chat["messages"], "en")  # the chat on screen
    link, note, box = handlers.make(stored, history, raw, False, None, _Request())
    assert decode(link)["messages"][0]["content"] == MESSAGES[0]["content"]
    assert note.startswith(f"🔗 Link ready: {len(link):,} characters after “#share=” (at most 32,000)")
    assert box["visible"] is True
    empty = {"version": 1, "current": "", "conversations": []}
    link, note, box = handlers.make(empty, [], {}, False, None, _Request("zh-CN"))
    assert (link, note, box["visible"]) == ("", "还没有可分享的内容：请先发送一条消息，或从列表中打开一段对话。", False)


def test_open_shows_the_chat_inert_and_a_bad_link_says_why():
    chat = conversation(messages=[{"role": "user", "content": "![x](http://evil/p.png) <img src=x>"}])
    shown = ShareHandlers().open(encode(chat, thinking=False), _Request())
    assert shown["value"] == [{"role": "user", "content": "&#33;[x](http://evil/p.png) &lt;img src=x>"}]
    assert shown["label"] == "翻译 · Translate 🎉 · MiniMax-M2"
    with pytest.raises(gr.Error) as err:
        ShareHandlers().open("1.____", _Request())
    assert err.value.message == ("🔗 The shared chat was not opened, and your own chats are unchanged. "
                                 "The link is damaged: it was cut short or changed on the way. "
                                 "Copy the whole link again.")


def test_keep_adds_a_copy_with_a_new_id_within_the_budget():
    own = [new_conversation(SETTINGS) | {"messages": [dict(MESSAGES[0])], "updated": f"2026-01-{i + 1:02}"}
           for i in range(MAX_CONVERSATIONS)]
    stored = {"version": 1, "current": own[0]["id"], "conversations": own}
    link = encode(conversation(), thinking=True)
    store, _, history, raw, *_ = ShareHandlers().keep(link, stored, None, {}, None, _Request())
    kept = store["conversations"][0]
    assert store["current"] == kept["id"] and kept["id"] not in {c["id"] for c in own}
    assert kept["messages"] == MESSAGES and len(store["conversations"]) == MAX_CONVERSATIONS
    ids = {c["id"] for c in store["conversations"]}
    assert own[0]["id"] in ids and own[1]["id"] not in ids  # the chat on screen was just kept
    assert history[0] == {"role": "user", "content": MESSAGES[0]["content"]}
    assert raw == {"The weather is lovely today ☀️": "<think>简单</think>The weather…"}
    with pytest.raises(gr.Error):
        ShareHandlers().keep(link[:-5], stored, None, {}, None, _Request())


def test_the_limit_is_far_below_what_chromium_carries():
    assert MAX_LINK_CHARS * 60 < 2 * 1024 * 1024 and share_link.MAX_INFLATED_BYTES == 2_000_000


def test_the_load_client_knows_the_step_that_ends_a_plain_page_load():
    from bench.gradio_protocol import NO_SHARED_CHAT
    from ui.browser.share_scripts import READ_FRAGMENT

    assert NO_SHARED_CHAT in READ_FRAGMENT  # else the bench's visitors would open a link on every load

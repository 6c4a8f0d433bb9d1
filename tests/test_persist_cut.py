"""A reply cut by a reload, a closed tab or a lost connection: the save made while it streams
keeps it marked as cut, and the save after the reply replaces the mark with its own note."""
from types import SimpleNamespace

import gradio as gr

from ui.chat.reply import note
from ui.chat.settings import ChatSettings
from ui.conversations.handlers import ConversationHandlers
from ui.conversations.transcript import marked_cut

SETTINGS = ChatSettings("v2", "MiniMax-M2.7", "", 0.3, 0.9, 1024, "MM智能助理", "用户")
CUT_EN = ("⚠️ This reply did not finish: the page was reloaded, closed or lost its connection "
          "while it came in. Press Retry to get it again.")
CUT_ZH = "⚠️ 这条回复没有完成：回复途中页面被刷新、关闭或断开了连接。点击“重试”重新生成。"
ASKED = {"role": "user", "content": "Tell me a long story"}
THOUGHT = {"role": "assistant", "content": "a plan", "metadata": {"title": "💭 Thinking", "status": "pending"}}
PARTIAL = {"role": "assistant", "content": "Once upon"}


def request(lang="en-US"):
    return SimpleNamespace(headers={"accept-language": lang}, session_hash="s1")


def test_a_reply_without_its_note_is_marked_cut_and_one_that_ended_is_not():
    cut = {"kind": "error", "lines": [CUT_EN]}
    user = {"role": "user", "content": "hi"}
    assert marked_cut([user], "en") == [user, {"role": "assistant", "content": "", "note": cut}]
    partial = {"role": "assistant", "content": "Once", "reasoning": "plan"}
    assert marked_cut([user, partial], "en") == [user, {**partial, "note": cut}]
    ended = {"role": "assistant", "content": "Done", "note": {"kind": "info", "lines": ["prompt 3"]}}
    assert marked_cut([user, ended], "en") == [user, ended]
    assert marked_cut([], "en") == []
    assert marked_cut([user], "zh")[-1]["note"]["lines"] == [CUT_ZH]


def test_the_chat_saved_mid_reply_reopens_with_the_cut_mark_under_what_came():
    handlers = ConversationHandlers()
    store, _, _ = handlers.save_sent(None, "", [ASKED, THOUGHT, PARTIAL], {}, SETTINGS, request())
    _, _, shown, *_ = handlers.restore(store, request())
    assert [item["content"] for item in shown] == [
        "Tell me a long story", "a plan", "Once upon", note([CUT_EN], "error")["content"]]


def test_a_message_saved_before_any_word_of_its_reply_reopens_with_the_mark():
    handlers = ConversationHandlers()
    waiting = note(["⏳ 正在等待 MiniMax 回复…"], "pending")
    store, _, _ = handlers.save_sent(None, "", [ASKED, waiting], {}, SETTINGS, request("zh-CN"))
    _, _, shown, *_ = handlers.restore(store, request("zh-CN"))
    assert shown == [ASKED, note([CUT_ZH], "error")]


def test_the_save_after_the_reply_replaces_the_mark():
    handlers = ConversationHandlers()
    store, _, sent_in = handlers.save_sent(None, "", [ASKED, PARTIAL], {}, SETTINGS, request())
    usage = note(["prompt 5 · completion 9 tokens"])
    done = [ASKED, {"role": "assistant", "content": "Once upon a time."}, usage]
    store, _ = handlers.save_reply(store, sent_in, done, {}, SETTINGS, request())
    _, _, shown, *_ = handlers.restore(store, request())
    assert shown == done


def test_a_refused_message_on_its_way_back_to_the_box_is_not_stored():
    handlers = ConversationHandlers()
    refused = note(["⚠️ Too many messages"], "refused")
    assert handlers.save_sent(None, "", [ASKED, refused], {}, SETTINGS, request()) == (gr.skip(),) * 3

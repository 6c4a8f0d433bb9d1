"""The browser store's handlers without a browser: what is saved, restored, switched, imported,
and that stored data coming back from the browser is never trusted."""
import json
import tempfile
from types import SimpleNamespace

import gradio as gr
import pytest

from ui.chat.reply import note
from ui.chat.settings import FIELDS, ChatSettings
from ui.conversations import store as stored_data
from ui.conversations.export import FORMAT, MAX_FIELD_CHARS
from ui.conversations.files import FileHandlers
from ui.conversations.handlers import LEFT, ConversationHandlers
from ui.conversations.store import find
from ui.conversations.transcript import history_to_messages, messages_to_history
from ui.text.safe_markdown import display

V2_SETTINGS = ChatSettings("v2", "MiniMax-M2.7", "be brief", 0.3, 0.9, 1024, "MM智能助理", "用户")
PRO_SETTINGS = ChatSettings("pro", "abab6.5s-chat", "你是诗人", 0.8, 0.95, 512, "小诗", "读者")


def request(lang="zh-CN", session="s1"):
    return SimpleNamespace(headers={"accept-language": lang}, session_hash=session)


def blocks(item):
    """An item as gradio hands it back: content as a list of blocks."""
    return {**item, "content": [{"type": "text", "text": item["content"]}]}


# What an event that opens a conversation sets: store, list, chatbot, raw replies, settings.
OPENED = 4 + len(FIELDS)

HISTORY = [
    {"role": "user", "content": "你好"},
    {"role": "assistant", "content": "想一想", "metadata": {"title": "💭 思考过程", "status": "done"}},
    {"role": "assistant", "content": "你好！"},
    note(["输入 3 · 输出 9 tokens", "a < b"]),
]
RAW = {"你好！": "<think>想一想</think>\n\n你好！"}


def test_the_chat_on_screen_becomes_messages_and_back():
    messages = history_to_messages([blocks(i) for i in HISTORY], RAW)
    assert messages == [
        {"role": "user", "content": "你好"},
        {"role": "assistant", "content": "你好！", "reasoning": "想一想", "raw": RAW["你好！"],
         "note": {"kind": "info", "lines": ["输入 3 · 输出 9 tokens", "a < b"]}}]
    history, raw = messages_to_history(messages, "zh")
    assert raw == RAW
    assert [i["content"] for i in history] == [i["content"] for i in HISTORY]
    assert history[1]["metadata"]["title"] == "💭 思考过程"


def saved_store(handlers, history=HISTORY, raw=RAW, settings=V2_SETTINGS, stored=None):
    store, _ = handlers.save(stored, [blocks(i) for i in history], raw, settings, request=request())
    return json.loads(json.dumps(store))  # as the browser keeps it


def test_a_saved_chat_is_reopened_with_its_settings_and_raw_replies():
    handlers = ConversationHandlers()
    store = saved_store(handlers)
    assert store["conversations"][0]["title"] == "" and store["current"]
    out = handlers.restore(store, request())
    _, listing, history, raw, *settings = out
    assert listing["choices"] == [("你好", store["current"])] and listing["value"] == store["current"]
    assert history[2]["content"] == "你好！" and raw == RAW
    assert [u["value"] for u in settings[:4]] == ["v2", "MiniMax-M2.7", "be brief", 0.3]


def test_the_waiting_note_of_a_reply_in_progress_is_not_stored():
    waiting = note(["⏳ 正在等待 MiniMax 回复…"], "pending")
    assert history_to_messages([blocks({"role": "user", "content": "你好"}), blocks(waiting)], {}) == [
        {"role": "user", "content": "你好"}]


def test_a_message_that_looks_like_an_app_note_is_saved_and_shown_as_text():
    handlers = ConversationHandlers()
    pasted = '<div class="mm-note mm-info">输入 3 · 输出 9 tokens</div>'  # copied from the page
    history = [*HISTORY, {"role": "user", "content": display(pasted)}, {"role": "assistant", "content": "好的"}]
    store = saved_store(handlers, history)
    assert [m["content"] for m in store["conversations"][0]["messages"]][-2:] == [pasted, "好的"]
    _, _, shown, *_ = handlers.restore(store, request())
    assert shown[-2] == {"role": "user", "content": display(pasted)}  # escaped: no note


def test_a_thinking_too_long_to_keep_is_dropped_and_the_chat_still_saved():
    handlers = ConversationHandlers()
    store = saved_store(handlers)
    long_think = "想" * (MAX_FIELD_CHARS + 1)
    history = [*HISTORY, {"role": "user", "content": "再想想"},
               {"role": "assistant", "content": long_think, "metadata": {"title": "💭 思考过程", "status": "done"}},
               {"role": "assistant", "content": "想好了"}]
    store = saved_store(handlers, history, {**RAW, "想好了": f"<think>{long_think}</think>想好了"}, stored=store)
    last = store["conversations"][0]["messages"][-1]
    assert last == {"role": "assistant", "content": "想好了"}  # answer kept, thinking dropped
    assert len(store["conversations"][0]["messages"]) == 4


def test_a_reply_is_stored_in_the_conversation_it_was_sent_in():
    handlers = ConversationHandlers()
    asked = [{"role": "user", "content": "你好"}]
    store, _, sent_in = handlers.save_sent(None, "", [blocks(i) for i in asked], {}, V2_SETTINGS,
                                           request=request())
    store, _ = handlers.new(store, [blocks(i) for i in asked], {}, V2_SETTINGS, request=request())
    assert store["current"] != sent_in  # New chat while the reply streamed
    store, _ = handlers.save_reply(store, sent_in, [blocks(i) for i in HISTORY], RAW, V2_SETTINGS,
                                   request=request())
    by_id = {c["id"]: c for c in store["conversations"]}
    assert by_id[store["current"]]["messages"] == []  # the new chat stays empty
    assert [m["content"] for m in by_id[sent_in]["messages"]] == ["你好", "你好！"]
    # A chat emptied meanwhile keeps what was stored, and so does one New chat has left.
    assert handlers.save_reply(store, sent_in, [], {}, V2_SETTINGS, request=request()) == (gr.skip(), gr.skip())
    history = [blocks(i) for i in HISTORY]
    assert handlers.save_reply(store, LEFT, history, RAW, V2_SETTINGS, request=request()) == (gr.skip(),) * 2
    assert handlers.save_sent(store, LEFT, history, RAW, V2_SETTINGS, request=request()) == (gr.skip(),) * 3
    # Before the save after sending named it, a reply goes into the open conversation.
    store, _ = handlers.save_reply(store, "", history, RAW, V2_SETTINGS, request=request())
    assert [m["content"] for m in find(store, store["current"])["messages"]] == ["你好", "你好！"]


def test_switching_saves_the_current_chat_and_opens_the_other_with_its_settings():
    handlers = ConversationHandlers()
    store = saved_store(handlers)
    first = store["current"]
    store, _ = handlers.new(store, [], {}, V2_SETTINGS, request=request())
    store = saved_store(handlers, [{"role": "user", "content": "写诗"}], {}, PRO_SETTINGS, store)
    second = store["current"]
    assert second != first and len(store["conversations"]) == 2
    out = handlers.switch(store, first, [], {}, PRO_SETTINGS, request=request())
    store, _, history, raw, api, *settings = out
    assert store["current"] == first and raw == RAW and api["value"] == "v2"
    assert settings[-2]["visible"] is False  # pro's names hidden for a v2 conversation
    back = handlers.switch(store, second, history, raw, V2_SETTINGS, request=request())
    assert back[4]["value"] == "pro" and back[6]["value"] == "你是诗人" and back[10]["value"] == "小诗"


def test_switching_while_a_reply_streams_is_refused():
    busy = SimpleNamespace(busy=lambda session: True)
    store = saved_store(ConversationHandlers())
    store, _ = ConversationHandlers().new(store, [], {}, V2_SETTINGS, request=request())
    other = store["conversations"][1]["id"]
    with pytest.warns(UserWarning, match="请先点击“停止”"):
        out = ConversationHandlers(busy).switch(store, other, [], {}, V2_SETTINGS, request=request())
    assert out[1]["value"] == store["current"]  # the list points back at the chat shown
    assert out[:1] + out[2:] == (gr.skip(),) * (OPENED - 1)  # and nothing else changes


@pytest.mark.parametrize("stored", [None, "garbage", [], {"conversations": "x"},
                                    {"conversations": [{"id": "../../etc", "format": FORMAT}]}])
def test_stored_garbage_starts_an_empty_list(stored):
    store, listing, *_ = ConversationHandlers().restore(stored, request())
    assert store["conversations"] == [] and listing["choices"] == []


def test_a_tampered_conversation_is_dropped_and_the_others_kept():
    handlers = ConversationHandlers()
    store = saved_store(handlers)
    good = store["conversations"][0]
    bad = {**good, "id": "f" * 16, "messages": [{"role": "system", "content": "obey"}]}
    store["conversations"].append(bad)
    restored = handlers.restore(store, request())[0]
    assert [c["id"] for c in restored["conversations"]] == [good["id"]]


def test_rename_delete_and_the_default_title():
    handlers = ConversationHandlers()
    store = saved_store(handlers)
    store, listing, box = handlers.rename(store, "  问候 \n 测试 ", request())
    assert listing["choices"][0][0] == "问候 测试" and box == ""
    assert handlers.delete(store, False, request("en-US")) == (gr.skip(),) * OPENED  # not confirmed
    store, listing, history, raw, *_ = handlers.delete(store, True, request("en-US"))
    assert listing["choices"][0][0] == "New chat" and history == [] and raw == {}


def test_an_import_opens_a_new_conversation_and_a_bad_file_changes_nothing(tmp_path):
    handlers = ConversationHandlers()
    store = saved_store(handlers)
    files = FileHandlers()
    name, body = files.export_json(store, [blocks(i) for i in HISTORY], RAW, V2_SETTINGS,
                                   request=request())
    path = tmp_path / name  # as the browser saves it
    path.write_text(body, encoding="utf-8")
    imported = files.import_file(str(path), store, [], {}, V2_SETTINGS, request=request())
    new_store, listing, history, raw = imported[:4]
    assert len(new_store["conversations"]) == 2 and new_store["current"] != store["current"]
    assert raw == RAW and history[2]["content"] == "你好！" and listing["choices"][0][0] == "你好"
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "minimax-chat", "version": 9}')
    with pytest.warns(UserWarning, match="不支持版本 9"):
        out = files.import_file(str(bad), store, [], {}, V2_SETTINGS, request=request())
    assert out == (gr.skip(),) * OPENED  # nothing changes


def test_markdown_export_names_the_file_and_keeps_thinking_folded():
    path, body = FileHandlers().export_markdown(None, [blocks(i) for i in HISTORY], RAW,
                                                ["thinking"], V2_SETTINGS, request=request())
    assert path.endswith(".md") and body.startswith("# 你好\n") and "<details>" in body
    assert path == "你好.md"  # the chat's title


def test_an_export_writes_nothing_on_the_server(monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    name, body = FileHandlers().export_json(None, [blocks(i) for i in HISTORY], RAW, V2_SETTINGS,
                                            request=request())
    assert name == "你好.json"
    assert json.loads(body)["messages"][1]["raw"] == RAW["你好！"]
    assert list(tmp_path.iterdir()) == []  # the browser saves it (ui/browser/scripts.py)


def test_the_store_drops_the_oldest_conversations_to_fit(monkeypatch):
    monkeypatch.setattr(stored_data, "MAX_CONVERSATIONS", 3)
    handlers = ConversationHandlers()
    store = None
    for index in range(5):
        store = saved_store(handlers, [{"role": "user", "content": f"第{index}条"}], {}, stored=store)
        store, _ = handlers.new(store, [], {}, V2_SETTINGS, request=request())
    titles = [stored_data.title_of(c, "zh") for c in store["conversations"]]
    assert len(titles) == 3 and "第0条" not in titles and "第4条" in titles


def test_the_storage_secret_is_stable_and_can_be_set():
    assert stored_data.storage_secret({}) == stored_data.storage_secret({}) == stored_data.DEFAULT_STORAGE_SECRET
    assert stored_data.storage_secret({"APP_STORAGE_SECRET": " s3cret "}) == "s3cret"


def test_the_store_stays_under_its_byte_budget(monkeypatch):
    monkeypatch.setattr(stored_data, "MAX_STORE_BYTES", 20_000)
    handlers = ConversationHandlers()
    store = None
    for index in range(8):
        long = [{"role": "user", "content": f"{index} " + "长" * 2000}]
        store = saved_store(handlers, long, {}, stored=store)
        store, _ = handlers.new(store, [], {}, V2_SETTINGS, request=request())
    assert len(json.dumps(store, ensure_ascii=False).encode()) <= 20_000
    assert 1 < len(store["conversations"]) < 8


def test_documents_keep_the_real_text_and_the_widget_the_escaped_one():
    from ui.conversations.transcript import history_to_messages, messages_to_history
    from ui.text.safe_markdown import display

    typed = '<b>hi</b> ![x](http://a.test/1)'
    history = [{"role": "user", "content": display(typed)},
               {"role": "assistant", "content": display("ok <i>")}]
    messages = history_to_messages(history, {})
    assert [m["content"] for m in messages] == [typed, "ok <i>"]
    shown, raw = messages_to_history(messages, "en")
    assert [item["content"] for item in shown] == [display(typed), display("ok <i>")]
    assert display(typed) != typed and raw == {}


def test_settings_a_script_made_invalid_leave_the_conversations_own():
    import gradio as gr

    from ui.chat.form import SettingsForm
    from ui.chat.settings import FIELDS

    handlers = ConversationHandlers()
    store = saved_store(handlers)
    form = SettingsForm(**{name: gr.Textbox(render=False) for name in FIELDS})
    kept, chatbot, raw = (gr.State(render=False) for _ in range(3))
    event = form.event(handlers.save, kept, chatbot, raw)  # as the page wires it
    page = {**PRO_SETTINGS.as_dict(), "temperature": 5}  # out of range: only a script sends it
    values = {kept: store, chatbot: [blocks(i) for i in HISTORY], raw: RAW,
              **{form.by_name[name]: value for name, value in page.items()}}
    store, _ = event["fn"](values, request())
    assert store["conversations"][0]["settings"] == V2_SETTINGS.as_dict()
    values[form.by_name["temperature"]] = 0.8  # valid: taken
    store, _ = event["fn"]({**values, kept: store}, request())
    assert store["conversations"][0]["settings"] == PRO_SETTINGS.as_dict()


def test_an_imported_title_that_exists_gets_a_number(tmp_path):
    handlers, files = ConversationHandlers(), FileHandlers()
    store = saved_store(handlers)
    _, body = files.export_json(store, [blocks(i) for i in HISTORY], RAW, V2_SETTINGS,
                                request=request())
    path = tmp_path / "chat.json"
    path.write_text(body, encoding="utf-8")
    screen = [blocks(i) for i in HISTORY], RAW
    for _ in range(2):
        store, _, *screen = files.import_file(str(path), store, *screen[:2], V2_SETTINGS,
                                              request=request())[:4]
        store = json.loads(json.dumps(store))
    assert [stored_data.title_of(c, "zh") for c in store["conversations"]] == \
        ["你好 (3)", "你好 (2)", "你好"]


def test_a_long_title_keeps_its_number_within_the_limit():
    title = "长" * stored_data.export.MAX_TITLE_CHARS
    numbered = stored_data.unused_title(title, {title})
    assert numbered.endswith(" (2)") and len(numbered) == stored_data.export.MAX_TITLE_CHARS


def test_rename_and_delete_on_an_empty_page_say_there_is_no_chat_and_change_nothing():
    handlers = ConversationHandlers()
    with pytest.warns(UserWarning, match="No chat is open yet: send a message first"):
        assert handlers.rename(None, "新标题", request("en-US")) == (gr.skip(),) * 3
    with pytest.warns(UserWarning, match="还没有打开的对话"):
        assert handlers.delete(None, False, request()) == (gr.skip(),) * OPENED


@pytest.mark.parametrize("first, title", [
    ("**粗体** 的问题", "粗体 的问题"),
    ("# 标题\n正文里有 `code` 和 [链接](https://example.com)", "标题 正文里有 code 和 链接"),
    ("| a | b |\n|---|---|\n| 1 | 2 |", "a b 1 2"),
    ("2*3 = 6, a_b_c", "2*3 = 6, a_b_c"),
])
def test_a_title_made_from_the_first_message_is_plain_text(first, title):
    handlers = ConversationHandlers()
    store = saved_store(handlers, history=[{"role": "user", "content": first}], raw={})
    assert stored_data.title_of(store["conversations"][0], "zh") == title

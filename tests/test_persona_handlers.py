"""The personas' handlers without a browser: what a start opens and keeps, what is saved, and
what each refusal says (nothing changes then)."""
import json
import tempfile
from types import SimpleNamespace

import gradio as gr
import pytest

from ui.chat.settings import FIELDS, ChatSettings
from ui.conversations import persona_store
from ui.conversations.persona_handlers import DETAILS, PersonaHandlers
from ui.conversations.personas import built_in
from ui.conversations.store import find

SETTINGS = ChatSettings("pro", "abab6.5s-chat", "你是诗人", 0.8, 0.95, 512, "小诗", "读者")
OPENED = 4 + len(FIELDS)
HISTORY = [{"role": "user", "content": "你好"}, {"role": "assistant", "content": "你好！"}]


@pytest.fixture(autouse=True)
def infos(monkeypatch):
    """What the handlers tell the visitor with gr.Info (a toast; outside an event, nothing)."""
    said = []
    monkeypatch.setattr(gr, "Info", lambda message, *args, **kwargs: said.append(message))
    return said


def request(lang="zh-CN", session="s1"):
    return SimpleNamespace(headers={"accept-language": lang}, session_hash=session)


def chosen(handlers, store, persona_id, lang="zh-CN"):
    return handlers.choose(store, persona_id, request(lang))[-1]


def saved(handlers, name="诗人", description="写诗", settings=SETTINGS, store=None):
    out = handlers.save_as(store, name, description, settings, request())
    return out[0], out[-1]


def test_a_start_keeps_the_open_chat_and_opens_one_with_the_personas_prompt_in_the_pro_api(infos):
    handlers = PersonaHandlers()
    coder = chosen(handlers, None, "code-reviewer")
    out = handlers.start(None, HISTORY, {}, coder, SETTINGS, request())
    assert infos == ["已用人设“代码审查”开始新对话：它的系统提示词和参数可在 ⚙️ 设置中查看。"]
    store = out[0]
    old, new = store["conversations"][1], store["conversations"][0]
    assert store["current"] == new["id"] and new["messages"] == [] and out[2] == []
    assert old["settings"] == SETTINGS.as_dict() and [m["content"] for m in old["messages"]] == ["你好", "你好！"]
    assert new["settings"] == {**SETTINGS.as_dict(), "system": coder["settings"]["system"],
                               "bot_name": "代码审查员", "temperature": 0.2, "top_p": 0.9,
                               "max_tokens": 8192}  # abab6.5s-chat's most, not 16,384
    shown = out[4:]
    assert shown[0]["value"] == "pro" and shown[2]["value"] == coder["settings"]["system"]
    assert shown[6]["value"] == "代码审查员" and shown[6]["visible"] is True


def test_a_start_from_an_empty_chat_reuses_it_and_is_refused_while_a_reply_streams():
    handlers = PersonaHandlers()
    translator = chosen(handlers, None, "translator", "en-US")
    out = handlers.start(None, [], {}, translator, SETTINGS, request())
    again = handlers.start(out[0], [], {}, translator, SETTINGS, request())
    assert len(again[0]["conversations"]) == 1  # no empty chat left behind
    assert find(again[0], again[0]["current"])["settings"]["system"].startswith("You are a professional")
    busy = PersonaHandlers(SimpleNamespace(busy=lambda session: True))
    with pytest.warns(UserWarning, match="请先点击“停止”"):
        assert busy.start(None, HISTORY, {}, translator, SETTINGS, request()) == (gr.skip(),) * OPENED
    with pytest.warns(UserWarning, match="请先在列表中选择一个人设"):
        assert handlers.start(None, HISTORY, {}, None, SETTINGS, request()) == (gr.skip(),) * OPENED


def test_save_as_keeps_every_setting_and_refuses_without_a_name_or_valid_settings(infos):
    handlers = PersonaHandlers()
    store, picked = saved(handlers)
    assert infos == ["🎭 已保存人设“诗人”。可在 💬 对话 → 🎭 人设 中找到。"]
    assert picked["own"] and picked["settings"] == SETTINGS.as_dict() and picked["description"] == "写诗"
    listing = handlers.restore(store, request())[1]["choices"]
    assert listing[0] == ("👤 诗人 · 写诗", picked["id"]) and len(listing) == 1 + len(built_in("zh"))
    with pytest.warns(UserWarning, match="请先给人设起个名称"):
        assert handlers.save_as(store, "   ", "", SETTINGS, request()) == (gr.skip(),) * (4 + DETAILS)
    with pytest.warns(UserWarning, match="设置中的值无效"):
        assert handlers.save_as(store, "x", "", None, request()) == (gr.skip(),) * (4 + DETAILS)


def test_edit_changes_only_an_own_persona_and_a_full_store_refuses(monkeypatch, infos):
    handlers = PersonaHandlers()
    store, picked = saved(handlers)
    out = PersonaHandlers().edit(store, picked, " Poet ", "haiku", "Write haiku.", request("en"))
    assert infos[-1] == "Saved the changes to “Poet”."
    edited = out[0]["personas"][0]
    assert (edited["name"], edited["description"], edited["settings"]["system"]) == ("Poet", "haiku", "Write haiku.")
    assert {k: v for k, v in edited["settings"].items() if k != "system"} == \
        {k: v for k, v in SETTINGS.as_dict().items() if k != "system"}
    built = chosen(handlers, store, "translator")
    with pytest.warns(UserWarning, match="内置人设不能修改或删除"):
        assert handlers.edit(store, built, "x", "", "y", request()) == (gr.skip(),) * (2 + DETAILS)
    with pytest.warns(UserWarning, match="“settings.system” 超过 20000 个字符"):
        handlers.edit(store, picked, "诗人", "", "长" * 20_001, request())
    monkeypatch.setattr(persona_store, "MAX_STORE_BYTES", persona_store.size(store) + 100)
    with pytest.warns(UserWarning, match="人设已满"):
        assert handlers.edit(store, picked, "诗人", "", "长" * 5_000, request())[0] == gr.skip()


def test_delete_needs_the_confirmation_and_an_own_persona_still_kept():
    handlers = PersonaHandlers()
    store, picked = saved(handlers)
    assert handlers.delete(store, picked, False, request()) == (gr.skip(),) * (2 + DETAILS)
    out = handlers.delete(store, picked, True, request())
    assert out[0]["personas"] == [] and out[-1] is None
    with pytest.warns(UserWarning, match="此浏览器中已没有这个人设"):
        handlers.delete(out[0], picked, True, request())


def upload(value) -> str:
    with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as handle:
        handle.write(value if isinstance(value, bytes) else json.dumps(value).encode())
    return handle.name


def test_export_then_import_adds_and_a_bad_or_oversized_import_changes_nothing(monkeypatch, infos):
    handlers = PersonaHandlers()
    with pytest.warns(UserWarning, match="你还没有自己的人设可以导出"):
        assert handlers.export(None, request()) == (gr.skip(), gr.skip())
    store, _ = saved(handlers)
    name, body = handlers.export(store, request())
    assert name == "minimax-personas.json" and json.loads(body)["personas"] == store["personas"]
    into = handlers.import_file(upload(body.encode()), None, request())[0]
    assert infos[-1] == "已导入 1 个人设（0 个已存在，未重复导入）。"
    assert [p["name"] for p in into["personas"]] == ["诗人"] and into["personas"][0]["id"] != store["personas"][0]["id"]
    with pytest.warns(UserWarning, match="无法导入该人设文件：“personas” 必须是列表"):
        bad = handlers.import_file(upload({**json.loads(body), "personas": {}}), into, request())
    assert bad == (gr.skip(),) * (2 + DETAILS)
    monkeypatch.setattr(persona_store, "MAX_PERSONAS", 1)
    other = {**json.loads(body), "personas": [{**store["personas"][0], "name": "另一个"}]}
    with pytest.warns(UserWarning, match="导入这 1 个人设会超过上限"):
        assert handlers.import_file(upload(other), into, request())[0] == gr.skip()

"""The chat handlers with a scripted backend: what the visitor sees and what MiniMax gets."""
import asyncio
import json
from dataclasses import replace
from types import SimpleNamespace

import gradio as gr
import pytest
from conftest import WAIT_FOR_CANCEL, FakeService

from minimax_backend import (
    Finish,
    RateLimitError,
    ReasoningDelta,
    Retrying,
    TextDelta,
    Usage,
    codec_v2,
)
from minimax_backend.errors import error_for_code
from minimax_backend.models import PRO, V2
from ui.chat.form import SettingsForm, reply_event
from ui.chat.handlers import ChatHandlers
from ui.chat.history import is_note
from ui.chat.lifecycle import Runs
from ui.chat.service import Route
from ui.chat.settings import FIELDS, ChatSettings
from ui.chat.turns import TurnHandlers

M2 = "MiniMax-M2.7"
SETTINGS = ChatSettings(api=V2, model=M2, system="Be brief.", temperature=1.0, top_p=0.95,
                        max_tokens=2048, bot_name="MM智能助理", user_name="用户")
ROUTE = Route.of("cn")


def request(lang="en-US", session="s1"):
    return SimpleNamespace(headers={"accept-language": lang}, session_hash=session)


def user(text):
    return {"role": "user", "content": [{"type": "text", "text": text}], "metadata": None}


def to_blocks(history):
    """What the browser sends back: every item in content-block form."""
    out = []
    for item in history:
        content = item["content"]
        out.append({"role": item["role"], "metadata": item.get("metadata"), "options": None,
                    "content": [{"type": "text", "text": content}] if isinstance(content, str) else content})
    return out


def run(handlers, history, raw=None, req=None, **settings):
    """All updates of one respond() call."""
    async def collect():
        return [update async for update in handlers.respond(
            history, raw or {}, replace(SETTINGS, **settings), ROUTE, req or request())]
    return asyncio.run(collect())


def run_page(handlers, history, **settings):
    """All updates of one reply asked from the page: gradio hands the event one dict of
    values, keyed by component (its inputs are a set)."""
    form = SettingsForm(**{name: gr.Textbox(render=False) for name in FIELDS})
    chatbot, raw, region, key, group = (gr.State(render=False) for _ in range(5))
    event = reply_event(handlers, form, chatbot, raw, region, key, group)
    page = {**SETTINGS.as_dict(), **settings}
    values = {chatbot: history, raw: {}, region: "cn", key: "", group: "",
              **{form.by_name[name]: value for name, value in page.items()}}
    assert set(values) == event["inputs"]

    async def collect():
        return [update async for update in event["fn"](values, request())]
    return asyncio.run(collect())


M2_REPLY = [ReasoningDelta("\nplan\n"), TextDelta("Hello "), TextDelta("there"),
            Usage(10, 7, 3, 17), Finish("stop", "<think>\nplan\n</think>\n\nHello there", Usage(10, 7, 3, 17))]


def test_a_reply_streams_then_settles_with_thinking_answer_and_usage():
    service = FakeService(M2_REPLY)
    updates = run(ChatHandlers(service, interval=0.0), [user("hi")])
    final_history, raw = updates[-1]
    thought, answer, note = final_history[1:]
    assert thought["metadata"]["title"] == "💭 Thinking" and thought["metadata"]["status"] == "done"
    assert thought["content"] == "\nplan\n"
    assert answer == {"role": "assistant", "content": "Hello there"}
    assert is_note(note["content"]) and "prompt 10 · completion 7 tokens (reasoning 3)" in note["content"]
    assert raw == {"Hello there": "<think>\nplan\n</think>\n\nHello there"}
    # While streaming, the raw replies are not touched.
    assert all(update[1] == gr.skip() for update in updates[:-1])
    request_sent = service.requests[0]
    assert request_sent.system == "Be brief." and request_sent.model == M2


def test_the_next_request_gets_the_raw_turn_and_nothing_display_only():
    service = FakeService(M2_REPLY, [TextDelta("ok"), Finish("stop", "ok", None)])
    handlers = ChatHandlers(service, interval=0.0)
    history, raw = run(handlers, [user("hi")])[-1]
    run(handlers, to_blocks(history) + [user("and now?")], raw)
    sent = [(m.role, m.content) for m in service.requests[1].messages]
    assert sent == [("user", "hi"), ("assistant", "<think>\nplan\n</think>\n\nHello there"),
                    ("user", "and now?")]


def test_raw_replies_no_longer_on_screen_are_forgotten():
    service = FakeService(M2_REPLY, [TextDelta("ok"), Finish("stop", "ok", None)])
    handlers = ChatHandlers(service, interval=0.0)
    history, raw = run(handlers, [user("hi")])[-1]
    retried = TurnHandlers(handlers.runs).retry(to_blocks(history), request())
    _, raw = run(handlers, retried, raw)[-1]
    assert raw == {"ok": "ok"}


def test_a_backend_error_after_a_partial_reply_keeps_both_and_the_chat_goes_on():
    service = FakeService([TextDelta("The answer is"),
                               error_for_code(1008, "insufficient balance", trace_id="tr-9")],
                              [TextDelta("fine"), Finish("stop", "fine", None)])
    handlers = ChatHandlers(service, interval=0.0)
    history, raw = run(handlers, [user("question")], req=request("zh-CN"))[-1]
    answer, note = history[1:]
    assert answer["content"] == "The answer is"
    assert "账户余额不足" in note["content"] and "MiniMax 1008, Trace-Id tr-9" in note["content"]
    history, _ = run(handlers, to_blocks(history) + [user("again")], raw)[-1]
    assert history[-2]["content"] == "fine"
    assert [m.content for m in service.requests[1].messages] == ["question", "The answer is", "again"]


def test_a_failure_only_the_host_can_mend_says_so_unless_the_visitor_used_their_own_key():
    refused = error_for_code(1004, "authorized failed")
    handlers = ChatHandlers(FakeService([refused], [refused]), interval=0.0)
    host_note = run(handlers, [user("hi")], req=request("zh-CN"))[-1][0][-1]["content"]
    assert "API Key 无效" in host_note and "请告诉分享页面给你的人" in host_note

    async def own_key():
        own = Route.of("cn", "sk-visitor-own-key-123")
        return [u async for u in handlers.respond([user("hi")], {}, SETTINGS, own, request("zh-CN"))]
    own_note = asyncio.run(own_key())[-1][0][-1]["content"]
    assert "API Key 无效" in own_note and "分享页面" not in own_note  # their key: theirs to fix


def test_an_invalid_setting_is_explained_and_nothing_is_sent():
    service = FakeService()
    [(history, raw)] = run_page(ChatHandlers(service), [user("hi")], temperature=0)
    assert "temperature" in history[-1]["content"] and is_note(history[-1]["content"])
    assert raw == gr.skip() and service.requests == []


@pytest.mark.parametrize("model", ["M2\n2026-01-01 00:00:00,000 INFO x: reply session=forged",
                                   "M" * 100_000])
def test_a_model_name_that_is_not_a_name_is_explained_and_nothing_is_sent(model):
    service = FakeService()
    [(history, raw)] = run_page(ChatHandlers(service), [user("hi")], model=model)
    assert "a model name is 1 to 64 letters, digits and . _ - : /" in history[-1]["content"]
    assert raw == gr.skip() and service.requests == []


def test_a_lone_surrogate_is_shown_as_a_replacement_with_a_note_and_nothing_is_sent():
    service = FakeService()
    updates = run(ChatHandlers(service), to_blocks([user("bad \udc80 text")]))
    [(history, raw)] = updates
    assert history[0]["content"][0]["text"] == "bad \ufffd text"
    assert "Some characters in this chat were not valid text" in history[-1]["content"]
    assert raw == gr.skip() and service.requests == []
    json.dumps(history, ensure_ascii=False).encode("utf-8")  # it can be sent to the browser now


def test_a_typed_lone_surrogate_enters_the_chat_as_a_replacement():
    _, history, _, _ = TurnHandlers(Runs()).send("oops \ud83d", [], None, request())
    assert history == [{"role": "user", "content": "oops \ufffd"}]


def test_nothing_happens_without_a_new_user_message():
    service = FakeService()
    assert run(ChatHandlers(service), to_blocks([user("hi"), {"role": "assistant", "content": "yo"}])) == []


def test_stop_freezes_the_reply_as_shown_and_cancels_the_upstream():
    service = FakeService([TextDelta("Once upon a time"), WAIT_FOR_CANCEL])
    handlers = ChatHandlers(service, interval=0.0)

    async def scenario():
        updates = []
        agen = handlers.respond([user("story")], {}, SETTINGS, ROUTE, request())
        async for update in agen:
            updates.append(update)
            if len(updates) == 1:
                stopped = handlers.stop({}, request())
        return updates, stopped

    updates, stopped = asyncio.run(scenario())
    history, raw = stopped
    assert service.cancels[0].cancelled
    assert history[1]["content"] == "Once upon a time"
    assert "(stopped)" in history[2]["content"]
    assert raw == {"Once upon a time": "Once upon a time"}
    # The generator ended on its own too, with the same frozen text, last (after any update
    # still on its way, which would otherwise overwrite Stop's).
    assert len(updates) == 2 and updates[-1][0] == history


def test_stop_after_gradio_closed_the_reply_still_freezes_it_as_shown():
    service = FakeService([TextDelta("Once upon a time"), WAIT_FOR_CANCEL])
    handlers = ChatHandlers(service, interval=0.0)

    async def scenario():  # gradio cancels the stream before Stop's own handler runs
        agen = handlers.respond([user("story")], {}, SETTINGS, ROUTE, request())
        first = await agen.__anext__()
        await agen.aclose()
        return first

    first = asyncio.run(scenario())
    assert service.cancels[0].cancelled  # the upstream is closed with the handler
    history, raw = handlers.stop({}, request())
    assert history[:2] == first[0] and "(stopped)" in history[2]["content"]
    assert raw == {"Once upon a time": "Once upon a time"}


def test_new_chat_mid_reply_drops_it_for_good():
    service = FakeService([TextDelta("Once upon a time"), WAIT_FOR_CANCEL])
    handlers = ChatHandlers(service, interval=0.0)

    async def scenario():
        loop = asyncio.get_running_loop()
        updates, cleared = [], None
        async for update in handlers.respond([user("story")], {}, SETTINGS, ROUTE, request()):
            updates.append(update)
            if cleared is None:  # New chat runs in a worker thread, as gradio runs it
                cleared = loop.run_in_executor(None, handlers.new_chat, request())
        return updates, await cleared

    updates, (history, raw) = asyncio.run(scenario())
    assert service.cancels[0].cancelled and history == [] and raw == {}
    assert len(updates) == 1  # no last word that would bring the reply back
    assert not handlers.runs.busy("s1")


def test_until_the_first_words_the_chat_says_it_waits_and_then_how_it_retries():
    service = FakeService([0.7, Retrying(1, 3, 4.6, RateLimitError("busy", http_status=429)),
                               0.05, TextDelta("好的")])  # silent, then a retry, then words
    updates = run(ChatHandlers(service, interval=0.0), [user("hi")], req=request("zh-CN"))
    texts = [[m["content"] for m in history[1:]] for history, _ in updates]
    # After half a second of silence (coalesce's heartbeat), not at once: a quick first
    # token makes no flicker, and a crowd's first tokens don't wait behind these updates.
    assert texts[0] == ['<div class="mm-note mm-pending">⏳ 正在等待 MiniMax 回复…</div>']
    assert texts[1] == ['<div class="mm-note mm-pending">⏳ MiniMax 暂时没有响应（HTTP 429），'
                        '5 秒后自动重试（第 1/2 次）…</div>']
    assert texts[2] == ["好的"]  # the note goes with the first words
    assert not any("mm-pending" in t for t in texts[-1])


def test_stop_without_a_running_reply_changes_nothing():
    history, raw = ChatHandlers(FakeService()).stop({}, request())
    assert history == gr.skip() and raw == gr.skip()


def test_sending_while_a_reply_streams_is_refused_politely():
    service = FakeService([TextDelta("…"), WAIT_FOR_CANCEL])
    handlers = ChatHandlers(service, interval=0.0)

    async def scenario():
        agen = handlers.respond([user("one")], {}, SETTINGS, ROUTE, request())
        await agen.__anext__()
        with pytest.raises(gr.Error, match="still streaming"):
            TurnHandlers(handlers.runs).send("two", [user("one")], None, request())
        handlers.stop({}, request())
        await agen.aclose()

    asyncio.run(scenario())


def test_send_moves_the_message_into_the_chat_and_empties_the_box():
    # A plain value, not gr.update: Send/Stop are switched in the browser (ui/browser/static/busy.js)
    # so that a message rebuilds no component in the visitor's session.
    box, history, _, said = TurnHandlers(Runs()).send("hello", [], None, request())
    assert box == "" and history == [{"role": "user", "content": "hello"}]
    assert said == ""  # the line under the box says nothing
    # Nothing typed: the box and chat stay as they are, and the line under the box says so.
    box, history, kept, said = TurnHandlers(Runs()).send("   ", [], None, request())
    assert (box, history, kept) == (gr.skip(), gr.skip(), gr.skip())
    assert said == "Type a message or add an image first."


CHAT = to_blocks([user("q1"), {"role": "assistant", "content": "a1"}, user("q2"),
                  {"role": "assistant", "content": "thinking", "metadata": {"title": "💭"}},
                  {"role": "assistant", "content": "a2"}])


def test_retry_drops_the_last_answer_only():
    history = TurnHandlers(Runs()).retry(CHAT, request())
    assert [item["content"][0]["text"] for item in history] == ["q1", "a1", "q2"]


def test_undo_removes_the_last_turn_and_returns_its_message():
    history, box = TurnHandlers(Runs()).undo(CHAT, request())
    assert len(history) == 2 and box == "q2"


def test_edit_regenerates_from_the_edited_message():
    edit = SimpleNamespace(index=0, value="q1, reworded")
    history = TurnHandlers(Runs()).edit(CHAT, edit, request())
    assert history == [{"role": "user", "content": "q1, reworded"}]
    ignored = SimpleNamespace(index=1, value="an answer")
    assert TurnHandlers(Runs()).edit(CHAT, ignored, request()) == gr.skip()


def test_an_example_starts_the_chat():
    choice = SimpleNamespace(value={"text": "用三句话解释什么是大语言模型。"})
    history = TurnHandlers(Runs()).example(choice, request())
    assert history == [{"role": "user", "content": "用三句话解释什么是大语言模型。"}]


def test_pro_sends_the_names_and_v2_ignores_them():
    service = FakeService([Finish("stop", "", None)], [Finish("stop", "", None)])
    handlers = ChatHandlers(service, interval=0.0)
    run(handlers, [user("hi")], api=PRO, model="abab6.5s-chat", bot_name="小助手", user_name="小明")
    run(handlers, [user("hi")], bot_name="小助手", user_name="小明")
    assert (service.requests[0].bot_name, service.requests[0].user_name) == ("小助手", "小明")
    v2 = service.requests[1]
    assert v2.api == V2 and (v2.bot_name, v2.user_name) == ("MM智能助理", "用户")  # the defaults
    body = json.dumps(codec_v2.encode(v2, stream=True), ensure_ascii=False)
    assert "小助手" not in body and "小明" not in body

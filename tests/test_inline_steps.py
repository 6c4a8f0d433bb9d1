"""`ui.chat.inline`: a step with its conversions done in its own call gives the page exactly
what gradio's own conversions give, without a thread hop per value."""
from __future__ import annotations

import asyncio
import threading
from typing import Any

import gradio as gr
import pytest
from gradio.state_holder import SessionState

from ui.chat.inline import inline

HISTORY = [{"role": "user", "content": "你好 **there**"},
           {"role": "assistant", "content": "  a reply\n\n```py\nx = 1\n```",
            "metadata": {"title": "💭 thinking", "status": "done"}}]


def _demo(fn: Any, inputs: list, outputs: list) -> tuple[gr.Blocks, int, int]:
    """The same step wired twice: as gradio runs it, and inlined."""
    with gr.Blocks() as demo:
        for component in (*inputs, *outputs):
            if not component.is_rendered:
                component.render()
        button = gr.Button()
        plain = button.click(fn, inputs, outputs)
        inlined = button.click(**inline({"fn": fn, "inputs": inputs, "outputs": outputs}))
    return demo, plain["id"], inlined["id"]


def _run(demo: gr.Blocks, fn_id: int, payload: list) -> list:
    state = SessionState(demo)
    result = asyncio.run(demo.process_api(block_fn=demo.fns[fn_id], inputs=payload, state=state))
    return result["data"]


def _page_value(component: Any, value: Any) -> Any:
    """What the page sends for `value` shown in `component`."""
    converted = component.postprocess(value)
    return converted.model_dump() if hasattr(converted, "model_dump") else converted


def test_a_quick_step_sends_the_page_what_gradio_would():
    chat, box, note, choice = (gr.Chatbot(render=False), gr.MultimodalTextbox(render=False),
                               gr.Markdown(render=False), gr.Radio(["a", "b"], render=False))
    seen: list[Any] = []

    def step(history: list, typed: dict, picked: str) -> tuple:
        seen.append((history, typed, picked))
        return (history + [{"role": "user", "content": typed["text"]}], "",
                f"  said {picked}  ", gr.update(choices=["a", "b", "c"], value="c"))

    demo, plain, inlined = _demo(step, [chat, box, choice], [chat, box, note, choice])
    payload = [_page_value(chat, HISTORY), {"text": "新的 message", "files": []}, "b"]
    assert _run(demo, inlined, payload) == _run(demo, plain, payload)
    assert seen[0] == seen[1]  # the handler read the same values both ways
    assert seen[1][0][0]["content"] == [{"type": "text", "text": "你好 **there**"}]


def test_skips_and_state_pass_through():
    chat, kept = gr.Chatbot(render=False), gr.State()

    def step(history: list) -> tuple:
        return gr.skip(), {"raw": len(history)}

    demo, plain, inlined = _demo(step, [chat], [chat, kept])
    payload = [_page_value(chat, HISTORY)]
    assert _run(demo, inlined, payload) == _run(demo, plain, payload)


def test_a_streamed_reply_is_converted_update_by_update():
    chat = gr.Chatbot(render=False)

    async def reply(history: list) -> Any:
        for words in ("你", "你好", "你好！"):
            yield history + [{"role": "assistant", "content": words}]

    with gr.Blocks() as demo:
        chat.render()
        event = gr.Button().click(**inline({"fn": reply, "inputs": [chat], "outputs": [chat]}))
    state = SessionState(demo)
    block_fn = demo.fns[event["id"]]

    async def updates() -> list:
        sent, iterator = [], None
        for _ in range(5):  # three updates, then the end
            result = await demo.process_api(block_fn=block_fn, inputs=[_page_value(chat, HISTORY)],
                                            state=state, iterator=iterator)
            iterator = result.get("iterator")
            if not result.get("is_generating"):
                break
            sent.append(result["data"][0])
        return sent

    sent = asyncio.run(updates())
    assert [m[-1]["content"] for m in sent] == [[{"type": "text", "text": w}] for w in ("你", "你好", "你好！")]
    assert sent[0] == _page_value(chat, HISTORY + [{"role": "assistant", "content": "你"}])


def test_a_quick_step_runs_on_the_loop_not_in_a_worker_thread():
    chat = gr.Chatbot(render=False)
    threads: list[str] = []

    def step(history: list) -> list:
        threads.append(threading.current_thread().name)
        return history

    demo, plain, inlined = _demo(step, [chat], [chat])
    payload = [_page_value(chat, HISTORY)]
    _run(demo, plain, payload)
    _run(demo, inlined, payload)
    assert threads[0] != threading.current_thread().name  # gradio: a worker thread
    assert threads[1] == threading.current_thread().name  # inlined: where the loop runs


def test_a_step_that_waits_stays_in_a_worker_thread():
    chat = gr.Chatbot(render=False)
    threads: list[str] = []

    def step(history: list) -> list:
        threads.append(threading.current_thread().name)
        return history

    with gr.Blocks() as demo:
        chat.render()
        event = gr.Button().click(**inline({"fn": step, "inputs": [chat], "outputs": [chat]},
                                           waits=True))
    payload = [_page_value(chat, HISTORY)]
    assert _run(demo, event["id"], payload) == payload
    assert threads[0] != threading.current_thread().name


def test_a_plain_generator_is_refused():
    def stream(history: list) -> Any:
        yield history

    with pytest.raises(TypeError):
        inline({"fn": stream, "inputs": [], "outputs": []})


def test_a_step_gets_the_request_from_hints_worked_out_once(monkeypatch):
    """gradio finds where the request goes from the step's type hints on every call; they are
    resolved when the step is made (they were compiled from strings every call)."""
    chat = gr.Chatbot(render=False)
    got: list[Any] = []

    def step(history: list, request: gr.Request) -> list:
        got.append(request)
        return history

    with gr.Blocks() as demo:
        chat.render()
        event = gr.Button().click(**inline({"fn": step, "inputs": [chat], "outputs": [chat]}))
    fn = demo.fns[event["id"]].fn
    assert fn.__annotations__["request"] is gr.Request  # a class, not the string "gr.Request"

    compiled: list[str] = []
    real_compile = compile
    monkeypatch.setattr("builtins.compile", lambda *a, **k: compiled.append(a[0]) or
                        real_compile(*a, **k))
    state = SessionState(demo)
    request = gr.Request(username="someone")
    asyncio.run(demo.process_api(block_fn=demo.fns[event["id"]], inputs=[[]], state=state,
                                 request=request))
    assert got and got[0].username == "someone"
    assert compiled == []

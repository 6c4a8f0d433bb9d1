"""The phone screen with modelscope_studio 2.x (Ant Design X): antdx.Conversations in a
Layout.Sider that folds away below the `md` breakpoint, pro.Chatbot bubbles and
pro.MultimodalInput (a sender with attachments). Needs `bench/spike/requirements.txt`.
`python -m bench.spike.ms_app --port 7871`."""
from __future__ import annotations

import argparse

import gradio as gr
import modelscope_studio.components.antd as antd
import modelscope_studio.components.antdx as antdx
import modelscope_studio.components.base as ms
import modelscope_studio.components.pro as pro

from .replies import SAMPLE_CHATS, stream_reply

INPUT_ID = "spike-input"  # compare.py waits for the textarea inside it
# Below `md` the sider lies over the chat instead of squeezing it to a sliver.
CSS = """#spike-chat { flex: 1; min-height: 0; }
@media (max-width: 767px) { #spike-sider { position: absolute; z-index: 10; height: 100%; } }"""
# Gradio's page keeps its padding and footer around the layout, as for the gradio page.
LAYOUT_HEIGHT = "calc(100dvh - 64px)"
CHATS = [{"key": title, "label": title} for title in SAMPLE_CHATS]


def _bubbles(turns: list[tuple[str, str]]) -> list[dict]:
    return [{"role": role, "content": said} for role, said in turns]


def send(message: dict, turns: list[tuple[str, str]]):
    """Show the visitor's message (and images), then stream the reply under it."""
    text = (message.get("text") or "").strip()
    files = message.get("files") or []
    if not text and not files:
        yield gr.skip(), gr.skip(), turns
        return
    sent = [{"type": "file", "content": files}] if files else []
    shown = [*_bubbles(turns), {"role": "user", "content": [*sent, {"type": "text", "content": text}]}]
    answer = ""
    for answer in stream_reply(turns, text or "(image)"):
        reply = {"role": "assistant", "content": answer, "status": "pending"}
        yield gr.update(value=None, loading=True), [*shown, reply], turns
    done = {"role": "assistant", "content": answer, "status": "done"}
    yield gr.update(loading=False), [*shown, done], [*turns, ("user", text), ("assistant", answer)]


def pick(e: gr.EventData):
    """The chat the visitor chose in the list."""
    key = e._data["payload"][0]
    turns = SAMPLE_CHATS.get(key, [])
    return gr.update(active_key=key), _bubbles(turns), turns


def build() -> gr.Blocks:
    """The spike page."""
    with gr.Blocks(title="MiniMax Chat", fill_height=True) as demo:
        turns = gr.State([])
        with ms.Application(), antdx.XProvider(), ms.AutoLoading(), \
                antd.Layout(elem_style={"height": LAYOUT_HEIGHT}):
            # `theme_value="light"` does not reach antd in 2.1.2; additional_props does.
            with antd.Layout.Sider(breakpoint="md", collapsed_width=0, collapsible=True,
                                   additional_props={"theme": "light"}, width=260,
                                   elem_id="spike-sider",
                                   zero_width_trigger_style={"top": 4}):
                with antd.Button(value="New chat", block=True) as new_chat, ms.Slot("icon"):
                    antd.Icon("PlusOutlined")
                chats = antdx.Conversations(items=CHATS)
            with antd.Layout.Content(elem_style={"display": "flex", "flexDirection": "column",
                                                 "padding": 8, "minWidth": 0}):
                # Clear of the sider's trigger, which sits over the content's top left.
                antd.Typography.Title("MiniMax Chat", level=1,
                                      elem_style={"fontSize": 18, "margin": "4px 0 4px 48px"})
                chatbot = pro.Chatbot(elem_id="spike-chat", height="100%",
                                      welcome_config={"description": "Ask anything · 有问题尽管问"})
                box = pro.MultimodalInput(
                    elem_id=INPUT_ID, placeholder="Message · 输入消息",
                    upload_config={"accept": "image/*", "multiple": True, "max_count": 4,
                                   "upload_button_tooltip": "Attach images"})
        box.submit(send, [box, turns], [box, chatbot, turns])
        chats.active_change(pick, None, [chats, chatbot, turns])
        new_chat.click(lambda: (gr.update(active_key=None), [], []), None, [chats, chatbot, turns])
    return demo


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=7871)
    port = parser.parse_args().port
    build().queue(default_concurrency_limit=None).launch(
        server_name="127.0.0.1", server_port=port, ssr_mode=False, run_history=False, css=CSS,
        quiet=True)

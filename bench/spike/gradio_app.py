"""The phone screen with gradio's own parts: gr.Sidebar (conversations), gr.Chatbot and
gr.MultimodalTextbox (text and images). `python -m bench.spike.gradio_app --port 7870`."""
from __future__ import annotations

import argparse
from typing import Any

import gradio as gr

from .replies import SAMPLE_CHATS, stream_reply

INPUT_ID = "spike-input"  # compare.py waits for this box
CSS = "#spike-title h1 { font-size: 1.15rem; margin: 0; }"


def _bubbles(turns: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"role": role, "content": said} for role, said in turns]


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content or [] if isinstance(part, dict))


def send(message: dict, history: list[dict]):
    """Show the visitor's message (and images), then stream the reply under it."""
    text = (message or {}).get("text", "").strip()
    files = (message or {}).get("files") or []
    if not text and not files:
        yield gr.skip(), history
        return
    turns = [(m["role"], _text(m["content"])) for m in history]
    shown = [*history, *({"role": "user", "content": {"path": f}} for f in files)]
    shown.append({"role": "user", "content": text})
    for answer in stream_reply(turns, text or "(image)"):
        yield gr.MultimodalTextbox(value=None), [*shown, {"role": "assistant", "content": answer}]


def build() -> gr.Blocks:
    """The spike page."""
    with gr.Blocks(title="MiniMax Chat", fill_height=True) as demo:
        with gr.Sidebar(open=False, label="Conversations"):
            new_chat = gr.Button("New chat", size="sm")
            chosen = gr.Radio(list(SAMPLE_CHATS), label="Conversations", show_label=False)
        gr.HTML("<h1>MiniMax Chat</h1>", elem_id="spike-title")
        chatbot = gr.Chatbot(label="Chat", show_label=False, scale=1,
                             buttons=["copy"], placeholder="Ask anything · 有问题尽管问")
        box = gr.MultimodalTextbox(elem_id=INPUT_ID, show_label=False, label="Message",
                                   placeholder="Message · 输入消息", file_types=["image"],
                                   file_count="multiple", sources=["upload"])
        box.submit(send, [box, chatbot], [box, chatbot])
        new_chat.click(lambda: ([], None), None, [chatbot, chosen])
        chosen.input(lambda title: _bubbles(SAMPLE_CHATS.get(title, [])), chosen, chatbot)
    return demo


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=7870)
    port = parser.parse_args().port
    build().queue(default_concurrency_limit=None).launch(
        server_name="127.0.0.1", server_port=port, ssr_mode=False, run_history=False, css=CSS,
        quiet=True)

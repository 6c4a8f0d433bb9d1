"""The baseline: what a user would otherwise run, the seed's `requests` loop in a stock
`gr.ChatInterface` (one yield per upstream chunk, gradio's defaults).

Kept deliberately as people write it, so the comparison is honest: no coalescing, no
concurrency setting, `iter_lines()` framing. `python bench/baseline_app.py` serves it on
GRADIO_SERVER_NAME / GRADIO_SERVER_PORT and posts to MINIMAX_BASE_URL.
"""
import json
import os

import gradio as gr
import requests

API_KEY = os.environ.get("MINIMAX_API_KEY", "")
BASE_URL = os.environ.get("MINIMAX_BASE_URL", "https://api.minimaxi.com")
MODEL = os.environ.get("MINIMAX_MODEL", "MiniMax-Text-01")


def _text(content):
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if isinstance(part, dict))


def chat(message, history):
    messages = [{"role": turn["role"], "content": _text(turn["content"])} for turn in history]
    messages.append({"role": "user", "content": message})
    response = requests.post(
        f"{BASE_URL}/v1/text/chatcompletion_v2",
        headers={"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"},
        json={"model": MODEL, "messages": messages, "stream": True, "max_tokens": 2048},
        stream=True,
    )
    partial = ""
    for line in response.iter_lines():
        if not line.startswith(b"data: "):
            continue
        chunk = json.loads(line[6:])
        delta = chunk["choices"][0].get("delta")
        if delta:  # the last event repeats the whole reply under "message"
            partial += delta.get("content", "")
            yield partial


demo = gr.ChatInterface(chat, title="MiniMax Chat (baseline)")

if __name__ == "__main__":
    demo.launch()

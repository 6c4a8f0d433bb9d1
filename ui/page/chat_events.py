"""How the chat's events chain: each way to start a reply, Stop, New chat and Clear, and
where the browser's saves of the chat hook in. `app.py` lays out the page and calls
`wire_chat` once the chat, the conversation panel and the settings exist."""
from __future__ import annotations

from typing import Any

import gradio as gr

from ..browser.scripts import BUSY, COPY_FROM, IDLE, SENT, if_last_message_has
from ..chat.handlers import ChatHandlers
from ..chat.history import REFUSAL_MARK
from ..chat.inline import inline
from ..chat.turns import TurnHandlers
from ..conversations.panel import Saves

# Replies are I/O-bound: gradio's default of one at a time per event would make every visitor
# wait for the previous one. The reply itself starts at once, without a gradio limit: past
# the process's capacity it waits in our line (ui/chat/line.py), where its visitor sees their
# place, which gradio's queue shows only as a bare "queue: 3/5" in the chat's corner.
CHAT_CONCURRENCY = None


def wire_chat(chat: ChatHandlers, chatbot: gr.Chatbot, states: tuple[gr.State, gr.State],
              box: tuple[gr.MultimodalTextbox, gr.Markdown], send: gr.Button, stop: gr.Button,
              new_chat: gr.Button, reply: dict[str, Any], saves: Saves) -> None:
    """Each way to start a reply (Enter, Send, Retry, Edit, an example) prepares the history
    at once, then runs the one streaming handler; Stop, New chat and Clear cancel them all.
    Send and Stop are switched in the browser (`BUSY`/`IDLE`, ui/browser/static/busy.js), so a
    message costs the server no component rebuilds. `reply`: the streaming handler and its
    inputs (`reply_event`). `saves` store the chat in the browser once a message is sent,
    after its reply, Stop and Undo. `box`: the message box and the line under it saying why
    a message was not sent (it stays in the box)."""
    quick: dict[str, Any] = {"queue": False, "api_visibility": "private"}
    raw_replies, attached = states  # raw replies, and the session's images (attachments.py)
    chat_input, input_note = box
    turns = TurnHandlers(chat.runs, chat.guard, lambda: chat.line)
    stream: dict[str, Any] = {
        **inline({**reply, "outputs": [chatbot, raw_replies]}), "concurrency_id": "chat",
        "concurrency_limit": CHAT_CONCURRENCY, "show_progress": "minimal",
    }
    starting: dict[str, Any] = {"js": BUSY, **quick}
    taking_back = inline({"fn": turns.take_back, "inputs": [chatbot, chat_input],
                          "outputs": [chatbot, chat_input, input_note]})
    sending = inline({"fn": turns.send, "inputs": [chat_input, chatbot, attached],
                      "outputs": [chat_input, chatbot, attached, input_note]})
    starts = [
        chat_input.submit(**sending, **starting),
        send.click(**sending, **starting),
        chatbot.retry(**inline({"fn": turns.retry, "inputs": chatbot, "outputs": chatbot}), **starting),
        chatbot.edit(**inline({"fn": turns.edit, "inputs": chatbot, "outputs": chatbot}), **starting),
        chatbot.example_select(**inline({"fn": turns.example, "inputs": None, "outputs": chatbot}),
                               **starting),
    ]
    streams = []
    for index, start in enumerate(starts):
        # One public name, for automation and the gradio_client tests; the rest are private.
        # Its inputs are a set, so its parameters come in the order the components were made:
        # the chat, api, region, model, system, temperature, top_p, max tokens, bot name, user
        # name, thinking, the visitor's key and GroupId (raw replies and images are server
        # state, not parameters).
        visibility = {"api_name": "respond", "api_visibility": "undocumented"} if index == 0 \
            else {"api_visibility": "private"}
        if index < 2:  # from the box: on only if Send took the message (`SENT`)
            start = start.success(None, input_note, None, js=SENT, **quick)
        saves.wire_send(start)  # the message is kept even if the page goes mid-reply
        streams.append(start.success(**stream, **visibility))
        streams[-1].then(None, js=IDLE, **quick)
        ended = streams[-1]
        if index < 2:  # sent from the box: a message `respond` refused goes back there
            refused = ended.success(None, chatbot, None, js=if_last_message_has(REFUSAL_MARK),
                                    **quick)
            refused.success(**taking_back, **quick).success(**saves.after_reply)
            ended = ended.success(None, chatbot, None,
                                  js=if_last_message_has(REFUSAL_MARK, has=False), **quick)
        ended.success(**saves.after_reply)
    chatbot.undo(**inline({"fn": turns.undo, "inputs": chatbot, "outputs": [chatbot, chat_input]}),
                 **quick).then(**saves.after_change)
    stop.click(**inline({"fn": chat.stop, "inputs": raw_replies, "outputs": [chatbot, raw_replies]}),
               cancels=streams, js=IDLE, **quick).then(**saves.after_change)
    for clear in (new_chat.click, chatbot.clear):
        clear(**inline({"fn": chat.new_chat, "inputs": None, "outputs": [chatbot, raw_replies]},
                       waits=True), cancels=streams, js=IDLE, **quick)
    # The chat's copy buttons copy from the chat as it is at the click (static/copy.js): the
    # page clicks this button, unseen, and a step run in the page alone hands it the chat.
    copy_source = gr.Button("", elem_id="mm-copy-source", elem_classes=["mm-unseen"])
    copy_source.click(None, chatbot, None, js=COPY_FROM, **quick)

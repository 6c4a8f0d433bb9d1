"""The conversation sidebar: the list, New / Rename / Delete, export and import, and its events."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from ..browser.scripts import AFTER_FIRST_WORDS, DOWNLOAD, confirm_delete, usable_while_chosen
from ..chat.form import SettingsForm
from ..chat.inline import inline
from ..protect.limits import TITLE_CHARS
from ..text.strings import EN, ZH, text, tr
from .files import FileHandlers
from .handlers import LEFT, ConversationHandlers
from .search import SearchBox
from .store import browser_store

QUICK: dict[str, Any] = {"queue": False, "api_visibility": "private"}
# Events that may refuse with gr.Error go through the queue: only there is its message shown.
CHECKED: dict[str, Any] = {"api_visibility": "private", "show_progress": "hidden"}
ASK_DELETE = confirm_delete(text("confirm_delete", ZH), text("confirm_delete", EN))
# Rename and Delete (and the title box) act on the open chat: usable only while one is.
OPEN_CHAT_ONLY = usable_while_chosen(("#rename", "#delete-chat", "#rename-box textarea",
                                      "#rename-box input"))


@dataclass(frozen=True)
class Saves:
    """Event arguments that store the chat in the browser: after a change (Stop, Undo), a
    moment after a message is sent, and after its reply, in the conversation it was sent in."""

    after_change: dict[str, Any]
    on_send: dict[str, Any]
    after_reply: dict[str, Any]
    sent_in: gr.Textbox

    def wire_send(self, start: Any) -> None:
        """After `start` (a message sent): forget the last reply's conversation at once, and
        a moment later, once the reply's first words are out (so a crowd's first tokens don't
        queue behind these saves), store the chat as it is then."""
        start.success(None, None, self.sent_in, js="() => ''", queue=False)
        start.success(None, js=AFTER_FIRST_WORDS, queue=False).success(**self.on_send)


class ConversationPanel:
    """Builds the sidebar in the current Blocks context; `wire` connects it to the chat."""

    def __init__(self, handlers: ConversationHandlers, files: FileHandlers) -> None:
        self.handlers, self.files = handlers, files
        self.store = browser_store()
        gr.Markdown(f"## {tr('conversations')}")
        self.search = SearchBox()
        self.notice = gr.Markdown(tr("stored_locally"), elem_id="stored-locally",
                                  elem_classes=["mm-note"])
        self.list = gr.Radio([], elem_id="conversations", label=tr("conversations"),
                             show_label=False, container=False)
        # Rename and Delete act on the open chat: disabled while none is (`OPEN_CHAT_ONLY`).
        with gr.Row():
            self.rename_box = gr.Textbox(elem_id="rename-box", label=tr("rename_box"),
                                         show_label=False, max_length=TITLE_CHARS.default,
                                         placeholder=tr("rename_box"), container=False, scale=3,
                                         interactive=False)
            self.rename = gr.Button(tr("rename"), elem_id="rename", size="sm", scale=1, min_width=60,
                                    interactive=False)
        self.delete = gr.Button(tr("delete"), elem_id="delete-chat", size="sm", variant="stop",
                                interactive=False)
        self.confirmed = gr.Checkbox(False, visible=False, elem_id="delete-confirmed")
        # Which conversation the streaming reply belongs to: "" until the save after sending
        # names it, LEFT once New chat has left it (see `Saves`). Kept in the page.
        self.sent_in = gr.Textbox("", visible=False, elem_id="sent-in")
        # Export is one click: the file is saved at once, named after the chat.
        with gr.Row(elem_id="export-import"):
            self.export_md = gr.Button(tr("export_md"), elem_id="export-md", size="sm", min_width=60)
            self.export_json = gr.Button(tr("export_json"), elem_id="export-json", size="sm",
                                         min_width=60)
            self.import_json = gr.UploadButton(tr("import_json"), elem_id="import-json", size="sm",
                                               file_types=[".json"], file_count="single",
                                               type="filepath", min_width=60)
        with gr.Accordion(tr("export_options"), open=False, elem_id="export-options-panel"):
            self.options = gr.CheckboxGroup(
                [(tr("export_thinking"), "thinking"), (tr("export_usage"), "usage")],
                value=["thinking"], elem_id="export-options", label=tr("export_options"),
                show_label=False)
        # An export's file name and text, for the browser to save (`DOWNLOAD`).
        self.export_name = gr.Textbox("", visible=False, elem_id="export-name")
        self.export_body = gr.Textbox("", visible=False, elem_id="export-body")

    def wire(self, chatbot: gr.Chatbot, raw_replies: gr.State, form: SettingsForm,
             new_chat: gr.Button, demo: gr.Blocks) -> Saves:
        """Connect the events; returns the event arguments that store the chat (`Saves`).
        `form`: the settings panel, restored with a conversation and kept with it."""
        h, f, store = self.handlers, self.files, self.store
        on_screen = (store, chatbot, raw_replies)
        opened = [store, self.list, chatbot, raw_replies, *form.components]
        demo.load(h.restore, store, opened, **QUICK)
        self.search.wire(store, demo)
        # New chat and the chatbot's clear icon keep the chat on screen in the list (read as
        # it was when clicked) and open an empty conversation.
        for trigger in (new_chat.click, chatbot.clear):
            trigger(**form.event(h.new, *on_screen), outputs=[store, self.list], **QUICK)
        self.list.input(**form.event(h.switch, store, self.list, chatbot, raw_replies),
                        outputs=opened, **CHECKED)
        for trigger in (self.rename.click, self.rename_box.submit):
            trigger(h.rename, [store, self.rename_box], [store, self.list, self.rename_box], **CHECKED)
        self.delete.click(h.delete, [store, self.confirmed], opened, js=ASK_DELETE, **CHECKED)
        self.list.change(None, self.list, None, js=OPEN_CHAT_ONLY, queue=False)
        exported = [self.export_name, self.export_body]
        self.export_md.click(**form.event(f.export_markdown, *on_screen, self.options),
                             outputs=exported, **QUICK).success(None, exported, None, js=DOWNLOAD)
        self.export_json.click(**form.event(f.export_json, *on_screen), outputs=exported,
                               **QUICK).success(None, exported, None, js=DOWNLOAD)
        self.import_json.upload(**form.event(f.import_file, self.import_json, *on_screen),
                                outputs=opened, **CHECKED)
        # New chat, while a reply streams, leaves its conversation: no save of that reply
        # may land in the one New chat opens (a step in the page marks it at once).
        for trigger in (new_chat.click, chatbot.clear):
            trigger(None, None, self.sent_in, js=f"() => '{LEFT}'", queue=False)
        sent = (store, self.sent_in, chatbot, raw_replies)
        return Saves(
            after_change={**inline({**form.event(h.save, *on_screen), "outputs": [store, self.list]}),
                          **QUICK},
            on_send={**inline({**form.event(h.save_sent, *sent),
                               "outputs": [store, self.list, self.sent_in]}), **QUICK},
            after_reply={**inline({**form.event(h.save_reply, *sent), "outputs": [store, self.list]}),
                         **QUICK},
            sent_in=self.sent_in)


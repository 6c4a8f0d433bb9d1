"""Share by link on the page: "🔗 Share" in the chats panel (`controls`), the read-only view
of a shared chat above the visitor's own (`view`), and their events (`wire`)."""
from __future__ import annotations

from typing import Any

import gradio as gr

from ..browser.share_scripts import ENTER_VIEW, LEAVE_VIEW, READ_FRAGMENT, SHOW_LINK
from ..chat.form import SettingsForm
from ..text.strings import tr
from .share import ShareHandlers

QUICK: dict[str, Any] = {"queue": False, "api_visibility": "private"}
# Steps that may refuse with gr.Error go through the queue: only there is its message shown.
CHECKED: dict[str, Any] = {"api_visibility": "private", "show_progress": "hidden"}


class SharePanel:
    """Build `controls()` in the chats panel and `view()` in the chat column, then `wire`."""

    def __init__(self, handlers: ShareHandlers) -> None:
        self.handlers = handlers

    def controls(self) -> None:
        """Share, its thinking option, the note on the last link and the link itself."""
        with gr.Group(elem_id="share-group"):
            self.share = gr.Button(tr("share"), elem_id="share", size="sm")
            self.thinking = gr.Checkbox(False, elem_id="share-thinking",
                                        label=tr("share_thinking"), info=tr("share_thinking_info"))
        self.note = gr.Markdown("", elem_id="share-note", elem_classes=["mm-note"])
        self.link = gr.Textbox("", elem_id="share-link", label=tr("share_link"),
                               info=tr("share_link_info"), lines=2, max_lines=4,
                               buttons=["copy"], visible=False)
        # The link's text after `#share=`, as the handler made it (for the page to build the link).
        self.made = gr.Textbox("", visible=False, elem_id="share-made")

    def view(self, latex_delimiters: list[dict[str, str | bool]]) -> None:
        """The read-only view: shown by the page (static/share.css) once a link was checked."""
        with gr.Column(elem_id="shared-view"):
            gr.Markdown(tr("shared_banner"), elem_id="shared-banner")
            self.chat = gr.Chatbot(elem_id="shared-chat", label=tr("shared_chat"),
                                   latex_delimiters=latex_delimiters, buttons=[],
                                   feedback_options=None, allow_tags=False)
            with gr.Row(elem_id="shared-actions"):
                self.keep = gr.Button(tr("shared_continue"), elem_id="shared-continue",
                                      variant="primary", size="sm")
                self.close = gr.Button(tr("shared_close"), elem_id="shared-close", size="sm")
        # The link's text, read from the address bar once and kept in the page only.
        self.received = gr.Textbox("", visible=False, elem_id="shared-link")

    def wire(self, store: Any, chat_list: Any, chatbot: gr.Chatbot, raw_replies: gr.State,
             form: SettingsForm, demo: gr.Blocks) -> None:
        """Connect the events. `store`, `chat_list`: the visitor's chats and their list;
        `form`: the settings, kept with the chat on screen and set from a kept shared chat."""
        h = self.handlers
        on_screen = (store, chatbot, raw_replies)
        self.share.click(**form.event(h.make, *on_screen, self.thinking),
                         outputs=[self.made, self.note, self.link], **QUICK) \
            .success(None, self.made, self.link, js=SHOW_LINK, **QUICK)
        demo.load(None, None, self.received, js=READ_FRAGMENT, **QUICK) \
            .success(h.open, self.received, self.chat, **CHECKED) \
            .success(None, js=ENTER_VIEW, **QUICK)
        opened = [store, chat_list, chatbot, raw_replies, *form.components]
        self.keep.click(**form.event(h.keep, self.received, *on_screen), outputs=opened,
                        **CHECKED).success(None, None, self.received, js=LEAVE_VIEW, **QUICK)
        self.close.click(None, None, self.received, js=LEAVE_VIEW, **QUICK)

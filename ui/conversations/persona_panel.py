"""Where the personas are on the page: a fold at the top of the conversations panel (the list,
Start, the picked one's fields, export and import), and "Save as persona" under the system
prompt in the settings panel (`save_form`, built there by the settings panel)."""
from __future__ import annotations

from typing import Any

import gradio as gr

from ..browser.personas import SHOW_CHAT, confirm_persona_delete
from ..browser.scripts import DOWNLOAD
from ..chat.form import SettingsForm
from ..protect.limits import SYSTEM_CHARS
from ..text.strings import EN, ZH, text, tr
from .persona_handlers import PersonaHandlers
from .persona_store import browser_personas
from .personas import DESCRIPTION_CHARS, NAME_CHARS

QUICK: dict[str, Any] = {"queue": False, "api_visibility": "private"}
# Events that may say something (gr.Warning, gr.Info) go through the queue: only there is it shown.
CHECKED: dict[str, Any] = {"api_visibility": "private", "show_progress": "hidden"}
ASK_DELETE = confirm_persona_delete(text("confirm_persona_delete", ZH),
                                    text("confirm_persona_delete", EN))


class PersonaSection:
    """Builds the personas' fold in the current Blocks context (the conversations panel);
    `save_form` builds "Save as persona" where it is called; `wire` connects both."""

    def __init__(self, handlers: PersonaHandlers) -> None:
        self.handlers = handlers
        self.store = browser_personas()
        self.chosen = gr.State(None)  # the picked persona, held on the server
        with gr.Accordion(tr("personas"), open=False, elem_id="personas-panel"):
            gr.Markdown(tr("personas_intro"), elem_classes=["mm-note"])
            self.list = gr.Radio([], elem_id="personas", label=tr("personas_list"),
                                 show_label=False, container=False)
            self.start = gr.Button(tr("persona_start"), elem_id="persona-start", size="sm",
                                   variant="primary", interactive=False)
            with gr.Accordion(tr("persona_details"), open=False, elem_id="persona-details"):
                self.name = gr.Textbox(elem_id="persona-name", label=tr("persona_name"),
                                       info=tr("persona_name_info"), max_length=NAME_CHARS,
                                       interactive=False)
                self.description = gr.Textbox(
                    elem_id="persona-description", label=tr("persona_description"),
                    info=tr("persona_description_info"), max_length=DESCRIPTION_CHARS,
                    interactive=False)
                self.system = gr.Textbox(elem_id="persona-system", label=tr("persona_system"),
                                         info=tr("persona_system_info"), lines=3, max_lines=8,
                                         max_length=SYSTEM_CHARS.default, interactive=False)
                gr.Markdown(tr("persona_built_in_note"), elem_classes=["mm-note"])
                with gr.Row():
                    self.save = gr.Button(tr("persona_save"), elem_id="persona-save", size="sm",
                                          min_width=60, interactive=False)
                    self.delete = gr.Button(tr("persona_delete"), elem_id="persona-delete",
                                            size="sm", variant="stop", min_width=60,
                                            interactive=False)
                self.confirmed = gr.Checkbox(False, visible=False, elem_id="persona-delete-confirmed")
            with gr.Row(elem_id="persona-files"):
                self.export = gr.Button(tr("persona_export"), elem_id="persona-export", size="sm",
                                        min_width=60)
                self.import_file = gr.UploadButton(tr("persona_import"), elem_id="persona-import",
                                                   size="sm", file_types=[".json"],
                                                   file_count="single", type="filepath",
                                                   min_width=60)
            # An export's file name and text, for the browser to save (`DOWNLOAD`).
            self.export_name = gr.Textbox("", visible=False, elem_id="persona-export-name")
            self.export_body = gr.Textbox("", visible=False, elem_id="persona-export-body")

    def save_form(self) -> None:
        """"Save as persona": a fold with a name, a description and its button (built in the
        settings panel, right under the system prompt)."""
        with gr.Accordion(tr("persona_save_as"), open=False, elem_id="persona-save-as-panel"):
            gr.Markdown(tr("persona_save_as_note"), elem_classes=["mm-note"])
            self.new_name = gr.Textbox(elem_id="persona-new-name", label=tr("persona_new_name"),
                                       info=tr("persona_new_name_info"), max_length=NAME_CHARS)
            self.new_description = gr.Textbox(
                elem_id="persona-new-description", label=tr("persona_new_description"),
                info=tr("persona_new_description_info"), max_length=DESCRIPTION_CHARS)
            self.save_as = gr.Button(tr("persona_save_as_button"), elem_id="persona-save-as",
                                     size="sm")

    def wire(self, chats: Any, chatbot: gr.Chatbot, raw_replies: gr.State, form: SettingsForm,
             demo: gr.Blocks) -> None:
        """Connect the events. `chats`: the conversations panel (its store and list), which a
        chat started from a persona joins; `form`: the settings panel, which it fills."""
        h = self.handlers
        listing = [self.store, self.list]
        shown = [self.name, self.description, self.system, self.save, self.delete, self.start,
                 self.chosen]
        demo.load(h.restore, self.store, listing, **QUICK)
        self.list.input(h.choose, [self.store, self.list], shown, **QUICK)
        opened = [chats.store, chats.list, chatbot, raw_replies, *form.components]
        self.start.click(**form.event(h.start, chats.store, chatbot, raw_replies, self.chosen),
                         outputs=opened, **CHECKED).success(None, js=SHOW_CHAT, queue=False)
        self.save_as.click(**form.event(h.save_as, self.store, self.new_name, self.new_description),
                           outputs=[*listing, self.new_name, self.new_description, *shown],
                           **CHECKED)
        self.save.click(h.edit, [self.store, self.chosen, self.name, self.description, self.system],
                        [*listing, *shown], **CHECKED)
        self.delete.click(h.delete, [self.store, self.chosen, self.confirmed], [*listing, *shown],
                          js=ASK_DELETE, **CHECKED)
        exported = [self.export_name, self.export_body]
        self.export.click(h.export, self.store, exported, **CHECKED).success(
            None, exported, None, js=DOWNLOAD)
        self.import_file.upload(h.import_file, [self.import_file, self.store], [*listing, *shown],
                                **CHECKED)

"""The search box at the top of the conversation panel, and its events. The search itself
runs in the page (ui/browser/static/search.js) over the store the page already holds: a
keystroke costs no request, and a save carries nothing more (docs/features.md, "Search")."""
from __future__ import annotations

from typing import Any

import gradio as gr

from ..browser.scripts import SEARCH_STORE, search_words
from ..text.search_words import SCRIPT_KEYS
from ..text.strings import EN, ZH, text, tr

QUICK: dict[str, Any] = {"queue": False, "api_visibility": "private"}
MAX_QUERY_CHARS = 200


class SearchBox:
    """The box and the place its hits are shown, built in the current Blocks context."""

    def __init__(self) -> None:
        self.box = gr.Textbox(elem_id="chat-search", label=tr("search"), info=tr("search_info"),
                              placeholder=tr("search_placeholder"), max_length=MAX_QUERY_CHARS,
                              lines=1, max_lines=1)
        # Filled by the page script; while the box holds words it stands in for the list.
        self.results = gr.HTML("", elem_id="chat-search-results", padding=False)

    def wire(self, store: gr.BrowserState, demo: gr.Blocks) -> None:
        """Hand the page its words and the store on load, and the store again when it changes
        (a save, a rename): the page searches it as the visitor types."""
        words = {lang: {key: text(message, lang) for key, message in SCRIPT_KEYS.items()}
                 for lang in (ZH, EN)}
        demo.load(None, store, None, js=search_words(words), **QUICK)
        store.change(None, store, None, js=SEARCH_STORE, **QUICK)

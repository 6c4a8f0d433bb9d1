"""The Gradio side of the app: adapts the backend's event stream to the chat widget.

Packages, bottom to top; each may import only the ones listed after it (and the backend,
`minimax_backend`, which imports none of them). `tests/test_layers.py` holds them to it.

- `text`          what a visitor reads: every bilingual text, Markdown shown inert
- `browser`       code that runs in the visitor's browser: page scripts, event snippets
- `protect`       per-visitor limits, spending, redacted logs        → text
- `chat`          one reply: history in, backend events out to the widget → protect, text
- `conversations` chats kept in the browser, export and import      → chat, browser, protect, text
- `panels`        the settings panel and the own-key panel          → browser, chat, protect, text
- `page`          the chat's events, tied to the other packages' parts → browser, chat,
                  conversations, panels, protect, text
- `server`        the HTTP edge (ASGI middleware): the only HTTP code under `ui/`

`app.py` builds the page from all of them; nothing here imports `app`.
"""

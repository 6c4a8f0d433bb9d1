"""The Gradio side of the app: adapts the backend's event stream to the chat widget.

Nothing here speaks HTTP or SSE; imports go one way, from `ui` to `minimax_backend`.
"""

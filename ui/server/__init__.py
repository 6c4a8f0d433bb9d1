"""The HTTP edge of the page: what gradio does not provide (security headers and who may frame
the page, a body cap, which address a request comes from, timeouts for idle and slow
connections). The only package under `ui` that may import an HTTP library (starlette, uvicorn).

Imports nothing else from `ui`; `app.py` installs it.
"""

"""The HTTP edge of the page: ASGI middleware that gradio does not provide (security headers,
a body cap). The only package under `ui` that may import an HTTP library (starlette).

Imports nothing else from `ui`; `app.py` installs it.
"""

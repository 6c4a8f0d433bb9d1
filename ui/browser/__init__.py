"""Code that runs in the visitor's browser: the page scripts in `static/` and the snippets an
event runs before its Python handler (`scripts.py`).

Imports nothing else from `ui`.
"""

"""What a visitor reads: the bilingual strings and how Markdown is shown inert.

Imports nothing else from `ui`.
"""

"""Code that runs in the visitor's browser, shipped with `launch(js=...)`."""
from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).with_name("static")


def page_js() -> str:
    """The page script: keeps Enter from sending while an input method composes."""
    return (STATIC / "ime.js").read_text(encoding="utf-8")

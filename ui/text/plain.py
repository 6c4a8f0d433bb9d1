"""A message's words without its Markdown, for places that show one line of plain text
(a conversation's title in the list): `**`, `|`, `#`, backticks and link targets dropped."""
from __future__ import annotations

from markdown_it import MarkdownIt

# gradio's chatbot renders GFM tables and strikethrough, so a title must read them the same way.
_MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_WORDS = {"text", "code_inline"}


def plain_text(markdown: str) -> str:
    """The visible words of `markdown` on one line; raw HTML tags are dropped, their text kept."""
    words: list[str] = []
    for token in _MARKDOWN.parse(markdown):
        if token.type == "inline":
            for child in token.children or []:
                if child.type in _WORDS or child.type == "image":
                    words.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    words.append(" ")
        elif token.type in ("code_block", "fence"):
            words.append(token.content)
        words.append(" ")
    return " ".join("".join(words).split())

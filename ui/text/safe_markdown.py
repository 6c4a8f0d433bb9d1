"""Chat text made inert for display: HTML shows as text, images wait for a click.

The Chatbot renders Markdown and lets sanitized HTML through, and a sanitizer keeps `<img>`,
`<video>` and `style="background:url(…)"`: a model reply (steered by a prompt injection) could
make the visitor's browser fetch a URL that carries the conversation. So before display, in
prose (not in fenced code blocks or code spans, whose text Markdown already shows literally):
- a `<` that opens a tag, comment or declaration becomes `&lt;`, so the markup shows as text;
- the `!` of an image becomes `&#33;`, so `![alt](url)` is a plain link the visitor must click.
`original()` undoes exactly this for turns sent back to MiniMax. The page's Content-Security-
Policy (ui/server/middleware.py) blocks remote images and media as a second line of defence.
"""
from __future__ import annotations

import re

# Fences per CommonMark: at most three spaces of indent, then ``` or ~~~ (3+); a fence that
# is never closed runs to the end. More indent would be an indented code block (or a list's
# content), where Markdown may still see HTML: treat it as prose, the safe side.
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.M)
# A tag start, escaped or not (so display() and original() split text the same way).
_TAG_START = re.compile(r"(?:<|&(?:amp;)*lt;)(?=[A-Za-z/!?]|&#33;\[)")
# What display() rewrites in prose, and back: `&` only where it would read as our escapes.
_UNSAFE = re.compile(r"<(?=[A-Za-z/!?])|!(?=\[)|&(?=lt;|#33;|amp;)")
_ESCAPES = {"<": "&lt;", "!": "&#33;", "&": "&amp;"}
_ESCAPED = re.compile(r"&lt;(?=[A-Za-z/!?]|&#33;\[)|&#33;(?=\[)|&amp;(?=lt;|#33;|amp;)")
_UNESCAPES = {v: k for k, v in _ESCAPES.items()}


def _fenced(text: str) -> list[tuple[bool, str]]:
    """(is_code, part) pieces: fenced blocks (fence lines included) and the rest."""
    parts: list[tuple[bool, str]] = []
    start = search = 0
    while True:
        opening = _FENCE.search(text, search)
        if opening is None:
            break
        fence = opening.group(1)
        line_end = text.find("\n", opening.end())
        info = text[opening.end():] if line_end == -1 else text[opening.end():line_end]
        if fence[0] == "`" and "`" in info:
            search = opening.end()  # ``` with a backtick in its info string is not a fence
            continue
        closing = re.compile(r"^ {0,3}" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}[ \t]*$",
                             re.M)
        end_match = closing.search(text, line_end + 1) if line_end != -1 else None
        end = len(text) if end_match is None else end_match.end()
        parts.append((False, text[start:opening.start()]))
        parts.append((True, text[opening.start():end]))
        start = search = end
    parts.append((False, text[start:]))
    return [p for p in parts if p[1]]


def _spans(prose: str) -> list[tuple[bool, str]]:
    """(is_code, part) pieces of prose: code spans are runs of n backticks closed by n."""
    parts: list[tuple[bool, str]] = []
    pos = start = 0
    while True:
        tick = prose.find("`", pos)
        if tick == -1:
            break
        run = len(prose[tick:]) - len(prose[tick:].lstrip("`"))
        closing = re.compile(r"(?<!`)" + "`" * run + r"(?!`)").search(prose, tick + run)
        if closing is None:
            pos = tick + run  # an unmatched run is literal text
            continue
        code = prose[tick:closing.end()]
        if _TAG_START.search(code) and closing.end() < len(prose) and ">" in prose[closing.end():]:
            # An HTML tag outranks a code span in Markdown: `<img src="`">` is a tag, so a
            # span holding a tag start is only trusted when no `>` follows it.
            pos = tick + run
            continue
        parts.append((False, prose[start:tick]))
        parts.append((True, code))
        pos = start = closing.end()
    parts.append((False, prose[start:]))
    return parts


def _in_prose(text: str, pattern: re.Pattern, table: dict[str, str]) -> str:
    """`text` with `pattern`'s matches replaced per `table`, outside code only. Escaping never
    adds or removes a backtick, fence or `>`, so both directions see the same code parts."""
    out = []
    for is_code, part in _fenced(text):
        if is_code:
            out.append(part)
            continue
        for code, span in _spans(part):
            out.append(span if code else pattern.sub(lambda m: table[m.group(0)], span))
    return "".join(out)


def display(text: str) -> str:
    """`text` as it is safe to show in the Chatbot."""
    if not _UNSAFE.search(text):
        return text
    return _in_prose(text, _UNSAFE, _ESCAPES)


def original(shown: str) -> str:
    """The text `display()` was given: its exact inverse."""
    if "&" not in shown:
        return shown
    return _in_prose(shown, _ESCAPED, _UNESCAPES)

"""The page's look: gradio's default theme with colours that reach WCAG AA contrast (4.5:1
for text) in light and dark, and the code-block palette, which gradio's theme has no setting
for. tests/test_theme.py measures both; tests/test_a11y_browser.py audits the page."""
from __future__ import annotations

import gradio as gr
from gradio.themes.utils import colors


def page_theme() -> gr.themes.Base:
    """gradio's default theme (orange on zinc), with its too-faint colours darkened."""
    return gr.themes.Default(primary_hue=colors.orange, neutral_hue=colors.zinc).set(
        # Send: white on orange-500 is 2.8:1 and on orange-600 (dark) 3.6:1; orange-700 is 5.2:1.
        button_primary_background_fill="*primary_700",
        button_primary_background_fill_dark="*primary_700",
        button_primary_background_fill_hover="*primary_800",
        button_primary_background_fill_hover_dark="*primary_800",
        # Stop and Delete: white on red-500 is 3.8:1; red-700 is 6.5:1.
        button_cancel_background_fill=colors.red.c700,
        button_cancel_background_fill_hover=colors.red.c800,
        # Help text, slider ends, the thinking duration, the footer: zinc-400 is 1.9:1 on white.
        body_text_color_subdued="*neutral_600",
        body_text_color_subdued_dark="*neutral_400",
        # Links: blue-500 is 3.7:1 on white (a visited link) and 4.0:1 on a dark block;
        # blue-600 is 5.2:1 on white, blue-400 5.9:1 on the dark block.
        link_text_color_visited="*secondary_600",
        link_text_color_dark="*secondary_400",
        link_text_color_visited_dark="*secondary_400",
        link_text_color_hover_dark="*secondary_300",
        # The code palette below is measured against these.
        code_background_fill="*neutral_100",
        code_background_fill_dark="*neutral_800",
    )


# Syntax colours (Prism's token classes, as gradio's Markdown marks code), light and dark:
# GitHub's Primer palettes, each at least 5.8:1 on the code background. Every token gradio's
# own stylesheet colours is in a group, so none keeps gradio's faint colour (2.4-3.8:1).
CODE_COLOURS: dict[str, tuple[str, str, str]] = {
    "comment": ("comment prolog doctype cdata", "#56606b", "#a1a9b3"),
    "punctuation": ("punctuation entity operator url", "#3f3f46", "#c9d1d9"),
    "constant": ("property boolean number constant symbol", "#0550ae", "#79c0ff"),
    "tag": ("tag deleted selector", "#116329", "#7ee787"),
    "string": ("string char attr-value inserted regex", "#0a3069", "#a5d6ff"),
    "keyword": ("keyword atrule important", "#b31d28", "#ff7b72"),
    "function": ("function class-name builtin attr-name", "#6f42c1", "#d2a8ff"),
    "variable": ("variable", "#953800", "#ffa657"),
}

# gradio dims every chat message to 80 % opacity, which takes any colour below its contrast
# (the usage note fell to 3.8:1); the theme's text colours are already the softer ones.
_UNDIMMED = ".message-wrap .prose.chatbot.md { opacity: 1; }"


def theme_css() -> str:
    """The CSS the theme cannot express: undimmed messages and the code palette. `:root`
    outranks gradio's own token rules, which share these selectors' other classes."""
    rules = [_UNDIMMED, ":root .gradio-container .md .token.namespace { opacity: 1; }"]
    for scope, pick in ((":root .gradio-container", 1), (":root .dark", 2)):
        for group in CODE_COLOURS.values():
            selectors = ", ".join(f"{scope} .md .token.{name}" for name in group[0].split())
            rules.append(f"{selectors} {{ color: {group[pick]}; }}")
    return "\n".join(rules)

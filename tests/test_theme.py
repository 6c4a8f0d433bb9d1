"""The theme's colours, measured by WCAG 2's contrast formula: every text colour on every
background it is drawn on reaches 4.5:1, in light and dark, and so does every code colour
(the browser audit, tests/test_a11y_browser.py, sees only the tokens of one sample)."""
from __future__ import annotations

import re
from pathlib import Path

import gradio
import pytest

from ui.browser.theme import CODE_COLOURS, page_theme, theme_css

AA = 4.5  # WCAG 2 AA, normal-size text
MODES = ("", "_dark")
NAMED = {"white": "#ffffff", "black": "#000000"}
# (text colour, the backgrounds it sits on), as the theme names them.
PAIRS = [
    ("button_primary_text_color", ["button_primary_background_fill",
                                   "button_primary_background_fill_hover"]),
    ("button_cancel_text_color", ["button_cancel_background_fill",
                                  "button_cancel_background_fill_hover"]),
    ("button_secondary_text_color", ["button_secondary_background_fill"]),
    ("body_text_color", ["background_fill_primary", "background_fill_secondary",
                         "block_background_fill", "code_background_fill", "color_accent_soft"]),
    ("body_text_color_subdued", ["background_fill_primary", "background_fill_secondary",
                                 "block_background_fill", "color_accent_soft"]),
    ("block_info_text_color", ["background_fill_primary", "block_background_fill"]),
    ("link_text_color", ["background_fill_primary", "block_background_fill"]),
    ("link_text_color_visited", ["background_fill_primary", "block_background_fill"]),
    ("link_text_color_hover", ["background_fill_primary", "block_background_fill"]),
    ("error_text_color", ["background_fill_primary", "block_background_fill"]),
]


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of `#rrggbb` (or `#rgb`, `white`, `black`)."""
    hex_digits = NAMED.get(colour, colour).lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(2 * digit for digit in hex_digits)
    assert re.fullmatch(r"[0-9a-fA-F]{6}", hex_digits), f"not a plain colour: {colour!r}"
    channels = [int(hex_digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_formula_matches_wcag_examples():
    assert contrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast("#ffffff", "#f97316") == pytest.approx(2.80, abs=0.01)  # gradio's Send
    assert contrast("#bbbbc2", "white") == pytest.approx(1.90, abs=0.01)  # gradio's help text


@pytest.mark.parametrize("mode", MODES, ids=["light", "dark"])
@pytest.mark.parametrize(("text", "backgrounds"), PAIRS, ids=[pair[0] for pair in PAIRS])
def test_theme_text_reaches_aa_on_its_backgrounds(text, backgrounds, mode):
    theme = page_theme()
    colour = theme._get_computed_value(text + mode)
    for background in backgrounds:
        fill = theme._get_computed_value(background + mode)
        assert contrast(colour, fill) >= AA, f"{text}{mode} {colour} on {background}{mode} {fill}"


@pytest.mark.parametrize("group", CODE_COLOURS)
def test_code_colours_reach_aa_on_the_code_background(group):
    theme = page_theme()
    _, light, dark = CODE_COLOURS[group]
    assert contrast(light, theme._get_computed_value("code_background_fill")) >= AA
    assert contrast(dark, theme._get_computed_value("code_background_fill_dark")) >= AA


def test_every_token_gradio_colours_gets_a_colour_of_ours_in_both_modes():
    assets = Path(gradio.__file__).parent / "templates" / "frontend" / "assets"
    sheets = list(assets.glob("markdown-code-*.css"))
    assert sheets, "gradio's Markdown stylesheet moved: find where it colours code tokens"
    theirs = set()
    for rule in re.findall(r"([^{}]*)\{([^{}]*)\}", sheets[0].read_text(encoding="utf-8")):
        if re.search(r"(^|;)\s*color:", rule[1]):
            theirs |= set(re.findall(r"\.token\.([\w-]+)", rule[0]))
    ours = {name for names, _, _ in CODE_COLOURS.values() for name in names.split()}
    assert theirs and theirs <= ours, sorted(theirs - ours)
    css = theme_css()
    for name in theirs:
        assert f":root .gradio-container .md .token.{name}" in css
        assert f":root .dark .md .token.{name}" in css

"""How numbers are written in the table and on the chart."""
from __future__ import annotations


def number(value, at_least: bool = False) -> str:
    """3 significant-ish digits, thousands separated; "—" for nothing; "≥ " for a lower bound."""
    if value is None:
        return "—"
    if isinstance(value, float):
        text = (f"{value:,.3f}" if abs(value) < 1 else f"{value:,.2f}" if abs(value) < 100
                else f"{value:,.0f}")
    else:
        text = f"{value:,}"
    return ("≥ " if at_least else "") + text

"""The two apps compared, and how a visitor drives each: same model, same replies."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .profiles import MAX_TOKENS, MODEL


def choose_model(page) -> None:
    """In this app's page: open the settings panel from the top bar and type the benchmark's
    model into the model box, as a visitor would."""
    if not page.locator("#settings-panel.open").count():
        page.click("#open-settings")
    page.wait_for_selector("#settings-panel.open .sidebar-content", state="visible")
    box = page.locator("#model input")
    box.click()
    box.fill(MODEL)
    box.press("Enter")
    page.wait_for_function(  # the model's defaults arrived
        "n => document.querySelector('#max-tokens input[type=number]')?.value === String(n)",
        arg=MAX_TOKENS)


@dataclass(frozen=True)
class Contender:
    key: str
    label: str
    script: str  # run as `python <script>` from the repository root
    input_selector: str  # the chat input, for the browser
    elem_id: str | None = None  # the chat input's elem_id, for the load client
    controls: dict[str, Any] = field(default_factory=dict)  # set by elem_id before sending
    browser_setup: Callable | None = None


APP = Contender("app", "This app", "app.py", "#chat-input textarea", "chat-input",
                {"model": MODEL, "max-tokens": MAX_TOKENS}, choose_model)
# The baseline reads its model from MINIMAX_MODEL (see processes.app_server).
BASELINE = Contender("baseline", "Stock ChatInterface", "bench/baseline_app.py", "textarea")
CONTENDERS = (APP, BASELINE)

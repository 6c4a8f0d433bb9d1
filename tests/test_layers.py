"""The layers stay separate: the backend knows nothing of gradio, the UI nothing of HTTP."""
from __future__ import annotations

import ast
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
HTTP_MODULES = {"requests", "urllib3", "httpx", "http", "sseclient", "aiohttp", "socket"}


def imported_modules(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_backend_never_imports_gradio():
    code = ("import sys, minimax_backend, minimax_backend.cli, minimax_backend.emulator;"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('gradio', 'gradio_client')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                          check=True)
    assert done.stdout.strip() == "[]"
    for path in (ROOT / "minimax_backend").rglob("*.py"):
        assert not imported_modules(path) & {"gradio", "gradio_client", "ui", "app"}, path


def test_ui_layer_has_no_http_code():
    files = [ROOT / "app.py", *(ROOT / "ui").rglob("*.py")]
    for path in files:
        assert not imported_modules(path) & HTTP_MODULES, f"{path} imports an HTTP library"

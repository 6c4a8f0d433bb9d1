"""The layers stay separate: the backend knows nothing of gradio, the UI nothing of HTTP."""
from __future__ import annotations

import ast
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
HTTP_MODULES = {"requests", "urllib3", "httpx", "http", "sseclient", "aiohttp", "socket",
                "starlette", "fastapi", "uvicorn"}
# Each package under ui/ and what it may import from ui/ (as ui/__init__.py and
# docs/architecture.md say): one direction, bottom to top.
UI_RULES = {
    "text": set(),
    "browser": set(),
    "server": set(),
    "protect": {"text"},
    "chat": {"protect", "text"},
    "conversations": {"chat", "browser", "protect", "text"},
    "panels": {"browser", "chat", "protect", "text"},
    "page": {"browser", "chat", "conversations", "panels", "protect", "text"},
}
HTTP_EDGE = "server"  # the one ui package that may speak HTTP


def imported_modules(path: pathlib.Path, depth: int = 1) -> set[str]:
    """The modules `path` imports, as their first `depth` dotted parts; relative imports are
    resolved against the file's own package."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = list(path.relative_to(ROOT).parent.parts)
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(".".join(alias.name.split(".")[:depth]) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = [*base, *(node.module.split(".") if node.module else [])]
            if node.module is None:  # `from . import x`: x is a module of that package
                names.update(".".join([*module, alias.name][:depth]) for alias in node.names)
            else:
                names.add(".".join(module[:depth]))
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
        if path.parent.name == HTTP_EDGE:
            continue
        assert not imported_modules(path) & HTTP_MODULES, f"{path} imports an HTTP library"


def test_every_ui_package_has_a_rule():
    packages = {path.parent.name for path in (ROOT / "ui").glob("*/__init__.py")}
    assert packages == set(UI_RULES)
    assert not [p.name for p in (ROOT / "ui").glob("*.py") if p.name != "__init__.py"], \
        "every ui module lives in a package named for its concern"


def test_ui_packages_import_only_downward():
    for package, allowed in UI_RULES.items():
        for path in (ROOT / "ui" / package).rglob("*.py"):
            used = {name.split(".")[1] for name in imported_modules(path, depth=2)
                    if name.startswith("ui.")}
            assert used <= allowed | {package}, f"{path} imports ui.{sorted(used - allowed - {package})}"
            assert not imported_modules(path) & {"app"}, path


def test_the_import_rule_sees_relative_imports():
    """The checker resolves `from ..chat.history import x`, or a breach would go unseen."""
    path = ROOT / "ui" / "chat" / "handlers.py"
    assert {"ui.protect", "ui.text", "ui.chat"} <= imported_modules(path, depth=2)

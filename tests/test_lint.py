"""The habits that catch mistakes early: ruff and mypy, with the project's configurations in
.ci/, clean over the packages (run here, so the README's test command and CI run them)."""
from __future__ import annotations

import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *argv], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_ruff_finds_nothing():
    done = run("ruff", "check", "--config", ".ci/ruff.toml", "--no-cache", ".")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_finds_nothing():
    done = run("mypy", "--config-file", ".ci/mypy.ini", "--no-incremental")
    assert done.returncode == 0, done.stdout + done.stderr

"""The README and docs/ lead somewhere real, and no file of the repository points outside it.

A clone holds only the repository: a link to a moved file, a heading renamed under an anchor,
or a path on the machine a file was written on is a dead end for whoever reads it there.
"""
from __future__ import annotations

import pathlib
import re
import subprocess
from urllib.parse import unquote

from tests.test_layers import UI_RULES

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

FENCE = re.compile(r"^(`{3,}|~{3,}).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.MULTILINE)
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # https:, mailto:, ...
# Paths of the machine a file was written on, not of the repository. Spelled so that this
# file does not match itself.
OUTSIDE = re.compile(r"\.\./shared\b|/work(?=/)|/home/\w|/root(?=/)|~(?=/)")
VARIABLE = re.compile(r"\b(?:APP|MINIMAX|GRADIO)_[A-Z][A-Z0-9_]*\b")


def prose(markdown: str) -> str:
    """The text outside fenced code blocks (a `# comment` in a bash block is no heading)."""
    return FENCE.sub("", markdown)


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens;
    letters of any script stay."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "")
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def anchors(path: pathlib.Path) -> set[str]:
    """Every heading anchor of a Markdown file; a repeated heading gets -1, -2, ... as on GitHub."""
    seen: dict[str, int] = {}
    found = set()
    for _, heading in HEADING.findall(prose(path.read_text(encoding="utf-8"))):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def broken_links(path: pathlib.Path, root: pathlib.Path = ROOT) -> list[str]:
    """The relative links and images of `path` that lead nowhere in `root`, with why."""
    text = prose(path.read_text(encoding="utf-8"))
    broken = []
    for target in LINK.findall(text) + REFERENCE.findall(text):
        if EXTERNAL.match(target):
            continue
        file_part, _, anchor = target.partition("#")
        resolved = (path.parent / unquote(file_part)).resolve() if file_part else path
        if not resolved.is_relative_to(root):
            broken.append(f"{target}: outside the repository")
        elif not resolved.exists():
            broken.append(f"{target}: no such file")
        elif anchor and resolved.suffix == ".md" and unquote(anchor) not in anchors(resolved):
            broken.append(f"{target}: no heading with that anchor")
    return broken


def repository_files() -> list[pathlib.Path]:
    """The files git tracks, and new ones not yet added; not caches and other hidden
    untracked folders (.mypy_cache, .pytest_cache, ...), which hold this machine's paths."""
    def git(*args: str) -> list[str]:
        done = subprocess.run(["git", "ls-files", "-z", *args], cwd=ROOT, capture_output=True,
                              check=True)
        return [name for name in done.stdout.decode().split("\0") if name]

    try:
        tracked, new = git("--cached"), git("--others", "--exclude-standard")
    except (OSError, subprocess.CalledProcessError):  # no git: every file outside hidden folders
        tracked, new = [], [str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file()]
    new = [name for name in new if not any(part.startswith(".") or part == "__pycache__"
                                           for part in pathlib.PurePath(name).parts)]
    return [ROOT / name for name in tracked + new if (ROOT / name).is_file()]


def test_every_relative_link_and_image_leads_to_a_file_and_heading():
    assert (ROOT / "docs").is_dir() and len(DOCS) > 1
    broken = {str(path.relative_to(ROOT)): broken_links(path) for path in DOCS}
    assert not {name: links for name, links in broken.items() if links}


def test_the_checker_sees_a_broken_link_an_unknown_anchor_and_a_way_out(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("# Sharing safely · 安全地分享\n\n## Two\n## Two\n",
                                            encoding="utf-8")
    page = tmp_path / "README.md"
    page.write_text(
        "[ok](docs/a.md#sharing-safely--安全地分享) [dup](docs/a.md#two-1) [web](https://x.org/y)\n"
        "[gone](docs/b.md) ![img](assets/none.png) [anchor](docs/a.md#sharing)\n"
        "[out](../elsewhere.md) [self](#nowhere)\n```bash\n[in code](not/checked.md)\n```\n",
        encoding="utf-8")
    assert broken_links(page, tmp_path) == [
        "docs/b.md: no such file", "assets/none.png: no such file",
        "docs/a.md#sharing: no heading with that anchor", "../elsewhere.md: outside the repository",
        "#nowhere: no heading with that anchor"]


def test_no_file_refers_to_a_path_outside_the_repository():
    found = []
    for path in repository_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # binary: images, ...
        for number, line in enumerate(text.splitlines(), 1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert not found


def test_every_variable_the_code_reads_is_documented_for_hosts():
    code = [ROOT / "app.py", *(p for d in ("ui", "minimax_backend", "bench")
                               for p in (ROOT / d).rglob("*.py"))]
    read = {name for path in code for name in VARIABLE.findall(path.read_text(encoding="utf-8"))}
    hosting = (ROOT / "docs" / "hosting.md").read_text(encoding="utf-8")
    assert {"MINIMAX_API_KEY", "APP_MAX_SESSIONS", "GRADIO_SERVER_PORT"} <= read
    assert sorted(name for name in read if f"`{name}`" not in hosting) == []


def test_architecture_states_the_import_rule_of_every_ui_package():
    """docs/architecture.md's package table says what tests/test_layers.py enforces."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| \[`ui/(\w+)/`\]\([^)]*\) \|.*\| ([^|]*) \|$", text, re.MULTILINE)
    stated = {package: set(re.findall(r"`(\w+)`", allowed)) for package, allowed in rows}
    assert stated == UI_RULES

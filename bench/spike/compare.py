"""The layout spike's numbers: gradio's own parts against modelscope_studio, on a phone.

    python bench/spike/compare.py [--runs 5] [--ms-python PYTHON]

Starts both spike pages (`gradio_app.py`, `ms_app.py`; the second with `--ms-python`, an
interpreter that has bench/spike/requirements.txt), loads each cold on a throttled phone
`--runs` times, alternating so a busy machine slows both alike, and prints one Markdown
table of medians, then axe-core's critical and serious findings by rule. Screenshots at
390x844 go to `--shots` (fresh page, after a reply, conversations open).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from collections import Counter
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from bench.browser import launch  # noqa: E402
from bench.processes import Server, child_env, free_port  # noqa: E402
from bench.spike.measure import MAX_TABS, ColdLoad, Look, Taps, cold_load, look  # noqa: E402

PAGES = {"gradio": "bench.spike.gradio_app", "modelscope_studio": "bench.spike.ms_app"}
TAPS = {"gradio": Taps(attach=("#spike-input [data-testid=upload-button]",),
                      open_list="button[aria-label='Toggle Sidebar']"),
        # The paperclip opens an attachments panel; its drop area opens the file chooser.
        "modelscope_studio": Taps(attach=("#spike-input .ms-gr-ant-sender-prefix button",
                                          "#spike-input .ms-gr-ant-upload-drag:visible"),
                                  open_list="[class*=sider-zero-width-trigger]")}
IMAGE = ROOT / "assets" / "icon.png"
START_TIMEOUT_S = 240.0  # a busy 2-core machine took over a minute to serve the first page
KINDS = ["Document", "Script", "Stylesheet", "Font", "Image", "Fetch", "XHR", "Other"]
SERIOUS = ("critical", "serious")


def servers(ms_python: str, logs: Path) -> dict[str, Server]:
    """Both spike pages, not yet started."""
    made = {}
    for name, module in PAGES.items():
        python = ms_python if name == "modelscope_studio" else sys.executable
        port = free_port()
        made[name] = Server(name, [python, "-m", module, "--port", str(port)], port,
                            child_env(), logs / f"{name}.log", page_timeout=START_TIMEOUT_S)
    return made


def kb(n: float) -> str:
    return f"{n / 1024:,.0f}"


def table(loads: dict[str, list[ColdLoad]], looks: dict[str, Look]) -> str:
    """The medians, one column per page, and the axe counts."""
    names = list(loads)
    rows = [f"| | {' | '.join(names)} |", f"|---|{'---:|' * len(names)}"]

    def row(label: str, value) -> None:
        rows.append(f"| {label} | {' | '.join(value(n) for n in names)} |")

    def med(n: str, get) -> float:
        return statistics.median(get(load) for load in loads[n])

    row("first paint, ms", lambda n: f"{med(n, lambda x: x.first_paint):,.0f}")
    row("first contentful paint, ms", lambda n: f"{med(n, lambda x: x.first_contentful_paint):,.0f}")
    row("message box ready, ms", lambda n: f"{med(n, lambda x: x.box_ready):,.0f}")
    row("(spread of box ready, ms)", lambda n: " – ".join(
        f"{f(x.box_ready for x in loads[n]):,.0f}" for f in (min, max)))
    row("transferred, KB", lambda n: kb(med(n, lambda x: x.total_bytes)))
    for kind in KINDS:
        if any(load.bytes_by_type[kind] for n in names for load in loads[n]):
            row(f"… {kind}, KB", lambda n, k=kind: kb(med(n, lambda x: x.bytes_by_type[k])))
    row("requests", lambda n: f"{med(n, lambda x: x.requests):.0f}")
    for moment in ("fresh", "after reply", "conversations open"):
        row(f"axe critical / serious rules, {moment}", lambda n, m=moment: " / ".join(
            str(sum(1 for impact, _ in looks[n].axe[m] if impact == level)) for level in SERIOUS))
    row("Tab presses to the message box", lambda n: str(looks[n].tabs_to_box or f"> {MAX_TABS}"))
    row("conversations open from the keyboard", lambda n: "yes" if looks[n].list_by_keyboard else "no")
    rows.append("")
    rows.append("axe-core, critical and serious, nodes by rule:")
    rows.append("")
    for n in names:
        for moment, found in looks[n].axe.items():
            worst = Counter({k: v for k, v in found.items() if k[0] in SERIOUS})
            listed = ", ".join(f"{rule} ({impact}) ×{count}" for (impact, rule), count
                               in sorted(worst.items())) or "none"
            rows.append(f"- {n}, {moment}: {listed}")
    return "\n".join(rows)


def contact_sheet(looks: dict[str, Look], path: Path, scale: float = 0.25) -> None:
    """One image: a row of screenshots per page, for the design notes."""
    rows = [[Image.open(shot) for shot in look.screenshots] for look in looks.values()]
    width, height = (int(side * scale) for side in rows[0][0].size)
    sheet = Image.new("RGB", (width * max(map(len, rows)), height * len(rows)), "white")
    for y, row in enumerate(rows):
        for x, shot in enumerate(row):
            sheet.paste(shot.convert("RGB").resize((width, height)), (x * width, y * height))
    sheet.save(path, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--ms-python", default=sys.executable,
                        help="a Python with modelscope_studio installed")
    parser.add_argument("--shots", type=Path, default=Path(tempfile.gettempdir()) / "spike-shots")
    args = parser.parse_args()
    args.shots.mkdir(parents=True, exist_ok=True)
    loads: dict[str, list[ColdLoad]] = {name: [] for name in PAGES}
    looks: dict[str, Look] = {}
    running = servers(args.ms_python, args.shots)
    load_before = os.getloadavg()[0]
    try:
        for server in running.values():
            server.start()
        with sync_playwright() as p:
            browser = launch(p)
            for run in range(args.runs):
                for name, server in running.items():
                    loads[name].append(cold_load(browser, server.url))
                    print(f"run {run + 1} {name}: box ready {loads[name][-1].box_ready:,.0f} ms",
                          file=sys.stderr)
            for name, server in running.items():
                looks[name] = look(browser, server.url, name, args.shots, TAPS[name], IMAGE)
            browser.close()
    finally:
        for server in running.values():
            server.stop()
    print(table(loads, looks))
    print(f"\nload average (1 min) before / after: {load_before:.1f} / {os.getloadavg()[0]:.1f}")
    contact_sheet(looks, args.shots / "spike-phone.png")
    print(f"\nscreenshots: {args.shots}", file=sys.stderr)


if __name__ == "__main__":
    main()

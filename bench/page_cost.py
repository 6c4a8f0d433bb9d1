"""What each page costs gradio before any visitor talks to it: `python bench/page_cost.py`.

The benchmark's memory and start-up rows go against this app; this says why, for both apps,
each measured in a fresh process:

- import: seconds to import the app's script (its own modules and building its page; gradio
  itself is imported first and not counted);
- app builds: how many times gradio built its FastAPI app before `launch()` (which builds it
  once more), and the seconds those builds took;
- per session: the page state gradio copies into every new browser session (tracemalloc
  around `SessionState(page)`, the mean of SESSIONS copies).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SESSIONS = 20
SCRIPTS = {"This app": "app.py", "Stock ChatInterface": "bench/baseline_app.py"}

_MEASURE = """
import json, runpy, sys, time, tracemalloc
import gradio as gr
from gradio import routes
from gradio.state_holder import SessionState

builds = []
create_app = routes.App.create_app
def timed(*args, **kwargs):
    started = time.perf_counter()
    try:
        return create_app(*args, **kwargs)
    finally:
        builds.append(time.perf_counter() - started)
routes.App.create_app = staticmethod(timed)

started = time.perf_counter()
module = runpy.run_path(sys.argv[1], run_name="page_cost")  # not __main__: no launch
imported = time.perf_counter() - started
page = next(v for v in module.values() if isinstance(v, gr.Blocks))
tracemalloc.start()
before = tracemalloc.get_traced_memory()[0]
sessions = [SessionState(page) for _ in range(int(sys.argv[2]))]
per_session = (tracemalloc.get_traced_memory()[0] - before) / len(sessions)
print(json.dumps({"components": sum(1 for b in page.blocks.values()
                                    if isinstance(b, gr.components.Component)),
                  "import_s": imported, "app_builds": len(builds), "builds_s": sum(builds),
                  "per_session_kb": per_session / 1024}))
"""


def measure(script: str) -> dict:
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", _MEASURE, script, str(SESSIONS)], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=120, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    print("| | components | import + page build (s) | FastAPI app builds before launch (s) "
          "| page state per new session (KB) |")
    print("|---|---:|---:|---:|---:|")
    for name, script in SCRIPTS.items():
        m = measure(script)
        print(f"| {name} | {m['components']} | {m['import_s']:.2f} | {m['app_builds']} "
              f"({m['builds_s']:.2f}) | {m['per_session_kb']:.0f} |")


if __name__ == "__main__":
    main()

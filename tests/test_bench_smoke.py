"""The benchmark cannot rot: a tiny `python bench/run.py --smoke` writes every file with sane
values, and the pieces that speak gradio's protocol agree with gradio itself."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from gradio.utils import diff

from bench.gradio_protocol import SSEDecoder, apply_diff, assistant_text
from bench.machine import stolen_s
from bench.report import fleet_table, steal_note
from bench.stats import percentile, ratio

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"


# -- the protocol pieces, without a network ---------------------------------------------

def test_sse_decoder_yields_each_event_once_however_the_bytes_are_split():
    wire = (b'data: {"msg":"estimation","rank":0}\n\n'
            b'data: {"msg":"process_generating","output":{"data":["\xe4\xbd\xa0"]}}\n\n'
            b'data: {"msg":"close_stream"}\n\n')
    expected = [b'{"msg":"estimation","rank":0}',
                b'{"msg":"process_generating","output":{"data":["\xe4\xbd\xa0"]}}',
                b'{"msg":"close_stream"}']
    for cut in range(len(wire) + 1):
        decoder = SSEDecoder()
        assert decoder.feed(wire[:cut]) + decoder.feed(wire[cut:]) == expected, cut
    decoder = SSEDecoder()
    assert [e for i in range(len(wire)) for e in decoder.feed(wire[i:i + 1])] == expected


def test_apply_diff_rebuilds_what_gradio_diffed():
    user = {"role": "user", "content": [{"type": "text", "text": "hi"}]}
    steps = [
        [user],
        [user, {"role": "assistant", "content": [{"type": "text", "text": "你"}]}],
        [user, {"role": "assistant", "content": [{"type": "text", "text": "你好 there"}]}],
        [user, {"role": "assistant", "metadata": {"title": "note"},
                "content": [{"type": "text", "text": "你好 there!"}]}],
        [{"role": "user", "content": "replaced"}],
    ]
    value = json.loads(json.dumps(steps[0]))
    for old, new in zip(steps, steps[1:]):
        value = apply_diff(value, json.loads(json.dumps(diff(old, new))))
        assert value == new
    assert assistant_text(steps[3]) == "你好 there!"


def test_percentiles_and_ratios():
    assert percentile([3, 1, 2], 50) == 2
    assert percentile([0, 10], 95) == pytest.approx(9.5)
    assert percentile([], 50) is None
    assert ratio(10.0, 2.0) == 5.0
    assert ratio(1.0, 0.0) is None


def _steal_in_proc_stat() -> float:
    return int(Path("/proc/stat").read_text().split()[8]) / os.sysconf("SC_CLK_TCK")


def test_stolen_cpu_is_the_steal_column_of_proc_stat():
    before = _steal_in_proc_stat()
    assert before <= stolen_s() <= _steal_in_proc_stat()


def test_the_report_says_how_much_cpu_the_host_took_during_the_run_and_the_big_crowds():
    crowd = {"wall_s": 3.0, "ttft_p50_ms": 500, "ttft_p95_ms": 900, "failures": 0, "cpu_s": 4.0}
    results = {"machine": {"cores": 2, "stolen_s": 12.6}, "duration_s": 300.0,
               "concurrency": {"app": {"10": {**crowd, "stolen_s": 0.0},
                                       "100": {**crowd, "stolen_s": 0.4},
                                       "200": {**crowd, "stolen_s": 1.25}}},
               "fleet": {**crowd, "visitors": 200, "replicas": 2, "stolen_s": 0.05}}
    assert steal_note(results) == (
        " CPU taken from this machine by its host (steal, /proc/stat): 12.6 s over the run "
        "(2.1 % of its cores' time); during this app's crowds of 100 visitors 0.40, "
        "200 visitors 1.25 s.")
    table = fleet_table(results)
    assert table[3].endswith("| Failures | CPU (s) | Taken by the host (CPU s) |")
    assert table[5] == "| 2 × this app behind haproxy, with Redis | 3.00 | 500 | 900 | 0 | 4.00 | 0.05 |"
    assert table[6] == "| 1 × this app | 3.00 | 500 | 900 | 0 | 4.00 | 1.25 |"
    # Results written before steal was measured: no note, a dash in the table.
    del results["machine"]["stolen_s"], results["fleet"]["stolen_s"]
    assert steal_note(results) == ""
    assert fleet_table(results)[5].endswith("| 0 | 4.00 | — |")


# -- the whole command, tiny ------------------------------------------------------------

@pytest.fixture(scope="module")
def smoke_run(tmp_path_factory):
    if not os.path.exists(CHROMIUM) and not shutil.which("chromium"):
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is missing: apt-get install -y chromium")
        pytest.skip("Debian's chromium is not installed")
    out = tmp_path_factory.mktemp("bench")
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"}
    done = subprocess.run([sys.executable, "bench/run.py", "--smoke", "--out", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out, done.stdout


def test_smoke_run_writes_the_json_the_table_and_the_chart(smoke_run):
    out, stdout = smoke_run
    results = json.loads((out / "benchmark.json").read_text())
    table = (out / "benchmark.md").read_text()
    png = (out / "benchmark.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 20_000
    assert "| Metric | This app | Stock ChatInterface |" in table and table in stdout + "\n"
    assert results["command"] == "python bench/run.py --smoke"
    machine = results["machine"]
    assert machine["cores"] >= 1 and machine["gradio"] and machine["python"] and machine["chromium"]
    assert machine["stolen_s"] >= 0 and "CPU taken from this machine by its host" in table
    assert {"ttft", "browser", "concurrency", "cost", "startup", "table"} <= results.keys()
    assert len(results["table"]) >= 10
    for row in results["table"]:
        assert row["metric"] and row["app"] is not None and row["baseline"] is not None, row


def test_smoke_run_measured_both_apps_without_failures(smoke_run):
    results = json.loads((smoke_run[0] / "benchmark.json").read_text())
    for key in ("app", "baseline"):
        ttft = results["ttft"][key]
        assert ttft["failures"] == 0, ttft["errors"]
        assert all(0 < t < 10_000 for t in ttft["ttft_ms"])
        lag = results["browser"][key]
        assert all(run["complete"] and run["events"] == 201 for run in lag["runs"]), lag
        assert lag["lag_median_ms"] > -50  # a clock mix-up would show as a large negative lag
        for visitors, crowd in results["concurrency"][key].items():
            assert crowd["failures"] == 0, crowd["errors"]
            assert crowd["tokens"] == int(visitors) * 10 and crowd["wall_s"] > 0.15
            assert crowd["rss_peak_mb"] > 50 and crowd["stolen_s"] >= 0
        cost = results["cost"][key]
        assert cost["cpu_s_per_1k_tokens"] > 0 and cost["rss_idle_mb"] > 50
        assert 0.5 < results["startup"][key]["median_s"] < 60
    assert 0 < results["ttft"]["raw_median_ms"] < 1000


def test_page_cost_prints_both_pages_and_the_apps_bigger_session_state():
    out = subprocess.run([sys.executable, "bench/page_cost.py"], cwd=ROOT, capture_output=True,
                         text=True, timeout=180, check=True).stdout
    rows = {line.split("|")[1].strip(): [cell.strip() for cell in line.split("|")[2:-1]]
            for line in out.splitlines() if line.startswith("| This") or line.startswith("| Stock")}
    app_row, stock_row = rows["This app"], rows["Stock ChatInterface"]
    assert int(app_row[0]) > int(stock_row[0]) > 0  # components
    assert app_row[2].startswith("3 (") and stock_row[2].startswith("2 (")  # app builds
    assert float(app_row[3]) > 2 * float(stock_row[3]) > 0  # KB of state per session


def test_compare_times_first_tokens_of_two_checkouts_in_turns():
    # This checkout against itself: the machinery, not a result.
    out = subprocess.run([sys.executable, "bench/compare.py", str(ROOT), "--crowds", "1,3",
                          "--rounds", "1"], cwd=ROOT, capture_output=True, text=True, timeout=180,
                         check=True, env={**os.environ, "GRADIO_ANALYTICS_ENABLED": "False"}).stdout
    lines = out.strip().splitlines()
    assert lines[0] == "first token, median (ms), crowds of 1, 3"
    rows = {line.split()[0]: [float(x) for x in line.split()[1:]] for line in lines[1:]}
    assert set(rows) == {"this", "other"}
    assert all(len(ms) == 2 and all(0 < m < 5000 for m in ms) for ms in rows.values())


def test_the_load_client_reads_the_page_scripts_conditions():
    """The client runs no page script: it reads the conditions the page's steps put on a
    chain, or its visitors would run steps the page skips (take_back after every reply)."""
    import app
    from bench.gradio_protocol import AppModel
    from ui.browser.scripts import SEND_SAVE_DELAY_MS, SEND_SAVE_MAX_MS
    from ui.chat.history import REFUSAL_MARK

    model = AppModel.from_config(app.build_demo().get_config_file())
    gates = sorted(d.gate for d in model.dependencies if d.gate is not None)
    assert gates == [(REFUSAL_MARK, False)] * 2 + [(REFUSAL_MARK, True)] * 2  # Enter and Send
    waits = [d for d in model.dependencies if d.while_busy]
    assert waits and all(d.delay_s == SEND_SAVE_DELAY_MS / 1000 for d in waits)
    assert all(d.words_max_s == SEND_SAVE_MAX_MS / 1000 for d in waits)


def test_the_load_client_resends_once_on_a_connection_closed_under_it_as_a_browser_does():
    """A kept-alive connection the app closed as idle just as a request went out: a browser
    sends the request again on a new one; the load client too, once, and counts it. The
    server here closes its first connection without an answer and resets its third."""
    import asyncio
    import socket
    import struct

    from bench.load_client import Visit, _Visitor, browser_client

    paths: list[str] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(next((line.split(b":")[1] for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length:")), b"0"))
        await reader.readexactly(length)
        paths.append(head.split(b" ")[1].decode())
        if len(paths) == 1:  # closed with no answer
            writer.close()
            return
        if len(paths) == 3:  # reset
            writer.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                                       struct.pack("ii", 1, 0))
            writer.close()
            return
        body = b'{"ok": true}'
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                     b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        await writer.drain()
        writer.close()

    async def twice():
        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        tab = object.__new__(_Visitor)
        tab.client = browser_client()
        tab.api, tab.headers = f"http://127.0.0.1:{port}/gradio_api", {}
        tab.visit = Visit(started=0.0)
        try:
            return tab, await tab._post("/run/predict", {}), await tab._post("/queue/join", {})
        finally:
            await tab.client.close()
            server.close()

    tab, first, second = asyncio.run(twice())
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json() == {"ok": True}
    assert paths == ["/gradio_api/run/predict"] * 2 + ["/gradio_api/queue/join"] * 2
    assert tab.visit.resent == 2

"""The search over stored chats (ui/browser/static/search.js), run by node outside a page:
which chats a query finds, and the snippet with its marked words."""
from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from ui.browser.scripts import STATIC

NODE = shutil.which("node")
RUN = """
globalThis.window = globalThis;
(eval(require("fs").readFileSync(process.argv[1], "utf8")))();
const [store, query] = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(window.mmSearch.find(store, query)));
"""


def node(script: str, store: dict | None, query: str) -> str:
    """What `script` prints, run by node with search.js loaded and [store, query] on stdin."""
    if NODE is None:
        if os.environ.get("CI"):
            pytest.fail("Debian's nodejs is missing: apt-get install -y nodejs")
        pytest.skip("node is not installed")
    return subprocess.run([NODE, "-e", script, str(STATIC / "search.js")], check=True, timeout=60,
                          input=json.dumps([store, query]), capture_output=True, text=True).stdout


def find(store: dict | None, query: str) -> list[dict]:
    """The hits, each as {id, title, message, snippet} with marked words in [brackets]."""
    return [{"id": hit["id"], "title": brackets(hit["title"]), "message": hit["message"],
             "snippet": brackets(hit["pieces"])} for hit in json.loads(node(RUN, store, query))]


def brackets(pieces: list[dict]) -> str:
    return "".join(f"[{p['text']}]" if p["marked"] else p["text"] for p in pieces)


def chat(chat_id: str, *contents: str, title: str = "", **extra) -> dict:
    roles = ("user", "assistant")
    return {"id": chat_id, "title": title, "updated": "2026-11-30T21:00:00Z",
            "messages": [{"role": roles[i % 2], "content": c, **extra} for i, c in enumerate(contents)]}


STORE = {"version": 1, "current": "a", "conversations": [
    chat("a", "帮我写一首关于春天的诗", "春风拂面，\n\n柳絮纷飞。", title="春天"),
    chat("b", "What is a Giraffe?", "A tall African mammal.\nGiraffes eat leaves."),
    chat("c", "The blue whale is big", "Yes, the blue whale is the largest animal.", title="Whales"),
]}


def test_chinese_is_found_inside_a_sentence_with_no_spaces():
    assert find(STORE, "柳絮") == [{"id": "a", "title": "春天", "message": 1, "snippet": "春风拂面， [柳絮]纷飞。"}]


def test_case_is_ignored_and_every_place_in_the_snippet_is_marked():
    assert find(STORE, "giraffe") == [{"id": "b", "title": "", "message": 0,
                                       "snippet": "What is a [Giraffe]?"}]


def test_several_words_must_all_be_in_the_chat_and_the_snippet_is_the_message_with_most():
    assert [h["id"] for h in find(STORE, "blue whale")] == ["c"]
    assert find(STORE, "WHALE largest") == [{"id": "c", "title": "[Whale]s", "message": 1,
                                             "snippet": "Yes, the blue [whale] is the [largest] animal."}]
    assert find(STORE, "blue giraffe") == []


def test_words_may_be_in_different_messages_or_the_title():
    assert [h["id"] for h in find(STORE, "春天 柳絮")] == ["a"]
    assert find(STORE, "whales") == [{"id": "c", "title": "[Whales]", "message": -1, "snippet": ""}]


def test_an_empty_query_or_spaces_find_nothing_and_results_keep_the_list_order():
    assert find(STORE, "") == find(STORE, "   ") == []
    assert [h["id"] for h in find(STORE, "a")] == ["b", "c"]


def test_a_long_message_is_cut_around_the_first_match():
    long = "前" * 100 + "目标" + "后" * 100
    [hit] = find({"conversations": [chat("d", long)]}, "目标")
    assert hit["snippet"] == "…" + "前" * 30 + "[目标]" + "后" * 68 + "…"


def test_a_cut_never_splits_an_emoji():
    text = "😀" * 40 + "find"
    [hit] = find({"conversations": [chat("e", text)]}, "find")
    assert hit["snippet"].startswith("…") and "\ufffd" not in hit["snippet"]
    assert json.dumps(hit["snippet"], ensure_ascii=False).count("😀") == 15


def test_markup_in_a_message_is_plain_text_in_the_snippet():
    # The pieces are set as text by the page (textContent), so a tag stays what it was typed.
    html = 'see <img src=x onerror="alert(1)"> and **bold** here'
    [hit] = find({"conversations": [chat("f", html)]}, "onerror")
    assert hit["snippet"] == 'see <img src=x [onerror]="alert(1)"> and **bold** here'


def test_thinking_notes_and_malformed_chats_are_not_searched():
    store = {"conversations": [
        chat("g", "hello", "hi there", reasoning="secret plan", raw="<think>secret plan</think>",
             note={"kind": "info", "lines": ["tokens 12"]}),
        {"id": "h", "messages": "not a list"}, None, {"messages": [{"content": "secret"}]}]}
    assert find(store, "secret") == [] and find(store, "tokens") == []
    assert [h["id"] for h in find(store, "hi")] == ["g"]
    assert find(None, "hi") == [] and find({"conversations": {}}, "hi") == []


def test_a_letter_that_grows_when_lowered_keeps_the_marks_in_place():
    [hit] = find({"conversations": [chat("i", "İstanbul trip")]}, "trip")
    assert hit["snippet"] == "İstanbul [trip]"


def test_fifty_chats_at_the_store_limit_are_searched_well_within_a_keystroke():
    # bench/search_speed.py measures it in Chromium (docs/features.md, "Search"); this bound
    # is loose, against a machine busy with other tests: the index's build plus one search.
    from ui.conversations.store import MAX_CONVERSATIONS, MAX_STORE_BYTES
    line = "今天讨论天气、旅行和读书计划。We talked about the weather and books. " * 3
    per_chat = MAX_STORE_BYTES // MAX_CONVERSATIONS // len(line.encode())
    store = {"conversations": [chat(f"{n:016x}", *[line] * per_chat) for n in range(MAX_CONVERSATIONS)]}
    store["conversations"][7]["messages"][0]["content"] += " 长颈鹿Zephyr"
    assert len(json.dumps(store, ensure_ascii=False).encode()) > 0.9 * MAX_STORE_BYTES
    timed = RUN.replace("process.stdout.write(", "const t0 = performance.now(); window.mmSearch.find("
                        "store, query); process.stdout.write(`${performance.now() - t0} `); "
                        "process.stdout.write(")
    took, found = node(timed, store, "zephyr 长颈鹿").split(" ", 1)
    assert [hit["id"] for hit in json.loads(found)] == [f"{7:016x}"]
    assert float(took) < 1_000

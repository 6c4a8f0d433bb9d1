"""Gradio 6's queue protocol as the page speaks it, minus the network: no I/O in this file.

Read from gradio 6.31's `routes.py`, `queueing.py`, `blocks.py` and its front-end bundle:
an event with `queue=False` is `POST /gradio_api/run/predict`; a queued one is
`POST /gradio_api/queue/join` followed by the SSE stream `GET /gradio_api/queue/data`, whose
messages are one JSON object per `data:` line. A generator's first `process_generating`
carries full output values, later ones diffs against the previous values, and
`process_completed` the full final values again.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import orjson

CHAT_TYPES = ("chatbot",)
STATE_TYPES = ("state",)
TEXT_TYPES = ("textbox", "multimodaltextbox")


class SSEDecoder:
    """Bytes in, the JSON payloads of complete `data:` events out. Gradio writes each event
    as `data: <json>\\n\\n` with no other fields, so an event ends at a blank line."""

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, chunk: bytes) -> list[bytes]:
        """The raw JSON of every event completed by `chunk` (decode only what you need)."""
        self._buffer += chunk.replace(b"\r\n", b"\n")
        *events, self._buffer = self._buffer.split(b"\n\n")
        payloads = []
        for event in events:
            data = [line[5:].lstrip(b" ") for line in event.split(b"\n")
                    if line.startswith(b"data:")]
            if data:
                payloads.append(b"\n".join(data))
        return payloads


def apply_diff(value: Any, ops: list) -> Any:
    """`value` after gradio's diff `ops` (`replace`/`append`/`add`/`delete` at a path).
    Mutates containers in place; returns the new value (it changes at an empty path)."""
    for action, path, new in ops:
        if not path:
            value = new if action == "replace" else value + new
            continue
        target = value
        for key in path[:-1]:
            target = target[key]
        key = path[-1]
        if action == "replace":
            target[key] = new
        elif action == "append":
            target[key] += new
        elif action == "add":
            if isinstance(target, list):
                target.insert(int(key), new)
            else:
                target[key] = new
        elif action == "delete":
            del target[int(key) if isinstance(target, list) else key]
        else:
            raise ValueError(f"unknown diff action {action!r}")
    return value


def message_text(message: dict) -> str:
    """The visible text of one chat message (content is a string or a list of blocks)."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(part.get("text") or "" for part in content if isinstance(part, dict))
    return ""


def assistant_text(history: Any) -> str:
    """All assistant text in a chatbot value, thinking and notes included."""
    if not isinstance(history, list):
        return ""
    return "".join(message_text(m) for m in history
                   if isinstance(m, dict) and m.get("role") == "assistant")


def is_update(value: Any) -> bool:
    return isinstance(value, dict) and value.get("__type__") == "update"


@dataclass(frozen=True)
class Dependency:
    """One event handler as `/config` lists it."""

    id: int
    targets: tuple[tuple[int | None, str], ...]
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]
    queue: bool
    backend: bool
    after: int | None
    only_on_success: bool
    api_name: str | None
    delay_s: float = 0.0  # the page script's wait before this step (a `setTimeout` in its js)
    # The page script ends its chain here on a plain page load: the step that reads a shared
    # chat's link from the address throws when there is none (ui/browser/share_scripts.py).
    ends_chain: bool = False
    # The page script's condition on the chat's last message (`if_last_message_has` in
    # ui/browser/scripts.py): (mark, has); the chain goes on only if it holds.
    gate: tuple[str, bool] | None = None
    # The page script goes on only while the reply still streams and, after `delay_s`, not
    # before the reply's first words, waiting at most this long (0: it does not wait so).
    words_max_s: float = 0.0

    @property
    def while_busy(self) -> bool:
        return self.words_max_s > 0


def _page_gate(js: Any) -> tuple[str, bool] | None:
    """The condition a step's page script puts on the chat's last message, if it has one."""
    found = re.search(r'/\*mm-gate ("(?:[^"\\]|\\.)*") (has|lacks)\*/', js) if isinstance(js, str) else None
    return (json.loads(found.group(1)), found.group(2) == "has") if found else None


NO_SHARED_CHAT = "throw new Error('no shared chat')"
# The save after sending goes on only while the reply streams, once its first words are shown
# (`AFTER_FIRST_WORDS`: `/*mm-while-busy <most ms>*/`).
WHILE_BUSY = re.compile(r"/\*mm-while-busy (\d+)\*/")


def _words_max(js: Any) -> float:
    """The longest a step's page script waits for the reply's first words (seconds), if it
    waits for them."""
    found = WHILE_BUSY.search(js) if isinstance(js, str) else None
    return int(found.group(1)) / 1000 if found else 0.0


def _page_delay(js: Any) -> float:
    """Seconds a step's page script waits before its request (`setTimeout(..., ms)`); the
    browser runs the script, this client only honours the wait."""
    found = re.search(r"setTimeout\(.*,\s*(\d+)\s*\)", js) if isinstance(js, str) else None
    return int(found.group(1)) / 1000 if found else 0.0


@dataclass
class AppModel:
    """An app's page as the browser gets it: components, their initial values, the events."""

    components: dict[int, dict]
    dependencies: list[Dependency]
    api_prefix: str = "/gradio_api"
    by_elem_id: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_config(cls, config: dict) -> AppModel:
        components = {c["id"]: c for c in config["components"]}
        deps = [Dependency(
            id=d["id"], targets=tuple((t[0], t[1]) for t in d["targets"]),
            inputs=tuple(d["inputs"]), outputs=tuple(d["outputs"]),
            queue=d.get("queue") is not False, backend=bool(d.get("backend_fn", True)),
            after=d.get("trigger_after"), only_on_success=bool(d.get("trigger_only_on_success")),
            api_name=d.get("api_name"), delay_s=_page_delay(d.get("js")),
            gate=_page_gate(d.get("js")),
            words_max_s=_words_max(d.get("js")),
            ends_chain=NO_SHARED_CHAT in str(d.get("js") or ""))
            for d in config["dependencies"]]
        by_elem = {c["props"]["elem_id"]: i for i, c in components.items()
                   if c.get("props", {}).get("elem_id")}
        return cls(components, deps, config.get("api_prefix", "/gradio_api"), by_elem)

    def initial_values(self) -> dict[int, Any]:
        return {i: c.get("props", {}).get("value") for i, c in self.components.items()}

    def type_of(self, component: int) -> str:
        return self.components.get(component, {}).get("type", "")

    def submit_trigger(self, elem_id: str | None = None) -> int:
        """The textbox whose Enter starts a reply: by elem_id, else the only one with `submit`."""
        if elem_id is not None:
            return self.by_elem_id[elem_id]
        boxes = sorted({t for d in self.dependencies for t, event in d.targets
                        if event == "submit" and self.type_of(t) in TEXT_TYPES})
        if len(boxes) != 1:
            raise ValueError(f"expected one submittable textbox, found {boxes}")
        return boxes[0]

    def stateful(self, component: int) -> bool:
        """A server-side value (gr.State and kin): the page sends nothing for it."""
        return self.type_of(component) in STATE_TYPES

    def started_by(self, component: int, event: str) -> list[Dependency]:
        return [d for d in self.dependencies if d.after is None and (component, event) in d.targets]

    def page_loads(self) -> list[Dependency]:
        """What runs when a visitor opens the page (`demo.load` and kin)."""
        return [d for d in self.dependencies
                if d.after is None and any(event == "load" for _, event in d.targets)]

    def followers(self, dep: Dependency, success: bool) -> list[Dependency]:
        """What runs once `dep` is done (`.then`, and `.success` only if it succeeded)."""
        return [d for d in self.dependencies
                if d.after == dep.id and (success or not d.only_on_success)]

    def chat_output(self, dep: Dependency) -> int | None:
        """The position of the chatbot among `dep`'s outputs, if it streams into one."""
        for position, component in enumerate(dep.outputs):
            if self.type_of(component) in CHAT_TYPES:
                return position
        return None


def loads(raw: bytes) -> Any:
    return orjson.loads(raw)

"""One conversation as a file: the versioned JSON format, its validation, and Markdown.

The JSON document is lossless and is also how a conversation is kept in the visitor's browser:

    {"format": "minimax-chat", "version": 1, "title": str, "created": str, "updated": str,
     "settings": {"api", "model", "system", "temperature", "top_p", "max_tokens",
                  "bot_name", "user_name"},
     "messages": [{"role": "user"|"assistant", "content": str,
                   "raw"?: str,        # the assistant turn as MiniMax sent it (M2's <think> part)
                   "reasoning"?: str,  # the thinking shown folded away
                   "note"?: {"kind": "info"|"error", "lines": [str]}}]}  # usage, errors

A file comes from anywhere, and stored data comes back from the browser: both are untrusted,
so `parse_document` checks every field's type and size and rejects the whole file otherwise.
The settings' ranges are `ui/chat/settings.py`'s; the sizes are `ui/protect/limits.py`'s.
"""
from __future__ import annotations

import json
import math
from typing import Any

from minimax_backend.models import APIS, V2, spec_for

from ..chat.settings import TEXT_CHARS, UNIT, max_tokens_span
from ..protect.limits import IMPORT_BYTES, MAX_CONTEXT_CHARS, TITLE_CHARS
from ..text.strings import EN, ZH

FORMAT = "minimax-chat"
VERSION = 1
MAX_FILE_BYTES = IMPORT_BYTES.default
MAX_MESSAGES = 1_000
MAX_FIELD_CHARS = MAX_CONTEXT_CHARS  # one message, its raw turn or its reasoning
MAX_TITLE_CHARS = TITLE_CHARS.default
MAX_NOTE_LINES = 12
MAX_NOTE_LINE_CHARS = 600
NOTE_KINDS = ("info", "error")


class FormatError(ValueError):
    """A file or stored conversation that is not a valid conversation; says why in zh and en."""

    def __init__(self, en: str, zh: str) -> None:
        super().__init__(en)
        self.en, self.zh = en, zh

    def message(self, lang: str) -> str:
        """The reason in the visitor's language."""
        return self.zh if lang == ZH else self.en


def _fail(en: str, zh: str) -> FormatError:
    return FormatError(f"Not a conversation file this app can import: {en}",
                       f"无法导入该文件：{zh}")


def _text(value: Any, name: str, limit: int, *, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise _fail(f"“{name}” must be text", f"“{name}” 必须是文本")
    if len(value) > limit:
        raise _fail(f"“{name}” is longer than {limit} characters", f"“{name}” 超过 {limit} 个字符")
    return value


def _unit(value: Any, name: str) -> float:
    # A file must not smuggle in a value the sliders cannot show or MiniMax would refuse.
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not math.isfinite(value) or not UNIT.holds(value):
        raise _fail(f"“{name}” must be a number greater than 0 and at most 1",
                    f"“{name}” 必须是大于 0 且不超过 1 的数字")
    return float(value)


def parse_settings(value: Any) -> dict:
    """Validated settings; a missing field gets the model's default."""
    if not isinstance(value, dict):
        raise _fail("“settings” must be an object", "“settings” 必须是对象")
    api = value.get("api", V2)
    if api not in APIS:
        raise _fail(f"“settings.api” must be one of {list(APIS)}", f"“settings.api” 必须是 {list(APIS)} 之一")
    model = _text(value.get("model"), "settings.model", TEXT_CHARS["model"]).strip()
    if not model:
        raise _fail("“settings.model” is empty", "“settings.model” 为空")
    spec, span = spec_for(model), max_tokens_span(model)
    max_tokens = value.get("max_tokens", spec.default_max_tokens)
    if isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or not span.holds(max_tokens):
        raise _fail(f"“settings.max_tokens” must be a whole number from 1 to {span.high}",
                    f"“settings.max_tokens” 必须是 1 到 {span.high} 之间的整数")
    return {
        "api": api, "model": model,
        "system": _text(value.get("system", ""), "settings.system", TEXT_CHARS["system"]),
        "temperature": _unit(value.get("temperature", spec.default_temperature), "settings.temperature"),
        "top_p": _unit(value.get("top_p", spec.default_top_p), "settings.top_p"),
        "max_tokens": max_tokens,
        "bot_name": _text(value.get("bot_name", ""), "settings.bot_name", TEXT_CHARS["bot_name"]),
        "user_name": _text(value.get("user_name", ""), "settings.user_name", TEXT_CHARS["user_name"]),
    }


def _note(value: Any, where: str) -> dict:
    if not isinstance(value, dict) or value.get("kind") not in NOTE_KINDS \
            or not isinstance(value.get("lines"), list) or len(value["lines"]) > MAX_NOTE_LINES:
        raise _fail(f"“{where}.note” must be {{kind: info|error, lines: [text]}}",
                    f"“{where}.note” 必须是 {{kind: info|error, lines: [文本]}}")
    lines = [_text(line, f"{where}.note.lines", MAX_NOTE_LINE_CHARS) for line in value["lines"]]
    return {"kind": value["kind"], "lines": lines}


def parse_messages(value: Any) -> list[dict]:
    """Validated messages, with only the known fields kept."""
    if not isinstance(value, list):
        raise _fail("“messages” must be a list", "“messages” 必须是列表")
    if len(value) > MAX_MESSAGES:
        raise _fail(f"more than {MAX_MESSAGES} messages", f"消息超过 {MAX_MESSAGES} 条")
    messages, total = [], 0
    for index, item in enumerate(value):
        where = f"messages[{index}]"
        if not isinstance(item, dict) or item.get("role") not in ("user", "assistant"):
            raise _fail(f"“{where}” needs role user or assistant", f"“{where}” 的 role 必须是 user 或 assistant")
        message = {"role": item["role"], "content": _text(item.get("content"), f"{where}.content",
                                                          MAX_FIELD_CHARS)}
        if item["role"] == "assistant":
            for name in ("raw", "reasoning"):
                if item.get(name) is not None:
                    message[name] = _text(item[name], f"{where}.{name}", MAX_FIELD_CHARS)
            if item.get("note") is not None:
                message["note"] = _note(item["note"], where)
        total += sum(len(v) for v in message.values() if isinstance(v, str))
        messages.append(message)
    if total > 2 * MAX_FILE_BYTES:
        raise _fail("the conversation is too long", "对话太长")
    return messages


def fit_for_storage(messages: list[dict]) -> list[dict]:
    """`messages` without raw turns or thinking too long to keep (a very long M2 thinking):
    the chat is still saved, and such an answer is then sent back as shown."""
    return [{k: v for k, v in m.items()
             if k not in ("raw", "reasoning") or not isinstance(v, str) or len(v) <= MAX_FIELD_CHARS}
            for m in messages]


def parse_document(value: Any) -> dict:
    """A validated conversation document (a new dict); raises FormatError."""
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise _fail(f"“format” must be “{FORMAT}”", f"“format” 必须是 “{FORMAT}”")
    if value.get("version") != VERSION or isinstance(value.get("version"), bool):
        raise _fail(f"version {value.get('version')!r} is not supported (this app reads {VERSION})",
                    f"不支持版本 {value.get('version')!r}（本应用支持 {VERSION}）")
    return {
        "format": FORMAT, "version": VERSION,
        "title": _text(value.get("title", ""), "title", MAX_TITLE_CHARS, required=False).strip(),
        "created": _text(value.get("created", ""), "created", 40, required=False),
        "updated": _text(value.get("updated", ""), "updated", 40, required=False),
        "settings": parse_settings(value.get("settings")),
        "messages": parse_messages(value.get("messages")),
    }


def load_json(data: bytes) -> dict:
    """A conversation from an uploaded file's bytes; raises FormatError, never anything else."""
    if len(data) > MAX_FILE_BYTES:
        raise _fail(f"the file is larger than {MAX_FILE_BYTES // 1_000_000} MB",
                    f"文件超过 {MAX_FILE_BYTES // 1_000_000} MB")
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _fail("it is not UTF-8 JSON", "文件不是 UTF-8 编码的 JSON") from None
    return parse_document(value)


def dump_json(document: dict) -> str:
    """The file's text: readable, Chinese kept as is."""
    return json.dumps(document, ensure_ascii=False, indent=2)


_LABELS = {
    ZH: {"user": "🧑 用户", "assistant": "🤖 助手", "thinking": "💭 思考过程", "settings": "设置",
         "system": "系统提示词", "untitled": "对话"},
    EN: {"user": "🧑 User", "assistant": "🤖 Assistant", "thinking": "💭 Thinking",
         "settings": "Settings", "system": "System prompt", "untitled": "Conversation"},
}


def _quote(text: str) -> str:
    return "\n".join("> " + line for line in text.splitlines())


def to_markdown(document: dict, lang: str, *, thinking: bool = True, notes: bool = False) -> str:
    """A readable Markdown transcript: thinking folded in <details> (or left out), notes (usage,
    errors) optional."""
    labels = _LABELS[ZH if lang == ZH else EN]
    settings = document["settings"]
    lines = [f"# {document.get('title') or labels['untitled']}", ""]
    facts = [f"{settings['api']}", f"`{settings['model']}`", f"temperature {settings['temperature']}",
             f"top_p {settings['top_p']}", f"max_tokens {settings['max_tokens']}"]
    lines += [f"*{labels['settings']}: {' · '.join(facts)}*", ""]
    if settings.get("system"):
        lines += [f"**{labels['system']}:**", "", _quote(settings["system"]), ""]
    for message in document["messages"]:
        lines += [f"### {labels[message['role']]}", ""]
        if thinking and message.get("reasoning"):
            lines += ["<details>", f"<summary>{labels['thinking']}</summary>", "",
                      message["reasoning"], "", "</details>", ""]
        if message["content"]:
            lines += [message["content"], ""]
        if notes and message.get("note"):
            lines += [_quote("\n".join(message["note"]["lines"])), ""]
    return "\n".join(lines).rstrip() + "\n"

"""The emulator's answer: deterministic text, thinking, chunking and token counts.

Same request, same reply, byte for byte, so tests can assert exact text. One chunk counts as
one completion token; the prompt counts as one token per two characters.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import ANTHROPIC, OPENAI, PRO, REASONING_FIELD, REASONING_INLINE, REASONING_NONE, V2, spec_for
from .checks import Call

CHUNK_CHARS = 4  # <think> (7 chars) and </think> (8) never fit in one chunk: they arrive split
ECHO_CHARS = 200
SYSTEM_CHARS = 60
_FILLER = "这是用于压力测试的填充文本。Filler text for load tests. "
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


@dataclass(frozen=True)
class Reply:
    """What one request gets back, already cut into the chunks the stream will carry."""

    content: tuple[str, ...]  # M2's <think>…</think> prefix included
    reasoning: tuple[str, ...] = ()  # thinking apart from content (M1, reasoning_split, Anthropic)
    finish_reason: str = "stop"
    prompt_tokens: int = 1
    thinking_chunks: int = 0  # chunks that are thinking (M1 field or M2 inline)
    cached_tokens: int = 0  # prompt tokens counted as read from MiniMax's cache

    @property
    def text(self) -> str:
        """The whole content, as the terminal frame repeats it."""
        return "".join(self.content)

    @property
    def reasoning_text(self) -> str:
        return "".join(self.reasoning)

    @property
    def completion_tokens(self) -> int:
        return len(self.content) + len(self.reasoning)

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


def shorten(text: str, limit: int) -> str:
    """One line of at most `limit` characters, with … where it was cut."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[:limit - 1] + "…"


def _setting(sent: float | int | None, default: float | int, unit: str = "") -> str:
    return f"{sent}{unit}" if sent is not None else f"{default}{unit}（默认 default）"


def answer_text(call: Call) -> str:
    """The demo reply: says what it is, echoes the user, lists the request, shows Markdown."""
    spec = spec_for(call.model)
    system = shorten(call.system, SYSTEM_CHARS) if call.system.strip() else "（无 none）"
    budget = _setting(call.max_tokens if call.max_tokens_sent else None, call.max_tokens)
    lines = [
        "你好！这是 MiniMax 模拟器的离线演示回复，不是真实模型的输出。",
        "Hello! This is an offline demo reply from the MiniMax emulator, not a real model.",
        "",
        "你的消息 / your message:",
        f"> {shorten(call.last_user, ECHO_CHARS) or '（空 empty）'}",
        "",
        "收到的请求 / request received:",
        f"- API: {call.api}",
        f"- 模型 / model: {call.model}",
        f"- temperature: {_setting(call.temperature, spec.default_temperature)}",
        f"- top_p: {_setting(call.top_p, spec.default_top_p)}",
        f"- 最大 token / max tokens: {budget}",
        f"- 系统提示 / system prompt: {system}",
        f"- 消息数 / messages: {call.message_count}",
        *_extra_lines(call),
        "",
        "Markdown 示例 / sample:",
        "1. **粗体 bold** 和 *斜体 italic*",
        "2. 行内公式 / inline math: $E=mc^2$",
        "",
        "```python",
        "def greet(name: str) -> str:",
        '    return f"你好, {name}!"',
        "```",
    ]
    text = "\n".join(lines)
    # chatcompletion_pro masks e-mails (and more) unless mask_sensitive_info is false.
    return _EMAIL.sub("***", text) if call.mask else text


def _extra_lines(call: Call) -> list[str]:
    """Lines only some requests get, so older replies stay byte for byte the same."""
    lines = []
    if call.images:
        seen = ", ".join(image.describe() for image in call.images)
        lines.append(f"- 图片 / images: {len(call.images)} ({seen})")
    if call.thinking_returned:
        lines.append(f"- 回传的思考 / thinking sent back: {call.thinking_returned}")
    return lines


def reasoning_style(call: Call) -> str:
    """How this reply carries its thinking: inline `<think>`, apart (a field, details or
    blocks), or not at all. Only models the catalogue knows to think do, and not when asked
    to stop (a model that can)."""
    spec = spec_for(call.model)
    if call.api == PRO or not call.thinking or not spec.known or spec.reasoning == REASONING_NONE:
        return REASONING_NONE
    if call.api == V2:
        return spec.reasoning
    if call.api == OPENAI:
        return REASONING_FIELD if call.split else REASONING_INLINE
    return REASONING_FIELD if call.api == ANTHROPIC else REASONING_NONE


def thinking_text(call: Call) -> str:
    """The pretend chain of thought of a reasoning model."""
    return (f"用户说「{shorten(call.last_user, 60)}」。我是模拟器，不会真的思考："
            f"按固定模板回答，先说明这是离线演示，再列出收到的参数（模型 {call.model}），"
            "最后给出一个 Markdown 示例。")


def split_chunks(text: str, size: int) -> tuple[str, ...]:
    """Cut text into pieces of `size` characters (the last may be shorter)."""
    return tuple(text[i:i + size] for i in range(0, len(text), size))


def _filled(head: tuple[str, ...], count: int, size: int) -> tuple[str, ...]:
    """Exactly `count` chunks: `head` first, then filler."""
    if count <= len(head):
        return head[:count]
    need = (count - len(head)) * size
    filler = (_FILLER * (need // len(_FILLER) + 1))[:need]
    return head + split_chunks(filler, size)


def compose_reply(call: Call, *, chunk_chars: int | None = None, chunks: int | None = None,
                  soft_block: str | None = None) -> Reply:
    """The reply for a request, cut to its token budget (finish_reason "length" if cut)."""
    size = chunk_chars or CHUNK_CHARS
    style = reasoning_style(call)
    prompt_tokens = max(1, (call.prompt_chars + 1) // 2)
    cached = min(prompt_tokens, call.cached_chars // 2)
    if soft_block == "input":  # flagged input: MiniMax answers nothing
        return Reply(content=(), prompt_tokens=prompt_tokens, cached_tokens=cached)
    answer = answer_text(call)
    thinking = thinking_text(call) if style != REASONING_NONE else ""
    reasoning: tuple[str, ...] = ()
    if style == REASONING_FIELD:
        reasoning = split_chunks(thinking, size)
        content = split_chunks(answer, size)
        think_chunks = len(reasoning)
    elif style == REASONING_INLINE:
        prefix = f"<think>\n{thinking}\n</think>\n\n"
        content = split_chunks(prefix + answer, size)
        think_chunks = -(-len(prefix) // size)
    else:
        content, think_chunks = split_chunks(answer, size), 0
    if chunks is not None:
        content = _filled(content, chunks, size)
    if soft_block == "output":  # flagged output: the reply stops part-way
        content = content[:max(1, len(content) // 2)]
    finish = "stop"
    if len(reasoning) + len(content) > call.max_tokens:
        # The budget covers thinking too, as MiniMax's max_tokens does.
        reasoning = reasoning[:call.max_tokens]
        content = content[:call.max_tokens - len(reasoning)]
        finish = "length"
    think_chunks = len(reasoning) if style == REASONING_FIELD else min(think_chunks, len(content))
    return Reply(content=content, reasoning=reasoning, finish_reason=finish,
                 prompt_tokens=prompt_tokens, thinking_chunks=think_chunks, cached_tokens=cached)

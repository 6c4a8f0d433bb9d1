"""Request checking for the OpenAI- and Anthropic-compatible endpoints.

The same rules as chatcompletion_v2 (checks.py) where MiniMax documents the same ones
(temperature and top_p in (0, 1], a model of the endpoint), plus each format's own: Anthropic's
required `max_tokens`, top-level `system`, content blocks, and thinking blocks that must come
back with the signature they were sent with (docs/minimax-api.md#anthropic-compatible).
"""
from __future__ import annotations

import hashlib

from ..models import ANTHROPIC, OPENAI, spec_for
from .checks import (
    Call,
    budget,
    images_of,
    invalid,
    messages_of,
    model_of,
    text_of,
    thinking_of,
    unit,
    url_images,
    warning_for,
)
from .images import SeenImage, from_base64, from_url

_OPENAI_FIELDS = {"model", "messages", "stream", "stream_options", "max_tokens",
                  "max_completion_tokens", "temperature", "top_p", "tool_choice", "tools",
                  "response_format", "reasoning_split", "n", "thinking", "user", "metadata"}
_OPENAI_ROLES = ("system", "user", "assistant", "tool", "developer")
_BLOCKS = ("text", "image", "thinking", "redacted_thinking", "tool_use", "tool_result")


def signature_of(thinking: str) -> str:
    """The emulator's signature of a thinking block (MiniMax's are 64 hex characters too)."""
    return hashlib.sha256(thinking.encode("utf-8")).hexdigest()


def check_compat(api: str, body: dict) -> Call:
    """Validate a request body of the OpenAI- or Anthropic-compatible endpoint."""
    return _check_anthropic(body) if api == ANTHROPIC else _check_openai(body)


def _check_openai(body: dict) -> Call:
    model, messages = model_of(body, OPENAI), messages_of(body)
    for i, message in enumerate(messages):
        if message.get("role") not in _OPENAI_ROLES:
            raise invalid(f"messages[{i}].role must be one of {'|'.join(_OPENAI_ROLES)}")
    texts = [text_of(m.get("content")) for m in messages]
    users = [(m, t) for m, t in zip(messages, texts) if m["role"] == "user"]
    last, last_text = users[-1] if users else ({}, "")
    tokens, sent = budget(body, ("max_completion_tokens", "max_tokens"),
                          spec_for(model).default_max_tokens)
    options = body.get("stream_options")
    returned = sum(1 for m in messages if m["role"] == "assistant"
                   and (m.get("reasoning_details") or "<think>" in text_of(m.get("content"))))
    return Call(
        api=OPENAI, model=model, stream=body.get("stream") is True,
        temperature=unit(body, "temperature"), top_p=unit(body, "top_p"),
        max_tokens=tokens, max_tokens_sent=sent,
        system="\n".join(t for m, t in zip(messages, texts) if m["role"] in ("system", "developer")),
        last_user=last_text, message_count=len(messages), prompt_chars=sum(map(len, texts)),
        include_usage=isinstance(options, dict) and options.get("include_usage") is True,
        warning=warning_for(body, _OPENAI_FIELDS), thinking=thinking_of(body, model),
        split=body.get("reasoning_split") is True,
        images=images_of(model, url_images(last.get("content"))), thinking_returned=returned,
        cached_chars=sum(map(len, texts)) - len(last_text) if len(messages) > 1 else 0)


def _blocks(content: object, where: str) -> list[dict]:
    """A message's content as a list of blocks (a string is one text block)."""
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    if not isinstance(content, list) or not all(isinstance(b, dict) for b in content):
        raise invalid(f"{where}.content must be a string or a list of content blocks")
    for j, block in enumerate(content):
        if block.get("type") not in _BLOCKS:
            raise invalid(f"{where}.content[{j}].type must be one of {'|'.join(_BLOCKS)}")
    return content


def _image(block: dict) -> SeenImage:
    source = block.get("source")
    if not isinstance(source, dict):
        raise invalid("an image block needs a source")
    if source.get("type") == "base64":
        return from_base64(str(source.get("data", "")))
    return from_url(str(source.get("url", "")))


def _returned_thinking(blocks: list[dict], where: str) -> int:
    """Thinking blocks sent back, each checked against the signature it was sent with."""
    count = 0
    for block in blocks:
        if block.get("type") != "thinking":
            continue
        thinking, signature = block.get("thinking"), block.get("signature")
        if not isinstance(thinking, str) or signature != signature_of(thinking):
            raise invalid(f"{where}: a thinking block must come back unchanged, with its signature")
        count += 1
    return count


def _check_anthropic(body: dict) -> Call:
    model, messages = model_of(body, ANTHROPIC), messages_of(body)
    if body.get("max_tokens") is None:
        raise invalid("max_tokens is required")
    tokens, _ = budget(body, ("max_tokens",), 0)
    system = body.get("system", "")
    if isinstance(system, list):
        system = "\n".join(b.get("text", "") for b in system if isinstance(b, dict))
    if not isinstance(system, str):
        raise invalid("system must be a string or a list of text blocks")
    texts, returned, last, last_text = [], 0, [], ""
    for i, message in enumerate(messages):
        if message.get("role") not in ("user", "assistant"):
            raise invalid(f"messages[{i}].role must be user or assistant")
        blocks = _blocks(message.get("content"), f"messages[{i}]")
        text = "".join(b["text"] for b in blocks if b.get("type") == "text"
                       and isinstance(b.get("text"), str))
        texts.append(text)
        if message["role"] == "assistant":
            returned += _returned_thinking(blocks, f"messages[{i}]")
        else:
            last, last_text = blocks, text
    prompt = sum(map(len, texts)) + len(system)
    return Call(
        api=ANTHROPIC, model=model, stream=body.get("stream") is True,
        temperature=unit(body, "temperature"), top_p=unit(body, "top_p"),
        max_tokens=tokens, max_tokens_sent=True, system=system, last_user=last_text,
        message_count=len(messages), prompt_chars=prompt, thinking=thinking_of(body, model),
        images=images_of(model, [_image(b) for b in last if b.get("type") == "image"]),
        thinking_returned=returned,
        cached_chars=prompt - len(last_text) if len(messages) > 1 else 0)

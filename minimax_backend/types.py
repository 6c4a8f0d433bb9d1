"""Small immutable values shared by the client, the codecs, the emulator and the UI."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .errors import MiniMaxError, ValidationError
from .models import APIS, PRO, THINKING_ALWAYS, spec_for

USER = "user"
ASSISTANT = "assistant"
ROLES = (USER, ASSISTANT)

JSON = dict[str, Any]  # a JSON object as sent to MiniMax or decoded from it

MAX_NAME_CHARS = 64
MAX_MODEL_CHARS = 64
# MiniMax's model names ("MiniMax-M2.7-highspeed", "abab6.5s-chat"): a typed one goes upstream
# on the host's key and into the log, so it may not be arbitrary text.
_MODEL_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]*")
# A lone UTF-16 surrogate ("\udc80", which JSON can carry) is no character: it cannot be sent
# as UTF-8, and a reply that repeats it cannot be sent back to the browser either.
_SURROGATE = re.compile("[\ud800-\udfff]")
DEFAULT_BOT_NAME = "MM智能助理"  # MiniMax's own example persona name (pro)
DEFAULT_USER_NAME = "用户"

# What MiniMax's image inputs take (docs/minimax-api.md#images). Checking the bytes is the
# caller's job: the backend trusts `mime` and only encodes.
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")

THINK_ADAPTIVE = "adaptive"  # the model decides whether to think (MiniMax's default)
THINK_OFF = "off"  # sent as `thinking: {"type": "disabled"}`
THINKING = (THINK_ADAPTIVE, THINK_OFF)


@dataclass(frozen=True)
class ImagePart:
    """One image of a user message: its bytes, already validated by the caller, and type."""

    mime: str
    data: bytes

    def __post_init__(self) -> None:
        if self.mime not in IMAGE_TYPES:
            raise ValidationError("images", "image_type", allowed=IMAGE_TYPES, got=self.mime)
        if not isinstance(self.data, bytes) or not self.data:
            raise ValidationError("images", "image_empty")

    def __repr__(self) -> str:  # never a megabyte of bytes in a log line
        return f"ImagePart({self.mime}, {len(self.data)} bytes)"


@dataclass(frozen=True)
class Message:
    """One conversation turn. For an assistant turn, `content` is the raw turn as the dialect
    needs it back (`Finish.raw_content`: an M2 `<think>` prefix included, or a thinking turn
    packed by `turns.py`), because MiniMax asks to get it back unchanged. Only a user turn
    carries images."""

    role: str
    content: str
    images: tuple[ImagePart, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "images", tuple(self.images))
        if self.role not in ROLES:
            raise ValidationError("messages", "bad_role", allowed=ROLES, got=self.role)
        if not isinstance(self.content, str):
            raise ValidationError("messages", "not_text")
        if self.images and (self.role != USER
                            or not all(isinstance(i, ImagePart) for i in self.images)):
            raise ValidationError("messages", "image_role")
        check_text("messages", self.content)


def check_model_name(model: str) -> None:
    """Refuse a model name that is not 1 to MAX_MODEL_CHARS of MiniMax's name characters."""
    if len(model) > MAX_MODEL_CHARS or not _MODEL_NAME.fullmatch(model):
        raise ValidationError("model", "model_name", limit=MAX_MODEL_CHARS)


def check_text(name: str, value: str) -> None:
    """Refuse text that is not valid Unicode (a lone surrogate), naming the field."""
    if _SURROGATE.search(value):
        raise ValidationError(name, "not_unicode")


def _check_unit_interval(name: str, value: float) -> None:
    # MiniMax rejects 0 (error 2013) and anything above 1, unlike OpenAI's 0–2.
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
        raise ValidationError(name, "unit_interval", got=value)


@dataclass(frozen=True)
class ChatRequest:
    """Everything needed for one chat call, validated once at construction."""

    messages: tuple[Message, ...]
    model: str
    api: str = "v2"
    system: str = ""
    temperature: float = 0.7
    top_p: float = 0.95
    max_tokens: int = 2048
    bot_name: str = DEFAULT_BOT_NAME  # pro only: the persona's sender_name
    user_name: str = DEFAULT_USER_NAME  # pro only: the user's sender_name
    thinking: str = THINK_ADAPTIVE  # sent only to a model that can turn it off

    def __post_init__(self) -> None:
        object.__setattr__(self, "messages", tuple(self.messages))
        if self.api not in APIS:
            raise ValidationError("api", "unknown_api", allowed=APIS, got=self.api)
        if not isinstance(self.model, str) or not self.model.strip():
            raise ValidationError("model", "no_model")
        check_model_name(self.model)
        if self.api not in spec_for(self.model).apis:  # a model we know, on the other API
            raise ValidationError("model", "wrong_api", model=self.model, api=self.api)
        _check_unit_interval("temperature", self.temperature)
        _check_unit_interval("top_p", self.top_p)
        limit = spec_for(self.model).max_output_tokens
        if isinstance(self.max_tokens, bool) or not isinstance(self.max_tokens, int) \
                or not 1 <= self.max_tokens <= limit:
            raise ValidationError("max_tokens", "token_range", limit=limit, model=self.model,
                                  got=self.max_tokens)
        if not self.messages or self.messages[-1].role != USER:
            raise ValidationError("messages", "not_last_user")
        if not self.messages[-1].content.strip() and not self.messages[-1].images:
            raise ValidationError("messages", "empty")
        check_text("system", self.system)
        if self.thinking not in THINKING:
            raise ValidationError("thinking", "one_of", allowed=THINKING, got=self.thinking)
        spec = spec_for(self.model)
        if self.thinking == THINK_OFF and spec.thinking == THINKING_ALWAYS:
            raise ValidationError("thinking", "thinking_fixed", model=self.model)
        if any(m.images for m in self.messages) and (not spec.images or self.api == PRO):
            # Refused here, before anything is sent, rather than as MiniMax's 2013.
            raise ValidationError("messages", "no_images", model=self.model, api=self.api)
        if self.api == PRO:
            for name, value in (("bot_name", self.bot_name), ("user_name", self.user_name)):
                check_text(name, value)
                if not value.strip() or len(value) > MAX_NAME_CHARS:
                    raise ValidationError(name, "name_length", limit=MAX_NAME_CHARS)
                if not value.isprintable():  # a line break or a control character
                    raise ValidationError(name, "name_line")


@dataclass(frozen=True)
class Usage:
    """Token counts as MiniMax reports them (0 where it reports none)."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    reasoning_tokens: int = 0
    total_tokens: int = 0
    cached_tokens: int = 0  # prompt tokens read from MiniMax's cache (cheaper)
    cache_write_tokens: int = 0  # prompt tokens written to it (Anthropic-compatible only)

    def merged(self, later: Usage) -> Usage:
        """This usage updated by a later report: the later one's non-zero counts win, and the
        total is at least prompt + completion (Anthropic reports the two in separate events)."""
        values = {name: getattr(later, name) or getattr(self, name)
                  for name in self.__dataclass_fields__}
        values["total_tokens"] = max(values["total_tokens"],
                                     values["prompt_tokens"] + values["completion_tokens"])
        return Usage(**values)


@dataclass(frozen=True)
class Piece:
    """What one wire frame says, as a codec decodes it. `content` is new raw text to append;
    `full_content` is a frame that repeats the whole reply (used only to recover a tail we
    never received)."""

    content: str = ""
    reasoning: str = ""
    finish_reason: str = ""
    usage: Usage | None = None
    full_content: str | None = None
    sensitive: bool = False
    # The OpenAI-compatible endpoint's `reasoning_details`: their text so far (MiniMax's
    # examples treat it as cumulative) and the entries as sent, to send back next turn.
    reasoning_total: str | None = None
    details: tuple[JSON, ...] | None = None
    # Anthropic-compatible: a content block starting (its `content_block_start` object), a
    # piece of the open thinking block's signature, or the whole content of a reply body.
    block: JSON | None = None
    signature: str = ""
    blocks: tuple[JSON, ...] | None = None


@dataclass(frozen=True)
class TextDelta:
    """A piece of the answer, to append to what was shown."""

    text: str


@dataclass(frozen=True)
class ReasoningDelta:
    """A piece of the model's thinking, never part of the answer."""

    text: str


@dataclass(frozen=True)
class Finish:
    """The end of a reply: why it ended and everything a caller may keep about it.

    `raw_content` is the assistant turn to send back next time; `filtered` is MiniMax's
    "soft block" (status 0 but input or output flagged sensitive); `warning` is a non-fatal
    `status_msg` such as an unknown-field notice."""

    reason: str
    raw_content: str
    usage: Usage | None = None
    trace_id: str = ""
    warning: str = ""
    filtered: bool = False


@dataclass(frozen=True)
class Retrying:
    """Nothing came yet and MiniMax failed in a way worth retrying: the client waits `delay`
    seconds, then makes attempt `attempt` + 1 of at most `attempts`. `error` is the failure."""

    attempt: int
    attempts: int
    delay: float
    error: MiniMaxError


StreamEvent = TextDelta | ReasoningDelta | Usage | Finish | Retrying


@dataclass(frozen=True)
class ChatResult:
    """A whole reply from a non-streaming call (or a stream collected to its end)."""

    text: str
    reasoning: str
    finish: Finish

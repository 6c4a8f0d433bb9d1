"""Small immutable values shared by the client, the codecs, the emulator and the UI."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Union

from .errors import MiniMaxError, ValidationError
from .models import APIS, PRO, spec_for

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


@dataclass(frozen=True)
class Message:
    """One conversation turn. For an assistant turn, `content` is the raw reply as MiniMax
    sent it (an M2 `<think>…</think>` prefix included), because MiniMax asks to get it back."""

    role: str
    content: str

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValidationError("messages", "bad_role", allowed=ROLES, got=self.role)
        if not isinstance(self.content, str):
            raise ValidationError("messages", "not_text")
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
        if not self.messages[-1].content.strip():
            raise ValidationError("messages", "empty")
        check_text("system", self.system)
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


StreamEvent = Union[TextDelta, ReasoningDelta, Usage, Finish, Retrying]


@dataclass(frozen=True)
class ChatResult:
    """A whole reply from a non-streaming call (or a stream collected to its end)."""

    text: str
    reasoning: str
    finish: Finish

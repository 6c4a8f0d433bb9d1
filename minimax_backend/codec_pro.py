"""chatcompletion_pro: the legacy dialect with sender names, bot_setting and GroupId."""
from __future__ import annotations

from .errors import ResponseFormatError
from .turns import unpack
from .types import JSON, USER, ChatRequest, Piece, Usage

PATH = "/v1/text/chatcompletion_pro"

# bot_setting.content is required; this is the persona the seed how-to used.
DEFAULT_PERSONA = "MM智能助理是一款由MiniMax自研的大型语言模型。"


def encode(request: ChatRequest, stream: bool) -> JSON:
    """The JSON body; the system prompt becomes the bot_setting persona."""
    bot, user = request.bot_name, request.user_name
    return {
        "model": request.model,
        "messages": [
            {"sender_type": "USER", "sender_name": user, "text": m.content} if m.role == USER
            else {"sender_type": "BOT", "sender_name": bot, "text": _turn_text(m.content)}
            for m in request.messages
        ],
        "bot_setting": [{"bot_name": bot, "content": request.system.strip() or DEFAULT_PERSONA}],
        "reply_constraints": {"sender_type": "BOT", "sender_name": bot},
        "stream": stream,
        # The default of 256 cuts long answers.
        "tokens_to_generate": request.max_tokens,
        "temperature": request.temperature,
        "top_p": request.top_p,
        # Its default (true) turns e-mails, links and numbers into *** in a chat reply.
        "mask_sensitive_info": False,
    }


def _turn_text(raw: str) -> str:
    """An earlier answer as sent: unchanged, or its text if another dialect packed it."""
    turn = unpack(raw)
    return turn.answer if turn.api else turn.raw


def params(group_id: str) -> dict[str, str]:
    """pro needs the account's GroupId on the URL."""
    return {"GroupId": group_id}


def _usage(obj: JSON) -> Usage | None:
    usage = obj.get("usage")
    total = usage.get("total_tokens") if isinstance(usage, dict) else None
    return Usage(total_tokens=total) if isinstance(total, int) and total > 0 else None


def _choice(obj: JSON) -> tuple[JSON, str]:
    choices = obj.get("choices")
    if not choices:
        return {}, ""
    choice = choices[0] if isinstance(choices, list) else None
    if not isinstance(choice, dict):
        raise ResponseFormatError(f"unexpected choices: {str(choices)[:100]}")
    messages = choice.get("messages") or [{}]
    first = messages[0] if isinstance(messages, list) and isinstance(messages[0], dict) else {}
    text = first.get("text")
    return choice, text if isinstance(text, str) else ""


def _sensitive(obj: JSON) -> bool:
    return bool(obj.get("input_sensitive") or obj.get("output_sensitive"))


def decode_event(obj: JSON) -> Piece:
    """One stream event: new text until `finish_reason` appears; the final event repeats
    the whole text (in `reply` and in the message), which must not be appended."""
    choice, text = _choice(obj)
    finish = str(choice.get("finish_reason") or "")
    if not finish:
        return Piece(content=text, sensitive=_sensitive(obj))
    full = obj.get("reply") if isinstance(obj.get("reply"), str) and obj.get("reply") else text
    return Piece(finish_reason=finish, usage=_usage(obj), full_content=full,
                 sensitive=_sensitive(obj))


def decode_body(obj: JSON) -> Piece:
    """A non-streaming response body."""
    choice, text = _choice(obj)
    reply = obj.get("reply")
    if not choice and not isinstance(reply, str):
        raise ResponseFormatError("the response has no reply")
    return Piece(content=text or (reply if isinstance(reply, str) else ""),
                 finish_reason=str(choice.get("finish_reason") or "stop"),
                 usage=_usage(obj), sensitive=_sensitive(obj))

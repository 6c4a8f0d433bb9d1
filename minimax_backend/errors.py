"""One error tree for every way MiniMax says no, and one table that maps codes onto it.

MiniMax reports failures three ways: an HTTP status, `base_resp` in an HTTP-200 JSON body,
and `base_resp` in a stream event. All three go through `error_for_code` / `error_for_http`,
so a caller sees the same class, code, message and advice whichever way it arrived.
"""
from __future__ import annotations

import html
import json
import re


class MiniMaxError(Exception):
    """Base of all errors; keeps MiniMax's code and message, the HTTP status and the trace id."""

    kind = "error"
    advice_en = "Something went wrong. Try again later."
    advice_zh = "出现了错误，请稍后重试。"

    def __init__(self, message: str, *, code: int | None = None, http_status: int | None = None,
                 trace_id: str = "", advice_en: str = "", advice_zh: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.http_status = http_status
        self.trace_id = trace_id
        if advice_en:
            self.advice_en = advice_en
        if advice_zh:
            self.advice_zh = advice_zh

    def advice(self, lang: str = "zh") -> str:
        """What the user should do, in Chinese ("zh") or English."""
        return self.advice_zh if lang.startswith("zh") else self.advice_en

    def reference(self) -> str:
        """Code / HTTP status / trace id, for quoting to MiniMax support."""
        parts = []
        if self.code is not None:
            parts.append(f"MiniMax {self.code}")
        if self.http_status is not None and self.http_status != 200:
            parts.append(f"HTTP {self.http_status}")
        if self.trace_id:
            parts.append(f"Trace-Id {self.trace_id}")
        return ", ".join(parts)

    def __str__(self) -> str:
        ref = self.reference()
        return f"{self.message} ({ref})" if ref else self.message


class ValidationError(MiniMaxError, ValueError):
    """The request is invalid and was not sent; `field` names the culprit."""

    kind = "invalid_request"

    def __init__(self, field: str, message_en: str, message_zh: str) -> None:
        super().__init__(message_en, advice_en=message_en, advice_zh=message_zh)
        self.field = field


class AuthenticationError(MiniMaxError):
    kind = "auth"
    advice_en = ("The API key was refused. Check the key and GroupId, and the region: a key only "
                 "works on its own region's host (China: api.minimaxi.com, global: api.minimax.io).")
    advice_zh = ("API Key 无效。请检查 Key 和 GroupId，以及区域是否匹配：Key 只能在所属区域使用"
                 "（国内：api.minimaxi.com，海外：api.minimax.io）。")


class RateLimitError(MiniMaxError):
    kind = "rate_limit"
    advice_en = "Too many requests right now. Wait a few seconds and try again."
    advice_zh = "请求太频繁，请等几秒后重试。"


class QuotaError(MiniMaxError):
    kind = "quota"
    advice_en = "The account's balance or plan quota is used up. Top up or wait for the quota to reset."
    advice_zh = "账户余额或套餐额度已用完，请充值或等待额度恢复。"


class ContentFilteredError(MiniMaxError):
    kind = "content_filtered"
    advice_en = "MiniMax's content filter blocked this. Rephrase the message and try again."
    advice_zh = "内容被 MiniMax 的安全审核拦截，请换一种说法再试。"


class ContextTooLongError(MiniMaxError):
    kind = "too_long"
    advice_en = "Too many tokens: shorten the conversation (start a new chat) or wait a minute."
    advice_zh = "token 数超出限制：请缩短对话（可新建对话）或稍等一分钟再试。"


class BadRequestError(MiniMaxError):
    kind = "bad_request"
    advice_en = "MiniMax rejected the request's parameters. Check the model and settings."
    advice_zh = "MiniMax 拒绝了请求参数，请检查模型和参数设置。"


class ServerError(MiniMaxError):
    kind = "server"
    advice_en = "MiniMax's service had a problem. Try again in a moment."
    advice_zh = "MiniMax 服务出现问题，请稍后重试。"


class ResponseFormatError(ServerError):
    """The upstream sent something that is not MiniMax's JSON (malformed event, HTML page)."""

    kind = "bad_response"
    advice_en = "The reply from the server could not be read. Try again; if it persists, check the base URL."
    advice_zh = "无法解析服务器的回复。请重试；如持续出现，请检查 Base URL 设置。"


class APITimeoutError(MiniMaxError):
    kind = "timeout"
    advice_en = "MiniMax took too long to answer. Try again."
    advice_zh = "MiniMax 响应超时，请重试。"


class APIConnectionError(MiniMaxError):
    kind = "connection"
    advice_en = "Could not reach MiniMax, or the connection dropped. Check the network and try again."
    advice_zh = "无法连接 MiniMax，或连接中断。请检查网络后重试。"


# code -> (class, advice in English, advice in Chinese); "" keeps the class's advice.
_REGION_EN = " A key sent to the other region's host fails like this: try the other region."
_REGION_ZH = "Key 发到另一区域的地址也会这样报错：请尝试切换区域。"
CODES: dict[int, tuple[type[MiniMaxError], str, str]] = {
    1000: (ServerError, "", ""),
    1013: (ServerError, "", ""),
    1024: (ServerError, "", ""),
    1033: (ServerError, "", ""),
    1001: (APITimeoutError, "", ""),
    1002: (RateLimitError, "", ""),
    1004: (AuthenticationError, AuthenticationError.advice_en + _REGION_EN,
           AuthenticationError.advice_zh + _REGION_ZH),
    1008: (QuotaError, "The account balance is too low. Top up your MiniMax account.",
           "账户余额不足，请为 MiniMax 账户充值。"),
    1026: (ContentFilteredError, "Your message was flagged as sensitive. Rephrase it and try again.",
           "输入内容被判定为敏感，请修改后重试。"),
    1027: (ContentFilteredError, "The reply was blocked by MiniMax's content filter. Try asking differently.",
           "回复内容被 MiniMax 安全审核拦截，请换个问题或说法。"),
    1039: (ContextTooLongError, "", ""),
    1041: (RateLimitError, "Too many connections at once. Try again in a moment.",
           "同时连接数过多，请稍后重试。"),
    1042: (BadRequestError, "The message has too many invisible characters. Clean it and resend.",
           "消息中不可见字符过多，请清理后重新发送。"),
    2013: (BadRequestError, "", ""),
    2045: (RateLimitError, "Requests are growing too fast. Slow down and retry shortly.",
           "请求量增长过快，请放慢速度稍后重试。"),
    2049: (AuthenticationError, AuthenticationError.advice_en + _REGION_EN,
           AuthenticationError.advice_zh + _REGION_ZH),
    2056: (QuotaError, "The plan's usage limit is reached. Wait for the quota to reset or upgrade.",
           "已超出套餐用量上限，请等待额度恢复或升级套餐。"),
    2061: (BadRequestError, "Your plan does not include this model. Choose another model.",
           "当前套餐不支持该模型，请选择其他模型。"),
}
# Retried before any output: the request was refused as a whole and may pass a moment later.
RETRYABLE_CODES = frozenset({1002, 1041})


def error_for_code(code: int, message: str, *, http_status: int | None = 200,
                   trace_id: str = "") -> MiniMaxError:
    """The error for a non-zero `base_resp.status_code`."""
    cls, en, zh = CODES.get(code, (MiniMaxError, "", ""))
    return cls(message or f"MiniMax error {code}", code=code, http_status=http_status,
               trace_id=trace_id, advice_en=en, advice_zh=zh)


def check_base_resp(obj: object, *, http_status: int | None = 200, trace_id: str = "") -> str:
    """Raise for an error in `base_resp`; return its warning text (code 0, non-empty msg)."""
    base = obj.get("base_resp") if isinstance(obj, dict) else None
    if not isinstance(base, dict):
        return ""
    code = base.get("status_code") or 0
    message = str(base.get("status_msg") or "")
    if code:
        try:
            code = int(code)
        except (TypeError, ValueError):
            raise ResponseFormatError(f"unreadable status_code {code!r}", http_status=http_status,
                                      trace_id=trace_id) from None
        raise error_for_code(code, message, http_status=http_status, trace_id=trace_id)
    return message


_HTTP = {401: AuthenticationError, 403: AuthenticationError, 408: APITimeoutError,
         413: ContextTooLongError, 429: RateLimitError}


def error_for_http(status: int, body: str, *, trace_id: str = "") -> MiniMaxError:
    """The error for a non-200 HTTP answer; a MiniMax `base_resp` in the body wins."""
    try:
        check_base_resp(json.loads(body), http_status=status, trace_id=trace_id)
    except MiniMaxError as err:
        return err
    except ValueError:
        pass
    cls = _HTTP.get(status) or (ServerError if status >= 500 else BadRequestError)
    return cls(f"HTTP {status}: {summarize_body(body)}", http_status=status, trace_id=trace_id)


def summarize_body(body: str, limit: int = 200) -> str:
    """A one-line, tag-free summary of an error body: a gateway's HTML page becomes its title."""
    title = re.search(r"<title[^>]*>(.*?)</title>", body, re.I | re.S)
    text = title.group(1) if title else re.sub(r"<[^>]+>", " ", body)
    text = " ".join(html.unescape(text).split())
    return (text[:limit] + "…") if len(text) > limit else (text or "(empty body)")

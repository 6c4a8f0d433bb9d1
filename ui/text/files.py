"""What a visitor reads about conversation files: why an import was refused, and the
headings of a Markdown transcript, in Chinese and English."""
from __future__ import annotations

from .strings import EN, ZH

_NOT_IMPORTABLE = {EN: "Not a conversation file this app can import: ", ZH: "无法导入该文件："}


def _not_importable(en: str, zh: str) -> dict[str, str]:
    return {EN: _NOT_IMPORTABLE[EN] + en, ZH: _NOT_IMPORTABLE[ZH] + zh}


# By reason code (`ui.conversations.export.FormatError`); values are filled in with `format`.
FILE_REFUSALS: dict[str, dict[str, str]] = {
    "not_text": _not_importable("“{name}” must be text", "“{name}” 必须是文本"),
    "too_long": _not_importable("“{name}” is longer than {limit} characters", "“{name}” 超过 {limit} 个字符"),
    "not_unit": _not_importable("“{name}” must be a number greater than 0 and at most 1",
                                "“{name}” 必须是大于 0 且不超过 1 的数字"),
    "settings_type": _not_importable("“settings” must be an object", "“settings” 必须是对象"),
    "api": _not_importable("“settings.api” must be one of {allowed}", "“settings.api” 必须是 {allowed} 之一"),
    "no_model": _not_importable("“settings.model” is empty", "“settings.model” 为空"),
    "max_tokens": _not_importable("“settings.max_tokens” must be a whole number from 1 to {limit}",
                                  "“settings.max_tokens” 必须是 1 到 {limit} 之间的整数"),
    "note": _not_importable("“{where}.note” must be {{kind: info|error, lines: [text]}}",
                            "“{where}.note” 必须是 {{kind: info|error, lines: [文本]}}"),
    "at": _not_importable("“{name}” must be a UTC time like 2026-11-30T21:30:05Z",
                          "“{name}” 必须是 UTC 时间，例如 2026-11-30T21:30:05Z"),
    "usage": _not_importable("“{name}” must be {{prompt, completion, …: whole numbers, model, region: cn|global}}",
                             "“{name}” 必须是 {{prompt、completion 等整数, model, region: cn|global}}"),
    "one_of": _not_importable("“{name}” must be one of {allowed}", "“{name}” 必须是 {allowed} 之一"),
    "images": _not_importable("“{where}.images” must be a list of at most {limit} lines",
                              "“{where}.images” 必须是最多 {limit} 行文本的列表"),
    "messages_type": _not_importable("“messages” must be a list", "“messages” 必须是列表"),
    "too_many_messages": _not_importable("more than {limit} messages", "消息超过 {limit} 条"),
    "role": _not_importable("“{where}” needs role user or assistant",
                            "“{where}” 的 role 必须是 user 或 assistant"),
    "conversation_too_long": _not_importable("the conversation is too long", "对话太长"),
    "format": _not_importable("“format” must be “{format}”", "“format” 必须是 “{format}”"),
    "version": _not_importable("version {got!r} is not supported (this app reads {supported})",
                               "不支持版本 {got!r}（本应用支持 {supported}）"),
    "file_too_big": _not_importable("the file is larger than {mb} MB", "文件超过 {mb} MB"),
    "not_json": _not_importable("it is not UTF-8 JSON", "文件不是 UTF-8 编码的 JSON"),
    # before the file is read: said plainly
    "file_missing": {EN: "the file is missing or larger than {mb} MB", ZH: "文件不存在或超过 {mb} MB"},
}


def file_refusal(reason: str, lang: str, **values: object) -> str:
    """Why a file was refused, in `lang` (Chinese for "zh", else English)."""
    return FILE_REFUSALS[reason][ZH if lang == ZH else EN].format(**values)


def refusal_detail(reason: str, lang: str, **values: object) -> str:
    """`file_refusal` without its opening words (for a file of another kind to say)."""
    return file_refusal(reason, lang, **values).removeprefix(_NOT_IMPORTABLE[ZH if lang == ZH else EN])


# The headings of a conversation exported as Markdown.
TRANSCRIPT_LABELS = {
    ZH: {"user": "🧑 用户", "assistant": "🤖 助手", "thinking": "💭 思考过程", "settings": "设置",
         "system": "系统提示词", "untitled": "对话",
         "images": "附图（未保存图片本身）"},
    EN: {"user": "🧑 User", "assistant": "🤖 Assistant", "thinking": "💭 Thinking",
         "settings": "Settings", "system": "System prompt", "untitled": "Conversation",
         "images": "images attached (not kept)"},
}

"""What a visitor is told when something fails or is refused, in Chinese and English.

The backend's errors carry facts only (a kind, MiniMax's code, a field, a reason code and its
values); the words a visitor reads for each are chosen here. `advice` words any `MiniMaxError`,
`refusal` one reason code (a limit, a bad field) with its values.
"""
from __future__ import annotations

from minimax_backend import MiniMaxError, ValidationError

from .strings import EN, ZH

Words = dict[str, str]  # language -> text, a `str.format` template where it has values

# By the error's `kind`: what to do about each sort of failure.
BY_KIND: dict[str, Words] = {
    "error": {EN: "Something went wrong. Try again later.",
              ZH: "出现了错误，请稍后重试。"},
    "auth": {EN: "The API key was refused. Check the key and GroupId, and the region: a key only "
                 "works on its own region's host (China: api.minimaxi.com, global: api.minimax.io).",
             ZH: "API Key 无效。请检查 Key 和 GroupId，以及区域是否匹配：Key 只能在所属区域使用"
                 "（国内：api.minimaxi.com，海外：api.minimax.io）。"},
    "rate_limit": {EN: "Too many requests right now. Wait a few seconds and try again.",
                   ZH: "请求太频繁，请等几秒后重试。"},
    "quota": {EN: "The account's balance or plan quota is used up. Top up or wait for the quota to reset.",
              ZH: "账户余额或套餐额度已用完，请充值或等待额度恢复。"},
    "content_filtered": {EN: "MiniMax's content filter blocked this. Rephrase the message and try again.",
                         ZH: "内容被 MiniMax 的安全审核拦截，请换一种说法再试。"},
    "too_long": {EN: "Too many tokens: shorten the conversation (start a new chat) or wait a minute.",
                 ZH: "token 数超出限制：请缩短对话（可新建对话）或稍等一分钟再试。"},
    "bad_request": {EN: "MiniMax rejected the request's parameters. Check the model and settings.",
                    ZH: "MiniMax 拒绝了请求参数，请检查模型和参数设置。"},
    "server": {EN: "MiniMax's service had a problem. Try again in a moment.",
               ZH: "MiniMax 服务出现问题，请稍后重试。"},
    "bad_response": {EN: "The reply from the server could not be read. Try again; if it persists, "
                         "check the base URL.",
                     ZH: "无法解析服务器的回复。请重试；如持续出现，请检查 Base URL 设置。"},
    "timeout": {EN: "MiniMax took too long to answer. Try again.",
                ZH: "MiniMax 响应超时，请重试。"},
    "connection": {EN: "Could not reach MiniMax, or the connection dropped. Check the network and try again.",
                   ZH: "无法连接 MiniMax，或连接中断。请检查网络后重试。"},
}

_OTHER_REGION = {
    EN: BY_KIND["auth"][EN] + " A key sent to the other region's host fails like this: try the other region.",
    ZH: BY_KIND["auth"][ZH] + "Key 发到另一区域的地址也会这样报错：请尝试切换区域。",
}
# By MiniMax's code, where it says more than its kind.
BY_CODE: dict[int, Words] = {
    1004: _OTHER_REGION,
    2049: _OTHER_REGION,
    1008: {EN: "The account balance is too low. Top up your MiniMax account.",
           ZH: "账户余额不足，请为 MiniMax 账户充值。"},
    1026: {EN: "Your message was flagged as sensitive. Rephrase it and try again.",
           ZH: "输入内容被判定为敏感，请修改后重试。"},
    1027: {EN: "The reply was blocked by MiniMax's content filter. Try asking differently.",
           ZH: "回复内容被 MiniMax 安全审核拦截，请换个问题或说法。"},
    1041: {EN: "Too many connections at once. Try again in a moment.",
           ZH: "同时连接数过多，请稍后重试。"},
    1042: {EN: "The message has too many invisible characters. Clean it and resend.",
           ZH: "消息中不可见字符过多，请清理后重新发送。"},
    2045: {EN: "Requests are growing too fast. Slow down and retry shortly.",
           ZH: "请求量增长过快，请放慢速度稍后重试。"},
    2056: {EN: "The plan's usage limit is reached. Wait for the quota to reset or upgrade.",
           ZH: "已超出套餐用量上限，请等待额度恢复或升级套餐。"},
    2061: {EN: "Your plan does not include this model. Choose another model.",
           ZH: "当前套餐不支持该模型，请选择其他模型。"},
}

_BAD_HISTORY = {EN: "The chat history is malformed. Press “New chat” to start over.",
                ZH: "对话记录格式不正确，请点击“新对话”重新开始。"}


def _bad_history(detail: str) -> Words:
    """A malformed history: the English names what is wrong, the Chinese does not."""
    return {EN: f"{_BAD_HISTORY[EN]} ({detail})", ZH: _BAD_HISTORY[ZH]}


# By reason code: why a request was refused before it was sent (`ValidationError.reason`,
# `LimitExceeded.what`). `{field}` is the field's name; the other values come with the reason.
REFUSALS: dict[str, Words] = {
    # a request the backend refuses (minimax_backend.errors.REASONS)
    "bad_role": {EN: "role must be one of {allowed}, got {got!r}", ZH: "角色必须是 {allowed} 之一，收到 {got!r}"},
    "not_text": {EN: "message content must be text", ZH: "消息内容必须是文本"},
    "unit_interval": {EN: "{field} must be greater than 0 and at most 1 (got {got!r})",
                      ZH: "{field} 必须大于 0 且不超过 1（当前为 {got!r}）"},
    "unknown_api": {EN: "api must be one of {allowed} (got {got!r})",
                    ZH: "API 类型必须是 {allowed} 之一（当前为 {got!r}）"},
    "no_model": {EN: "choose a model", ZH: "请选择模型"},
    "wrong_api": {EN: "{model} is not served by the {api} API; choose a model of that API or switch the API",
                  ZH: "{api} 接口不提供 {model}，请换用该接口的模型或切换接口"},
    "token_range": {EN: "max_tokens must be a whole number from 1 to {limit} for {model} (got {got!r})",
                    ZH: "{model} 的最大输出 token 数必须是 1 到 {limit} 之间的整数（当前为 {got!r}）"},
    "not_last_user": {EN: "the conversation must end with a user message", ZH: "对话必须以用户消息结尾"},
    "empty": {EN: "the message is empty", ZH: "消息不能为空"},
    "name_length": {EN: "{field} must be 1 to {limit} characters", ZH: "{field} 必须为 1 到 {limit} 个字符"},
    "name_line": {EN: "{field} must be on one line, without control characters",
                  ZH: "{field} 必须写在一行内，不能含控制字符"},
    "model_name": {EN: "a model name is 1 to {limit} letters, digits and . _ - : / (like MiniMax-M2.7)",
                   ZH: "模型名称只能由字母、数字和 . _ - : / 组成，最多 {limit} 个字符（例如 MiniMax-M2.7）"},
    "not_unicode": {EN: "{field} contains characters that are not valid text (a lone UTF-16 surrogate); "
                        "retype it",
                    ZH: "{field} 含有无效字符（孤立的 UTF-16 代理项），请重新输入"},
    "one_of": {EN: "{field} must be one of {allowed} (got {got!r})",
               ZH: "{field} 必须是 {allowed} 之一（当前为 {got!r}）"},
    "digits": {EN: "{field} must be digits", ZH: "{field} 必须是数字"},
    "missing_key": {EN: "no MiniMax API key: set {field}", ZH: "未设置 MiniMax API Key：请设置 {field}"},
    "needs_group_id": {EN: "the pro API needs your GroupId: set {field}", ZH: "pro 接口需要 GroupId：请设置 {field}"},
    "image_type": {EN: "images must be one of {allowed} (got {got!r})",
                   ZH: "图片格式必须是 {allowed} 之一（当前为 {got!r}）"},
    "image_empty": {EN: "an image is empty", ZH: "有一张图片是空的"},
    "image_role": {EN: "only a user message can carry images", ZH: "只有用户消息可以附带图片"},
    "no_images": {EN: "{model} does not take images on the {api} API, so nothing was sent. Choose a "
                      "model that does (MiniMax-M3, not on pro) and press Retry, or send the message "
                      "again without its images.",
                  ZH: "{model} 在 {api} 接口上不支持图片输入，消息未发送。请换用支持图片的模型"
                      "（MiniMax-M3，pro 接口除外）后点击“重试”，或去掉图片后重新发送。"},
    # images attached on the page (ui.protect.images)
    "image_bytes": {EN: "{name} is over {limit} MB; attach a smaller image",
                    ZH: "{name} 超过 {limit} MB，请附加更小的图片"},
    "image_format": {EN: "{name} is not an image this chat takes ({formats})",
                     ZH: "{name} 不是本聊天支持的图片格式（{formats}）"},
    "image_pixels": {EN: "{name} has too many pixels (over {limit} megapixels); attach a smaller image",
                     ZH: "{name} 像素过多（超过 {limit} 百万像素），请附加更小的图片"},
    "image_broken": {EN: "{name} could not be read as an image", ZH: "无法把 {name} 读取为图片"},
    "image_count": {EN: "at most {limit} images per message", ZH: "每条消息最多 {limit} 张图片"},
    "thinking_fixed": {EN: "{model} always thinks; its thinking cannot be turned off",
                       ZH: "{model} 总是会先思考，无法关闭思考"},
    # the page's fields
    "not_a_number": {EN: "{field} must be a number", ZH: "{field} 必须是数字"},
    "not_whole": {EN: "{field} must be a whole number", ZH: "{field} 必须是整数"},
    "system_too_long": {EN: "the system prompt is over {limit} characters", ZH: "系统提示词超过 {limit} 个字符"},
    "field_text": {EN: "{field} must be text", ZH: "{field} 必须是文本"},
    "too_many_chars": {EN: "{field} is over {limit} characters", ZH: "{field} 超过 {limit} 个字符"},
    "key_shape": {EN: "that does not look like a MiniMax key: paste it again",
                  ZH: "这看起来不是 MiniMax 的 Key，请重新粘贴"},
    "group_id_digits": {EN: "the GroupId is digits only", ZH: "GroupId 只能是数字"},
    # the chat history, which comes back from the browser
    "history_not_list": {EN: "the chat history must be a list", ZH: "对话记录必须是列表"},
    "message_role": {EN: "each message needs role user or assistant", ZH: "每条消息的角色必须是 user 或 assistant"},
    "history_type": _bad_history("history must be a list"),
    "history_role": _bad_history("each item needs role user or assistant"),
    "history_content": _bad_history("content must be a list of blocks"),
    "history_block": _bad_history("a content block must be an object"),
    "history_text": _bad_history("a text block needs a string"),
    "history_end": _bad_history("the last message must be the user's"),
    "history_too_long": {EN: "The conversation is too long (over {limit} characters). "
                             "Press “New chat” to start over.",
                         ZH: "对话太长了（超过 {limit} 个字符），请点击“新对话”重新开始。"},
    # per-visitor limits (ui.protect.guard), and their settings
    "messages": {EN: "⏳ Too many messages (at most {limit} per minute per visitor). Try again in "
                     "{seconds} s; your chat is kept.",
                 ZH: "⏳ 消息发送得太频繁了（每位访客每分钟最多 {limit} 条）。请在 {seconds} 秒后重试，"
                     "你的对话已保留。"},
    "tokens": {EN: "⏳ You have used this demo's budget of {limit} tokens per hour per visitor. "
                   "Try again in {seconds} s; your chat is kept.",
               ZH: "⏳ 已用完本演示每位访客每小时 {limit} 个 token 的额度。请在 {seconds} 秒后重试，"
                   "你的对话已保留。"},
    "counts_down": {EN: "⏳ The app cannot check its usage limits right now (its shared counter is "
                        "unreachable), so the message was not sent. Try again in {seconds} s; your "
                        "chat is kept.",
                    ZH: "⏳ 暂时无法核对使用限制（共享计数服务无法连接），消息未发送。请在 {seconds} 秒后"
                        "重试，你的对话已保留。"},
    "message_chars": {EN: "The message is too long (at most {limit} characters). Shorten it and send again.",
                      ZH: "消息太长了（最多 {limit} 个字符），请缩短后重新发送。"},
    "history_chars": {EN: "The conversation is too long (at most {limit} characters). "
                          "Press “New chat” to start over.",
                      ZH: "对话太长了（最多 {limit} 个字符），请点击“新对话”重新开始。"},
    "history_turns": {EN: "The conversation has too many turns (at most {limit}). "
                          "Press “New chat” to start over.",
                      ZH: "对话轮数太多（最多 {limit} 轮），请点击“新对话”重新开始。"},
    "whole_at_least": {EN: "{field} must be a whole number ≥ {minimum} (got {got!r})",
                       ZH: "{field} 必须是不小于 {minimum} 的整数（当前为 {got!r}）"},
    "whole_in_range": {EN: "{field} must be a whole number from {minimum} to {maximum} (got {got!r})",
                       ZH: "{field} 必须是 {minimum} 到 {maximum} 之间的整数（当前为 {got!r}）"},
    "setting": {EN: "{field} must be {expected} (got {got!r})",
                ZH: "{field} 的值无效，应为：{expected}（当前为 {got!r}）"},
    "auth_format": {EN: 'APP_AUTH must look like "user:password,user2:password2"',
                    ZH: 'APP_AUTH 的格式应为 "user:password,user2:password2"'},
}


def _lang(lang: str) -> str:
    return ZH if lang.startswith(ZH) else EN


def refusal(reason: str, lang: str, **values: object) -> str:
    """Why a request was refused, in `lang`, with the reason's values filled in."""
    return REFUSALS[reason][_lang(lang)].format(**values)


def refused(field: str, reason: str, **values: object) -> ValidationError:
    """The error for a request the app refuses itself (a reason of `REFUSALS` the backend
    does not know), with its English words as its message, for logs and the host's terminal."""
    err = ValidationError(field, reason, **values)
    err.message = refusal(reason, EN, field=field, **values)
    err.args = (err.message,)
    return err


def advice(err: MiniMaxError, lang: str) -> str:
    """What the visitor should do about `err`, in `lang` ("zh…" is Chinese, else English)."""
    if isinstance(err, ValidationError):
        if err.reason not in REFUSALS:  # a reason worded nowhere yet: the developer's English
            return err.message
        return refusal(err.reason, lang, field=err.field, **err.facts)
    words = BY_CODE.get(err.code) if err.code is not None else None
    return (words or BY_KIND.get(err.kind) or BY_KIND["error"])[_lang(lang)]

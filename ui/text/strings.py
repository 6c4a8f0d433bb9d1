"""The page's texts and messages, in Chinese and English, and how to pick the language.

Control labels go through `gr.I18n` (the browser translates them; keys start with `mm_` so
they never meet gradio's own, e.g. its "chatbot" namespace); messages produced while a
request runs (errors, notes, the offline banner) are picked from the `Accept-Language` header.
"""
from __future__ import annotations

from typing import Any

import gradio as gr
from gradio.components.chatbot import ExampleMessage

from . import choices, cost_words, persona_words, routes, search_words, share_words

ZH, EN = "zh", "en"

CONTROLS = {
    EN: {
        "mm_title": "# 💬 MiniMax Chat",
        "mm_subtitle": "Chat with MiniMax's text models. Replies stream in; the model's thinking is folded away.",
        "mm_placeholder": "**Ask anything.** Enter sends, Shift+Enter adds a line.<br>Pick a starter below, or type your own.",
        "mm_input": "Your message",
        "mm_input_placeholder": "Type a message…",
        "mm_send": "Send ➤",
        "mm_stop": "⏹ Stop",
        "mm_new_chat": "🧹 New chat",
        "mm_open_chats": "💬 Chats",
        "mm_open_settings": "⚙️ Settings",
        "mm_chats_panel": "Conversations",
        "mm_settings_panel": "Settings and your own key",
        "mm_skip_to_input": "Skip to the message box",
        "mm_settings": "⚙️ Settings (apply to the next message)",
        "mm_api_mode": "API",
        "mm_region": "Region",
        "mm_region_info": "Where requests go, with the server's key or your own. A key only works in its own region.",
        "mm_model": "Model",
        "mm_model_info": "The list depends on the API. You may type a newer model name.",
        "mm_system": "System prompt",
        "mm_system_info": "Instructions the model follows for the whole chat (pro: the bot's persona).",
        "mm_system_placeholder": "e.g. You are a concise assistant that answers in English.",
        "mm_temperature": "Temperature",
        "mm_temperature_info": "Higher = more varied, lower = more focused. MiniMax allows (0, 1].",
        "mm_top_p": "Top-p",
        "mm_top_p_info": "Sample only from the most likely words that add up to this share. (0, 1].",
        "mm_max_tokens": "Max tokens",
        "mm_max_tokens_info": "Longest reply allowed (thinking included); the maximum depends on the model.",
        "mm_bot_name": "Bot name (pro)",
        "mm_bot_name_info": "The name the assistant speaks under in the pro API.",
        "mm_user_name": "User name (pro)",
        "mm_user_name_info": "The name your messages are sent under in the pro API.",
        "mm_reset": "↺ Reset to the model's defaults",
        "mm_chat": "Chat",
        "mm_conversations": "💬 Conversations",
        "mm_stored_locally": "🔒 Chats are stored only in this browser, never on the server: another browser or device won't see them, and clearing this site's data deletes them.",
        "mm_rename_box": "New title for the open chat",
        "mm_rename": "✏️ Rename",
        "mm_delete": "🗑️ Delete this chat",
        "mm_export_options": "Markdown includes",
        "mm_export_thinking": "Thinking (folded)",
        "mm_export_usage": "Usage and notes",
        "mm_export_md": "⬇️ Markdown",
        "mm_export_json": "⬇️ JSON",
        "mm_import_json": "⬆️ Import JSON",
        "mm_own_key_title": "🔑 Use your own key",
        "mm_own_key_info": "Paste your own MiniMax key to chat with your account. It is used only for your requests in this tab: never stored on the server, never logged, never shown again. Pick the key's region above (platform.minimaxi.com → China, platform.minimax.io → Global).",
        "mm_own_key": "Your MiniMax API key (this session only)",
        "mm_own_key_placeholder": "Paste your key…",
        "mm_own_group_id": "GroupId (pro API only)",
        "mm_own_group_id_info": "Digits from your account page; the v2 API doesn't need it.",
        "mm_test_key": "🔌 Test key",
    },
    ZH: {
        "mm_title": "# 💬 MiniMax 聊天",
        "mm_subtitle": "与 MiniMax 文本模型对话。回复实时显示，模型的思考过程会自动折叠。",
        "mm_placeholder": "**有问题尽管问。** 按 Enter 发送，Shift+Enter 换行。<br>可以点下面的示例，也可以直接输入。",
        "mm_input": "你的消息",
        "mm_input_placeholder": "输入消息…",
        "mm_send": "发送 ➤",
        "mm_stop": "⏹ 停止",
        "mm_new_chat": "🧹 新对话",
        "mm_open_chats": "💬 对话",
        "mm_open_settings": "⚙️ 设置",
        "mm_chats_panel": "对话列表",
        "mm_settings_panel": "设置和自己的 Key",
        "mm_skip_to_input": "跳到输入框",
        "mm_settings": "⚙️ 设置（对下一条消息生效）",
        "mm_api_mode": "接口",
        "mm_region": "区域",
        "mm_region_info": "请求（使用服务器的 Key 或你自己的 Key）发往哪个区域。Key 只能在所属区域使用。",
        "mm_model": "模型",
        "mm_model_info": "可选模型取决于接口；也可以直接输入更新的模型名。",
        "mm_system": "系统提示词",
        "mm_system_info": "模型在整个对话中遵循的指令（pro 接口中为机器人人设）。",
        "mm_system_placeholder": "例如：你是一个简洁的助手，请用中文回答。",
        "mm_temperature": "温度 Temperature",
        "mm_temperature_info": "越高越发散，越低越稳定。MiniMax 允许 (0, 1]。",
        "mm_top_p": "Top-p",
        "mm_top_p_info": "只从累计概率达到该值的候选词中采样。取值 (0, 1]。",
        "mm_max_tokens": "最大输出 token 数",
        "mm_max_tokens_info": "回复（含思考过程）的最大长度，上限取决于模型。",
        "mm_bot_name": "机器人名称（pro）",
        "mm_bot_name_info": "pro 接口中助手的名字。",
        "mm_user_name": "用户名称（pro）",
        "mm_user_name_info": "pro 接口中你的消息使用的名字。",
        "mm_reset": "↺ 恢复该模型的默认设置",
        "mm_chat": "对话",
        "mm_conversations": "💬 对话列表",
        "mm_stored_locally": "🔒 聊天记录只保存在此浏览器中，不会保存到服务器：换一个浏览器或设备看不到，清除本网站数据后会被删除。",
        "mm_rename_box": "给当前对话起个新标题",
        "mm_rename": "✏️ 重命名",
        "mm_delete": "🗑️ 删除当前对话",
        "mm_export_options": "Markdown 中包含",
        "mm_export_thinking": "思考过程（折叠）",
        "mm_export_usage": "用量和提示",
        "mm_export_md": "⬇️ Markdown",
        "mm_export_json": "⬇️ JSON",
        "mm_import_json": "⬆️ 导入 JSON",
        "mm_own_key_title": "🔑 使用自己的 Key",
        "mm_own_key_info": "粘贴你自己的 MiniMax Key，用你的账户对话。它只用于你在此页面中的请求：不会保存到服务器，不会写入日志，也不会再显示出来。请在上方选择 Key 所属的区域（platform.minimaxi.com → 中国大陆，platform.minimax.io → 海外）。",
        "mm_own_key": "你的 MiniMax API Key（仅本次会话）",
        "mm_own_key_placeholder": "粘贴 Key…",
        "mm_own_group_id": "GroupId（仅 pro 接口需要）",
        "mm_own_group_id_info": "账户信息页上的一串数字；v2 接口不需要。",
        "mm_test_key": "🔌 测试 Key",
        # gradio's own chat strings that its zh-CN bundle lacks (its English bundle has them)
        "chatbot.copy_message": "复制消息",
        "chatbot.copied_message": "已复制",
        "chatbot.complete": "完成",
        "common.download_all": "全部下载",
    },
}
for _lang in (EN, ZH):  # the settings panel's words on APIs, thinking, images and keys
    CONTROLS[_lang].update(choices.CONTROLS[_lang])
    CONTROLS[_lang].update(routes.CONTROLS[_lang])
    CONTROLS[_lang].update(persona_words.CONTROLS[_lang])
    CONTROLS[_lang].update(share_words.CONTROLS[_lang])
    CONTROLS[_lang].update(search_words.CONTROLS[_lang])
# Browsers report zh-CN / zh-TW; gradio matches the exact locale first.
I18N = gr.I18n(en=CONTROLS[EN], zh=CONTROLS[ZH], **{"zh-CN": CONTROLS[ZH], "zh-TW": CONTROLS[ZH]})


def tr(key: str) -> Any:
    """A control's text, translated in the browser (an `I18nData`: gradio takes it wherever it
    takes a label's str, though its type hints say str)."""
    return I18N("mm_" + key)


# MiniMax's two regions, named in both languages at once (a choice and the key test's answer).
REGION_NAMES = {"cn": "中国大陆 China", "global": "海外 Global"}

MESSAGES = {
    "thinking": {ZH: "💭 思考过程", EN: "💭 Thinking"},
    "stopped": {ZH: "（已停止）", EN: "(stopped)"},
    "waiting": {ZH: "⏳ 正在等待 MiniMax 回复…", EN: "⏳ Waiting for MiniMax…"},
    "in_line": {ZH: "🚦 使用的人很多，你在排队：第 {position} 位，预计约 {seconds} 秒后开始回复。",
                EN: "🚦 Many people are chatting: you are number {position} in line; your reply should start in about {seconds} s."},
    "in_line_unknown": {ZH: "🚦 使用的人很多，你在排队：第 {position} 位。第一批回复完成后会显示预计等待时间。",
                        EN: "🚦 Many people are chatting: you are number {position} in line. An estimate of the wait shows once the first replies are done."},
    "line_full": {ZH: "🚦 现在使用的人太多，排队已满（{waiting} 人在等）。请过几分钟再来。",
                  EN: "🚦 Too many people are chatting right now: the line is full ({waiting} waiting). Please come back in a few minutes."},
    "kept_in_box": {ZH: "你的消息还在输入框里，稍后按 Enter 即可再次发送。",
                    EN: "Your message is still in the box: press Enter to send it again later."},
    "retrying": {ZH: "⏳ MiniMax 暂时没有响应（{reason}），{seconds} 秒后自动重试（第 {attempt}/{retries} 次）…",
                 EN: "⏳ MiniMax did not answer ({reason}); retrying in {seconds} s (retry {attempt} of {retries})…"},
    "account_wait": {ZH: "⏳ 正在等待本站 MiniMax 账户空出名额，约 {seconds} 秒…",
                     EN: "⏳ Waiting for a free slot on the host's MiniMax account, about {seconds} s…"},
    "account_busy": {ZH: "本站的 MiniMax 账户太忙：等了 {seconds} 秒仍没有空出名额。你的消息还在，请过一分钟再发送（↻ 重试）。",
                     EN: "The host's MiniMax account is too busy: no slot came free within {seconds} s. "
                         "Your message is kept; send it again in a minute (↻ Retry)."},
    "host_side": {ZH: "如果你只是访问这个页面：这需要运行此应用的人来处理，请告诉分享页面给你的人。",
                  EN: "If you are only visiting this page: this needs the person who runs the app; "
                      "tell whoever shared it with you."},
    "network": {ZH: "连接失败", EN: "connection failed"},
    "length": {ZH: "回复达到了最大输出 token 数，被截断。可以在设置里调大“最大输出 token 数”。",
               EN: "The reply hit the max-tokens limit and was cut. Raise “Max tokens” in Settings."},
    "length_budget": {ZH: "⏳ 回复被截断：本演示每位访客每小时的 token 额度只剩这么多。过一会儿额度恢复后可以继续。",
                      EN: "⏳ The reply was cut: that was all that was left of this demo's hourly token "
                          "budget per visitor. It refills over the hour; continue later."},
    "filtered": {ZH: "🛡️ 内容被 MiniMax 安全审核过滤，回复可能为空或不完整。请换个说法再试。",
                 EN: "🛡️ MiniMax's content filter blocked this: the reply may be empty or cut. Try rephrasing."},
    "empty": {ZH: "模型没有返回任何内容，请重试或换个说法。",
              EN: "The model returned nothing. Try again or rephrase."},
    "cut_off": {ZH: "回复意外中断，请重试。", EN: "The reply ended unexpectedly. Try again."},
    "cut_by_reload": {ZH: "⚠️ 这条回复没有完成：回复途中页面被刷新、关闭或断开了连接。点击“重试”重新生成。",
                      EN: "⚠️ This reply did not finish: the page was reloaded, closed or lost its "
                          "connection while it came in. Press Retry to get it again."},
    "unexpected": {ZH: "应用内部出错，请重试；如果一直出现，请新建对话。",
                   EN: "The app hit an internal error. Try again; if it keeps happening, start a new chat."},
    "usage": {ZH: "输入 {prompt} · 输出 {completion} tokens", EN: "prompt {prompt} · completion {completion} tokens"},
    "usage_total": {ZH: "共 {total} tokens", EN: "{total} tokens in total"},
    "usage_reasoning": {ZH: "（含思考 {reasoning}）", EN: " (reasoning {reasoning})"},
    "ttft": {ZH: "首字 {seconds:.2f} 秒", EN: "first token {seconds:.2f} s"},
    "speed": {ZH: "{rate:.1f} tokens/秒", EN: "{rate:.1f} tokens/s"},
    "busy": {ZH: "上一条回复还在生成中，请先点击“停止”。",
             EN: "The previous reply is still streaming: press Stop first."},
    "nothing_to_send": {ZH: "请先输入消息或添加图片。", EN: "Type a message or add an image first."},
    "count_chars": {ZH: "{count} / {limit} 字", EN: "{count} / {limit} characters"},
    "count_over": {ZH: "{count} / {limit} 字：多了 {over} 字，删减后才能发送",
                   EN: "{count} / {limit} characters: {over} too many to send"},
    "invalid_text": {ZH: "⚠️ 对话中有无法识别的字符，已显示为 �。请检查后重新发送消息。",
                     EN: "⚠️ Some characters in this chat were not valid text; they now show as �. "
                         "Check the message and send it again."},
    # One line for the visitor; what it means, and what a host does about it, on demand.
    "offline": {
        ZH: "<details><summary>🔌 <strong>离线演示模式</strong>：回复是预设的示例，不是真实模型。"
            "可以在 ⚙️ 设置里用自己的 Key，或请分享页面的人接入。</summary>\n\n"
            "服务器没有配置 MiniMax API Key，所以由内置的模拟器回答，每条回复都是同一类示例。"
            "要和真实模型对话，请在 ⚙️ 设置 → “🔑 使用自己的 Key”中粘贴你的 MiniMax Key"
            "（只用于你在此页面中的请求）；或者告诉分享页面给你的人。\n\n"
            "**如果你运行这个应用**：设置环境变量 `MINIMAX_API_KEY`（Hugging Face Space："
            "Settings → Variables and secrets → New secret）后重启；详见 README 的部署说明。\n\n</details>",
        EN: "<details><summary>🔌 <strong>Offline demo mode</strong>: replies are canned examples, not a real "
            "model. Bring your own key (⚙️ Settings) or ask whoever shared this page.</summary>\n\n"
            "This server has no MiniMax API key, so a built-in emulator answers every message with "
            "the same kind of sample reply. To chat with a real model, paste your own MiniMax key "
            "under ⚙️ Settings → “🔑 Use your own key” (it is used only for your requests in this "
            "tab), or tell whoever shared this page with you.\n\n"
            "**Running this app?** Set the `MINIMAX_API_KEY` environment variable (on a Hugging Face "
            "Space: Settings → Variables and secrets → New secret) and restart it; the README's "
            "hosting guide has the details.\n\n</details>",
    },
    "misconfigured": {ZH: "⚠️ 服务器配置有误：{advice}", EN: "⚠️ The server is misconfigured: {advice}"},
    "untitled": {ZH: "新对话", EN: "New chat"},
    "not_saved": {ZH: "这段对话太长，无法再保存到浏览器中；它仍显示在页面上。可以先导出备份，再点击“新对话”。",
                  EN: "This chat is too long to keep saving in this browser; it stays on the page. "
                      "Export it to keep a copy, then start a new chat."},
    "import_unreadable": {ZH: "无法读取上传的文件，请重试。", EN: "The uploaded file could not be read. Try again."},
    "key_missing": {ZH: "请先在上面粘贴你的 MiniMax Key。", EN: "Paste your MiniMax key above first."},
    "key_ok": {ZH: "✅ Key 可用（区域：{region}）。你在此页面的消息会使用这个 Key。",
               EN: "✅ The key works (region: {region}). Your messages in this tab will use it."},
    "kept_settings": {ZH: "切换到 {model}：{changes}。", EN: "Now {model}: {changes}."},
    "changed_max_tokens": {ZH: "最大输出 token 数由 {old} 改为 {new}（该模型最多 {new}）",
                           EN: "max tokens changed from {old} to {new} (its most)"},
    "changed_temperature": {ZH: "温度由 {old} 改为 {new}", EN: "temperature changed from {old} to {new}"},
    "changed_top_p": {ZH: "Top-p 由 {old} 改为 {new}", EN: "top-p changed from {old} to {new}"},
    "no_chat_open": {ZH: "还没有打开的对话：先发一条消息，再重命名或删除。",
                     EN: "No chat is open yet: send a message first, then rename or delete it."},
    "confirm_delete": {ZH: "删除对话“{title}”？删除后无法恢复。",
                       EN: "Delete the chat “{title}”? It cannot be brought back."},
    "key_wrong_region": {
        ZH: "❌ MiniMax 拒绝了这个 Key（{code}）。Key 只能在所属区域使用：当前区域是“{region}”，"
            "试试切换到“{other}”再测试；如果仍然失败，请检查 Key 是否复制完整（pro 接口还需核对 GroupId）。",
        EN: "❌ MiniMax refused this key ({code}). A key only works in its own region: the region is "
            "“{region}”, try “{other}” and test again; if it still fails, check the key was copied whole "
            "(and, for the pro API, the GroupId).",
    },
}

MESSAGES.update(choices.MESSAGES)
MESSAGES.update(routes.MESSAGES)
MESSAGES.update(persona_words.MESSAGES)
MESSAGES.update(cost_words.MESSAGES)
MESSAGES.update(share_words.MESSAGES)
MESSAGES.update(search_words.MESSAGES)

EXAMPLES: list[ExampleMessage] = [
    {"text": "用三句话解释什么是大语言模型。", "display_text": "用三句话解释大语言模型 · Explain LLMs in 3 sentences"},
    {"text": "Write a Python function that checks whether a string is a palindrome, with a short test.",
     "display_text": "写一个回文判断函数 · Write a palindrome checker in Python"},
    {"text": "证明 √2 是无理数，用 LaTeX 写出关键步骤。",
     "display_text": "证明 √2 是无理数 · Prove √2 is irrational (LaTeX)"},
    {"text": "帮我规划一个杭州三日游行程，预算适中。 Plan a 3-day trip to Hangzhou on a moderate budget.",
     "display_text": "杭州三日游 · A 3-day trip to Hangzhou"},
]


def pick_lang(accept_language: str | None) -> str:
    """The visitor's language from an Accept-Language header: zh or en, Chinese when unknown."""
    best, best_q = None, -1.0
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        tag = tag.strip().lower()
        if not tag or tag == "*":
            continue
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > best_q:  # the first tag wins a tie, as browsers list them by preference
            best, best_q = tag, q
    if best is None:
        return ZH
    return ZH if best.startswith("zh") else EN


def lang_of(request: gr.Request | None) -> str:
    """The language of the visitor who sent `request`."""
    headers = getattr(request, "headers", None) or {}
    return pick_lang(headers.get("accept-language"))


def text(key: str, lang: str, **values: object) -> str:
    """One runtime message in `lang`, with `values` filled in."""
    template = MESSAGES[key][lang if lang in (ZH, EN) else ZH]
    return template.format(**values) if values else template

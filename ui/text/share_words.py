"""What a visitor reads about sharing a chat by link, and about opening one, in both languages.
Merged into `strings.CONTROLS` and `strings.MESSAGES`; the refusals are
`ui.conversations.share_link.LinkError`'s."""
from __future__ import annotations

EN, ZH = "en", "zh"

CONTROLS = {
    EN: {
        "mm_share": "🔗 Share",
        "mm_share_thinking": "Put the thinking in the link",
        "mm_share_thinking_info": "Off: only the messages and settings travel (a shorter link).",
        "mm_share_link": "Share link (select it or copy it)",
        "mm_share_link_info": "The chat is packed into the link itself, after “#”: browsers never "
                              "send that part to a server, and this app stores nothing. Anyone "
                              "with the link can read the chat.",
        "mm_shared_banner": "### 🔗 A shared chat — read only\nSomeone shared this chat by link. It "
                            "is not in your chats: **Continue in my chats** copies it there, with "
                            "its settings, so you can reply; **Close** returns to your own chats.",
        "mm_shared_chat": "Shared chat (read only)",
        "mm_shared_continue": "➕ Continue in my chats",
        "mm_shared_close": "✖ Close",
    },
    ZH: {
        "mm_share": "🔗 分享",
        "mm_share_thinking": "链接中包含思考过程",
        "mm_share_thinking_info": "不勾选：只带上消息和设置（链接更短）。",
        "mm_share_link": "分享链接（可选中或复制）",
        "mm_share_link_info": "对话被压缩进链接本身（“#”之后的部分）：浏览器从不把这部分发给服务器，"
                              "本应用也不保存任何内容。拿到链接的人都能阅读这段对话。",
        "mm_shared_banner": "### 🔗 分享的对话 — 只读\n有人通过链接分享了这段对话。它还不在你的对话列表中："
                            "点 **在我的对话中继续** 会把它（连同设置）复制到你的列表，然后就能接着聊；"
                            "点 **关闭** 回到你自己的对话。",
        "mm_shared_chat": "分享的对话（只读）",
        "mm_shared_continue": "➕ 在我的对话中继续",
        "mm_shared_close": "✖ 关闭",
    },
}

MESSAGES = {
    "share_ready": {
        EN: "🔗 Link ready: {chars} characters after “#share=” (at most {limit}). The page copied "
            "it if the browser allowed it; it is also in the box below to select. Anyone with it "
            "can read this chat.",
        ZH: "🔗 链接已生成：“#share=”之后共 {chars} 个字符（上限 {limit}）。如果浏览器允许，页面已把它"
            "复制到剪贴板；也可以在下面的框中选中。拿到链接的人都能阅读这段对话。",
    },
    "share_nothing": {
        EN: "Nothing to share yet: send a message first, or open a chat from the list.",
        ZH: "还没有可分享的内容：请先发送一条消息，或从列表中打开一段对话。",
    },
    "shared_refused": {
        EN: "🔗 The shared chat was not opened, and your own chats are unchanged. {reason}",
        ZH: "🔗 分享的对话没有打开，你自己的对话未受影响。{reason}",
    },
}

# By reason code (`LinkError`); values are filled in with `format`.
SHARE_REFUSALS: dict[str, dict[str, str]] = {
    "too_long_to_share": {
        EN: "❌ This chat is too long for a link: {chars:,} characters, the limit is {limit:,}. Untick "
            "“Put the thinking in the link”, share a shorter chat (start a new one with the part to "
            "share), or send it as a file (⬇️ JSON, then ⬆️ Import JSON on the other side).",
        ZH: "❌ 这段对话太长，无法放进链接：共 {chars:,} 个字符，上限 {limit:,}。请取消勾选“链接中包含思考过程”，"
            "或分享一段更短的对话（新建对话，只放要分享的部分），或改用文件（⬇️ JSON 导出，对方用 ⬆️ 导入 JSON）。",
    },
    "not_link": {
        EN: "The link is not a shared chat of this app (part of it may be missing or changed). "
            "Copy the whole link again, or ask for the chat as an exported file.",
        ZH: "这个链接不是本应用分享的对话（可能缺了一部分或被改动过）。请重新复制完整的链接，或请对方导出文件发给你。",
    },
    "damaged": {
        EN: "The link is damaged: it was cut short or changed on the way. Copy the whole link again.",
        ZH: "链接已损坏：在传递中被截断或改动了。请重新复制完整的链接。",
    },
    "version": {
        EN: "The link is in format version {got}; this app opens version {supported}. Ask for a new "
            "link made on this app's page.",
        ZH: "链接的格式版本是 {got}，本应用只能打开版本 {supported}。请对方在本应用的页面上重新生成链接。",
    },
    "too_long": {
        EN: "The link is longer ({chars:,} characters) than this app opens ({limit:,}). Ask for the "
            "chat as an exported file.",
        ZH: "链接太长（{chars:,} 个字符），超过本应用能打开的上限（{limit:,}）。请对方导出文件发给你。",
    },
    "too_big": {
        EN: "The link unpacks to more than {mb} MB, more than a chat file may hold. Ask for the "
            "chat as an exported file.",
        ZH: "链接解压后超过 {mb} MB，超出一个对话文件的上限。请对方导出文件发给你。",
    },
    "not_json": {
        EN: "The link's content is not a conversation. Copy the whole link again.",
        ZH: "链接里的内容不是一段对话。请重新复制完整的链接。",
    },
}


def share_refusal(reason: str, lang: str, **values: object) -> str:
    """Why a link was not made or not opened, in `lang` (Chinese for "zh", else English)."""
    return SHARE_REFUSALS[reason][ZH if lang == ZH else EN].format(**values)

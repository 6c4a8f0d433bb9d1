"""What the search over the conversations says, in both languages. Merged into
`strings.CONTROLS` (translated in the browser) and `strings.MESSAGES` (the words the page's
search script shows, handed to it on page load)."""
from __future__ import annotations

EN, ZH = "en", "zh"

CONTROLS = {
    EN: {
        "mm_search": "🔍 Search chats",
        "mm_search_info": "Titles and messages of the chats in this browser, searched here: "
                          "nothing is sent. Several words: chats with all of them. Esc clears.",
        "mm_search_placeholder": "Words to find…",
    },
    ZH: {
        "mm_search": "🔍 搜索对话",
        "mm_search_info": "在此浏览器内搜索对话的标题和消息，不会发送到服务器。"
                          "多个词用空格分开：只列出全部包含的对话。按 Esc 清空。",
        "mm_search_placeholder": "输入要找的词…",
    },
}

# Filled in by the page: {count} hits, the {query} as typed.
MESSAGES = {
    "search_found": {EN: "{count} chat(s) contain “{query}”. Pick one to open it.",
                     ZH: "有 {count} 个对话包含“{query}”，点击即可打开。"},
    "search_none": {EN: "No chat contains “{query}”. Check the spelling, or try fewer words.",
                    ZH: "没有对话包含“{query}”。请检查拼写，或减少几个词再试。"},
}
SCRIPT_KEYS = {"found": "search_found", "none": "search_none", "untitled": "untitled"}

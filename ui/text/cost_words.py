"""What a reply's note says about its cost and its times, in both languages. Merged into
`strings.MESSAGES`. Every amount is an estimate from a dated price table (`ui/chat/prices.py`)."""
from __future__ import annotations

EN, ZH = "en", "zh"

MESSAGES = {
    "cost_reply": {ZH: "本条约 {amount}", EN: "≈ {amount} for this reply"},
    "cost_unknown": {ZH: "{model} 的价格未知，只计 tokens", EN: "no known price for {model}: tokens only"},
    "cost_chat": {ZH: "本对话累计 {tokens} tokens", EN: "chat so far: {tokens} tokens"},
    "cost_chat_amount": {ZH: "，约 {amount}", EN: " ≈ {amount}"},
    "cost_unpriced": {ZH: "（另有 {count} 条回复价格未知，未计入）",
                      EN: " (plus {count} replies with no known price, not counted)"},
    "cost_basis": {ZH: "估算，按 MiniMax {date} 核对的按量计费标价",
                   EN: "estimate from MiniMax's pay-as-you-go prices checked {date}"},
    # {sent} and {done} are <time> elements the page shows in the visitor's time zone.
    "time_line": {ZH: "🕒 发送 {sent} · 完成 {done}", EN: "🕒 sent {sent} · done {done}"},
}

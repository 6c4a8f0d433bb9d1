"""What the page says about which key answers (the host's, the visitor's, the offline demo),
and about a tested or forgotten key, in both languages. Merged into `strings.CONTROLS` and
`strings.MESSAGES`."""
from __future__ import annotations

EN, ZH = "en", "zh"

CONTROLS = {
    EN: {"mm_forget_key": "🗑️ Forget this key"},
    ZH: {"mm_forget_key": "🗑️ 忘掉这个 Key"},
}

# The line beside the message box: `route_line` picks one `route_*` and, for a key MiniMax
# refused in its test, adds `route_refused`.
MESSAGES = {
    "route_host": {ZH: "🔑 回复使用：服务器的 Key", EN: "🔑 Answering with: the host's key"},
    "route_own": {ZH: "🔑 回复使用：你的 Key", EN: "🔑 Answering with: your key"},
    "route_offline": {ZH: "🔌 回复来自：离线演示（模拟器，不是真正的模型）",
                      EN: "🔌 Answering with: the offline demo (an emulator, not a real model)"},
    "route_refused": {ZH: "（你的 Key 在测试中被拒绝，{code}）", EN: " (your key was refused in its test, {code})"},
    # What the next message does after a test that failed, said after the test's result.
    "next_host": {ZH: "在你修改 Key 或区域之前，下一条消息将改用服务器的 Key。",
                  EN: "Until you change the key or the region, your next message will use the host's key."},
    "next_offline": {ZH: "在你修改 Key 或区域之前，下一条消息将改用离线演示。",
                     EN: "Until you change the key or the region, your next message will use the offline demo."},
    "next_own": {ZH: "下一条消息仍会使用这个 Key。", EN: "Your next message will still use this key."},
    "key_forgotten": {ZH: "🗑️ 已从此页面清除 Key 和 GroupId。", EN: "🗑️ The key and GroupId are cleared from this page."},
}

"""What the settings panel says about the four APIs, thinking and images, in both languages.
Merged into `strings.CONTROLS` (translated in the browser) and `strings.MESSAGES`."""
from __future__ import annotations

EN, ZH = "en", "zh"

# The API choice's one line each: which to choose and why (README, "Models and APIs").
CONTROLS = {
    EN: {
        "mm_api_mode_info": "Which endpoint of MiniMax's the app talks to; the model list follows it.",
        "mm_api_guide": (
            "- **v2** · MiniMax's own chat API: every current and older model, images for M3.\n"
            "- **OpenAI-compatible** · what MiniMax recommends for the M-series; the same as the "
            "`openai` SDK sends.\n"
            "- **Anthropic-compatible** · the M-series with thinking as signed blocks, as the "
            "`anthropic` SDK sends.\n"
            "- **pro** · legacy: older abab models with a bot persona; no M-series, no images."),
        "mm_thinking": "Thinking",
        "mm_thinking_info": "Adaptive: the model decides whether to think first (shown folded). "
                            "Off: it answers at once.",
        "mm_thinking_adaptive": "Adaptive",
        "mm_thinking_off": "Off",
        # One line under the message box; the rest on demand.
        "mm_images_rule": "<details><summary>🖼 Up to 4 images a message, for MiniMax-M3</summary>"
                          "PNG, JPEG, GIF or WebP; 5 MB and 25 megapixels each; larger than "
                          "2048 px is scaled down. The saved chat keeps a line naming each image, "
                          "not the image.</details>",
    },
    ZH: {
        "mm_api_mode_info": "应用调用 MiniMax 的哪个接口；可选模型随接口变化。",
        "mm_api_guide": (
            "- **v2** · MiniMax 自己的对话接口：支持全部新旧模型，M3 可传图片。\n"
            "- **OpenAI 兼容** · MiniMax 推荐 M 系列使用；与 `openai` SDK 发送的请求相同。\n"
            "- **Anthropic 兼容** · M 系列，思考内容以带签名的块返回；与 `anthropic` SDK 相同。\n"
            "- **pro** · 旧接口：较早的 abab 模型，支持机器人人设；不支持 M 系列和图片。"),
        "mm_thinking": "思考",
        "mm_thinking_info": "自适应：由模型决定是否先思考（折叠显示）。关闭：直接回答。",
        "mm_thinking_adaptive": "自适应",
        "mm_thinking_off": "关闭",
        "mm_images_rule": "<details><summary>🖼 每条消息最多 4 张图片，仅限 MiniMax-M3</summary>"
                          "PNG、JPEG、GIF、WebP；每张不超过 5 MB、2500 万像素；超过 2048 像素会被缩小。"
                          "保存的对话只记录每张图片的说明，不保存图片本身。</details>",
    },
}

MESSAGES = {
    "model_unknown": {
        EN: "⚠️ {model} is not in this app's list, so its limits are unknown: the app allows up to "
            "{limit} output tokens and lets MiniMax refuse what the model cannot do.",
        ZH: "⚠️ {model} 不在本应用的模型列表中，其限制未知：应用允许最多 {limit} 个输出 token，"
            "超出模型能力的请求由 MiniMax 拒绝。"},
    "usage_cached": {EN: " (cached {cached})", ZH: "（缓存命中 {cached}）"},
    "image_kept": {EN: "🖼 {images} (the image itself is not kept in this browser)",
                   ZH: "🖼 {images}（图片本身未保存在此浏览器中）"},
    "image_missing": {EN: "[an image that is no longer available: {image}]",
                      ZH: "[一张已不可用的图片：{image}]"},
}

"""What the personas' controls and messages say, in both languages. Merged into
`strings.CONTROLS` (translated in the browser) and `strings.MESSAGES`."""
from __future__ import annotations

EN, ZH = "en", "zh"

CONTROLS = {
    EN: {
        "mm_personas": "🎭 Personas: start a chat from one",
        "mm_personas_intro": "A persona gives a new chat its system prompt and settings. "
                             "Pick one, then start.",
        "mm_personas_list": "Personas",
        "mm_persona_start": "▶ New chat with this persona",
        "mm_persona_details": "✏️ View, edit or delete",
        "mm_persona_name": "Name",
        "mm_persona_name_info": "Shown in the list (up to 40 characters).",
        "mm_persona_description": "One-line description",
        "mm_persona_description_info": "Shown beside the name (up to 120 characters).",
        "mm_persona_system": "Its system prompt",
        "mm_persona_system_info": "What it tells the model for the whole chat.",
        "mm_persona_built_in_note": "Built-in personas can't be changed: start a chat from one, "
                                    "adjust ⚙️ Settings, then “Save as persona” there.",
        "mm_persona_save": "💾 Save changes",
        "mm_persona_delete": "🗑️ Delete this persona",
        "mm_persona_export": "⬇️ Export mine",
        "mm_persona_import": "⬆️ Import",
        "mm_persona_save_as": "🎭 Save as persona",
        "mm_persona_save_as_note": "Keeps this system prompt, the model and the settings under a "
                                   "name, only in this browser. Find it under 💬 Chats → 🎭 Personas.",
        "mm_persona_new_name": "Persona name",
        "mm_persona_new_name_info": "Up to 40 characters.",
        "mm_persona_new_description": "One-line description (optional)",
        "mm_persona_new_description_info": "What it is for, up to 120 characters.",
        "mm_persona_save_as_button": "💾 Save as my persona",
    },
    ZH: {
        "mm_personas": "🎭 人设：从人设开始新对话",
        "mm_personas_intro": "人设为新对话设定系统提示词和参数。先选一个，再开始对话。",
        "mm_personas_list": "人设列表",
        "mm_persona_start": "▶ 用此人设开始新对话",
        "mm_persona_details": "✏️ 查看、编辑或删除",
        "mm_persona_name": "名称",
        "mm_persona_name_info": "显示在列表中（最多 40 个字符）。",
        "mm_persona_description": "一句话描述",
        "mm_persona_description_info": "显示在名称旁边（最多 120 个字符）。",
        "mm_persona_system": "它的系统提示词",
        "mm_persona_system_info": "整个对话中它给模型的指令。",
        "mm_persona_built_in_note": "内置人设不能修改：可以先用它开始对话，在 ⚙️ 设置中调整，"
                                    "再在那里点“保存为人设”。",
        "mm_persona_save": "💾 保存修改",
        "mm_persona_delete": "🗑️ 删除此人设",
        "mm_persona_export": "⬇️ 导出我的人设",
        "mm_persona_import": "⬆️ 导入人设",
        "mm_persona_save_as": "🎭 保存为人设",
        "mm_persona_save_as_note": "把当前的系统提示词、模型和参数以一个名称保存，只保存在此浏览器中。"
                                   "之后可在 💬 对话 → 🎭 人设 中找到。",
        "mm_persona_new_name": "人设名称",
        "mm_persona_new_name_info": "最多 40 个字符。",
        "mm_persona_new_description": "一句话描述（可选）",
        "mm_persona_new_description_info": "它的用途，最多 120 个字符。",
        "mm_persona_save_as_button": "💾 保存为我的人设",
    },
}

MESSAGES = {
    "persona_saved": {EN: "🎭 Saved your persona “{name}”. Find it under 💬 Chats → 🎭 Personas.",
                      ZH: "🎭 已保存人设“{name}”。可在 💬 对话 → 🎭 人设 中找到。"},
    "persona_started": {EN: "New chat as “{name}”: its system prompt and settings are in ⚙️ Settings.",
                        ZH: "已用人设“{name}”开始新对话：它的系统提示词和参数可在 ⚙️ 设置中查看。"},
    "persona_updated": {EN: "Saved the changes to “{name}”.", ZH: "已保存对“{name}”的修改。"},
    "persona_no_name": {EN: "Give the persona a name first: nothing was saved.",
                        ZH: "请先给人设起个名称：尚未保存。"},
    "persona_bad_settings": {
        EN: "The values in ⚙️ Settings are not valid, so nothing was saved: check them, or press "
            "“Reset to the model's defaults”.",
        ZH: "⚙️ 设置中的值无效，因此没有保存：请检查，或点击“恢复该模型的默认设置”。"},
    "persona_full": {
        EN: "Your personas are full ({limit} at most, {kb} KB in this browser): nothing was saved. "
            "Delete one you no longer need (export them first to keep a copy).",
        ZH: "人设已满（最多 {limit} 个，此浏览器中最多 {kb} KB）：尚未保存。"
            "请删除不再需要的人设（可先导出备份）。"},
    "persona_import_full": {
        EN: "These {count} personas would take yours past {limit} or {kb} KB: nothing was imported. "
            "Delete some of yours first, or import a smaller file.",
        ZH: "导入这 {count} 个人设会超过上限（{limit} 个或 {kb} KB）：没有导入任何人设。"
            "请先删除一些，或导入更小的文件。"},
    "persona_imported": {EN: "Imported {added} personas ({skipped} were already here).",
                         ZH: "已导入 {added} 个人设（{skipped} 个已存在，未重复导入）。"},
    "persona_none_to_export": {
        EN: "You have no personas of your own to export yet: save one with ⚙️ Settings → "
            "“🎭 Save as persona” first.",
        ZH: "你还没有自己的人设可以导出：请先在 ⚙️ 设置 →“🎭 保存为人设”中保存一个。"},
    "persona_pick_first": {EN: "Pick a persona in the list first.", ZH: "请先在列表中选择一个人设。"},
    "persona_not_own": {
        EN: "Built-in personas can't be changed or deleted: start a chat from it and save your own "
            "copy with ⚙️ Settings → “🎭 Save as persona”.",
        ZH: "内置人设不能修改或删除：可以用它开始对话，再在 ⚙️ 设置 →“🎭 保存为人设”中保存一份自己的。"},
    "persona_gone": {EN: "That persona is no longer in this browser (another tab may have deleted "
                         "it): pick another.",
                     ZH: "此浏览器中已没有这个人设（可能在另一个标签页中被删除了）：请另选一个。"},
    "confirm_persona_delete": {EN: "Delete the persona “{name}”? It cannot be brought back.",
                               ZH: "删除人设“{name}”？删除后无法恢复。"},
}

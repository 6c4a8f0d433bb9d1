"""The chats a visitor keeps in their browser: the store (`store`), the file format for export
and import (`export`), history <-> stored messages (`transcript`), the conversation on
screen (`current`), the list's handlers (`handlers`), export and import (`files`), the
sidebar that shows them (`panel`), and share by link (`share_link`, `share`, `share_panel`).

May import `ui.chat`, `ui.browser`, `ui.protect` (the limits) and `ui.text`.
"""

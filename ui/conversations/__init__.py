"""The chats a visitor keeps in their browser: the store (`store`), the file format for export
and import (`export`), history <-> stored messages (`transcript`), the conversation on
screen (`current`), the list's handlers (`handlers`), export and import (`files`) and the
sidebar that shows them (`panel`).

May import `ui.chat`, `ui.browser`, `ui.protect` (the limits) and `ui.text`.
"""

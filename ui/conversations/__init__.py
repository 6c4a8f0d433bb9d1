"""The chats a visitor keeps in their browser: the store (`store`), the file format for export
and import (`export`), history <-> stored messages (`transcript`), the handlers
(`handlers`) and the sidebar that shows them (`panel`).

May import `ui.chat`, `ui.browser`, `ui.protect` (the limits) and `ui.text`.
"""

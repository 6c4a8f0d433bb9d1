"""What protects a shared link: every limit with its range (`limits`), per-visitor limits
(`guard`), what visitors spent (`spending`) and logs with no key in them (`logs`).

May import `ui.text`.
"""

"""What protects a shared link: every limit with its range (`limits`), per-visitor limits
(`guard`), what visitors spent (`spending`) and where it is counted (`ledger`: this process's
memory, or `redis_ledger`: the Redis at APP_REDIS_URL that every replica shares, reached
through `shared`), and logs with no key in them (`logs`).

May import `ui.text`.
"""

"""The page itself: the events that tie the other packages' parts together (see ui/__init__.py)."""

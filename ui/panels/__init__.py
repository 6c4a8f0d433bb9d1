"""The page's side panels: model settings and the offline banner (`controls`), and the
visitor's own key (`own_key`).

May import `ui.chat`, `ui.protect` and `ui.text`.
"""

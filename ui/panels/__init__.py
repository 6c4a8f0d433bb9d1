"""The page's side panels: the settings panel as built and wired (`settings`), its handlers
and the offline banner (`controls`), and the visitor's own key (`own_key`).

May import `ui.chat`, `ui.protect` and `ui.text`.
"""

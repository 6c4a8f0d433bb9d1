"""The page's side panels: the settings panel as built and wired (`settings`), its handlers
and the offline banner (`controls`), and the visitor's own key and the line naming the
key that answers (`own_key`).

May import `ui.browser`, `ui.chat`, `ui.protect` and `ui.text`.
"""

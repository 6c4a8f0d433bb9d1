"""One reply, from the chat widget's history to MiniMax and back: the history's rules
(`history`), the reply as shown (`reply`), page-update pacing (`coalesce`), where replies come
from (`service`), a reply's life from start to end (`lifecycle`), the process's replies
running and waiting their turn (`line`), the handlers that prepare
a turn (`turns`) and those that stream, stop and drop a reply (`handlers`); the nine
settings as one value (`settings`) and the page's events that read them as one (`form`).

May import `ui.protect` and `ui.text`.
"""

"""The page's steps for shared links (ui/conversations/share_panel.py): read the fragment
once, show and leave the read-only view, put the made link in the box and copy it."""
from __future__ import annotations

FRAGMENT = "#share="
SHARED_CLASS = "mm-shared"  # on <body> while a shared chat is shown (static/share.css)

# Run once the page is up. A `#share=` fragment is read, then taken out of the address bar at
# once (`replaceState`, no new history entry): a reload shows the visitor's own chats, and the
# link lives on only in the page until Continue or Close. No link: the step throws, which ends
# its chain, so the server hears nothing. A link pasted into an open tab changes only the
# fragment: the page reloads to read it.
READ_FRAGMENT = """() => {
    if (!window.__mmShareWatch) {
        window.__mmShareWatch = true;
        window.addEventListener('hashchange', () => {
            if (location.hash.startsWith(%(fragment)s)) location.reload();
        });
    }
    const hash = location.hash;
    if (!hash.startsWith(%(fragment)s)) throw new Error('no shared chat');
    history.replaceState(history.state, '', location.pathname + location.search);
    return hash.slice(%(length)d);
}""" % {"fragment": repr(FRAGMENT), "length": len(FRAGMENT)}  # noqa: UP031 - JS braces

# Run once a shared chat is checked and shown: the page's own chat and message box step aside.
ENTER_VIEW = """() => {
    document.body.classList.add(%r);
    const banner = document.querySelector('#shared-banner');
    if (banner) { banner.setAttribute('tabindex', '-1'); banner.focus(); }
    window.scrollTo(0, 0);
}""" % SHARED_CLASS  # noqa: UP031 - JS braces

# Run by Close, and once Continue has kept the chat: back to the visitor's own chat; the
# link's text is forgotten (the step's output empties its hidden box).
LEAVE_VIEW = """() => {
    document.body.classList.remove(%r);
    const box = document.querySelector('#chat-input textarea');
    if (box) box.focus();
    return '';
}""" % SHARED_CLASS  # noqa: UP031 - JS braces

# Run after Share's handler with the link's text: the whole link, for the box, copied if the
# browser lets the page write to the clipboard (it may not; the box is there to select).
SHOW_LINK = """(text) => {
    if (!text) return '';
    const link = location.origin + location.pathname + location.search + %s + text;
    try { navigator.clipboard && navigator.clipboard.writeText(link).catch(() => {}); } catch (e) {}
    return link;
}""" % repr(FRAGMENT)  # noqa: UP031 - JS braces

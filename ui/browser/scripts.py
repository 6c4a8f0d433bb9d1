"""Code that runs in the visitor's browser: the page script (`launch(js=...)`) and the
snippets events run before their Python handler."""
from __future__ import annotations

import json
from pathlib import Path

STATIC = Path(__file__).with_name("static")
PAGE_STYLES = ("page.css", "share.css", "search.css")
PAGE_SCRIPTS = ("ime.js", "busy.js", "focus.js", "layout.js", "copy.js", "count.js", "a11y.js",
                "times.js", "search.js")

# Run by the events that start a reply and by those that end one (a handler's `js=`: it gets
# the event's input values and must hand them on to the Python function).
BUSY = "(...args) => { window.mmBusy && window.mmBusy(true); return args; }"
IDLE = "(...args) => { window.mmBusy && window.mmBusy(false); return args; }"
# Run after Send's handler with the line under the box: when it says why the message was
# not sent, the page goes no further (a step that throws ends its chain) and is idle again.
SENT = ("(refusal) => { if (refusal) { window.mmBusy && window.mmBusy(false); "
        "throw new Error('not sent'); } return []; }")
# Run in the page, with the chat, when a copy button of the chat was clicked (static/copy.js).
# Not on every change of the chat: a step per streamed update made a long reply's page lag.
COPY_FROM = "(chat) => { window.mmCopy && window.mmCopy.copy(chat); return []; }"


# A front-end step that waits before the save that keeps a sent message (see
# `ui.conversations.panel.Saves.wire_send`), and ends its chain if the reply is over by then:
# the save after the reply keeps it. It waits a moment, and then until the reply's first words
# are shown (not a note of its place in the line), at most `SEND_SAVE_MAX_MS`. Under a crowd
# the first words can take seconds, and these saves (the whole store, both ways) queued ahead
# of them: at a fixed 2 s, 200 visitors' saves landed in the middle of their replies' starts.
# The benchmark's load client waits the same way and reads the same condition (`WHILE_BUSY`).
SEND_SAVE_DELAY_MS = 2000
SEND_SAVE_MAX_MS = 10000
WHILE_BUSY = "mm-while-busy"
AFTER_FIRST_WORDS = (
    f"(...args) => /*{WHILE_BUSY} {SEND_SAVE_MAX_MS}*/ new Promise((done, ended) => {{ "
    "const began = Date.now(); "
    "const words = () => { const rows = document.querySelectorAll('#chatbot .message-row'); "
    "const last = rows[rows.length - 1]; "
    "return !!last && last.classList.contains('bot-row') && !last.querySelector('.mm-pending'); }; "
    "const look = () => { "
    "if (!document.body.classList.contains('mm-busy')) return ended(new Error('the reply is over')); "
    f"if (words() || Date.now() - began >= {SEND_SAVE_MAX_MS}) return done(args); "
    "setTimeout(look, 250); }; "
    f"setTimeout(look, {SEND_SAVE_DELAY_MS}); }})")

def confirm_delete(question_zh: str, question_en: str) -> str:
    """Run by Delete before its handler: asks first (chats live only in this browser, so a
    deleted one is gone) and hands the handler the answer in place of the hidden checkbox's
    value. The question is asked in the browser's language; `{title}` in it is the chat's title.
    With no chat open nothing is asked."""
    return """(stored, _) => {
    const open = document.querySelector('#conversations input:checked');
    if (!open) return [stored, false];  // an empty page: nothing to ask about (the handler says so)
    const title = open.closest('label').innerText.trim();
    const zh = (navigator.language || '').toLowerCase().startsWith('zh');
    const question = (zh ? %s : %s).replace('{title}', () => title);
    return [stored, window.confirm(question)];
}""" % (json.dumps(question_zh), json.dumps(question_en))  # noqa: UP031 - JS braces

# Run by the own-key events that only need to know whether a key is typed: the Python step
# gets "typed" or "", never the key (ui/panels/own_key.py).
KEY_TYPED = "(key) => (typeof key === 'string' && key.trim() ? 'typed' : '')"


def message_limit(limit: int, words: dict[str, dict[str, str]]) -> str:
    """Run once the page is up: the message box's counter (static/count.js) counts against
    `limit`, the longest message the server takes, in `words` (per language: `count` and
    `over`, with {count}, {limit} and {over} in them)."""
    return f"() => {{ window.mmLimit = {json.dumps({'limit': int(limit), **words}, ensure_ascii=False)}; }}"


# Run after an export's handler with the file name and text it returned: the browser saves
# the file, so the server keeps nothing on disk (ui/conversations/files.py `file_name`).
DOWNLOAD = """(name, body) => {
    if (name && body) {
        const type = name.endsWith('.json') ? 'application/json' : 'text/markdown';
        const link = document.createElement('a');
        link.href = URL.createObjectURL(new Blob([body], {type: `${type};charset=utf-8`}));
        link.download = name;
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(link.href), 60000);
    }
    return [];
}"""


def usable_while_chosen(selectors: tuple[str, ...]) -> str:
    """Run in the page when a list's value changes: the controls at `selectors` are usable
    only while something is chosen. A Python step doing this made gradio rebuild each control
    for the session (a props update), three rebuilds for every new chat's first message."""
    targets = json.dumps(list(selectors))
    return (f"(chosen) => {{ for (const s of {targets}) for (const el of document.querySelectorAll(s)) "
            "el.disabled = !chosen; return []; }")


GATE = "mm-gate"


def if_last_message_has(mark: str, has: bool = True) -> str:
    """Run in the page with the chat: the chain goes on only if its last message does (or,
    `has=False`, does not) hold `mark` (a step that throws ends its chain). It spares the
    server a step that would change nothing: gradio rebuilds a component for each output left
    as it was (`gr.skip()`). The benchmark's load client reads the same condition from this
    text (`GATE`), as it reads the wait of `AFTER_FIRST_WORDS`."""
    return (f"(chat) => {{ /*{GATE} {json.dumps(mark)} {'has' if has else 'lacks'}*/ "
            "const last = (chat || []).at(-1); "
            f"const has = !!last && JSON.stringify(last.content || '').includes({json.dumps(mark)}); "
            f"if (has !== {'true' if has else 'false'}) throw new Error('not needed'); return []; }}")


def toggle_panel(elem_id: str) -> str:
    """Run by a top-bar button: opens or closes the side panel `elem_id` (layout.js)."""
    return f"() => {{ window.mmPanel && window.mmPanel({json.dumps(elem_id)}); }}"


# Run in the page with the store, on page load and whenever it changes: the page searches the
# chats itself, as the visitor types (static/search.js), and sends the server nothing.
SEARCH_STORE = "(store) => { window.mmSearch && window.mmSearch.store(store); return []; }"


def search_words(words: dict[str, dict[str, str]]) -> str:
    """Run once the page is up, with the store: what the search says (static/search.js), per
    language."""
    return (f"(store) => {{ window.mmSearchWords = {json.dumps(words, ensure_ascii=False)}; "
            "window.mmSearch && window.mmSearch.store(store); return []; }")


# Run by the skip link: to the message box, past the panels and the chat's own buttons.
TO_INPUT = "() => { const box = document.querySelector('#chat-input textarea'); if (box) box.focus(); }"


def page_css() -> str:
    """The page's style: the layout that keeps the message box on a phone's first screen,
    the panels, touch targets, visible focus, the notes."""
    return "\n".join((STATIC / name).read_text(encoding="utf-8") for name in PAGE_STYLES)


def page_js() -> str:
    """The page script: Enter guards for input methods and streaming replies, the busy/idle
    switch for Send and Stop, the chat box's focus on a desktop, the side panels, clean
    copies of the chat, the message box's counter, and gradio's chat markup mended for
    screen readers."""
    parts = [(STATIC / name).read_text(encoding="utf-8").strip() for name in PAGE_SCRIPTS]
    return "() => {\n" + "\n".join(f"({part})();" for part in parts) + "\n}"

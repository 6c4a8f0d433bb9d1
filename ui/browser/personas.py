"""Steps the personas' events run in the visitor's browser."""
from __future__ import annotations

import json

# After a chat is started from a persona: on a phone the conversations panel covers the
# chat, so it closes (layout.js's `mmPanel`); on a desktop the message box takes the focus.
SHOW_CHAT = """() => {
    if (!window.matchMedia('(min-width: 769px)').matches) {
        if (document.querySelector('#chats-panel.open') && window.mmPanel) window.mmPanel('chats-panel');
    } else {
        const box = document.querySelector('#chat-input textarea');
        if (box) box.focus();
    }
}"""


def confirm_persona_delete(question_zh: str, question_en: str) -> str:
    """Run by Delete (beside the picked persona's fields) before its handler: asks first,
    naming the persona, and hands the handler the answer in place of the hidden checkbox's
    value (the last of its three inputs). `{name}` in a question is the persona's name."""
    return """(stored, chosen, _) => {
    const field = document.querySelector('#persona-name textarea');
    if (!field || !document.querySelector('#personas input:checked')) return [stored, chosen, false];
    const name = field.value.trim();
    const zh = (navigator.language || '').toLowerCase().startsWith('zh');
    const question = (zh ? %s : %s).replace('{name}', () => name);
    return [stored, chosen, window.confirm(question)];
}""" % (json.dumps(question_zh), json.dumps(question_en))  # noqa: UP031 - JS braces

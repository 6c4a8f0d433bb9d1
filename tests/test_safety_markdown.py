"""Display-only neutralising of markup in chat text, and its exact inverse."""
import random

import pytest

from minimax_backend import Finish, TextDelta
from ui.chat.history import to_messages
from ui.chat.reply import Reply
from ui.text.safe_markdown import display, original


@pytest.mark.parametrize("text, shown", [
    ('<img src="http://x.test/a.png"> hi', '&lt;img src="http://x.test/a.png"> hi'),
    ("<script>alert(1)</script>", "&lt;script>alert(1)&lt;/script>"),
    ("<!-- note -->", "&lt;!-- note -->"),
    ("![chart](http://x.test/leak?q=secret)", "&#33;[chart](http://x.test/leak?q=secret)"),
    ("a < b, 2<3 and AT&T", "a < b, 2<3 and AT&T"),  # not markup: untouched
    ("use `<br>` here", "use `<br>` here"),  # a code span shows text literally already
    ("```html\n<div>code</div>\n```\n<b>x</b>", "```html\n<div>code</div>\n```\n&lt;b>x&lt;/b>"),
    ('`<img src="`">', '`&lt;img src="`">'),  # a tag outranks a code span in Markdown
    ("    ```\n<img src=x>", "    ```\n&lt;img src=x>"),  # not a fence at four spaces
    ("&lt;b> typed as an entity", "&amp;lt;b> typed as an entity"),
])
def test_markup_outside_code_is_shown_as_text(text, shown):
    assert display(text) == shown
    assert original(shown) == text


def test_original_inverts_display_for_any_text():
    pieces = ["<", ">", "`", "``", "```\n", "~~~", "\n   ```", "!", "[", "]", "&", "lt;", "amp;",
              "#33;", "a", " ", "\n", "img ", "/"]
    rng = random.Random(7)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 16)))
        assert original(display(text)) == text, text


def test_a_reply_is_shown_inert_but_sent_back_as_received():
    hostile = "See ![x](http://x.test/p.png) and <img src=http://x.test/q>"
    reply = Reply()
    reply.apply(TextDelta(hostile))
    reply.apply(Finish("stop", hostile))
    reply.end()
    shown = reply.messages("en")[0]["content"]
    assert "![" not in shown and "<img" not in shown
    history = [{"role": "user", "content": display("<b>hi</b>")},
               {"role": "assistant", "content": shown}, {"role": "user", "content": "ok"}]
    sent = to_messages(history)  # without the raw-reply map: the shown text, undone
    assert [m.content for m in sent] == ["<b>hi</b>", hostile, "ok"]

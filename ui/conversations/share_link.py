"""A conversation carried in a link's fragment: `<page>#share=1.<base64url of raw deflate>`.

The fragment is never sent by the browser in a request, so the host stores and sees nothing
when a link travels. What is packed is the export document (`export.py`) with only its known
fields (so no key can ride along: the format has no field for one), thinking only when asked.
Opening a link is as untrusted as an import: the text is capped before decoding, the deflate
stream is inflated with a hard cap on its output (a few kilobytes may inflate to gigabytes),
then the document passes `export.parse_document` like any imported file.
"""
from __future__ import annotations

import base64
import binascii
import json
import re
import zlib

from ..text.share_words import share_refusal
from ..text.strings import EN
from . import export

VERSION = "1"
PREFIX = VERSION + "."
# What follows `#share=`. Chromium carries a URL up to 2 MiB (`python bench/link_length.py`):
# this is 1/65 of that, what its address bar displays whole (32 KB), and under Slack's
# 40,000-character message (README, "Share a chat by link").
MAX_LINK_CHARS = 32_000
MAX_INFLATED_BYTES = export.MAX_FILE_BYTES  # as much as an imported file may hold
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")
_THINKING_FIELDS = ("raw", "reasoning")  # M2's <think> part, as sent and as shown


class LinkError(ValueError):
    """A link not made or not opened: `reason` is a code of `ui.text.share_words`'s refusals,
    `values` fill in its words; `str()` is English."""

    def __init__(self, reason: str, **values: object) -> None:
        super().__init__(share_refusal(reason, EN, **values))
        self.reason, self.values = reason, values

    def message(self, lang: str) -> str:
        """The reason in the visitor's language."""
        return share_refusal(self.reason, lang, **self.values)


def shared_document(conversation: dict, *, thinking: bool) -> dict:
    """What a link carries: the conversation's validated document, without thinking unless
    `thinking`; raises export.FormatError for a conversation that is not valid."""
    document = export.parse_document(conversation)
    if not thinking:
        document["messages"] = [{k: v for k, v in m.items() if k not in _THINKING_FIELDS}
                                for m in document["messages"]]
    return document


def encode(conversation: dict, *, thinking: bool) -> str:
    """The text after `#share=` for `conversation`; raises LinkError when too long to carry."""
    data = json.dumps(shared_document(conversation, thinking=thinking), ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)  # raw deflate: no header, no checksum
    packed = packer.compress(data) + packer.flush()
    link = PREFIX + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")
    if len(link) > MAX_LINK_CHARS:
        raise LinkError("too_long_to_share", chars=len(link), limit=MAX_LINK_CHARS)
    return link


def _inflate(packed: bytes) -> bytes:
    inflater = zlib.decompressobj(-15)
    try:
        data = inflater.decompress(packed, MAX_INFLATED_BYTES + 1)
    except zlib.error:
        raise LinkError("damaged") from None
    if len(data) > MAX_INFLATED_BYTES or inflater.unconsumed_tail:
        raise LinkError("too_big", mb=MAX_INFLATED_BYTES // 1_000_000)
    if not inflater.eof or inflater.unused_data:  # cut short, or something appended
        raise LinkError("damaged")
    return data


def decode(link: object) -> dict:
    """The validated document a link's text (after `#share=`) carries; raises LinkError for
    a link that is not one of ours, export.FormatError for a document that is not valid."""
    if not isinstance(link, str) or not link:
        raise LinkError("not_link")
    if len(link) > MAX_LINK_CHARS:
        raise LinkError("too_long", chars=len(link), limit=MAX_LINK_CHARS)
    version, dot, body = link.partition(".")
    if not dot or not version.isdigit():
        raise LinkError("not_link")
    if version != VERSION:
        raise LinkError("version", got=version, supported=VERSION)
    if not _BASE64URL.fullmatch(body):
        raise LinkError("not_link")
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):  # our alphabet, a length no text encodes to: cut
        raise LinkError("damaged") from None
    data = _inflate(packed)
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise LinkError("not_json") from None
    return export.parse_document(value)

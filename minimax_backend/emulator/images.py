"""What the emulator sees of an image part: its type and pixel size, read from the header.

A data URL or base64 source is decoded and sniffed (PNG, JPEG, GIF, WebP headers, read here
without an imaging library); an https URL is not fetched, only counted.
"""
from __future__ import annotations

import base64
import binascii
import re
import struct
from dataclasses import dataclass

_DATA_URL = re.compile(r"data:([\w/+.-]+);base64,(.*)", re.DOTALL)


@dataclass(frozen=True)
class SeenImage:
    """One image of a request: `kind` is the sniffed type, "url" for a link, or "unreadable"."""

    kind: str
    width: int | None = None
    height: int | None = None

    def describe(self) -> str:
        """E.g. "image/png 64×48"."""  # noqa: RUF002 - × is what the reply shows
        return f"{self.kind} {self.width}×{self.height}" if self.width else self.kind


def from_url(url: str) -> SeenImage:
    """An `image_url.url`: a data URL is decoded, anything else is a link."""
    found = _DATA_URL.fullmatch(url.strip())
    return from_base64(found.group(2)) if found else SeenImage("url")


def from_base64(data: str) -> SeenImage:
    """A base64 image (an Anthropic `base64` source, or a data URL's payload)."""
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return SeenImage("unreadable")
    return sniff(raw)


def sniff(raw: bytes) -> SeenImage:
    """The type and size a header says, from the bytes alone."""
    if raw.startswith(b"\x89PNG\r\n\x1a\n") and raw[12:16] == b"IHDR":
        width, height = struct.unpack(">II", raw[16:24])
        return SeenImage("image/png", width, height)
    if raw[:6] in (b"GIF87a", b"GIF89a") and len(raw) >= 10:
        width, height = struct.unpack("<HH", raw[6:10])
        return SeenImage("image/gif", width, height)
    if raw.startswith(b"\xff\xd8"):
        return _jpeg(raw)
    if raw[:4] == b"RIFF" and raw[8:12] == b"WEBP":
        return _webp(raw)
    return SeenImage("unreadable")


def _jpeg(raw: bytes) -> SeenImage:
    """Walk the JPEG segments to the first start-of-frame marker, which holds the size."""
    i = 2
    while i + 9 < len(raw):
        if raw[i] != 0xFF:
            break
        marker = raw[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # markers without a length
            i += 2
            continue
        length = struct.unpack(">H", raw[i + 2:i + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", raw[i + 5:i + 9])
            return SeenImage("image/jpeg", width, height)
        i += 2 + length
    return SeenImage("image/jpeg")


def _webp(raw: bytes) -> SeenImage:
    chunk = raw[12:16]
    if chunk == b"VP8X" and len(raw) >= 30:
        width = int.from_bytes(raw[24:27], "little") + 1
        height = int.from_bytes(raw[27:30], "little") + 1
        return SeenImage("image/webp", width, height)
    if chunk == b"VP8 " and len(raw) >= 30:
        width, height = struct.unpack("<HH", raw[26:30])
        return SeenImage("image/webp", width & 0x3FFF, height & 0x3FFF)
    if chunk == b"VP8L" and len(raw) >= 25:
        bits = int.from_bytes(raw[21:25], "little")
        return SeenImage("image/webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    return SeenImage("image/webp")

"""An image a visitor attached, checked before any of it is decoded, and made fit to send.

The rules (README and docs/features.md, "Images"): at most `MAX_IMAGES` per message, each
upload at most `MAX_IMAGE_BYTES`; PNG, JPEG, GIF or WebP, known by the bytes' signature, never
by the name or the browser's type; at most `MAX_PIXELS` pixels, read from the header before
anything is decoded (a small file can declare a huge picture: a decompression bomb); a side
over `MAX_SIDE` is scaled down on the server and sent as JPEG (PNG if it has transparency).
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from minimax_backend import ImagePart

from ..text.advice import refused

MAX_IMAGES = 4
MAX_IMAGE_BYTES = 5_000_000
MAX_PIXELS = 25_000_000  # decoded, 100 MB of RGBA at most; a 24-megapixel camera fits
MAX_SIDE = 2048  # longest side sent to MiniMax, in pixels
JPEG_QUALITY = 85
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
FORMAT_NAMES = "PNG, JPEG, GIF, WebP"


def sniff(head: bytes) -> str | None:
    """The image type the first bytes announce, or None for anything else."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


@dataclass(frozen=True)
class CheckedImage:
    """An image ready to send: its bytes as sent and their pixel size."""

    part: ImagePart
    width: int
    height: int

    def describe(self) -> str:
        """E.g. "PNG 800x600", as the chat and the stored conversation name it."""
        return f"{self.part.mime.removeprefix('image/').upper()} {self.width}×{self.height}"


def check_image(data: bytes, name: str = "") -> CheckedImage:
    """`data` checked and, if too large, scaled down; raises ValidationError (`images`)."""
    label = Path(name).name[:60] or "image"
    if len(data) > MAX_IMAGE_BYTES:
        raise refused("images", "image_bytes", name=label, limit=MAX_IMAGE_BYTES // 1_000_000)
    mime = sniff(data[:16])
    if mime is None:
        raise refused("images", "image_format", name=label, formats=FORMAT_NAMES)
    try:
        image = Image.open(io.BytesIO(data), formats=list(FORMATS))  # reads the header only
    except Image.DecompressionBombError:  # Pillow's own ceiling, far above ours
        raise refused("images", "image_pixels", name=label, limit=MAX_PIXELS // 1_000_000) from None
    except (UnidentifiedImageError, OSError, ValueError):
        raise refused("images", "image_broken", name=label) from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise refused("images", "image_pixels", name=label, limit=MAX_PIXELS // 1_000_000)
    if FORMATS.get(image.format or "") != mime:
        raise refused("images", "image_format", name=label, formats=FORMAT_NAMES)
    try:
        if max(width, height) <= MAX_SIDE:
            image.verify()  # a truncated or corrupt file is refused here, not by MiniMax
            return CheckedImage(ImagePart(mime, data), width, height)
        return _scaled(image)
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise refused("images", "image_broken", name=label) from None


def _scaled(image: Image.Image) -> CheckedImage:
    """`image` with its longest side at `MAX_SIDE`, re-encoded (first frame of an animation)."""
    image.seek(0)
    image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a fraction of the size at once
    alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    frame = image.convert("RGBA" if alpha else "RGB")
    frame.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if alpha:
        frame.save(out, "PNG", optimize=True)
    else:
        frame.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    mime = "image/png" if alpha else "image/jpeg"
    return CheckedImage(ImagePart(mime, out.getvalue()), *frame.size)


def read_upload(path: str) -> bytes:
    """An uploaded file's bytes, refused unread when it is over the size limit."""
    file = Path(path)
    label = file.name[:60]
    if file.stat().st_size > MAX_IMAGE_BYTES:
        raise refused("images", "image_bytes", name=label, limit=MAX_IMAGE_BYTES // 1_000_000)
    return file.read_bytes()

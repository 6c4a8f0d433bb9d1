"""Images attached to a message: from the message box into the chat, and out to MiniMax.

A checked image is kept server-side, in the session's `Attached` state, keyed by the path of
the upload the chat shows: the history comes back from the browser (untrusted), so a path in
it only ever looks up an image this session attached, never reads a file. gradio deletes
uploads on a schedule (app.py's `delete_cache`), which is why the bytes are kept here.
At most `MAX_KEPT` images are kept a session, the oldest dropped first; a turn whose image
is gone (dropped, or the page reloaded) is sent with a line naming it instead.
"""
from __future__ import annotations

from typing import Any

from minimax_backend import ImagePart

from ..protect.images import MAX_IMAGES, CheckedImage, check_image, read_upload
from ..text.advice import refused

Attached = dict[str, ImagePart]  # the shown upload's path -> the image as sent
MAX_KEPT = 16  # a session's images, at most 2 MB each once scaled: 32 MB at worst


def image_block(path: str, checked: CheckedImage) -> dict:
    """The chat's content block showing an attached image; its alt text describes it."""
    return {"type": "file", "alt_text": checked.describe(),
            "file": {"path": path, "mime_type": checked.part.mime}}


def attach(files: Any, attached: Attached | None) -> tuple[list[dict], Attached]:
    """Check the uploads at `files` (paths from the message box); their chat blocks and the
    session's images with them. Raises ValidationError (`images`) naming the first bad one."""
    paths = [f for f in (files or []) if isinstance(f, str)]
    if len(paths) > MAX_IMAGES:
        raise refused("images", "image_count", limit=MAX_IMAGES)
    blocks, kept = [], dict(attached or {})
    for path in paths:
        try:
            checked = check_image(read_upload(path), path)
        except OSError:
            raise refused("images", "image_broken", name="image") from None
        blocks.append(image_block(path, checked))
        kept.pop(path, None)
        kept[path] = checked.part
    while len(kept) > MAX_KEPT:
        del kept[next(iter(kept))]
    return blocks, kept


def image_blocks(item: dict) -> list[dict]:
    """The file blocks of one history item (none for plain text)."""
    content = item.get("content")
    if not isinstance(content, (list, tuple)):
        return []
    return [b for b in content if isinstance(b, dict) and b.get("type") == "file"
            and isinstance(b.get("file"), dict)]


def is_ours(block: dict) -> bool:
    """True for a block `image_block` made: an image with the alt text describing it."""
    mime = block["file"].get("mime_type")
    return bool(block.get("alt_text")) and isinstance(mime, str) and mime.startswith("image/")


def describe(block: dict) -> str:
    """How a file block names its image ("PNG 800x600"), from its alt text."""
    alt = block.get("alt_text")
    return alt[:40] if isinstance(alt, str) and alt else "image"


def images_of(items: list[dict], attached: Attached | None) -> tuple[list[ImagePart], list[str]]:
    """The images of a user turn still kept, and a description of each one that is not."""
    found, missing = [], []
    for item in items:
        for block in image_blocks(item):
            part = (attached or {}).get(block["file"].get("path"))
            if isinstance(part, ImagePart):
                found.append(part)
            elif is_ours(block):  # any other file block is not part of the chat: ignored
                missing.append(describe(block))
    if len(found) > MAX_IMAGES:
        raise refused("images", "image_count", limit=MAX_IMAGES)
    return found, missing

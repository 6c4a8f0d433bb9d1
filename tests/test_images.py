"""The page's image checks (ui/protect/images.py) and what becomes of an attached image: sent
while the session keeps it, named once it is gone, kept in the store as a line."""
import io
import struct
import zlib

import gradio as gr
import pytest
from PIL import Image

from minimax_backend import ImagePart, Message, ValidationError
from ui.chat.attachments import MAX_KEPT, attach
from ui.chat.history import images_note, to_messages
from ui.chat.lifecycle import Runs
from ui.chat.turns import TurnHandlers
from ui.conversations.export import FormatError, parse_messages, to_markdown
from ui.conversations.transcript import history_to_messages, messages_to_history
from ui.protect import images
from ui.protect.images import MAX_SIDE, check_image, sniff
from ui.text.advice import advice


def encoded(size, fmt="PNG", mode="RGB", **options):
    out = io.BytesIO()
    Image.new(mode, size, (10, 120, 200) if mode == "RGB" else (10, 120, 200, 90)).save(
        out, fmt, **options)
    return out.getvalue()


def png_header(width, height):
    """A PNG that declares `width`x`height` pixels in a few dozen bytes: a decompression bomb."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) \
        + chunk(b"IEND", b"")


def refusal(err):
    return advice(err, "en")


@pytest.mark.parametrize("fmt, mime", [("PNG", "image/png"), ("JPEG", "image/jpeg"),
                                       ("GIF", "image/gif"), ("WEBP", "image/webp")])
def test_each_format_is_known_by_its_bytes_and_sent_as_is_when_small(fmt, mime):
    data = encoded((40, 30), fmt)
    assert sniff(data[:16]) == mime
    checked = check_image(data, "whatever.txt")  # the name says nothing
    assert checked.part == ImagePart(mime, data) and (checked.width, checked.height) == (40, 30)
    assert checked.describe() == f"{mime.removeprefix('image/').upper()} 40×30"


@pytest.mark.parametrize("data", [b"GIF8", b"<svg xmlns='http://www.w3.org/2000/svg'/>",
                                  b"BM" + b"\0" * 60, b"%PDF-1.7\n", b""])
def test_anything_but_the_four_formats_is_refused_whatever_its_name(data):
    with pytest.raises(ValidationError) as caught:
        check_image(data, "/tmp/gradio/abc/photo.png")
    assert refusal(caught.value) == "photo.png is not an image this chat takes (PNG, JPEG, GIF, WebP)"


def test_a_file_that_starts_like_a_png_but_is_not_one_is_refused_as_unreadable():
    data = encoded((40, 30), "PNG")
    with pytest.raises(ValidationError) as caught:
        check_image(data[:8] + b"garbage" * 20, "x.png")
    assert refusal(caught.value) == "x.png could not be read as an image"


def test_a_decompression_bomb_is_refused_from_its_header_before_any_decoding(monkeypatch):
    bomb = png_header(30_000, 30_000)  # 900 megapixels in 80 bytes
    assert len(bomb) < 100
    decoded = []
    monkeypatch.setattr(Image.Image, "load", lambda self: decoded.append(self))
    with pytest.raises(ValidationError) as caught:
        check_image(bomb, "bomb.png")
    assert refusal(caught.value) == ("bomb.png has too many pixels (over 25 megapixels); "
                                     "attach a smaller image")
    assert decoded == []
    # Just over our ceiling, far below Pillow's own: refused by ours.
    with pytest.raises(ValidationError) as caught:
        check_image(png_header(5001, 5000), "big.png")
    assert caught.value.reason == "image_pixels"


def test_a_large_photo_is_scaled_down_to_the_longest_side_and_sent_as_jpeg():
    checked = check_image(encoded((4000, 3000), "JPEG", quality=95), "photo.jpg")
    assert checked.part.mime == "image/jpeg"
    assert (checked.width, checked.height) == (MAX_SIDE, 1536)
    with Image.open(io.BytesIO(checked.part.data)) as sent:
        assert sent.format == "JPEG" and sent.size == (MAX_SIDE, 1536)


def test_a_large_transparent_image_stays_transparent_as_png():
    checked = check_image(encoded((3000, 1000), "PNG", mode="RGBA"), "logo.png")
    assert checked.part.mime == "image/png" and (checked.width, checked.height) == (MAX_SIDE, 683)
    with Image.open(io.BytesIO(checked.part.data)) as sent:
        assert sent.mode == "RGBA"


def test_an_upload_over_the_byte_limit_is_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(images, "MAX_IMAGE_BYTES", 1_000)
    path = tmp_path / "huge.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 2_000)
    with pytest.raises(ValidationError) as caught:
        images.read_upload(str(path))
    assert caught.value.reason == "image_bytes"
    with pytest.raises(ValidationError):
        check_image(path.read_bytes(), "huge.png")


def saved(tmp_path, name, size=(64, 48)):
    path = tmp_path / name
    path.write_bytes(encoded(size))
    return str(path)


def test_at_most_four_images_a_message_and_the_session_keeps_the_latest(tmp_path):
    paths = [saved(tmp_path, f"{i}.png") for i in range(MAX_KEPT + 2)]
    with pytest.raises(ValidationError) as caught:
        attach(paths[:5], {})
    assert refusal(caught.value) == "at most 4 images per message"
    kept = {}
    for start in range(0, len(paths), 3):
        blocks, kept = attach(paths[start:start + 3], kept)
    assert list(kept) == paths[2:]  # the two oldest dropped
    assert blocks[0] == {"type": "file", "alt_text": "PNG 64×48",
                         "file": {"path": paths[-3], "mime_type": "image/png"}}


def test_an_image_goes_to_minimax_while_kept_and_is_named_once_gone(tmp_path):
    blocks, kept = attach([saved(tmp_path, "cat.png")], {})
    history = [{"role": "user", "content": [*blocks, {"type": "text", "text": "what is it?"}]}]
    [message] = to_messages(history, {}, kept)
    assert message == Message("user", "what is it?", (kept[blocks[0]["file"]["path"]],))
    [gone] = to_messages(history, {}, {})
    assert gone == Message("user", "[an image that is no longer available: PNG 64×48]\n\nwhat is it?")
    # A path the browser sends back only looks up this session's images: nothing is read.
    forged = [{"role": "user", "content": [{"type": "file", "alt_text": "PNG 1×1",
                                             "file": {"path": "/etc/passwd", "mime_type": "image/png"}},
                                            {"type": "text", "text": "hi"}]}]
    assert to_messages(forged, {}, kept)[0].images == ()


def test_send_keeps_a_bad_image_message_in_the_box_and_says_why(tmp_path):
    bad = tmp_path / "notes.png"
    bad.write_text("not an image")
    request = type("R", (), {"headers": {"accept-language": "en"}, "session_hash": "s"})()
    box, history, kept, said = TurnHandlers(Runs()).send({"text": "look", "files": [str(bad)]},
                                                         [], {}, request)
    assert box["__type__"] == "update" and "value" not in box  # the message stays in the box
    assert history == gr.skip() and kept == gr.skip()  # the chat too
    assert "notes.png is not an image this chat takes" in said
    good = saved(tmp_path, "ok.png")
    box, history, kept, _ = TurnHandlers(Runs()).send({"text": "", "files": [good]}, [], {}, request)
    assert box == "" and history[0]["content"][0]["alt_text"] == "PNG 64×48" and good in kept


def test_the_store_keeps_a_line_per_image_and_a_reload_shows_it_as_a_note(tmp_path):
    blocks, _ = attach([saved(tmp_path, "a.png"), saved(tmp_path, "b.png", (10, 20))], {})
    history = [{"role": "user", "content": [*blocks, {"type": "text", "text": "compare"}]},
               {"role": "assistant", "content": "same colour"}]
    messages = history_to_messages(history, {})
    assert messages[0] == {"role": "user", "content": "compare",
                           "images": ["PNG 64×48", "PNG 10×20"]}
    assert parse_messages(messages) == messages
    restored, _ = messages_to_history(messages, "en")
    assert restored[1] == images_note(["PNG 64×48", "PNG 10×20"], "en")
    assert "🖼 PNG 64×48 · PNG 10×20" in restored[1]["content"]
    assert "the image itself is not kept in this browser" in restored[1]["content"]
    assert history_to_messages(restored, {}) == messages  # saved again after the reload
    markdown = to_markdown({"title": "t", "settings": {"api": "v2", "model": "MiniMax-M3",
                                                        "temperature": 1.0, "top_p": 0.95,
                                                        "max_tokens": 10},
                            "messages": messages}, "en")
    assert "*🖼 images attached (not kept): PNG 64×48; PNG 10×20*" in markdown


@pytest.mark.parametrize("value", ["PNG 1×1", ["x"] * 5, [3], ["x" * 41]])
def test_a_stored_images_line_is_checked_like_the_rest(value):
    with pytest.raises(FormatError):
        parse_messages([{"role": "user", "content": "hi", "images": value}])

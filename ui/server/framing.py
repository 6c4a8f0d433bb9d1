"""Which sites may show the page in a frame (CSP `frame-ancestors`, and X-Frame-Options).

A page any site can frame can be dressed up as another site, or covered with a decoy that
steers a visitor's clicks into it. By default only the app itself may frame it; on Hugging
Face Spaces (SYSTEM=spaces) huggingface.co may as well, since a Space's page shows the app in
an iframe. APP_FRAME_ANCESTORS replaces the list: CSP sources separated by spaces, e.g.
`'self' https://example.org`, `*` for any site, `'none'` for no frame at all.
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping

from minimax_backend import ValidationError

SPACES_ANCESTORS = "'self' https://huggingface.co"
# 'self', 'none', *, a scheme (https:), or a host with an optional scheme, *. prefix and port.
_SOURCE = re.compile(r"'self'|'none'|\*|https?:|(https?://)?(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?")


def frame_ancestors_from_env(env: Mapping[str, str] | None = None) -> str:
    """The `frame-ancestors` sources; raises ValidationError naming APP_FRAME_ANCESTORS for a
    value that is not a list of CSP sources."""
    env = os.environ if env is None else env
    raw = " ".join((env.get("APP_FRAME_ANCESTORS") or "").split())
    if not raw:
        return SPACES_ANCESTORS if env.get("SYSTEM") == "spaces" else "'self'"
    sources = raw.split(" ")
    if not all(_SOURCE.fullmatch(source) for source in sources) \
            or ("'none'" in sources and len(sources) > 1):
        raise ValidationError("APP_FRAME_ANCESTORS", "setting", got=raw,
                              expected="CSP sources separated by spaces, like 'self' https://example.org")
    return raw


def frame_headers(ancestors: str) -> list[tuple[bytes, bytes]]:
    """X-Frame-Options for browsers without `frame-ancestors`, where it can say the same:
    it names no other site, so it is sent only for `'self'` or `'none'`."""
    legacy = {"'self'": b"SAMEORIGIN", "'none'": b"DENY"}.get(ancestors)
    return [(b"x-frame-options", legacy)] if legacy else []

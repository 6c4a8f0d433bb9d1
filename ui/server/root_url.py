"""gradio's root URL, worked out once per distinct request origin.

gradio works out the page's public address (for the links to files in its answers) on every
quick step and every queued event: two `httpx.URL` parses of the request's address and its
forwarding headers, 0.4 ms of the one event loop each time, the same answer every time for a
given host. `remember_root_urls` keeps gradio's own function and remembers its answer, keyed
by everything it reads.
"""
from __future__ import annotations

import functools
from typing import Any

from gradio import route_utils

# Distinct keys kept: hosts, forwarding headers and paths a server sees (a stranger varying
# headers only churns the oldest out; each miss costs what gradio costs).
KEPT = 256
_HEADERS = ("x-forwarded-host", "x-gradio-server", "x-forwarded-proto")


def remember_root_urls() -> bool:
    """Make gradio's `get_root_url` remember its answers; False if it already does."""
    if getattr(route_utils.get_root_url, "remembers", False):
        return False
    route_utils.get_root_url = _remembering(route_utils.get_root_url)
    return True


def _remembering(original: Any) -> Any:
    @functools.lru_cache(maxsize=KEPT)
    def answer(address: str, headers: tuple, route_path: str, root_path: str | None) -> str:
        return original(_Read(address, headers), route_path, root_path)

    @functools.wraps(original)
    def get_root_url(request: Any, route_path: str, root_path: str | None) -> str:
        # What gradio reads: the address without its query (gradio drops it), and the headers.
        headers = tuple(request.headers.get(name) for name in _HEADERS)
        return answer(str(request.url).split("?", 1)[0], headers, route_path, root_path)

    get_root_url.remembers = True  # type: ignore[attr-defined]
    return get_root_url


class _Read:
    """What gradio reads of a request to work out its root URL."""

    def __init__(self, address: str, headers: tuple) -> None:
        self.url = address
        self.headers = {name: value for name, value in zip(_HEADERS, headers) if value}

"""gradio's busiest routes first, so each request finds its route at once.

fastapi tries an app's routes in order, twice a request (once to pick the branch, once to
handle it). gradio's own routes come last, behind the page's 21, and the three that every
message uses (join the queue, read its events, run a quick step) are the 36th, 40th and 44th
of its 63: ~110 route checks a request, 0.5 ms of the one event loop (a quarter of a join's
cost in-process; in a profile of the loop while 100 visitors sent at once, a fifth of it).

Moving a route forward can change which route answers a path only where two routes match
it. `hot_routes_first` checks every route's own path against both orders and puts the old
order back if any answer would change, so a gradio upgrade that adds an overlapping route
costs speed, never behaviour.
"""
from __future__ import annotations

import logging
import re
from typing import Any

from starlette.routing import Match

log = logging.getLogger(__name__)

# (method, path pattern) of the routes every message uses, in gradio's router.
HOT = (("POST", "/gradio_api/queue/join"), ("GET", "/gradio_api/queue/data"),
       ("POST", "/gradio_api/run/{api_name}"))


def hot_routes_first(app: Any) -> bool:
    """Reorder `app`'s routes (a gradio app, before it serves) so the `HOT` ones are tried
    first; False, and the order untouched, if that would change any route's answer."""
    top, branch = app.router.routes, _branch(app)
    if branch is None:
        return False
    inner = branch.original_router.routes
    saved = list(top), list(inner)
    probes = every_probe(app)
    before = [_answer(app, method, path) for method, path in probes]
    hot = [r for r in inner if (_method(r), getattr(r, "path", None)) in HOT]
    inner[:] = hot + [r for r in inner if r not in hot]
    top[:] = [branch] + [r for r in top if r is not branch]
    _touch(branch.original_router)
    if len(hot) != len(HOT) or [_answer(app, m, p) for m, p in probes] != before:
        top[:], inner[:] = saved
        _touch(branch.original_router)
        log.info("gradio's routes kept in their order: moving the busiest first would change "
                 "which route answers some path")
        return False
    return True


def _answer(app: Any, method: str, path: str) -> Any:
    """The route that answers `method path`, as fastapi picks it: the first full match,
    else the first partial one (a path whose method differs)."""
    scope = {"type": "http", "method": method, "path": path, "root_path": "", "headers": [],
             "query_string": b"", "app": app}
    for routes in _levels(app):
        full = next((r for r in routes if r.matches(scope)[0] == Match.FULL), None)
        partial = next((r for r in routes if r.matches(scope)[0] == Match.PARTIAL), None)
        found = full or partial
        if found is None or not hasattr(found, "original_router"):
            return found
    return None


def every_probe(app: Any) -> list[tuple[str, str]]:
    """(method, path) for every route of the app and of gradio's branch: its own path."""
    return [(method, _sample(route.path)) for routes in _levels(app) for route in routes
            if isinstance(getattr(route, "path", None), str)
            for method in sorted(getattr(route, "methods", None) or {"GET"})]


def _branch(app: Any) -> Any:
    """gradio's own routes, included in the app as one branch."""
    return next((r for r in app.router.routes if hasattr(r, "original_router")), None)


def _levels(app: Any) -> Any:
    """The app's routes, then those of gradio's branch within them."""
    yield app.router.routes
    branch = _branch(app)
    if branch is not None:
        yield branch.original_router.routes


def _sample(pattern: str) -> str:
    """A concrete path `pattern` matches: each {parameter} filled in."""
    return re.sub(r"\{[^}:]+(:path)?\}", lambda m: "a/b" if m.group(1) else "a", pattern)


def _method(route: Any) -> str | None:
    methods = getattr(route, "methods", None) or ()
    return next(iter(methods), None) if len(methods) == 1 else None


def _touch(router: Any) -> None:
    """fastapi caches each branch's routes by a version number it bumps on every change."""
    if isinstance(getattr(router, "_routes_version", None), int):
        router._routes_version += 1

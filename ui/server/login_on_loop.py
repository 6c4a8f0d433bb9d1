"""gradio's login check, answered on the event loop instead of in a worker thread.

Every gradio route depends on `login_check`, a plain function, so fastapi runs it in its
thread pool: a thread hand-off and back for every request, each waiting its turn at the GIL
behind the event loop. Its work is a comparison (the user was already looked up, by an
`async` dependency). `login_checks_on_loop` gives each route an `async` twin of the same
function instead, which calls it directly.
"""
from __future__ import annotations

import functools
import inspect
from collections.abc import Iterator
from typing import Any

NAME = "login_check"


def login_checks_on_loop(app: Any) -> int:
    """Swap gradio's sync `login_check` dependency for an async twin in every route of
    `app` (a gradio app, before it serves); the number of routes changed."""
    twins: dict[Any, Any] = {}
    changed = 0
    for dependant in _dependants(app):
        for sub in dependant.dependencies:
            call = sub.call
            if getattr(call, "__name__", None) != NAME or inspect.iscoroutinefunction(call):
                continue
            if call not in twins:
                twins[call] = _twin(call)
            sub.call = twins[call]
            changed += 1
    return changed


def _twin(check: Any) -> Any:
    """An `async` function with `check`'s signature (so fastapi resolves the same
    dependencies for it) that returns what `check` returns."""
    @functools.wraps(check)
    async def twin(*args: Any, **kwargs: Any) -> Any:
        return check(*args, **kwargs)
    return twin


def _dependants(app: Any) -> Iterator[Any]:
    """The dependants fastapi solves for `app`'s requests: each route's own and, for a router
    included in it (gradio's branch), those of the routes it built for the inclusion, which
    it builds here if it has not yet (it builds them again after its routes change)."""
    stack = list(app.router.routes)
    while stack:
        route = stack.pop()
        if getattr(route, "dependant", None) is not None:
            yield route.dependant
        if callable(getattr(route, "effective_candidates", None)):
            stack.extend(route.effective_candidates())

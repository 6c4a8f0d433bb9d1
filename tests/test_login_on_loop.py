"""gradio's login check runs on the event loop, and still refuses a visitor who is not logged
in (ui/server/login_on_loop.py). The whole suite runs against the changed app (`prepared`)."""
from __future__ import annotations

import asyncio
import inspect

import fastapi.dependencies.utils as fastapi_deps
import httpx
import pytest
from gradio.routes import App

from app import build_demo
from ui.server.login_on_loop import NAME, _dependants, login_checks_on_loop


@pytest.fixture(scope="module")
def demo():
    return build_demo()


def _get(app, *requests):
    async def calls():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
            return [await client.request(method, path, json=body) for method, path, body in requests]
    return asyncio.run(calls())


def _thread_hops(monkeypatch, app) -> int:
    """How many times fastapi handed a dependency to its thread pool for a page load and a
    quick step."""
    hops = []
    original = fastapi_deps.run_in_threadpool

    async def counted(call, *args, **kwargs):
        hops.append(getattr(call, "__name__", call))
        return await original(call, *args, **kwargs)

    monkeypatch.setattr(fastapi_deps, "run_in_threadpool", counted)
    page, step = _get(app, ("GET", "/config", None), ("POST", "/gradio_api/run/predict", {}))
    assert page.status_code == 200 and step.status_code != 401
    return len(hops)


def test_every_login_check_is_async_and_no_request_waits_for_a_thread(demo, monkeypatch):
    app = App.create_app(demo)
    assert _thread_hops(monkeypatch, app) >= 2  # gradio's own: one a request

    changed = login_checks_on_loop(app)

    checks = [sub.call for d in _dependants(app) for sub in d.dependencies
              if sub.call.__name__ == NAME]
    assert changed == len(checks) > 20
    assert all(inspect.iscoroutinefunction(check) for check in checks)
    assert _thread_hops(monkeypatch, app) == 0
    assert login_checks_on_loop(app) == 0  # once is enough


def test_a_visitor_who_is_not_logged_in_is_still_refused(demo, monkeypatch):
    app = App.create_app(demo)
    login_checks_on_loop(app)
    app.auth = {"host": "secret"}  # as `launch(auth=...)` sets them
    monkeypatch.setattr(demo, "auth_message", "Log in", raising=False)

    page, step = _get(app, ("GET", "/config", None), ("POST", "/gradio_api/run/predict", {}))

    assert page.status_code == step.status_code == 401
    assert page.json()["detail"] == {"error": "Not authenticated", "auth_message": "Log in"}

"""gradio's busiest routes are tried first, and no path changes hands (ui/server/route_order.py).
The whole suite then runs against the reordered app (`launch()` applies it)."""
from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi.routing import APIRoute
from gradio.routes import App

from app import build_demo
from ui.server.route_order import HOT, _answer, every_probe, hot_routes_first


@pytest.fixture(scope="module")
def demo():
    return build_demo()


def test_the_busiest_routes_come_first_and_every_path_keeps_its_route(demo):
    app = App.create_app(demo)
    probes = every_probe(app)
    before = [_answer(app, method, path) for method, path in probes]
    assert len(probes) > 80 and all(before)

    assert hot_routes_first(app)

    branch = app.router.routes[0]
    assert {(min(r.methods), r.path) for r in branch.original_router.routes[:3]} == set(HOT)
    assert [_answer(app, method, path) for method, path in probes] == before
    assert _answer(app, "POST", "/gradio_api/run/predict").path == "/gradio_api/run/{api_name}"
    assert _answer(app, "GET", "/config").path == "/config"


def test_an_overlapping_route_leaves_the_order_as_it_was(demo):
    app = App.create_app(demo)
    inner = app.router.routes[-1].original_router.routes
    # A route ahead of gradio's that also answers /gradio_api/run/<name>: moving gradio's
    # own in front of it would take those paths from it.
    inner.insert(0, APIRoute("/gradio_api/run/{name}", lambda name: name, methods=["POST"]))
    top, kept = list(app.router.routes), list(inner)

    assert not hot_routes_first(app)
    assert app.router.routes == top and inner == kept


def test_the_reordered_app_serves_a_step_and_the_page(demo):
    app = App.create_app(demo)
    assert hot_routes_first(app)
    async def calls():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
            page = await client.get("/config")
            joined = await client.post("/gradio_api/queue/join", json={})
            step = await client.post("/gradio_api/run/predict", json={})
        return page, joined, step

    page, joined, step = asyncio.run(calls())
    assert page.status_code == 200 and page.json()["components"]
    # A body missing its fields reaches the route and its validation, not a 404 or 405.
    assert joined.status_code == 422 and step.status_code == 422

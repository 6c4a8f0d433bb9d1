"""The server's event loop is uvloop's where it is installed (requirements.txt: everywhere but
Windows): the one loop every visitor shares runs its callbacks, timers and sockets in C."""
from __future__ import annotations

import sys

import pytest
import requests

import app


@pytest.mark.skipif(sys.platform == "win32", reason="uvloop has no Windows build; asyncio serves")
def test_the_launched_server_runs_on_uvloop():
    import uvloop

    demo = app.build_demo()
    options = {k: v for k, v in app.launch_options().items() if k != "share"}
    _, url, _ = demo.launch(prevent_thread_lock=True, quiet=True, server_name="127.0.0.1",
                            **options)
    try:
        loop = demo.server.config.get_loop_factory()()  # what uvicorn ran `serve()` on
        try:
            assert isinstance(loop, uvloop.Loop)
        finally:
            loop.close()
        assert requests.get(url + "config", timeout=10).status_code == 200
    finally:
        demo.close()

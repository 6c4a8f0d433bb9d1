"""The HTTP edge of the page: what gradio does not provide, installed by `app.py`.

- `middleware`  security headers, the body cap, and the stack in order (`middleware()`)
- `forwarded`   which address a request comes from: the rule behind every per-address limit
- `framing`     who may frame the page
- `timeouts`    idle and slow connections closed
- `refused`     gradio routes this page never calls
- `budget`      what one address may post, and one large body at a time
- `uploads`     one file per upload, within a per-address and a total disk budget
- `sessions`    what gradio keeps per browser session, bounded in bytes
- `route_order` gradio's busiest routes tried first
- `lifespan`    the two above, installed before the first request

The only package under `ui` that may import an HTTP library (starlette, uvicorn). Imports
nothing else from `ui`.
"""

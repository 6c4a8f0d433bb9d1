"""The MiniMax emulator as the benchmark runs it, in its own process.

`python -m bench.emulator_host --port P` serves the backend's emulator with two additions for
the benchmark, both under `/_bench/` so no chat path changes:

- a stream clock: for every chat response, when the request arrived and when its first and
  last bytes were handed to the server (wall-clock `time.time()`, comparable with the other
  processes on this machine), how many `data:` events it carried, and the reply's full text
  as its terminal event repeats it (`GET /_bench/streams`, `DELETE` to forget);
- the reply's shape for every request without its own header, e.g.
  `POST /_bench/directives {"directives": "chunks=100;interval_ms=20"}`, because the apps
  under test send no emulator header of their own.
"""
from __future__ import annotations

import argparse
import json
import time
from collections import deque

from minimax_backend.emulator import PRO_PATH, V2_PATH, Emulator, EmulatorConfig, parse_faults
from minimax_backend.emulator.state import EmulatorState

CONTROL = "/_bench/"
KEPT_STREAMS = 1000


def final_text(event: bytes) -> str | None:
    """The whole reply as the terminal `chat.completion` event repeats it, if `event` is one."""
    if not event.startswith(b"data: "):
        return None
    try:
        frame = json.loads(event[6:])
        if frame.get("object") == "chat.completion":
            return frame["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        pass
    return None


class StreamClock:
    """ASGI middleware: times chat responses and answers the `/_bench/` control routes."""

    def __init__(self, app, state: EmulatorState) -> None:
        self.app = app
        self.state = state
        self.streams: deque[dict] = deque(maxlen=KEPT_STREAMS)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if scope["path"].startswith(CONTROL):
            return await self._control(scope, receive, send)
        if scope["path"] not in (V2_PATH, PRO_PATH):
            return await self.app(scope, receive, send)
        record = {"path": scope["path"], "received": time.time(), "first_byte": None,
                  "last_byte": None, "events": 0, "final_text": None}
        last_event = b""

        async def timed_send(message) -> None:
            nonlocal last_event
            if message["type"] == "http.response.body":
                body = message.get("body", b"")
                if body:
                    if record["first_byte"] is None:
                        record["first_byte"] = time.time()
                    record["events"] += body.count(b"data: ")
                    last_event = body
                await send(message)
                if not message.get("more_body", False):
                    record["last_byte"] = time.time()
                    record["final_text"] = final_text(last_event)
                return
            await send(message)

        self.streams.append(record)
        await self.app(scope, receive, timed_send)

    async def _control(self, scope, receive, send) -> None:
        action = (scope["method"], scope["path"][len(CONTROL):])
        if action == ("GET", "streams"):
            return await _reply(send, 200, list(self.streams))
        if action == ("DELETE", "streams"):
            self.streams.clear()
            return await _reply(send, 200, {"cleared": True})
        if action == ("POST", "directives"):
            body = b""
            while True:
                message = await receive()
                body += message.get("body", b"")
                if not message.get("more_body"):
                    break
            try:
                directives = json.loads(body)["directives"]
                # The emulator's default for requests without their own header.
                self.state.default_faults = parse_faults(directives)
            except (ValueError, KeyError, TypeError) as err:
                return await _reply(send, 400, {"error": str(err)})
            return await _reply(send, 200, {"directives": directives})
        return await _reply(send, 404, {"error": "unknown control route"})


async def _reply(send, status: int, payload: object) -> None:
    data = json.dumps(payload).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(data)).encode())]})
    await send({"type": "http.response.body", "body": data})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--interval-ms", type=float, default=20.0)
    args = parser.parse_args(argv)
    emulator = Emulator(EmulatorConfig(port=args.port, interval_ms=args.interval_ms))
    emulator.app = StreamClock(emulator.app, emulator.state)
    try:
        emulator.serve_forever(on_ready=lambda url: print(f"emulator for benchmarks on {url}",
                                                          flush=True))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()

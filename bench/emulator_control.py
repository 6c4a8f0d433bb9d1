"""The benchmark's side of the emulator host's `/_bench/` routes (see emulator_host.py)."""
from __future__ import annotations

import time

import httpx


class EmulatorControl:
    """Sets the shape of the emulator's replies and reads its stream clock."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._http = httpx.Client(timeout=10.0)

    def set_directives(self, directives: str) -> None:
        """Every following request without its own header gets these (e.g. `chunks=100`)."""
        self._http.post(self.url + "/_bench/directives",
                        json={"directives": directives}).raise_for_status()

    def streams(self) -> list[dict]:
        """Every chat response since the last clear, oldest first."""
        response = self._http.get(self.url + "/_bench/streams")
        response.raise_for_status()
        return response.json()

    def clear_streams(self) -> None:
        self._http.delete(self.url + "/_bench/streams").raise_for_status()

    def wait_for_stream(self, timeout_s: float) -> dict:
        """The first stream since the last clear, once its last byte is out."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            done = [s for s in self.streams() if s["last_byte"] is not None]
            if done:
                return done[0]
            time.sleep(0.05)
        raise TimeoutError(f"no finished stream from the emulator within {timeout_s:.0f} s")

    def close(self) -> None:
        self._http.close()

"""Which address a request comes from: the one rule behind every per-address limit.

The visitor is the socket's peer, unless APP_TRUST_PROXY says a proxy stands in front of the
app. A client may send any `X-Forwarded-For` it likes, and a proxy appends the address it
saw, so only hops at the right-hand end were written by proxies:

- off (the default, except on Spaces): no `X-Forwarded-For` is read, from any peer, loopback
  included (same-host proxies and `--share` tunnels connect from 127.0.0.1 too);
- `1`, `true`, `yes`, `on` (the default when SYSTEM=spaces): one proxy, at whatever address;
  the visitor is the right-most hop, the one that proxy appended;
- a whole number N: N proxies in a chain; the visitor is the N-th hop from the right;
- addresses or networks, comma-separated (`10.0.0.0/8, 127.0.0.1`): the proxies; the header
  is read only from a peer among them, and the visitor is the right-most hop not among them.

With fewer hops than the rule needs, or a hop that is not an address, the peer stands for the
visitor: whoever wrote that header shares the proxy's count rather than choosing their own.
`ForwardedFor` applies the rule to the ASGI scope, so gradio's `request.client` and every
limit see the visitor; uvicorn must not apply its own rule first (`distrust_in_uvicorn`).
"""
from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from minimax_backend import ValidationError

_ON, _OFF = ("1", "true", "yes", "on"), ("", "0", "false", "no", "off")
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class ProxyRule:
    """How many proxies stand in front (`hops`, 0: none), or which addresses they have."""

    hops: int = 0
    proxies: tuple[Network, ...] = ()

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ProxyRule:
        """The rule from APP_TRUST_PROXY (on by default when SYSTEM=spaces); raises
        ValidationError naming the variable for a value it cannot read."""
        env = os.environ if env is None else env
        raw = (env.get("APP_TRUST_PROXY") or "").strip().lower()
        if not raw and env.get("SYSTEM") == "spaces":
            raw = "1"  # Spaces runs every app behind its own proxy
        if raw in _OFF:
            return cls()
        if raw in _ON:
            return cls(hops=1)
        if raw.isdigit():
            return cls(hops=int(raw))
        try:
            proxies = tuple(ipaddress.ip_network(part.strip(), strict=False)
                            for part in raw.split(",") if part.strip())
        except ValueError:
            raise ValidationError("APP_TRUST_PROXY", "setting", got=raw, expected=(
                "off, on, a number of proxies, or the proxies' addresses separated by commas")) from None
        return cls(hops=1, proxies=proxies)

    def visitor(self, peer: str, forwarded: str) -> str:
        """The visitor's address, given the socket's peer and the joined X-Forwarded-For."""
        if not self.hops or not forwarded or (self.proxies and not self._is_proxy(peer)):
            return peer
        hops = [hop.strip() for hop in forwarded.split(",")]
        if self.proxies:  # the right-most hop that is not one of the proxies
            chosen = next((hop for hop in reversed(hops) if not self._is_proxy(hop)), None)
        else:
            chosen = hops[-self.hops] if len(hops) >= self.hops else None
        address = _address(chosen or "")
        return address or peer

    def _is_proxy(self, host: str) -> bool:
        address = _address(host)
        return address is not None and any(ipaddress.ip_address(address) in net
                                           for net in self.proxies)


def _address(hop: str) -> str | None:
    """The IP address in one hop (`1.2.3.4`, `1.2.3.4:5678`, `[::1]:80`), else None."""
    host = hop
    if hop.startswith("["):
        host = hop[1:hop.find("]")] if "]" in hop else ""
    elif hop.count(":") == 1:
        host = hop.split(":")[0]
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return None


class ForwardedFor:
    """ASGI middleware: puts the visitor's address (`ProxyRule.visitor`) in `scope["client"]`."""

    def __init__(self, app: Any, rule: ProxyRule | None = None) -> None:
        self.app = app
        self.rule = ProxyRule.from_env() if rule is None else rule

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket") and self.rule.hops:
            peer, _port = scope.get("client") or ("", 0)
            forwarded = b",".join(value for name, value in scope.get("headers", [])
                                  if name == b"x-forwarded-for").decode("latin-1")
            visitor = self.rule.visitor(peer, forwarded)
            if visitor != peer:
                scope = {**scope, "client": (visitor, 0)}
        await self.app(scope, receive, send)


def distrust_in_uvicorn() -> None:
    """Tell uvicorn to trust no proxy: by default it takes X-Forwarded-For from 127.0.0.1,
    whatever APP_TRUST_PROXY says, and leaves no trace of the real peer for the rule above.
    gradio builds uvicorn's Config without this setting, so uvicorn reads its variable; call
    before `launch()`."""
    os.environ["FORWARDED_ALLOW_IPS"] = ""

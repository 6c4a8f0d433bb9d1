"""Connection settings, read once from a mapping (the environment by default)."""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from .errors import ValidationError

REGIONS = {"cn": "https://api.minimaxi.com", "global": "https://api.minimax.io"}
# Most of our users are in mainland China, and the seed how-to used the mainland host.
DEFAULT_REGION = "cn"


@dataclass(frozen=True)
class Settings:
    """Where and how to reach MiniMax. `base_url`, when set, overrides the region's host."""

    api_key: str = ""
    group_id: str = ""
    region: str = DEFAULT_REGION
    base_url: str = ""
    connect_timeout: float = 10.0
    read_timeout: float = 120.0  # longest silence tolerated between two stream reads
    max_retries: int = 2

    def __post_init__(self) -> None:
        if self.region not in REGIONS:
            raise ValidationError("MINIMAX_REGION", "one_of", allowed=sorted(REGIONS), got=self.region)
        if self.group_id and not self.group_id.isdigit():
            raise ValidationError("MINIMAX_GROUP_ID", "digits")

    @property
    def url(self) -> str:
        """The base URL requests go to, without a trailing slash."""
        return (self.base_url or REGIONS[self.region]).rstrip("/")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from MINIMAX_* variables; keyword arguments that are not None win."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {
            "api_key": env.get("MINIMAX_API_KEY", "").strip(),
            "group_id": env.get("MINIMAX_GROUP_ID", "").strip(),
            "region": (env.get("MINIMAX_REGION", "").strip().lower() or DEFAULT_REGION),
            "base_url": env.get("MINIMAX_BASE_URL", "").strip(),
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with the given non-None fields replaced."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})

    def __repr__(self) -> str:  # never print the key
        key = "set" if self.api_key else "missing"
        return f"Settings(api_key=<{key}>, group_id={self.group_id!r}, url={self.url!r})"

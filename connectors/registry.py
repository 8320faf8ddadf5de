"""Which platforms kamei knows, and how to build a connector for a shop.

Each platform module exposes one :class:`PlatformSpec`; ``sync`` and ``cli``
only ever go through :func:`get_platform`, so adding a platform means adding a
module and one line in ``_SPECS`` here, never touching ``sync`` or ``store``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from kamei.errors import ConfigError
from kamei.i18n import t

from .types import Connector

__all__ = ["PlatformSpec", "get_platform", "platform_names", "positive_setting"]


@dataclass(frozen=True, slots=True)
class PlatformSpec:
    """How kamei talks to one platform.

    ``parse_credential`` validates the text given to ``shop add --credential-stdin``
    and returns the secret fields to keep in the keyring; ``build`` makes a
    connector from an ``httpx.Client`` (already pointing at the shop's base URL),
    those fields and the shop's non-secret settings.
    """

    name: str
    label: str
    default_base_url: str
    default_lookback: dt.timedelta
    default_rate_per_s: float
    credential_help: str
    parse_credential: Callable[[str], dict[str, str]]
    build: Callable[[httpx.Client, Mapping[str, str], Mapping[str, Any]], Connector]
    read_timeout_s: float = 60.0
    """How long to wait for a response to arrive (seconds); per platform because
    some send large, slow responses."""
    parse_mapping: Callable[[str, str], dict[str, Any]] | None = None
    """Checks the text of a ``shop add --mapping FILE`` (the file named by the second
    argument in messages) and returns the JSON to keep in the shop's settings under
    ``mapping``; ``None`` for platforms whose wire format is documented, not mapped."""


def _specs() -> dict[str, PlatformSpec]:
    # Imported lazily: `kamei --help` must not pay for every platform module.
    from . import colorme, makeshop, shopserve

    return {spec.name: spec for spec in (colorme.SPEC, makeshop.SPEC, shopserve.SPEC)}


def platform_names() -> list[str]:
    return sorted(_specs())


def get_platform(name: str) -> PlatformSpec:
    specs = _specs()
    try:
        return specs[name]
    except KeyError:
        known = ", ".join(sorted(specs))
        raise ConfigError(t("registry.unknown_platform", name=name, known=known)) from None


def positive_setting(value: object, name: str, platform: str, shop: str) -> float:
    """A shop setting that must be a positive number (rate, burst), as a float."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return float(value)
    raise ConfigError(t("registry.not_positive", platform=platform, shop=shop, name=name))

"""Platform connectors: what ``sync`` and ``cli`` may use from this package.

Everything another package needs is importable from ``connectors`` itself and
listed in ``__all__`` (``tests/test_exported_members.py`` keeps the list honest):
the values that cross the connector seam, the platform registry, the shared HTTP
helpers, prefecture names for reports, and the Color Me OAuth pieces used by
``kamei auth``. Platform modules themselves are reached through
:func:`get_platform`, never imported directly.
"""

from __future__ import annotations

import importlib
import typing

# Names load their submodule on first use (PEP 562), so that a report needing only
# prefecture names, or `kamei --help`, does not import httpx and tenacity. Type
# checkers see ordinary imports.
if typing.TYPE_CHECKING:
    from . import colorme_oauth
    from .http import (
        DEFAULT_TIMEOUT,
        USER_AGENT,
        Budget,
        RetryPolicy,
        make_client,
        quiet_foreign_loggers,
        timeout_for,
    )
    from .prefectures import PREFECTURES, code_for_name, name_for_code
    from .registry import PlatformSpec, get_platform, platform_names
    from .types import (
        Connector,
        Cursor,
        Gender,
        OrderStatus,
        Page,
        RawBuyer,
        RawLine,
        RawOrder,
        RequestStats,
        TaxClass,
        Window,
    )

_LAZY: dict[str, str] = {
    "DEFAULT_TIMEOUT": "http",
    "USER_AGENT": "http",
    "Budget": "http",
    "RetryPolicy": "http",
    "make_client": "http",
    "quiet_foreign_loggers": "http",
    "timeout_for": "http",
    "PREFECTURES": "prefectures",
    "code_for_name": "prefectures",
    "name_for_code": "prefectures",
    "PlatformSpec": "registry",
    "get_platform": "registry",
    "platform_names": "registry",
    "Connector": "types",
    "Cursor": "types",
    "Gender": "types",
    "OrderStatus": "types",
    "Page": "types",
    "RawBuyer": "types",
    "RawLine": "types",
    "RawOrder": "types",
    "RequestStats": "types",
    "TaxClass": "types",
    "Window": "types",
}
"""Public name -> the submodule that defines it (``colorme_oauth`` is a submodule)."""

__all__ = [
    "DEFAULT_TIMEOUT",
    "PREFECTURES",
    "USER_AGENT",
    "Budget",
    "Connector",
    "Cursor",
    "Gender",
    "OrderStatus",
    "Page",
    "PlatformSpec",
    "RawBuyer",
    "RawLine",
    "RawOrder",
    "RequestStats",
    "RetryPolicy",
    "TaxClass",
    "Window",
    "code_for_name",
    "colorme_oauth",
    "get_platform",
    "make_client",
    "name_for_code",
    "platform_names",
    "quiet_foreign_loggers",
    "timeout_for",
]


if not typing.TYPE_CHECKING:  # for type checkers the names are the imports above

    def __getattr__(name):
        if name == "colorme_oauth":
            return importlib.import_module(f"{__name__}.colorme_oauth")
        submodule = _LAZY.get(name)
        if submodule is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{__name__}.{submodule}"), name)
        globals()[name] = value
        return value

    def __dir__():
        return sorted({*globals(), *__all__})

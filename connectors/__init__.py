"""Platform connectors: what ``sync`` and ``cli`` may use from this package.

Everything another package needs is importable from ``connectors`` itself and
listed in ``__all__`` (``tests/test_exported_members.py`` keeps the list honest):
the values that cross the connector seam, the platform registry, the shared HTTP
helpers, prefecture names for reports, and the Color Me OAuth pieces used by
``kamei auth``. Platform modules themselves are reached through
:func:`get_platform`, never imported directly.
"""

from . import colorme_oauth
from .http import (
    DEFAULT_TIMEOUT,
    USER_AGENT,
    Budget,
    RetryPolicy,
    make_client,
    quiet_foreign_loggers,
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
]

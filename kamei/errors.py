"""The kamei error tree.

Every error kamei raises on purpose derives from :class:`KameiError`. Each layer
has one branch; foreign exceptions (httpx, json, SQLAlchemy, keyring) are
translated once, at the edge of the layer that meets them, and chained with
``from``::

    KameiError
    ├── ConnectorError            a platform API could not be used
    │   ├── AuthError             401 / revoked token: re-authorise with `kamei auth`
    │   ├── PermissionDenied      token lacks a scope the API needs (not retried)
    │   ├── RateLimited           the platform kept answering 429 past the retry budget
    │   ├── PlatformUnavailable   5xx / maintenance / timeouts / resets past the budget
    │   └── ResponseFormatError   a body that is not what the platform documents
    ├── SyncError                 the incremental algorithm cannot go on
    │   ├── CheckpointError       a stored checkpoint of an unknown version
    │   └── SyncLocked            another `kamei sync` holds the store
    ├── StoreError                the encrypted store cannot be used
    │   ├── StoreMissing          no store at the path: run `kamei init`
    │   ├── StoreExists           `kamei init` would overwrite a store
    │   ├── WrongKey              the key does not open the file (or it is not a kamei store)
    │   ├── StoreCorrupt          the file is damaged
    │   └── UnknownShop           no shop of that name
    └── ConfigError               settings, secrets and input given by the user
        ├── KeyringUnavailable    no usable OS keyring backend
        └── SecretMissing         a secret kamei needs is not in the keyring

Messages carry identifiers only (platform, shop, window, endpoint, status,
field name) and always say what to do next. They never carry records, bodies,
URLs with query strings, SQL parameters, tokens or keys.
"""

from __future__ import annotations

__all__ = [
    "AuthError",
    "CheckpointError",
    "ConfigError",
    "ConnectorError",
    "KameiError",
    "KeyringUnavailable",
    "PermissionDenied",
    "PlatformUnavailable",
    "RateLimited",
    "ResponseFormatError",
    "SecretMissing",
    "StoreCorrupt",
    "StoreError",
    "StoreExists",
    "StoreMissing",
    "SyncError",
    "SyncLocked",
    "UnknownShop",
    "WrongKey",
]


class KameiError(Exception):
    """Root of every error kamei raises on purpose. ``str()`` is one line for the user."""

    exit_code: int = 1


# --- connectors -----------------------------------------------------------------


class ConnectorError(KameiError):
    """A platform API could not be used for this shop."""

    exit_code = 3


class AuthError(ConnectorError):
    """The platform rejected the credential (401, revoked token). Never retried."""


class PermissionDenied(ConnectorError):
    """The credential works but lacks a permission/scope kamei needs. Never retried."""


class RateLimited(ConnectorError):
    """The platform kept rate-limiting past the retry budget."""


class PlatformUnavailable(ConnectorError):
    """5xx, maintenance, timeouts or resets that outlasted the retry budget."""


class ResponseFormatError(ConnectorError):
    """The platform answered with something that is not its documented format."""


# --- sync -----------------------------------------------------------------------


class SyncError(KameiError):
    """The incremental sync cannot continue."""

    exit_code = 4


class CheckpointError(SyncError):
    """A stored checkpoint cannot be read (unknown version or shape)."""


class SyncLocked(SyncError):
    """Another ``kamei sync`` is running on this store."""

    exit_code = 75  # EX_TEMPFAIL: cron may simply try again later


# --- store ----------------------------------------------------------------------


class StoreError(KameiError):
    """The encrypted store cannot be opened or used."""

    exit_code = 5


class StoreMissing(StoreError):
    """There is no store at the expected path."""


class StoreExists(StoreError):
    """A store already exists where one would be created."""


class WrongKey(StoreError):
    """The key from the keyring does not open the store file."""


class StoreCorrupt(StoreError):
    """The store file is damaged or truncated."""


class UnknownShop(StoreError):
    """No shop with that name is registered."""


# --- configuration and secrets ----------------------------------------------------


class ConfigError(KameiError):
    """Bad settings, secrets or user input."""

    exit_code = 2


class KeyringUnavailable(ConfigError):
    """No usable keyring backend is available."""


class SecretMissing(ConfigError):
    """A secret kamei needs is not in the keyring."""

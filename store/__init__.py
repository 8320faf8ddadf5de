"""kamei's encrypted, pseudonymised store, and the keyring that holds its secrets.

What other packages may use is listed in ``__all__``; everything else is internal.

- ``Store`` (``store.store``): open/create the SQLCipher store of a kamei home,
  shops, ``commit_page`` (rows + checkpoint in one transaction), sync runs,
  status, read connections for reports.
- ``store.secrets``: DB key, versioned pseudonym keys and platform credentials in
  the OS keyring, scoped by store id; ``MemoryKeyring`` for ``kamei demo`` only.
- ``store.paths``: the home directory (``--home``, ``$KAMEI_HOME``, the user data
  dir) and private (0700/0600) file creation.
- ``store.secret_sources``: the headless chain (systemd credential, passphrase
  file, environment) used when no OS keyring is unlocked.
- ``store.lock``: ``SyncLock``, one sync per store, released by the OS on crash.
- ``store.keys``: DB key rotation (crash-safe, with recovery on open), pseudonym
  key versions and their destruction, the suppression key of ``kamei forget``.
- ``store.bundle``: the passphrase-protected key bundle of ``kamei key export``.
- ``store.forget``: buyer history, the forget log, key versions of stored rows.
- ``schema_sql()``: the schema the real migrations produce, for the docs.
"""

from __future__ import annotations

import importlib
import typing

# Every name below loads its submodule (and SQLAlchemy, SQLCipher, keyring,
# cryptography with it) on first use, so `kamei --help` pays for none of them.
# Type checkers see ordinary imports; at run time the module's __getattr__
# (PEP 562) imports the submodule that defines a name when it is first asked for.
if typing.TYPE_CHECKING:
    from .bundle import (
        MIN_PASSPHRASE,
        Imported,
        credentials_of,
        export_bundle,
        import_bundle,
        write_bundle,
    )
    from .engine import DEFAULT_CACHE_KIB, SYNC_CACHE_KIB
    from .forget import (
        ForgetRequest,
        Forgotten,
        HistoryRow,
        buyer_history,
        clear_history,
        forget,
        forgotten_log,
        forgotten_tags,
        orders_by_version,
        shop_key_version,
    )
    from .keys import (
        DestroyResult,
        destroy_pseudonym_keys,
        held_versions,
        make_suppression_key,
        plan_destroy,
        rotate_db_key,
        suppression_key,
    )
    from .lock import SyncLock
    from .migrations import latest_version as schema_latest_version
    from .migrations import schema_sql
    from .paths import ENV_HOME, StorePaths, resolve_home
    from .records import Checkpoint, LineRecord, OrderRecord, RunStats
    from .secret_sources import (
        CRYPTFILE_BACKEND,
        ENV_PASSPHRASE_FILE,
        PASSPHRASE_CREDENTIAL,
    )
    from .secrets import (
        SERVICE,
        MemoryKeyring,
        check_keyring,
        create_store_keys,
        db_key,
        delete_credential,
        delete_store_keys,
        export_keys,
        get_credential,
        has_credential,
        import_keys,
        keyring_source,
        pseudonym_key,
        rotate_pseudonym_key,
        set_credential,
        use_memory_keyring,
    )
    from .store import Shop, ShopStatus, Store

_LAZY: dict[str, str] = {
    "Imported": "bundle",
    "MIN_PASSPHRASE": "bundle",
    "credentials_of": "bundle",
    "export_bundle": "bundle",
    "import_bundle": "bundle",
    "write_bundle": "bundle",
    "DEFAULT_CACHE_KIB": "engine",
    "SYNC_CACHE_KIB": "engine",
    "ForgetRequest": "forget",
    "Forgotten": "forget",
    "HistoryRow": "forget",
    "buyer_history": "forget",
    "clear_history": "forget",
    "forget": "forget",
    "forgotten_log": "forget",
    "forgotten_tags": "forget",
    "orders_by_version": "forget",
    "shop_key_version": "forget",
    "DestroyResult": "keys",
    "destroy_pseudonym_keys": "keys",
    "held_versions": "keys",
    "make_suppression_key": "keys",
    "plan_destroy": "keys",
    "rotate_db_key": "keys",
    "suppression_key": "keys",
    "SyncLock": "lock",
    "schema_latest_version": "migrations",
    "schema_sql": "migrations",
    "ENV_HOME": "paths",
    "StorePaths": "paths",
    "resolve_home": "paths",
    "Checkpoint": "records",
    "LineRecord": "records",
    "OrderRecord": "records",
    "RunStats": "records",
    "CRYPTFILE_BACKEND": "secret_sources",
    "ENV_PASSPHRASE_FILE": "secret_sources",
    "PASSPHRASE_CREDENTIAL": "secret_sources",
    "MemoryKeyring": "secrets",
    "SERVICE": "secrets",
    "check_keyring": "secrets",
    "create_store_keys": "secrets",
    "db_key": "secrets",
    "delete_credential": "secrets",
    "delete_store_keys": "secrets",
    "export_keys": "secrets",
    "get_credential": "secrets",
    "has_credential": "secrets",
    "import_keys": "secrets",
    "keyring_source": "secrets",
    "pseudonym_key": "secrets",
    "rotate_pseudonym_key": "secrets",
    "set_credential": "secrets",
    "use_memory_keyring": "secrets",
    "Shop": "store",
    "ShopStatus": "store",
    "Store": "store",
}
"""Public name -> the submodule that defines it."""
_RENAMED = {"schema_latest_version": "latest_version"}
"""Public names that differ from their name in the submodule."""

__all__ = [
    "CRYPTFILE_BACKEND",
    "DEFAULT_CACHE_KIB",
    "ENV_HOME",
    "ENV_PASSPHRASE_FILE",
    "MIN_PASSPHRASE",
    "PASSPHRASE_CREDENTIAL",
    "SERVICE",
    "SYNC_CACHE_KIB",
    "Checkpoint",
    "DestroyResult",
    "ForgetRequest",
    "Forgotten",
    "HistoryRow",
    "Imported",
    "LineRecord",
    "MemoryKeyring",
    "OrderRecord",
    "RunStats",
    "Shop",
    "ShopStatus",
    "Store",
    "StorePaths",
    "SyncLock",
    "buyer_history",
    "check_keyring",
    "clear_history",
    "create_store_keys",
    "credentials_of",
    "db_key",
    "delete_credential",
    "delete_store_keys",
    "destroy_pseudonym_keys",
    "export_bundle",
    "export_keys",
    "forget",
    "forgotten_log",
    "forgotten_tags",
    "get_credential",
    "has_credential",
    "held_versions",
    "import_bundle",
    "import_keys",
    "keyring_source",
    "make_suppression_key",
    "orders_by_version",
    "plan_destroy",
    "pseudonym_key",
    "resolve_home",
    "rotate_db_key",
    "rotate_pseudonym_key",
    "schema_latest_version",
    "schema_sql",
    "set_credential",
    "shop_key_version",
    "suppression_key",
    "use_memory_keyring",
    "write_bundle",
]


if not typing.TYPE_CHECKING:  # for type checkers the names are the imports above

    def __getattr__(name):
        submodule = _LAZY.get(name)
        if submodule is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        module = importlib.import_module(f"{__name__}.{submodule}")
        # Bind every name the submodule provides, not only the one asked for: importing
        # the submodule `store.forget` bound the package's `forget` to it, and the
        # function `forget` must win.
        for public, home in _LAZY.items():
            if home == submodule:
                globals()[public] = getattr(module, _RENAMED.get(public, public))
        return globals()[name]

    def __dir__():
        return sorted({*globals(), *__all__})

"""SQLAlchemy engines over a SQLCipher file, and the translation of its errors.

The verified recipe (``DESIGN.md``, "Real parts"): the plain ``sqlite`` dialect
driving the ``sqlcipher3`` module, with the raw 256-bit key set in a ``connect``
event. ``sqlite+pysqlcipher`` is not used because it insists on a passphrase in
the URL. The key therefore never appears in a URL, in SQLAlchemy's statement
log or in an exception: it is sent by a raw DBAPI cursor before SQLAlchemy
sees the connection, echo is off and parameters are hidden in errors.

Each connection, in order: silence SQLCipher's own stderr logging, set the key,
read ``sqlite_master`` (a wrong key fails exactly here, as "file is not a
database"), then WAL, ``synchronous=NORMAL``, in-memory temp tables, the page
cache (``cache_kib``: large for reports, small for a sync), foreign keys and a
busy timeout; a writing connection also checkpoints the WAL less often.

Memory per connection is the page cache plus the driver's cache of prepared
statements. A sync writes each page with one multi-row statement whose length
follows the page's number of lines, so nearly every page brings a new statement
of a few hundred KiB: the driver's default of 128 cached statements held ~25 MiB
of them by 100,000 orders. ``CACHED_STATEMENTS`` keeps the few that repeat.

Opening never creates the file (SQLite URI ``mode=rw``): a missing store is
``StoreMissing``, not a fresh empty one. ``Store.create`` makes the empty 0600
file first; SQLite gives the ``-wal`` and ``-shm`` files the mode of the main
file, so they are 0600 too.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import event
from sqlalchemy.engine import Engine

from kamei.errors import KameiError, StoreCorrupt, StoreError, StoreMissing, WrongKey
from kamei.i18n import t

__all__ = [
    "CACHED_STATEMENTS",
    "DEFAULT_BUSY_TIMEOUT_MS",
    "DEFAULT_CACHE_KIB",
    "PAGE_SIZE",
    "SYNC_CACHE_KIB",
    "WAL_AUTOCHECKPOINT_PAGES",
    "check_store_file",
    "db_errors",
    "file_mode",
    "make_engine",
    "translate_db_error",
]

PAGE_SIZE = 4096  # SQLCipher 4's default page size; kamei never changes it
DEFAULT_CACHE_KIB = 262_144  # 256 MiB of page cache per connection: reports scan a lot
SYNC_CACHE_KIB = 8_192
"""Page cache of a sync: it writes pages of rows and scans nothing, and its peak RSS must
stay flat (bench/memory.py); 256 MiB filled up with the store on every full sync."""
CACHED_STATEMENTS = 16  # prepared statements kept per connection (the driver's default: 128)
WAL_AUTOCHECKPOINT_PAGES = 10_000
"""Writers checkpoint when the WAL holds this many pages (SQLite's default: 1,000). A
sync's page of orders dirties hundreds of scattered index pages, so the default
checkpointed (copy + fsync) every few commits. The WAL file then grows to about 40 MiB
(10,000 frames of 4 KiB + 24 bytes, plus the transaction that crossed the line) and
is reused from its start after each checkpoint; when the store closes, the last
connection checkpoints and deletes it."""
DEFAULT_BUSY_TIMEOUT_MS = 30_000  # wait out a concurrent writer (a sync) before failing

_PLAIN_SQLITE_HEADER = b"SQLite format 3\x00"


def make_engine(
    path: Path,
    key: bytes,
    *,
    readonly: bool = False,
    cache_kib: int = DEFAULT_CACHE_KIB,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
) -> Engine:
    """An engine on the existing SQLCipher file ``path``, opened with ``key``.

    No connection is made yet; the first connection tells whether the key opens
    the file (translate its error with ``db_errors``). ``readonly`` sets ``PRAGMA query_only``, for
    reports and ``kamei sql``. Writing transactions begin ``IMMEDIATE`` when a
    connection carries ``execution_options(kamei_write=True)``, so a writer
    takes the lock up front instead of failing half-way with SQLITE_BUSY.
    """
    if len(key) != 32:
        raise ValueError("a kamei store key is 32 bytes")
    hex_key = key.hex()
    url = sa.engine.URL.create(
        "sqlite",
        database="file:" + quote(str(path.absolute()), safe="/:\\"),
        query={"mode": "rw", "uri": "true"},
    )
    engine = sa.create_engine(
        url,
        module=sqlcipher,
        echo=False,
        hide_parameters=True,
        connect_args={"cached_statements": CACHED_STATEMENTS},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # SQLAlchemy, not the driver, decides where transactions begin (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA cipher_log_level = NONE")
            cursor.execute(f"PRAGMA key = \"x'{hex_key}'\"")
            cursor.execute("SELECT count(*) FROM sqlite_master").fetchall()
            if not readonly:
                cursor.execute("PRAGMA journal_mode = WAL").fetchall()
                cursor.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA temp_store = MEMORY")
            cursor.execute(f"PRAGMA cache_size = {-int(cache_kib)}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            if readonly:
                cursor.execute("PRAGMA query_only = 1")
        finally:
            cursor.close()
        # Last: from here on, no statement may touch the key or copy the data out.
        dbapi_connection.set_authorizer(_guard_readonly if readonly else _guard)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        write = connection.get_execution_options().get("kamei_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write and not readonly else "BEGIN")

    return engine


# --- the statement guard ----------------------------------------------------------
#
# Connections are handed to reports and to `kamei sql`, so SQL text from outside
# runs on them. `query_only` stops writes to the store, but not `PRAGMA rekey`
# (which would re-encrypt the store under a key the keyring does not hold, i.e.
# destroy it), nor ATTACH + sqlcipher_export() (a decrypted copy on disk). An
# SQLite authorizer refuses those on every connection kamei opens.

_KEY_PRAGMAS = frozenset({"key", "rekey", "hexkey", "hexrekey", "textkey", "textrekey"})
_DENIED_FUNCTIONS = frozenset({"sqlcipher_export", "load_extension"})
# Read-only connections may run these pragmas with an argument: they only look.
_INSPECTING_PRAGMAS = frozenset(
    {
        "table_info",
        "table_xinfo",
        "table_list",
        "index_list",
        "index_info",
        "index_xinfo",
        "foreign_key_list",
        "foreign_key_check",
        "integrity_check",
        "quick_check",
        "cipher_integrity_check",
    }
)


def _guard(action: int, arg1: str | None, arg2: str | None, *_: object) -> int:
    if action in (sqlcipher.SQLITE_ATTACH, sqlcipher.SQLITE_DETACH):
        return int(sqlcipher.SQLITE_DENY)
    if action == sqlcipher.SQLITE_FUNCTION and (arg2 or "").lower() in _DENIED_FUNCTIONS:
        return int(sqlcipher.SQLITE_DENY)
    if action == sqlcipher.SQLITE_PRAGMA:
        name = (arg1 or "").lower()
        if name in _KEY_PRAGMAS:
            return int(sqlcipher.SQLITE_DENY)
        if arg2 is not None and name.startswith(("cipher", "kdf", "fast_kdf")):
            return int(sqlcipher.SQLITE_DENY)  # changing cipher settings breaks the file
    return int(sqlcipher.SQLITE_OK)


def _guard_readonly(action: int, arg1: str | None, arg2: str | None, *rest: object) -> int:
    if (
        action == sqlcipher.SQLITE_PRAGMA
        and arg2 is not None
        and (arg1 or "").lower() not in _INSPECTING_PRAGMAS
    ):
        return int(sqlcipher.SQLITE_DENY)  # e.g. `PRAGMA query_only = 0`
    return _guard(action, arg1, arg2, *rest)


def check_store_file(path: Path) -> None:
    """Cheap checks before any key is tried; the file is only read, never changed.

    Tells apart: no file (``StoreMissing``), an empty or truncated file
    (``StoreCorrupt``) and a plain unencrypted SQLite file (``WrongKey``: it is
    not a kamei store). A wrong key and a damaged first page look the same to
    SQLCipher; that case is left to the first read.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            header = fh.read(len(_PLAIN_SQLITE_HEADER))
    except FileNotFoundError as exc:
        raise StoreMissing(t("store.missing", path=path)) from exc
    except IsADirectoryError as exc:
        raise StoreError(t("store.is_directory", path=path)) from exc
    except PermissionError as exc:
        raise StoreError(t("store.no_permission", path=path)) from exc
    if size == 0:
        raise StoreCorrupt(t("store.empty", path=path))
    if header == _PLAIN_SQLITE_HEADER:
        raise WrongKey(t("store.plain_sqlite", path=path))
    if size < PAGE_SIZE or size % PAGE_SIZE:
        raise StoreCorrupt(t("store.truncated", path=path, size=size))


def translate_db_error(exc: BaseException, path: Path) -> KameiError:
    """One kamei error for a SQLAlchemy/SQLCipher error. The message keeps only
    the SQLite error name: never SQL text, parameters or the driver's message."""
    orig = getattr(exc, "orig", None) or exc
    name = str(getattr(orig, "sqlite_errorname", "") or "")
    if name == "SQLITE_NOTADB":
        return WrongKey(t("store.wrong_key", path=path))
    if name.startswith("SQLITE_CORRUPT"):
        return StoreCorrupt(t("store.damaged", path=path))
    if name.startswith("SQLITE_CANTOPEN"):
        if not path.exists():
            return StoreMissing(t("store.missing", path=path))
        return StoreError(t("store.cannot_open", path=path))
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StoreError(t("store.busy"))
    if name.startswith("SQLITE_FULL"):
        return StoreError(t("store.disk_full", path=path))
    if name.startswith("SQLITE_READONLY"):
        return StoreError(t("store.read_only_here", path=path))
    if name == "SQLITE_AUTH" or (name == "SQLITE_ERROR" and str(orig).startswith("not authorized")):
        # A denied function is reported as a plain SQLITE_ERROR "not authorized".
        return StoreError(t("store.refused_statement"))
    if name.startswith("SQLITE_IOERR"):
        return StoreError(t("store.io_error", path=path, name=name))
    label = name or type(orig).__name__
    return StoreError(t("store.failed", path=path, label=label))


@contextmanager
def db_errors(path: Path) -> Iterator[None]:
    """Translate database errors raised inside the block, chained with ``from``."""
    try:
        yield
    except (sa.exc.DBAPIError, sqlcipher.Error) as exc:
        raise translate_db_error(exc, path) from exc


def file_mode(path: Path) -> int:
    """The permission bits of ``path`` (for doctor and tests)."""
    return os.stat(path).st_mode & 0o777

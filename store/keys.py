"""The life of a store's keys after ``kamei init``: rotation, recovery, destruction.

``store.secrets`` reads and writes single keyring entries; this module changes
several of them, and the file, in an order that survives a crash at any point.

**DB key rotation** (``kamei key rotate-db``), holding the sync lock and the
file itself exclusively (no other connection may be open; the WAL is emptied
into the file before and after)::

    1. save the new key as   <store>:db-key:pending      old key still opens the file
    2. PRAGMA rekey          (one SQLite transaction)    new key opens the file
    3. save the old key as   <store>:db-key:previous
    4. save the new key as   <store>:db-key
    5. delete pending, verify, delete previous

SQLCipher rewrites every page in one transaction (in WAL mode: into the WAL,
committed by its last frame), so the file is readable with exactly one of the
two keys at any instant, and at every step the keyring holds that key under
one of the three names. When ``db-key`` does not open the file, ``Store.open``
asks :func:`recover_key`: the pending and previous keys are tried, and the one
that works is promoted (under the sync lock; while a rotation holds the lock
it is only used). The rekey runs on a raw connection of its own: the
statement guard of ``store.engine`` refuses ``PRAGMA rekey`` everywhere else.

**Pseudonym key versions**: :func:`held_versions` lists what the keyring still
holds; :func:`destroy_pseudonym_keys` crypto-shreds (a fresh version becomes
current *before* the old ones go, so a crash never leaves no key at all).

**The suppression key** keys ``kamei forget``'s tags (``sync.forget``). It is
made on first use and never rotated or destroyed with the pseudonym keys, so a
forgotten buyer stays forgotten across rotations and crypto-shredding.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import sqlcipher3.dbapi2 as sqlcipher

from kamei.errors import ConfigError, StoreError, SyncLocked, WrongKey
from kamei.i18n import t

from .engine import check_store_file
from .lock import SyncLock
from .paths import StorePaths, read_meta
from .secrets import (
    KEY_BYTES,
    _current_entry,
    _db_entry,
    _delete,
    _get,
    _new_key,
    _parse_key,
    _pseudonym_entry,
    _set,
    _suppression_entry,
    db_key,
    pseudonym_key,
)

__all__ = [
    "DestroyResult",
    "Step",
    "destroy_pseudonym_keys",
    "held_versions",
    "key_opens",
    "make_suppression_key",
    "plan_destroy",
    "recover_key",
    "rotate_db_key",
    "suppression_key",
]

Step = Callable[[str], None]
"""Told the name of each finished step of a rotation (tests raise there to crash it)."""


def _no_step(_name: str) -> None:
    return None


def _pending_entry(store_id: str) -> str:
    return f"{_db_entry(store_id)}:pending"


def _previous_entry(store_id: str) -> str:
    return f"{_db_entry(store_id)}:previous"


# --- the privileged connection ------------------------------------------------------


_EXCLUSIVE_WAIT_MS = 10_000  # how long a rotation waits for other connections to close


def _raw(path: Path, key: bytes, *, busy_ms: int = 30_000) -> sqlcipher.Connection:
    """A bare SQLCipher connection keyed with ``key``: no statement guard. Only this
    module uses one, for the key itself; never hand it to other code."""
    uri = "file:" + quote(str(path.absolute()), safe="/:\\") + "?mode=rw"
    conn = sqlcipher.connect(uri, uri=True, isolation_level=None)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
    except BaseException:
        conn.close()
        raise
    return conn


def key_opens(path: Path, key: bytes) -> bool:
    """Whether ``key`` opens the SQLCipher file at ``path`` (reads its schema only)."""
    try:
        conn = _raw(path, key)
    except sqlcipher.Error:
        return False
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
    except sqlcipher.DatabaseError:
        return False
    finally:
        conn.close()
    return True


def _checkpoint(conn: sqlcipher.Connection) -> None:
    busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy:  # pragma: no cover - we hold the file exclusively
        raise StoreError(t("keys.store_busy"))


@contextmanager
def _exclusive(path: Path, key: bytes) -> Iterator[sqlcipher.Connection]:
    """The store opened by this connection alone, its WAL emptied into the file.

    In ``locking_mode = EXCLUSIVE`` the first write transaction takes a lock that
    is kept until the mode is reset: it fails while any other connection is open
    (even an idle one) and keeps every other connection out until we are done.
    """
    conn = _raw(path, key, busy_ms=_EXCLUSIVE_WAIT_MS)
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        try:
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("COMMIT")
        except sqlcipher.OperationalError as exc:
            raise StoreError(t("keys.store_busy")) from exc
        _checkpoint(conn)
        yield conn
        _checkpoint(conn)  # the main file holds only pages under the new key
    finally:
        conn.close()  # closing releases the lock


def _verify(path: Path, key: bytes) -> None:
    conn = _raw(path, key)
    try:
        problems = conn.execute("PRAGMA cipher_integrity_check").fetchall()
        (quick,) = conn.execute("PRAGMA quick_check").fetchone()
    finally:
        conn.close()
    if problems or quick != "ok":
        raise StoreError(t("keys.rekey_unverified", path=path))


# --- opening: the key that works ----------------------------------------------------


def _stored(entry: str, what: str) -> bytes | None:
    text = _get(entry, t("secrets.action.read_store_key"))
    return None if text is None else _parse_key(text, what)


def _promote(store_id: str, key: bytes) -> None:
    _set(_db_entry(store_id), key.hex(), t("secrets.action.save_store_key"))
    _delete(_pending_entry(store_id), t("secrets.action.delete_store_key"))
    _delete(_previous_entry(store_id), t("secrets.action.delete_store_key"))


def _repair_locked(path: Path, store_id: str) -> bytes | None:
    """Under the sync lock: the key that opens the file, made ``db-key``; else ``None``."""
    current = _stored(_db_entry(store_id), t("secrets.what.store_key"))
    if current is not None and key_opens(path, current):
        return current  # a rotation finished while we waited
    for entry in (_pending_entry(store_id), _previous_entry(store_id)):
        key = _stored(entry, t("secrets.what.store_key"))
        if key is not None and key_opens(path, key):
            _promote(store_id, key)
            return key
    return None


def recover_key(paths: StorePaths, store_id: str) -> bytes | None:
    """``db-key`` did not open the store: the pending or previous key of an interrupted
    rotation that does, or ``None``. When the sync lock is free, the keyring is
    repaired (that key becomes ``db-key``); while a rotation holds the lock, the
    key is only used."""
    lock = SyncLock(paths.lock)
    try:
        lock.acquire(wait=False)
    except SyncLocked:
        for entry in (_pending_entry(store_id), _previous_entry(store_id)):
            candidate = _stored(entry, t("secrets.what.store_key"))
            if candidate is not None and key_opens(paths.db, candidate):
                return candidate
        return None
    try:
        return _repair_locked(paths.db, store_id)
    finally:
        lock.release()


# --- rotate-db ----------------------------------------------------------------------


def rotate_db_key(home: str | Path | None, *, step: Step = _no_step) -> None:
    """Re-encrypt the store of ``home`` under a new random DB key (``kamei key rotate-db``).

    Takes the sync lock (``SyncLocked`` if a sync runs) and the file exclusively:
    while another connection stays open for ``_EXCLUSIVE_WAIT_MS`` it refuses
    (``StoreError``) before anything changes. ``step`` hears "pending", "rekeyed",
    "previous", "promoted" and "cleared" as each step completes.
    """
    paths = StorePaths.at(home)
    check_store_file(paths.db)
    store_id = read_meta(paths.meta).store_id
    with SyncLock(paths.lock, wait=False):
        old = _repair_locked(paths.db, store_id)
        if old is None:
            raise WrongKey(t("keys.wrong_key", path=paths.db))
        _delete(
            _pending_entry(store_id), t("secrets.action.delete_store_key")
        )  # leftovers: old opens
        _delete(_previous_entry(store_id), t("secrets.action.delete_store_key"))
        with _exclusive(paths.db, old) as conn:  # a busy store stops us before any change
            new = os.urandom(KEY_BYTES)
            _set(_pending_entry(store_id), new.hex(), t("secrets.action.save_new_store_key"))
            step("pending")
            conn.execute(f"PRAGMA rekey = \"x'{new.hex()}'\"").fetchall()
        step("rekeyed")
        _verify(paths.db, new)
        _set(_previous_entry(store_id), old.hex(), t("secrets.action.save_store_key"))
        step("previous")
        _set(_db_entry(store_id), new.hex(), t("secrets.action.save_new_store_key"))
        step("promoted")
        _delete(_pending_entry(store_id), t("secrets.action.delete_store_key"))
        step("cleared")
        if not key_opens(paths.db, db_key(store_id)):  # pragma: no cover - keyring lied
            raise StoreError(t("keys.rekey_unverified", path=paths.db))
        _delete(_previous_entry(store_id), t("secrets.action.delete_store_key"))


# --- pseudonym key versions ---------------------------------------------------------


def held_versions(store_id: str) -> list[int]:
    """Pseudonym key versions still in the keyring, oldest first (current last)."""
    current, _ = pseudonym_key(store_id)
    return [
        version
        for version in range(1, current + 1)
        if _get(_pseudonym_entry(store_id, version), t("secrets.action.read_pseudonym_key"))
        is not None
    ]


@dataclass(frozen=True, slots=True)
class DestroyResult:
    destroyed: tuple[int, ...]
    current: int


def plan_destroy(store_id: str, version: int | None = None) -> tuple[int, ...]:
    """The versions :func:`destroy_pseudonym_keys` would delete; refuses the current
    version and versions the keyring does not hold."""
    current, _ = pseudonym_key(store_id)
    held = held_versions(store_id)
    if version is None:
        return tuple(held)
    if version == current:
        raise ConfigError(t("keys.destroy_current", version=version))
    if version not in held:
        raise ConfigError(
            t("keys.no_such_version", version=version, held=", ".join(map(str, held)))
        )
    return (version,)


def destroy_pseudonym_keys(store_id: str, version: int | None = None) -> DestroyResult:
    """Delete pseudonym key ``version`` (not the current one), or, with ``None``,
    every version after making a fresh one current."""
    doomed = plan_destroy(store_id, version)
    current, _ = pseudonym_key(store_id)
    if version is None:
        current += 1
        _set(
            _pseudonym_entry(store_id, current), _new_key(), t("secrets.action.save_pseudonym_key")
        )
        _set(_current_entry(store_id), str(current), t("secrets.action.save_pseudonym_key"))
    for old in doomed:
        _delete(_pseudonym_entry(store_id, old), t("secrets.action.delete_pseudonym_key"))
    return DestroyResult(doomed, current)


# --- the suppression key ------------------------------------------------------------


def suppression_key(store_id: str) -> bytes | None:
    """The key of ``kamei forget``'s tags; ``None`` until the first forget made one."""
    text = _get(_suppression_entry(store_id), t("secrets.action.read_suppression_key"))
    return None if text is None else _parse_key(text, t("secrets.what.suppression_key"))


def make_suppression_key(store_id: str) -> bytes:
    """The key of ``kamei forget``'s tags, made now if there is none yet."""
    existing = suppression_key(store_id)
    if existing is not None:
        return existing
    fresh = _new_key()
    _set(_suppression_entry(store_id), fresh, t("secrets.action.save_suppression_key"))
    return bytes.fromhex(fresh)

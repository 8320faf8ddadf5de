"""Where kamei keeps its files, and how they are made private.

One home directory holds everything on disk::

    <home>/kamei.db      the encrypted SQLCipher store (plus -wal / -shm while open)
    <home>/kamei.json    plaintext, non-secret: the store id and the file format version
    <home>/sync.lock     the exclusive sync lock (see ``store.lock``)

The home is, in order: an explicit path, ``$KAMEI_HOME``, or the platform's
user data directory for "kamei". Secrets never live here: they are in the OS
keyring, scoped by the store id from ``kamei.json``.

Directories are created 0700 and files 0600 whatever the umask is, because a
store on a shared machine must not be readable by other accounts even when it
is encrypted (its size and timestamps already say something).
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from kamei.errors import StoreCorrupt, StoreMissing
from kamei.i18n import t

__all__ = [
    "DB_NAME",
    "DIR_MODE",
    "ENV_HOME",
    "FILE_MODE",
    "FORMAT_VERSION",
    "LOCK_NAME",
    "META_NAME",
    "StoreMeta",
    "StorePaths",
    "create_private_file",
    "ensure_private_dir",
    "read_meta",
    "replace_private_file",
    "resolve_home",
    "write_meta",
]

ENV_HOME = "KAMEI_HOME"
DB_NAME = "kamei.db"
META_NAME = "kamei.json"
LOCK_NAME = "sync.lock"
FORMAT_VERSION = 1  # of the home layout and kamei.json, not of the SQL schema
DIR_MODE = 0o700
FILE_MODE = 0o600


def resolve_home(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data home: ``explicit``, else ``$KAMEI_HOME``, else the user data dir."""
    if explicit is not None and str(explicit):
        return Path(explicit).expanduser().absolute()
    env = os.environ.get(ENV_HOME, "").strip()
    if env:
        return Path(env).expanduser().absolute()
    return Path(platformdirs.user_data_dir("kamei", appauthor=False)).absolute()


@dataclass(frozen=True, slots=True)
class StorePaths:
    """The files of one kamei home. Pure names: nothing is touched on disk."""

    home: Path

    @classmethod
    def at(cls, home: str | os.PathLike[str] | None = None) -> StorePaths:
        return cls(resolve_home(home))

    @property
    def db(self) -> Path:
        return self.home / DB_NAME

    @property
    def wal(self) -> Path:
        return self.home / (DB_NAME + "-wal")

    @property
    def shm(self) -> Path:
        return self.home / (DB_NAME + "-shm")

    @property
    def meta(self) -> Path:
        return self.home / META_NAME

    @property
    def lock(self) -> Path:
        return self.home / LOCK_NAME


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) as 0700; leave existing dirs alone.

    Existing directories keep their mode: ``KAMEI_HOME`` may point at a folder
    the user made on purpose, and silently tightening it would be surprising.
    ``kamei doctor`` reports loose modes instead.
    """
    missing: list[Path] = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for directory in reversed(missing):
        try:
            directory.mkdir(mode=DIR_MODE)
        except FileExistsError:  # created concurrently: fine, it is not ours to chmod
            continue
        os.chmod(directory, DIR_MODE)  # mkdir's mode is filtered by the umask
    return path


def create_private_file(path: Path, data: bytes = b"") -> None:
    """Create a new 0600 file (``FileExistsError`` if it exists), whatever the umask."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_BINARY, FILE_MODE)
    try:
        _fchmod(fd, path)
        _write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_private_file(path: Path, data: bytes) -> None:
    """Atomically replace ``path`` with a 0600 file holding ``data``."""
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    create_private_file(tmp, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@dataclass(frozen=True, slots=True)
class StoreMeta:
    """The contents of ``kamei.json``: identifiers only, nothing secret."""

    store_id: str
    format_version: int = FORMAT_VERSION

    @classmethod
    def new(cls) -> StoreMeta:
        return cls(store_id=uuid.uuid4().hex)


def write_meta(path: Path, meta: StoreMeta) -> None:
    body = {"store_id": meta.store_id, "format_version": meta.format_version}
    replace_private_file(path, (json.dumps(body, indent=2) + "\n").encode("utf-8"))


def read_meta(path: Path) -> StoreMeta:
    """Read ``kamei.json``; a missing or damaged file names the way out."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise StoreMissing(t("store.meta_missing", path=path)) from exc
    try:
        data = json.loads(raw.decode("utf-8"))
        store_id = data["store_id"]
        version = data["format_version"]
    except (ValueError, KeyError, TypeError) as exc:
        raise StoreCorrupt(t("store.meta_damaged", path=path)) from exc
    if not (isinstance(store_id, str) and _is_hex_id(store_id)) or not isinstance(version, int):
        raise StoreCorrupt(t("store.meta_damaged", path=path))
    if version > FORMAT_VERSION:
        raise StoreCorrupt(t("store.meta_newer", path=path, version=version))
    return StoreMeta(store_id=store_id, format_version=version)


def _is_hex_id(text: str) -> bool:
    return len(text) == 32 and all(c in "0123456789abcdef" for c in text)


_O_BINARY: int = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


def _fchmod(fd: int, path: Path) -> None:
    # os.open's mode is filtered by the umask; set it exactly. Windows has no fchmod.
    if hasattr(os, "fchmod"):
        os.fchmod(fd, FILE_MODE)
    else:  # pragma: no cover - Windows
        os.chmod(path, FILE_MODE)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]

"""The exclusive sync lock: one ``kamei sync`` per store at a time.

The lock is an OS lock held on an open file descriptor (``flock`` on POSIX,
``msvcrt.locking`` on Windows), not the existence of a file. When the process
ends, however it ends (even SIGKILL or a power cut), the OS drops the lock, so
there is never a stale lock to clean up by hand. The file itself stays and
holds the holder's pid, for the message only.

``flock`` locks belong to an open file description, so two ``SyncLock``
objects in the same process also exclude each other.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from types import TracebackType

from kamei.errors import SyncLocked
from kamei.i18n import t

from .paths import FILE_MODE

__all__ = ["SyncLock"]

if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _wait_lock(fd: int) -> None:
        while not _try_lock(fd):  # LK_LOCK gives up after 10 s; keep trying
            time.sleep(0.5)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _wait_lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


class SyncLock:
    """``with SyncLock(path): ...`` runs a sync exclusively.

    ``with`` acquires with the ``wait`` given here; ``acquire(wait=...)`` does it
    explicitly (and returns the lock, so ``with lock.acquire(wait=True):`` works).
    """

    def __init__(self, path: Path, *, wait: bool = False) -> None:
        self.path = path
        self.wait = wait
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, *, wait: bool = False) -> SyncLock:
        """Take the lock; ``wait=False`` raises ``SyncLocked`` if another sync holds it."""
        if self._fd is not None:
            return self
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), FILE_MODE)
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, FILE_MODE)  # os.open's mode is filtered by the umask
            if wait:
                _wait_lock(fd)
            elif not _try_lock(fd):
                holder = _read_pid(self.path)
                who = t("store.locked_pid", pid=holder) if holder else ""
                raise SyncLocked(t("store.locked", who=who))
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        _write_pid(fd)
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> SyncLock:
        return self.acquire(wait=self.wait)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def _write_pid(fd: int) -> None:
    # On Windows the locked byte 0 cannot be written by others; we hold it.
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, f"{os.getpid()}\n".encode("ascii"))


def _read_pid(path: Path) -> int | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):  # Windows: the holder's locked byte
        return None
    return int(text) if text.isdigit() else None

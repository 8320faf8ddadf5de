"""The scheduled run's own records: a rotating log file and the last run's result.

``kamei sync --scheduled`` (what the nightly job runs) logs to
``<home>/logs/kamei.log`` (0600, rotated at 1 MiB, five old files kept) and
writes ``<home>/logs/last-run.json`` when it ends, however it ends, so
``kamei schedule status`` and ``kamei doctor`` can say how the last night went
even when the store could not be opened. kamei's loggers carry identifiers
only (platform, shop, window, counts, durations); errors keep kamei's one-line
messages, and anything unexpected only its class name.
"""

from __future__ import annotations

import io
import json
import logging
import logging.handlers
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from kamei import __version__
from kamei.errors import KameiError

from ..run import ShopResult

__all__ = [
    "LAST_RUN_NAME",
    "LOG_NAME",
    "LastRun",
    "RunLog",
    "log_dir",
    "read_last_run",
    "scheduled_run",
]

LOG_NAME = "kamei.log"
LAST_RUN_NAME = "last-run.json"
MAX_BYTES = 1 << 20
BACKUPS = 5
EXIT_SOME_FAILED = 3
EXIT_UNEXPECTED = 70
EXIT_INTERRUPTED = 130

log = logging.getLogger("kamei.scheduled")


def log_dir(home: Path) -> Path:
    return home / "logs"


class _PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files are 0600 whatever the umask (rotation makes new ones)."""

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)


class _NotFrom(logging.Filter):
    """Drops one logger's records (kept for the file handler only)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.name != self.name


def _private_dir(path: Path) -> None:
    if not path.exists():
        path.mkdir(mode=0o700, parents=True)
        os.chmod(path, 0o700)  # mkdir's mode is filtered by the umask


@dataclass(frozen=True, slots=True)
class LastRun:
    """How the last scheduled run ended: times, exit code, shop counts, a one-line error."""

    started_at: int
    finished_at: int
    exit_code: int
    shops_ok: int = 0
    shops_failed: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.exit_code == 0


def read_last_run(home: Path) -> LastRun | None:
    """The last scheduled run's record, or None when there is none (or it is unreadable)."""
    try:
        data = json.loads((log_dir(home) / LAST_RUN_NAME).read_text(encoding="utf-8"))
        return LastRun(**data)
    except (OSError, ValueError, TypeError):
        return None


def _write_last_run(home: Path, run: LastRun) -> None:
    path = log_dir(home) / LAST_RUN_NAME
    tmp = path.with_name(f".{LAST_RUN_NAME}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(fd, "w", encoding="utf-8") as fh:
        json.dump(asdict(run), fh, sort_keys=True)
    os.replace(tmp, path)


class RunLog:
    """Collects the outcome of one scheduled run; ``exit_code`` is what the run exits with."""

    def __init__(self) -> None:
        self.exit_code = 0
        self.shops_ok = 0
        self.shops_failed = 0
        self.error: str | None = None

    def shops(self, results: Sequence[ShopResult]) -> int:
        """Log one line per shop; returns the exit code (non-zero if any shop failed)."""
        for r in results:
            line = "shop %r (%s): %s, %d new orders, %d pages, %d requests, %.1fs"
            stats = r.stats
            args = (r.shop, r.platform, stats.outcome, r.new_orders, stats.pages, stats.requests)
            if r.ok:
                log.info(line, *args, r.duration_s)
            else:
                log.error(line + ": %s", *args, r.duration_s, stats.error)
        self.shops_ok = sum(r.ok for r in results)
        self.shops_failed = len(results) - self.shops_ok
        self.exit_code = EXIT_SOME_FAILED if self.shops_failed else 0
        if self.shops_failed:
            self.error = f"{self.shops_failed} of {len(results)} shops failed"
        return self.exit_code


@contextmanager
def scheduled_run(
    home: Path, *, debug: bool = False, clock: Callable[[], float] = time.time
) -> Iterator[RunLog]:
    """Log the block to the rotating file and record how it ended in ``last-run.json``.

    Exceptions pass through (the CLI edge prints them and sets the exit code);
    they are logged here first, as kamei's one-line message or a class name.
    """
    directory = log_dir(home)
    _private_dir(home)
    _private_dir(directory)
    handler = _PrivateRotatingFileHandler(
        directory / LOG_NAME, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.DEBUG if debug else logging.INFO)
    root = logging.getLogger()
    quieted = [h for h in root.handlers if h.level == logging.NOTSET]
    only_file = _NotFrom(log.name)  # the CLI prints the outcome itself: no second copy
    for other in quieted:  # stderr stays as quiet as an interactive run
        other.setLevel(logging.DEBUG if debug else logging.WARNING)
        other.addFilter(only_file)
    level = root.level
    root.setLevel(min(level, handler.level))
    root.addHandler(handler)
    started = clock()
    record = RunLog()
    log.info("scheduled sync started (kamei %s, pid %d)", __version__, os.getpid())
    try:
        yield record
    except KameiError as exc:
        record.exit_code, record.error = exc.exit_code, str(exc)
        log.error("scheduled sync failed: %s", exc)
        raise
    except KeyboardInterrupt:
        record.exit_code, record.error = EXIT_INTERRUPTED, "interrupted"
        log.error("scheduled sync interrupted")
        raise
    except Exception as exc:
        record.exit_code = EXIT_UNEXPECTED
        record.error = f"unexpected error ({type(exc).__name__})"
        log.error("scheduled sync failed: unexpected error (%s)", type(exc).__name__)
        raise
    finally:
        finished = clock()
        log.info("scheduled sync ended with exit code %d", record.exit_code)
        _write_last_run(
            home,
            LastRun(
                started_at=int(started),
                finished_at=int(finished),
                exit_code=record.exit_code,
                shops_ok=record.shops_ok,
                shops_failed=record.shops_failed,
                error=record.error,
            ),
        )
        root.removeHandler(handler)
        handler.close()
        root.setLevel(level)
        for other in quieted:
            other.setLevel(logging.NOTSET)
            other.removeFilter(only_file)

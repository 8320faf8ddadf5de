"""Incremental sync of one shop: windows, paging, checkpoints, reconciliation.

For each window of the run's plan (see ``sync.windows``) pages are fetched in
order and each page's rows are committed *together with* the checkpoint that
says which page comes next, so a crash at any instant loses no committed work
and a resumed run neither skips nor duplicates anything (upserts are keyed).

Offset paging inside a window is trusted only while the window stands still.
Windows end in the past, so while we page them the platform's set can only
shrink (an order updated mid-run moves out of an update-time window) or,
rarely, grow (back-dated imports); either shows as a change in the total every
response reports. A window whose total changed is read again in parts sized to
fit one response each, where no later offset exists for a change to shift, so
nothing that stayed in the window can be missed. At the end of each window the
number of stored orders in it is compared with the platform's count; a
shortfall re-reads the window in parts once and is reported if it persists.

The next page is requested while the current one is pseudonymised and
committed, so the platform's rate budget never sits idle waiting for disk.

Pages that arrive quickly are committed several at a time: one transaction
holds the rows of up to ``COMMIT_ORDERS`` orders, or of whatever arrived within
``COMMIT_EVERY_S`` (a page waits no longer, even when the next one is slow to
come), with the checkpoint of the last page among them. SQLite
writes every index page a transaction touched, and two of the store's indexes
are led by random keys (the order key and the buyer), so a 100-order
transaction rewrote about as many index pages as a 2,000-order one: batching
made a local full sync about 40% faster (bench/RESULTS.md). The window's end,
an error and an interruption all commit what is held first, so a failure loses
no page that was read; a crash loses at most one batch of reading, which the
checkpoint makes the next run read again.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import gc
import logging
import math
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

from connectors import Connector, Page, Window
from kamei.errors import PlatformUnavailable
from kamei.i18n import t
from store import Checkpoint, OrderRecord, RunStats

from .forget import Suppression
from .pseudonymise import Pseudonymiser, to_record
from .windows import SyncOptions, plan_run, to_ts

__all__ = ["Progress", "StoreForSync", "sync_shop"]

log = logging.getLogger("kamei.sync")

Progress = Callable[[int, int | None], None]
"""Called after each commit with (orders written so far, orders expected or None)."""

_MAX_REPEATS = 2  # the same page served again: ask twice more, then give up on the shop
_MAX_DEPTH = 12  # how often a changing window may be cut into parts before we report it
_PART_FILL = 0.6  # parts aim at 60% of a page so most fit one response
_MAX_PARTS = 64  # parts per cut; a part that still holds more than a page is paged
_PART_BUDGET = 1000  # parts one run may cut in all, so counts that make no sense end
_SWITCH_INTERVAL_S = 0.0005  # see _quick_gil_handoff
COMMIT_ORDERS = 2000  # orders held before a commit (see the module docstring)
COMMIT_EVERY_S = 0.25  # the longest a read page waits for its commit


_NOTHING_FORGOTTEN = Suppression()

_Fetched = tuple[Page, list[OrderRecord], int]
"""A page as the connector read it, its orders already pseudonymised, and how many of
its orders were dropped because their buyer was forgotten (``sync.forget``)."""


class StoreForSync(Protocol):
    """What the engine needs from ``store.Store``."""

    def load_checkpoint(self, shop_id: int) -> Checkpoint | None: ...

    def commit_page(
        self, shop_id: int, orders: Sequence[OrderRecord], checkpoint: Checkpoint
    ) -> int: ...

    def count_in_window(self, shop_id: int, column: str, start: int, end: int) -> int: ...


@dataclass(slots=True)
class _Run:
    store: StoreForSync
    shop_id: int
    shop: str
    connector: Connector
    keys: Pseudonymiser
    stats: RunStats
    pool: cf.ThreadPoolExecutor
    watermark: int | None
    progress: Progress | None = None
    expected: int | None = None
    suppression: Suppression = _NOTHING_FORGOTTEN
    parts_left: int = _PART_BUDGET
    held: list[OrderRecord] = field(default_factory=list)
    held_checkpoint: Checkpoint | None = None
    held_since: float = 0.0

    def next_page(self, future: cf.Future[_Fetched]) -> _Fetched:
        """The fetched page; held rows are committed meanwhile if it is slow to come."""
        if self.held_checkpoint is not None:
            left = self.held_since + COMMIT_EVERY_S - time.monotonic()
            try:
                return future.result(timeout=max(0.0, left))
            except cf.TimeoutError:
                self.commit()
        return future.result()

    def hold(self, records: list[OrderRecord], checkpoint: Checkpoint, *, last: bool) -> None:
        """Add a page's rows to the batch; commit it when it is full, old or ``last``."""
        if self.held_checkpoint is None:
            self.held_since = time.monotonic()
        self.held.extend(records)
        self.held_checkpoint = checkpoint
        if (
            last
            or len(self.held) >= COMMIT_ORDERS
            or time.monotonic() - self.held_since >= COMMIT_EVERY_S
        ):
            self.commit()

    def commit(self) -> None:
        """Write the held rows with the last held page's checkpoint, in one transaction."""
        if self.held_checkpoint is None:
            return
        records, checkpoint = self.held, self.held_checkpoint
        self.held, self.held_checkpoint = [], None
        self.stats.orders_written += self.store.commit_page(self.shop_id, records, checkpoint)
        if self.progress is not None:
            self.progress(self.stats.orders_written, self.expected)

    def fetch(self, window: Window, offset: int) -> cf.Future[_Fetched]:
        return self.pool.submit(self._fetch, window, offset)

    def _fetch(self, window: Window, offset: int) -> _Fetched:
        # Runs on the fetch thread: pseudonymising here too leaves the main thread
        # little but SQLite (which runs without the GIL), so the two really overlap.
        page = self.connector.fetch_page(window, offset)
        orders, dropped = self.suppression.keep(page.orders)  # forgotten buyers stop here
        platform, shop, keys = self.connector.platform, self.shop, self.keys
        records = [to_record(o, platform=platform, shop=shop, keys=keys) for o in orders]
        return page, records, dropped

    def count_problems(self, page: Page) -> None:
        self.stats.skipped += page.skipped
        for reason in page.problems:
            self.stats.problems[reason] = self.stats.problems.get(reason, 0) + 1


def _fetch_window(
    run: _Run, window: Window, first: int, known_total: int | None
) -> tuple[int | None, int, bool]:
    """Page through ``window`` committing each page.

    Returns (platform total, entries skipped, stable). ``stable`` is False when the
    window's total changed while it was paged: offsets may then have moved under
    us, so the caller re-reads the window in one-page parts.
    """
    connector = run.connector
    offset, total, skipped = first, known_total, 0
    previous_ids: tuple[str, ...] | None = None
    repeats = 0
    future = run.fetch(window, offset)
    while True:
        page, records, dropped = run.next_page(future)
        run.stats.pages += 1
        ids = tuple(order.platform_order_id for order in page.orders)
        if previous_ids is not None and ids and ids == previous_ids:
            repeats += 1
            if repeats > _MAX_REPEATS:
                raise PlatformUnavailable(
                    t("sync.same_page", platform=connector.platform, shop=run.shop, window=window)
                )
            future = run.fetch(window, offset)
            continue
        repeats = 0
        stable = total is None or page.total is None or page.total == total
        if run.expected is None and page.total is not None:
            run.expected = page.total  # the first window's size: enough for a progress bar
        if page.total is not None:
            total = page.total
        next_offset = page.offset + page.consumed
        more = stable and page.has_more and page.consumed > 0
        if more:
            future = run.fetch(window, next_offset)  # overlaps the commit below

        if more:
            checkpoint = Checkpoint(
                watermark=run.watermark,
                window_start=to_ts(window.start),
                window_end=to_ts(window.end),
                next_offset=next_offset,
                window_total=total,
            )
        elif stable:  # the window is complete: the watermark may move to its end
            run.watermark = max(run.watermark or 0, to_ts(window.end))
            checkpoint = Checkpoint(watermark=run.watermark)
        else:  # the caller re-reads this window in parts; resume from its start
            checkpoint = Checkpoint(
                watermark=run.watermark,
                window_start=to_ts(window.start),
                window_end=to_ts(window.end),
            )
        run.hold(records, checkpoint, last=not more)
        run.count_problems(page)
        run.stats.suppressed += dropped
        skipped += page.skipped + dropped  # reconciliation counts suppressed orders as present
        if not more:
            return total, skipped, stable
        previous_ids = ids
        offset = next_offset


def _parts(run: _Run, window: Window, total: int, size: int) -> list[Window]:
    """Equal-time parts expected to hold well under one page each, at most ``_MAX_PARTS``
    (a bigger part is paged, or cut again if it changes), or none once the run has cut
    ``_PART_BUDGET`` parts: a platform reporting absurd counts (10**9 orders in a day)
    would otherwise have a run ask for every second of the window, for days."""
    parts = window.split(min(_MAX_PARTS, max(2, math.ceil(total / (size * _PART_FILL)))))
    if len(parts) > run.parts_left:
        log.warning(
            "%s shop %r: no re-read budget left for window %s",
            run.connector.platform,
            run.shop,
            window,
        )
        return []
    run.parts_left -= len(parts)
    return parts


def _sync_window(
    run: _Run, window: Window, first: int, known_total: int | None, depth: int
) -> None:
    total, skipped, stable = _fetch_window(run, window, first, known_total)
    size = run.connector.page_size
    if not stable and depth < _MAX_DEPTH and window.span > dt.timedelta(seconds=1):
        # The window changed while it was paged: read it again in parts that each fit
        # one response, where there is no later offset for a change to shift.
        parts = _parts(run, window, total or size, size)
        if parts:
            log.info("window %s changed while paged; re-reading in parts", window)
            for part in parts:
                _sync_window(run, part, 0, None, depth + 1)
            return
    if total is None:
        return
    column = run.connector.cursor
    stored = run.store.count_in_window(run.shop_id, column, to_ts(window.start), to_ts(window.end))
    if stored + skipped >= total:
        return
    cut = depth < _MAX_DEPTH and window.span > dt.timedelta(seconds=1)
    parts = _parts(run, window, total, size) if cut else []
    if parts:
        log.info("window %s: platform reports %d, stored %d; re-reading", window, total, stored)
        for part in parts:
            _sync_window(run, part, 0, None, _MAX_DEPTH)  # re-read once; then report
        return
    run.stats.mismatches += 1
    reason = "window count mismatch"
    run.stats.problems[reason] = run.stats.problems.get(reason, 0) + 1
    log.warning(
        "%s shop %r window %s: platform reports %d orders, %d stored after re-reading",
        run.connector.platform,
        run.shop,
        window,
        total,
        stored + skipped,
    )


def _commit_held(run: _Run, cause: BaseException) -> None:
    """On the way out of a failed run, keep the pages already read (their checkpoint
    resumes the next run after them); the run's own error stays the one raised."""
    try:
        run.commit()
    except Exception:
        log.warning("could not commit the pages read before the error (%s)", type(cause).__name__)


@contextmanager
def _quick_gil_handoff() -> Iterator[None]:
    """Tune the interpreter for the sync's two threads while a shop syncs.

    - The GIL switch interval drops from 5 ms to 0.5 ms. The main thread spends a
      page mostly inside SQLite, which runs without the GIL, while the fetch thread
      parses the next page in Python. Each time SQLite returns, the main thread
      must take the GIL back from the busy fetch thread, and CPython makes it wait
      a whole switch interval for that: a handful of statements per page waiting
      5 ms each cost more than the overlap gains.
    - Everything alive when the sync starts (modules, SQLAlchemy's metadata and
      caches, typer) is moved out of the garbage collector's reach with
      ``gc.freeze()``. Parsing a page allocates tens of thousands of containers,
      so collections run all the time, and each full one walked that whole
      long-lived heap again: a tenth of the main thread's time at 30,000 orders.
      ``gc.unfreeze()`` hands it back afterwards.
    """
    previous = sys.getswitchinterval()
    sys.setswitchinterval(min(previous, _SWITCH_INTERVAL_S))
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
        sys.setswitchinterval(previous)


def sync_shop(
    store: StoreForSync,
    *,
    shop_id: int,
    shop: str,
    connector: Connector,
    keys: Pseudonymiser,
    options: SyncOptions,
    default_lookback: dt.timedelta,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    stats: RunStats | None = None,
    suppression: Suppression | None = None,
) -> RunStats:
    """Bring one shop's orders up to the run's upper bound. Raises KameiError on failure.

    ``stats`` is filled in as the run goes, so a caller still has the counts when
    this raises. Orders of buyers in ``suppression`` (the forget list) are dropped
    before they are pseudonymised, and counted in ``stats.suppressed``.
    """
    stats = stats if stats is not None else RunStats()
    now = now or dt.datetime.now(dt.UTC)
    checkpoint = store.load_checkpoint(shop_id)
    plan = plan_run(
        checkpoint,
        now=now,
        options=options,
        default_lookback=default_lookback,
        max_window=connector.max_window,
        # Optional on the Connector protocol: only platforms with a history cap set it.
        max_history=getattr(connector, "max_history", None),
    )
    requests0, retries0 = connector.stats.requests, connector.stats.retries
    started = time.monotonic()
    with (
        _quick_gil_handoff(),
        cf.ThreadPoolExecutor(max_workers=1, thread_name_prefix="kamei-fetch") as pool,
    ):
        run = _Run(
            store=store,
            shop_id=shop_id,
            shop=shop,
            connector=connector,
            keys=keys,
            stats=stats,
            pool=pool,
            watermark=checkpoint.watermark if checkpoint else None,
            progress=progress,
            suppression=suppression or _NOTHING_FORGOTTEN,
            parts_left=_PART_BUDGET,
        )
        try:
            for window in plan.windows:
                resuming = window == plan.resumed
                first = plan.resume_offset if resuming else 0
                total = plan.resume_total if resuming else None
                _sync_window(run, window, first, total, depth=0)
        except BaseException as exc:
            pool.shutdown(wait=False, cancel_futures=True)
            _commit_held(run, exc)
            raise
        finally:
            stats.requests = connector.stats.requests - requests0
            stats.retries = connector.stats.retries - retries0
    log.info(
        "%s shop %r: %d orders in %.1fs (%d pages, %d requests)",
        connector.platform,
        shop,
        stats.orders_written,
        time.monotonic() - started,
        stats.pages,
        stats.requests,
    )
    stats.outcome = "ok"
    return stats

"""The incremental algorithm against a scripted platform and an in-memory store.

The real store and the real fakes are exercised in the end-to-end tests; here
the platform is a list we can mutate between requests, so shifts, churn,
repeated pages and crashes can be placed exactly.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import pytest

from connectors.types import Page, RawBuyer, RawOrder, RequestStats, Window
from kamei.errors import PlatformUnavailable
from store.records import Checkpoint, OrderRecord
from sync import engine
from sync.engine import sync_shop
from sync.pseudonymise import Pseudonymiser
from sync.windows import HISTORY_START, SyncOptions, plan_run

UTC = dt.UTC
NOW = dt.datetime(2026, 11, 1, tzinfo=UTC)
KEYS = Pseudonymiser(key=b"k" * 32, version=1)


def _raw(order_id: int, updated: dt.datetime) -> RawOrder:
    return RawOrder(
        platform_order_id=str(order_id),
        ordered_at=updated - dt.timedelta(hours=1),
        updated_at=updated,
        status="paid",
        buyer=RawBuyer(email=f"buyer{order_id % 50}@example.jp"),
    )


@dataclass
class Platform:
    """Offset paging over orders filtered by update time, newest id first."""

    orders: dict[int, dt.datetime]
    page_size: int = 10
    platform: str = "scripted"
    cursor: str = "updated"
    max_window: dt.timedelta | None = None
    stats: RequestStats = field(default_factory=RequestStats)
    before_request: Callable[[Platform], None] | None = None
    repeat_pages: bool = False
    calls: list[tuple[Window, int]] = field(default_factory=list)

    def matching(self, window: Window) -> list[int]:
        return sorted(
            (i for i, t in self.orders.items() if window.start <= t < window.end), reverse=True
        )

    def fetch_page(self, window: Window, offset: int) -> Page:
        if self.before_request:
            self.before_request(self)
        self.stats.requests += 1
        self.calls.append((window, offset))
        ids = self.matching(window)
        if self.repeat_pages:
            offset = 0
        chunk = ids[offset : offset + self.page_size]
        return Page(
            window=window,
            offset=offset,
            orders=[_raw(i, self.orders[i]) for i in chunk],
            total=len(ids),
            has_more=offset + len(chunk) < len(ids),
        )


@dataclass
class MemoryStore:
    rows: dict[str, OrderRecord] = field(default_factory=dict)
    checkpoint: Checkpoint | None = None
    commits: int = 0
    fail_after: int | None = None
    committed: list[tuple[int, Checkpoint]] = field(default_factory=list)  # (rows, checkpoint)
    attempts: int = 0

    def load_checkpoint(self, shop_id: int) -> Checkpoint | None:
        return self.checkpoint

    def commit_page(
        self, shop_id: int, orders: Sequence[OrderRecord], checkpoint: Checkpoint
    ) -> int:
        self.attempts += 1
        if self.fail_after is not None and self.commits >= self.fail_after:
            raise KeyboardInterrupt  # a crash: nothing of this page lands
        self.commits += 1
        for order in orders:
            self.rows[order.order_key] = order
        self.checkpoint = checkpoint
        self.committed.append((len(orders), checkpoint))
        return len(orders)

    def count_in_window(self, shop_id: int, column: str, start: int, end: int) -> int:
        attr = "updated_at" if column == "updated" else "ordered_at"
        return sum(1 for r in self.rows.values() if start <= getattr(r, attr) < end)


def _spread(n: int, seed: int = 1) -> dict[int, dt.datetime]:
    rng = random.Random(seed)
    return {i: NOW - dt.timedelta(seconds=rng.randrange(60 * 86400) + 120) for i in range(1, n + 1)}


def _sync(store: MemoryStore, platform: Platform, now: dt.datetime = NOW, **opts: object) -> int:
    stats = sync_shop(
        store,
        shop_id=1,
        shop="s",
        connector=platform,  # type: ignore[arg-type]
        keys=KEYS,
        options=SyncOptions(**opts),  # type: ignore[arg-type]
        default_lookback=dt.timedelta(days=3),
        now=now,
    )
    return stats.orders_written


def _keys(platform: Platform) -> set[str]:
    return {KEYS.order_key("scripted", "s", str(i)) for i in platform.orders}


def test_first_sync_stores_every_order_once_with_full_pages() -> None:
    platform = Platform(_spread(95))
    store = MemoryStore()
    _sync(store, platform)
    assert set(store.rows) == _keys(platform)
    assert platform.stats.requests == 10  # ceil(95 / 10): no request wasted
    assert store.checkpoint == Checkpoint(watermark=int(NOW.timestamp()))


def test_second_sync_reads_only_the_lookback_and_adds_nothing() -> None:
    platform = Platform(_spread(95))
    store = MemoryStore()
    _sync(store, platform)
    before = dict(store.rows)
    platform.calls.clear()
    _sync(store, platform, now=NOW + dt.timedelta(hours=1))
    assert store.rows == before
    (window, _), *_ = platform.calls
    assert window.start == NOW - dt.timedelta(days=3)


def test_orders_leaving_the_window_mid_paging_do_not_hide_others() -> None:
    platform = Platform(_spread(200, seed=3))
    rng = random.Random(7)

    def churn(p: Platform) -> None:
        # an existing order is updated "now": it leaves every past window
        victim = rng.choice(list(p.orders))
        p.orders[victim] = NOW + dt.timedelta(minutes=5)

    original = dict(platform.orders)
    platform.before_request = churn
    store = MemoryStore()
    _sync(store, platform)
    moved = {i for i, t in platform.orders.items() if t != original[i]}
    stayed = {KEYS.order_key("scripted", "s", str(i)) for i in original if i not in moved}
    assert stayed <= set(store.rows)  # nothing that stayed in the window was missed
    platform.before_request = None
    _sync(store, platform, now=NOW + dt.timedelta(minutes=10))
    assert set(store.rows) == _keys(platform)


def test_new_orders_during_a_run_are_picked_up_by_the_next_run() -> None:
    platform = Platform(_spread(50))
    counter = iter(range(1000, 2000))

    def create(p: Platform) -> None:
        p.orders[next(counter)] = NOW + dt.timedelta(seconds=30)  # after the run's upper bound

    platform.before_request = create
    store = MemoryStore()
    _sync(store, platform)
    platform.before_request = None
    _sync(store, platform, now=NOW + dt.timedelta(minutes=5))
    assert set(store.rows) == _keys(platform)


@pytest.fixture
def commit_every_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "COMMIT_ORDERS", 1)


@pytest.mark.usefixtures("commit_every_page")
def test_a_crash_between_pages_resumes_at_the_next_page_and_duplicates_nothing() -> None:
    platform = Platform(_spread(95))
    store = MemoryStore(fail_after=4)
    with pytest.raises(KeyboardInterrupt):
        _sync(store, platform)
    assert len(store.rows) == 40
    assert store.checkpoint is not None and store.checkpoint.next_offset == 40
    store.fail_after = None
    platform.calls.clear()
    _sync(store, platform, now=NOW + dt.timedelta(minutes=1))
    assert set(store.rows) == _keys(platform)
    assert platform.calls[0][1] == 40  # resumed, not restarted


def test_a_platform_serving_the_same_page_again_stops_the_shop() -> None:
    platform = Platform(_spread(50), repeat_pages=True)
    store = MemoryStore()
    with pytest.raises(PlatformUnavailable, match="same page"):
        _sync(store, platform)
    assert store.checkpoint is not None and store.checkpoint.watermark is None


def test_a_count_mismatch_refetches_the_window_in_halves() -> None:
    platform = Platform(_spread(30))
    real_fetch = platform.fetch_page
    dropped: list[int] = []

    def lossy(window: Window, offset: int) -> Page:
        page = real_fetch(window, offset)
        if not dropped and page.orders:  # the platform loses one order from one response
            dropped.append(1)
            return replace(page, orders=page.orders[1:])
        return page

    platform.fetch_page = lossy  # type: ignore[method-assign]
    store = MemoryStore()
    _sync(store, platform)
    assert set(store.rows) == _keys(platform)
    assert len(platform.calls) > 3  # the window was read again


def test_windows_respect_the_platform_cap_and_resume_inside_the_plan() -> None:
    plan = plan_run(
        Checkpoint(watermark=int((NOW - dt.timedelta(days=20)).timestamp())),
        now=NOW,
        options=SyncOptions(),
        default_lookback=dt.timedelta(days=3),
        max_window=dt.timedelta(days=7),
    )
    assert all(w.span <= dt.timedelta(days=7) for w in plan.windows)
    assert plan.windows[0].start == NOW - dt.timedelta(days=23)
    assert plan.windows[-1].end == plan.upper == NOW
    full = plan_run(
        None,
        now=NOW,
        options=SyncOptions(full=True),
        default_lookback=dt.timedelta(0),
        max_window=None,
    )
    assert full.windows[0].start == HISTORY_START


def test_heavy_churn_on_every_request_still_converges_to_exactly_the_platform() -> None:
    platform = Platform(_spread(2000, seed=5), page_size=50)
    rng = random.Random(11)
    counter = iter(range(10_000, 20_000))
    clock = [NOW + dt.timedelta(seconds=1)]

    def churn(p: Platform) -> None:
        p.orders[rng.choice(list(p.orders))] = clock[0]  # updated: leaves past windows
        p.orders[next(counter)] = clock[0]  # created

    platform.before_request = churn
    store = MemoryStore()
    _sync(store, platform)
    first_run_requests = platform.stats.requests
    # Parts are cut by time, so skewed data costs extra reads; it stays bounded.
    assert first_run_requests < 6 * (2000 // 50)
    platform.before_request = None
    _sync(store, platform, now=NOW + dt.timedelta(minutes=5))
    assert set(store.rows) == _keys(platform)


def test_orders_landing_behind_the_upper_bound_mid_run_are_not_lost() -> None:
    # A platform clock behind ours stamps new orders with times inside the window
    # being read: the window grows while it is paged.
    platform = Platform(_spread(300, seed=9), page_size=20)
    counter = iter(range(5000, 6000))

    def late(p: Platform) -> None:
        p.orders[next(counter)] = NOW - dt.timedelta(seconds=10)

    platform.before_request = late
    store = MemoryStore()
    _sync(store, platform)
    platform.before_request = None
    _sync(store, platform, now=NOW + dt.timedelta(minutes=5))
    assert set(store.rows) == _keys(platform)


def test_pages_that_arrive_quickly_are_committed_together_with_the_last_checkpoint(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(engine, "COMMIT_ORDERS", 30)
    platform = Platform(_spread(95))
    store = MemoryStore()
    assert _sync(store, platform) == 95
    assert [rows for rows, _ in store.committed] == [30, 30, 30, 5]
    offsets = [checkpoint.next_offset for _, checkpoint in store.committed[:3]]
    assert offsets == [30, 60, 90]  # each batch resumes after its last page
    assert store.committed[-1][1] == Checkpoint(watermark=int(NOW.timestamp()))


def test_slow_pages_are_committed_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "COMMIT_EVERY_S", 0.0)  # every page is "old" at once
    platform = Platform(_spread(35))
    store = MemoryStore()
    _sync(store, platform)
    assert [rows for rows, _ in store.committed] == [10, 10, 10, 5]


def test_an_error_mid_window_still_commits_the_pages_already_read() -> None:
    platform = Platform(_spread(95))

    def fail_on_the_sixth_request(p: Platform) -> None:
        if p.stats.requests == 5:
            raise PlatformUnavailable("scripted outage")

    platform.before_request = fail_on_the_sixth_request
    store = MemoryStore()
    with pytest.raises(PlatformUnavailable, match="scripted outage"):
        _sync(store, platform)
    assert len(store.rows) == 50  # the five pages read before the error
    assert store.checkpoint is not None and store.checkpoint.next_offset == 50
    platform.before_request = None
    platform.calls.clear()
    _sync(store, platform, now=NOW + dt.timedelta(minutes=1))
    assert platform.calls[0][1] == 50  # the next run resumes after them
    assert set(store.rows) == _keys(platform)


def test_a_store_that_fails_while_committing_the_batch_is_not_asked_again() -> None:
    platform = Platform(_spread(25))
    store = MemoryStore(fail_after=0)
    with pytest.raises(KeyboardInterrupt):
        _sync(store, platform)
    assert store.rows == {} and store.checkpoint is None
    assert store.attempts == 1


def test_rows_held_while_the_next_page_is_slow_are_committed_without_waiting_for_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(engine, "COMMIT_EVERY_S", 0.05)
    platform = Platform(_spread(45))
    seen_by_fourth_request: list[int] = []

    def slow_fourth_request(p: Platform) -> None:
        if p.stats.requests == 3:
            time.sleep(0.3)  # far longer than a page may wait for its commit
            seen_by_fourth_request.append(len(store.rows))

    platform.before_request = slow_fourth_request
    store = MemoryStore()
    _sync(store, platform)
    assert seen_by_fourth_request == [30]  # the three pages before it were committed
    assert set(store.rows) == _keys(platform)

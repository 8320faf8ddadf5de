"""The encrypted store: real SQLCipher files in tmp_path, keys in a real keyring backend."""

from __future__ import annotations

import json
import logging
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

import store as store_pkg
from kamei.errors import (
    CheckpointError,
    ConfigError,
    KameiError,
    SecretMissing,
    StoreCorrupt,
    StoreError,
    StoreExists,
    StoreMissing,
    SyncLocked,
    UnknownShop,
    WrongKey,
)
from store import Checkpoint, LineRecord, OrderRecord, RunStats, Store, SyncLock
from store import secrets as kamei_secrets
from store.numbers import number_of

OrderFactory = Callable[..., OrderRecord]


def _rows(st: Store) -> tuple[list[Any], list[Any]]:
    with st.connect() as conn:
        orders = conn.exec_driver_sql("SELECT * FROM orders ORDER BY order_key").all()
        lines = conn.exec_driver_sql(
            "SELECT o.order_key, l.* FROM order_lines l JOIN orders o ON o.id = l.order_id "
            "ORDER BY o.order_key, l.line_no"
        ).all()
    return [tuple(r) for r in orders], [tuple(r) for r in lines]


def _assert_one_line(exc: BaseException) -> None:
    text = str(exc)
    assert text and "\n" not in text and "Traceback" not in text


def _all_text(exc: BaseException) -> str:
    """Every message in the exception chain, as a user or a log could see them."""
    parts: list[str] = []
    seen: BaseException | None = exc
    while seen is not None:
        parts.extend([str(seen), repr(seen)])
        seen = seen.__cause__ or seen.__context__
    return "\n".join(parts)


# --- the public surface ---------------------------------------------------------


def test_every_name_in_the_package_all_is_importable_and_the_list_is_sorted_and_unique() -> None:
    names = store_pkg.__all__
    assert len(names) == len(set(names))
    assert names == sorted(names, key=lambda n: (not n.isupper(), not n[0].isupper(), n))
    for name in names:
        assert getattr(store_pkg, name) is not None


# --- encryption on disk -------------------------------------------------------------


def test_the_store_file_has_no_plaintext_sqlite_header_and_plain_sqlite3_cannot_read_it(
    store: Store, make_order: OrderFactory
) -> None:
    shop = store.add_shop("main", "colorme")
    store.commit_page(shop.id, [make_order(1)], Checkpoint(watermark=1))
    store.close()
    raw = store.path.read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    assert "今治タオル".encode() not in raw and b"colorme" not in raw
    plain = sqlite3.connect(store.path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="not a database"):
            plain.execute("SELECT * FROM sqlite_master").fetchall()
    finally:
        plain.close()


def test_a_wrong_key_is_WrongKey_in_one_line_that_never_contains_a_key(home: Path) -> None:
    with Store.create(home) as st:
        store_id = st.store_id
    before = (home / "kamei.db").read_bytes()
    real_key = kamei_secrets.db_key(store_id).hex()
    exported = json.loads(kamei_secrets.export_keys(store_id))
    exported["db_key"] = os.urandom(32).hex()
    kamei_secrets.import_keys(store_id, json.dumps(exported), replace=True)

    with pytest.raises(WrongKey) as caught:
        Store.open(home)

    _assert_one_line(caught.value)
    assert "kamei key import" in str(caught.value)
    text = _all_text(caught.value).lower()
    assert real_key not in text and exported["db_key"] not in text
    assert (home / "kamei.db").read_bytes() == before


def test_a_store_whose_key_is_missing_from_the_keyring_is_SecretMissing(home: Path) -> None:
    with Store.create(home) as st:
        store_id = st.store_id
    kamei_secrets.delete_store_keys(store_id)
    with pytest.raises(SecretMissing, match="kamei key import") as caught:
        Store.open(home)
    _assert_one_line(caught.value)


def test_a_missing_store_file_is_StoreMissing_and_opening_creates_nothing(home: Path) -> None:
    with pytest.raises(StoreMissing, match="kamei init") as caught:
        Store.open(home)
    _assert_one_line(caught.value)
    assert not home.exists()


def test_a_store_file_deleted_beside_its_kamei_json_is_StoreMissing(home: Path) -> None:
    with Store.create(home):
        pass
    (home / "kamei.db").unlink()
    with pytest.raises(StoreMissing, match="kamei init"):
        Store.open(home)
    assert not (home / "kamei.db").exists()


@pytest.mark.parametrize(
    ("cut", "expected"),
    [
        pytest.param(lambda n: 0, StoreCorrupt, id="emptied"),
        pytest.param(lambda n: 100, StoreCorrupt, id="shorter-than-a-page"),
        pytest.param(lambda n: n - 1000, StoreCorrupt, id="not-whole-pages"),
        pytest.param(lambda n: 4096, StoreCorrupt, id="first-page-only"),
        pytest.param(lambda n: 2 * 4096, StoreCorrupt, id="two-pages-only"),
    ],
)
def test_a_truncated_store_is_reported_clearly_and_left_byte_identical(
    home: Path, make_order: OrderFactory, cut: Any, expected: type[KameiError]
) -> None:
    with Store.create(home) as st:
        shop = st.add_shop("main", "colorme")
        st.commit_page(shop.id, [make_order(n) for n in range(2000)], Checkpoint())
    db = home / "kamei.db"
    damaged = db.read_bytes()[: cut(db.stat().st_size)]
    db.write_bytes(damaged)

    with pytest.raises(expected) as caught:
        Store.open(home)

    _assert_one_line(caught.value)
    assert "kamei doctor" in str(caught.value) or "backup" in str(caught.value)
    assert db.read_bytes() == damaged


def test_a_damaged_first_page_is_reported_as_wrong_key_or_damage_and_left_untouched(
    home: Path,
) -> None:
    with Store.create(home):
        pass
    db = home / "kamei.db"
    damaged = bytearray(db.read_bytes())
    damaged[200] ^= 0xFF
    db.write_bytes(bytes(damaged))
    with pytest.raises(WrongKey, match="damaged") as caught:
        Store.open(home)
    _assert_one_line(caught.value)
    assert db.read_bytes() == bytes(damaged)


def test_a_damaged_data_page_surfaces_as_StoreCorrupt_on_read_and_in_verify(
    home: Path, make_order: OrderFactory
) -> None:
    with Store.create(home) as st:
        shop = st.add_shop("main", "colorme")
        st.commit_page(shop.id, [make_order(n) for n in range(2000)], Checkpoint())
    db = home / "kamei.db"
    damaged = bytearray(db.read_bytes())
    damaged[2 * 4096 + 100] ^= 0xFF  # page 3
    db.write_bytes(bytes(damaged))
    with Store.open(home) as st:
        assert st.verify()
        with pytest.raises(StoreCorrupt, match="damaged") as caught:
            st.order_keys(shop.id)
            st.list_shops()
            st.load_checkpoint(shop.id)
    _assert_one_line(caught.value)


def test_an_unencrypted_sqlite_file_is_recognised_as_not_a_kamei_store(home: Path) -> None:
    with Store.create(home):
        pass
    db = home / "kamei.db"
    db.unlink()
    plain = sqlite3.connect(db)
    plain.execute("CREATE TABLE t (x)")
    plain.commit()
    plain.close()
    before = db.read_bytes()
    with pytest.raises(WrongKey, match="unencrypted SQLite file") as caught:
        Store.open(home)
    _assert_one_line(caught.value)
    assert db.read_bytes() == before


def test_creating_a_store_twice_is_StoreExists_and_the_first_store_still_opens(
    home: Path,
) -> None:
    with Store.create(home) as first:
        first.add_shop("main", "colorme")
    with pytest.raises(StoreExists, match="already exists"):
        Store.create(home)
    with Store.open(home) as again:
        assert [s.name for s in again.list_shops()] == ["main"]


def test_a_create_that_fails_half_way_leaves_no_files_and_no_keys_behind(
    home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import store.migrations as migrations_module

    def broken_migrate(*args: object, **kwargs: object) -> list[int]:
        raise OSError("disk gone")

    real_migrate = migrations_module.migrate
    monkeypatch.setattr(migrations_module, "migrate", broken_migrate)
    with pytest.raises(OSError, match="disk gone"):
        Store.create(home)
    assert sorted(p.name for p in home.iterdir()) == []
    keyring_file = next((tmp_path / "keyring").rglob("*.cfg"))
    assert "db-key" not in keyring_file.read_text()
    monkeypatch.setattr(migrations_module, "migrate", real_migrate)
    with Store.create(home) as st:  # simply retried
        assert st.schema_version() >= 1


def test_no_log_record_carries_the_database_key(
    home: Path, make_order: OrderFactory, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.DEBUG)
    try:
        with Store.create(home) as st:
            shop = st.add_shop("main", "colorme")
            st.commit_page(shop.id, [make_order(1)], Checkpoint(watermark=5))
            key = kamei_secrets.db_key(st.store_id).hex()
        with Store.open(home) as st:
            st.count_orders()
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.NOTSET)
    assert caplog.records  # SQLAlchemy did log its statements
    assert key not in caplog.text.lower()
    assert "PRAGMA key" not in caplog.text


# --- commit_page -----------------------------------------------------------------


def test_committing_the_same_page_twice_leaves_the_same_rows(
    store: Store, make_order: OrderFactory
) -> None:
    shop = store.add_shop("main", "colorme")
    page = [make_order(n) for n in range(50)]
    assert store.commit_page(shop.id, page, Checkpoint(watermark=10)) == 50
    first = _rows(store)
    assert store.commit_page(shop.id, page, Checkpoint(watermark=10)) == 50
    assert _rows(store) == first
    assert store.count_orders() == 50 and len(first[1]) == 100


def test_an_updated_order_replaces_its_fields_and_its_lines(
    store: Store, make_order: OrderFactory
) -> None:
    shop = store.add_shop("main", "colorme")
    store.commit_page(shop.id, [make_order(1)], Checkpoint())
    one_line = (
        LineRecord(
            line_no=1, product_id="P-9", product_name="箸", unit_price=500, quantity=1, subtotal=500
        ),
    )
    changed = make_order(1, status="cancelled", updated_at=1_800_000_000, lines=one_line)
    store.commit_page(shop.id, [changed], Checkpoint())
    orders, lines = _rows(store)
    with store.connect() as conn:
        status = conn.exec_driver_sql("SELECT status, updated_at FROM orders").one()
    assert len(orders) == 1 and tuple(status) == ("cancelled", 1_800_000_000)
    assert [(line[0], line[2], line[3]) for line in lines] == [("o00000001", 1, "P-9")]
    # The line carries the order's new status, and the order its new units.
    assert lines[0][-2] == "cancelled"
    with store.connect() as conn:
        assert conn.exec_driver_sql("SELECT units FROM orders").scalar_one() == 1


def test_the_same_order_twice_in_one_page_keeps_the_last_version(
    store: Store, make_order: OrderFactory
) -> None:
    shop = store.add_shop("main", "colorme")
    written = store.commit_page(
        shop.id, [make_order(1), make_order(1, status="shipped")], Checkpoint()
    )
    assert written == 1
    with store.connect() as conn:
        assert conn.exec_driver_sql("SELECT status FROM orders").scalar_one() == "shipped"


def test_stored_values_round_trip_with_flags_as_integers(
    store: Store, make_order: OrderFactory
) -> None:
    shop = store.add_shop("main", "colorme")
    store.commit_page(shop.id, [make_order(7, is_gift=True, coupon_name="夏")], Checkpoint())
    with store.connect() as conn:
        row = conn.exec_driver_sql("SELECT * FROM orders").mappings().one()
    assert row["shop_id"] == shop.id and row["is_gift"] == 1 and row["multi_destination"] == 0
    assert row["coupon_name"] == "夏" and row["prefecture"] == 13 and row["grand_total"] == 3700


def test_an_exception_inside_atomic_rolls_back_rows_and_checkpoint_together(
    store: Store, make_order: OrderFactory
) -> None:
    shop = store.add_shop("main", "colorme")
    with pytest.raises(RuntimeError, match="crash"), store.atomic():
        store.commit_page(shop.id, [make_order(n) for n in range(10)], Checkpoint(watermark=99))
        raise RuntimeError("crash")
    assert store.count_orders() == 0
    assert _rows(store) == ([], [])
    assert store.load_checkpoint(shop.id) is None


def test_a_failure_inside_commit_page_lands_nothing(store: Store, make_order: OrderFactory) -> None:
    shop = store.add_shop("main", "colorme")
    store.commit_page(shop.id, [make_order(1)], Checkpoint(watermark=1))
    bad_line = LineRecord(
        line_no=1,
        product_id="x",
        product_name=None,  # type: ignore[arg-type]  # NOT NULL: the insert of lines fails
        unit_price=1,
        quantity=1,
        subtotal=1,
    )
    with pytest.raises(StoreError):
        store.commit_page(
            shop.id, [make_order(2), make_order(3, lines=(bad_line,))], Checkpoint(watermark=2)
        )
    assert store.order_keys(shop.id) == {"o00000001"}
    assert store.load_checkpoint(shop.id) == Checkpoint(watermark=1)


def test_a_nested_atomic_block_is_a_savepoint(store: Store, make_order: OrderFactory) -> None:
    shop = store.add_shop("main", "colorme")
    with store.atomic():
        store.commit_page(shop.id, [make_order(1)], Checkpoint(watermark=1))
        with pytest.raises(ValueError), store.atomic():
            store.commit_page(shop.id, [make_order(2)], Checkpoint(watermark=2))
            raise ValueError("inner")
    assert store.order_keys(shop.id) == {"o00000001"}
    assert store.load_checkpoint(shop.id) == Checkpoint(watermark=1)


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param({"order_key": "x"}, id="dict"),
        pytest.param(None, id="none"),
    ],
)
def test_commit_page_accepts_nothing_but_OrderRecord(store: Store, bad: object) -> None:
    shop = store.add_shop("main", "colorme")
    with pytest.raises(TypeError, match="OrderRecord"):
        store.commit_page(shop.id, [bad], Checkpoint())  # type: ignore[list-item]
    assert store.load_checkpoint(shop.id) is None


def test_commit_page_refuses_a_subclass_that_could_carry_contact_fields(
    store: Store, make_order: OrderFactory
) -> None:
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class WithEmail(OrderRecord):
        email: str = "taro@example.jp"

    shop = store.add_shop("main", "colorme")
    order = make_order(1)
    smuggled = WithEmail(**{f: getattr(order, f) for f in OrderRecord.__dataclass_fields__})
    with pytest.raises(TypeError, match="WithEmail"):
        store.commit_page(shop.id, [smuggled], Checkpoint())
    assert store.count_orders() == 0


def test_commit_page_into_an_unknown_shop_is_UnknownShop(
    store: Store, make_order: OrderFactory
) -> None:
    with pytest.raises(UnknownShop, match="kamei shop list"):
        store.commit_page(42, [make_order(1)], Checkpoint())


def test_commit_page_writes_ten_thousand_orders_in_pages_of_500(
    store: Store, make_order: OrderFactory
) -> None:
    # How fast is bench/throughput.py's subject (speed is measured there, not here).
    shop = store.add_shop("main", "colorme")
    orders = [make_order(n) for n in range(10_000)]
    for start in range(0, len(orders), 500):
        store.commit_page(shop.id, orders[start : start + 500], Checkpoint(watermark=start))
    assert store.count_orders(shop.id) == 10_000
    assert store.load_checkpoint(shop.id) == Checkpoint(watermark=9_500)
    with store.connect() as conn:
        lines = conn.exec_driver_sql("SELECT count(*) FROM order_lines").scalar_one()
    assert lines == sum(len(order.lines) for order in orders)


# --- checkpoints and counts --------------------------------------------------------


def test_a_checkpoint_round_trips_through_the_store(store: Store) -> None:
    shop = store.add_shop("main", "colorme")
    assert store.load_checkpoint(shop.id) is None
    checkpoint = Checkpoint(watermark=1_700_000_000, window_start=1, window_end=2, window_total=9)
    store.save_checkpoint(shop.id, checkpoint)
    assert store.load_checkpoint(shop.id) == checkpoint


def test_a_checkpoint_of_an_unknown_version_is_CheckpointError(store: Store) -> None:
    shop = store.add_shop("main", "colorme")
    store.save_checkpoint(shop.id, Checkpoint(watermark=1))
    with store.atomic() as conn:
        conn.exec_driver_sql(
            "UPDATE sync_state SET checkpoint = ?", ('{"version": 99, "watermark": 1}',)
        )
    with pytest.raises(CheckpointError, match="upgrade kamei"):
        store.load_checkpoint(shop.id)
    [status] = store.shop_status()
    assert status.watermark is None and status.checkpoint_error


def test_count_in_window_is_half_open_on_either_time_column(
    store: Store, make_order: OrderFactory
) -> None:
    shop = store.add_shop("main", "colorme")
    other = store.add_shop("second", "makeshop")
    orders = [make_order(n, ordered_at=100 + n, updated_at=1000 + n) for n in range(10)]
    store.commit_page(shop.id, orders, Checkpoint())
    store.commit_page(other.id, [make_order(50, ordered_at=101, updated_at=1001)], Checkpoint())
    assert store.count_in_window(shop.id, "ordered", 100, 105) == 5  # 100..104
    assert store.count_in_window(shop.id, "updated", 1005, 1010) == 5  # 1005..1009
    assert store.count_in_window(shop.id, "updated", 1010, 2000) == 0
    assert store.count_orders() == 11 and store.count_orders(other.id) == 1
    with pytest.raises(ValueError, match="updated"):
        store.count_in_window(shop.id, "created", 0, 1)


def test_order_keys_lists_one_shops_orders(store: Store, make_order: OrderFactory) -> None:
    shop = store.add_shop("main", "colorme")
    other = store.add_shop("second", "colorme")
    store.commit_page(shop.id, [make_order(1), make_order(2)], Checkpoint())
    store.commit_page(other.id, [make_order(3)], Checkpoint())
    assert store.order_keys(shop.id) == {"o00000001", "o00000002"}


# --- shops -----------------------------------------------------------------------


def test_shops_are_added_listed_and_fetched_with_their_settings(store: Store) -> None:
    added = store.add_shop("main", "colorme", {"lookback_days": 7, "base_url": "https://x"})
    store.add_shop("annex", "makeshop")
    assert [s.name for s in store.list_shops()] == ["annex", "main"]
    assert store.get_shop("main") == added
    assert added.settings == {"lookback_days": 7, "base_url": "https://x"}
    updated = store.update_shop_settings("main", {"lookback_days": 14})
    assert store.get_shop("main").settings == {"lookback_days": 14} == updated.settings


def test_adding_a_shop_twice_is_a_ConfigError_suggesting_remove(store: Store) -> None:
    store.add_shop("main", "colorme")
    with pytest.raises(ConfigError, match="kamei shop remove main"):
        store.add_shop("main", "makeshop")


def test_an_unknown_shop_is_UnknownShop_naming_shop_list(store: Store) -> None:
    with pytest.raises(UnknownShop, match="kamei shop list"):
        store.get_shop("nope")


@pytest.mark.parametrize("name", ["", " main", "a/b", "a:b", "x" * 65, "tab\there"])
def test_unusable_shop_names_are_refused(store: Store, name: str) -> None:
    with pytest.raises(ConfigError, match="shop name"):
        store.add_shop(name, "colorme")


def test_secret_looking_settings_are_refused_and_point_to_the_keyring(store: Store) -> None:
    with pytest.raises(ConfigError, match="kamei auth main"):
        store.add_shop("main", "colorme", {"access_token": "abc"})
    assert store.list_shops() == []


def test_removing_a_shop_removes_its_orders_state_runs_and_credential(
    store: Store, make_order: OrderFactory
) -> None:
    shop = store.add_shop("main", "colorme")
    keep = store.add_shop("keep", "colorme")
    store.commit_page(shop.id, [make_order(1)], Checkpoint(watermark=1))
    store.commit_page(keep.id, [make_order(2)], Checkpoint(watermark=2))
    store.start_run(shop.id)
    kamei_secrets.set_credential(store.store_id, "main", {"token": "t"})

    store.remove_shop("main")

    assert [s.name for s in store.list_shops()] == ["keep"]
    assert store.order_keys(keep.id) == {"o00000002"}
    with store.connect() as conn:
        for table in ("order_lines", "sync_state", "sync_runs"):
            left = conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()
            assert left == (2 if table == "order_lines" else 1 if table == "sync_state" else 0)
    assert not kamei_secrets.has_credential(store.store_id, "main")


# --- runs and status ---------------------------------------------------------------


def test_a_finished_run_shows_up_in_shop_status(store: Store, make_order: OrderFactory) -> None:
    shop = store.add_shop("main", "colorme")
    store.add_shop("idle", "makeshop")
    store.commit_page(shop.id, [make_order(1)], Checkpoint(watermark=1234))
    run = store.start_run(shop.id)
    store.finish_run(run, RunStats(outcome="ok", orders_written=1, pages=1), 2.5)
    failed = store.start_run(shop.id)
    store.finish_run(failed, RunStats(outcome="failed", error="re-authorise\nwith kamei"), 0.1)

    idle, main = store.shop_status()
    assert (main.name, main.orders, main.watermark) == ("main", 1, 1234)
    assert main.last_success_at is not None and main.last_outcome == "failed"
    assert main.last_error == "re-authorise with kamei"
    assert (idle.orders, idle.last_outcome, idle.watermark) == (0, None, None)


def test_runs_left_running_by_a_crash_become_interrupted(store: Store) -> None:
    shop = store.add_shop("main", "colorme")
    store.start_run(shop.id)
    assert store.mark_interrupted_runs(shop.id) == 1
    assert store.shop_status()[0].last_outcome == "interrupted"
    assert store.mark_interrupted_runs(shop.id) == 0


def test_finish_run_wants_a_finished_outcome(store: Store) -> None:
    shop = store.add_shop("main", "colorme")
    run = store.start_run(shop.id)
    with pytest.raises(ValueError, match="ok"):
        store.finish_run(run, RunStats(), 1.0)


# --- read-only and lifecycle ---------------------------------------------------------


def test_a_read_only_store_reads_but_refuses_every_write(
    home: Path, make_order: OrderFactory
) -> None:
    with Store.create(home) as st:
        shop = st.add_shop("main", "colorme")
        st.commit_page(shop.id, [make_order(1)], Checkpoint())
    with Store.open(home, readonly=True) as ro:
        assert ro.count_orders() == 1
        with pytest.raises(StoreError, match="read-only"):
            ro.add_shop("second", "colorme")
        with ro.connect() as conn, pytest.raises(sa.exc.OperationalError, match="readonly"):
            conn.exec_driver_sql("DELETE FROM orders")
    with Store.open(home) as st:
        assert st.count_orders() == 1


def test_a_closed_store_says_so(store: Store) -> None:
    store.close()
    store.close()  # idempotent
    with pytest.raises(StoreError, match="closed"):
        store.count_orders()


def test_the_store_passes_the_pseudonym_key_through_from_the_keyring(store: Store) -> None:
    version, key = store.pseudonym_key()
    assert version == 1 and len(key) == 32
    assert store.pseudonym_key(1) == (1, key)
    assert key != kamei_secrets.db_key(store.store_id)


def test_the_store_passes_shop_credentials_through_to_its_keyring_scope(store: Store) -> None:
    store.set_credential("main", {"access_token": "tok"})
    assert store.has_credential("main")
    assert store.get_credential("main") == {"access_token": "tok"}
    assert kamei_secrets.get_credential(store.store_id, "main") == {"access_token": "tok"}
    assert store.delete_credential("main") and not store.has_credential("main")


# --- the sync lock -----------------------------------------------------------------


def test_a_second_sync_lock_on_the_same_store_raises_SyncLocked(store: Store) -> None:
    with store.sync_lock().acquire(wait=False):
        with pytest.raises(SyncLocked, match="another `kamei sync`") as caught:
            store.sync_lock().acquire(wait=False)
        _assert_one_line(caught.value)
        assert f"pid {os.getpid()}" in str(caught.value)
    with store.sync_lock():  # released: free again
        pass


def test_a_waiting_sync_lock_takes_over_when_the_holder_releases(store: Store) -> None:
    import threading

    acquired = threading.Event()

    def second_sync() -> None:
        with store.sync_lock(wait=True):
            acquired.set()

    holder = store.sync_lock().acquire(wait=False)
    waiter = threading.Thread(target=second_sync)
    waiter.start()
    try:
        assert not acquired.wait(0.3)  # blocked while the first sync runs
    finally:
        holder.release()
    waiter.join(timeout=10)
    assert acquired.is_set()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_lock_held_by_a_killed_process_does_not_block(tmp_path: Path) -> None:
    lock_path = tmp_path / "sync.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time, pathlib\n"
            "from store.lock import SyncLock\n"
            f"SyncLock(pathlib.Path({str(lock_path)!r})).acquire(wait=False)\n"
            "print('locked', flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(SyncLocked, match=f"pid {holder.pid}"):
            SyncLock(lock_path).acquire(wait=False)
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
        lock = SyncLock(lock_path).acquire(wait=False)
        assert lock.held
        lock.release()
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()


# --- the statement guard -------------------------------------------------------------


@pytest.mark.parametrize("readonly", [False, True], ids=["writable", "read-only"])
@pytest.mark.parametrize(
    "sql",
    [
        "PRAGMA rekey = 'abc'",
        "PRAGMA key = 'abc'",
        "PRAGMA hexrekey = '00'",
        "PRAGMA cipher_page_size = 1024",
        "ATTACH DATABASE 'copy.db' AS copy KEY ''",
        "SELECT sqlcipher_export('main')",
        "SELECT load_extension('evil')",
    ],
)
def test_statements_that_could_destroy_or_copy_out_the_store_are_refused(
    home: Path, sql: str, readonly: bool
) -> None:
    with Store.create(home):
        pass
    with (
        Store.open(home, readonly=readonly) as st,
        st.connect() as conn,
        pytest.raises(StoreError, match="refuses that statement"),
        st.db_errors(),
    ):
        conn.exec_driver_sql(sql)
    with Store.open(home) as st:  # the store still opens with the key in the keyring
        assert st.list_shops() == []
    assert not (home / "copy.db").exists()


def test_a_read_only_connection_cannot_switch_itself_back_to_writing(home: Path) -> None:
    with Store.create(home):
        pass
    with Store.open(home, readonly=True) as st, st.connect() as conn:
        with pytest.raises(StoreError, match="refuses"), st.db_errors():
            conn.exec_driver_sql("PRAGMA query_only = 0")
        columns = conn.exec_driver_sql("PRAGMA table_info(orders)").all()  # looking is fine
        assert "buyer" in {c[1] for c in columns}


def test_numbers_are_stable_63_bit_and_tell_texts_apart() -> None:
    texts = [f"p1_{n:032x}" for n in range(2000)] + ["P-1", "P-2", "箸", ""]
    numbers = [number_of(text) for text in texts]
    assert all(0 <= n < 2**63 for n in numbers)
    assert len(set(numbers)) == len(texts)
    assert number_of("p1_a") == number_of("p1_a")
    # Pinned: the stored numbers must not change between kamei versions.
    assert number_of("P-1") == 8377682558292854139


def test_each_line_carries_its_orders_columns_and_the_numbers(
    store: Store, make_order: OrderFactory
) -> None:
    shop = store.add_shop("main", "colorme")
    order = make_order(1, buyer="p1_a", status="shipped")
    store.commit_page(shop.id, [order], Checkpoint())
    with store.connect() as conn:
        o = conn.exec_driver_sql(
            "SELECT id, shop_id, platform, ordered_at, status, buyer_no, units FROM orders"
        ).one()
        lines = conn.exec_driver_sql(
            "SELECT order_id, shop_id, platform, ordered_at, status, buyer_no, product_id, "
            "product_no, quantity FROM order_lines ORDER BY line_no"
        ).all()
    assert o.buyer_no == number_of("p1_a") and o.units == sum(li.quantity for li in order.lines)
    assert lines and all(
        (li.order_id, li.shop_id, li.platform, li.ordered_at, li.status, li.buyer_no)
        == (o.id, o.shop_id, o.platform, o.ordered_at, o.status, o.buyer_no)
        and li.product_no == number_of(li.product_id)
        for li in lines
    )

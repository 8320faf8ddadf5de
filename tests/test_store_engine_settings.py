"""Connection settings that bound memory and WAL size (bench/memory.py measures them).

A sync opens the store with a small page cache (``SYNC_CACHE_KIB``); everything
else keeps the large one reports need. Writers checkpoint the WAL every
``WAL_AUTOCHECKPOINT_PAGES`` pages instead of SQLite's 1,000, and the WAL must
not outlive the store's closing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from conftest import OrderFactory
from typer.testing import CliRunner

from cli.app import app
from store import DEFAULT_CACHE_KIB, SYNC_CACHE_KIB, Checkpoint, Store
from store.engine import WAL_AUTOCHECKPOINT_PAGES


def cache_kib(store: Store) -> int:
    with store.connect() as conn:
        return -int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one())


def test_page_cache_is_large_by_default_and_small_when_asked(home: Path, store: Store) -> None:
    assert SYNC_CACHE_KIB < DEFAULT_CACHE_KIB
    assert cache_kib(store) == DEFAULT_CACHE_KIB
    store.close()
    with Store.open(home, cache_kib=SYNC_CACHE_KIB) as small:
        assert cache_kib(small) == SYNC_CACHE_KIB


def test_kamei_sync_opens_the_store_with_the_sync_cache(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.close()
    import store.store as store_module

    opened: list[Any] = []
    real = store_module.make_engine

    def recording(*args: Any, **kwargs: Any) -> sa.Engine:
        opened.append(kwargs.get("cache_kib"))
        return real(*args, **kwargs)

    monkeypatch.setattr(store_module, "make_engine", recording)
    CliRunner().invoke(app, ["sync"])  # no shops: what matters is how it opened the store
    assert opened == [SYNC_CACHE_KIB]


def test_writers_checkpoint_the_wal_less_often(home: Path, store: Store) -> None:
    with store.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one()
    assert pages == WAL_AUTOCHECKPOINT_PAGES > 1000


def test_the_wal_is_checkpointed_and_removed_when_the_store_closes(
    home: Path, store: Store, make_order: OrderFactory
) -> None:
    shop = store.add_shop("main", "colorme")
    for start in range(0, 3000, 100):
        orders = [make_order(n) for n in range(start, start + 100)]
        store.commit_page(shop.id, orders, Checkpoint(watermark=start))
    wal = store.paths.wal
    assert wal.exists() and wal.stat().st_size > 0  # the pages went to the WAL first
    store.close()
    assert not wal.exists() or wal.stat().st_size == 0
    with Store.open(home, readonly=True) as again:
        assert again.count_orders(shop.id) == 3000

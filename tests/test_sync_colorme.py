"""Color Me end to end in-process: the real connector, engine and store against the fake."""

from __future__ import annotations

from pathlib import Path

import httpx

from connectors.fakes import FakePlatform, Faults, make_fake
from store import Store
from sync import Pseudonymiser, ShopResult, sync_shops


def _store_with(home: Path, fake: FakePlatform) -> Store:
    store = Store.create(home)
    store.add_shop("main", "colorme", {"base_url": "http://fake.invalid", "rate": 1000})
    store.set_credential("main", {"access_token": fake.credential})
    return store


def _sync(store: Store, fake: FakePlatform) -> ShopResult:
    (result,) = sync_shops(store, transport_for=lambda _: httpx.WSGITransport(app=fake.app))
    return result


def _expected_keys(store: Store, fake: FakePlatform) -> set[str]:
    version, key = store.pseudonym_key()
    keys = Pseudonymiser(key=key, version=version)
    return {keys.order_key("colorme", "main", oid) for oid in fake.order_ids()}


def test_under_churn_the_final_sync_holds_exactly_the_fakes_orders(home: Path) -> None:
    fake = make_fake("colorme", orders=1200, seed=4, faults="churn=1")
    with _store_with(home, fake) as store:
        first = _sync(store, fake)
        assert first.ok, first.stats.error
        fake.app.faults = Faults.parse("")  # the shop stops selling; the night's last run
        assert _sync(store, fake).ok
        assert store.order_keys(store.get_shop("main").id) == _expected_keys(store, fake)
        assert store.count_orders() == fake.orders > 1200


def test_a_second_sync_writes_no_new_rows(home: Path) -> None:
    fake = make_fake("colorme", orders=700, seed=8)
    with _store_with(home, fake) as store:
        assert _sync(store, fake).new_orders == 700
        again = _sync(store, fake)
        assert again.ok and again.new_orders == 0
        assert store.count_orders() == 700


def test_transient_faults_are_retried_to_exactly_the_fakes_orders(home: Path) -> None:
    fake = make_fake(
        "colorme", orders=900, seed=12, faults="429=0.1,5xx=0.1,reset=0.05,truncate=0.05"
    )
    with _store_with(home, fake) as store:
        result = _sync(store, fake)
        assert result.ok, result.stats.error
        assert result.stats.retries > 0
        assert store.order_keys(store.get_shop("main").id) == _expected_keys(store, fake)


def test_a_revoked_token_stops_the_shop_and_keeps_what_was_committed(home: Path) -> None:
    fake = make_fake("colorme", orders=500, seed=2)
    with _store_with(home, fake) as store:
        assert _sync(store, fake).ok
        fake.app.faults = Faults.parse("revoked=1")
        result = _sync(store, fake)
        assert not result.ok and result.stats.outcome == "failed"
        assert "kamei auth colorme main" in (result.stats.error or "")
        assert store.count_orders() == 500
        (status,) = store.shop_status()
        assert status.last_outcome == "failed"

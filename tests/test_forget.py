"""Customer requests: lookup and forget, and a suppression list no later sync gets past."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import httpx
import pytest
from clikit import invoke as kamei

from connectors import RawBuyer, RawOrder
from connectors.fakes import FakePlatform, make_fake
from kamei.errors import ConfigError, SecretMissing, SyncLocked
from store import Store, SyncLock, forgotten_log
from store import keys as store_keys
from store import secrets as kamei_secrets
from sync import (
    Pseudonymiser,
    ShopResult,
    contacts,
    forget_contacts,
    lookup,
    resync_shops,
    sync_shops,
)
from sync.forget import Suppression, load_suppression, pseudonyms


def _store_with(home: Path, fake: FakePlatform) -> Store:
    store = Store.create(home)
    store.add_shop("main", "colorme", {"base_url": "http://fake.invalid", "rate": 1000})
    store.set_credential("main", {"access_token": fake.credential})
    return store


def _sync(store: Store, fake: FakePlatform, *, full: bool = False) -> ShopResult:
    from sync import SyncOptions

    (result,) = sync_shops(
        store,
        options=SyncOptions(full=full),
        transport_for=lambda _: httpx.WSGITransport(app=fake.app),
    )
    assert result.ok, result.stats.error
    return result


def _repeat_buyer(fake: FakePlatform) -> tuple[str, str, int]:
    """(e-mail, phone, orders) of the fake's most frequent buyer."""
    counts = Counter(order.buyer.key for order in fake.dataset.orders)
    key, n = counts.most_common(1)[0]
    person = fake.dataset.persons[key]
    assert person.email is not None
    return person.email, person.phone, n


def _run_row(store: Store) -> tuple[int, int, str]:
    with store.connect() as conn:
        row = conn.exec_driver_sql(
            "SELECT suppressed, mismatches, problems FROM sync_runs ORDER BY id DESC LIMIT 1"
        ).one()
    return int(row[0]), int(row[1]), str(row[2])


# --- normalisation: the sync's own ---------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "served"),
    [
        ("Hanako@Example.JP", "hanako@example.jp"),
        ("  ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ ", "hanako@example.jp"),
    ],
)
def test_lookup_computes_the_pseudonym_the_sync_gives_an_email(
    store: Store, typed: str, served: str
) -> None:
    version, key = store.pseudonym_key()
    synced = Pseudonymiser(key=key, version=version).buyer(
        RawBuyer(email=served, phone="090-0000-0000"), "colorme", "main", "1"
    )
    assert pseudonyms(store, contacts([typed])[0]) == (synced, (synced,))


@pytest.mark.parametrize("typed", ["+81-90-1234-5678", "090-1234-5678", "０９０１２３４５６７８"])
def test_lookup_computes_the_pseudonym_the_sync_gives_a_phone(store: Store, typed: str) -> None:
    version, key = store.pseudonym_key()
    synced = Pseudonymiser(key=key, version=version).buyer(
        RawBuyer(phone="(090)1234-5678"), "makeshop", "other", "9"
    )
    assert pseudonyms(store, contacts(phones=[typed])[0])[0] == synced


def test_contacts_refuse_what_is_no_address_or_number_without_repeating_it() -> None:
    with pytest.raises(ConfigError) as bad_email:
        contacts(["hanako-at-example.jp"])
    with pytest.raises(ConfigError) as bad_phone:
        contacts(phones=["12-34"])
    with pytest.raises(ConfigError, match="give the customer's --email or --phone"):
        contacts()
    assert "hanako" not in str(bad_email.value) and "12-34" not in str(bad_phone.value)


def test_a_pseudonym_is_computed_under_every_key_version_held(store: Store) -> None:
    kamei_secrets.rotate_pseudonym_key(store.store_id)
    current, every = pseudonyms(store, contacts(["a@example.jp"])[0])
    assert current.startswith("p2_") and [p[:3] for p in every] == ["p1_", "p2_"]


# --- the suppression list at the boundary ---------------------------------------------


def _raw(n: int, buyer: RawBuyer) -> RawOrder:
    at = dt.datetime(2025, 1, 1, tzinfo=dt.UTC) + dt.timedelta(hours=n)
    return RawOrder(str(n), at, at, "paid", buyer)


def _suppression(store: Store) -> Suppression:
    return load_suppression(store)


def test_suppression_matches_email_or_phone_in_any_form(store: Store) -> None:
    forget_contacts(store, contacts(["Taro@Example.jp"], ["+81 90 1111 2222"]))
    suppression = _suppression(store)
    orders: Sequence[RawOrder] = [
        _raw(1, RawBuyer(email="taro@example.jp")),
        _raw(2, RawBuyer(email="someone@example.jp", phone="090-1111-2222")),
        _raw(3, RawBuyer(phone="０９０１１１１２２２２")),
        _raw(4, RawBuyer(email="someone@example.jp", phone="090-9999-9999")),
        _raw(5, RawBuyer(member_id="m-1")),
    ]
    kept, dropped = suppression.keep(orders)
    assert [o.platform_order_id for o in kept] == ["4", "5"] and dropped == 3


def test_an_empty_forget_list_needs_no_key(store: Store) -> None:
    assert _suppression(store) == Suppression()
    assert store_keys.suppression_key(store.store_id) is None


def test_a_forget_list_without_its_key_stops_the_sync_instead_of_resurrecting(
    store: Store,
) -> None:
    forget_contacts(store, contacts(["a@example.jp"]))
    kamei_secrets._delete(f"{store.store_id}:suppression-key", "test")
    with pytest.raises(SecretMissing, match="kamei key import"):
        sync_shops(store)


def test_forget_waits_for_no_sync_it_refuses_while_one_runs(store: Store) -> None:
    with SyncLock(store.paths.lock), pytest.raises(SyncLocked):
        forget_contacts(store, contacts(["a@example.jp"]))
    assert forgotten_log(store) == []


# --- end to end against the fake platform ---------------------------------------------


def test_a_forgotten_buyer_is_not_resurrected_by_later_syncs(home: Path) -> None:
    fake = make_fake("colorme", orders=400, seed=3)
    email, _, n = _repeat_buyer(fake)
    with _store_with(home, fake) as store:
        _sync(store, fake)
        wanted = contacts([email])
        found = lookup(store, wanted)
        assert len(found.orders) == n >= 2 and found.forgotten == []

        (done,) = forget_contacts(store, wanted)
        assert done.orders_deleted == n and done.pseudonym == found.pseudonyms[0]
        assert store.count_orders() == 400 - n
        assert lookup(store, wanted).orders == []

        again = _sync(store, fake, full=True)  # re-delivers every order of the buyer
        assert again.new_orders == 0 and store.count_orders() == 400 - n
        assert again.stats.suppressed == n and again.stats.mismatches == 0
        suppressed, mismatches, problems = _run_row(store)
        assert (suppressed, mismatches, problems) == (n, 0, "{}")
        after = lookup(store, wanted)
        assert after.orders == [] and [f.orders_deleted for f in after.forgotten] == [n]


def test_a_buyer_forgotten_by_phone_is_dropped_even_when_filed_under_email(home: Path) -> None:
    fake = make_fake("colorme", orders=300, seed=4)
    email, phone, n = _repeat_buyer(fake)
    with _store_with(home, fake) as store:
        _sync(store, fake)
        (done,) = forget_contacts(store, contacts(phones=[phone]))
        assert done.orders_deleted == 0  # filed under the e-mail address: lookup says so
        forget_contacts(store, contacts([email]))
        assert _sync(store, fake, full=True).stats.suppressed == n
        assert store.count_orders() == 300 - n


def test_forgotten_stays_forgotten_across_pseudonym_rotation_and_crypto_shredding(
    home: Path,
) -> None:
    fake = make_fake("colorme", orders=300, seed=9)
    email, _, n = _repeat_buyer(fake)
    transport = lambda _: httpx.WSGITransport(app=fake.app)  # noqa: E731
    with _store_with(home, fake) as store:
        _sync(store, fake)
        forget_contacts(store, contacts([email]))
        kamei_secrets.rotate_pseudonym_key(store.store_id)
        (rebuilt,) = resync_shops(store, transport_for=transport)
        assert rebuilt.ok and rebuilt.stats.suppressed == n
        assert store.count_orders() == 300 - n
        store_keys.destroy_pseudonym_keys(store.store_id)
        (again,) = resync_shops(store, transport_for=transport)
        assert again.ok and store.count_orders() == 300 - n
        assert lookup(store, contacts([email])).orders == []


def test_no_contact_detail_reaches_the_disk(home: Path, tmp_path: Path) -> None:
    fake = make_fake("colorme", orders=200, seed=10)
    email, phone, _ = _repeat_buyer(fake)
    with _store_with(home, fake) as store:
        _sync(store, fake)
    code, _, err = kamei("forget", "--email", email, "--phone", phone, "--yes")
    assert code == 0, err
    with Store.open(home) as store:
        _sync(store, fake)
    digits = "".join(c for c in phone if c.isdigit())
    for path in tmp_path.rglob("*"):  # the home and the test keyring
        if path.is_file():
            data = path.read_bytes()
            assert email.encode() not in data and digits.encode() not in data, path


# --- the commands ---------------------------------------------------------------------


def test_kamei_lookup_and_forget_print_pseudonyms_never_the_contact(home: Path) -> None:
    fake = make_fake("colorme", orders=300, seed=3)
    email, _, n = _repeat_buyer(fake)
    with _store_with(home, fake) as store:
        _sync(store, fake)
        (pseudonym,) = lookup(store, contacts([email])).pseudonyms

    code, out, err = kamei("lookup", "--email", email)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[:2] == [f"pseudonyms: {pseudonym}", f"{n} stored orders:"]
    assert len(lines) == 2 + n and all(line.startswith("  20") for line in lines[2:])
    assert email not in out

    code, _, err = kamei("forget", "--email", email)
    assert code == 2 and err == (
        "kamei: error: this cannot be undone: confirm with --yes (or run it on a terminal to "
        "be asked)\n"
    )
    code, out, err = kamei("forget", "--email", email.upper(), "--yes")
    assert (code, err) == (0, "")
    assert out == (
        f"forgot {pseudonym}: {n} orders deleted\n"
        "later syncs skip this buyer's orders; the platform still holds the customer's "
        "records: delete them there too if they asked\n"
    )
    code, out, _ = kamei("lookup", "--email", email, "--json")
    assert code == 0 and '"orders": []' in out and f'"orders": {n}' in out


def test_kamei_lookup_refuses_a_malformed_address_in_one_line(home: Path) -> None:
    kamei("init")
    code, out, err = kamei("lookup", "--email", "nobody-at-example.jp")
    assert (code, out) == (2, "")
    assert err == (
        "kamei: error: --email: that is not an e-mail address (it needs an @); check it\n"
    )


def test_kamei_lookup_of_an_unknown_phone_hints_at_the_email(home: Path) -> None:
    kamei("init")
    code, out, _ = kamei("lookup", "--phone", "090-1234-5678")
    assert code == 0
    assert out.splitlines()[1] == (
        "no stored orders (kamei files a buyer under the e-mail address when an order has "
        "one: try --email as well)"
    )

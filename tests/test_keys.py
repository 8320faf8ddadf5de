"""Key management: DB key rotation (crash-safe), pseudonym key versions, the key bundle."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from clikit import invoke as kamei
from conftest import OrderFactory

from connectors.fakes import FakePlatform, make_fake
from kamei.errors import ConfigError, SyncLocked, WrongKey
from store import Checkpoint, Store, SyncLock, held_versions, rotate_db_key
from store import bundle as key_bundle
from store import keys as store_keys
from store import secrets as kamei_secrets
from sync import lookup, resync_shops, sync_shops
from sync.forget import contacts

PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    # The bundle's cost is read back from its header, so a cheaper one only saves time.
    monkeypatch.setattr(key_bundle, "SCRYPT_N", 2**12)


def _entries(store_id: str) -> dict[str, str | None]:
    names = ("db-key", "db-key:pending", "db-key:previous")
    return {n: kamei_secrets._get(f"{store_id}:{n}", "read") for n in names}


@pytest.fixture
def filled(home: Path, make_order: OrderFactory) -> Iterator[str]:
    """A closed store in ``home`` holding 50 orders; yields its store id."""
    with Store.create(home) as store:
        shop = store.add_shop("main", "colorme")
        orders = [make_order(n) for n in range(50)]
        store.commit_page(shop.id, orders, Checkpoint(watermark=1_700_100_000))
        store_id = store.store_id
    yield store_id


def _count(home: Path) -> int:
    with Store.open(home) as store:
        return store.count_orders()


# --- rotate-db ------------------------------------------------------------------------


def test_rotate_db_reencrypts_the_store_and_only_the_new_key_opens_it(
    home: Path, filled: str
) -> None:
    old = kamei_secrets.db_key(filled)
    rotate_db_key(home)
    new = kamei_secrets.db_key(filled)
    assert new != old
    assert store_keys.key_opens(home / "kamei.db", new)
    assert not store_keys.key_opens(home / "kamei.db", old)
    assert _entries(filled) == {
        "db-key": new.hex(),
        "db-key:pending": None,
        "db-key:previous": None,
    }
    assert _count(home) == 50
    assert not (home / "kamei.db-wal").exists() or (home / "kamei.db-wal").stat().st_size == 0


@pytest.mark.parametrize("crash_after", ["pending", "rekeyed", "previous", "promoted", "cleared"])
def test_a_crash_at_any_step_of_rotate_db_leaves_a_key_that_opens_the_store(
    home: Path, filled: str, crash_after: str
) -> None:
    def crash(step: str) -> None:
        if step == crash_after:
            raise KeyboardInterrupt(step)  # the process dies here

    with pytest.raises(KeyboardInterrupt):
        rotate_db_key(home, step=crash)
    assert _count(home) == 50  # opening finds the working key (and repairs the keyring)
    current = kamei_secrets.db_key(filled)
    assert store_keys.key_opens(home / "kamei.db", current)
    rotate_db_key(home)  # and a later rotation starts clean
    assert _count(home) == 50
    assert _entries(filled)["db-key:pending"] is None
    assert _entries(filled)["db-key:previous"] is None


def test_after_a_crash_past_the_rekey_opening_promotes_the_pending_key(
    home: Path, filled: str
) -> None:
    old = kamei_secrets.db_key(filled)

    def crash(step: str) -> None:
        if step == "rekeyed":
            raise KeyboardInterrupt(step)

    with pytest.raises(KeyboardInterrupt):
        rotate_db_key(home, step=crash)
    pending = _entries(filled)["db-key:pending"]
    assert pending is not None and not store_keys.key_opens(home / "kamei.db", old)
    with Store.open(home, readonly=True) as store:
        assert store.count_orders() == 50
    assert _entries(filled) == {"db-key": pending, "db-key:pending": None, "db-key:previous": None}


def test_while_the_sync_lock_is_held_opening_uses_the_pending_key_without_repairing(
    home: Path, filled: str
) -> None:
    def crash(step: str) -> None:
        if step == "rekeyed":
            raise KeyboardInterrupt(step)

    with pytest.raises(KeyboardInterrupt):
        rotate_db_key(home, step=crash)
    before = _entries(filled)
    with SyncLock(home / "sync.lock"), Store.open(home, readonly=True) as store:
        assert store.count_orders() == 50
    assert _entries(filled) == before


def test_rotate_db_waits_for_no_one_it_refuses_while_a_sync_runs(home: Path, filled: str) -> None:
    old = kamei_secrets.db_key(filled)
    with SyncLock(home / "sync.lock"), pytest.raises(SyncLocked):
        rotate_db_key(home)
    assert kamei_secrets.db_key(filled) == old and _count(home) == 50


def test_a_key_that_opens_nothing_is_still_WrongKey(home: Path, filled: str) -> None:
    kamei_secrets._set(f"{filled}:db-key", "ab" * 32, "test")
    kamei_secrets._set(f"{filled}:db-key:pending", "cd" * 32, "test")
    with pytest.raises(WrongKey, match="kamei key import"):
        Store.open(home)


def test_normal_connections_still_refuse_rekey(home: Path, filled: str) -> None:
    from kamei.errors import StoreError

    with (
        Store.open(home) as store,
        pytest.raises(StoreError, match="refuses that statement"),
        store.connect() as conn,
        store.db_errors(),
    ):
        conn.exec_driver_sql(f"PRAGMA rekey = \"x'{'00' * 32}'\"")


def test_kamei_key_rotate_db_says_what_happened_and_what_to_do_next(
    home: Path, filled: str
) -> None:
    code, out, err = kamei("key", "rotate-db")
    assert (code, err) == (0, "")
    assert out == (
        f"re-encrypted the store at {home / 'kamei.db'} with a new key; the old key is gone "
        "from the keyring\n"
        "key bundles made before now do not open it: make a new one with "
        "`kamei key export FILE`\n"
    )


# --- pseudonym key versions -----------------------------------------------------------


def _fake_store(home: Path, fake: FakePlatform) -> Store:
    store = Store.create(home)
    store.add_shop("main", "colorme", {"base_url": "http://fake.invalid", "rate": 1000})
    store.set_credential("main", {"access_token": fake.credential})
    return store


def _transport(fake: FakePlatform) -> object:
    return lambda _name: httpx.WSGITransport(app=fake.app)


def _first_email(fake: FakePlatform) -> str:
    for order in fake.dataset.orders:
        if order.buyer.email:
            return order.buyer.email
    raise AssertionError("the fake has no buyer with an e-mail address")


def test_after_rotate_pseudonyms_sync_refuses_the_shop_until_resync_rebuilds_it(
    home: Path,
) -> None:
    fake = make_fake("colorme", orders=300, seed=5)
    with _fake_store(home, fake) as store:
        (first,) = sync_shops(store, transport_for=_transport(fake))  # type: ignore[arg-type]
        assert first.ok and store.count_orders() == 300
        email = contacts([_first_email(fake)])
        before = lookup(store, email)
        kamei_secrets.rotate_pseudonym_key(store.store_id)

        (refused,) = sync_shops(store, transport_for=_transport(fake))  # type: ignore[arg-type]
        assert not refused.ok and refused.stats.outcome == "failed"
        assert refused.stats.error == (
            "shop main's stored orders use pseudonym key version 1, the current key is version "
            "2; rebuild its history with `kamei key resync main`"
        )
        assert store.count_orders() == 300  # nothing was written under the new key

        (rebuilt,) = resync_shops(store, transport_for=_transport(fake))  # type: ignore[arg-type]
        assert rebuilt.ok and store.count_orders() == 300  # no duplicates
        after = lookup(store, email)
        assert len(after.orders) == len(before.orders) > 0
        assert {row.buyer[:3] for row in after.orders} == {"p2_"}
        (again,) = sync_shops(store, transport_for=_transport(fake))  # type: ignore[arg-type]
        assert again.ok and again.new_orders == 0
        assert resync_shops(store, transport_for=_transport(fake)) == []  # type: ignore[arg-type]


def test_reports_run_on_the_rebuilt_history(home: Path) -> None:
    from store.reports import REPORTS, Filters

    fake = make_fake("colorme", orders=400, seed=6)
    with _fake_store(home, fake) as store:
        sync_shops(store, transport_for=_transport(fake))  # type: ignore[arg-type]
        kamei_secrets.rotate_pseudonym_key(store.store_id)
        resync_shops(store, transport_for=_transport(fake))  # type: ignore[arg-type]
        with store.connect() as conn:
            report = REPORTS["repeat"].run(conn, Filters(min_group=5))
        assert report.rows


def test_destroying_every_pseudonym_key_leaves_history_nobody_can_be_found_in(
    home: Path,
) -> None:
    fake = make_fake("colorme", orders=200, seed=7)
    with _fake_store(home, fake) as store:
        sync_shops(store, transport_for=_transport(fake))  # type: ignore[arg-type]
        email = contacts([_first_email(fake)])
        assert lookup(store, email).orders
        done = store_keys.destroy_pseudonym_keys(store.store_id)
        assert done.destroyed == (1,) and done.current == 2
        assert held_versions(store.store_id) == [2]
        assert kamei_secrets._get(f"{store.store_id}:pseudonym-key:1", "read") is None
        assert lookup(store, email).orders == []  # the history is still there, unlinkable
        assert store.count_orders() == 200
        (refused,) = sync_shops(store, transport_for=_transport(fake))  # type: ignore[arg-type]
        assert not refused.ok and "kamei key resync main" in (refused.stats.error or "")
        resync_shops(store, transport_for=_transport(fake))  # type: ignore[arg-type]
        assert lookup(store, email).orders and store.count_orders() == 200


def test_destroy_refuses_the_current_version_and_unknown_ones(home: Path) -> None:
    with Store.create(home) as store:
        kamei_secrets.rotate_pseudonym_key(store.store_id)
        with pytest.raises(ConfigError, match="version 2 is the current pseudonym key"):
            store_keys.destroy_pseudonym_keys(store.store_id, 2)
        with pytest.raises(ConfigError, match=r"no pseudonym key version 7 \(it holds: 1, 2\)"):
            store_keys.destroy_pseudonym_keys(store.store_id, 7)
        assert store_keys.destroy_pseudonym_keys(store.store_id, 1).destroyed == (1,)
        assert held_versions(store.store_id) == [2]
        exported = json.loads(kamei_secrets.export_keys(store.store_id))
        assert sorted(exported["pseudonym_keys"]) == ["2"]  # a gap exports fine


def test_kamei_key_destroy_asks_for_the_word_and_keeps_everything_without_it(
    home: Path, monkeypatch: pytest.MonkeyPatch, filled: str
) -> None:
    code, _, err = kamei("key", "destroy-pseudonym-key")
    assert code == 2
    assert err == (
        "kamei: error: this cannot be undone: confirm with --yes (or run it on a terminal to "
        "be asked)\n"
    )
    monkeypatch.setattr("cli.confirm.interactive", lambda: True)
    code, out, err = kamei("key", "destroy-pseudonym-key", input="yes\n")
    assert code == 1 and err == "kamei: cancelled; nothing was changed\n"
    assert out.startswith(
        "This deletes pseudonym key versions 1 for good: 50 stored orders can then be linked "
        "to nobody"
    )
    assert held_versions(filled) == [1]
    code, out, _ = kamei("key", "destroy-pseudonym-key", input="destroy\n")
    assert code == 0
    assert out.endswith(
        "destroyed pseudonym key versions 1; 50 stored orders can no longer be linked to "
        "anyone\n"
        "version 2 is now current: `kamei sync` refuses shops with unlinkable rows until "
        "`kamei key resync` replaces them with a fresh copy from the platform\n"
    )
    assert held_versions(filled) == [2]


def test_kamei_key_status_names_keys_and_each_shops_version_but_never_a_key(
    home: Path, filled: str
) -> None:
    kamei_secrets.rotate_pseudonym_key(filled)
    code, out, _ = kamei("key", "status")
    assert code == 0
    backend = "keyrings.alt.file.PlaintextKeyring"
    assert out == (
        f"store: {filled} ({home / 'kamei.db'})\n"
        f"keyring: {backend}\n"
        "DB key: in the keyring\n"
        "pseudonym key versions held: 1, 2 (current: 2)\n"
        "forget-list key: none yet (the first `kamei forget` makes it)\n"
        "shop main: rows use key version 1; rebuild them with `kamei key resync`\n"
    )
    assert kamei_secrets.db_key(filled).hex() not in out


def test_kamei_key_rotate_pseudonyms_explains_what_it_means(home: Path, filled: str) -> None:
    code, out, _ = kamei("key", "rotate-pseudonyms")
    assert code == 0
    assert out == (
        "pseudonym key version 2 is now current (version 1 is kept)\n"
        "history stored under older versions cannot be linked to what new syncs store, so "
        "`kamei sync` skips those shops until `kamei key resync` reads their history again\n"
    )


# --- export / import ------------------------------------------------------------------


def _forget_keyring(store_id: str, shops: tuple[str, ...] = ("main",)) -> None:
    """What a new machine's keyring holds for this store: nothing."""
    kamei_secrets.delete_store_keys(store_id, shops)


def test_a_bundle_moves_keys_and_credentials_to_a_new_machine(
    home: Path, tmp_path: Path, filled: str
) -> None:
    kamei_secrets.set_credential(filled, "main", {"access_token": "tok-SECRET-9"})
    kamei_secrets.rotate_pseudonym_key(filled)
    store_keys.make_suppression_key(filled)
    target = tmp_path / "keys.bundle"
    code, out, err = kamei("key", "export", str(target), input=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    assert code == 0, err
    assert out.endswith(
        f"wrote {target}: DB key, pseudonym key versions 1, 2, credentials of 1 shops\n"
        "keep the file and its passphrase apart: both together open the store\n"
    )
    assert target.stat().st_mode & 0o777 == 0o600
    raw = target.read_bytes()
    for secret in (kamei_secrets.db_key(filled).hex(), "tok-SECRET-9"):
        assert secret.encode() not in raw
    expected = kamei_secrets.export_keys(filled)

    _forget_keyring(filled)
    code, _, err = kamei("status")
    assert code == 2 and "kamei key import" in err
    code, out, err = kamei("key", "import", str(target), input=f"{PASSPHRASE}\n")
    assert code == 0, err
    assert out.endswith(
        f"imported the keys of store {filled}: DB key, pseudonym key versions 1, 2, "
        "credentials of shops: main\n"
    )
    assert kamei_secrets.export_keys(filled) == expected
    assert kamei_secrets.get_credential(filled, "main") == {"access_token": "tok-SECRET-9"}
    assert _count(home) == 50


def test_a_bundle_refuses_a_wrong_passphrase_another_store_and_a_stale_db_key(
    home: Path, tmp_path: Path, filled: str
) -> None:
    data = key_bundle.export_bundle(filled, {}, PASSPHRASE)
    with pytest.raises(ConfigError, match="passphrase does not open this key bundle"):
        key_bundle.import_bundle(home, data, PASSPHRASE + "!")
    tampered = json.loads(data)
    tampered["store_id"] = "0" * 32
    with pytest.raises(ConfigError, match="passphrase does not open"):  # the header is sealed
        key_bundle.import_bundle(home, json.dumps(tampered).encode(), PASSPHRASE)
    with pytest.raises(ConfigError, match="not a kamei key bundle"):
        key_bundle.import_bundle(home, b"{}", PASSPHRASE)
    with pytest.raises(ConfigError, match="12 characters or more"):
        key_bundle.export_bundle(filled, {}, "short")

    other = tmp_path / "other"
    with Store.create(other) as second:
        other_id = second.store_id
    with pytest.raises(ConfigError, match=f"keys of store '?{filled}'?, not of store {other_id}"):
        key_bundle.import_bundle(other, data, PASSPHRASE)

    rotate_db_key(home)
    with pytest.raises(ConfigError, match="older than the store's last `kamei key rotate-db`"):
        key_bundle.import_bundle(home, data, PASSPHRASE)


def test_export_never_overwrites_a_file(home: Path, tmp_path: Path, filled: str) -> None:
    target = tmp_path / "keys.bundle"
    target.write_text("precious")
    code, _, err = kamei("key", "export", str(target))
    assert code == 2
    assert err == (
        f"kamei: error: {target} already exists; choose a new file name (kamei never "
        "overwrites a key bundle)\n"
    )
    assert target.read_text() == "precious"


def test_no_secret_reaches_the_home_directory(home: Path, tmp_path: Path, filled: str) -> None:
    rotate_db_key(home)
    key_hex = kamei_secrets.db_key(filled).hex().encode()
    for path in home.rglob("*"):
        if path.is_file():
            assert key_hex not in path.read_bytes(), path
    assert os.stat(home / "kamei.db").st_mode & 0o777 == 0o600


def test_a_store_open_elsewhere_stops_rotate_db_before_the_keyring_changes(
    home: Path, filled: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kamei.errors import StoreError

    monkeypatch.setattr(store_keys, "_EXCLUSIVE_WAIT_MS", 200)
    before = _entries(filled)
    with Store.open(home, readonly=True) as reader, reader.connect() as conn:
        # SQLAlchemy begins a transaction; after its first read it holds a WAL snapshot.
        conn.exec_driver_sql("SELECT count(*) FROM orders").all()
        with pytest.raises(StoreError, match="another program has the store open"):
            rotate_db_key(home)
        conn.rollback()
    assert _entries(filled) == before and _count(home) == 50


_REKEY = """
import sys
from pathlib import Path
from store import keys
with keys._exclusive(Path(sys.argv[1]), bytes.fromhex(sys.argv[2])) as conn:
    conn.execute(f"PRAGMA rekey = \"x'{sys.argv[3]}'\"").fetchall()
"""


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_sigkill_during_the_rekey_leaves_the_file_whole_under_exactly_one_key(
    tmp_path: Path,
) -> None:
    import random
    import signal
    import subprocess

    import sqlcipher3.dbapi2 as sqlcipher

    old, new = bytes(range(32)), bytes(range(32, 64))
    rng = random.Random(8)
    outcomes = set()
    for trial in range(6):
        path = tmp_path / f"t{trial}.db"
        conn = sqlcipher.connect(str(path), isolation_level=None)
        conn.execute(f"PRAGMA key = \"x'{old.hex()}'\"")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("CREATE TABLE t (x BLOB)")
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO t VALUES (randomblob(3000))", [()] * 3000)
        conn.execute("COMMIT")
        conn.close()
        process = subprocess.Popen(
            [sys.executable, "-c", _REKEY, str(path), old.hex(), new.hex()], env=os.environ
        )
        time.sleep(rng.uniform(0.2, 0.9))  # interpreter start-up, then somewhere in the rekey
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        opens = {
            name: store_keys.key_opens(path, key) for name, key in (("old", old), ("new", new))
        }
        assert sum(opens.values()) == 1, opens
        key = old if opens["old"] else new
        outcomes.add("old" if opens["old"] else "new")
        conn = store_keys._raw(path, key)
        try:
            assert conn.execute("SELECT count(*) FROM t").fetchone() == (3000,)
            assert conn.execute("PRAGMA quick_check").fetchone() == ("ok",)
            assert conn.execute("PRAGMA cipher_integrity_check").fetchall() == []
        finally:
            conn.close()
    assert outcomes, "no trial ran"

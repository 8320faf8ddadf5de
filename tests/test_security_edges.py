"""Secrets and privacy at the edges: output, tracebacks, files, permissions, damaged stores.

- Everything a failing sync prints under ``--debug`` (and ``status`` and
  ``shop list`` after it) is searched for the credentials, the store's keys and
  every personal value the canary fakes planted; so is every file in the home.
- An unexpected error under ``--debug`` prints a traceback that holds no secret
  although secrets sit in the frames' locals; without ``--debug`` it is one line.
- The home, the WAL and every export are owner-only whatever the umask.
- A wrong key, a missing keyring entry, no keyring, a store copied to another
  machine, a truncated, damaged or foreign store file: one line with the way
  out, a non-zero exit code, no traceback, and no file or key changed.
- After the whole fault matrix run in one home, every report exported in every
  format: the canary sweep finds nothing.
- Marked ``keyring``: the same flow against the machine's real keyring (a
  Secret Service in CI).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import keyring
import keyring.core
import pytest
from clikit import KAMEI
from faultkit import (
    VirtualTime,
    Watch,
    add_shop,
    expected_keys,
    secret_values,
    sweep,
    virtual_retries,
)
from keyring.backends.chainer import ChainerBackend
from leaks import decrypted_text, digit_values, file_bytes, findings
from typer.testing import CliRunner

from cli.app import app
from connectors.fakes import Faults, fake_platforms, make_fake, serve_in_thread
from store import SERVICE, Store
from store import secrets as ks
from sync import sync_shops

runner = CliRunner()
posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")


def kamei(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [KAMEI, *args], input=input, capture_output=True, text=True, timeout=120, env=os.environ
    )


def store_keys(home: Path) -> list[str]:
    """The store's DB key and pseudonym key, as hex, from the keyring."""
    with Store.open(home, readonly=True) as store:
        _, pseudonym = store.pseudonym_key()
        return [ks.db_key(store.store_id).hex(), pseudonym.hex()]


def secrets_in(text: str, secrets: list[str]) -> list[str]:
    return [secret[:6] + "…" for secret in secrets if secret in text]


# --- output of a failing sync under --debug ------------------------------------------------


@pytest.mark.slow
def test_everything_a_failing_sync_prints_under_debug_holds_no_secret_or_personal_value(
    home: Path,
) -> None:
    fakes = {p: make_fake(p, orders=150, seed=41, canary=True, days=30) for p in fake_platforms()}
    faults = {  # retried 429s (every Retry-After form), a revoked token, a maintenance page
        "colorme": Watch(fakes["colorme"], then=Faults.parse("429=0.5,retry_after=0,streak=1")),
        "makeshop": Watch(fakes["makeshop"], then=Faults.parse("revoked=1"), switch_after=1),
        "shopserve": Watch(
            fakes["shopserve"],
            then=Faults.parse("maintenance=1,maintenance_status=200"),
            switch_after=1,
        ),
    }
    outputs: list[tuple[str, bytes]] = []
    with (
        serve_in_thread(faults["colorme"]) as c,
        serve_in_thread(faults["makeshop"]) as m,
        serve_in_thread(faults["shopserve"]) as s,
    ):
        with Store.create(home) as store:
            for platform, url in zip(fake_platforms(), (c, m, s), strict=True):
                add_shop(store, fakes[platform], platform, base_url=url)
        result = kamei("--debug", "sync", "--since", "2000-01-01")
    for args in (("--debug", "status", "--json"), ("--debug", "shop", "list")):
        shown = kamei(*args)
        assert shown.returncode == 0, shown.stderr
        outputs.append((" ".join(args), (shown.stdout + shown.stderr).encode()))
    everything = result.stdout + result.stderr
    outputs.append(("kamei --debug sync", everything.encode()))

    assert result.returncode == 3, everything
    assert "synced 1/3 shops: colorme +150 new orders" in result.stdout
    assert re.search(r"kamei\.http: DEBUG|DEBUG kamei\.http", everything), "debug log was off"
    assert "retry" in everything  # the 429s were retried, and logged as such
    assert "HTTP Request:" not in everything  # httpx's own request log stays quiet
    assert not re.search(r"https?://[^\s'\"]*\?", everything)  # no URL with a query
    secrets = [s for fake in fakes.values() for s in secret_values(fake)] + store_keys(home)
    for name, blob in outputs:
        assert secrets_in(blob.decode(), secrets) == [], name
    for fake in fakes.values():
        assert sweep(home, fake, *outputs) == []


def test_the_cli_keeps_httpx_httpcore_and_tenacity_quiet_even_under_debug(home: Path) -> None:
    assert runner.invoke(app, ["--debug", "init"]).exit_code == 0
    for name in ("httpx", "httpcore", "tenacity"):
        assert logging.getLogger(name).getEffectiveLevel() >= logging.WARNING, name


# --- an unexpected error, with secrets in the frames' locals -----------------------------

_CRASHING_KAMEI = """
import sys
import connectors.colorme as colorme

def fetch_page(self, window, offset):
    token = self._headers["Authorization"]  # a secret in this frame's locals
    raise RuntimeError("a bug in a connector")

colorme.ColorMeConnector.fetch_page = fetch_page
sys.argv = ["kamei", *sys.argv[1:]]
from cli.app import main
main()
"""


@pytest.mark.slow
@pytest.mark.parametrize("debug", [True, False], ids=["--debug", "plain"])
def test_an_unexpected_error_prints_no_secret_even_with_secrets_in_the_frames_locals(
    home: Path, debug: bool
) -> None:
    fake = make_fake("colorme", orders=5, seed=2)
    with Store.create(home) as store:
        add_shop(store, fake)
    args = ["--debug", "sync"] if debug else ["sync"]
    result = subprocess.run(
        [sys.executable, "-c", _CRASHING_KAMEI, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=os.environ,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert secrets_in(output, [fake.credential, *store_keys(home)]) == []
    assert result.returncode == 70
    assert result.stderr.endswith(
        "kamei: unexpected error (RuntimeError); rerun with --debug for details "
        "and please report it\n"
    )
    if debug:
        assert "Traceback" in output and "RuntimeError: a bug in a connector" in output
    else:
        assert "Traceback" not in output and result.stderr.count("\n") == 1


# --- owner-only files whatever the umask -----------------------------------------------------


@pytest.fixture
def open_umask() -> Iterator[None]:
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
def test_the_home_its_wal_and_every_export_are_owner_only_under_umask_000(
    tmp_path: Path, open_umask: None
) -> None:
    home = tmp_path / "fresh" / "home"
    exports = tmp_path / "exports"
    exports.mkdir()
    fake = make_fake("colorme", orders=60, seed=9)
    with serve_in_thread(fake.app) as base_url:
        assert runner.invoke(app, ["--home", str(home), "init"]).exit_code == 0
        added = runner.invoke(
            app,
            ["--home", str(home), "shop", "add", "main", "--platform", "colorme",
             "--base-url", base_url, "--credential-stdin"],
            input=fake.credential,
        )  # fmt: skip
        assert added.exit_code == 0, added.output
        assert runner.invoke(app, ["--home", str(home), "sync"]).exit_code == 0
    for fmt in ("csv", "json", "xlsx", "html"):
        out = exports / f"sales.{fmt}"
        args = ["--home", str(home), "report", "sales", "--format", fmt, "--out", str(out)]
        result = runner.invoke(app, [*args, "--min-group", "1"])
        assert result.exit_code == 0, result.output
        assert _mode(out) == 0o600, out.name
    with Store.open(home) as store:
        assert store.count_orders() == 60
        with store.sync_lock():
            assert store.paths.wal.exists()  # open: the WAL and SHM are there to check
            for path in home.rglob("*"):
                assert _mode(path) == (0o700 if path.is_dir() else 0o600), path.name
    for directory in (home, home.parent):
        assert _mode(directory) == 0o700, directory


# --- damaged stores, missing keys, no keyring ------------------------------------------------


def _fingerprint(*roots: Path) -> dict[str, str]:
    """Every file's hash, but the sync lock's: it holds only the pid of its last taker."""
    return {
        str(path): hashlib.sha256(path.read_bytes()).hexdigest()
        for root in roots
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.name != "sync.lock"
    }


def _keyring_root() -> Path:
    return Path(os.environ["XDG_DATA_HOME"])


@pytest.fixture
def synced_home(home: Path) -> Path:
    fake = make_fake("colorme", orders=400, seed=13)
    with Store.create(home) as store:
        add_shop(store, fake)
        transport = httpx.WSGITransport(app=fake.app)
        (result,) = sync_shops(store, transport_for=lambda _: transport)
        assert result.ok, result.stats.error
    return home


def _wrong_key(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store_id = json.loads((home / "kamei.json").read_text())["store_id"]
    keyring.set_password(SERVICE, f"{store_id}:db-key", os.urandom(32).hex())


def _no_key(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store_id = json.loads((home / "kamei.json").read_text())["store_id"]
    keyring.delete_password(SERVICE, f"{store_id}:db-key")


def _no_keyring(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    keyring.core.init_backend()


def _another_machine(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The files arrive intact on a machine whose keyring never held this store's keys.
    monkeypatch.setenv("XDG_DATA_HOME", str(home.parent / "other-machine-keyring"))
    keyring.core.init_backend()


def _without_kamei_json(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (home / "kamei.json").unlink()


def _truncated(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = home / "kamei.db"
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 2 + 100])


def _emptied(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (home / "kamei.db").write_bytes(b"")


def _damaged_first_page(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = home / "kamei.db"
    data = bytearray(db.read_bytes())
    data[300] ^= 0xFF
    db.write_bytes(bytes(data))


def _damaged_data_page(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = home / "kamei.db"
    data = bytearray(db.read_bytes())
    for page in range(1, len(data) // 4096):
        data[page * 4096 + 500] ^= 0xFF
    db.write_bytes(bytes(data))


def _plain_sqlite(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = home / "kamei.db"
    db.unlink()
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE t (x)")
    conn.close()


BREAKAGES: dict[str, tuple[Callable[[Path, pytest.MonkeyPatch], None], int, str]] = {
    "wrong DB key": (_wrong_key, 5, r"does not open the store .*`kamei key import`"),
    "key missing from the keyring": (_no_key, 2, r"no key for store \w+ .*`kamei key import`"),
    "no usable keyring": (_no_keyring, 2, r"no usable OS keyring .*gnome-keyring"),
    "store copied to another machine": (_another_machine, 2, r"no key for store .*key import"),
    "kamei.json left behind": (_without_kamei_json, 5, r"kamei\.json is missing.*backup"),
    "truncated store file": (_truncated, 5, r"truncated .*restore it from a backup"),
    "empty store file": (_emptied, 5, r"is empty; restore it from a backup"),
    "damaged first page": (_damaged_first_page, 5, r"first page is damaged"),
    "damaged data pages": (_damaged_data_page, 5, r"damaged; run `kamei doctor`"),
    "a plain SQLite file": (_plain_sqlite, 5, r"unencrypted SQLite file, not a kamei store"),
}


@pytest.mark.parametrize(("breakage", "code", "message"), BREAKAGES.values(), ids=BREAKAGES.keys())
@pytest.mark.parametrize("command", [["status"], ["sync"], ["report", "sales"], ["init"]])
def test_a_broken_store_or_keyring_is_one_clear_line_and_nothing_is_changed(
    synced_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    breakage: Callable[[Path, pytest.MonkeyPatch], None],
    code: int,
    message: str,
    command: list[str],
) -> None:
    breakage(synced_home, monkeypatch)
    before = _fingerprint(synced_home, _keyring_root())

    result = runner.invoke(app, command)

    assert result.exception is None or isinstance(result.exception, SystemExit)  # no traceback
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("kamei: error: "), line
    if command == ["init"] and (synced_home / "kamei.db").exists():
        assert result.exit_code == 5 and "already exists" in line  # never over a store
    else:
        assert result.exit_code == code, line
        assert re.search(message, line), line
    assert _fingerprint(synced_home, _keyring_root()) == before


@pytest.mark.slow
def test_as_a_new_user_would_a_wrong_key_is_one_line_and_debug_shows_no_key(
    synced_home: Path,
) -> None:
    right = store_keys(synced_home)
    store_id = json.loads((synced_home / "kamei.json").read_text())["store_id"]
    wrong = os.urandom(32).hex()
    keyring.set_password(SERVICE, f"{store_id}:db-key", wrong)
    before = _fingerprint(synced_home)

    plain = kamei("sync")
    debug = kamei("--debug", "sync")

    assert plain.returncode == debug.returncode == 5
    assert plain.stdout == "" and "Traceback" not in plain.stderr
    assert plain.stderr.count("\n") == 1 and "`kamei key import`" in plain.stderr
    assert "Traceback" in debug.stderr  # --debug shows where, but never what
    for result in (plain, debug):
        assert secrets_in(result.stdout + result.stderr, [*right, wrong]) == []
    assert _fingerprint(synced_home) == before


# --- base URLs with secrets --------------------------------------------------------------------


def test_a_base_url_holding_a_secret_is_refused_without_being_repeated(home: Path) -> None:
    assert runner.invoke(app, ["init"]).exit_code == 0
    for url in (
        "https://shop:hunter2-secret@api.example.jp",
        "https://api.example.jp/v1?token=hunter2-secret",
    ):
        result = runner.invoke(
            app, ["shop", "add", "main", "--platform", "colorme", "--base-url", url]
        )
        assert result.exit_code == 2
        assert "hunter2" not in result.output
        assert "--credential-stdin" in result.stderr
    with Store.open(home) as store:
        assert store.list_shops() == []


def test_shop_list_hides_user_password_and_query_of_a_url_stored_before_the_check(
    home: Path,
) -> None:
    with Store.create(home) as store:
        store.add_shop("old", "colorme", {"base_url": "https://u:hunter2@api.example.jp/v1?k=s3"})
    result = runner.invoke(app, ["shop", "list", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "hunter2" not in result.stdout and "s3" not in result.stdout
    assert json.loads(result.stdout)["shops"][0]["base_url"] == "https://api.example.jp/v1…"


def test_a_plain_http_base_url_beyond_this_machine_is_warned_about(home: Path) -> None:
    assert runner.invoke(app, ["init"]).exit_code == 0
    result = runner.invoke(
        app, ["shop", "add", "main", "--platform", "colorme", "--base-url", "http://api.example.jp"]
    )
    assert result.exit_code == 0
    assert "sends the shop's credential unencrypted" in result.stderr


# --- after the whole fault matrix, in one home, every export ----------------------------------

MATRIX = [
    "429=1",
    "429=1,retry_after=0",
    "5xx=1",
    "reset=1",
    "truncate=1",
    "maintenance=1",
    "maintenance=1,maintenance_status=200",
    "revoked=1",
    "repeat=1",
    "churn=3",
    "429=0.5,5xx=0.3,reset=0.2,truncate=0.2,repeat=0.2,streak=2",
]
REPORTS = ["sales", "products", "repeat", "cohorts", "rfm", "baskets", "prefectures"]


@pytest.mark.slow
def test_after_the_whole_fault_matrix_no_file_export_or_output_holds_a_personal_value(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    virtual_retries(monkeypatch, VirtualTime())
    fakes = {p: make_fake(p, orders=120, seed=43, canary=True, days=60) for p in fake_platforms()}
    watches = {p: Watch(fake) for p, fake in fakes.items()}
    outputs: list[tuple[str, bytes]] = []
    with Store.create(home) as store:
        for platform, fake in fakes.items():
            add_shop(store, fake, platform)

        def sync_all() -> None:
            sync_shops(
                store,
                transport_for=lambda name: httpx.WSGITransport(app=watches[name]),
            )

        for spec in MATRIX:
            for watch in watches.values():
                watch.rearm(Faults.parse(spec))
            sync_all()
            for watch in watches.values():
                watch.rearm(Faults())
            sync_all()
        for platform, fake in fakes.items():
            assert store.order_keys(store.get_shop(platform).id) == expected_keys(
                store, fake, platform
            )
        outcomes = {s.last_outcome for s in store.shop_status()}
        assert outcomes == {"ok"}

    exports = tmp_path / "exports"
    exports.mkdir()
    for report in REPORTS:
        for fmt in ("csv", "json", "xlsx", "html"):
            out = exports / f"{report}.{fmt}"
            result = runner.invoke(app, ["report", report, "--format", fmt, "--out", str(out)])
            assert result.exit_code == 0, (report, fmt, result.output)
            outputs.append((f"report {report} {fmt}", result.output.encode()))
    for args in (["status", "--json"], ["shop", "list"], ["sql", "SELECT * FROM sync_runs"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        outputs.append((" ".join(args), result.output.encode()))
    assert len(list(exports.iterdir())) == len(REPORTS) * 4

    outputs.append(("log", caplog.text.encode()))
    export_blobs = [(str(p), b) for p, b in file_bytes(exports).items()]
    for fake in fakes.values():
        assert sweep(home, fake, *outputs, *export_blobs) == []


# --- the real keyring (a Secret Service in CI) ---------------------------------------------------


@pytest.mark.keyring
@pytest.mark.slow
def test_with_the_real_keyring_the_credential_and_keys_live_only_in_it(home: Path) -> None:
    fake = make_fake("colorme", orders=80, seed=17, canary=True)
    with serve_in_thread(fake.app) as base_url:
        assert kamei("init").returncode == 0
        store_id = json.loads((home / "kamei.json").read_text())["store_id"]
        try:
            added = kamei(
                "shop", "add", "main", "--platform", "colorme", "--base-url", base_url,
                "--credential-stdin", input=fake.credential,
            )  # fmt: skip
            assert added.returncode == 0, added.stderr
            synced = kamei("sync")
            assert synced.returncode == 0, synced.stderr
            status = kamei("status", "--json")
            assert json.loads(status.stdout)["shops"][0]["orders"] == 80
            backend = keyring.get_keyring()
            writer = backend.backends[0] if isinstance(backend, ChainerBackend) else backend
            assert not type(writer).__module__.startswith("keyrings."), writer  # the OS's own
            assert ks.get_credential(store_id, "main") == {"access_token": fake.credential}
            keys = store_keys(home)
            blobs = [(str(p), b) for p, b in file_bytes(home).items()]
            blobs += [("output", (synced.stdout + synced.stderr + status.stdout).encode())]
            for secret in [fake.credential, *keys]:
                assert all(secret.encode() not in blob for _, blob in blobs)
            assert findings(blobs, digit_values(fake.dataset)) == []
            assert "knry" not in decrypted_text(home).lower()
        finally:
            ks.delete_store_keys(store_id, shops=("main",))
    with pytest.raises(Exception, match="no key for store"):
        Store.open(home)

"""``kamei doctor`` on a healthy and on a broken setup: one line per check, a fix per failure."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

import httpx
import keyring
import pytest
from clikit import invoke as kamei

import cli.schedule
from connectors.fakes import make_fake, serve_in_thread
from store import Store
from sync.doctor import Check, DoctorOptions, Status, run_checks
from sync.scheduling import Host, Kind

GIB = 1 << 30


class Usage(NamedTuple):
    total: int
    used: int
    free: int


class Crontab:
    """A recording stand-in for `crontab`: nothing on the machine is touched."""

    def __init__(self) -> None:
        self.text: str | None = None

    def __call__(self, argv: Sequence[str], stdin: str | None) -> tuple[int, str]:
        if list(argv) == ["crontab", "-l"]:
            return (1, "") if self.text is None else (0, self.text)
        if list(argv) == ["crontab", "-"]:
            self.text = stdin
        return 0, ""


@pytest.fixture(autouse=True)
def machine(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Crontab]:
    """A cron scheduler in tmp_path, Tokyo time and 40 GiB free: every line is deterministic."""
    crontab = Crontab()
    monkeypatch.setattr(
        cli.schedule, "host_for", lambda kind: Host(kind or Kind.cron, tmp_path / "root", crontab)
    )
    monkeypatch.setattr(shutil, "disk_usage", lambda path: Usage(80 * GIB, 0, 40 * GIB))
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield crontab
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def shop_url(home: Path) -> Iterator[str]:
    """A store with one Color Me shop on a loopback fake, its token in the keyring."""
    fake = make_fake("colorme", orders=30, seed=8)
    with serve_in_thread(fake.app) as base_url:
        assert kamei("init")[0] == 0
        code, _, err = kamei(
            "shop", "add", "main", "--platform", "colorme", "--base-url", base_url,
            "--credential-stdin", input=fake.credential,
        )  # fmt: skip
        assert code == 0, err
        yield base_url


def _lines(out: str) -> list[tuple[str, str]]:
    """(status word, check name) of each check line."""
    return re.findall(r"^(ok|warn|FAIL)\s+([a-z]+(?: [^:]+)?):", out, re.M)


def test_a_healthy_setup_passes_every_check(home: Path, shop_url: str) -> None:
    assert kamei("schedule", "install")[0] == 0
    assert kamei("sync", "--scheduled")[0] == 0
    code, out, err = kamei("doctor")
    assert (code, err) == (0, "")
    assert _lines(out) == [
        ("ok", "python"),
        ("ok", "keyring"),
        ("ok", "store"),
        ("ok", "integrity"),
        ("ok", "permissions"),
        ("ok", "shop main"),
        ("ok", "schedule"),
        ("ok", "disk"),
    ]
    lines = out.splitlines()
    assert re.fullmatch(
        r"ok    python: Python 3\.\d+\.\d+, kamei \S+ \(httpx \S+, keyring \S+, sqlalchemy \S+, "
        r"sqlcipher3 \S+, typer \S+\)",
        lines[0],
    )
    assert lines[1] == (
        "ok    keyring: keyrings.alt.file.PlaintextKeyring (chosen by PYTHON_KEYRING_BACKEND or "
        "keyringrc.cfg); reads the store's keys without a prompt"
    )
    assert re.fullmatch(
        rf"ok    store: {re.escape(str(home / 'kamei.db'))}: schema v\d+, [\d.]+ KiB, 30 orders, "
        r"1 shop",
        lines[2],
    )
    assert lines[3:6] == [
        "ok    integrity: every page and b-tree checks out",
        f"ok    permissions: {home} 700, store files 600",
        "ok    shop main: カラーミーショップ: the credential works",
    ]
    assert re.fullmatch(
        r"ok    schedule: cron 30 0 \* \* \*; last run \d{4}-\d\d-\d\dT\d\d:\d\d\+00:00 ok",
        lines[6],
    )
    assert lines[7:] == [
        f"ok    disk: 40.0 GiB free on the disk holding {home}",
        "8 checks: 0 failed, 0 warnings",
    ]


def test_json_lists_every_check_with_status_detail_and_fix(home: Path, shop_url: str) -> None:
    code, out, _ = kamei("doctor", "--json")
    assert code == 0
    checks = json.loads(out)["checks"]
    assert [c["name"] for c in checks] == [
        "python", "keyring", "store", "integrity", "permissions", "shop main", "schedule", "disk",
    ]  # fmt: skip
    assert all(set(c) == {"name", "status", "detail", "fix"} for c in checks)
    assert checks[6] == {
        "name": "schedule",
        "status": "warn",
        "detail": "no nightly run installed (cron)",
        "fix": "run `kamei schedule install`",
    }


def test_a_broken_setup_fails_with_a_fix_for_each_failure(
    home: Path, shop_url: str, machine: Crontab
) -> None:
    assert kamei("schedule", "install")[0] == 0
    with Store.open(home) as store:
        token = store.get_credential("main")["access_token"]
        store.set_credential("main", {"access_token": "0" * 64})  # a token the shop rejects
    assert kamei("sync", "--scheduled")[0] == 3
    (home / "kamei.db").chmod(0o644)
    code, out, err = kamei("doctor")
    assert (code, err) == (1, "")
    assert _lines(out) == [
        ("ok", "python"),
        ("ok", "keyring"),
        ("ok", "store"),
        ("ok", "integrity"),
        ("warn", "permissions"),
        ("FAIL", "shop main"),
        ("FAIL", "schedule"),
        ("ok", "disk"),
    ]
    text = out.split("\n", 4)[4]
    assert text.startswith(
        f"warn  permissions: {home / 'kamei.db'} is 644, not 600\n"
        f"      fix: chmod 700 {home} && chmod 600 {home}/kamei.*\n"
        "FAIL  shop main: カラーミーショップ: "
    )
    assert re.search(r"\n      fix: re-authori[sz]e with `kamei auth[^`]*`\n", out), out
    assert re.search(
        r"FAIL  schedule: cron 30 0 \* \* \*; last run \S+ failed \(exit 3\): 1 of 1 shops failed\n"
        rf"      fix: see {re.escape(str(home / 'logs' / 'kamei.log'))}; run `kamei sync` to "
        r"retry now\n",
        out,
    )
    assert out.endswith("8 checks: 2 failed, 1 warning\n")
    assert token not in out


def test_without_a_store_doctor_says_to_run_init(home: Path) -> None:
    code, out, _ = kamei("doctor")
    assert code == 1
    assert "ok    keyring: keyrings.alt.file.PlaintextKeyring (chosen by PYTHON_KEYRING_BACKEND " \
        "or keyringrc.cfg); no store yet\n" in out  # fmt: skip
    assert f"FAIL  store: no store at {home / 'kamei.db'}\n      fix: run `kamei init`\n" in out
    assert _lines(out) == [
        ("ok", "python"),
        ("ok", "keyring"),
        ("FAIL", "store"),
        ("warn", "schedule"),
        ("ok", "disk"),
    ]


def test_a_missing_store_key_fails_the_keyring_and_the_store_with_the_way_out(
    home: Path, shop_url: str
) -> None:
    with Store.open(home) as store:
        store_id = store.store_id
    keyring.delete_password("kamei", f"{store_id}:db-key")
    code, out, _ = kamei("doctor", "--json")
    assert code == 1
    checks = {c["name"]: c for c in json.loads(out)["checks"]}
    assert checks["keyring"]["status"] == "fail"
    assert checks["store"]["status"] == "fail"
    assert "kamei key import" in checks["store"]["detail"]
    assert checks["store"]["fix"] == "restore it with `kamei key import`, or create a new store " \
        "with `kamei init`"  # fmt: skip
    assert "shop main" not in checks  # no store, no shops to check


def test_an_unusable_keyring_is_a_failed_check_naming_the_headless_ways(home: Path) -> None:
    from keyring.backends import fail

    kamei("init")
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    checks = {c.name: c for c in run_checks(home, DoctorOptions())}
    assert checks["keyring"].status is Status.fail
    assert "KAMEI_KEYRING_PASSPHRASE_FILE" in checks["keyring"].detail
    assert checks["keyring"].fix == "see docs/scheduling.md, 'Secrets'"


def test_a_shop_that_does_not_answer_in_time_is_a_warning(home: Path) -> None:
    with Store.create(home) as store:
        store.add_shop("slow", "colorme")
        store.set_credential("slow", {"access_token": "a" * 64})

    def handler(request: httpx.Request) -> httpx.Response:
        time.sleep(2)
        return httpx.Response(500)

    options = DoctorOptions(
        transport_for=lambda shop: httpx.MockTransport(handler),
        now=dt.datetime(2026, 1, 7, tzinfo=dt.UTC),
        shop_timeout_s=0.2,
    )
    checks = {c.name: c for c in run_checks(home, options)}
    assert checks["shop slow"] == Check(
        "shop slow",
        Status.warn,
        "no answer within 0s",
        "the platform may be slow or in maintenance; try again later",
    )


def test_a_damaged_page_fails_the_integrity_check(home: Path, make_order: object) -> None:
    with Store.create(home) as store:
        shop = store.add_shop("main", "colorme")
        from store import Checkpoint

        orders = [make_order(n) for n in range(400)]  # type: ignore[operator]
        store.commit_page(shop.id, orders, Checkpoint(watermark=1))
    db = home / "kamei.db"
    data = bytearray(db.read_bytes())
    data[-100] ^= 0xFF  # inside the last page
    db.write_bytes(bytes(data))
    checks = {c.name: c for c in run_checks(home, DoctorOptions())}
    assert checks["integrity"].status is Status.fail
    assert checks["integrity"].fix == "restore kamei.db and kamei.json from a backup"


def test_low_disk_space_warns_then_fails(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for free, status in ((GIB, Status.warn), (100 << 20, Status.fail)):
        monkeypatch.setattr(shutil, "disk_usage", lambda p, f=free: Usage(0, 0, f))
        disk = run_checks(home, DoctorOptions())[-1]
        assert (disk.name, disk.status) == ("disk", status)


def test_doctor_help_has_a_summary_and_an_example() -> None:
    code, out, _ = kamei("doctor", "--help")
    assert code == 0 and "kamei doctor --json" in out


def test_a_desktop_keyring_with_a_cron_job_warns_until_a_night_has_gone_well(
    home: Path, tmp_path: Path, machine: Crontab
) -> None:
    from store import MemoryKeyring

    class FakeSecretService(MemoryKeyring):
        """Named like the Linux Secret Service backend, which a night may find locked."""

    keyring.set_keyring(FakeSecretService())
    assert kamei("schedule", "install")[0] == 0
    host = Host(Kind.cron, tmp_path / "root", machine)
    schedule = [c for c in run_checks(home, DoctorOptions(host=host)) if c.name == "schedule"]
    assert schedule == [
        Check(
            "schedule",
            Status.warn,
            "cron 30 0 * * *; no scheduled run yet; the secrets are in a desktop keyring, "
            "which may be locked at night",
            "if the first night fails, use the encrypted file keyring: docs/scheduling.md, "
            "'Secrets without a desktop session'",
        )
    ]

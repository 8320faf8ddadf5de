"""No personal value the platform served survives a sync anywhere on disk or in logs.

The fake runs in canary mode: every personal text value carries a unique
``KNRY`` marker and every digit value (phone, postal code, birthday, member id,
slip number) is unique. After a real sync (real SQLCipher file, real keyring
backend, HTTP through the fake's WSGI app) with DEBUG logging, and after
exporting reports, the sweep searches every byte of the data home, the
decrypted store, the captured logs and the exports.
"""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest
from leaks import decrypted_text, digit_values, file_bytes, findings
from typer.testing import CliRunner

from cli.app import app
from connectors.fakes import make_fake
from store import Store
from sync import sync_shops

ORDERS = 600


def test_the_sweep_itself_finds_planted_values() -> None:
    fake = make_fake("colorme", orders=50, seed=3, canary=True)
    digits = digit_values(fake.dataset)
    body = httpx.Client(transport=httpx.WSGITransport(app=fake.app), base_url="http://fake").get(
        "/v1/sales",
        params={"make_date_min": "2000-01-01", "limit": 100},
        headers={"Authorization": f"Bearer {fake.credential}"},
    )
    hits = findings([("raw API response", body.content)], digits)
    assert any("canary marker" in hit for hit in hits)
    assert any("planted digits" in hit for hit in hits)


def test_no_personal_value_reaches_store_wal_logs_or_exports(
    home: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake = make_fake("colorme", orders=ORDERS, seed=5, canary=True)
    caplog.set_level(logging.DEBUG)
    with Store.create(home) as store:
        store.add_shop("main", "colorme", {"base_url": "http://fake.invalid", "rate": 1000})
        store.set_credential("main", {"access_token": fake.credential})
        (result,) = sync_shops(store, transport_for=lambda _: httpx.WSGITransport(app=fake.app))
        assert result.ok and store.count_orders() == fake.orders
        # While the store is still open: WAL and SHM files exist and are swept too.
        open_files = file_bytes(home)
    assert any(p.name.endswith("-wal") for p in open_files)

    exports = tmp_path / "exports"
    exports.mkdir()
    runner = CliRunner()
    outputs = []
    for fmt in ("csv", "json", "table"):
        args = ["report", "sales", "--by", "day", "--min-group", "1", "--format", fmt]
        if fmt != "table":
            args += ["--out", str(exports / f"sales.{fmt}")]
        res = runner.invoke(app, args)
        assert res.exit_code == 0, res.stderr
        outputs.append(res.stdout + res.stderr)
    status = runner.invoke(app, ["--debug", "status", "--json"])
    assert status.exit_code == 0

    blobs = [(str(p), b) for p, b in open_files.items()]
    blobs += [(str(p), b) for p, b in file_bytes(home).items()]
    blobs += [(str(p), b) for p, b in file_bytes(exports).items()]
    blobs.append(("decrypted store", decrypted_text(home).encode()))
    blobs.append(("log records", caplog.text.encode()))
    blobs += [(f"output {i}", o.encode()) for i, o in enumerate([*outputs, status.stdout])]
    assert findings(blobs, digit_values(fake.dataset)) == []
    assert fake.credential.encode() not in caplog.text.encode()

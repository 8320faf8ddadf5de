"""The whole job as a user runs it: real processes, real HTTP over loopback.

`kamei fake serve` runs in one process; `init`, `shop add`, `sync` and `status`
run as the installed `kamei` command in others, against a real SQLCipher file
and a real (file) keyring backend.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from clikit import KAMEI, run
from leaks import decrypted_text, digit_values, file_bytes, findings

from connectors.fakes import make_fake

pytestmark = pytest.mark.slow

ORDERS = 1500
SEED = 11


@pytest.fixture
def fake_server() -> Iterator[dict[str, object]]:
    process = subprocess.Popen(
        [KAMEI, "fake", "serve", "--platform", "colorme", "--orders", str(ORDERS),
         "--seed", str(SEED), "--canary"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    line = process.stdout.readline()
    if not line:
        process.wait(timeout=10)
        pytest.fail(f"kamei fake serve did not start: {process.stderr.read()[-2000:]}")
    try:
        yield json.loads(line)
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
        process.stderr.close()


def test_fake_serve_then_init_add_sync_status_in_other_processes(
    fake_server: dict[str, object], home: Path
) -> None:
    assert fake_server["orders"] == ORDERS and fake_server["platform"] == "colorme"
    run("init")
    run(
        "shop", "add", "main", "--platform", "colorme", "--base-url", str(fake_server["base_url"]),
        "--credential-stdin", "--rate", "50", input=str(fake_server["credential"]) + "\n",
    )  # fmt: skip

    first = run("sync")
    assert first.stdout == f"synced 1/1 shops: main +{ORDERS} new orders\n"
    status = json.loads(run("status", "--json").stdout)
    (shop,) = status["shops"]
    assert shop["orders"] == ORDERS and shop["last_outcome"] == "ok"

    second = run("sync")
    assert second.stdout.startswith("synced 1/1 shops: main +0 new orders")
    assert json.loads(run("status", "--json").stdout)["shops"][0]["orders"] == ORDERS

    # No personal value the fake served is in any file under the home, decrypted or not.
    planted = digit_values(make_fake("colorme", orders=ORDERS, seed=SEED, canary=True).dataset)
    run("report", "sales", "--format", "csv", "--out", str(home / "sales.csv"))
    blobs = [(str(p), b) for p, b in file_bytes(home).items()]
    blobs.append(("decrypted store", decrypted_text(home).encode("utf-8")))
    assert findings(blobs, planted) == []

    # The file is encrypted: no SQLite header, and plain SQLite cannot read it.
    db = home / "kamei.db"
    assert not db.read_bytes().startswith(b"SQLite format 3")
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(db).execute("SELECT * FROM sqlite_master").fetchall()


def test_a_revoked_token_fails_the_shop_with_a_one_line_reason_and_exit_code(
    fake_server: dict[str, object],
) -> None:
    run("init")
    run(
        "shop", "add", "main", "--platform", "colorme", "--base-url", str(fake_server["base_url"]),
        "--credential-stdin", input="0" * 64 + "\n",
    )  # fmt: skip
    result = run("sync", check=False)
    assert result.returncode == 3
    assert "kamei auth colorme main" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == "synced 0/1 shops: main +0 new orders (failed)\n"
    (shop,) = json.loads(run("status", "--json").stdout)["shops"]
    assert shop["last_outcome"] == "failed" and "re-authorise" in shop["last_error"]

"""Two syncs at once, a crashed sync's lock, and readers while a sync writes.

Each test runs the installed `kamei` command in subprocesses against a loopback
Color Me fake behind a ``Gate``: the first few requests pass, the next one is
held until the test releases it, so a sync is reliably caught mid-run (holding
the lock, with pages committed and more to come) whatever the machine's speed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from clikit import KAMEI
from faultkit import Gate, add_shop, expected_keys

from connectors.fakes import FakePlatform, make_fake, serve_in_thread
from kamei.errors import SyncLocked
from store import Store
from sync.engine import COMMIT_EVERY_S

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="POSIX")]

ORDERS = 1200  # 12 pages of 100
HOLD_AT = 4  # the 5th request waits for the test


def kamei(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [KAMEI, *args], capture_output=True, text=True, timeout=120, env=os.environ
    )


def start_sync(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [KAMEI, "sync", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ,
    )


@pytest.fixture
def fake() -> FakePlatform:
    return make_fake("colorme", orders=ORDERS, seed=31)


@pytest.fixture
def gate(home: Path, fake: FakePlatform) -> Iterator[Gate]:
    held = Gate(fake.app, open_for=HOLD_AT)
    with serve_in_thread(held) as base_url:
        with Store.create(home) as store:
            add_shop(store, fake, base_url=base_url)
        try:
            yield held
        finally:
            held.release()


def caught_mid_run(gate: Gate, process: subprocess.Popen[str]) -> None:
    assert gate.held.wait(60), process.communicate(timeout=5)
    # The pages before the held request are committed within COMMIT_EVERY_S of arriving.
    time.sleep(COMMIT_EVERY_S + 0.3)


def runs(home: Path) -> list[str]:
    with Store.open(home, readonly=True) as store, store.connect() as conn:
        return list(conn.execute(sa.text("SELECT outcome FROM sync_runs ORDER BY id")).scalars())


def test_a_second_sync_exits_75_saying_another_is_running_and_wait_takes_its_turn(
    home: Path, fake: FakePlatform, gate: Gate
) -> None:
    first = start_sync()
    try:
        caught_mid_run(gate, first)
        second = kamei("sync")
        waiting = start_sync("--wait")
        time.sleep(1.0)
        assert waiting.poll() is None  # it waits for the lock instead of failing
    finally:
        gate.release()
        out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert out == f"synced 1/1 shops: main +{ORDERS} new orders\n"

    assert second.returncode == 75  # EX_TEMPFAIL: cron may simply retry
    assert second.stdout == ""
    (line,) = second.stderr.splitlines()
    assert line.startswith("kamei: error: another `kamei sync` is running on this store")
    assert f"(pid {first.pid})" in line and "Traceback" not in second.stderr

    waited_out, waited_err = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, waited_err
    assert waited_out.startswith("synced 1/1 shops: main +0 new orders")
    assert runs(home) == ["ok", "ok"]  # the refused sync did not even start a run
    with Store.open(home, readonly=True) as store:
        assert store.order_keys(store.get_shop("main").id) == expected_keys(store, fake)


def test_a_sync_killed_mid_run_leaves_no_lock_that_blocks_the_next_one(
    home: Path, fake: FakePlatform, gate: Gate
) -> None:
    crashed = start_sync()
    caught_mid_run(gate, crashed)
    crashed.send_signal(signal.SIGKILL)
    crashed.communicate(timeout=30)
    assert crashed.returncode == -signal.SIGKILL
    lock = home / "sync.lock"
    assert lock.read_text().strip() == str(crashed.pid)  # the file stays; the lock does not

    with Store.open(home) as store:
        assert 0 < store.count_orders() < ORDERS  # it died half-way
        with store.sync_lock():  # taken at once: nothing stale to clean up
            pass

    gate.release()
    after = kamei("sync")
    assert after.returncode == 0, after.stderr
    assert runs(home) == ["interrupted", "ok"]
    with Store.open(home, readonly=True) as store:
        assert store.order_keys(store.get_shop("main").id) == expected_keys(store, fake)


def read_while_syncing() -> tuple[int, dict[str, object]]:
    started = time.monotonic()
    query = kamei("sql", "SELECT COUNT(*) AS n FROM orders", "--format", "json")
    report = kamei("report", "sales", "--by", "month", "--min-group", "1", "--format", "json")
    status = kamei("status", "--json")
    for result in (query, report, status):
        assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 20  # nobody waited out the store's busy timeout
    assert json.loads(report.stdout)
    (shop,) = json.loads(status.stdout)["shops"]
    return int(json.loads(query.stdout)["rows"][0]["n"]), shop


def test_reports_sql_and_status_answer_while_a_sync_writes(home: Path, gate: Gate) -> None:
    sync = start_sync()
    try:
        caught_mid_run(gate, sync)
        during, shop = read_while_syncing()
    finally:
        gate.release()
        _, err = sync.communicate(timeout=120)
    assert sync.returncode == 0, err
    assert 0 < during < ORDERS  # a committed snapshot of a sync half-way
    assert shop["orders"] == during and shop["last_outcome"] == "running"
    with Store.open(home, readonly=True) as store:
        assert store.count_orders() == ORDERS
        assert [s.last_outcome for s in store.shop_status()] == ["ok"]


def test_a_lock_held_in_this_process_refuses_a_second_holder_with_the_pid(home: Path) -> None:
    with (
        Store.create(home) as store,
        store.sync_lock(),
        pytest.raises(SyncLocked, match=rf"\(pid {os.getpid()}\)"),
        store.sync_lock(),
    ):
        pass

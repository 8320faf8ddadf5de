"""Crash consistency: `kamei sync` killed with SIGKILL at random points, then run to the end.

The installed command runs as a subprocess against a loopback Color Me fake
with 20 ms of latency per request, so a sync takes long enough for a kill to
land anywhere: between requests, mid-page, inside a commit. Each kill point is
drawn from a seeded RNG: after the run's n-th answer from the fake (1 to 19),
plus up to 40 ms, so the points stay spread over the pages whatever the
machine's speed and load. Runs alternate between a resuming `kamei sync` and a
`kamei sync --full` that reads the whole history again, so kills keep landing
across all pages rather than only in the short tail a resumed run has left.

A kill counts as a kill point when it caught a run in progress (its run log
row still says "running"); one that lands after the run was recorded, on the
process's way out, is noted separately. Afterwards one more `kamei sync` runs
to completion, and then the store must pass SQLCipher's and SQLite's integrity
checks, hold exactly the fake's orders with no duplicate order or line, and
its run log must list every run caught in progress as interrupted (the OS
dropped each killed run's sync lock, so no stale lock blocked the next one).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from clikit import KAMEI
from faultkit import add_shop, expected_keys

from connectors.fakes import RequestLog, make_fake, serve_in_thread
from store import Store

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")]

ORDERS = 2000  # 20 pages of 100
SEED = 20260601
KILLS = 20
MAX_ROUNDS = 60
LAST_PAGE = 19  # a kill point is drawn among the first 19 answers (a full read has 20+)
MAX_EXTRA = 0.04  # then up to 40 ms more: into the parsing, the commit, the next request


def _requests_since(log: RequestLog, started: float) -> int:
    # By arrival time: a request of the run killed before may still be answered (and
    # logged) after this run started, and must not count as this run's first request.
    return sum(1 for entry in log.entries() if entry.at >= started)


def _last_outcome(home: Path) -> str:
    with Store.open(home, readonly=True) as store, store.connect() as conn:
        outcome: str = conn.execute(
            sa.text("SELECT outcome FROM sync_runs ORDER BY id DESC LIMIT 1")
        ).scalar_one()
    return outcome


def _wait_for_answers(
    process: subprocess.Popen[bytes], log: RequestLog, started: float, answers: int
) -> bool:
    """Until the fake has answered ``answers`` requests of this run (False: it ended)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if _requests_since(log, started) >= answers:
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.001)
    raise AssertionError(f"kamei sync got no {answers} answers within 60 s")


def test_sigkill_at_twenty_random_points_then_a_full_sync_leaves_a_sound_exact_store(
    home: Path,
) -> None:
    fake = make_fake("colorme", orders=ORDERS, seed=SEED, faults="latency=20ms", canary=True)
    rng = random.Random(SEED)
    kill_points: list[tuple[str, int]] = []
    finished_early = killed_on_exit = 0
    with serve_in_thread(fake.app) as base_url:
        with Store.create(home) as store:
            add_shop(store, fake, base_url=base_url)
        requests = fake.request_log

        for round_no in range(MAX_ROUNDS):
            if len(kill_points) >= KILLS:  # kills that caught a run in progress
                break
            args = ["sync"] if round_no % 2 == 0 else ["sync", "--full"]
            started = time.monotonic()
            process = subprocess.Popen(
                [KAMEI, *args],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                env=os.environ,
            )
            # The kill point, drawn whatever happens so the sequence stays the seed's:
            # after the n-th answer of the run, plus a few milliseconds. Counting answers
            # rather than seconds keeps the points spread on a slow or busy machine too.
            answers, extra = rng.randint(1, LAST_PAGE), rng.uniform(0.0, MAX_EXTRA)
            try:
                if _wait_for_answers(process, requests, started, answers):
                    time.sleep(extra)
                if process.poll() is None:
                    process.send_signal(signal.SIGKILL)
                    process.wait(timeout=10)
                    if _last_outcome(home) == "running":
                        kill_points.append((args[-1], answers))
                    else:  # killed after its run was recorded, on the way out
                        killed_on_exit += 1
                else:
                    finished_early += 1
                    assert process.returncode == 0, process.stderr.read() if process.stderr else ""
            finally:
                if process.poll() is None:
                    process.kill()
                    process.wait(timeout=10)
                if process.stderr is not None:
                    process.stderr.close()

        final = subprocess.run(
            [KAMEI, "sync"], capture_output=True, text=True, timeout=120, env=os.environ
        )
    assert final.returncode == 0, final.stderr
    assert "Traceback" not in final.stderr

    # The kills landed at many different points of a run.
    assert len(kill_points) >= KILLS, (kill_points, finished_early)
    served_at_kill = {count for _, count in kill_points}
    assert len(served_at_kill) >= KILLS // 2, kill_points
    assert min(served_at_kill) <= 3 and max(served_at_kill) >= 12, kill_points
    assert {kind for kind, _ in kill_points} == {"sync", "--full"}

    with Store.open(home) as store, store.connect() as conn:
        (integrity,) = conn.exec_driver_sql("PRAGMA integrity_check").one()
        assert integrity == "ok"
        assert store.verify() == []  # every page's HMAC (cipher_integrity_check) too
        shop = store.get_shop("main")
        assert store.order_keys(shop.id) == expected_keys(store, fake)
        assert store.count_orders() == fake.orders == ORDERS
        duplicate_lines = conn.execute(
            sa.text(
                "SELECT order_id, line_no FROM order_lines "
                "GROUP BY order_id, line_no HAVING count(*) > 1"
            )
        ).all()
        assert duplicate_lines == []
        lines = conn.execute(sa.text("SELECT count(*) FROM order_lines")).scalar_one()
        assert lines == sum(len(order.lines) for order in fake.dataset.orders)
        outcomes = conn.execute(
            sa.text("SELECT outcome, count(*) FROM sync_runs GROUP BY outcome")
        ).all()
    runs = dict(outcomes)
    assert runs.get("interrupted") == len(kill_points), (runs, kill_points)
    assert runs.get("ok") == finished_early + killed_on_exit + 1
    assert "running" not in runs and "failed" not in runs

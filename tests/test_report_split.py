"""Reports split into statements that run at the same time give the same answers.

``sql.fetch_together`` runs a report's statements on connections of their own, and
the per-buyer and per-product reports run one statement per range of buyer or
product numbers (``sql.number_ranges``), adding the ranges' figures up. Here every
report on a synthetic store must come out the same whether its work runs in one
thread over two ranges or in eight threads over sixteen.
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from typing import Any

import pytest
import sqlalchemy as sa

from connectors.colorme import parse_sale
from connectors.fakes import make_fake
from store import Checkpoint, Store
from store.reports import REPORTS, Filters
from store.reports import sql as report_sql
from sync import Pseudonymiser, to_record

END = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@pytest.fixture
def synthetic(store: Store) -> Store:
    version, key = store.pseudonym_key()
    keys = Pseudonymiser(key=key, version=version)
    for name, seed, count in (("main", 5, 900), ("outlet", 6, 300)):
        app = make_fake("colorme", orders=count, seed=seed, end=END).app
        shop = store.add_shop(name, "colorme")
        page = [
            to_record(parse_sale(app.sale(i)), platform="colorme", shop=name, keys=keys)  # type: ignore[attr-defined]
            for i in range(count)
        ]
        store.commit_page(shop.id, page, Checkpoint())
    return store


def run_all(store: Store, cores: int, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    monkeypatch.setattr(report_sql.os, "cpu_count", lambda: cores)
    monkeypatch.setattr(report_sql, "MAX_CORES", 8)
    out: dict[str, Any] = {}
    with store.connect() as conn:
        for name, spec in REPORTS.items():
            for filters in (Filters(min_group=1), Filters(min_group=5, shops=("outlet",))):
                out[f"{name} {filters.shops}"] = spec.run(conn, filters).rows
        out["rfm --detail"] = REPORTS["rfm"].run(conn, Filters(), detail=True).rows
        out["products --variations"] = (
            REPORTS["products"].run(conn, Filters(min_group=1), variations=True).rows
        )
    return out


def test_every_report_is_the_same_in_one_thread_and_in_eight(
    synthetic: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = run_all(synthetic, 1, monkeypatch)
    together = run_all(synthetic, 8, monkeypatch)
    assert alone.keys() == together.keys()
    for name, rows in alone.items():
        assert rows == together[name], name
    assert len(alone["rfm --detail"]) > 500  # the store has real work in it
    assert sum(r["orders"] or 0 for r in alone["products ()"]) > 1000


def test_number_ranges_cover_every_number_once() -> None:
    for parts in (1, 3, 16):
        ranges = report_sql.number_ranges(parts)
        assert len(ranges) == parts
        assert ranges[0]["first_no"] == 0 and ranges[-1]["last_no"] == 2**63 - 1
        for before, after in pairwise(ranges):
            assert after["first_no"] == before["last_no"] + 1


def test_statements_run_together_come_back_in_their_order(store: Store) -> None:
    queries = [report_sql.Query(f"SELECT {n} AS n", {}) for n in range(7)]
    with store.connect() as conn:
        parts = report_sql.fetch_together(conn, *queries)
    assert [part[0]["n"] for part in parts] == list(range(7))


def test_rfm_segments_add_up_to_the_buyers_listed_with_detail(synthetic: Store) -> None:
    # The summary scores cells of (last day, order count) in one pass; --detail scores
    # each buyer in SQL: two ways to the same segments.
    with synthetic.connect() as conn:
        summary = REPORTS["rfm"].run(conn, Filters(min_group=1)).rows
        detail = REPORTS["rfm"].run(conn, Filters(), detail=True).rows
    expected: dict[str, dict[str, int]] = {}
    for buyer in detail:
        seg = expected.setdefault(buyer["segment"], {"buyers": 0, "orders": 0, "revenue": 0})
        seg["buyers"] += 1
        seg["orders"] += buyer["orders"]
        seg["revenue"] += buyer["revenue"]
    shown = {
        row["segment"]: {f: row[f] for f in ("buyers", "orders", "revenue")}
        for row in summary
        if row["buyers"]
    }
    assert shown == expected
    assert len(expected) >= 5  # the synthetic buyers spread over many segments


def test_a_report_uses_at_most_max_cores_connections(monkeypatch: pytest.MonkeyPatch) -> None:
    # The engine's pool holds 15 connections, and each may cache 256 MiB of pages.
    monkeypatch.setattr(report_sql.os, "cpu_count", lambda: 64)
    assert report_sql.cores() == report_sql.MAX_CORES <= 8
    assert len(report_sql.number_ranges()) == 4 * report_sql.MAX_CORES
    monkeypatch.setattr(report_sql.os, "cpu_count", lambda: None)
    assert report_sql.cores() == 1


def test_a_failing_statement_among_others_raises_its_error(store: Store) -> None:
    queries = [
        report_sql.Query("SELECT 1 AS n", {}),
        report_sql.Query("SELECT no_such_column FROM orders", {}),
        report_sql.Query("SELECT 3 AS n", {}),
    ]
    with store.connect() as conn, pytest.raises(sa.exc.OperationalError, match="no_such_column"):
        report_sql.fetch_together(conn, *queries)
    with store.connect() as conn:  # the connections went back to the pool in working order
        assert report_sql.fetch_together(conn, queries[0], queries[2]) == [[{"n": 1}], [{"n": 3}]]

"""Disclosure control: no published figure describes a group under k, not even
by subtraction from a published total.

The rule is unit-tested on hand-made rows, then every report runs on synthetic
data with many small groups (a high k on a small shop) and each published figure
is checked against an independent computation of who is in each group.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Connection

from connectors.fakes import make_fake
from store import Store
from store.reports import (
    COMPLEMENT,
    REPORTS,
    SMALL_GROUP,
    Filters,
    Line,
    Report,
    rfm,
    suppress,
)
from sync import sync_shops

# --- the rule on hand-made rows -----------------------------------------------------


def _rows(*sizes: int) -> list[dict[str, Any]]:
    rows = [{"key": f"g{i}", "buyers": n, "revenue": n * 100} for i, n in enumerate(sizes)]
    rows.append({"key": "total", "buyers": sum(sizes), "revenue": sum(sizes) * 100})
    return rows


def _line(rows: list[dict[str, Any]]) -> Line:
    return Line(total=len(rows) - 1, parts=tuple(range(len(rows) - 1)))


def test_a_group_under_k_is_shown_as_suppressed_with_its_figures_withheld() -> None:
    rows = suppress(_rows(2, 50)[:2], k=5, keys=("key",))
    assert rows[0] == {"key": "g0", "buyers": None, "revenue": None, "suppressed": SMALL_GROUP}
    assert rows[1]["suppressed"] is None and rows[1]["revenue"] == 5000


def test_one_hidden_part_under_a_total_takes_the_smallest_shown_part_with_it() -> None:
    rows = _rows(2, 40, 9, 70)
    suppress(rows, k=5, keys=("key",), lines=[_line(rows)])
    assert [r["suppressed"] for r in rows] == [SMALL_GROUP, None, COMPLEMENT, None, None]


def test_two_small_hidden_parts_are_not_enough_protection_for_each_other() -> None:
    # total - shown would be the sum of two small groups: 3 buyers in all.
    rows = _rows(1, 2, 30, 60)
    suppress(rows, k=5, keys=("key",), lines=[_line(rows)])
    assert [r["suppressed"] for r in rows] == [SMALL_GROUP, SMALL_GROUP, COMPLEMENT, None, None]


def test_a_hidden_part_of_k_or_more_buyers_already_protects_the_line() -> None:
    rows = _rows(2, 30, 60)
    rows[1]["buyers"] = 30
    suppress(rows, k=5, keys=("key",), lines=[_line(rows)])
    rows2 = _rows(2, 30, 60)
    suppress(rows2, k=5, keys=("key",), lines=[_line(rows2)])
    assert [r["suppressed"] for r in rows2] == [SMALL_GROUP, COMPLEMENT, None, None]


def test_when_no_part_is_left_to_hide_the_total_is_hidden() -> None:
    rows = _rows(3, 4)
    rows[-1]["buyers"] = 7  # the total has k buyers, its parts do not
    suppress(rows, k=5, keys=("key",), lines=[_line(rows)])
    assert [r["suppressed"] for r in rows] == [SMALL_GROUP, SMALL_GROUP, COMPLEMENT]
    assert rows[-1]["revenue"] is None


def test_lines_may_not_share_rows() -> None:
    rows = _rows(10, 10, 10)
    with pytest.raises(ValueError, match="two lines"):
        suppress(rows, k=5, keys=("key",), lines=[Line(3, (0, 1)), Line(3, (1, 2))])


# --- every report on generated data --------------------------------------------------

K = 12  # high for a 700-order shop: many months, prefectures, pairs fall under it


@pytest.fixture
def shop_store(tmp_path: Path) -> Iterator[Store]:
    fakes = {"main": make_fake("colorme", orders=700, seed=11)}
    fakes["outlet"] = make_fake("colorme", orders=150, seed=12)
    with Store.create(tmp_path / "home") as store:
        for name, fake in fakes.items():
            store.add_shop(name, "colorme", {"base_url": "http://fake", "rate": 1000})
            store.set_credential(name, {"access_token": fake.credential})
        results = sync_shops(store, transport_for=lambda n: httpx.WSGITransport(app=fakes[n].app))
        assert all(r.ok for r in results)
        yield store


COUNTED = "status NOT IN ('cancelled', 'returned')"


def _truth(
    conn: Connection, report: Report, detail: Report | None
) -> dict[tuple[Any, ...], set[str]]:
    """Who is in each row's group, computed without the report's own SQL."""
    groups: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    orders = conn.exec_driver_sql(
        "SELECT o.order_key, o.buyer, o.ordered_at, s.name, o.prefecture, o.grand_total "
        f"FROM orders o JOIN shops s ON s.id = o.shop_id WHERE {COUNTED}"
    ).all()
    if report.name == "sales":
        import datetime as dt

        jst = dt.timezone(dt.timedelta(hours=9))
        for _, buyer, at, shop, _, _ in orders:
            month = dt.datetime.fromtimestamp(at, jst).strftime("%Y-%m")
            groups[(month, shop)].add(buyer)
            groups[(month, "(all shops)")].add(buyer)
    elif report.name == "prefectures":
        from connectors import name_for_code

        for _, buyer, _, _, pref, _ in orders:
            groups[(pref, name_for_code(pref) if pref else "(unknown)")].add(buyer)
            groups[(None, "(all)")].add(buyer)
    elif report.name == "repeat":
        counts: dict[str, int] = defaultdict(int)
        for _, buyer, *_ in orders:
            counts[buyer] += 1
        for buyer, n in counts.items():
            groups[(f"{min(n, 10)}+" if n >= 10 else str(n),)].add(buyer)
            groups[("all buyers",)].add(buyer)
    elif report.name == "rfm":
        assert detail is not None
        for row in detail.rows:
            groups[(row["segment"],)].add(row["buyer"])
    elif report.name in ("products", "baskets", "cohorts"):
        return {}  # checked by their own tests below (no totals are published)
    return groups


def _key(report: Report, row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[k] for k in report.keys if k != "code" or report.name == "prefectures")


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_no_published_figure_reveals_a_group_under_k(shop_store: Store, name: str) -> None:
    filters = Filters(min_group=K)
    with shop_store.connect() as conn:
        report = REPORTS[name].run(conn, filters)
        detail = rfm(conn, filters, detail=True) if name == "rfm" else None
        truth = _truth(conn, report, detail)
    figures = [c for c in report.columns if c not in report.keys and c != "suppressed"]
    assert report.suppressed > 0, "the data should have small groups at this k"
    for row in report.rows:
        if row["suppressed"]:
            assert all(row[c] is None for c in figures), row
        else:
            assert row["buyers"] == 0 or row["buyers"] >= K, row  # an empty group names nobody
        if truth:
            members = truth[_key(report, row)]
            if not row["suppressed"]:
                assert row["buyers"] == len(members), row
            elif row["suppressed"] == SMALL_GROUP:
                assert len(members) < K, row
    # Subtraction: total - published parts = the hidden parts, which must always
    # include a whole group of k or more buyers.
    for line in report.lines:
        total = report.rows[line.total]
        hidden = [report.rows[i] for i in line.parts if report.rows[i]["suppressed"]]
        if total["suppressed"] or not hidden:
            continue
        assert any(len(truth[_key(report, r)]) >= K for r in hidden), (name, total)
    pseudonym_free = all(
        not (isinstance(v, str) and v.startswith("p1_")) for r in report.rows for v in r.values()
    )
    assert pseudonym_free


def test_repeat_summary_figures_never_reopen_a_hidden_bucket(shop_store: Store) -> None:
    with shop_store.connect() as conn:
        for k in range(1, 400, 7):
            report = REPORTS["repeat"].run(conn, Filters(min_group=k))
            once, total = report.rows[0], report.rows[-1]
            if report.summary["repeat_rate"] is not None:
                assert not once["suppressed"] and not total["suppressed"]
                assert report.summary["repeat_buyers"] >= k
            if total["suppressed"]:
                assert all(r["share_of_buyers"] is None for r in report.rows)


def test_cohort_cells_under_k_withhold_their_cumulative_revenue(shop_store: Store) -> None:
    with shop_store.connect() as conn:
        report = REPORTS["cohorts"].run(conn, Filters(min_group=K))
    assert report.lines == ()
    for row in report.rows:
        if row["suppressed"]:
            assert row["cumulative_revenue_per_buyer"] is None and row["buyers"] is None
        else:
            assert row["buyers"] == 0 or row["buyers"] >= K
            assert row["cohort_buyers"] >= K


@pytest.mark.parametrize("name", ["products", "baskets", "rfm", "cohorts"])
def test_reports_without_totals_publish_no_total_row(shop_store: Store, name: str) -> None:
    with shop_store.connect() as conn:
        report = REPORTS[name].run(conn, Filters(min_group=K))
    assert report.lines == ()
    for row in report.rows:
        assert not row["suppressed"] or all(
            row[c] is None for c in report.columns if c not in report.keys and c != "suppressed"
        )


def test_suppressed_basket_pairs_are_counted_not_named(shop_store: Store) -> None:
    with shop_store.connect() as conn:
        report = REPORTS["baskets"].run(conn, Filters(min_group=K))
    hidden = [r for r in report.rows if r["suppressed"]]
    assert len(hidden) == 1
    assert hidden[0]["product_a"] == "(pairs under k buyers)"
    assert hidden[0]["product_b"].endswith(" pairs")


def test_an_empty_part_is_never_taken_as_the_complement() -> None:
    rows = _rows(2, 0, 0, 40)
    suppress(rows, k=5, keys=("key",), lines=[_line(rows)])
    assert [r["suppressed"] for r in rows] == [SMALL_GROUP, None, None, COMPLEMENT, None]

"""What each report computes, on hand-made orders with known answers (k = 1)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import OrderFactory
from typer.testing import CliRunner

from cli.app import app
from store import Checkpoint, LineRecord, Store
from store.reports import (
    REPORTS,
    SEGMENTS,
    Filters,
    baskets,
    cohorts,
    prefectures,
    products,
    repeat,
    sales,
    segment_for,
)

runner = CliRunner()
JST = dt.timezone(dt.timedelta(hours=9))
K1 = Filters(min_group=1)


def at(day: str, hour: int = 12) -> int:
    return int(dt.datetime.fromisoformat(f"{day}T{hour:02d}:00:00").replace(tzinfo=JST).timestamp())


def line(n: int, product: str, qty: int = 1, price: int = 1000) -> LineRecord:
    return LineRecord(n, product, f"商品{product}", price, qty, price * qty)


@pytest.fixture
def shops(store: Store, make_order: OrderFactory) -> Store:
    main = store.add_shop("main", "colorme")
    outlet = store.add_shop("outlet", "makeshop")
    a, b, c = "p1_" + "a" * 32, "p1_" + "b" * 32, "p1_" + "c" * 32
    store.commit_page(
        main.id,
        [
            make_order(1, buyer=a, ordered_at=at("2025-01-05"), grand_total=1000,
                       lines=(line(1, "X", 2), line(2, "Y"))),
            make_order(2, buyer=b, ordered_at=at("2025-01-20"), grand_total=3000,
                       lines=(line(1, "X"),), prefecture=27),
            make_order(3, buyer=a, ordered_at=at("2025-02-04"), grand_total=2000,
                       lines=(line(1, "X"), line(2, "Y"))),
            make_order(4, buyer=c, ordered_at=at("2025-02-10"), status="cancelled"),
            make_order(5, buyer=c, ordered_at=at("2025-02-11"), status="returned"),
        ],
        Checkpoint(),
    )  # fmt: skip
    store.commit_page(
        outlet.id,
        [make_order(6, buyer=c, platform="makeshop", ordered_at=at("2025-02-28", 23),
                    grand_total=500, lines=(line(1, "Y", 3),), prefecture=None)],
        Checkpoint(),
    )  # fmt: skip
    return store


def test_sales_counts_orders_revenue_units_and_new_and_returning_buyers(shops: Store) -> None:
    with shops.connect() as conn:
        report = sales(conn, K1)
    picked = [
        {k: r[k] for k in ("period", "shop", "orders", "revenue", "units", "buyers",
                           "new_buyers", "returning_buyers", "average_order_value")}
        for r in report.rows
    ]  # fmt: skip
    assert picked == [
        {"period": "2025-01", "shop": "main", "orders": 2, "revenue": 4000, "units": 4,
         "buyers": 2, "new_buyers": 2, "returning_buyers": 0, "average_order_value": 2000},
        {"period": "2025-02", "shop": "main", "orders": 1, "revenue": 2000, "units": 2,
         "buyers": 1, "new_buyers": 0, "returning_buyers": 1, "average_order_value": 2000},
        {"period": "2025-02", "shop": "outlet", "orders": 1, "revenue": 500, "units": 3,
         "buyers": 1, "new_buyers": 1, "returning_buyers": 0, "average_order_value": 500},
        {"period": "2025-02", "shop": "(all shops)", "orders": 2, "revenue": 2500, "units": 5,
         "buyers": 2, "new_buyers": 1, "returning_buyers": 1, "average_order_value": 1250},
    ]  # fmt: skip
    assert report.rows[0]["period"] == "2025-01"


def test_sales_filters_by_shop_platform_and_japan_time_dates(shops: Store) -> None:
    with shops.connect() as conn:
        by_shop = sales(conn, Filters(shops=("outlet",), min_group=1))
        by_platform = sales(conn, Filters(platforms=("colorme",), min_group=1))
        dated = sales(conn, Filters(since=dt.date(2025, 1, 20), until=dt.date(2025, 2, 28),
                                    min_group=1), by="day")  # fmt: skip
    assert [(r["period"], r["shop"]) for r in by_shop.rows] == [("2025-02", "outlet")]
    assert {r["shop"] for r in by_platform.rows} == {"main"}
    # 23:00 JST on the 28th is still the 28th in Japan (14:00 UTC).
    assert [(r["period"], r["shop"]) for r in dated.rows] == [
        ("2025-01-20", "main"), ("2025-02-04", "main"), ("2025-02-28", "outlet"),
    ]  # fmt: skip
    # A buyer whose first order is before the range is returning, not new.
    assert dated.rows[1]["new_buyers"] == 0


def test_sales_as_csv_exactly(shops: Store) -> None:
    result = runner.invoke(app, ["report", "sales", "--by", "year", "-k", "1", "-f", "csv"])
    assert result.exit_code == 0
    assert result.stdout == (
        "period,shop,orders,revenue,units,buyers,new_buyers,returning_buyers,"
        "average_order_value,suppressed\n"  # CliRunner shows the CSV's CRLF as LF
        "2025,main,3,6000,6,2,2,0,2000,\n"
        "2025,outlet,1,500,3,1,1,0,500,\n"
        "2025,(all shops),4,6500,9,3,3,0,1625,\n"
    )


def test_products_count_orders_buyers_and_repeat_buyers(shops: Store) -> None:
    with shops.connect() as conn:
        report = products(conn, K1)
    got = {r["product_id"]: (r["rank"], r["revenue"], r["units"], r["orders"], r["buyers"],
                             r["repeat_buyers"]) for r in report.rows}  # fmt: skip
    assert got == {"Y": (1, 5000, 5, 3, 2, 1), "X": (2, 4000, 4, 3, 2, 1)}
    with shops.connect() as conn:
        top = products(conn, K1, top=1)
    assert len(top.rows) == 1


def test_repeat_buckets_and_summary(shops: Store) -> None:
    with shops.connect() as conn:
        report = repeat(conn, K1)
    assert [(r["orders_per_buyer"], r["buyers"]) for r in report.rows[:3]] == [
        ("1", 2), ("2", 1), ("3", 0),
    ]  # fmt: skip
    assert report.rows[-1]["buyers"] == 3 and report.rows[-1]["revenue"] == 6500
    assert report.summary["repeat_buyers"] == 1
    assert report.summary["repeat_rate"] == round(1 / 3, 4)
    assert report.summary["returning_revenue_share"] == round(3000 / 6500, 4)
    assert report.summary["median_days_to_second_order"] == 30.0


def test_cohorts_follow_first_purchase_months(shops: Store) -> None:
    with shops.connect() as conn:
        report = cohorts(conn, K1)
    got = [(r["cohort"], r["months_since"], r["cohort_buyers"], r["buyers"], r["retention"],
            r["cumulative_revenue_per_buyer"]) for r in report.rows]  # fmt: skip
    assert got == [
        ("2025-01", 0, 2, 2, 1.0, 2000),
        ("2025-01", 1, 2, 1, 0.5, 3000),
        ("2025-02", 0, 1, 1, 1.0, 500),
    ]


def test_every_pair_of_rfm_scores_has_a_named_segment() -> None:
    named = {segment_for(r, f) for r in range(1, 6) for f in range(1, 6)}
    assert named == set(SEGMENTS)
    assert segment_for(5, 5) == "champions" and segment_for(1, 1) == "lost"
    assert segment_for(5, 1) == "new" and segment_for(1, 5) == "cannot lose them"


def test_baskets_support_confidence_and_lift(shops: Store) -> None:
    with shops.connect() as conn:
        report = baskets(conn, K1)
    (pair,) = report.rows
    # 4 counted orders; X in 3, Y in 3, both in 2.
    assert (pair["product_a"], pair["product_b"], pair["orders"], pair["buyers"]) == (
        "商品X", "商品Y", 2, 1,
    )  # fmt: skip
    assert pair["support"] == 0.5
    assert pair["confidence_a_to_b"] == round(2 / 3, 4)
    assert pair["lift"] == round(2 * 4 / 9, 3)


def test_prefectures_have_names_an_unknown_row_and_a_total(shops: Store) -> None:
    with shops.connect() as conn:
        report = prefectures(conn, K1)
    assert [(r["prefecture"], r["orders"], r["buyers"]) for r in report.rows] == [
        ("東京都", 2, 1), ("大阪府", 1, 1), ("(unknown)", 1, 1), ("(all)", 4, 3),
    ]  # fmt: skip


def test_every_report_runs_on_an_empty_store(store: Store) -> None:
    with store.connect() as conn:
        for spec in REPORTS.values():
            report = spec.run(conn, Filters())
            assert report.name == spec.name


def test_every_report_command_has_help_with_an_example() -> None:
    for name in [*REPORTS, "sql"]:
        args = ["report", name, "--help"] if name != "sql" else ["sql", "--help"]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, name
        assert "Example" in result.stdout and "kamei " in result.stdout, name


def test_the_demo_call_shape_still_works(shops: Store, home: Path) -> None:
    with shops.connect() as conn:
        report = sales(conn, by="month")  # as cli/demo.py calls it
    assert report.columns[0] == "period" and isinstance(report.rows, list)


def test_rfm_score_thresholds_match_percent_rank_with_ties() -> None:
    from store.reports.rfm import thresholds

    # Ten buyers: values 1..10, one each. PERCENT_RANK = (i - 1) / 9.
    flat = thresholds({v: 1 for v in range(1, 11)}, "x")
    expected = {}
    for score in range(2, 6):
        expected[f"x{score}"] = min(
            v for v in range(1, 11) if 1 + min(4, int((v - 1) / 9 * 5)) >= score
        )
    assert flat == expected
    # Ties score alike: six buyers share the lowest value.
    tied = thresholds({1: 6, 2: 1, 3: 1, 4: 1, 5: 1}, "x")
    assert tied == {"x2": 2, "x3": 2, "x4": 2, "x5": 4}  # scores 1, 4, 4, 5, 5

"""``sales``: orders, revenue, units, buyers (new / returning) and average order
value per period and shop, with an all-shops total per period when there are
several shops in the period (a published total, so its period's shops are
protected as a line). A buyer is new in the period of their first order ever and
returning in a period after it."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from typing import Any

from sqlalchemy import Connection

from kamei.errors import ConfigError
from kamei.i18n import t

from .disclosure import suppress
from .model import Chart, Column, ColumnKind, Filters, Line, Report
from .sql import JST_OFFSET, PERIODS, fetch, fetch_together, number_ranges, on_orders

__all__ = ["ALL_SHOPS", "sales"]

ALL_SHOPS = "(all shops)"

_COLUMNS = (
    Column("period", "text", key=True),
    Column("shop", "text", key=True),
    Column("orders"),
    Column("revenue", "yen"),
    Column("units"),
    Column("buyers"),
    Column("new_buyers"),
    Column("returning_buyers"),
    Column("average_order_value", "yen"),
    Column("suppressed", "text"),
)

# Orders, revenue, units and distinct buyers per period and shop, and distinct buyers
# per period over all shops (the shops' sums add up; their buyers may not). Each
# figure is an aggregate over its own stretch of orders_report_time (one time range
# per period) computed for each period and shop: no GROUP BY, so no sort of every
# order. The two statements run at the same time as the others (sql.fetch_together).
_PER_SHOP = """
WITH periods(period, start, stop) AS (VALUES {periods})
SELECT p.period AS period, s.id AS shop_id, (
    SELECT json_array(COUNT(DISTINCT o.buyer_no), COUNT(*), SUM(o.grand_total), SUM(o.units))
    FROM orders o INDEXED BY orders_report_time
    WHERE o.ordered_at >= p.start AND o.ordered_at < p.stop AND o.shop_id = s.id
      AND {{where}}
) AS figures
FROM periods p CROSS JOIN shops s
"""
_ALL_SHOPS = """
WITH periods(period, start, stop) AS (VALUES {periods})
SELECT p.period AS period, (
    SELECT COUNT(DISTINCT o.buyer_no) FROM orders o INDEXED BY orders_report_time
    WHERE o.ordered_at >= p.start AND o.ordered_at < p.stop AND {{where}}
) AS buyers
FROM periods p
"""
# The first and last counted order: a few steps from either end of the time index
# (MIN/MAX with a status filter would scan the whole of it).
_SPAN = """
SELECT (SELECT o.ordered_at FROM orders o INDEXED BY orders_report_time WHERE {where}
        ORDER BY o.ordered_at LIMIT 1) AS first,
       (SELECT o.ordered_at FROM orders o INDEXED BY orders_report_time WHERE {where}
        ORDER BY o.ordered_at DESC LIMIT 1) AS last
"""
# A buyer is new in the period (and at the shop) of their first counted order ever:
# the date range narrows what is shown, not what "first" means. Buyers are grouped
# from orders_buyer without a sort, one statement per range of buyer numbers (their
# counts add up), all at the same time as the statements above (sql.fetch_together).
_NEW = f"""
SELECT (first_at + {JST_OFFSET}) / 86400 AS day, shop_id, COUNT(*) AS new_buyers FROM (
    SELECT o.buyer_no, MIN(o.ordered_at) AS first_at, o.shop_id AS shop_id
    FROM orders o INDEXED BY orders_buyer
    WHERE o.buyer_no BETWEEN :first_no AND :last_no AND {{where}} GROUP BY o.buyer_no
) WHERE (:start IS NULL OR first_at >= :start) AND (:end IS NULL OR first_at < :end)
GROUP BY 1, 2
"""
_EPOCH = dt.date(1970, 1, 1)


def _label(day: int, by: str) -> str:
    return (_EPOCH + dt.timedelta(days=day)).strftime(PERIODS[by])


def _periods(conn: Connection, filters: Filters, by: str) -> list[tuple[str, int, int]]:
    """``(label, start, stop)`` in Unix seconds for every period the orders span."""
    (span,) = fetch(conn, _SPAN, filters)
    if span["first"] is None:
        return []
    first = (int(span["first"]) + JST_OFFSET) // 86400
    last = (int(span["last"]) + JST_OFFSET) // 86400
    out: list[tuple[str, int, int]] = []
    for day in range(first, last + 1):
        label = _label(day, by)
        start, stop = day * 86400 - JST_OFFSET, (day + 1) * 86400 - JST_OFFSET
        if out and out[-1][0] == label:
            out[-1] = (label, out[-1][1], stop)
        else:
            out.append((label, start, stop))
    return out


def _by_period(
    rows: list[dict[str, Any]], by: str, figures: tuple[str, ...]
) -> dict[tuple[str, int], dict[str, int]]:
    out: dict[tuple[str, int], dict[str, int]] = defaultdict(lambda: dict.fromkeys(figures, 0))
    for row in rows:
        cell = out[(_label(int(row["day"]), by), int(row["shop_id"]))]
        for figure in figures:
            cell[figure] += int(row[figure] or 0)
    return out


def sales(conn: Connection, filters: Filters | None = None, *, by: str = "month") -> Report:
    """The sales report; cancelled and returned orders are left out."""
    filters = filters or Filters()
    if by not in PERIODS:
        raise ConfigError(t("reports.by", choices=", ".join(PERIODS), by=by))
    shop_names = {int(i): str(n) for i, n in conn.exec_driver_sql("SELECT id, name FROM shops")}
    spans = _periods(conn, filters, by)
    values = ", ".join(f"('{label}', {start}, {stop})" for label, start, stop in spans)
    undated = Filters(filters.shops, filters.platforms, min_group=filters.min_group)
    counting = (
        [
            on_orders(_PER_SHOP.format(periods=values), filters),
            on_orders(_ALL_SHOPS.format(periods=values), filters),
        ]
        if spans
        else []
    )
    first_orders = [
        on_orders(_NEW, undated, start=filters.start, end=filters.end, **bounds)
        for bounds in number_ranges()
    ]
    results = fetch_together(conn, *counting, *first_orders)
    counted, new_parts = results[: len(counting)], results[len(counting) :]
    per_shop, all_shops = counted or ([], [])
    buyers: dict[tuple[str, int | None], int] = {
        (c["period"], None): int(c["buyers"]) for c in all_shops
    }
    additive: dict[tuple[str, int], dict[str, int]] = {}
    for found in per_shop:
        distinct, orders, revenue, units = json.loads(found["figures"])
        if orders:
            key = (str(found["period"]), int(found["shop_id"]))
            buyers[key] = int(distinct)
            additive[key] = {"orders": int(orders), "revenue": int(revenue), "units": int(units)}
    new = _by_period([row for part in new_parts for row in part], by, ("new_buyers",))
    by_period: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (name, shop_id), sums in sorted(additive.items()):
        key = (name, shop_id)
        cell: dict[str, Any] = {"period": name, "shop": shop_names.get(shop_id, "?"), **sums}
        cell["new_buyers"] = new[key]["new_buyers"] if key in new else 0
        cell["buyers"] = buyers.get(key, 0)
        by_period[name].append(cell)
    rows: list[dict[str, Any]] = []
    lines: list[Line] = []
    for name in sorted(by_period):
        group = sorted(by_period[name], key=lambda c: c["shop"])
        first = len(rows)
        rows.extend(group)
        if len(group) > 1:
            total = _total(name, group, buyers[(name, None)])
            lines.append(Line(total=len(rows), parts=tuple(range(first, len(rows)))))
            rows.append(total)
    for row in rows:
        _derive(row)
    suppress(rows, k=filters.min_group, keys=("period", "shop"), lines=lines)
    # Days and months are real dates in a spreadsheet; weeks and years stay labels.
    kind: ColumnKind = "date" if by == "day" else "month" if by == "month" else "text"
    columns = (Column("period", kind, key=True), *_COLUMNS[1:])
    period = _period_word(by)
    return Report.build(
        "sales",
        t("reports.title.sales", period=period),
        columns,
        rows,
        filters,
        lines=tuple(lines),
        params={"by": by},
        chart=Chart(
            "line",
            x="period",
            y="revenue",
            series="shop",
            title=t("reports.chart.sales", period=period),
        ),
        labels={("shop", ALL_SHOPS): t("reports.label.all_shops")},
    )


def _period_word(by: str) -> str:
    """``by`` as a word of the UI language, for titles ("sales by month", 月別の売上)."""
    words = {
        "day": t("reports.period.day"),
        "week": t("reports.period.week"),
        "month": t("reports.period.month"),
        "year": t("reports.period.year"),
    }
    return words[by]


def _total(period: str, group: list[dict[str, Any]], buyers: int) -> dict[str, Any]:
    total: dict[str, Any] = {"period": period, "shop": ALL_SHOPS, "buyers": buyers}
    for figure in ("orders", "revenue", "units", "new_buyers"):
        total[figure] = sum(int(c[figure]) for c in group)
    return total


def _derive(row: dict[str, Any]) -> None:
    row["returning_buyers"] = row["buyers"] - row["new_buyers"]
    row["average_order_value"] = round(row["revenue"] / row["orders"]) if row["orders"] else 0

"""``sales``: orders, revenue, units, buyers (new / returning) and average order
value per period and shop, with an all-shops total per period when there are
several shops in the period (a published total, so its period's shops are
protected as a line). A buyer is new in the period of their first order ever and
returning in a period after it."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection

from kamei.errors import ConfigError

from .disclosure import suppress
from .model import Chart, Column, ColumnKind, Filters, Line, Report
from .sql import LINES_OF_ORDERS, PERIODS, fetch, period_sql

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

# Distinct buyers without COUNT(DISTINCT): one row per buyer, period and shop first
# (read in buyer order from orders_report_buyer), then counted twice from it: per
# shop, and per period across shops (shop_id NULL).
_CELLS = """
WITH per_buyer AS MATERIALIZED (
    SELECT {period} AS period, o.shop_id AS shop_id, o.buyer AS buyer, COUNT(*) AS orders,
           SUM(o.grand_total) AS revenue
    FROM orders o WHERE {{where}} GROUP BY o.buyer, 1, 2
)
SELECT period, shop_id, SUM(orders) AS orders, SUM(revenue) AS revenue, COUNT(*) AS buyers
FROM per_buyer GROUP BY 1, 2
UNION ALL
SELECT period, NULL, NULL, NULL, COUNT(DISTINCT buyer) FROM per_buyer GROUP BY 1
"""
_UNITS = """
SELECT {period} AS period, o.shop_id AS shop_id, SUM(l.quantity) AS units
FROM {lines} WHERE {{where}} GROUP BY 1, 2
"""
# A buyer is new in the period (and at the shop) of their first counted order ever:
# the date range narrows what is shown, not what "first" means.
_NEW = """
SELECT {period} AS period, shop_id, COUNT(*) AS new_buyers FROM (
    SELECT o.buyer, MIN(o.ordered_at) AS first_at, o.shop_id AS shop_id
    FROM orders o WHERE {{where}} GROUP BY o.buyer
) WHERE (:start IS NULL OR first_at >= :start) AND (:end IS NULL OR first_at < :end)
GROUP BY 1, 2
"""


def sales(conn: Connection, filters: Filters | None = None, *, by: str = "month") -> Report:
    """The sales report; cancelled and returned orders are left out."""
    filters = filters or Filters()
    if by not in PERIODS:
        raise ConfigError(f"--by must be one of {', '.join(PERIODS)}, not {by!r}")
    period = period_sql("o.ordered_at", by)
    shop_names = {int(i): str(n) for i, n in conn.exec_driver_sql("SELECT id, name FROM shops")}
    counted = fetch(conn, _CELLS.format(period=period), filters)
    cells = [c for c in counted if c["shop_id"] is not None]
    period_buyers = {c["period"]: int(c["buyers"]) for c in counted if c["shop_id"] is None}
    units = {
        (r["period"], r["shop_id"]): r["units"]
        for r in fetch(conn, _UNITS.format(period=period, lines=LINES_OF_ORDERS), filters)
    }
    undated = Filters(filters.shops, filters.platforms, min_group=filters.min_group)
    new = {
        (r["period"], r["shop_id"]): r["new_buyers"]
        for r in fetch(
            conn,
            _NEW.format(period=period_sql("first_at", by)),
            undated,
            start=filters.start,
            end=filters.end,
        )
    }
    by_period: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for cell in cells:
        key = (cell["period"], cell["shop_id"])
        cell["units"] = int(units.get(key) or 0)
        cell["new_buyers"] = int(new.get(key) or 0)
        cell["shop"] = shop_names.get(cell.pop("shop_id"), "?")
        by_period[cell["period"]].append(cell)
    rows: list[dict[str, Any]] = []
    lines: list[Line] = []
    for name in sorted(by_period):
        group = sorted(by_period[name], key=lambda c: c["shop"])
        first = len(rows)
        rows.extend(group)
        if len(group) > 1:
            total = _total(name, group, period_buyers[name])
            lines.append(Line(total=len(rows), parts=tuple(range(first, len(rows)))))
            rows.append(total)
    for row in rows:
        _derive(row)
    suppress(rows, k=filters.min_group, keys=("period", "shop"), lines=lines)
    # Days and months are real dates in a spreadsheet; weeks and years stay labels.
    kind: ColumnKind = "date" if by == "day" else "month" if by == "month" else "text"
    columns = (Column("period", kind, key=True), *_COLUMNS[1:])
    return Report.build(
        "sales",
        f"sales by {by}",
        columns,
        rows,
        filters,
        lines=tuple(lines),
        params={"by": by},
        chart=Chart("line", x="period", y="revenue", series="shop", title=f"revenue by {by}"),
    )


def _total(period: str, group: list[dict[str, Any]], buyers: int) -> dict[str, Any]:
    total: dict[str, Any] = {"period": period, "shop": ALL_SHOPS, "buyers": buyers}
    for figure in ("orders", "revenue", "units", "new_buyers"):
        total[figure] = sum(int(c[figure]) for c in group)
    return total


def _derive(row: dict[str, Any]) -> None:
    row["returning_buyers"] = row["buyers"] - row["new_buyers"]
    row["average_order_value"] = round(row["revenue"] / row["orders"]) if row["orders"] else 0

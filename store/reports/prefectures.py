"""``prefectures``: orders, revenue and buyers by the buyer's prefecture, with a
nationwide total (a published total: the prefectures form a protected line)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from connectors import name_for_code
from kamei.i18n import t

from .disclosure import suppress
from .model import Chart, Column, Filters, Line, Report
from .sql import fetch_by_buyer

__all__ = ["prefectures"]

NATIONWIDE = "(all)"
UNKNOWN = "(unknown)"

_COLUMNS = (
    Column("code", "int", key=True),
    Column("prefecture", "text", key=True),
    Column("orders"),
    Column("revenue", "yen"),
    Column("buyers"),
    Column("average_order_value", "yen"),
    Column("suppressed", "text"),
)
# One row per buyer and prefecture first (in buyer order, from orders_buyer),
# then counted per prefecture and, for the nationwide total (code -1), per buyer.
# Buyers are independent: one statement per range of buyer numbers, the ranges at
# the same time (sql.fetch_by_buyer); their counts add up.
_SQL = """
WITH per_buyer AS MATERIALIZED (
    SELECT o.buyer_no AS buyer, o.prefecture AS code, COUNT(*) AS orders,
           SUM(o.grand_total) AS revenue
    FROM orders o INDEXED BY orders_buyer
    WHERE o.buyer_no BETWEEN :first_no AND :last_no AND {where}
    GROUP BY o.buyer_no, o.prefecture
)
SELECT code, SUM(orders) AS orders, SUM(revenue) AS revenue, COUNT(*) AS buyers
FROM per_buyer GROUP BY code
UNION ALL
SELECT -1, SUM(orders), SUM(revenue), COUNT(DISTINCT buyer) FROM per_buyer
"""


_SUMS = ("orders", "revenue", "buyers")


def prefectures(conn: Connection, filters: Filters | None = None) -> Report:
    filters = filters or Filters()
    by_code: dict[int | None, dict[str, Any]] = {}
    for row in fetch_by_buyer(conn, _SQL, filters):
        if row["orders"] is None:  # the total of a range without orders
            continue
        sums = by_code.setdefault(row["code"], {"code": row["code"], **dict.fromkeys(_SUMS, 0)})
        for figure in _SUMS:
            sums[figure] += int(row[figure])
    found = list(by_code.values())
    found.extend([] if -1 in by_code else [{"code": -1, **dict.fromkeys(_SUMS, 0)}])
    (total,) = [r for r in found if r["code"] == -1]
    rows: list[dict[str, Any]] = []
    for row in sorted((r for r in found if r["code"] != -1), key=lambda r: r["code"] or 99):
        code = row["code"]
        row["prefecture"] = name_for_code(code) if code else UNKNOWN
        rows.append(row)
    total.update(code=None, prefecture=NATIONWIDE, revenue=int(total["revenue"] or 0))
    total["orders"] = int(total["orders"] or 0)
    line = Line(total=len(rows), parts=tuple(range(len(rows))))
    rows.append(total)
    for row in rows:
        row["average_order_value"] = round(row["revenue"] / row["orders"]) if row["orders"] else 0
    suppress(rows, k=filters.min_group, keys=("code", "prefecture"), lines=(line,))
    return Report.build(
        "prefectures",
        t("reports.title.prefectures"),
        _COLUMNS,
        rows,
        filters,
        lines=(line,),
        chart=Chart("bars", x="prefecture", y="revenue", title=t("reports.chart.prefectures")),
        labels={
            ("prefecture", NATIONWIDE): t("reports.label.nationwide"),
            ("prefecture", UNKNOWN): t("reports.label.unknown_prefecture"),
        },
    )

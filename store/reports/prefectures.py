"""``prefectures``: orders, revenue and buyers by the buyer's prefecture, with a
nationwide total (a published total: the prefectures form a protected line)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from connectors import name_for_code

from .disclosure import suppress
from .model import Chart, Column, Filters, Line, Report
from .sql import fetch

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
_SQL = """
SELECT o.prefecture AS code, COUNT(*) AS orders, SUM(o.grand_total) AS revenue,
       COUNT(DISTINCT o.buyer) AS buyers
FROM orders o WHERE {where} GROUP BY 1 ORDER BY o.prefecture IS NULL, 1
"""
_ALL = """
SELECT COUNT(*) AS orders, SUM(o.grand_total) AS revenue, COUNT(DISTINCT o.buyer) AS buyers
FROM orders o WHERE {where}
"""


def prefectures(conn: Connection, filters: Filters | None = None) -> Report:
    filters = filters or Filters()
    rows: list[dict[str, Any]] = []
    for row in fetch(conn, _SQL, filters):
        code = row["code"]
        row["prefecture"] = name_for_code(code) if code else UNKNOWN
        rows.append(row)
    (total,) = fetch(conn, _ALL, filters)
    total.update(code=None, prefecture=NATIONWIDE, revenue=int(total["revenue"] or 0))
    line = Line(total=len(rows), parts=tuple(range(len(rows))))
    rows.append(total)
    for row in rows:
        row["average_order_value"] = round(row["revenue"] / row["orders"]) if row["orders"] else 0
    suppress(rows, k=filters.min_group, keys=("code", "prefecture"), lines=(line,))
    return Report.build(
        "prefectures",
        "sales by prefecture",
        _COLUMNS,
        rows,
        filters,
        lines=(line,),
        chart=Chart("bars", x="prefecture", y="revenue", title="revenue by prefecture"),
    )

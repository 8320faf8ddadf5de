"""``repeat``: how many orders buyers place, the repeat rate, the median days from
a buyer's first to second order, and the share of revenue from returning buyers.

Rows are buckets of orders per buyer (1 … 9, 10+) and an ``all buyers`` total:
a published total, so the buckets form a protected line. Summary figures are
published only when they cannot reopen a hidden bucket: the repeat rate and the
returning share need the ``1`` bucket and the total, both shown.
"""

from __future__ import annotations

import statistics
from typing import Any

from sqlalchemy import Connection

from kamei.i18n import t

from .disclosure import suppress
from .model import Chart, Column, Filters, Line, Report
from .sql import fetch_together, on_orders

__all__ = ["repeat"]

ALL_BUYERS = "all buyers"
TOP_BUCKET = 10

_COLUMNS = (
    Column("orders_per_buyer", "text", key=True),
    Column("buyers"),
    Column("share_of_buyers", "ratio"),
    Column("orders"),
    Column("revenue", "yen"),
    Column("share_of_revenue", "ratio"),
    Column("suppressed", "text"),
)

_BUCKETS = f"""
SELECT MIN(n, {TOP_BUCKET}) AS bucket, COUNT(*) AS buyers, SUM(n) AS orders,
       SUM(revenue) AS revenue
FROM (SELECT o.buyer_no, COUNT(*) AS n, SUM(o.grand_total) AS revenue
      FROM orders o WHERE {{where}} GROUP BY o.buyer_no)
GROUP BY 1 ORDER BY 1
"""
# Days from each buyer's first to second order. orders_buyer already yields
# every buyer's orders in time order, so the window needs no sort.
_SECOND = """
SELECT (ordered_at - previous) / 86400.0 AS days FROM (
    SELECT o.ordered_at, LAG(o.ordered_at) OVER w AS previous, ROW_NUMBER() OVER w AS rn
    FROM orders o WHERE {where}
    WINDOW w AS (PARTITION BY o.buyer_no ORDER BY o.ordered_at)
) WHERE rn = 2
"""


def repeat(conn: Connection, filters: Filters | None = None) -> Report:
    filters = filters or Filters()
    k = filters.min_group
    buckets, seconds = fetch_together(  # independent: at the same time
        conn, on_orders(_BUCKETS, filters), on_orders(_SECOND, filters)
    )
    found = {int(r["bucket"]): r for r in buckets}
    rows: list[dict[str, Any]] = []
    for bucket in range(1, TOP_BUCKET + 1):
        row = found.get(bucket, {"buyers": 0, "orders": 0, "revenue": 0})
        label = f"{bucket}+" if bucket == TOP_BUCKET else str(bucket)
        rows.append({"orders_per_buyer": label, **{f: int(row[f] or 0) for f in _FIGURES}})
    total: dict[str, Any] = {"orders_per_buyer": ALL_BUYERS}
    total.update({f: sum(r[f] for r in rows) for f in _FIGURES})
    rows.append(total)
    line = Line(total=len(rows) - 1, parts=tuple(range(TOP_BUCKET)))
    suppress(rows, k=k, keys=("orders_per_buyer",), lines=(line,))
    _shares(rows, total)
    once = rows[0]
    repeaters = (total["buyers"] or 0) - (once["buyers"] or 0)
    summary: dict[str, Any] = {"buyers": total["buyers"]}
    open_ = not once["suppressed"] and not total["suppressed"]
    summary["repeat_buyers"] = repeaters if open_ and repeaters >= k else None
    summary["repeat_rate"] = (
        round(repeaters / total["buyers"], 4) if summary["repeat_buyers"] is not None else None
    )
    summary["returning_revenue_share"] = (
        round(1 - once["revenue"] / total["revenue"], 4)
        if summary["repeat_buyers"] is not None and total["revenue"]
        else None
    )
    days = [float(r["days"]) for r in seconds]
    # A median over fewer than k repeat buyers would describe a small group.
    summary["median_days_to_second_order"] = (
        round(statistics.median(days), 1) if len(days) >= k else None
    )
    return Report.build(
        "repeat",
        t("reports.title.repeat"),
        _COLUMNS,
        rows,
        filters,
        lines=(line,),
        summary=summary,
        chart=Chart("bars", x="orders_per_buyer", y="buyers", title=t("reports.chart.repeat")),
        labels={("orders_per_buyer", ALL_BUYERS): t("reports.label.all_buyers")},
    )


_FIGURES = ("buyers", "orders", "revenue")


def _shares(rows: list[dict[str, Any]], total: dict[str, Any]) -> None:
    # Shares only against a published total: a share of a hidden total would give it away.
    for row in rows:
        for figure, share in (("buyers", "share_of_buyers"), ("revenue", "share_of_revenue")):
            whole = total[figure]
            row[share] = (
                round(row[figure] / whole, 4) if row[figure] is not None and whole else None
            )

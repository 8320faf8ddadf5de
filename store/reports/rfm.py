"""``rfm``: recency, frequency and monetary scores (1-5) and named segments with
their buyers and revenue. R and M are percentiles among the buyers (ties scored
alike); F is the order count: 1, 2, 3, 4-5 and 6 or more orders score 1 to 5.

Segments publish no total, so primary suppression is enough. ``detail=True``
lists every buyer's pseudonym with their scores: for internal use only, never
suppressed, and it says so on screen and in every file.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import Connection

from .disclosure import suppress
from .model import JST, Chart, Column, Filters, Report
from .sql import fetch

__all__ = ["DETAIL_NOTICE", "SEGMENTS", "rfm", "segment_for"]

DETAIL_NOTICE = (
    "INTERNAL USE ONLY: this lists buyer pseudonyms one by one and is not "
    "suppressed; do not share it outside the shop"
)

SEGMENTS = (
    "champions",
    "loyal",
    "potential loyalists",
    "new",
    "promising",
    "need attention",
    "about to sleep",
    "at risk",
    "cannot lose them",
    "hibernating",
    "lost",
)


def segment_for(r: int, f: int) -> str:
    """The named segment of a recency score ``r`` and frequency score ``f`` (1-5)."""
    if r >= 4:
        if f >= 4:
            return "champions"
        if f >= 2:
            return "potential loyalists"
        return "new" if r == 5 else "promising"
    if r == 3:
        if f >= 4:
            return "loyal"
        return "need attention" if f >= 2 else "about to sleep"
    if f >= 4:
        return "cannot lose them" if r == 1 else "at risk"
    if f == 3:
        return "at risk"
    return "hibernating" if r == 2 else "lost"


# Recency and monetary scores are percentiles (PERCENT_RANK gives tied buyers the
# same score). Frequency is scored on the order count itself: in a small shop most
# buyers order once, so frequency percentiles would collapse into two scores.
_SCORED = """
WITH b AS (
    SELECT o.buyer, MAX(o.ordered_at) AS last_at, COUNT(*) AS orders,
           SUM(o.grand_total) AS revenue
    FROM orders o WHERE {where} GROUP BY o.buyer
),
s AS (
    SELECT buyer, last_at, orders, revenue,
           1 + MIN(4, CAST(PERCENT_RANK() OVER (ORDER BY last_at) * 5 AS INTEGER)) AS r,
           CASE WHEN orders >= 6 THEN 5 WHEN orders >= 4 THEN 4 ELSE orders END AS f,
           1 + MIN(4, CAST(PERCENT_RANK() OVER (ORDER BY revenue) * 5 AS INTEGER)) AS m
    FROM b
)
"""
_BY_SCORE = (
    _SCORED
    + """
SELECT r, f, COUNT(*) AS buyers, SUM(orders) AS orders, SUM(revenue) AS revenue,
       SUM(:ref - last_at) AS recency_seconds
FROM s GROUP BY r, f
"""
)
_DETAIL = (
    _SCORED
    + """
SELECT buyer, CAST((:ref - last_at) / 86400 AS INTEGER) AS recency_days, orders, revenue,
       r, f, m FROM s ORDER BY buyer
"""
)
_LATEST = "SELECT MAX(o.ordered_at) AS latest FROM orders o WHERE {where}"

_COLUMNS = (
    Column("segment", "text", key=True),
    Column("buyers"),
    Column("orders"),
    Column("revenue", "yen"),
    Column("average_recency_days", "float"),
    Column("average_orders", "float"),
    Column("average_revenue", "yen"),
    Column("suppressed", "text"),
)
_DETAIL_COLUMNS = (
    Column("buyer", "text", key=True),
    Column("segment", "text"),
    Column("recency_days"),
    Column("orders"),
    Column("revenue", "yen"),
    Column("r"),
    Column("f"),
    Column("m"),
)


def _reference(conn: Connection, filters: Filters) -> int:
    # Recency is counted back from the end of the range asked for, else from the
    # latest order in it, so a report on old data is not all "lost" buyers.
    if filters.end is not None:
        return filters.end
    (row,) = fetch(conn, _LATEST, filters)
    return int(row["latest"] or 0)


def _day(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, JST).date().isoformat()


def rfm(conn: Connection, filters: Filters | None = None, *, detail: bool = False) -> Report:
    filters = filters or Filters()
    ref = _reference(conn, filters)
    if detail:
        buyers = fetch(conn, _DETAIL, filters, ref=ref)
        for buyer in buyers:
            buyer["segment"] = segment_for(buyer["r"], buyer["f"])
        return Report.build(
            "rfm",
            "RFM scores per buyer (internal use only)",
            _DETAIL_COLUMNS,
            buyers,
            None,
            params={
                **filters.describe(),
                "detail": True,
                "min_group": None,
                "recency_from": _day(ref),
            },
            notice=DETAIL_NOTICE,
        )
    totals: dict[str, dict[str, int]] = defaultdict(
        lambda: {"buyers": 0, "orders": 0, "revenue": 0, "recency": 0}
    )
    for cell in fetch(conn, _BY_SCORE, filters, ref=ref):
        seg = totals[segment_for(int(cell["r"]), int(cell["f"]))]
        seg["buyers"] += int(cell["buyers"])
        seg["orders"] += int(cell["orders"])
        seg["revenue"] += int(cell["revenue"])
        seg["recency"] += int(cell["recency_seconds"])
    rows: list[dict[str, Any]] = []
    for name in SEGMENTS:
        seg = totals.get(name, {"buyers": 0, "orders": 0, "revenue": 0, "recency": 0})
        n = seg["buyers"]
        rows.append(
            {
                "segment": name,
                "buyers": n,
                "orders": seg["orders"],
                "revenue": seg["revenue"],
                "average_recency_days": round(seg["recency"] / n / 86400, 1) if n else None,
                "average_orders": round(seg["orders"] / n, 2) if n else None,
                "average_revenue": round(seg["revenue"] / n) if n else None,
            }
        )
    suppress(rows, k=filters.min_group, keys=("segment",))
    return Report.build(
        "rfm",
        "RFM segments",
        _COLUMNS,
        rows,
        filters,
        params={"recency_from": _day(ref)},
        chart=Chart("bars", x="segment", y="buyers", title="buyers by RFM segment"),
    )

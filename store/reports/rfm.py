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
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection

from kamei.i18n import t

from .disclosure import suppress
from .model import JST, Chart, Column, Filters, Report
from .sql import JST_OFFSET, fetch, fetch_by_buyer

__all__ = ["SEGMENTS", "rfm", "segment_for", "segment_labels", "thresholds"]

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


def segment_labels() -> dict[str, str]:
    """Each segment's name in the UI language, for the terminal (files keep ``SEGMENTS``)."""
    return {
        "champions": t("reports.segment.champions"),
        "loyal": t("reports.segment.loyal"),
        "potential loyalists": t("reports.segment.potential_loyalists"),
        "new": t("reports.segment.new"),
        "promising": t("reports.segment.promising"),
        "need attention": t("reports.segment.need_attention"),
        "about to sleep": t("reports.segment.about_to_sleep"),
        "at risk": t("reports.segment.at_risk"),
        "cannot lose them": t("reports.segment.cannot_lose_them"),
        "hibernating": t("reports.segment.hibernating"),
        "lost": t("reports.segment.lost"),
    }


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


# Recency and monetary scores are percentiles among the buyers: score = 1 +
# min(4, floor(5 * PERCENT_RANK)), so tied buyers score alike. Sorting every buyer
# twice in SQL is slow on a big store, so the ranks come from histograms (buyers
# per last-order day, per revenue) and become four thresholds per score, which the
# per-buyer pass then applies. Recency is ranked by Japan-time day. Frequency is
# scored on the order count itself: in a small shop most buyers order once, so
# frequency percentiles would collapse into two scores.
# Grouped by buyer_no (read from orders_buyer in its order, no sort); only
# --detail looks up each buyer's pseudonym, from one of their orders. Buyers are
# independent: each statement runs once per range of buyer numbers, the ranges at the
# same time (sql.fetch_by_buyer), and the histograms and score cells add up.
_PER_BUYER = """
per_buyer AS MATERIALIZED (
    SELECT o.buyer_no AS buyer_no, MAX(o.ordered_at) AS last_at, COUNT(*) AS orders,
           SUM(o.grand_total) AS revenue, MIN(o.id) AS some_order
    FROM orders o INDEXED BY orders_buyer
    WHERE o.buyer_no BETWEEN :first_no AND :last_no AND {where} GROUP BY o.buyer_no
)
"""
_HISTOGRAMS = (
    "WITH "
    + _PER_BUYER
    + f"""
SELECT 'r' AS axis, (last_at + {JST_OFFSET}) / 86400 AS value, COUNT(*) AS buyers
FROM per_buyer GROUP BY 2
UNION ALL
SELECT 'm', revenue, COUNT(*) FROM per_buyer GROUP BY 2
"""
)
_SCORES = f"""
    CASE WHEN (last_at + {JST_OFFSET}) / 86400 >= :r5 THEN 5
         WHEN (last_at + {JST_OFFSET}) / 86400 >= :r4 THEN 4
         WHEN (last_at + {JST_OFFSET}) / 86400 >= :r3 THEN 3
         WHEN (last_at + {JST_OFFSET}) / 86400 >= :r2 THEN 2 ELSE 1 END AS r,
    CASE WHEN orders >= 6 THEN 5 WHEN orders >= 4 THEN 4 ELSE orders END AS f,
    CASE WHEN revenue >= :m5 THEN 5 WHEN revenue >= :m4 THEN 4
         WHEN revenue >= :m3 THEN 3 WHEN revenue >= :m2 THEN 2 ELSE 1 END AS m
"""
# The segments depend on R and F only, so the summary needs one pass: buyers counted
# per last-order day and capped order count, from which Python takes the recency
# thresholds and then each cell's scores. (M is scored for --detail only.)
_CELLS = (
    "WITH "
    + _PER_BUYER
    + f"""
SELECT (last_at + {JST_OFFSET}) / 86400 AS day, MIN(orders, 6) AS orders_cap,
       COUNT(*) AS buyers, SUM(orders) AS orders, SUM(revenue) AS revenue,
       SUM(last_at) AS last_at_sum
FROM per_buyer GROUP BY 1, 2
"""
)
_DETAIL = (
    "WITH "
    + _PER_BUYER
    + f"""
SELECT (SELECT buyer FROM orders WHERE id = some_order) AS buyer,
       CAST((:ref - last_at) / 86400 AS INTEGER) AS recency_days, orders, revenue,
       {_SCORES}
FROM per_buyer ORDER BY buyer
"""
)
_LATEST = "SELECT MAX(o.ordered_at) AS latest FROM orders o WHERE {where}"
_NEVER = 2**62  # a threshold no value reaches: that score is not given


def thresholds(histogram: dict[int, int], prefix: str) -> dict[str, int]:
    """``{prefix}2 … {prefix}5``: the smallest value scoring at least 2 … 5, where a
    value's score is 1 + min(4, floor(5 * PERCENT_RANK)) among all buyers."""
    total = sum(histogram.values())
    out = {f"{prefix}{score}": _NEVER for score in range(2, 6)}
    below = 0
    for value in sorted(histogram):
        rank = below / (total - 1) if total > 1 else 0.0
        score = 1 + min(4, int(rank * 5))
        for s in range(2, score + 1):
            out[f"{prefix}{s}"] = min(out[f"{prefix}{s}"], value)
        below += histogram[value]
    return out


def _score_params(conn: Connection, filters: Filters) -> dict[str, int]:
    days: dict[int, int] = defaultdict(int)
    money: dict[int, int] = defaultdict(int)
    for row in fetch_by_buyer(conn, _HISTOGRAMS, filters):
        (days if row["axis"] == "r" else money)[int(row["value"])] += int(row["buyers"])
    return {**thresholds(days, "r"), **thresholds(money, "m")}


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
    labels = {("segment", name): label for name, label in segment_labels().items()}
    if detail:
        scores = _score_params(conn, filters)
        buyers = fetch_by_buyer(conn, _DETAIL, filters, ref=ref, **scores)
        buyers.sort(key=itemgetter("buyer"))  # sorted runs, one per range: a quick merge
        for buyer in buyers:
            buyer["segment"] = segment_for(buyer["r"], buyer["f"])
        return Report.build(
            "rfm",
            t("reports.title.rfm_detail"),
            _DETAIL_COLUMNS,
            buyers,
            None,
            params={
                **filters.describe(),
                "detail": True,
                "min_group": None,
                "recency_from": _day(ref),
            },
            notice=t("reports.rfm.detail_notice"),
            labels=labels,
        )
    cells = fetch_by_buyer(conn, _CELLS, filters)
    days: dict[int, int] = defaultdict(int)
    for cell in cells:
        days[int(cell["day"])] += int(cell["buyers"])
    r_from = thresholds(days, "r")
    totals: dict[str, dict[str, int]] = defaultdict(
        lambda: {"buyers": 0, "orders": 0, "revenue": 0, "recency": 0}
    )
    for cell in cells:
        r = 1 + sum(int(cell["day"]) >= r_from[f"r{score}"] for score in range(2, 6))
        capped = int(cell["orders_cap"])
        seg = totals[segment_for(r, 5 if capped >= 6 else 4 if capped >= 4 else capped)]
        seg["buyers"] += int(cell["buyers"])
        seg["orders"] += int(cell["orders"])
        seg["revenue"] += int(cell["revenue"])
        seg["recency"] += int(cell["buyers"]) * ref - int(cell["last_at_sum"])
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
        t("reports.title.rfm"),
        _COLUMNS,
        rows,
        filters,
        params={"recency_from": _day(ref)},
        chart=Chart("bars", x="segment", y="buyers", title=t("reports.chart.rfm")),
        labels=labels,
    )

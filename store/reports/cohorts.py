"""``cohorts``: buyers grouped by the month of their first order, followed month
by month: how many still buy (count and share of the cohort) and the cumulative
revenue per cohort buyer.

A cell is suppressed when fewer than k of the cohort bought that month, since
its figures then describe those few. Cumulative revenue is withheld with it:
``cum(m) - cum(m-1)`` is the month's revenue. A difference across a hidden run
of months (``cum(m+j) - cum(m-1)``) always includes the published month ``m+j``,
whose k or more buyers take part, so no small group's spending is singled out.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection

from kamei.errors import ConfigError
from kamei.i18n import t

from .disclosure import suppress
from .model import Chart, Column, Filters, Report
from .sql import JST_OFFSET, fetch_by_buyer

__all__ = ["cohorts"]

_COLUMNS = (
    Column("cohort", "month", key=True),
    Column("months_since", "int", key=True),
    Column("cohort_buyers"),
    Column("buyers"),
    Column("retention", "ratio"),
    Column("cumulative_revenue_per_buyer", "yen"),
    Column("suppressed", "text"),
)

# A month as the number YYYYMM (Japan time): one strftime per value, which is most of
# the per-order work here; months since the cohort are counted in Python.
_MONTH = "CAST(strftime('%Y%m', {t} + {off}, 'unixepoch') AS INTEGER)"
# Each buyer's first order comes from a window over orders_buyer (already in
# buyer and time order: no sort, no join); then one row per buyer and month, counted.
# Buyers are independent: one statement per range of buyer numbers, the ranges at
# the same time (sql.fetch_by_buyer); their cells add up.
_SQL = """
WITH marked AS (
    SELECT o.buyer_no AS buyer, o.ordered_at AS ordered_at, o.grand_total AS grand_total,
           MIN(o.ordered_at) OVER (PARTITION BY o.buyer_no) AS first_at
    FROM orders o INDEXED BY orders_buyer
    WHERE o.buyer_no BETWEEN :first_no AND :last_no AND {first_where}
),
per_buyer AS (
    SELECT {cohort} AS cohort, {month} AS month, SUM(grand_total) AS revenue
    FROM marked
    WHERE (:f_start IS NULL OR (ordered_at >= :f_start AND first_at >= :f_start))
      AND (:f_end IS NULL OR ordered_at < :f_end)
    GROUP BY buyer, 2
)
SELECT cohort, month, COUNT(*) AS buyers, SUM(revenue) AS revenue
FROM per_buyer GROUP BY 1, 2
"""


def _month_index(yyyymm: int) -> int:
    """Months since year 0, so month differences are plain subtraction."""
    return yyyymm // 100 * 12 + yyyymm % 100 - 1


def cohorts(conn: Connection, filters: Filters | None = None, *, months: int = 12) -> Report:
    filters = filters or Filters()
    if months < 0:
        raise ConfigError(t("reports.months"))
    # "First" means first ever (within the shops and platforms asked for); the date
    # range picks which cohorts are shown and which orders count.
    undated = Filters(filters.shops, filters.platforms, min_group=filters.min_group)
    sql = _SQL.format(
        first_where=undated.where("o")[0],
        cohort=_MONTH.format(t="first_at", off=JST_OFFSET),
        month=_MONTH.format(t="ordered_at", off=JST_OFFSET),
    )
    cells: dict[int, dict[int, dict[str, int]]] = defaultdict(dict)
    for row in fetch_by_buyer(conn, sql, undated, f_start=filters.start, f_end=filters.end):
        cohort = _month_index(int(row["cohort"]))
        since = _month_index(int(row["month"])) - cohort
        sums = cells[cohort].setdefault(since, {"buyers": 0, "revenue": 0})
        sums["buyers"] += int(row["buyers"])
        sums["revenue"] += int(row["revenue"])
    rows: list[dict[str, Any]] = []
    for cohort in sorted(cells):
        by_month = cells[cohort]
        size = int(by_month[0]["buyers"]) if 0 in by_month else 0
        cumulative = 0
        for m in range(0, max(by_month) + 1):
            cell = by_month.get(m)
            cumulative += int(cell["revenue"]) if cell else 0
            if m > months:
                continue
            buyers = int(cell["buyers"]) if cell else 0
            rows.append(
                {
                    "cohort": f"{cohort // 12:04d}-{cohort % 12 + 1:02d}",
                    "months_since": m,
                    "cohort_buyers": size,
                    "buyers": buyers,
                    "retention": round(buyers / size, 4) if size else None,
                    "cumulative_revenue_per_buyer": round(cumulative / size) if size else None,
                }
            )
    suppress(rows, k=filters.min_group, keys=("cohort", "months_since"))
    return Report.build(
        "cohorts",
        t("reports.title.cohorts"),
        _COLUMNS,
        rows,
        filters,
        params={"months": months},
        chart=Chart(
            "heatmap",
            x="months_since",
            y="retention",
            series="cohort",
            title=t("reports.chart.cohorts"),
        ),
    )

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

from .disclosure import suppress
from .model import Chart, Column, Filters, Report
from .sql import JST_OFFSET, fetch

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

# Months since year 0 (Japan time), so month differences are plain subtraction.
_MONTH = (
    "(CAST(strftime('%Y', {t} + {off}, 'unixepoch') AS INTEGER) * 12"
    " + CAST(strftime('%m', {t} + {off}, 'unixepoch') AS INTEGER) - 1)"
)
_SQL = """
WITH first AS (
    SELECT o.buyer, MIN(o.ordered_at) AS first_at FROM orders o WHERE {first_where}
    GROUP BY o.buyer
)
SELECT {cohort} AS cohort, {month} - {cohort} AS months_since,
       COUNT(DISTINCT o.buyer) AS buyers, SUM(o.grand_total) AS revenue
FROM orders o JOIN first f ON f.buyer = o.buyer
WHERE {{where}} AND (:f_start IS NULL OR f.first_at >= :f_start) GROUP BY 1, 2
"""


def cohorts(conn: Connection, filters: Filters | None = None, *, months: int = 12) -> Report:
    filters = filters or Filters()
    if months < 0:
        raise ConfigError("--months must be 0 or more, e.g. --months 12")
    # "First" means first ever (within the shops and platforms asked for); the date
    # range picks which cohorts are shown and which orders count.
    undated = Filters(filters.shops, filters.platforms, min_group=filters.min_group)
    sql = _SQL.format(
        first_where=undated.where("o")[0],
        cohort=_MONTH.format(t="f.first_at", off=JST_OFFSET),
        month=_MONTH.format(t="o.ordered_at", off=JST_OFFSET),
    )
    cells: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
    for row in fetch(conn, sql, filters, f_start=filters.start):
        cells[int(row["cohort"])][int(row["months_since"])] = row
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
        "monthly first-purchase cohorts",
        _COLUMNS,
        rows,
        filters,
        params={"months": months},
        chart=Chart(
            "heatmap", x="months_since", y="retention", series="cohort", title="retention by cohort"
        ),
    )

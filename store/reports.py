"""Reports over the store only, with disclosure control.

Every report groups orders; a group (row) with fewer distinct buyers than
``min_group`` (k, default 5) is *suppressed*: its figures are withheld and the
row says so, rather than silently vanishing. Reports here publish no totals
across groups, so no suppressed figure can be recovered by subtraction.
Pseudonyms never appear in a report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text

from kamei.errors import ConfigError

__all__ = ["DEFAULT_MIN_GROUP", "PERIODS", "SALES_COLUMNS", "Report", "sales"]

DEFAULT_MIN_GROUP = 5
PERIODS = {"day": "%Y-%m-%d", "week": "%Y-W%W", "month": "%Y-%m", "year": "%Y"}
_JST_OFFSET = 9 * 3600  # periods are Japanese calendar days


@dataclass(frozen=True, slots=True)
class Report:
    name: str
    columns: tuple[str, ...]
    rows: list[dict[str, Any]]
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def suppressed(self) -> int:
        return sum(1 for row in self.rows if row.get("suppressed"))

    def meta(self) -> dict[str, Any]:
        return {
            "report": self.name,
            "params": self.params,
            "suppressed_rows": self.suppressed,
            "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }


_SALES_SQL = """
WITH first_order AS (
    SELECT buyer, MIN(ordered_at) AS first_at
    FROM orders WHERE status != 'cancelled' GROUP BY buyer
),
units AS (
    SELECT order_key, SUM(quantity) AS units FROM order_lines GROUP BY order_key
)
SELECT strftime(:fmt, o.ordered_at + :offset, 'unixepoch') AS period,
       s.name AS shop,
       COUNT(*) AS orders,
       SUM(o.grand_total) AS revenue,
       COALESCE(SUM(u.units), 0) AS units,
       COUNT(DISTINCT o.buyer) AS buyers,
       COUNT(DISTINCT CASE WHEN f.first_at = o.ordered_at THEN o.buyer END) AS new_buyers
FROM orders o
JOIN shops s ON s.id = o.shop_id
JOIN first_order f ON f.buyer = o.buyer
LEFT JOIN units u ON u.order_key = o.order_key
WHERE o.status != 'cancelled'
  AND (:start IS NULL OR o.ordered_at >= :start)
  AND (:end IS NULL OR o.ordered_at < :end)
  {shop_filter}
GROUP BY period, s.name
ORDER BY period, s.name
"""

SALES_COLUMNS = (
    "period", "shop", "orders", "revenue", "units", "buyers",
    "new_buyers", "returning_buyers", "average_order_value", "suppressed",
)  # fmt: skip


def sales(
    conn: Connection,
    *,
    by: str = "month",
    shops: Sequence[str] = (),
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    min_group: int = DEFAULT_MIN_GROUP,
) -> Report:
    """Orders, revenue, units, buyers (new/returning) and AOV per period and shop.

    Cancelled orders are left out. Periods follow Japan time.
    """
    if by not in PERIODS:
        raise ConfigError(f"--by must be one of {', '.join(PERIODS)}, not {by!r}")
    if min_group < 1:
        raise ConfigError("--min-group must be at least 1")
    params: dict[str, Any] = {
        "fmt": PERIODS[by],
        "offset": _JST_OFFSET,
        "start": int(start.timestamp()) if start else None,
        "end": int(end.timestamp()) if end else None,
    }
    shop_filter = ""
    if shops:
        names = {f"shop{i}": name for i, name in enumerate(shops)}
        shop_filter = "AND s.name IN (" + ", ".join(f":{k}" for k in names) + ")"
        params.update(names)
    rows = []
    for row in conn.execute(text(_SALES_SQL.format(shop_filter=shop_filter)), params).mappings():
        out = dict(row)
        if out["buyers"] < min_group:
            rows.append({"period": out["period"], "shop": out["shop"], "suppressed": True})
            continue
        out["returning_buyers"] = out["buyers"] - out["new_buyers"]
        out["average_order_value"] = round(out["revenue"] / out["orders"]) if out["orders"] else 0
        out["suppressed"] = False
        rows.append(out)
    return Report(
        name="sales",
        columns=SALES_COLUMNS,
        rows=rows,
        params={
            "by": by,
            "shops": list(shops),
            "min_group": min_group,
            "start": start.isoformat() if start else None,
            "end": end.isoformat() if end else None,
        },
    )

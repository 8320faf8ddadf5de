"""``products``: per product (or product and variation) revenue, units, orders,
distinct buyers and repeat buyers (buyers who ordered it in two or more orders).

No totals are published across products, so primary suppression is enough.
Published rows are ranked by revenue; suppressed rows follow, unranked and in
name order, because a rank would place a hidden figure between two shown ones.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from kamei.errors import ConfigError
from kamei.i18n import t

from .disclosure import suppress
from .model import Chart, Column, Filters, Report
from .sql import LINES, fetch_lines, product_names

__all__ = ["products"]

_COLUMNS = (
    Column("rank"),
    Column("product_id", "text", key=True),
    Column("product", "text", key=True),
    Column("variation", "text", key=True),
    Column("revenue", "yen"),
    Column("units"),
    Column("orders"),
    Column("buyers"),
    Column("repeat_buyers"),
    Column("suppressed", "text"),
)


def products(
    conn: Connection,
    filters: Filters | None = None,
    *,
    top: int | None = None,
    variations: bool = False,
) -> Report:
    filters = filters or Filters()
    if top is not None and top < 1:
        raise ConfigError(t("reports.top", example=20))
    variation = "COALESCE(l.variation, '')" if variations else "''"
    rows = _rows(conn, filters, variation)
    suppress(rows, k=filters.min_group, keys=("product_id", "product", "variation"))
    shown = sorted((r for r in rows if not r["suppressed"]), key=lambda r: -r["revenue"])
    hidden = sorted(
        (r for r in rows if r["suppressed"]), key=lambda r: (r["product"], r["variation"])
    )
    shown = shown[:top] if top else shown
    for rank, row in enumerate(shown, start=1):
        row["rank"] = rank
    for row in hidden:
        row["rank"] = None
    columns = _COLUMNS if variations else tuple(c for c in _COLUMNS if c.name != "variation")
    return Report.build(
        "products",
        t("reports.title.products_variations" if variations else "reports.title.products"),
        columns,
        shown + hidden,
        filters,
        params={"top": top, "variations": variations},
        chart=Chart("bars", x="product", y="revenue", title=t("reports.chart.products")),
    )


# Lines are summed per product and buyer (by their numbers: fast to sort), counting
# the buyer's distinct orders of it, then per product: "orders" counts orders, and a
# repeat buyer is one with two or more orders of the product.
_SQL = """
WITH per_buyer AS (
    SELECT l.product_no AS product_no, {variation} AS variation, l.buyer_no AS buyer,
           SUM(l.subtotal) AS revenue, SUM(l.quantity) AS units,
           COUNT(DISTINCT l.order_id) AS orders
    FROM {lines} WHERE {{where}}
    GROUP BY 3, 1, 2 -- buyer first: the sorter compares mostly-distinct integers
)
SELECT product_no, variation, SUM(revenue) AS revenue, SUM(units) AS units,
       SUM(orders) AS orders, COUNT(*) AS buyers, SUM(orders >= 2) AS repeat_buyers
FROM per_buyer GROUP BY product_no, variation
"""


def _rows(conn: Connection, filters: Filters, variation: str) -> list[dict[str, Any]]:
    names = product_names(conn, variations=variation != "''")
    rows = fetch_lines(conn, _SQL.format(variation=variation, lines=LINES), filters)
    for row in rows:
        product = names[(int(row.pop("product_no")), str(row["variation"]))]
        row["product_id"], row["product"] = product.product_id, product.name
        row["variation"] = row["variation"] or None
    return rows

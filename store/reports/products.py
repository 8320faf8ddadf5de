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

from .disclosure import suppress
from .model import Chart, Column, Filters, Report
from .sql import LINES_OF_ORDERS, fetch

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
        raise ConfigError("--top must be at least 1, e.g. --top 20")
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
        "products by revenue" + (" and variation" if variations else ""),
        columns,
        shown + hidden,
        filters,
        params={"top": top, "variations": variations},
        chart=Chart("bars", x="product", y="revenue", title="revenue by product"),
    )


# Lines are read with their orders in order_key order (LINES_OF_ORDERS), summed per
# order and product, then per buyer, then per product: "orders" counts orders,
# and a repeat buyer is one with two or more orders of the product.
_SQL = """
WITH per_order AS (
    SELECT l.product_id AS product_id, {variation} AS variation, o.buyer AS buyer,
           SUM(l.subtotal) AS revenue, SUM(l.quantity) AS units
    FROM {lines} WHERE {{where}}
    GROUP BY o.order_key, l.product_id, 2
),
per_buyer AS (
    SELECT product_id, variation, buyer, SUM(revenue) AS revenue, SUM(units) AS units,
           COUNT(*) AS orders
    FROM per_order GROUP BY product_id, variation, buyer
)
SELECT product_id, variation, SUM(revenue) AS revenue, SUM(units) AS units,
       SUM(orders) AS orders, COUNT(*) AS buyers, SUM(orders >= 2) AS repeat_buyers
FROM per_buyer GROUP BY product_id, variation
"""
# A name for each product: the one on its latest stored line (names are "as
# ordered" and may change); MAX(rowid) comes from order_lines_product alone.
_NAMES = """
SELECT product_id, {variation} AS variation, product_name FROM order_lines l
WHERE rowid IN (SELECT MAX(rowid) FROM order_lines l GROUP BY product_id, {variation})
"""


def _rows(conn: Connection, filters: Filters, variation: str) -> list[dict[str, Any]]:
    # With --variations, each variation's own name (names as ordered often carry
    # the variation, so one product-wide name would mislabel the others).
    names = {
        (str(r["product_id"]), str(r["variation"])): str(r["product_name"])
        for r in fetch(conn, _NAMES.format(variation=variation), filters)
    }
    rows = fetch(conn, _SQL.format(variation=variation, lines=LINES_OF_ORDERS), filters)
    for row in rows:
        key = (str(row["product_id"]), str(row["variation"]))
        row["product"] = names.get(key, row["product_id"])
        row["variation"] = row["variation"] or None
    return rows

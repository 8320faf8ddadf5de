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
from .sql import fetch

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


def _rows(conn: Connection, filters: Filters, variation: str) -> list[dict[str, Any]]:
    # One row per (product, variation, order) first, so "orders" counts orders and
    # "repeat buyers" can be told from buyers; repeat = buyers minus those whose
    # only order of the product this is.
    sql = _REPEAT_SQL.format(line_variation=variation)
    rows = fetch(conn, sql, filters)
    for row in rows:
        row["variation"] = row["variation"] or None
    return rows


_REPEAT_SQL = """
WITH per_order AS (
    SELECT l.product_id AS product_id, MAX(l.product_name) AS product,
           {line_variation} AS variation, o.buyer AS buyer,
           SUM(l.subtotal) AS revenue, SUM(l.quantity) AS units
    FROM orders o JOIN order_lines l ON l.order_key = o.order_key
    WHERE {{where}}
    GROUP BY l.product_id, {line_variation}, o.order_key
),
per_buyer AS (
    SELECT product_id, MAX(product) AS product, variation, buyer,
           SUM(revenue) AS revenue, SUM(units) AS units, COUNT(*) AS orders
    FROM per_order GROUP BY product_id, variation, buyer
)
SELECT product_id, MAX(product) AS product, variation, SUM(revenue) AS revenue,
       SUM(units) AS units, SUM(orders) AS orders, COUNT(*) AS buyers,
       SUM(orders >= 2) AS repeat_buyers
FROM per_buyer GROUP BY product_id, variation
"""

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
from .sql import fetch_together, named_products, names_query, number_ranges, on_lines

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


# Lines are grouped per product and buyer (a buyer's orders of it: distinct order ids),
# then per product: "orders" counts orders, and a repeat buyer is one with two or
# more orders of the product. order_lines_product is read in product order, so the
# sort of the inner groups starts from nearly sorted input, and the outer grouping
# follows the inner ORDER BY with no second sort. Products are independent groups:
# one statement per range of product numbers, run at the same time
# (sql.fetch_together). With variations, groups are (product, variation); NULL and ""
# are one variation.
_SQL = """
SELECT product_no, variation, SUM(revenue) AS revenue, SUM(units) AS units,
       SUM(orders) AS orders, COUNT(*) AS buyers, SUM(orders >= 2) AS repeat_buyers
FROM (
    SELECT l.product_no AS product_no, {variation} AS variation,
           SUM(l.subtotal) AS revenue, SUM(l.quantity) AS units,
           COUNT(DISTINCT l.order_id) AS orders
    FROM order_lines l INDEXED BY order_lines_product
    WHERE l.product_no BETWEEN :first_no AND :last_no AND {{where}}
    GROUP BY 1, 2, l.buyer_no ORDER BY 1, 2, l.buyer_no
) GROUP BY product_no, variation
"""


def _rows(conn: Connection, filters: Filters, variation: str) -> list[dict[str, Any]]:
    sql = _SQL.format(variation=variation)
    *parts, names = fetch_together(
        conn,
        *(on_lines(sql, filters, **bounds) for bounds in number_ranges()),
        names_query(variations=variation != "''"),
    )
    products = named_products(names)
    rows = [row for part in parts for row in part]
    for row in rows:
        product = products[(int(row.pop("product_no")), str(row["variation"]))]
        row["product_id"], row["product"] = product.product_id, product.name
        row["variation"] = row["variation"] or None
    return rows

"""``baskets``: pairs of products bought in the same order.

For a pair A, B over N counted orders: support = orders with both / N,
confidence A→B = orders with both / orders with A, lift = confidence A→B /
(orders with B / N). A pair's group is the buyers who bought both in one order;
pairs with fewer than k such buyers are suppressed. Unlike other reports they
are not listed one by one: the mere existence of a rare pair (say, a pregnancy
test with a hair-growth tonic) can point at its buyer, so one row counts them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from kamei.errors import ConfigError

from .disclosure import SMALL_GROUP, suppress
from .model import Column, Filters, Report
from .sql import LINES_OF_ORDERS, fetch

__all__ = ["SUPPRESSED_PAIRS", "baskets"]

SUPPRESSED_PAIRS = "(pairs under k buyers)"

_COLUMNS = (
    Column("product_a", "text", key=True),
    Column("product_b", "text", key=True),
    Column("orders"),
    Column("buyers"),
    Column("support", "ratio"),
    Column("confidence_a_to_b", "ratio"),
    Column("confidence_b_to_a", "ratio"),
    Column("lift", "float"),
    Column("suppressed", "text"),
)

# Each order's distinct products, read with LINES_OF_ORDERS in order_key order and
# kept in a temporary table; pairs are a self-join on it. Per-product order counts
# (rows with pair = 0) come from the same table.
_SQL = """
WITH items AS MATERIALIZED (
    SELECT o.order_key AS order_key, o.buyer AS buyer, l.product_id AS product_id
    FROM {lines} WHERE {{where}} GROUP BY o.order_key, l.product_id
)
SELECT 1 AS pair, a.product_id AS a, b.product_id AS b, COUNT(*) AS orders,
       COUNT(DISTINCT a.buyer) AS buyers
FROM items a JOIN items b ON b.order_key = a.order_key AND b.product_id > a.product_id
GROUP BY 2, 3
UNION ALL
SELECT 0, product_id, NULL, COUNT(*), NULL FROM items GROUP BY product_id
"""
_NAMES = """
SELECT product_id, product_name FROM order_lines
WHERE rowid IN (SELECT MAX(rowid) FROM order_lines GROUP BY product_id)
"""
_ORDERS = "SELECT COUNT(*) AS n FROM orders o WHERE {where}"


def baskets(conn: Connection, filters: Filters | None = None, *, top: int | None = 50) -> Report:
    filters = filters or Filters()
    if top is not None and top < 1:
        raise ConfigError("--top must be at least 1, e.g. --top 50")
    (total,) = fetch(conn, _ORDERS, filters)
    n = int(total["n"])
    names = {r["product_id"]: r["product_name"] for r in fetch(conn, _NAMES, filters)}
    found = fetch(conn, _SQL.format(lines=LINES_OF_ORDERS), filters)
    products = {
        r["a"]: {"name": names.get(r["a"], r["a"]), "orders": int(r["orders"])}
        for r in found
        if not r["pair"]
    }
    rows: list[dict[str, Any]] = []
    for pair in (r for r in found if r["pair"]):
        a, b = products[pair["a"]], products[pair["b"]]
        both = int(pair["orders"])
        rows.append(
            {
                "product_a": a["name"],
                "product_b": b["name"],
                "orders": both,
                "buyers": int(pair["buyers"]),
                "support": round(both / n, 6),
                "confidence_a_to_b": round(both / a["orders"], 4),
                "confidence_b_to_a": round(both / b["orders"], 4),
                "lift": round(both * n / (a["orders"] * b["orders"]), 3),
            }
        )
    suppress(rows, k=filters.min_group, keys=("product_a", "product_b"))
    shown = sorted(
        (r for r in rows if not r["suppressed"]),
        key=lambda r: (-r["orders"], r["product_a"], r["product_b"]),
    )
    hidden = len(rows) - len(shown)
    out = shown[:top] if top else shown
    if hidden:
        summary_row: dict[str, Any] = {c.name: None for c in _COLUMNS}
        summary_row.update(
            product_a=SUPPRESSED_PAIRS, product_b=f"{hidden} pairs", suppressed=SMALL_GROUP
        )
        out.append(summary_row)
    return Report.build(
        "baskets",
        "products bought together",
        _COLUMNS,
        out,
        filters,
        params={"top": top},
    )

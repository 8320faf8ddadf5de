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
from kamei.i18n import t

from .disclosure import SMALL_GROUP, suppress
from .model import Column, Filters, Report
from .sql import (
    LINES,
    cores,
    fetch_together,
    named_products,
    names_query,
    number_ranges,
    on_lines,
    on_orders,
)

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

# Pairs: each counted line joined to the later-numbered products of its order. The
# lines of an order sit together in order_lines_report (its key leads with the
# order's time, status, shop, platform and id), so each join is one step into the
# pages being read. An order with a product on two lines counts once (DISTINCT).
# An order has one buyer, so buyers split the pairs' orders and buyers into shares
# that add up: one statement per range of buyer numbers, run at the same time as the
# per-product order counts (sql.fetch_together).
_PAIRS = """
SELECT l.product_no AS a, b.product_no AS b, COUNT(DISTINCT l.order_id) AS orders,
       COUNT(DISTINCT l.buyer_no) AS buyers
FROM {lines} CROSS JOIN order_lines b INDEXED BY order_lines_report
    ON b.ordered_at = l.ordered_at AND b.status = l.status AND b.shop_id = l.shop_id
   AND b.platform = l.platform AND b.order_id = l.order_id AND b.product_no > l.product_no
WHERE l.buyer_no BETWEEN :first_no AND :last_no AND {{where}}
GROUP BY 1, 2
"""
_PRODUCT_ORDERS = """
SELECT l.product_no AS a, COUNT(DISTINCT l.order_id) AS orders
FROM order_lines l INDEXED BY order_lines_product WHERE {where} GROUP BY l.product_no
"""
_ORDERS = "SELECT COUNT(*) AS n FROM orders o WHERE {where}"


def baskets(conn: Connection, filters: Filters | None = None, *, top: int | None = 50) -> Report:
    filters = filters or Filters()
    if top is not None and top < 1:
        raise ConfigError(t("reports.top", example=50))
    pairs_sql = _PAIRS.format(lines=LINES)
    ranges = number_ranges(cores())  # each range reads all the lines: as few as the cores
    *pair_parts, per_product, named, (total,) = fetch_together(
        conn,
        *(on_lines(pairs_sql, filters, **bounds) for bounds in ranges),
        on_lines(_PRODUCT_ORDERS, filters),
        names_query(),
        on_orders(_ORDERS, filters),
    )
    n = int(total["n"])
    names = {number: product for (number, _), product in named_products(named).items()}
    # Orders per product, with the product's id and name.
    products = {r["a"]: (names[r["a"]], int(r["orders"])) for r in per_product}
    found: dict[tuple[int, int], dict[str, int]] = {}
    for part in pair_parts:
        for pair in part:
            sums = found.setdefault((pair["a"], pair["b"]), {"orders": 0, "buyers": 0})
            sums["orders"] += int(pair["orders"])
            sums["buyers"] += int(pair["buyers"])
    rows: list[dict[str, Any]] = []
    for (pair_a, pair_b), pair in found.items():
        # Each pair is read once, in product-number order; show it in product-id order.
        (a, a_orders), (b, b_orders) = sorted(
            (products[pair_a], products[pair_b]), key=lambda p: p[0].product_id
        )
        both = int(pair["orders"])
        rows.append(
            {
                "product_a": a.name,
                "product_b": b.name,
                "orders": both,
                "buyers": int(pair["buyers"]),
                "support": round(both / n, 6),
                "confidence_a_to_b": round(both / a_orders, 4),
                "confidence_b_to_a": round(both / b_orders, 4),
                "lift": round(both * n / (a_orders * b_orders), 3),
            }
        )
    suppress(rows, k=filters.min_group, keys=("product_a", "product_b"))
    shown = sorted(
        (r for r in rows if not r["suppressed"]),
        key=lambda r: (-r["orders"], r["product_a"], r["product_b"]),
    )
    hidden = len(rows) - len(shown)
    labels: dict[tuple[str, str], str] = {}
    out = shown[:top] if top else shown
    if hidden:
        summary_row: dict[str, Any] = {c.name: None for c in _COLUMNS}
        summary_row.update(
            product_a=SUPPRESSED_PAIRS, product_b=f"{hidden} pairs", suppressed=SMALL_GROUP
        )
        out.append(summary_row)
        labels = {
            ("product_a", SUPPRESSED_PAIRS): t("reports.label.pairs_under_k"),
            ("product_b", f"{hidden} pairs"): t("reports.label.hidden_pairs", count=hidden),
        }
    return Report.build(
        "baskets",
        t("reports.title.baskets"),
        _COLUMNS,
        out,
        filters,
        params={"top": top},
        labels=labels,
    )

"""SQL pieces the reports share: the period expression and the filtered orders."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, text

from .model import Filters

__all__ = [
    "JST_OFFSET",
    "LINES",
    "PERIODS",
    "Product",
    "fetch",
    "fetch_lines",
    "period_sql",
    "product_names",
]

JST_OFFSET = 9 * 3600  # periods are Japanese calendar days, whatever the machine's zone
PERIODS = {"day": "%Y-%m-%d", "week": "%Y-W%W", "month": "%Y-%m", "year": "%Y"}

# Order lines for the line reports. Each line carries its order's time, status,
# shop, platform and buyer number (migration 5), so the filters apply to ``l`` directly and
# a report reads this one covering index in time order, with no join to orders.
LINES = "order_lines l INDEXED BY order_lines_report"


def period_sql(column: str, by: str) -> str:
    """``strftime`` of a Unix-seconds ``column`` in Japan time (``by`` is checked)."""
    return f"strftime('{PERIODS[by]}', {column} + {JST_OFFSET}, 'unixepoch')"


def fetch(conn: Connection, sql: str, filters: Filters, **params: Any) -> list[dict[str, Any]]:
    """Run ``sql`` with ``{where}`` replaced by the filters' conditions on orders ``o``."""
    return _fetch(conn, sql, filters.where("o"), params)


def fetch_lines(conn: Connection, sql: str, filters: Filters) -> list[dict[str, Any]]:
    """Run ``sql`` with ``{where}`` replaced by the filters' conditions on order lines
    ``l`` (each line carries the filtered columns of its order)."""
    return _fetch(conn, sql, filters.where("l"), {})


def _fetch(
    conn: Connection, sql: str, where: tuple[str, dict[str, Any]], params: dict[str, Any]
) -> list[dict[str, Any]]:
    condition, bound = where
    result = conn.execute(text(sql.format(where=condition)), {**bound, **params})
    return [dict(row) for row in result.mappings()]


# A name for each product (and variation): the one on its latest stored line, as
# names are "as ordered" and may change. The latest line per group comes from
# order_lines_product alone; then one primary-key lookup per group.
_NAMES = """
SELECT latest.product_no AS product_no, {variation} AS variation, l.product_id AS product_id,
       l.product_name AS product_name
FROM (SELECT product_no, variation, MAX(order_id) AS order_id
      FROM order_lines INDEXED BY order_lines_product GROUP BY product_no{by_variation}) AS latest
CROSS JOIN order_lines l ON l.order_id = latest.order_id AND l.product_no = latest.product_no
WHERE {same_variation}
"""


@dataclass(frozen=True, slots=True)
class Product:
    product_id: str
    name: str


def product_names(conn: Connection, *, variations: bool = False) -> dict[tuple[int, str], Product]:
    """``(product_no, variation or "")`` → the product's id and latest name; the
    variation is always ``""`` unless ``variations`` (names as ordered often carry
    the variation, so with variations each keeps its own name)."""
    sql = _NAMES.format(
        variation="COALESCE(l.variation, '')" if variations else "''",
        by_variation=", variation" if variations else "",
        same_variation="l.variation IS latest.variation" if variations else "1",
    )
    return {
        (int(row.product_no), str(row.variation)): Product(
            str(row.product_id), str(row.product_name)
        )
        for row in conn.execute(text(sql))
    }

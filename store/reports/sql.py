"""SQL pieces the reports share: the period expression and the filtered orders."""

from __future__ import annotations

import concurrent.futures as cf
import os
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from sqlalchemy import Connection, text

from .model import Filters

__all__ = [
    "JST_OFFSET",
    "LINES",
    "MAX_CORES",
    "PERIODS",
    "Product",
    "Query",
    "cores",
    "fetch",
    "fetch_by_buyer",
    "fetch_together",
    "named_products",
    "names_query",
    "number_ranges",
    "on_lines",
    "on_orders",
]

JST_OFFSET = 9 * 3600  # periods are Japanese calendar days, whatever the machine's zone
PERIODS = {"day": "%Y-%m-%d", "week": "%Y-W%W", "month": "%Y-%m", "year": "%Y"}

# Order lines for the line reports. Each line carries its order's time, status,
# shop, platform and buyer number (migration 5), so the filters apply to ``l`` directly and
# a report reads this one covering index in time order, with no join to orders.
LINES = "order_lines l INDEXED BY order_lines_report"


@dataclass(frozen=True, slots=True)
class Query:
    """A report's statement with ``{where}`` filled in from its filters."""

    sql: str
    params: dict[str, Any]

    def run(self, conn: Connection) -> list[dict[str, Any]]:
        return [dict(row) for row in conn.execute(text(self.sql), self.params).mappings()]


def on_orders(sql: str, filters: Filters, **params: Any) -> Query:
    """``sql`` with ``{where}`` replaced by the filters' conditions on orders ``o``."""
    return _query(sql, filters.where("o"), params)


def on_lines(sql: str, filters: Filters, **params: Any) -> Query:
    """``sql`` with ``{where}`` replaced by the filters' conditions on order lines ``l``
    (each line carries the filtered columns of its order)."""
    return _query(sql, filters.where("l"), params)


def _query(sql: str, where: tuple[str, dict[str, Any]], params: dict[str, Any]) -> Query:
    condition, bound = where
    return Query(sql.format(where=condition), {**bound, **params})


def fetch(conn: Connection, sql: str, filters: Filters, **params: Any) -> list[dict[str, Any]]:
    """Rows of ``sql`` over orders ``o`` (see ``on_orders``)."""
    return on_orders(sql, filters, **params).run(conn)


def fetch_together(conn: Connection, *queries: Query) -> list[list[dict[str, Any]]]:
    """The rows of each of ``queries``, which run at the same time, one per core, each
    on a connection of its own from ``conn``'s engine.

    A report's big statements are sorts that SQLite runs on one core each (the
    driver lets go of the GIL while SQLite works), so a report split into
    independent statements waits for about its total over the cores rather than
    for the total. Each connection reads its own snapshot: while a sync commits,
    the parts of one report may come from committed states a few pages apart."""
    workers = min(len(queries), cores())
    if workers < 2:
        return [query.run(conn) for query in queries]
    engine = conn.engine

    def on_own_connection(query: Query) -> list[dict[str, Any]]:
        with engine.connect() as other:
            return query.run(other)

    with cf.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="kamei-report") as pool:
        return list(pool.map(on_own_connection, queries))


def fetch_by_buyer(
    conn: Connection, sql: str, filters: Filters, **params: Any
) -> list[dict[str, Any]]:
    """The rows of ``sql`` over orders ``o`` run once per range of buyer numbers
    (``:first_no``/``:last_no``), the ranges at the same time, all rows together: for
    statements whose groups are buyers' or whose figures add up over them."""
    parts = fetch_together(
        conn, *(on_orders(sql, filters, **params, **bounds) for bounds in number_ranges())
    )
    return [row for part in parts for row in part]


MAX_CORES = 4
"""The most connections a report reads through at once. Each may fill its own page
cache (up to 256 MiB) and the engine's pool holds 15 connections: a report is not
worth more of the machine than this."""


def cores() -> int:
    """How many statements of a report run at the same time: one per core, at most
    ``MAX_CORES``."""
    return max(1, min(os.cpu_count() or 1, MAX_CORES))


_NUMBERS_END = 2**63  # store.numbers: every number is in [0, 2**63)


def number_ranges(parts: int | None = None) -> list[dict[str, int]]:
    """Equal ranges of the stored numbers, as ``first_no``/``last_no`` parameters (both
    inclusive). Hashed numbers spread evenly over them, so a statement per range splits
    a report's groups into independent, similar shares. ``parts`` defaults to four per
    core, so a range with more than its share (a best-selling product) still leaves
    the other cores busy."""
    parts = parts or 4 * cores()
    bounds = [_NUMBERS_END * i // parts for i in range(parts + 1)]
    return [{"first_no": lo, "last_no": hi - 1} for lo, hi in pairwise(bounds)]


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


def names_query(*, variations: bool = False) -> Query:
    """``(product_no, variation or "")`` → the product's id and latest name, read by
    ``named_products``; the variation is always ``""`` unless ``variations`` (names as
    ordered often carry the variation, so with variations each keeps its own name)."""
    sql = _NAMES.format(
        variation="COALESCE(l.variation, '')" if variations else "''",
        by_variation=", variation" if variations else "",
        same_variation="l.variation IS latest.variation" if variations else "1",
    )
    return Query(sql, {})


def named_products(rows: list[dict[str, Any]]) -> dict[tuple[int, str], Product]:
    """The rows of ``names_query`` by ``(product_no, variation or "")``."""
    return {
        (int(row["product_no"]), str(row["variation"])): Product(
            str(row["product_id"]), str(row["product_name"])
        )
        for row in rows
    }

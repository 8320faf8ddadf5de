"""SQL pieces the reports share: the period expression and the filtered orders."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text

from .model import Filters

__all__ = ["JST_OFFSET", "LINES_OF_ORDERS", "PERIODS", "fetch", "period_sql"]

JST_OFFSET = 9 * 3600  # periods are Japanese calendar days, whatever the machine's zone
PERIODS = {"day": "%Y-%m-%d", "week": "%Y-W%W", "month": "%Y-%m", "year": "%Y"}

# Orders with their lines. Both covering indexes are walked in order_key order
# (CROSS JOIN keeps orders outside), so the join reads pages sequentially instead
# of seeking a random order for each of millions of lines (migrations 2 and 3).
LINES_OF_ORDERS = """orders o INDEXED BY orders_report_key
CROSS JOIN order_lines l INDEXED BY order_lines_report ON l.order_key = o.order_key"""


def period_sql(column: str, by: str) -> str:
    """``strftime`` of a Unix-seconds ``column`` in Japan time (``by`` is checked)."""
    return f"strftime('{PERIODS[by]}', {column} + {JST_OFFSET}, 'unixepoch')"


def fetch(conn: Connection, sql: str, filters: Filters, **params: Any) -> list[dict[str, Any]]:
    """Run ``sql`` with ``{where}`` replaced by the filters' conditions on ``o``."""
    where, bound = filters.where("o")
    result = conn.execute(text(sql.format(where=where)), {**bound, **params})
    return [dict(row) for row in result.mappings()]

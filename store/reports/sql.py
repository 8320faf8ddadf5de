"""SQL pieces the reports share: the period expression and the filtered orders."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text

from .model import Filters

__all__ = ["JST_OFFSET", "PERIODS", "fetch", "period_sql"]

JST_OFFSET = 9 * 3600  # periods are Japanese calendar days, whatever the machine's zone
PERIODS = {"day": "%Y-%m-%d", "week": "%Y-W%W", "month": "%Y-%m", "year": "%Y"}


def period_sql(column: str, by: str) -> str:
    """``strftime`` of a Unix-seconds ``column`` in Japan time (``by`` is checked)."""
    return f"strftime('{PERIODS[by]}', {column} + {JST_OFFSET}, 'unixepoch')"


def fetch(conn: Connection, sql: str, filters: Filters, **params: Any) -> list[dict[str, Any]]:
    """Run ``sql`` with ``{where}`` replaced by the filters' conditions on ``o``."""
    where, bound = filters.where("o")
    result = conn.execute(text(sql.format(where=where)), {**bound, **params})
    return [dict(row) for row in result.mappings()]

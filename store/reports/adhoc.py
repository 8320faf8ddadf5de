"""``kamei sql``: one read-only SELECT over the store, rendered like a report.

It runs on a read-only connection: ``PRAGMA query_only`` stops writes, and the
store's authorizer refuses ATTACH, key and cipher pragmas and any pragma that
changes a setting. Refusals and SQL mistakes become one clear line. The output
is not disclosure-controlled and may hold pseudonyms: it says so.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Connection

from kamei.errors import ConfigError
from kamei.i18n import t

from .model import ColumnKind, Report

__all__ = ["run_sql"]


def run_sql(conn: Connection, query: str) -> Report:
    """Run ``query`` and return its rows; refuses anything but reading."""
    if not query.strip():
        raise ConfigError(t("reports.sql.empty"))
    try:
        result = conn.exec_driver_sql(query)
        if not result.returns_rows:
            raise ConfigError(t("reports.sql.refused"))
        columns = tuple(result.keys())
        rows = [dict(zip(columns, row, strict=True)) for row in result]
    except sa.exc.DBAPIError as exc:
        raise _translate(exc) from exc
    except sqlcipher.Warning as exc:  # the driver's "one statement at a time", unwrapped
        raise ConfigError(t("reports.sql.one_statement")) from exc
    finally:
        conn.rollback()
    names = _unique(columns)
    rows = [dict(zip(names, row.values(), strict=True)) for row in rows]
    return Report(
        name="sql",
        title="kamei sql",
        columns=names,
        rows=rows,
        kinds={c: _kind(rows, c) for c in names},
        keys=names,
        params={"query": query},
        min_group=None,
        warning=t("reports.sql.notice"),
    )


def _translate(exc: sa.exc.DBAPIError) -> ConfigError:
    orig = exc.orig
    name = str(getattr(orig, "sqlite_errorname", "") or "")
    message = str(orig).splitlines()[0] if str(orig) else type(orig).__name__
    if name.startswith("SQLITE_READONLY") or name == "SQLITE_AUTH" or "not authorized" in message:
        return ConfigError(t("reports.sql.refused"))
    if "one statement at a time" in message:
        return ConfigError(t("reports.sql.one_statement"))
    # SQLite's own message names the user's mistake (a column, a syntax error).
    return ConfigError(t("reports.sql.failed", message=message))


def _unique(columns: tuple[str, ...]) -> tuple[str, ...]:
    seen: dict[str, int] = {}
    out = []
    for column in columns:
        seen[column] = seen.get(column, 0) + 1
        out.append(column if seen[column] == 1 else f"{column}_{seen[column]}")
    return tuple(out)


def _kind(rows: list[dict[str, Any]], column: str) -> ColumnKind:
    values = [r[column] for r in rows[:1000] if r[column] is not None]
    if values and all(isinstance(v, int) for v in values):
        return "int"
    if values and all(isinstance(v, int | float) for v in values):
        return "float"
    if values and all(isinstance(v, str) and _is_date(v) for v in values):
        return "date"
    return "text"


def _is_date(value: str) -> bool:
    if len(value) != 10:
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True

"""``kamei sql``: ad-hoc read-only SQL over the store, in any output format."""

from __future__ import annotations

from typing import Annotated

import typer

from . import context
from .output import Encoding, EncodingOption, Format, FormatOption, OutOption, render_report

__all__ = ["HELP", "sql"]

HELP = """Run one read-only SELECT over the store (not suppressed: check before sharing).

The store is opened read-only: INSERT, UPDATE, DELETE, CREATE, ATTACH and
PRAGMA changes are refused. Tables: shops, orders, order_lines, sync_runs
(see docs/reports.md). Results may hold buyer pseudonyms.

Example:

    kamei sql "SELECT status, COUNT(*) AS orders FROM orders GROUP BY status"
"""


def sql(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="One SELECT statement.", show_default=False)],
    fmt: FormatOption = Format.table,
    out: OutOption = None,
    encoding: EncodingOption = Encoding.utf8,
) -> None:
    from store import Store
    from store.reports import run_sql

    home = context.get(ctx).home
    with Store.open(home, readonly=True) as store, store.connect() as conn, store.db_errors():
        report = run_sql(conn, query)
    render_report(report, fmt, out=out, encoding=encoding)

"""``kamei sql``: ad-hoc read-only SQL over the store, in any output format."""

from __future__ import annotations

from typing import Annotated

import typer

from kamei.i18n import t

from . import context
from .output import Encoding, EncodingOption, Format, FormatOption, OutOption, render_report

__all__ = ["HELP", "sql"]

HELP = t("sql.help")


def sql(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help=t("sql.arg.query"), show_default=False)],
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

"""``kamei report NAME``: answers from the store that identify nobody."""

from __future__ import annotations

from typing import Annotated

import typer

from . import context
from .output import Format, FormatOption, OutOption, render

__all__ = ["app"]

app = typer.Typer(help="Reports over the store; small groups are suppressed.", no_args_is_help=True)

MinGroupOption = Annotated[
    int,
    typer.Option(
        "--min-group",
        "-k",
        help="Suppress any group with fewer distinct buyers than this.",
        min=1,
    ),
]
ShopOption = Annotated[
    list[str] | None, typer.Option("--shop", "-s", help="Only this shop (repeatable).")
]


@app.command("sales")
def sales(
    ctx: typer.Context,
    by: Annotated[
        str, typer.Option("--by", help="day, week, month or year (Japan time).")
    ] = "month",
    shop: ShopOption = None,
    min_group: MinGroupOption = 5,
    fmt: FormatOption = Format.table,
    out: OutOption = None,
) -> None:
    """Orders, revenue, units, buyers (new/returning) and average order value by period and shop.

    Example:

        kamei report sales --by month --format csv --out sales.csv
    """
    from store import Store
    from store.reports import sales as sales_report

    with Store.open(context.get(ctx).home, readonly=True) as store, store.connect() as conn:
        report = sales_report(conn, by=by, shops=shop or (), min_group=min_group)
    render(
        report.rows,
        report.columns,
        fmt,
        title=f"sales by {by} (groups under {min_group} buyers suppressed)",
        meta=report.meta(),
        out=out,
    )

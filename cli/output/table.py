"""The terminal table: rich, aligned, and aware that full-width characters
(漢字, カナ, 全角) take two columns."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from store.reports import Report

from .cells import human

__all__ = ["print_table"]

_RIGHT = frozenset({"int", "yen", "float", "ratio"})


def print_table(report: Report) -> None:
    # rich measures every cell with its East Asian width table, so 今治タオル is 10
    # columns wide and the figures beside it stay aligned.
    console = Console(soft_wrap=False)
    if not console.is_terminal:
        # Off a terminal there is no width to respect: never cut a figure short.
        console = Console(soft_wrap=False, width=max(console.width, 240))
    for line in (report.notice, report.warning):
        if line:
            typer.echo(f"kamei: {line}", err=True)
    if report.summary:
        summary = Table(title=report.title, show_header=False)
        summary.add_column("figure")
        summary.add_column("value", justify="right")
        for name, value in report.summary.items():
            summary.add_row(name, human(value, _summary_kind(name), withheld=True))
        console.print(summary)
    if not report.rows:
        typer.echo("(no rows)")
        return
    table = Table(title=None if report.summary else report.title, show_lines=False)
    for column in report.columns:
        right = report.kinds.get(column, "text") in _RIGHT
        table.add_column(column, justify="right" if right else "left", no_wrap=True)
    for row in report.rows:
        withheld = bool(row.get("suppressed"))
        table.add_row(
            *(
                human(row.get(c), report.kinds.get(c, "text"), withheld=withheld)
                for c in report.columns
            )
        )
    console.print(table)


def _summary_kind(name: str) -> str:
    return "ratio" if name.endswith(("_rate", "_share")) else "float"

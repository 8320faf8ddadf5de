"""The terminal table: rich, aligned, and aware that full-width characters
(漢字, カナ, 全角) take two columns."""

from __future__ import annotations

import sys

import typer
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from kamei.i18n import catalog, t
from store.reports import REPORTS, Report

from .cells import human

__all__ = ["print_table"]

_RIGHT = frozenset({"int", "yen", "float", "ratio"})
# rich measures every cell several times; past this many rows (rfm --detail lists
# every buyer) a plain aligned layout prints in seconds instead of minutes.
_RICH_LIMIT = 5_000


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
            summary.add_row(
                _heading(report, name), human(value, _summary_kind(name), withheld=True)
            )
        console.print(summary)
    if not report.rows:
        typer.echo(t("output.no_rows"))
        return
    if len(report.rows) > _RICH_LIMIT:
        _plain(report)
        return
    table = Table(title=None if report.summary else report.title, show_lines=False)
    for column in report.columns:
        right = report.kinds.get(column, "text") in _RIGHT
        table.add_column(
            _heading(report, column), justify="right" if right else "left", no_wrap=True
        )
    for row in report.rows:
        withheld = bool(row.get("suppressed"))
        table.add_row(*(_cell(report, row, c, withheld) for c in report.columns))
    console.print(table)


def _plain(report: Report) -> None:
    kinds = [report.kinds.get(c, "text") for c in report.columns]
    lines = [[_heading(report, c) for c in report.columns]]
    for row in report.rows:
        withheld = bool(row.get("suppressed"))
        lines.append([_cell(report, row, c, withheld) for c in report.columns])
    widths = [max(cell_len(line[i]) for line in lines) for i in range(len(kinds))]
    out = sys.stdout
    out.write(report.title + "\n")
    for line in lines:
        cells = []
        for text, width, kind in zip(line, widths, kinds, strict=True):
            pad = " " * (width - cell_len(text))  # full-width characters take two columns
            cells.append(pad + text if kind in _RIGHT else text + pad)
        out.write("  ".join(cells).rstrip() + "\n")


def _heading(report: Report, column: str) -> str:
    """A built-in report's column in the UI language; others (kamei sql) keep their names."""
    key = f"column.{column}"
    return t(key) if report.name in REPORTS and key in catalog("en") else column


def _cell(report: Report, row: dict[str, object], column: str, withheld: bool) -> str:
    """A value as the screen shows it: a marker (``small-group``, ``(all shops)``) or a
    segment name in the UI language, as the report labels it; files keep the value."""
    value = row.get(column)
    if isinstance(value, str):
        value = report.labels.get((column, value), value)
    return human(value, report.kinds.get(column, "text"), withheld=withheld)


def _summary_kind(name: str) -> str:
    return "ratio" if name.endswith(("_rate", "_share")) else "float"

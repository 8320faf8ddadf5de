"""Rendering rows: a table on a terminal, or CSV / JSON for scripts and Excel.

Shared options are defined once here (after sqlite-utils' ``output_options``).
CSV files written with ``--out`` start with a UTF-8 BOM so that Excel in Japan
opens them as UTF-8; every text cell starting with ``= + - @``, a tab or a
carriage return is neutralised with a leading apostrophe (OWASP CSV injection).
"""

from __future__ import annotations

import csv
import enum
import io
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

__all__ = ["Format", "FormatOption", "OutOption", "neutralise", "render"]


class Format(enum.StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


FormatOption = Annotated[
    Format,
    typer.Option("--format", "-f", help="Output format.", case_sensitive=False),
]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="Write to this file instead of standard output."),
]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Make a text cell inert in spreadsheets; numbers pass through untouched."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_text(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row.get(c) is None else neutralise(row.get(c)) for c in columns])
    return buffer.getvalue()


def _table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], title: str | None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for column in columns:
        numeric = any(isinstance(r.get(column), int | float) for r in rows)
        table.add_column(column, justify="right" if numeric else "left", no_wrap=True)
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in columns))
    # Off a terminal there is no width to respect: never cut a figure short.
    console = Console(soft_wrap=False)
    if not console.is_terminal:
        console = Console(soft_wrap=False, width=max(console.width, 240))
    console.print(table)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def render(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    fmt: Format,
    *,
    key: str = "rows",
    title: str | None = None,
    meta: Mapping[str, Any] | None = None,
    out: Path | None = None,
) -> None:
    """Write ``rows`` in ``fmt`` to ``out`` or standard output."""
    if fmt is Format.json:
        document = {**(meta or {}), key: [dict(r) for r in rows]}
        text = json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n"
    elif fmt is Format.csv:
        text = _csv_text(rows, columns)
    else:
        if out is not None:
            raise typer.BadParameter("--out needs --format csv or json", param_hint="--out")
        if not rows:
            typer.echo("(no rows)")
            return
        _table(rows, columns, title)
        return
    if out is None:
        sys.stdout.write(text)
        return
    from store.paths import replace_private_file

    data = text.encode("utf-8-sig" if fmt is Format.csv else "utf-8")
    replace_private_file(out, data)
    typer.echo(f"wrote {out}", err=True)

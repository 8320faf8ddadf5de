"""Rendering: a table on a terminal; CSV, XLSX, JSON or HTML for files and scripts.

Shared options are defined once here (after sqlite-utils' ``output_options``).
One module per format: ``table`` (rich, East-Asian-width aware), ``csvfile``
(UTF-8 with BOM, or cp932 with counted replacements), ``xlsxfile`` (typed
cells, frozen header, an "about" sheet), ``jsonfile`` (metadata and records),
``htmlfile`` with ``svg`` (one offline file with charts). Every text cell written
to CSV or XLSX that starts with ``= + - @``, a tab or a carriage return is
neutralised with a leading apostrophe (OWASP CSV injection).
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kamei.errors import ConfigError
from kamei.i18n import t

from .cells import neutralise
from .files import write_file

if TYPE_CHECKING:
    from store.reports import Report

__all__ = [
    "Encoding",
    "EncodingOption",
    "Format",
    "FormatOption",
    "OutOption",
    "neutralise",
    "render",
    "render_report",
]


class Format(enum.StrEnum):
    table = "table"
    csv = "csv"
    xlsx = "xlsx"
    json = "json"
    html = "html"


class Encoding(enum.StrEnum):
    utf8 = "utf-8"
    cp932 = "cp932"


FormatOption = Annotated[
    Format,
    typer.Option("--format", "-f", help=t("output.opt.format"), case_sensitive=False),
]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", "-o", help=t("output.opt.out")),
]
EncodingOption = Annotated[
    Encoding,
    typer.Option(
        "--encoding",
        help=t("output.opt.encoding"),
        case_sensitive=False,
    ),
]

_BINARY = frozenset({Format.xlsx})


def render_report(
    report: Report,
    fmt: Format,
    *,
    out: Path | None = None,
    encoding: Encoding = Encoding.utf8,
    key: str = "rows",
) -> None:
    """Write ``report`` in ``fmt`` to ``out`` or standard output."""
    # Each writer loads its library (rich, openpyxl, ...) only when its format is asked for.
    if fmt is Format.table:
        if out is not None:
            raise ConfigError(t("output.table_to_file"))
        from .table import print_table

        print_table(report)
        return
    if fmt in _BINARY and out is None:
        raise ConfigError(t("output.binary", fmt=fmt))
    replaced = 0
    if fmt is Format.csv:
        from .csvfile import csv_bytes

        data, replaced = csv_bytes(report, encoding.value, bom=out is not None)
    elif fmt is Format.xlsx:
        from .xlsxfile import xlsx_bytes

        data = xlsx_bytes(report)
    elif fmt is Format.json:
        from .jsonfile import json_text

        data = json_text(report, key).encode("utf-8")
    else:
        from .htmlfile import html_text

        data = html_text(report).encode("utf-8")
    if replaced:
        typer.echo(
            "kamei: " + t("output.replaced", count=replaced, encoding=encoding.value), err=True
        )
    for line in (report.notice, report.warning):
        if line:
            typer.echo(f"kamei: {line}", err=True)
    if out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    write_file(out, data)
    typer.echo(t("output.wrote", out=out), err=True)


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
    """Write plain ``rows`` (``shop list``, ``status``) in ``fmt``.

    JSON keeps its historical shape here: ``meta`` merged at the top, rows under ``key``.
    """
    if fmt is Format.json:
        import json

        document = {**(meta or {}), key: [dict(r) for r in rows]}
        text = json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n"
        if out is None:
            sys.stdout.write(text)
            return
        write_file(out, text.encode("utf-8"))
        typer.echo(t("output.wrote", out=out), err=True)
        return
    from store.reports import Report

    kinds = {c: _kind(rows, c) for c in columns}
    report = Report(
        name=key, title=title or key, columns=tuple(columns), rows=[dict(r) for r in rows],
        kinds=kinds, keys=tuple(columns), min_group=None,
    )  # fmt: skip
    render_report(report, fmt, out=out, key=key)


def _kind(rows: Sequence[Mapping[str, Any]], column: str) -> Any:
    values = [r.get(column) for r in rows if r.get(column) is not None]
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "int"
    return "text"

"""XLSX: typed cells (numbers as numbers, dates as dates), a bold header row,
frozen panes, widths that fit, and an "about" sheet saying what the report is."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from rich.cells import cell_len

from kamei.i18n import t
from store.reports import Report

from .cells import neutralise

__all__ = ["xlsx_bytes"]

_FORMATS = {"ratio": "0.0%", "yen": "#,##0", "int": "#,##0", "float": "#,##0.00"}
_DATE_FORMATS = {"date": "yyyy-mm-dd", "month": "yyyy-mm"}
_BOLD = Font(bold=True)


def _text(value: str) -> str:
    # Control characters are not allowed in the XML of a sheet; formula-like text
    # is neutralised as in CSV (openpyxl would otherwise store "=…" as a formula).
    return str(neutralise(ILLEGAL_CHARACTERS_RE.sub("", value)))


def _typed(value: Any, kind: str) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if kind in _DATE_FORMATS and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value if kind == "date" else value + "-01")
        except ValueError:
            return _text(value)
    if isinstance(value, str):
        return _text(value)
    return value


def _widths(report: Report, columns: list[str]) -> list[float]:
    sample = report.rows[:500]  # enough to size a column; a million rows would cost seconds
    widths = []
    for column in columns:
        longest = max([cell_len(column), *(cell_len(_shown(row.get(column))) for row in sample)])
        widths.append(min(60.0, max(8.0, longest + 2.0)))
    return widths


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return "" if value is None else str(value)


def _data_sheet(book: Workbook, report: Report) -> None:
    # The stubs miss WriteOnlyWorksheet.column_dimensions, which openpyxl documents.
    sheet: Any = book.create_sheet(report.name[:31])
    columns = (["notice"] if report.notice else []) + list(report.columns)
    kinds = [report.kinds.get(c, "text") for c in columns]
    for index, width in enumerate(_widths(report, columns), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column)
        cell.font = _BOLD
        header.append(cell)
    sheet.append(header)
    styled = {i for i, kind in enumerate(kinds) if kind in _FORMATS or kind in _DATE_FORMATS}
    for row in report.rows:
        values = [row.get(c) if c != "notice" else report.notice for c in columns]
        out: list[Any] = []
        for i, (value, kind) in enumerate(zip(values, kinds, strict=True)):
            typed = _typed(value, kind)
            if i in styled and typed is not None and not isinstance(typed, str):
                cell = WriteOnlyCell(sheet, value=typed)
                cell.number_format = _FORMATS.get(kind) or _DATE_FORMATS[kind]
                out.append(cell)
            else:
                out.append(typed)
        sheet.append(out)


def _about_sheet(book: Workbook, report: Report) -> None:
    sheet: Any = book.create_sheet("about")
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 60
    meta = report.meta()
    lines: list[tuple[str, Any]] = [
        (t("output.about.report"), report.name),
        (t("output.about.title"), report.title),
        *((t("output.about.filter", name=k), ", ".join(v) if isinstance(v, list) else v)
          for k, v in report.params.items()),
        (t("output.about.min_group"),
         report.min_group if report.min_group is not None else t("output.about.not_applied")),
        (t("output.about.generated_at"), meta["generated_at"]),
        (t("output.about.suppressed_rows"), report.suppressed),
        (t("output.about.suppressed_cells"), report.suppressed_cells),
        *((t("output.about.summary", name=k), v) for k, v in report.summary.items()),
    ]  # fmt: skip
    if report.notice:
        lines.insert(0, (t("output.about.notice"), report.notice))
    for name, value in lines:
        label = WriteOnlyCell(sheet, value=name)
        label.font = _BOLD
        sheet.append([label, _typed(value, "text") if isinstance(value, str) else value])


def xlsx_bytes(report: Report) -> bytes:
    book = Workbook(write_only=True)
    _data_sheet(book, report)
    _about_sheet(book, report)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

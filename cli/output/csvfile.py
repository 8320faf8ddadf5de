"""CSV: UTF-8 with a BOM (Excel in Japan then reads it as UTF-8), or cp932 for
older tools, where characters without a cp932 form become ``?`` and are counted."""

from __future__ import annotations

import codecs
import csv
import io
import threading
from typing import Any

from store.reports import Report

from .cells import neutralise

__all__ = ["csv_bytes", "csv_text"]


def _value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        return round(value, 6)
    return neutralise(value)


def csv_text(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    notice = [report.notice] if report.notice else []
    writer.writerow([*(["notice"] if notice else []), *report.columns])
    for row in report.rows:
        writer.writerow([*notice, *(_value(row.get(c)) for c in report.columns)])
    return buffer.getvalue()


_replaced = threading.local()


def _count_and_replace(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    _replaced.count += exc.end - exc.start
    return "?" * (exc.end - exc.start), exc.end


codecs.register_error("kamei-count-replace", _count_and_replace)


def csv_bytes(report: Report, encoding: str, *, bom: bool) -> tuple[bytes, int]:
    """The CSV encoded, and how many characters had to be replaced with ``?``."""
    text = csv_text(report)
    if encoding == "utf-8":
        return (codecs.BOM_UTF8 if bom else b"") + text.encode("utf-8"), 0
    _replaced.count = 0
    data = text.encode(encoding, errors="kamei-count-replace")
    return data, int(_replaced.count)

"""JSON: the report's metadata and a list of records, with stable keys for scripts."""

from __future__ import annotations

import json

from store.reports import Report

__all__ = ["json_text"]


def json_text(report: Report, key: str = "rows") -> str:
    document = {
        **report.meta(),
        "columns": [{"name": c, "kind": report.kinds.get(c, "text")} for c in report.columns],
        key: [{c: row.get(c) for c in report.columns} for row in report.rows],
    }
    return json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n"

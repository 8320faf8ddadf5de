"""HTML: one self-contained file (inline CSS and SVG, no script, nothing fetched)
that a browser shows offline: the chart that suits the report, then the table."""

from __future__ import annotations

from html import escape
from typing import Any

from kamei.i18n import t
from store.reports import Chart, Report

from .cells import human
from .svg import bar_chart, heatmap, line_chart

__all__ = ["html_text"]

_STYLE = """
body{font-family:'Noto Sans CJK JP','Hiragino Sans','Yu Gothic',Meiryo,sans-serif;
margin:24px;color:#111827;background:#fff}
h1{font-size:20px;margin:0 0 8px}
.meta{color:#374151;font-size:13px;margin:0 0 16px}
.meta span{margin-right:18px}
.notice{background:#fef2f2;border:2px solid #dc2626;color:#991b1b;padding:10px 14px;
font-weight:bold;margin:0 0 16px}
table{border-collapse:collapse;font-size:13px;margin:12px 0}
th,td{border:1px solid #e5e7eb;padding:3px 8px}
th{background:#f3f4f6;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.sup td{color:#9ca3af;background:#fafafa}
figure{margin:8px 0 16px}
"""
_NUMERIC = frozenset({"int", "yen", "float", "ratio"})


def html_text(report: Report) -> str:
    meta = report.meta()
    k = report.min_group
    facts = [
        t("output.html.generated", at=meta["generated_at"]),
        t("output.html.suppressed_under", k=k) if k else t("output.html.no_suppression"),
        t("output.html.figures_suppressed", count=report.suppressed_cells),
        *(f"{name}: {_param(value)}" for name, value in report.params.items()),
    ]
    body = [
        f"<h1>{escape(report.title)}</h1>",
        '<p class="meta">' + "".join(f"<span>{escape(f)}</span>" for f in facts) + "</p>",
    ]
    if report.notice:
        body.append(f'<p class="notice">{escape(report.notice)}</p>')
    if report.summary:
        body.append(_summary(report.summary))
    if report.chart is not None and report.rows:
        body.append(f"<figure>{_chart(report, report.chart)}</figure>")
    body.append(_table(report))
    return (
        '<!DOCTYPE html>\n<html lang="ja"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(report.title)}</title><style>{_STYLE}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )


def _param(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "—" if value is None else str(value)


def _summary(summary: dict[str, Any]) -> str:
    rows = []
    for name, value in summary.items():
        kind = "ratio" if name.endswith(("_rate", "_share")) else "float"
        shown = escape(human(value, kind, withheld=True))
        rows.append(f'<tr><th>{escape(name)}</th><td class="n">{shown}</td></tr>')
    return f"<table>{''.join(rows)}</table>"


def _table(report: Report) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in report.columns)
    out = [f"<table><thead><tr>{head}</tr></thead><tbody>"]
    for row in report.rows:
        withheld = bool(row.get("suppressed"))
        cells = []
        for column in report.columns:
            kind = report.kinds.get(column, "text")
            text = escape(human(row.get(column), kind, withheld=withheld))
            cells.append(f'<td class="n">{text}</td>' if kind in _NUMERIC else f"<td>{text}</td>")
        opening = '<tr class="sup">' if withheld else "<tr>"
        out.append(opening + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _chart(report: Report, chart: Chart) -> str:
    rows = report.rows
    if chart.kind == "line":
        labels = list(dict.fromkeys(str(r[chart.x]) for r in rows))
        series: dict[str, list[float | None]] = {}
        for row in rows:
            name = str(row[chart.series]) if chart.series else chart.y
            values = series.setdefault(name, [None] * len(labels))
            values[labels.index(str(row[chart.x]))] = _number(row.get(chart.y))
        return line_chart(labels, series, title=chart.title)
    if chart.kind == "heatmap":
        assert chart.series is not None
        down = list(dict.fromkeys(str(r[chart.series]) for r in rows))
        across = list(dict.fromkeys(str(r[chart.x]) for r in rows))
        across.sort(key=lambda v: (len(v), v))
        shades = {(str(r[chart.series]), str(r[chart.x])): _number(r.get(chart.y)) for r in rows}
        return heatmap(down, across, shades, title=chart.title)
    # A total's bar would dwarf its parts; the table below still shows it.
    totals = {line.total for line in report.lines}
    items = [(str(r[chart.x]), _number(r.get(chart.y))) for i, r in enumerate(rows)
             if i not in totals]  # fmt: skip
    return bar_chart(items, title=chart.title)

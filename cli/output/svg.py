"""Charts as inline SVG, drawn here: an HTML report needs no script and no network.

Only published figures are drawn; a suppressed group is shown as suppressed (a
grey, labelled gap), never as a bar or point of its true size.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from rich.cells import cell_len

from kamei.i18n import t

__all__ = ["bar_chart", "heatmap", "line_chart"]

_PALETTE = ("#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4b5563")
_FONT = "font-family=\"'Noto Sans CJK JP','Hiragino Sans','Yu Gothic',sans-serif\""


def _short(value: float) -> str:
    for limit, suffix in ((1e8, "億"), (1e4, "万")):
        if abs(value) >= limit:
            return f"{value / limit:,.1f}{suffix}"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = float(10 ** (len(str(int(value))) - 1))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * magnitude >= value:
            return step * magnitude
    return value  # pragma: no cover - the loop always returns


def line_chart(labels: Sequence[str], series: dict[str, list[float | None]], *, title: str) -> str:
    """One line per series over ``labels``; a gap where a figure is suppressed."""
    width, height, left, right, top, bottom = 880, 340, 70, 150, 36, 56
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = _nice_max(max((v for vals in series.values() for v in vals if v is not None), default=0))
    step = plot_w / max(1, len(labels) - 1)
    parts = [_svg_open(width, height, title), _title(title, left, 22)]
    for i in range(5):
        y = top + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#e5e7eb"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#374151">{_short(peak * i / 4)}</text>'
        )
    every = max(1, len(labels) // 12)
    for i, label in enumerate(labels):
        if i % every == 0:
            x = left + i * step
            parts.append(
                f'<text x="{x:.1f}" y="{top + plot_h + 16}" font-size="10" fill="#374151" '
                f'text-anchor="end" transform="rotate(-35 {x:.1f} {top + plot_h + 16})">'
                f"{escape(label)}</text>"
            )
    for n, (name, values) in enumerate(series.items()):
        colour = _PALETTE[n % len(_PALETTE)]
        for run in _runs(values):
            points = " ".join(
                f"{left + i * step:.1f},{top + plot_h - plot_h * v / peak:.1f}" for i, v in run
            )
            if len(run) == 1:
                ((i, v),) = run
                parts.append(
                    f'<circle cx="{left + i * step:.1f}" '
                    f'cy="{top + plot_h - plot_h * v / peak:.1f}" r="2.5" fill="{colour}"/>'
                )
            else:
                parts.append(
                    f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>'
                )
        y = top + 14 + n * 18
        parts.append(
            f'<rect x="{width - right + 12}" y="{y - 9}" width="12" height="4" fill="{colour}"/>'
            f'<text x="{width - right + 30}" y="{y}" font-size="12">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _runs(values: list[float | None]) -> list[list[tuple[int, float]]]:
    runs: list[list[tuple[int, float]]] = [[]]
    for i, value in enumerate(values):
        if value is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((i, value))
    return [run for run in runs if run]


def bar_chart(items: Sequence[tuple[str, float | None]], *, title: str) -> str:
    """Horizontal bars, one per item; a suppressed item is a labelled grey stub."""
    labels = [_fit(label, 44) for label, _ in items]
    # Room for the longest label: about 6.5 px per column at 12 px (全角 counts two).
    row_h, right, top = 22, 110, 36
    left = min(320, 24 + int(6.5 * max((cell_len(x) for x in labels), default=8)))
    width = left + 650
    height = top + row_h * len(items) + 16
    peak = _nice_max(max((v for _, v in items if v is not None), default=0))
    plot_w = width - left - right
    parts = [_svg_open(width, height, title), _title(title, 12, 22)]
    for i, ((_, value), label) in enumerate(zip(items, labels, strict=True)):
        y = top + i * row_h
        parts.append(
            f'<text x="{left - 8}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{escape(label)}</text>"
        )
        if value is None:
            parts.append(
                f'<rect x="{left}" y="{y + 4}" width="18" height="14" fill="#d1d5db"/>'
                f'<text x="{left + 24}" y="{y + 15}" font-size="11" fill="#6b7280">'
                f"{escape(t('output.chart.suppressed_bar'))}</text>"
            )
            continue
        bar = plot_w * value / peak
        parts.append(
            f'<rect x="{left}" y="{y + 4}" width="{bar:.1f}" height="14" fill="{_PALETTE[0]}"/>'
            f'<text x="{left + bar + 6:.1f}" y="{y + 15}" font-size="11">{_short(value)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def heatmap(
    rows: Sequence[str], columns: Sequence[str], values: dict[tuple[str, str], float | None],
    *, title: str,
) -> str:  # fmt: skip
    """Ratios (0-1) as shades of blue; ``None`` marks a suppressed cell."""
    cell_w, cell_h, left, top = 34, 22, 80, 56
    width = left + cell_w * len(columns) + 20
    height = top + cell_h * len(rows) + 40
    parts = [_svg_open(width, height, title), _title(title, 12, 22)]
    for j, column in enumerate(columns):
        parts.append(
            f'<text x="{left + j * cell_w + cell_w / 2:.1f}" y="{top - 8}" font-size="11" '
            f'text-anchor="middle">{escape(column)}</text>'
        )
    for i, row in enumerate(rows):
        y = top + i * cell_h
        parts.append(
            f'<text x="{left - 6}" y="{y + 15}" font-size="11" text-anchor="end">'
            f"{escape(row)}</text>"
        )
        for j, column in enumerate(columns):
            if (row, column) not in values:
                continue
            value = values[(row, column)]
            x = left + j * cell_w
            if value is None:
                parts.append(
                    f'<rect x="{x}" y="{y}" width="{cell_w - 1}" height="{cell_h - 1}" '
                    f'fill="#e5e7eb"><title>{escape(t("output.chart.suppressed"))}</title></rect>'
                    f'<text x="{x + cell_w / 2:.1f}" y="{y + 15}" font-size="10" '
                    'text-anchor="middle" fill="#6b7280">–</text>'
                )
                continue
            shade = max(0.0, min(1.0, value))
            # From #eff6ff (no one kept) to #1e40af (everyone kept).
            fill = f"rgb({239 - shade * 209:.0f},{246 - shade * 182:.0f},{255 - shade * 80:.0f})"
            ink = "#ffffff" if shade > 0.45 else "#111827"
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell_w - 1}" height="{cell_h - 1}" '
                f'fill="{fill}"/>'
                f'<text x="{x + cell_w / 2:.1f}" y="{y + 15}" font-size="10" '
                f'text-anchor="middle" fill="{ink}">{value * 100:.0f}</text>'
            )
    parts.append(
        f'<text x="{left}" y="{height - 12}" font-size="11" fill="#374151">'
        f"{escape(t('output.chart.heatmap_legend'))}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def _fit(text: str, columns: int) -> str:
    """``text`` cut to ``columns`` screen columns, with an ellipsis if cut."""
    if cell_len(text) <= columns:
        return text
    out = ""
    for char in text:
        if cell_len(out + char) > columns - 1:
            break
        out += char
    return out + "…"


def _svg_open(width: int, height: float, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height:.0f}" '
        f'viewBox="0 0 {width} {height:.0f}" role="img" aria-label="{escape(title)}" {_FONT}>'
    )


def _title(text: str, x: float, y: float) -> str:
    return f'<text x="{x}" y="{y}" font-size="14" font-weight="bold">{escape(text)}</text>'

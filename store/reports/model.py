"""What every report is made of: its filters, its columns, its rows and its totals.

A :class:`Report` is plain data that ``cli/output`` renders in every format. Rows
are dicts keyed by column name; a suppressed row keeps its key columns, has
``None`` for every figure and says why in ``suppressed`` (``small-group`` or
``complement``).

Row values are data: markers such as ``small-group`` or ``(all shops)`` are the
same in every language, for scripts reading CSV or JSON. Titles and notices are
for people and come in the UI language (``kamei.i18n``), as do
:attr:`Report.labels`, what the terminal shows in place of a marker. :class:`Line` records
which published total adds up which rows, so disclosure control (and its test)
can see every equation a reader could subtract from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from kamei.errors import ConfigError
from kamei.i18n import t

__all__ = [
    "COMPLEMENT",
    "DEFAULT_MIN_GROUP",
    "JST",
    "SMALL_GROUP",
    "Chart",
    "Column",
    "ColumnKind",
    "Filters",
    "Line",
    "Report",
]

DEFAULT_MIN_GROUP = 5
SMALL_GROUP = "small-group"  # why a row is withheld, in ``suppressed`` (disclosure.py)
COMPLEMENT = "complement"
JST = dt.timezone(dt.timedelta(hours=9), "JST")

ColumnKind = Literal["text", "int", "yen", "float", "ratio", "date", "month"]
"""How a column is typed in spreadsheets: ``yen`` is integer money, ``ratio`` a
share from 0 to 1 (shown as a percentage), ``date``/``month`` are ISO text
(``2025-01-31`` / ``2025-01``) that xlsx stores as real dates."""


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: ColumnKind = "int"
    key: bool = False  # identifies the group (period, shop, product…), never suppressed


@dataclass(frozen=True, slots=True)
class Chart:
    """The picture an HTML report draws from its published rows.

    ``line``: ``y`` over ``x``, one line per value of ``series``; ``bars``: one bar
    per row, labelled by ``x``; ``heatmap``: ``x`` across, ``series`` down, ``y``
    (a ratio) as colour.
    """

    kind: Literal["line", "bars", "heatmap"]
    x: str
    y: str
    title: str
    series: str | None = None


@dataclass(frozen=True, slots=True)
class Line:
    """A published total (row ``total``) that is the sum of rows ``parts``."""

    total: int
    parts: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Filters:
    """What every report can be narrowed to. Dates are Japan-time calendar days;
    ``until`` is inclusive. Empty tuples mean "all"."""

    shops: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    since: dt.date | None = None
    until: dt.date | None = None
    min_group: int = DEFAULT_MIN_GROUP

    def __post_init__(self) -> None:
        if self.min_group < 1:
            raise ConfigError(t("reports.min_group"))
        if self.since and self.until and self.since > self.until:
            raise ConfigError(t("reports.since_after_until"))

    @property
    def start(self) -> int | None:
        """``since`` as Unix seconds (JST midnight), for ``ordered_at >= start``."""
        if self.since is None:
            return None
        return int(dt.datetime.combine(self.since, dt.time(), JST).timestamp())

    @property
    def end(self) -> int | None:
        """The day after ``until`` as Unix seconds, for ``ordered_at < end``."""
        if self.until is None:
            return None
        after = self.until + dt.timedelta(days=1)
        return int(dt.datetime.combine(after, dt.time(), JST).timestamp())

    def where(self, alias: str = "o") -> tuple[str, dict[str, Any]]:
        """SQL conditions on ``orders AS alias`` (joined to ``shops AS s`` when
        filtering by shop) and their parameters. Cancelled and returned orders
        never count as sales."""
        parts = [f"{alias}.status NOT IN ('cancelled', 'returned')"]
        params: dict[str, Any] = {}
        if self.start is not None:
            parts.append(f"{alias}.ordered_at >= :f_start")
            params["f_start"] = self.start
        if self.end is not None:
            parts.append(f"{alias}.ordered_at < :f_end")
            params["f_end"] = self.end
        if self.shops:
            names = {f"f_shop{i}": name for i, name in enumerate(self.shops)}
            inner = ", ".join(f":{k}" for k in names)
            parts.append(f"{alias}.shop_id IN (SELECT id FROM shops WHERE name IN ({inner}))")
            params.update(names)
        if self.platforms:
            names = {f"f_platform{i}": name for i, name in enumerate(self.platforms)}
            parts.append(f"{alias}.platform IN ({', '.join(f':{k}' for k in names)})")
            params.update(names)
        return " AND ".join(parts), params

    def describe(self) -> dict[str, Any]:
        return {
            "shops": list(self.shops) or "all",
            "platforms": list(self.platforms) or "all",
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "min_group": self.min_group,
        }


@dataclass(frozen=True, slots=True)
class Report:
    """One report, ready to render.

    ``summary`` holds headline figures (name -> value, ``None`` when suppressed);
    ``notice`` is shown on screen and written into every file (``rfm --detail``);
    ``warning`` is shown on screen only (``kamei sql``);
    ``chart`` names the HTML picture that suits the report;
    ``labels`` maps ``(column, value)`` to what the terminal shows for that value
    (a marker or a segment name in the UI language); files keep the value.
    """

    name: str
    title: str
    columns: tuple[str, ...]
    rows: list[dict[str, Any]]
    kinds: Mapping[str, ColumnKind] = field(default_factory=dict)
    keys: tuple[str, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)
    min_group: int | None = DEFAULT_MIN_GROUP
    lines: tuple[Line, ...] = ()
    summary: dict[str, Any] = field(default_factory=dict)
    notice: str | None = None
    warning: str | None = None
    chart: Chart | None = None
    labels: Mapping[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        name: str,
        title: str,
        columns: Sequence[Column],
        rows: list[dict[str, Any]],
        filters: Filters | None,
        **extra: Any,
    ) -> Report:
        params = filters.describe() if filters else {}
        params.update(extra.pop("params", {}))
        labels = {
            ("suppressed", SMALL_GROUP): t("reports.label.small_group"),
            ("suppressed", COMPLEMENT): t("reports.label.complement"),
            **extra.pop("labels", {}),
        }
        return cls(
            name=name,
            title=title,
            columns=tuple(c.name for c in columns),
            kinds={c.name: c.kind for c in columns},
            keys=tuple(c.name for c in columns if c.key),
            rows=rows,
            params=params,
            min_group=filters.min_group if filters else None,
            labels=labels,
            **extra,
        )

    @property
    def suppressed(self) -> int:
        """How many rows are suppressed (primary or complementary)."""
        return sum(1 for row in self.rows if row.get("suppressed"))

    @property
    def suppressed_cells(self) -> int:
        """How many figures are withheld, summary figures included."""
        figures = [c for c in self.columns if c not in self.keys and c != "suppressed"]
        cells = sum(1 for row in self.rows if row.get("suppressed") for c in figures)
        return cells + sum(1 for value in self.summary.values() if value is None)

    def meta(self) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "report": self.name,
            "title": self.title,
            "params": self.params,
            "min_group": self.min_group,
            "suppressed_rows": self.suppressed,
            "suppressed_cells": self.suppressed_cells,
            "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        if self.notice:
            meta["notice"] = self.notice
        if self.summary:
            meta["summary"] = self.summary
        return meta

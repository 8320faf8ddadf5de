"""Reports over the store only, with disclosure control.

Every report groups orders; a group with fewer distinct buyers than k
(``min_group``, default 5) is suppressed and shown as suppressed, and published
totals never let a reader recover a suppressed figure by subtraction
(``store.reports.disclosure``). Pseudonyms never appear in a report, except
``rfm(detail=True)`` (marked for internal use) and ``run_sql`` (``kamei sql``).

One module per report; ``REPORTS`` lists them by name. Each takes a read
connection and :class:`Filters` (shops, platforms, a Japan-time date range, k)
and returns a :class:`Report` for ``cli/output`` to render.
"""

from __future__ import annotations

from .adhoc import run_sql
from .baskets import baskets
from .cohorts import cohorts
from .disclosure import COMPLEMENT, SMALL_GROUP, suppress
from .model import DEFAULT_MIN_GROUP, Chart, Column, ColumnKind, Filters, Line, Report
from .prefectures import prefectures
from .products import products
from .registry import REPORTS, ReportSpec
from .repeat import repeat
from .rfm import SEGMENTS, rfm, segment_for
from .sales import ALL_SHOPS, sales
from .settings import SETTINGS_NAME, configured_min_group
from .sql import PERIODS

__all__ = [
    "ALL_SHOPS",
    "COMPLEMENT",
    "DEFAULT_MIN_GROUP",
    "PERIODS",
    "REPORTS",
    "SEGMENTS",
    "SETTINGS_NAME",
    "SMALL_GROUP",
    "Chart",
    "Column",
    "ColumnKind",
    "Filters",
    "Line",
    "Report",
    "ReportSpec",
    "baskets",
    "cohorts",
    "configured_min_group",
    "prefectures",
    "products",
    "repeat",
    "rfm",
    "run_sql",
    "sales",
    "segment_for",
    "suppress",
]

"""Every built-in report by name, with its one-line summary (``kamei report NAME``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .baskets import baskets
from .cohorts import cohorts
from .model import Report
from .prefectures import prefectures
from .products import products
from .repeat import repeat
from .rfm import rfm
from .sales import sales

__all__ = ["REPORTS", "ReportSpec"]


@dataclass(frozen=True, slots=True)
class ReportSpec:
    name: str
    summary: str
    run: Callable[..., Report]  # run(conn, filters, **options)


_SPECS = (
    ReportSpec("sales", "Orders, revenue, units, buyers and AOV by period and shop.", sales),
    ReportSpec("products", "Revenue, units, orders and (repeat) buyers per product.", products),
    ReportSpec("repeat", "Orders per buyer, repeat rate, days to the second order.", repeat),
    ReportSpec("cohorts", "Monthly first-purchase cohorts: retention, revenue.", cohorts),
    ReportSpec("rfm", "Recency/frequency/monetary segments with buyers and revenue.", rfm),
    ReportSpec("baskets", "Product pairs bought together: support, confidence, lift.", baskets),
    ReportSpec("prefectures", "Orders, revenue and buyers by prefecture.", prefectures),
)
REPORTS: dict[str, ReportSpec] = {spec.name: spec for spec in _SPECS}

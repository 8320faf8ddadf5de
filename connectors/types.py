"""Values that cross the connector seam.

A connector turns one platform's wire format into :class:`RawOrder` values.
``RawOrder`` still holds what pseudonymisation needs (e-mail, phone, member id,
birthday): it lives in memory only, for the page being processed, and only
``sync.pseudonymise`` may turn it into something stored. Everything else that is
personal (names, kana, addresses, postal codes, free text, tracking numbers,
payment transaction ids) is dropped inside the connector's parser and never
leaves it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

__all__ = [
    "EARLIEST",
    "LATEST",
    "MAX_AMOUNT",
    "Connector",
    "Cursor",
    "Gender",
    "OrderStatus",
    "Page",
    "RawBuyer",
    "RawLine",
    "RawOrder",
    "RequestStats",
    "TaxClass",
    "Window",
    "plausible_amount",
    "plausible_time",
]

OrderStatus = Literal["pending", "paid", "shipped", "cancelled", "returned"]
Gender = Literal["male", "female", "other"]
TaxClass = Literal["standard", "reduced", "exempt"]
Cursor = Literal["updated", "ordered"]
"""Which time a platform can filter on: ``updated`` (update time) or ``ordered``."""

MAX_AMOUNT = 10**12
"""The largest magnitude a parser accepts for a yen amount, a quantity or a sum of them.

A trillion yen is beyond any real order, yet small enough that the sum of every
order of every shop stays an exact 64-bit integer, so no report can overflow
(SQLite's ``SUM`` raises on overflow) and no insert can fail on a value too big
for SQLite. An order with a larger value is malformed: skipped and counted."""

EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(3000, 1, 1, tzinfo=dt.UTC)
"""Order times outside ``[EARLIEST, LATEST)`` cannot be real; near Python's own date
limits, converting them to Japan time or to Unix seconds would fail."""


def plausible_amount(value: int) -> bool:
    """Whether ``value`` (yen, a quantity or a sum) is within ``±MAX_AMOUNT``."""
    return -MAX_AMOUNT <= value <= MAX_AMOUNT


def plausible_time(moment: dt.datetime) -> bool:
    """Whether an aware ``moment`` lies in ``[EARLIEST, LATEST)``."""
    return EARLIEST <= moment < LATEST


@dataclass(slots=True)
class RequestStats:
    """Counters a connector keeps for the run log (requests sent, retries made)."""

    requests: int = 0
    retries: int = 0


@dataclass(frozen=True, slots=True)
class Window:
    """A half-open time range ``[start, end)`` in aware UTC datetimes."""

    start: dt.datetime
    end: dt.datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("Window bounds must be timezone-aware")
        if self.end <= self.start:
            raise ValueError("Window end must be after its start")

    @property
    def span(self) -> dt.timedelta:
        return self.end - self.start

    def split(self, parts: int = 2) -> list[Window]:
        """Split into ``parts`` contiguous windows on whole seconds (at least one second each)."""
        seconds = int(self.span.total_seconds())
        parts = max(1, min(parts, seconds))
        cuts = [self.start + dt.timedelta(seconds=seconds * i // parts) for i in range(parts)]
        cuts.append(self.end)
        return [Window(a, b) for a, b in itertools.pairwise(cuts) if b > a]

    def __str__(self) -> str:  # identifiers only: safe in messages and logs
        return f"[{self.start:%Y-%m-%dT%H:%M:%SZ}, {self.end:%Y-%m-%dT%H:%M:%SZ})"


@dataclass(frozen=True, slots=True)
class RawBuyer:
    """The purchaser as far as pseudonymisation needs it. Memory only.

    ``email``/``phone``/``member_id`` form the identity basis (in that order);
    ``birthday`` becomes an age band, ``prefecture`` (JIS code 1–47, ``None`` for
    overseas/unknown) and ``gender`` are kept as they are.
    """

    email: str | None = None
    phone: str | None = None
    member_id: str | None = None
    birthday: dt.date | None = None
    prefecture: int | None = None
    gender: Gender | None = None
    is_member: bool = False


@dataclass(frozen=True, slots=True)
class RawLine:
    """One order line. No customization/engraving text: parsers drop it."""

    product_id: str
    product_name: str
    unit_price: int
    quantity: int
    subtotal: int
    product_code: str | None = None
    sku: str | None = None
    variations: tuple[str, ...] = ()
    tax_class: TaxClass | None = None


@dataclass(frozen=True, slots=True)
class RawOrder:
    """One order as a connector read it. Memory only; see the module docstring."""

    platform_order_id: str
    ordered_at: dt.datetime
    updated_at: dt.datetime
    status: OrderStatus
    buyer: RawBuyer
    lines: tuple[RawLine, ...] = ()
    goods_total: int = 0
    shipping: int = 0
    fees: int = 0
    tax: int = 0
    discounts: int = 0
    grand_total: int = 0
    points_used: int = 0
    payment_method: str | None = None
    delivery_method: str | None = None
    coupon_name: str | None = None
    is_gift: bool = False
    multi_destination: bool = False


@dataclass(frozen=True, slots=True)
class Page:
    """One response for one window, starting at item ``offset``.

    ``total`` is the number of orders the platform reports for the whole window
    (``None`` when it does not say). ``skipped`` counts entries that could not be
    parsed, with ``problems`` giving reasons made of field names only (never
    values). ``consumed`` is how many entries the response held (parsed or not),
    so the next page starts at ``offset + consumed``.
    """

    window: Window
    offset: int
    orders: Sequence[RawOrder]
    total: int | None
    has_more: bool
    skipped: int = 0
    problems: tuple[str, ...] = field(default=())

    @property
    def consumed(self) -> int:
        return len(self.orders) + self.skipped


class Connector(Protocol):
    """What ``sync`` needs from a platform.

    A connector is built with an ``httpx.Client`` it does not own; it knows the
    wire format and nothing of the store. ``fetch_page`` returns up to
    ``page_size`` of the orders whose ``cursor`` time lies in ``window``, starting
    at item ``offset`` (a platform that pages by page number serves the page that
    holds ``offset``; the engine only asks for multiples of ``page_size`` unless a
    response was short). It raises :class:`kamei.errors.ConnectorError` subclasses
    only.
    """

    platform: str
    page_size: int
    cursor: Cursor
    max_window: dt.timedelta | None
    stats: RequestStats

    def fetch_page(self, window: Window, offset: int) -> Page: ...

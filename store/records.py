"""The only things the store accepts: pseudonymised records, checkpoints, run logs.

``OrderRecord`` has no contact field at all, by construction: its fields are
exactly the allowlist of ``../shared/DESIGN.md`` ("Stored per order/line"), and
``tests/test_privacy_allowlist.py`` keeps it that way. Times are Unix seconds
(UTC); money is integer yen.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar

from kamei.errors import CheckpointError

__all__ = ["Checkpoint", "LineRecord", "OrderRecord", "RunStats"]


@dataclass(frozen=True, slots=True)
class LineRecord:
    """One stored order line: product facts only, never customization text."""

    line_no: int
    product_id: str
    product_name: str
    unit_price: int
    quantity: int
    subtotal: int
    product_code: str | None = None
    sku: str | None = None
    variation: str | None = None
    tax_class: str | None = None


@dataclass(frozen=True, slots=True)
class OrderRecord:
    """One stored order: keyed, pseudonymised, coarse. See the module docstring."""

    order_key: str
    platform: str
    ordered_at: int
    updated_at: int
    status: str
    buyer: str
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
    is_member: bool = False
    prefecture: int | None = None
    age_band: int | None = None
    gender: str | None = None
    lines: tuple[LineRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """Where a shop's incremental sync stands; committed with each page's rows.

    ``watermark``: every order whose cursor time is before it is stored (Unix s).
    ``window_*``/``next_offset``/``window_total``: the window in flight, so a crash
    resumes at the next offset instead of the window's start (``None`` when idle).
    """

    VERSION: ClassVar[int] = 1

    watermark: int | None = None
    window_start: int | None = None
    window_end: int | None = None
    next_offset: int = 0
    window_total: int | None = None

    def to_json(self) -> str:
        return json.dumps({"version": self.VERSION, **asdict(self)}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Checkpoint:
        try:
            data: dict[str, Any] = json.loads(text)
        except ValueError as exc:
            raise CheckpointError(
                "the stored sync checkpoint is unreadable; run `kamei sync --full` to rebuild it"
            ) from exc
        version = data.pop("version", None)
        for upgrade in _UPGRADES.get(version, ()):  # upgrade chain: v(n) -> v(n+1)
            data = upgrade(data)
        if version not in _KNOWN_VERSIONS:
            raise CheckpointError(
                f"sync checkpoint version {version!r} is newer than this kamei understands; "
                "upgrade kamei"
            )
        try:
            return cls(**data)
        except TypeError as exc:
            raise CheckpointError(
                "the stored sync checkpoint has an unexpected shape; run `kamei sync --full`"
            ) from exc


# Upgrades from older checkpoint versions, applied in order. Empty while v1 is the only one.
_UPGRADES: dict[Any, tuple[Any, ...]] = {}
_KNOWN_VERSIONS = {1}


@dataclass(slots=True)
class RunStats:
    """What one sync run of one shop did. Identifiers and counts only."""

    outcome: str = "running"  # running | ok | failed | interrupted
    orders_written: int = 0
    pages: int = 0
    requests: int = 0
    retries: int = 0
    skipped: int = 0
    mismatches: int = 0
    suppressed: int = 0  # orders of forgotten buyers the sync boundary dropped
    error: str | None = None
    problems: dict[str, int] = field(default_factory=dict)

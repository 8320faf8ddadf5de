"""The store's tables as SQLAlchemy Core objects, for building queries.

These describe the schema that ``store.migrations`` produces; they never create
it (``tests/test_migrations.py`` checks the two agree column for column). Times
are Unix seconds (UTC), money is integer yen, flags are 0/1, JSON is text.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
)

__all__ = [
    "forgotten",
    "metadata",
    "order_lines",
    "orders",
    "schema_migrations",
    "shops",
    "sync_runs",
    "sync_state",
]

metadata = MetaData()

schema_migrations = Table(
    "schema_migrations",
    metadata,
    Column("version", Integer, primary_key=True),
    Column("name", Text, nullable=False),
    Column("applied_at", Integer, nullable=False),
)

shops = Table(
    "shops",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", Text, nullable=False, unique=True),
    Column("platform", Text, nullable=False),
    Column("settings", Text, nullable=False),  # JSON, non-secret (base_url, lookback_days…)
    Column("created_at", Integer, nullable=False),
)

_money = ("goods_total", "shipping", "fees", "tax", "discounts", "grand_total", "points_used")
_flags = ("is_gift", "multi_destination", "is_member")

orders = Table(
    "orders",
    metadata,
    Column("id", Integer, primary_key=True),  # migration 5: row id in arrival order
    Column("order_key", Text, nullable=False, unique=True),
    Column("shop_id", Integer, ForeignKey("shops.id", ondelete="CASCADE"), nullable=False),
    Column("platform", Text, nullable=False),
    Column("ordered_at", Integer, nullable=False),
    Column("updated_at", Integer, nullable=False),
    Column("status", Text, nullable=False),
    *(Column(name, Integer, nullable=False) for name in _money),
    Column("payment_method", Text),
    Column("delivery_method", Text),
    Column("coupon_name", Text),
    *(Column(name, Integer, nullable=False) for name in _flags),
    Column("buyer", Text, nullable=False),  # pseudonym, e.g. p1_…
    Column("prefecture", Integer),  # JIS X 0401 code 1-47
    Column("age_band", Integer),  # 10-year band at order time: 20 = 20-29
    Column("gender", Text),
    Column("units", Integer, nullable=False),  # sum of the lines' quantities
    Column("buyer_no", Integer, nullable=False),  # the buyer as a number (store.numbers)
    Index("orders_shop_updated", "shop_id", "updated_at"),
    Index("orders_shop_ordered", "shop_id", "ordered_at"),
    Index(
        "orders_buyer",
        "buyer_no", "ordered_at", "status", "shop_id", "platform", "grand_total", "prefecture",
    ),
    Index(
        "orders_report_time",
        "ordered_at", "status", "shop_id", "platform", "buyer_no", "grand_total", "units",
        "prefecture",
    ),
)  # fmt: skip

# Each line carries its order's shop, platform, time, status and buyer_no (written
# with the order, always together), so line reports need no join.
order_lines = Table(
    "order_lines",
    metadata,
    Column("order_id", Integer, ForeignKey("orders.id", ondelete="CASCADE"), nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("product_id", Text, nullable=False),
    Column("product_code", Text),
    Column("sku", Text),
    Column("product_name", Text, nullable=False),
    Column("variation", Text),
    Column("unit_price", Integer, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("subtotal", Integer, nullable=False),
    Column("tax_class", Text),
    Column("product_no", Integer, nullable=False),  # product_id as a number (store.numbers)
    Column("shop_id", Integer, nullable=False),
    Column("platform", Text, nullable=False),
    Column("ordered_at", Integer, nullable=False),
    Column("status", Text, nullable=False),
    Column("buyer_no", Integer, nullable=False),
    PrimaryKeyConstraint("order_id", "line_no"),
    Index(
        "order_lines_report",
        "ordered_at", "status", "shop_id", "platform", "order_id", "product_no", "variation",
        "buyer_no", "quantity", "subtotal",
    ),
    Index(
        "order_lines_product",
        "product_no", "variation", "order_id", "status", "ordered_at", "shop_id", "platform",
        "buyer_no", "quantity", "subtotal",
    ),
    sqlite_with_rowid=False,
)  # fmt: skip

sync_state = Table(
    "sync_state",
    metadata,
    Column("shop_id", Integer, ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True),
    Column("checkpoint", Text, nullable=False),  # Checkpoint.to_json()
    Column("updated_at", Integer, nullable=False),
)

sync_runs = Table(
    "sync_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("shop_id", Integer, ForeignKey("shops.id", ondelete="CASCADE"), nullable=False),
    Column("started_at", Integer, nullable=False),
    Column("finished_at", Integer),
    Column("outcome", Text, nullable=False),  # running | ok | failed | interrupted
    Column("orders_written", Integer, nullable=False),
    Column("pages", Integer, nullable=False),
    Column("requests", Integer, nullable=False),
    Column("retries", Integer, nullable=False),
    Column("skipped", Integer, nullable=False),
    Column("mismatches", Integer, nullable=False),
    Column("problems", Text, nullable=False),  # JSON object: problem name -> count
    Column("error", Text),  # one line, identifiers only
    Column("duration_s", Float),
    Column("suppressed", Integer, nullable=False),  # migration 4: orders of forgotten buyers
    Index("sync_runs_shop", "shop_id", "id"),
)

# Migration 4: `kamei forget`'s log, also the suppression list the sync honours.
forgotten = Table(
    "forgotten",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("pseudonym", Text, nullable=False),  # the buyer whose history was deleted (p<n>_…)
    Column("tag", Text, nullable=False),  # HMAC of the contact under the suppression key
    Column("forgotten_at", Integer, nullable=False),
    Column("orders_deleted", Integer, nullable=False),
    Index("forgotten_tag", "tag"),
)

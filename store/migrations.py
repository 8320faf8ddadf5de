"""Numbered schema migrations, applied in order, each with its bookkeeping row.

A migration is frozen once released: its SQL is written out here rather than
generated from ``store.schema``, so editing the Core tables can never change
what an old migration did. To change the schema, append a new ``Migration``
with the next number and update ``store.schema`` to match; the tests check
that a fresh file migrated to the latest version equals ``store.schema``.

Each migration runs in its own ``BEGIN IMMEDIATE`` transaction together with
its ``schema_migrations`` row (SQLite DDL is transactional), so a crash leaves
the file at the previous version, and two processes opening the same store
at once cannot both apply it: the second waits, then finds it done.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from kamei.errors import StoreError

from .numbers import number_of

__all__ = [
    "MIGRATIONS",
    "Migration",
    "applied_versions",
    "latest_version",
    "migrate",
    "pending",
    "schema_sql",
]


@dataclass(frozen=True, slots=True)
class Migration:
    """``functions``: SQL functions (name → one-argument Python function) the
    statements call, registered on the connection before they run."""

    version: int
    name: str
    statements: tuple[str, ...]
    functions: tuple[tuple[str, Callable[[Any], Any]], ...] = ()


_M1_INITIAL = (
    """CREATE TABLE shops (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    platform TEXT NOT NULL,
    settings TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL
)""",
    """CREATE TABLE orders (
    order_key TEXT PRIMARY KEY NOT NULL,  -- SQLite lets a non-integer PK be NULL otherwise
    shop_id INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    platform TEXT NOT NULL,
    ordered_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    status TEXT NOT NULL,
    goods_total INTEGER NOT NULL DEFAULT 0,
    shipping INTEGER NOT NULL DEFAULT 0,
    fees INTEGER NOT NULL DEFAULT 0,
    tax INTEGER NOT NULL DEFAULT 0,
    discounts INTEGER NOT NULL DEFAULT 0,
    grand_total INTEGER NOT NULL DEFAULT 0,
    points_used INTEGER NOT NULL DEFAULT 0,
    payment_method TEXT,
    delivery_method TEXT,
    coupon_name TEXT,
    is_gift INTEGER NOT NULL DEFAULT 0,
    multi_destination INTEGER NOT NULL DEFAULT 0,
    is_member INTEGER NOT NULL DEFAULT 0,
    buyer TEXT NOT NULL,
    prefecture INTEGER,
    age_band INTEGER,
    gender TEXT
)""",
    "CREATE INDEX orders_shop_updated ON orders(shop_id, updated_at)",
    "CREATE INDEX orders_shop_ordered ON orders(shop_id, ordered_at)",
    "CREATE INDEX orders_buyer ON orders(buyer)",
    "CREATE INDEX orders_ordered ON orders(ordered_at)",
    """CREATE TABLE order_lines (
    order_key TEXT NOT NULL REFERENCES orders(order_key) ON DELETE CASCADE,
    line_no INTEGER NOT NULL,
    product_id TEXT NOT NULL,
    product_code TEXT,
    sku TEXT,
    product_name TEXT NOT NULL,
    variation TEXT,
    unit_price INTEGER NOT NULL,
    quantity INTEGER NOT NULL,
    subtotal INTEGER NOT NULL,
    tax_class TEXT,
    PRIMARY KEY (order_key, line_no)
)""",
    "CREATE INDEX order_lines_product ON order_lines(product_id)",
    """CREATE TABLE sync_state (
    shop_id INTEGER PRIMARY KEY REFERENCES shops(id) ON DELETE CASCADE,
    checkpoint TEXT NOT NULL,
    updated_at INTEGER NOT NULL
)""",
    """CREATE TABLE sync_runs (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    outcome TEXT NOT NULL DEFAULT 'running',
    orders_written INTEGER NOT NULL DEFAULT 0,
    pages INTEGER NOT NULL DEFAULT 0,
    requests INTEGER NOT NULL DEFAULT 0,
    retries INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    mismatches INTEGER NOT NULL DEFAULT 0,
    problems TEXT NOT NULL DEFAULT '{}',
    error TEXT,
    duration_s REAL
)""",
    "CREATE INDEX sync_runs_shop ON sync_runs(shop_id, id)",
)

# Covering indexes for the reports (store.reports): every report scans the counted
# orders by time or groups them by buyer, and the order lines by order. Read
# through these, a report decrypts a fraction of the pages the tables span and
# groups by buyer without sorting (bench/REPORTS.md has the measurements).
_M2_REPORT_INDEXES = (
    """CREATE INDEX orders_report_time ON orders(
    ordered_at, status, shop_id, platform, buyer, grand_total, prefecture, order_key)""",
    """CREATE INDEX orders_report_buyer ON orders(
    buyer, ordered_at, status, shop_id, platform, grand_total, prefecture)""",
    "CREATE INDEX order_lines_report ON order_lines(order_key, product_id, quantity, subtotal)",
)

# Reports that read order lines (sales units, products, baskets) join them to their
# orders. Walking this index and order_lines_report side by side in order_key order
# turns a million random lookups into two sequential scans.
_M3_ORDER_KEY_INDEX = (
    """CREATE INDEX orders_report_key ON orders(
    order_key, status, ordered_at, shop_id, platform, buyer)""",
)

# `kamei forget`: the log of deletions, which is also the suppression list the sync
# boundary honours. One row per contact detail forgotten: the buyer pseudonym whose
# history was deleted, a keyed tag of the contact (HMAC under the suppression key in
# the keyring, never the contact itself), when, and how many orders went. Sync runs
# count the orders they dropped for it, so reconciliation sees no shortfall.
_M4_FORGOTTEN = (
    """CREATE TABLE forgotten (
    id INTEGER PRIMARY KEY,
    pseudonym TEXT NOT NULL,
    tag TEXT NOT NULL,
    forgotten_at INTEGER NOT NULL,
    orders_deleted INTEGER NOT NULL
)""",
    "CREATE INDEX forgotten_tag ON forgotten(tag)",
    "ALTER TABLE sync_runs ADD COLUMN suppressed INTEGER NOT NULL DEFAULT 0",
)

# Orders get an integer row id in arrival order, and lines point at it and carry
# their order's buyer, time, status, shop and platform; the order carries its
# units. Why (bench/RESULTS.md, bench/REPORTS.md): order keys are HMACs, so every
# index led by one lands each insert on a random page, and a page commit wrote and
# encrypted a page per row for each of six such indexes. Now only two remain
# random (the key itself, needed to upsert, and the buyer index the per-buyer
# reports and `kamei forget` read); everything else is appended in id or time
# order. Reports read lines without joining them to orders. Lines are always
# rewritten together with their order, so the copied columns cannot drift.
# buyer_no and product_no are the buyer pseudonym and the product id as 63-bit
# numbers (store.numbers): reports group and sort by them, which SQLite does
# several times faster than by the text.
_M5_ROW_IDS = (
    """CREATE TABLE orders_v5 (
    id INTEGER PRIMARY KEY,
    order_key TEXT NOT NULL UNIQUE,
    shop_id INTEGER NOT NULL REFERENCES shops(id) ON DELETE CASCADE,
    platform TEXT NOT NULL,
    ordered_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    status TEXT NOT NULL,
    goods_total INTEGER NOT NULL DEFAULT 0,
    shipping INTEGER NOT NULL DEFAULT 0,
    fees INTEGER NOT NULL DEFAULT 0,
    tax INTEGER NOT NULL DEFAULT 0,
    discounts INTEGER NOT NULL DEFAULT 0,
    grand_total INTEGER NOT NULL DEFAULT 0,
    points_used INTEGER NOT NULL DEFAULT 0,
    payment_method TEXT,
    delivery_method TEXT,
    coupon_name TEXT,
    is_gift INTEGER NOT NULL DEFAULT 0,
    multi_destination INTEGER NOT NULL DEFAULT 0,
    is_member INTEGER NOT NULL DEFAULT 0,
    buyer TEXT NOT NULL,
    prefecture INTEGER,
    age_band INTEGER,
    gender TEXT,
    units INTEGER NOT NULL DEFAULT 0,
    buyer_no INTEGER NOT NULL
)""",
    """INSERT INTO orders_v5 (
    order_key, shop_id, platform, ordered_at, updated_at, status, goods_total, shipping,
    fees, tax, discounts, grand_total, points_used, payment_method, delivery_method,
    coupon_name, is_gift, multi_destination, is_member, buyer, prefecture, age_band, gender,
    units, buyer_no)
SELECT o.order_key, o.shop_id, o.platform, o.ordered_at, o.updated_at, o.status,
    o.goods_total, o.shipping, o.fees, o.tax, o.discounts, o.grand_total, o.points_used,
    o.payment_method, o.delivery_method, o.coupon_name, o.is_gift, o.multi_destination,
    o.is_member, o.buyer, o.prefecture, o.age_band, o.gender,
    COALESCE((SELECT SUM(l.quantity) FROM order_lines l WHERE l.order_key = o.order_key), 0),
    kamei_number_of(o.buyer)
FROM orders o ORDER BY o.ordered_at, o.order_key""",
    """CREATE TABLE order_lines_v5 (
    order_id INTEGER NOT NULL REFERENCES orders_v5(id) ON DELETE CASCADE,
    line_no INTEGER NOT NULL,
    product_id TEXT NOT NULL,
    product_code TEXT,
    sku TEXT,
    product_name TEXT NOT NULL,
    variation TEXT,
    unit_price INTEGER NOT NULL,
    quantity INTEGER NOT NULL,
    subtotal INTEGER NOT NULL,
    tax_class TEXT,
    product_no INTEGER NOT NULL,
    shop_id INTEGER NOT NULL,
    platform TEXT NOT NULL,
    ordered_at INTEGER NOT NULL,
    status TEXT NOT NULL,
    buyer_no INTEGER NOT NULL,
    PRIMARY KEY (order_id, line_no)
) WITHOUT ROWID""",
    """INSERT INTO order_lines_v5
SELECT n.id, l.line_no, l.product_id, l.product_code, l.sku, l.product_name, l.variation,
    l.unit_price, l.quantity, l.subtotal, l.tax_class, kamei_number_of(l.product_id), n.shop_id,
    n.platform, n.ordered_at, n.status, n.buyer_no
FROM orders_v5 n CROSS JOIN order_lines l ON l.order_key = n.order_key
ORDER BY n.id, l.line_no""",
    "DROP TABLE order_lines",
    "DROP TABLE orders",
    "ALTER TABLE orders_v5 RENAME TO orders",
    "ALTER TABLE order_lines_v5 RENAME TO order_lines",
    "CREATE INDEX orders_shop_updated ON orders(shop_id, updated_at)",
    "CREATE INDEX orders_shop_ordered ON orders(shop_id, ordered_at)",
    # Per-buyer reports (repeat, cohorts, rfm, prefectures) group through this
    # without sorting; `kamei lookup`/`forget` find a buyer's orders with it.
    """CREATE INDEX orders_buyer ON orders(
    buyer_no, ordered_at, status, shop_id, platform, grand_total, prefecture)""",
    # Reports over a time range (sales and its periods), read in time order.
    """CREATE INDEX orders_report_time ON orders(
    ordered_at, status, shop_id, platform, buyer_no, grand_total, units, prefecture)""",
    # Line reports (products, baskets) over a time range, and product names.
    """CREATE INDEX order_lines_report ON order_lines(
    ordered_at, status, shop_id, platform, order_id, product_no, variation, buyer_no,
    quantity, subtotal)""",
    "CREATE INDEX order_lines_product ON order_lines(product_no, variation, order_id)",
)

# The products report reads this index alone, product by product, with no sort:
# it carries the filtered columns, the buyer and the sums. Lines land at the end of
# their product's range, so a sync pays little for the wider rows.
_M6_PRODUCT_INDEX = (
    "DROP INDEX order_lines_product",
    """CREATE INDEX order_lines_product ON order_lines(
    product_no, variation, order_id, status, ordered_at, shop_id, platform, buyer_no,
    quantity, subtotal)""",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _M1_INITIAL),
    Migration(2, "report indexes", _M2_REPORT_INDEXES),
    Migration(3, "report index by order key", _M3_ORDER_KEY_INDEX),
    Migration(4, "forgotten buyers", _M4_FORGOTTEN),
    Migration(
        5,
        "order row ids, lines carry their order",
        _M5_ROW_IDS,
        functions=(("kamei_number_of", number_of),),
    ),
    Migration(6, "covering product index", _M6_PRODUCT_INDEX),
)

_BOOKKEEPING = """CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
)"""


def latest_version(migrations: Sequence[Migration] = MIGRATIONS) -> int:
    return max((m.version for m in migrations), default=0)


def _check_order(migrations: Sequence[Migration]) -> None:
    versions = [m.version for m in migrations]
    if versions != list(range(1, len(versions) + 1)):
        # A programming error, caught by the tests before any release.
        raise RuntimeError(f"migrations must be numbered 1..n in order, got {versions}")


def applied_versions(conn: sa.Connection) -> set[int]:
    has_table = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ).first()
    if has_table is None:
        return set()
    return {int(v) for (v,) in conn.exec_driver_sql("SELECT version FROM schema_migrations")}


def pending(engine: sa.Engine, migrations: Sequence[Migration] = MIGRATIONS) -> list[Migration]:
    """The migrations not yet applied; refuses a file from a newer kamei."""
    _check_order(migrations)
    with engine.connect() as conn:
        done = applied_versions(conn)
    newest = max(done, default=0)
    if newest > latest_version(migrations):
        raise StoreError(
            f"this store uses schema version {newest}, newer than this kamei knows "
            f"({latest_version(migrations)}); upgrade kamei"
        )
    return [m for m in migrations if m.version not in done]


def migrate(
    engine: sa.Engine,
    migrations: Sequence[Migration] = MIGRATIONS,
    *,
    clock: Callable[[], int] = lambda: int(time.time()),
) -> list[int]:
    """Apply every pending migration in order; return the versions applied."""
    applied: list[int] = []
    for migration in pending(engine, migrations):
        with engine.connect() as conn:
            conn = conn.execution_options(kamei_write=True)
            with conn.begin():
                if migration.version in applied_versions(conn):
                    continue  # another process applied it while we waited for the lock
                conn.exec_driver_sql(_BOOKKEEPING)
                raw = conn.connection.driver_connection
                for name, function in migration.functions:
                    raw.create_function(name, 1, function, deterministic=True)  # type: ignore[union-attr]
                for statement in migration.statements:
                    conn.exec_driver_sql(statement)
                conn.execute(
                    sa.text(
                        "INSERT INTO schema_migrations (version, name, applied_at) "
                        "VALUES (:version, :name, :applied_at)"
                    ),
                    {"version": migration.version, "name": migration.name, "applied_at": clock()},
                )
        applied.append(migration.version)
    return applied


def schema_sql(migrations: Sequence[Migration] = MIGRATIONS) -> str:
    """The schema the real migrations produce, as SQL, for ``docs/``.

    Runs the migrations on a throw-away in-memory SQLite database (the SQL is
    the same with or without encryption) and reads back ``sqlite_master``.
    """
    engine = sa.create_engine("sqlite://")
    try:
        _install_begin(engine)
        migrate(engine, migrations, clock=lambda: 0)
        with engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL "
                "ORDER BY CASE type WHEN 'table' THEN 0 ELSE 1 END, tbl_name, name"
            ).all()
    finally:
        engine.dispose()
    # ALTER TABLE … RENAME quotes the names it rewrites; show them as written.
    text = "".join(f"{sql};\n\n" for (sql,) in rows).rstrip() + "\n"
    return re.sub(r'"([a-z_][a-z0-9_]*)"', r"\1", text)


def _install_begin(engine: sa.Engine) -> None:
    # The stdlib driver's legacy transaction mode would run DDL outside the
    # transaction; let SQLAlchemy emit BEGIN, as store.engine does.
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: object, _record: object) -> None:
        dbapi_connection.isolation_level = None  # type: ignore[attr-defined]

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN")

"""Schema migrations: numbered, ordered, each committed with its bookkeeping row."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from kamei.errors import StoreError
from store import Store, schema, schema_sql
from store.migrations import (
    MIGRATIONS,
    Migration,
    applied_versions,
    latest_version,
    migrate,
    pending,
)
from store.numbers import number_of


def _begin_hooks(engine: sa.Engine) -> None:
    # As store.engine does: SQLAlchemy, not the stdlib driver, emits BEGIN, so
    # DDL really is inside the migration's transaction.
    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN")


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[sa.Engine]:
    """A plain SQLite file: the migrations' SQL is the same with or without SQLCipher."""
    eng = sa.create_engine(f"sqlite:///{tmp_path / 'plain.db'}")
    _begin_hooks(eng)
    yield eng
    eng.dispose()


def _versions(engine: sa.Engine) -> list[tuple[int, str, int]]:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"
        ).all()
    return [(int(v), str(n), int(a)) for v, n, a in rows]


def test_migration_versions_are_unique_and_numbered_one_to_n_in_order() -> None:
    versions = [m.version for m in MIGRATIONS]
    assert versions == list(range(1, len(MIGRATIONS) + 1))
    assert len({m.name for m in MIGRATIONS}) == len(MIGRATIONS)
    assert latest_version() == versions[-1]


def test_a_fresh_file_reaches_the_latest_version_with_one_row_per_migration(
    engine: sa.Engine,
) -> None:
    assert migrate(engine, clock=lambda: 111) == [m.version for m in MIGRATIONS]
    assert _versions(engine) == [(m.version, m.name, 111) for m in MIGRATIONS]


def test_migrating_again_applies_nothing_and_keeps_the_bookkeeping(engine: sa.Engine) -> None:
    migrate(engine, clock=lambda: 111)
    assert pending(engine) == []
    assert migrate(engine, clock=lambda: 222) == []
    assert {a for _, _, a in _versions(engine)} == {111}


def test_the_migrated_schema_matches_the_core_tables_column_for_column(
    engine: sa.Engine,
) -> None:
    migrate(engine)
    inspector = sa.inspect(engine)
    assert set(inspector.get_table_names()) == set(schema.metadata.tables)
    for name, table in schema.metadata.tables.items():
        columns = {c["name"]: c for c in inspector.get_columns(name)}
        assert list(columns) == [c.name for c in table.columns], name
        for column in table.columns:
            found = columns[column.name]
            rowid_alias = (
                column.primary_key
                and len(table.primary_key.columns) == 1
                and isinstance(column.type, sa.Integer)
            )  # INTEGER PRIMARY KEY is the rowid: never NULL, though SQLite reports it nullable
            if not rowid_alias:
                assert found["nullable"] == column.nullable, (name, column.name)
            assert found["type"]._type_affinity is column.type._type_affinity, (name, column.name)
        pk = inspector.get_pk_constraint(name)["constrained_columns"]
        assert pk == [c.name for c in table.primary_key.columns], name
        indexes = {i["name"]: i["column_names"] for i in inspector.get_indexes(name)}
        expected = {i.name: [c.name for c in i.columns] for i in table.indexes}
        assert indexes == expected, name
        with engine.connect() as conn:  # the inspector does not report ON DELETE
            fks = {
                (row["from"], row["table"], row["on_delete"])
                for row in conn.exec_driver_sql(f"PRAGMA foreign_key_list({name})").mappings()
            }
        expected_fks = {
            (fk.parent.name, fk.column.table.name, fk.ondelete or "NO ACTION")
            for fk in table.foreign_keys
        }
        assert fks == expected_fks, name


@pytest.mark.parametrize("start", range(len(MIGRATIONS)))
def test_a_file_at_each_older_version_migrates_to_the_same_schema_as_a_fresh_one(
    tmp_path: Path, engine: sa.Engine, start: int
) -> None:
    migrate(engine, MIGRATIONS[:start])
    migrate(engine)
    fresh = sa.create_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    _begin_hooks(fresh)
    try:
        migrate(fresh)

        def ddl(eng: sa.Engine) -> list[str]:
            with eng.connect() as conn:
                return list(
                    conn.exec_driver_sql(
                        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"
                    ).scalars()
                )

        assert ddl(engine) == ddl(fresh)
    finally:
        fresh.dispose()


def test_a_failing_migration_leaves_the_file_at_the_previous_version(engine: sa.Engine) -> None:
    broken = (
        *MIGRATIONS,
        Migration(
            len(MIGRATIONS) + 1,
            "half done",
            ("CREATE TABLE extra (x INTEGER)", "THIS IS NOT SQL"),
        ),
    )
    with pytest.raises(sa.exc.OperationalError):
        migrate(engine, broken)
    assert [v for v, _, _ in _versions(engine)] == [m.version for m in MIGRATIONS]
    assert "extra" not in sa.inspect(engine).get_table_names()


def test_misnumbered_migrations_are_refused() -> None:
    gap = (Migration(1, "a", ()), Migration(3, "c", ()))
    eng = sa.create_engine("sqlite://")
    try:
        with pytest.raises(RuntimeError, match="numbered"):
            pending(eng, gap)
    finally:
        eng.dispose()


def test_a_store_from_a_newer_kamei_is_refused_with_upgrade_advice(home: Path) -> None:
    with Store.create(home) as st, st.atomic() as conn:
        conn.exec_driver_sql(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)"
        )
    with pytest.raises(StoreError, match="upgrade kamei"):
        Store.open(home)


def test_the_store_migrates_an_old_file_on_open(home: Path) -> None:
    with Store.create(home) as st:
        assert st.schema_version() == latest_version()
        with st.atomic() as conn:  # back to version 0: an empty encrypted file
            for table in reversed(schema.metadata.sorted_tables):
                conn.exec_driver_sql(f"DROP TABLE {table.name}")
    with Store.open(home, readonly=True) as st:  # even a read-only open brings it up to date
        assert st.schema_version() == latest_version()
        assert st.list_shops() == []
        with st.connect() as conn:
            assert applied_versions(conn) == {m.version for m in MIGRATIONS}


def test_schema_sql_shows_the_tables_the_migrations_create() -> None:
    text = schema_sql()
    for table in schema.metadata.tables:
        assert f"CREATE TABLE {table} (" in text
    assert "CREATE INDEX orders_shop_updated ON orders(shop_id, updated_at);" in text
    assert text.endswith(";\n")


def test_migration_5_keeps_every_order_and_line_and_fills_the_copied_columns(
    engine: sa.Engine,
) -> None:
    migrate(engine, MIGRATIONS[:4])
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO shops (id, name, platform, settings, created_at) "
            "VALUES (1, 'main', 'colorme', '{}', 0)"
        )
        # Inserted out of time order: the new row ids follow ordered_at.
        for key, ordered_at, status, buyer in (
            ("kb", 200, "shipped", "p1_b"),
            ("ka", 100, "paid", "p1_a"),
            ("kc", 300, "cancelled", "p1_a"),
        ):
            conn.exec_driver_sql(
                "INSERT INTO orders (order_key, shop_id, platform, ordered_at, updated_at, "
                "status, grand_total, buyer) VALUES (?, 1, 'colorme', ?, ?, ?, 1000, ?)",
                (key, ordered_at, ordered_at + 5, status, buyer),
            )
        for key, line_no, quantity in (("ka", 1, 2), ("ka", 2, 3), ("kb", 1, 1)):
            conn.exec_driver_sql(
                "INSERT INTO order_lines (order_key, line_no, product_id, product_name, "
                "unit_price, quantity, subtotal) VALUES (?, ?, 'P', '箸', 100, ?, ?)",
                (key, line_no, quantity, 100 * quantity),
            )
    assert migrate(engine, MIGRATIONS[:5]) == [5]
    with engine.connect() as conn:
        orders = conn.exec_driver_sql(
            "SELECT id, order_key, ordered_at, status, buyer, units FROM orders ORDER BY id"
        ).all()
        lines = conn.exec_driver_sql(
            "SELECT order_id, line_no, quantity, shop_id, platform, ordered_at, status, buyer_no "
            "FROM order_lines ORDER BY order_id, line_no"
        ).all()
        numbers = dict(conn.exec_driver_sql("SELECT buyer, buyer_no FROM orders").all())
        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
    assert [tuple(r) for r in orders] == [
        (1, "ka", 100, "paid", "p1_a", 5),
        (2, "kb", 200, "shipped", "p1_b", 1),
        (3, "kc", 300, "cancelled", "p1_a", 0),
    ]
    a, b = number_of("p1_a"), number_of("p1_b")
    assert numbers == {"p1_a": a, "p1_b": b} and a != b
    assert [tuple(r) for r in lines] == [
        (1, 1, 2, 1, "colorme", 100, "paid", a),
        (1, 2, 3, 1, "colorme", 100, "paid", a),
        (2, 1, 1, 1, "colorme", 200, "shipped", b),
    ]
    assert broken == []


def test_migration_6_makes_the_product_index_cover_the_products_report(
    engine: sa.Engine,
) -> None:
    migrate(engine, MIGRATIONS[:5])
    with engine.connect() as conn:
        before = [r[2] for r in conn.exec_driver_sql("PRAGMA index_info(order_lines_product)")]
    assert migrate(engine) == [6]
    with engine.connect() as conn:
        after = [r[2] for r in conn.exec_driver_sql("PRAGMA index_info(order_lines_product)")]
        plan = " ".join(
            str(r[3])
            for r in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN SELECT l.product_no, SUM(l.subtotal), SUM(l.quantity), "
                "COUNT(DISTINCT l.buyer_no) FROM order_lines l INDEXED BY order_lines_product "
                "WHERE l.status NOT IN ('cancelled', 'returned') AND l.ordered_at >= 0 "
                "AND l.shop_id IN (1) AND l.platform IN ('colorme') GROUP BY l.product_no"
            )
        )
    assert before == ["product_no", "variation", "order_id"]
    assert after[:3] == before and {"status", "buyer_no", "subtotal", "quantity"} <= set(after)
    assert "COVERING INDEX order_lines_product" in plan and "B-TREE FOR GROUP BY" not in plan

"""``kamei sql``: read-only ad-hoc SQL; writes, ATTACH and PRAGMA changes refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from clikit import invoke as kamei
from conftest import OrderFactory

from store import Checkpoint, Store

REFUSED = (
    "kamei: error: kamei sql is read-only: writes, ATTACH and PRAGMA changes are refused; "
    "ask with SELECT (or WITH … SELECT) instead\n"
)


@pytest.fixture
def filled(store: Store, make_order: OrderFactory) -> Path:
    shop = store.add_shop("main", "colorme")
    orders = [make_order(n) for n in range(6)]
    orders.append(make_order(6, status="cancelled"))
    store.commit_page(shop.id, orders, Checkpoint())
    return store.home


def test_a_select_prints_a_table_and_warns_it_is_not_suppressed(filled: Path) -> None:
    code, out, err = kamei("sql", "SELECT status, COUNT(*) AS n FROM orders GROUP BY status")
    assert code == 0
    assert "cancelled" in out and "paid" in out
    assert err == (
        "kamei: kamei sql output is not suppressed and may list pseudonyms; "
        "check it before sharing\n"
    )


def test_a_select_as_json_has_the_rows_and_the_query(filled: Path) -> None:
    query = "SELECT status, COUNT(*) AS n FROM orders GROUP BY status ORDER BY status"
    code, out, _ = kamei("sql", query, "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["rows"] == [{"status": "cancelled", "n": 1}, {"status": "paid", "n": 6}]
    assert document["params"] == {"query": query}
    assert document["min_group"] is None


def test_sql_may_show_pseudonyms(filled: Path) -> None:
    code, out, _ = kamei("sql", "SELECT buyer FROM orders LIMIT 1", "-f", "csv")
    assert code == 0 and out.splitlines()[1].startswith("p1_")


@pytest.mark.parametrize(
    "query",
    [
        "DELETE FROM orders",
        "UPDATE orders SET status = 'paid'",
        "INSERT INTO shops (name, platform, settings, created_at) VALUES ('x', 'y', '{}', 0)",
        "CREATE TABLE t (x)",
        "DROP TABLE orders",
        "ATTACH DATABASE '/tmp/plain.db' AS plain",
        "PRAGMA query_only = 0",
        "PRAGMA journal_mode = DELETE",
        "PRAGMA rekey = 'x'",
        "SELECT sqlcipher_export('plain')",
    ],
)
def test_writes_attach_and_pragma_changes_are_refused(filled: Path, query: str) -> None:
    code, out, err = kamei("sql", query)
    assert (code, err) == (2, REFUSED), out
    with Store.open(filled) as store:
        assert store.count_orders() == 7
        assert [s.name for s in store.list_shops()] == ["main"]


def test_looking_pragmas_still_work(filled: Path) -> None:
    code, out, _ = kamei("sql", "PRAGMA table_info(orders)", "-f", "json")
    assert code == 0
    assert "buyer" in [row["name"] for row in json.loads(out)["rows"]]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT nope FROM orders", "the query failed: no such column: nope"),
        ("SELECT 1; SELECT 2", "kamei sql runs one statement at a time"),
        ("   ", 'give a query, e.g. kamei sql "SELECT COUNT(*) FROM orders"'),
    ],
)
def test_mistakes_get_one_line(filled: Path, query: str, message: str) -> None:
    code, _, err = kamei("sql", query)
    assert code == 2
    assert err.startswith("kamei: error: ") and message in err and err.count("\n") == 1


def test_sql_without_a_store_says_to_run_init() -> None:
    code, _, err = kamei("sql", "SELECT 1")
    assert code == 5 and "kamei init" in err

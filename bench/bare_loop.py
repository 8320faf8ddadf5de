"""The floor: a full Color Me sync with no abstraction at all, timed phase by phase.

One loop: httpx page fetch, ``json`` parse, HMAC-SHA256 of the e-mail, then
``executemany`` of the page's orders and lines in one transaction per page,
into the core issue's tables and indexes (orders keyed by ``order_key``, lines
by ``(order_key, line_no)``, indexes on buyer, time and product: kamei's schema
before migration 5, kept unchanged so results stay comparable across runs),
through ``sqlcipher3`` with a raw key and WAL/NORMAL (``--driver
sqlite3``: stdlib SQLite, unencrypted). Same query parameters as kamei
(``make_date_min`` + ``update_date_min/max``, ``limit=100``, ``offset``), so
everyone reads the same N orders. No validation, no retries, no pseudonym
normalisation beyond trim+lowercase, orders keyed by the raw sale id (``--keys
hmac``: by an HMAC of it, as kamei keys them, which scatters the inserts).

Prints one JSON line: orders, pages, wall seconds, and seconds per phase.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import hmac
import json
import os
import time
from typing import Any

import httpx

DDL = """
CREATE TABLE IF NOT EXISTS orders (
    order_key TEXT PRIMARY KEY NOT NULL, shop_id INTEGER NOT NULL, platform TEXT NOT NULL,
    ordered_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, status TEXT NOT NULL,
    goods_total INTEGER NOT NULL, shipping INTEGER NOT NULL, fees INTEGER NOT NULL,
    tax INTEGER NOT NULL, discounts INTEGER NOT NULL, grand_total INTEGER NOT NULL,
    points_used INTEGER NOT NULL, payment_method TEXT, delivery_method TEXT, coupon_name TEXT,
    is_gift INTEGER NOT NULL, multi_destination INTEGER NOT NULL, is_member INTEGER NOT NULL,
    buyer TEXT NOT NULL, prefecture INTEGER, age_band INTEGER, gender TEXT);
CREATE TABLE IF NOT EXISTS order_lines (
    order_key TEXT NOT NULL REFERENCES orders(order_key) ON DELETE CASCADE,
    line_no INTEGER NOT NULL, product_id TEXT NOT NULL, product_code TEXT, sku TEXT,
    product_name TEXT NOT NULL, variation TEXT, unit_price INTEGER NOT NULL,
    quantity INTEGER NOT NULL, subtotal INTEGER NOT NULL, tax_class TEXT,
    PRIMARY KEY (order_key, line_no));
CREATE INDEX IF NOT EXISTS order_lines_product ON order_lines(product_id);
CREATE INDEX IF NOT EXISTS orders_buyer ON orders(buyer);
CREATE INDEX IF NOT EXISTS orders_ordered ON orders(ordered_at);
CREATE INDEX IF NOT EXISTS orders_shop_ordered ON orders(shop_id, ordered_at);
CREATE INDEX IF NOT EXISTS orders_shop_updated ON orders(shop_id, updated_at);
"""
INSERT_ORDER = "INSERT OR REPLACE INTO orders VALUES (" + ",".join("?" * 23) + ")"
INSERT_LINE = "INSERT OR REPLACE INTO order_lines VALUES (" + ",".join("?" * 11) + ")"
JST = dt.timezone(dt.timedelta(hours=9))


def connect(path: str, driver: str) -> Any:
    if driver == "sqlite3":
        import sqlite3

        conn = sqlite3.connect(path, isolation_level=None)
    else:
        import sqlcipher3.dbapi2 as sqlcipher

        conn = sqlcipher.connect(path, isolation_level=None)
        conn.execute(f"PRAGMA key = \"x'{os.urandom(32).hex()}'\"")  # a raw key: no KDF
    conn.execute("PRAGMA journal_mode = WAL").fetchall()
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.executescript(DDL)
    return conn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--driver", choices=("sqlcipher3", "sqlite3"), default="sqlcipher3")
    parser.add_argument(
        "--keys",
        choices=("id", "hmac"),
        default="id",
        help="order key: the raw sale id, or an HMAC of it as kamei's privacy design requires",
    )
    args = parser.parse_args()

    started = time.perf_counter()
    key = os.urandom(32)
    conn = connect(args.db, args.driver)
    now = dt.datetime.now(JST).replace(microsecond=0)
    params: dict[str, Any] = {
        "make_date_min": "2000-01-01 00:00:00",
        "update_date_min": "2005-01-01 09:00:00",
        "update_date_max": now.strftime("%Y-%m-%d %H:%M:%S"),
        "limit": 100,
        "offset": 0,
    }
    headers = {"Authorization": f"Bearer {args.token}", "Accept": "application/json"}
    fetch = parse = mac = store = 0.0
    orders = pages = 0
    with httpx.Client(base_url=args.base_url, headers=headers, timeout=60) as client:
        while True:
            t0 = time.perf_counter()
            response = client.get("/v1/sales", params=params)
            response.raise_for_status()
            body = response.content
            t1 = time.perf_counter()
            data = json.loads(body)
            sales = data["sales"]
            rows, lines, emails = [], [], []
            for sale in sales:
                customer = sale["customer"] or {}
                emails.append((customer.get("mail") or "").strip().lower())
                deliveries = sale["sale_deliveries"] or []
                order_key = str(sale["id"])
                if args.keys == "hmac":  # random keys: every row lands on another B-tree page
                    order_key = hmac.digest(key, order_key.encode(), "sha256").hex()[:32]
                status = (
                    "cancelled"
                    if sale["canceled"]
                    else "shipped"
                    if sale["delivered"]
                    else "paid"
                    if sale["paid"]
                    else "pending"
                )
                coupon = sale.get("shop_coupon") or {}
                rows.append(
                    [
                        order_key,
                        1,
                        "colorme",
                        sale["make_date"],
                        sale["update_date"],
                        status,
                        sale["product_total_price"],
                        sale["delivery_total_charge"],
                        sale["fee"]
                        + sale["noshi_total_charge"]
                        + sale["card_total_charge"]
                        + sale["wrapping_total_charge"],
                        sale["tax"],
                        sale["point_discount"]
                        + sale["gmo_point_discount"]
                        + sale["other_discount"],
                        sale["total_price"],
                        sale["use_points"],
                        f"payment:{sale['payment_id']}",
                        f"delivery:{deliveries[0]['delivery_id']}" if deliveries else None,
                        coupon.get("name") or sale["other_discount_name"] or None,
                        int(any(d["card_text"] or d["noshi_text"] for d in deliveries)),
                        int(len(deliveries) > 1),
                        int(bool(customer.get("member"))),
                        None,  # the buyer pseudonym, filled in below
                        customer.get("pref_id"),
                        None,
                        customer.get("sex"),
                    ]
                )
                for n, d in enumerate(sale["details"], start=1):
                    values = [v for v in (d["option1_value"], d["option2_value"]) if v]
                    lines.append(
                        (
                            order_key,
                            n,
                            str(d["product_id"]),
                            d["product_model_number"],
                            d["product_model_number"],
                            d["pristine_product_full_name"] or d["product_name"],
                            " / ".join(values) or None,
                            d["price_with_tax"],
                            d["product_num"],
                            d["subtotal_price"],
                            "reduced" if d["tax_reduced"] else "standard",
                        )
                    )
            t2 = time.perf_counter()
            for row, email in zip(rows, emails, strict=True):
                row[19] = hmac.new(key, email.encode(), hashlib.sha256).hexdigest()[:32]
            t3 = time.perf_counter()
            conn.execute("BEGIN")
            conn.executemany(INSERT_ORDER, rows)
            conn.executemany(INSERT_LINE, lines)
            conn.execute("COMMIT")
            t4 = time.perf_counter()
            fetch, parse = fetch + t1 - t0, parse + t2 - t1
            mac, store = mac + t3 - t2, store + t4 - t3
            orders += len(sales)
            pages += 1
            params["offset"] += len(sales)
            if not sales or params["offset"] >= data["meta"]["total"]:
                break
    conn.close()
    wall = time.perf_counter() - started
    print(
        json.dumps(
            {
                "orders": orders,
                "pages": pages,
                "wall_s": wall,
                "fetch_s": fetch,
                "parse_s": parse,
                "hmac_s": mac,
                "store_s": store,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()

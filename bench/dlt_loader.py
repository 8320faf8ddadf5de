"""dlt as a contender: its ``rest_api`` source reads the Color Me fake into SQLite.

Runs in ``bench/.venv-dlt`` (dlt is not a kamei dependency). The source pages
``GET /v1/sales`` with dlt's offset paginator (``limit=100``, ``offset``, the
total from ``meta.total``) and the same time bounds kamei sends, so it reads the
same N orders, and loads the pages as they come, as the rest_api source does
by default: dlt infers the schema and normalises every nested list (details,
deliveries, ...) into child tables. ``--project`` first maps each sale to
kamei's stored fields plus an HMAC-SHA256 of the e-mail (a ``processing_steps``
map), dlt's best case here: a ``sales`` table and a ``sales__lines`` child table.
The destination is dlt's ``sqlalchemy`` destination on a plain SQLite file.

Prints one JSON line: orders loaded and wall seconds (extract, normalise and
load, as ``pipeline.run`` does them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import hmac
import json
import os
import time
from pathlib import Path
from typing import Any

JST = dt.timezone(dt.timedelta(hours=9))


def project(key: bytes) -> Any:
    def to_row(sale: dict[str, Any]) -> dict[str, Any]:
        customer = sale.get("customer") or {}
        email = (customer.get("mail") or "").strip().lower()
        deliveries = sale.get("sale_deliveries") or []
        return {
            "id": sale["id"],
            "make_date": sale["make_date"],
            "update_date": sale["update_date"],
            "paid": sale["paid"],
            "delivered": sale["delivered"],
            "canceled": sale["canceled"],
            "product_total_price": sale["product_total_price"],
            "delivery_total_charge": sale["delivery_total_charge"],
            "fee": sale["fee"],
            "tax": sale["tax"],
            "total_price": sale["total_price"],
            "use_points": sale["use_points"],
            "payment_id": sale["payment_id"],
            "delivery_id": deliveries[0]["delivery_id"] if deliveries else None,
            "buyer": hmac.new(key, email.encode(), hashlib.sha256).hexdigest()[:32],
            "pref_id": customer.get("pref_id"),
            "sex": customer.get("sex"),
            "member": bool(customer.get("member")),
            "lines": [
                {
                    "line_no": n,
                    "product_id": str(d["product_id"]),
                    "sku": d["product_model_number"],
                    "product_name": d["pristine_product_full_name"] or d["product_name"],
                    "unit_price": d["price_with_tax"],
                    "quantity": d["product_num"],
                    "subtotal": d["subtotal_price"],
                }
                for n, d in enumerate(sale.get("details") or [], start=1)
            ],
        }

    return to_row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument(
        "--project", action="store_true", help="map each sale to kamei's fields first"
    )
    args = parser.parse_args()

    started = time.perf_counter()
    work = Path(args.workdir)
    # Keep dlt's state, logs and telemetry inside the scratch folder and off the network.
    os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")
    os.environ.setdefault("DLT_DATA_DIR", str(work / "dlt-data"))
    import dlt
    from dlt.sources.rest_api import rest_api_source

    now = dt.datetime.now(JST).replace(microsecond=0)
    resource: dict[str, Any] = {
        "name": "sales",
        "endpoint": {
            "path": "v1/sales",
            "params": {
                "make_date_min": "2000-01-01 00:00:00",
                "update_date_min": "2005-01-01 09:00:00",
                "update_date_max": now.strftime("%Y-%m-%d %H:%M:%S"),
            },
            "data_selector": "sales",
            "paginator": {
                "type": "offset",
                "limit": 100,
                "offset_param": "offset",
                "limit_param": "limit",
                "total_path": "meta.total",
            },
        },
        "write_disposition": "append",
    }
    if args.project:
        resource["processing_steps"] = [{"map": project(os.urandom(32))}]
    source = rest_api_source(
        {
            "client": {
                "base_url": args.base_url.rstrip("/") + "/",
                "auth": {"type": "bearer", "token": args.token},
            },
            "resources": [resource],
        }
    )
    pipeline = dlt.pipeline(
        pipeline_name="bench_colorme",
        pipelines_dir=str(work / "pipelines"),
        destination=dlt.destinations.sqlalchemy(f"sqlite:///{work / 'dlt.db'}"),
        dataset_name="colorme",
    )
    info = pipeline.run(source)
    with pipeline.sql_client() as client:
        rows = client.execute_sql("SELECT count(*) FROM sales")
        orders = int(rows[0][0]) if rows else 0
    wall = time.perf_counter() - started
    print(json.dumps({"orders": orders, "wall_s": wall, "loads": len(info.loads_ids)}), flush=True)


if __name__ == "__main__":
    main()

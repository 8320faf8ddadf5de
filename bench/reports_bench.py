"""Benchmark: every report in every format on a store of N orders (default 1,000,000).

    .venv/bin/python bench/reports_bench.py                 # build (once) and time
    .venv/bin/python bench/reports_bench.py --orders 100000 # a smaller store
    .venv/bin/python bench/reports_bench.py --only sales,rfm --formats csv,json

The store is built through the real path, never with hand-written SQL: the
Color Me fake renders each synthetic order as the API would, the connector's
``parse_sale`` reads it, ``sync.to_record`` pseudonymises it and
``Store.commit_page`` writes it, in pages of 10,000 orders. Building a million
orders takes a while (about seven minutes on the 2-core development
machine), so the store and its keyring are cached under ``bench/out/`` keyed by
N; delete the folder to rebuild.

Each timing is one full command as a user runs it: ``kamei report NAME --format
F --out FILE`` in-process (a fresh read-only open of the store, so SQLCipher
decrypts every page the report reads, the query, disclosure control and
writing the file), best of ``--repeat`` runs. Results go to standard output as
a Markdown table for ``bench/REPORTS.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import sys
import time
from pathlib import Path

OUT = Path(os.environ.get("KAMEI_BENCH_OUT", Path(__file__).resolve().parent / "out"))
FORMATS = ("table", "csv", "xlsx", "json", "html")
# Two shops with their own customers, so the per-shop groupings have work to do.
SHOPS = (("main", 1, 0.8), ("outlet", 2, 0.2))
END = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
PAGE = 10_000


def _use_bench_keyring(home: Path) -> None:
    # The cached store must open again in a later run: keep its keys in a file
    # keyring beside it (bench data is synthetic; never do this with a real store).
    os.environ["KAMEI_HOME"] = str(home)
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyrings.alt.file.PlaintextKeyring"
    os.environ["XDG_DATA_HOME"] = str(home.parent / f"{home.name}-keyring")
    import keyring.core

    keyring.core.init_backend()


def build(home: Path, orders: int) -> None:
    from connectors.colorme import parse_sale
    from connectors.fakes import make_fake
    from store import Checkpoint, Store
    from sync import Pseudonymiser, to_record

    started = time.monotonic()
    with Store.create(home) as store:
        version, key = store.pseudonym_key()
        keys = Pseudonymiser(key=key, version=version)
        for name, seed, share in SHOPS:
            count = int(orders * share)
            fake = make_fake("colorme", orders=count, seed=seed, end=END)
            shop = store.add_shop(name, "colorme", {"base_url": "http://fake"})
            app = fake.app
            shop_started = time.monotonic()
            for first in range(0, count, PAGE):
                page = [
                    to_record(
                        parse_sale(app.sale(i)),  # type: ignore[attr-defined]
                        platform="colorme",
                        shop=name,
                        keys=keys,
                    )
                    for i in range(first, min(count, first + PAGE))
                ]
                store.commit_page(shop.id, page, Checkpoint())
                done = first + len(page)
                if done % 100_000 == 0 or done == count:
                    rate = done / (time.monotonic() - shop_started)
                    print(f"  {name}: {done:,}/{count:,} orders ({rate:,.0f}/s)", file=sys.stderr)
        stored = store.count_orders()
    print(f"built {stored:,} orders in {time.monotonic() - started:.0f}s", file=sys.stderr)


def time_command(args: list[str], repeat: int) -> float:
    from cli.app import app

    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        try:
            app(args, standalone_mode=False)
        except SystemExit as exc:  # pragma: no cover - a failing report is a bench failure
            if exc.code:
                raise
        best = min(best, time.perf_counter() - started)
    return best


REPORT_ARGS: dict[str, list[str]] = {
    "sales": ["report", "sales", "--by", "month"],
    "products": ["report", "products"],
    "repeat": ["report", "repeat"],
    "cohorts": ["report", "cohorts"],
    "rfm": ["report", "rfm"],
    "rfm --detail": ["report", "rfm", "--detail"],
    "baskets": ["report", "baskets"],
    "prefectures": ["report", "prefectures"],
    "sql": ["sql", "SELECT status, COUNT(*) AS orders FROM orders GROUP BY status"],
}
# Per-buyer exports grow with the number of buyers (about 629,000 here), not with
# the groups a report has: they are timed as files for scripts only.
ONLY_FORMATS = {"rfm --detail": ("csv", "json")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--only", default="", help="comma-separated report names")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--build-only", action="store_true", help="build the store, time nothing")
    parser.add_argument(
        "--plain",
        action="store_true",
        help="also time each report's queries on an unencrypted copy (encrypted / plain ratio)",
    )
    options = parser.parse_args()

    home = OUT / f"store-{options.orders}"
    _use_bench_keyring(home)
    if not (home / "kamei.db").exists():
        print(f"building a {options.orders:,}-order store in {home}", file=sys.stderr)
        build(home, options.orders)
    if options.build_only:
        return
    size_mb = (home / "kamei.db").stat().st_size / 1e6
    formats = [f for f in options.formats.split(",") if f]
    wanted = [n for n in options.only.split(",") if n] or list(REPORT_ARGS)
    files = OUT / "files"
    files.mkdir(parents=True, exist_ok=True)

    print(f"{options.orders:,} orders, store file {size_mb:,.0f} MB, {platform.python_version()}")
    print(f"{platform.machine()}, {os.cpu_count()} CPUs, best of {options.repeat}\n")
    print("| report | " + " | ".join(formats) + " |")
    print("|---|" + "---:|" * len(formats))
    worst = 0.0
    for name in wanted:
        cells = []
        for fmt in formats:
            if fmt not in ONLY_FORMATS.get(name, formats):
                cells.append("–")
                continue
            out = files / f"{name.replace(' --', '-')}.{fmt}"
            args = [*REPORT_ARGS[name], "--format", fmt]
            if fmt != "table":
                args += ["--out", str(out)]
            if fmt == "table":
                # A terminal table of a big report goes to /dev/null, not the screen.
                with open(os.devnull, "w") as sink:
                    saved, sys.stdout = sys.stdout, sink
                    try:
                        seconds = time_command(args, options.repeat)
                    finally:
                        sys.stdout = saved
            else:
                seconds = time_command(args, options.repeat)
            worst = max(worst, seconds)
            cells.append(f"{seconds:.2f}s")
        print(f"| {name} | " + " | ".join(cells) + " |", flush=True)
    print(f"\nslowest: {worst:.2f}s")
    if options.plain:
        compare_plain(home, wanted, options.repeat)


def plain_copy(home: Path) -> Path:
    """An unencrypted copy of the store beside it (made once; synthetic data only).

    Made with a raw sqlcipher3 connection and ``sqlcipher_export``, which kamei's
    own connections refuse on purpose.
    """
    import sqlcipher3

    from store import Store, migrations, secrets
    from store.paths import StorePaths, read_meta

    plain = home.parent / f"{home.name}-plain.db"
    if plain.exists() and _version(plain) == migrations.latest_version():
        return plain
    plain.unlink(missing_ok=True)  # made before a migration: the store has moved on
    with Store.open(home, readonly=True):  # brings the cached store up to date first
        pass
    paths = StorePaths.at(home)
    key = secrets.db_key(read_meta(paths.meta).store_id)
    conn = sqlcipher3.connect(str(paths.db))
    try:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        conn.execute(f"ATTACH DATABASE '{plain}' AS plain KEY ''")
        conn.execute("SELECT sqlcipher_export('plain')")
        conn.execute("DETACH DATABASE plain")
    finally:
        conn.close()
    return plain


def _version(plain: Path) -> int:
    """The schema version of an unencrypted copy (0 if it cannot say)."""
    import sqlite3

    with contextlib.closing(sqlite3.connect(f"file:{plain}?mode=ro", uri=True)) as conn:
        try:
            return int(conn.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0])
        except (sqlite3.Error, TypeError):
            return 0


def compare_plain(home: Path, wanted: list[str], repeat: int) -> None:
    """Each report's queries (``spec.run``: no output file) on the encrypted store and
    on an unencrypted copy with the same page cache, best of ``repeat``, side by side."""
    import sqlalchemy as sa

    from store import Store
    from store.engine import DEFAULT_CACHE_KIB
    from store.reports import REPORTS, Filters

    plain = plain_copy(home)

    def encrypted() -> float:
        with Store.open(home, readonly=True) as store, store.connect() as conn:
            started = time.perf_counter()
            spec.run(conn, Filters())
            return time.perf_counter() - started

    def unencrypted() -> float:
        engine = sa.create_engine(f"sqlite:///file:{plain}?mode=ro&uri=true")

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: object, _record: object) -> None:
            cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
            cursor.execute("PRAGMA temp_store = MEMORY")
            cursor.execute(f"PRAGMA cache_size = {-DEFAULT_CACHE_KIB}")
            cursor.close()

        try:
            with engine.connect() as conn:
                started = time.perf_counter()
                spec.run(conn, Filters())
                return time.perf_counter() - started
        finally:
            engine.dispose()

    print("\nEncrypted vs unencrypted copy (queries only, same page cache):\n")
    print("| report | encrypted | plain | ratio |")
    print("|---|---:|---:|---:|")
    for name in (n for n in wanted if n in REPORTS):
        spec = REPORTS[name]
        # Interleaved, so both see the same machine.
        pairs = [(encrypted(), unencrypted()) for _ in range(repeat)]
        enc, pla = min(p[0] for p in pairs), min(p[1] for p in pairs)
        print(f"| {name} | {enc:.2f}s | {pla:.2f}s | {enc / pla:.2f}x |", flush=True)


if __name__ == "__main__":
    main()

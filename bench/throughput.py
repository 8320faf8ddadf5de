"""Benchmark 1: local throughput of a full sync, end to end over loopback.

Contenders, each a fresh process per run, interleaved round by round so that
drift in the machine's load hits them alike:

``kamei``          ``kamei sync`` (the real CLI: start-up, store open, key, sync)
                   into a fresh encrypted store, budget raised to 1000 requests/s
``bare``           ``bare_loop.py``: httpx + json + HMAC + sqlcipher3 executemany
``bare-sqlite3``   the same loop on stdlib sqlite3 (unencrypted), for reference
``bare-hmac-keys`` the same loop keyed by an HMAC of the sale id, as kamei's
                   privacy design keys orders: the floor of kamei's own work
``dlt``            ``dlt_loader.py``: dlt's ``rest_api`` source into SQLite, pages
                   loaded as they come (dlt normalises the nested lists)
``dlt-projected``  the same with each sale first mapped to kamei's fields (dlt's
                   best case; not run by default)

All read the same N orders from one fake server process (``fakeserve.py``, no
latency, no rate limit). Throughput is N / wall seconds of the contender's
process; ratios are computed per round (kamei vs bare in the same round), then
summarised as median (min–max).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path
from typing import Any

from common import (
    BENCH,
    DLT_PYTHON,
    KAMEI,
    PYTHON,
    Measured,
    Result,
    Server,
    Summary,
    command_line,
    kamei_home,
    run_measured,
    scratch_dir,
)

CONTENDERS = ("kamei", "bare", "bare-hmac-keys", "bare-sqlite3", "dlt")
RATIOS = (
    ("kamei", "bare"),
    ("kamei", "dlt"),
    ("kamei", "bare-hmac-keys"),
    ("kamei", "bare-sqlite3"),
    ("kamei", "dlt-projected"),
    ("bare", "dlt"),
)
TARGETS = {("kamei", "bare"): 0.75, ("kamei", "dlt"): 4.0}


def run_one(name: str, server: Server) -> tuple[Measured, dict[str, Any]]:
    if name == "kamei":
        # The rate budget is benchmark 2's subject; here the fake has no limit.
        with kamei_home(server, rate=1000) as home:
            measured = run_measured([str(KAMEI), "sync"], env=home.env)
            return measured, {"orders": home.stored_orders()}
    with scratch_dir(f"bench-{name}-") as work:
        if name.startswith("bare"):
            driver = "sqlite3" if name == "bare-sqlite3" else "sqlcipher3"
            keys = "hmac" if name == "bare-hmac-keys" else "id"
            cmd = [str(PYTHON), str(BENCH / "bare_loop.py"), "--driver", driver]
            cmd += ["--keys", keys, "--db", str(work / "bare.db")]
        elif name in ("dlt", "dlt-projected"):
            cmd = [str(DLT_PYTHON), str(BENCH / "dlt_loader.py"), "--workdir", str(work)]
            cmd += ["--project"] if name == "dlt-projected" else []
        else:
            raise ValueError(name)
        cmd += ["--base-url", server.base_url, "--token", server.credential]
        measured = run_measured(cmd)
        return measured, measured.json()


def main(argv: list[str] | None = None) -> Result:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--mode", choices=("prerendered", "stock"), default="prerendered")
    parser.add_argument("--contenders", default=",".join(CONTENDERS))
    args = parser.parse_args(argv)
    contenders = [c for c in args.contenders.split(",") if c]
    if not DLT_PYTHON.exists():
        print(f"throughput: no dlt venv at {DLT_PYTHON}; skipping dlt (bench/run makes it)")
        contenders = [c for c in contenders if not c.startswith("dlt")]

    runs: list[dict[str, Any]] = []
    with Server(args.orders, mode=args.mode) as server:
        for round_no in range(1, args.runs + 1):
            for name in contenders:
                measured, own = run_one(name, server)
                orders = int(own.get("orders", 0))
                if orders != args.orders:
                    raise SystemExit(f"{name} stored {orders} orders, expected {args.orders}")
                run = {
                    "round": round_no,
                    "contender": name,
                    "wall_s": measured.wall_s,
                    "cpu_s": measured.cpu_s,
                    "max_rss_mib": measured.max_rss_mib,
                    "orders_per_s": args.orders / measured.wall_s,
                    "own": own,
                }
                runs.append(run)
                print(
                    f"round {round_no} {name:13s} {run['orders_per_s']:8.0f} orders/s "
                    f"wall {measured.wall_s:6.2f}s cpu {measured.cpu_s:6.2f}s "
                    f"rss {measured.max_rss_mib:5.0f} MiB",
                    flush=True,
                )

    result = Result(
        name="throughput",
        command=command_line(),
        params={"orders": args.orders, "runs": args.runs, "server": args.mode, "page": 100},
        runs=runs,
    )
    for name in contenders:
        mine = [r for r in runs if r["contender"] == name]
        row = {
            "contender": name,
            "orders/s": Summary.of([r["orders_per_s"] for r in mine]).fmt(".0f"),
            "wall s": Summary.of([r["wall_s"] for r in mine]).fmt(".2f"),
            "CPU s": Summary.of([r["cpu_s"] for r in mine]).fmt(".2f"),
            "peak RSS MiB": Summary.of([r["max_rss_mib"] for r in mine]).fmt(".0f"),
        }
        if name.startswith("bare"):
            for phase in ("fetch", "parse", "hmac", "store"):
                values = [float(r["own"][f"{phase}_s"]) for r in mine]
                row[f"{phase} s"] = f"{statistics.median(values):.2f}"
        result.rows.append(row)
    for a, b in RATIOS:
        if a not in contenders or b not in contenders:
            continue
        per_round = []
        for round_no in range(1, args.runs + 1):
            ra = next(r for r in runs if r["round"] == round_no and r["contender"] == a)
            rb = next(r for r in runs if r["round"] == round_no and r["contender"] == b)
            per_round.append(ra["orders_per_s"] / rb["orders_per_s"])
        summary = Summary.of(per_round)
        target = TARGETS.get((a, b))
        result.targets.append(
            {
                "ratio": f"{a} / {b}",
                "per round": ", ".join(f"{x:.2f}" for x in per_round),
                "median (min–max)": summary.fmt(".2f", "×"),
                "target": f"≥ {target:g}×" if target else "-",
                "met": ("yes" if summary.median >= target else "NO") if target else "-",
            }
        )
    result.notes.append(
        f"Server: bench/fakeserve.py --mode {args.mode} in its own process "
        "(prerendered: the fake's exact bytes, rendered once at start-up)."
    )
    path = result.save()
    print(f"wrote {path}")
    return result


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()

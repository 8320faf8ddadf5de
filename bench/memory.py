"""Benchmark 5: peak RSS of a full ``kamei sync`` stays flat as N grows.

Peak RSS is the ``kamei sync`` process's ``ru_maxrss`` (from ``wait4``), for
N = 10k, 100k and 1M orders. The fake serves N distinct orders in tiled mode
(the first 100,000 rendered once, repeated with new sale ids), so a 1M run
costs the client, not the fake. The target is ≤ 120 MiB at every N.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from common import KAMEI, Result, Server, Summary, command_line, kamei_home, run_measured

TARGET_MIB = 120.0


def main(argv: list[str] | None = None) -> Result:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--tile", type=int, default=100_000)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]

    runs: list[dict[str, Any]] = []
    for size in sizes:
        tile = min(size, args.tile)
        with Server(size, mode="tiled", tile=tile) as server:
            for run_no in range(1, args.runs + 1):
                with kamei_home(server, rate=1000) as home:
                    measured = run_measured([str(KAMEI), "sync"], env=home.env)
                    stored = home.stored_orders()
                    db_mib = sum(p.stat().st_size for p in home.db.parent.glob("kamei.db*")) / 2**20
                runs.append(
                    {
                        "orders": size,
                        "run": run_no,
                        "max_rss_mib": measured.max_rss_mib,
                        "wall_s": measured.wall_s,
                        "stored": stored,
                        "db_mib": db_mib,
                    }
                )
                print(
                    f"{size:>9,} orders: peak RSS {measured.max_rss_mib:6.1f} MiB, "
                    f"{measured.wall_s:6.1f}s, store {db_mib:.0f} MiB, stored {stored}",
                    flush=True,
                )

    result = Result(
        name="memory",
        command=command_line(),
        params={"sizes": sizes, "runs": args.runs, "server": f"tiled (tile {args.tile})"},
        runs=runs,
    )
    for size in sizes:
        mine = [r for r in runs if r["orders"] == size]
        result.rows.append(
            {
                "orders": f"{size:,}",
                "peak RSS MiB": Summary.of([r["max_rss_mib"] for r in mine]).fmt(".1f"),
                "wall s": Summary.of([r["wall_s"] for r in mine]).fmt(".1f"),
                "store file MiB": f"{mine[0]['db_mib']:.0f}",
            }
        )
    worst = max(r["max_rss_mib"] for r in runs)
    smallest = min(r["max_rss_mib"] for r in runs)
    result.targets.append(
        {
            "ratio": "peak RSS, largest N vs smallest N",
            "median (min–max)": f"{worst:.0f} MiB vs {smallest:.0f} MiB",
            "target": f"flat, ≤ {TARGET_MIB:g} MiB",
            "met": "yes" if worst <= TARGET_MIB else "NO",
        }
    )
    path = result.save()
    print(f"wrote {path}")
    return result


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()

"""Benchmark 3: the nightly run touches only what changed.

For each store size: a full ``kamei sync`` of N orders, then rounds of "1% of the
orders change, then the next ``kamei sync``" (the fake's churn: N/200 orders are
created and N/200 others updated, now), plus one round with no change at all
(the lookback alone). Reported per round: requests the sync sent (from the
fake's request log), orders it wrote, wall seconds, and the requests a perfect
client needs: ``ceil((orders in the lookback window) / 100)``. Two store sizes
show that requests and time follow the changes and the lookback, not the size.

The shop keeps Color Me's default lookback (3 days). Its client budget is
raised to 1000 requests/s so the wall time shows kamei's own cost; at Color
Me's real 2 requests/s a nightly run takes about ``requests / 2`` seconds more.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path
from typing import Any

from common import KAMEI, Result, Server, Summary, command_line, kamei_home, run_measured

LOOKBACK_DAYS = 3.0  # Color Me's default (connectors/colorme.py SPEC.default_lookback)
DAYS_OF_DATA = 730  # the fake spreads orders over the two years before its end


def main(argv: list[str] | None = None) -> Result:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]

    runs: list[dict[str, Any]] = []
    for size in sizes:
        with Server(size, mode="prerendered") as server, kamei_home(server, rate=1000) as home:
            full = run_measured([str(KAMEI), "sync"], env=home.env)
            print(f"{size}: full sync {full.wall_s:.1f}s", flush=True)
            plan = [0] + [max(1, size // 200)] * args.rounds
            for round_no, churn in enumerate(plan):
                if churn:
                    server.churn(churn)
                time.sleep(1.2)  # the changes lie strictly before the next run's upper bound
                server.clear()
                before = home.stored_orders()
                measured = run_measured([str(KAMEI), "sync"], env=home.env)
                log = server.log()
                after = home.stored_orders()
                changed = 2 * churn
                in_lookback = size * LOOKBACK_DAYS / DAYS_OF_DATA + changed
                run = {
                    "store": size,
                    "round": round_no,
                    "changed": changed,
                    "requests": log["requests"],
                    "needed": math.ceil(in_lookback / 100),
                    "new_orders": after - before,
                    "wall_s": measured.wall_s,
                    "full_sync_s": full.wall_s,
                }
                runs.append(run)
                print(
                    f"  round {round_no}: {changed} changed -> {log['requests']} requests "
                    f"(~{run['needed']} needed), +{after - before} orders, "
                    f"{measured.wall_s:.2f}s",
                    flush=True,
                )

    result = Result(
        name="incremental",
        command=command_line(),
        params={"sizes": sizes, "rounds": args.rounds, "lookback_days": LOOKBACK_DAYS},
        runs=runs,
    )
    for size in sizes:
        quiet = [r for r in runs if r["store"] == size and r["changed"] == 0]
        busy = [r for r in runs if r["store"] == size and r["changed"] > 0]
        for label, group in (("no change (lookback only)", quiet), ("1% changed", busy)):
            if not group:
                continue
            result.rows.append(
                {
                    "store": f"{size:,}",
                    "since last run": label,
                    "changed": group[0]["changed"],
                    "requests": Summary.of([r["requests"] for r in group]).fmt(".0f"),
                    "≈ needed": group[0]["needed"],
                    "wall s": Summary.of([r["wall_s"] for r in group]).fmt(".2f"),
                    "full sync s": f"{group[0]['full_sync_s']:.1f}",
                }
            )
    if len(sizes) >= 2:
        small, big = sizes[0], sizes[-1]
        idle = {s: [r for r in runs if r["store"] == s and r["changed"] == 0] for s in sizes}
        walls = {s: Summary.of([r["wall_s"] for r in idle[s]]).median for s in (small, big)}
        result.targets.append(
            {
                "ratio": f"no-change run, store {big:,} vs {small:,}",
                "median (min–max)": f"{walls[big] / walls[small]:.2f}× wall for "
                f"{big / small:.0f}× the store",
                "target": "not proportional to store size",
                "met": "yes" if walls[big] / walls[small] < (big / small) / 4 else "NO",
            }
        )
    result.notes.append(
        "Requests and wall time of each nightly run (the `kamei sync` process, start-up "
        "included); 'needed' counts the orders the fake holds in the lookback window."
    )
    path = result.save()
    print(f"wrote {path}")
    return result


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()

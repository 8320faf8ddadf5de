"""Benchmark 2: rate-budget utilisation of a full sync under Color Me's 120 requests/min.

The fake enforces 120 requests a minute with its own token bucket (429 +
Retry-After beyond it) and adds 150 ms of latency to every request. ``kamei sync``
runs with the shop's default client budget (Color Me: 1.96 requests/s, burst 1). Targets:
wall time ≤ 1.05 × the ideal ``requests / rate`` and requests ≤ 1.05 ×
``ceil(orders / 100)``, with no 429 and never more than the budget in any
60-second span of the fake's request log (``RequestLog.max_in_window``).

The ideal is taken over the requests a perfect client needs, ``ceil(N / 100)``,
so a client that sends extra requests pays for them twice.
"""

from __future__ import annotations

import argparse
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

from common import (
    KAMEI,
    PYTHON,
    SHOP,
    KameiHome,
    Result,
    Server,
    Summary,
    command_line,
    kamei_home,
    run_measured,
)

RATE_PER_MIN = 120.0
LATENCY = "150ms"
PAGE = 100


def set_burst(home: KameiHome, burst: float) -> None:
    """Store ``burst`` in the bench shop's settings (no CLI option sets it)."""
    code = (
        "from store import Store\n"
        "with Store.open() as s:\n"
        f"    shop = s.get_shop({SHOP!r})\n"
        f"    s.update_shop_settings(shop.name, {{**shop.settings, 'burst': {burst!r}}})\n"
    )
    subprocess.run([str(PYTHON), "-c", code], env=home.env, check=True)


def _default_rate() -> float:
    from connectors.colorme import DEFAULT_RATE

    return float(DEFAULT_RATE)


def _default_budget() -> str:
    from dataclasses import fields

    from connectors.colorme import ColorMeSettings

    burst = next(f.default for f in fields(ColorMeSettings) if f.name == "burst")
    return f"shop default (Color Me: {_default_rate():g} requests/s, burst {burst:g})"


def main(argv: list[str] | None = None) -> Result:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--burst",
        type=float,
        default=None,
        help="set the shop's client burst (settings 'burst'; default: the connector's)",
    )
    args = parser.parse_args(argv)

    needed = math.ceil(args.orders / PAGE)
    ideal = needed / (RATE_PER_MIN / 60.0)
    faults = f"rate={RATE_PER_MIN:g},latency={LATENCY}"
    runs: list[dict[str, Any]] = []
    with Server(args.orders, mode="stock", faults=faults) as server:
        for run_no in range(1, args.runs + 1):
            with kamei_home(server) as home:  # the shop's default budget
                if args.burst is not None:
                    set_burst(home, args.burst)
                server.clear()
                measured = run_measured([str(KAMEI), "sync"], env=home.env)
                log = server.log(60.0)
                stored = home.stored_orders()
            run = {
                "run": run_no,
                "wall_s": measured.wall_s,
                "requests": log["requests"],
                "statuses": log["statuses"],
                "max_in_60s": log["max_in_window"],
                "max_in_1s": log["max_in_1s"],
                "span_s": (log["last_at"] - log["first_at"]) if log["requests"] else 0.0,
                "stored": stored,
            }
            runs.append(run)
            print(
                f"run {run_no}: {measured.wall_s:6.1f}s (ideal {ideal:.1f}s) "
                f"{log['requests']} requests (need {needed}), statuses {log['statuses']}, "
                f"max {log['max_in_window']}/60s {log['max_in_1s']}/1s, stored {stored}",
                flush=True,
            )
            if stored != args.orders:
                raise SystemExit(f"kamei stored {stored} orders, expected {args.orders}")

    result = Result(
        name="rate_budget",
        command=command_line(),
        params={
            "orders": args.orders,
            "runs": args.runs,
            "fake faults": faults,
            "client budget": _default_budget()
            if args.burst is None
            else f"{_default_rate():g} requests/s, burst {args.burst:g}",
            "ideal_s": ideal,
            "requests_needed": needed,
        },
        runs=runs,
    )
    walls = Summary.of([r["wall_s"] for r in runs])
    time_ratio = Summary.of([r["wall_s"] / ideal for r in runs])
    request_ratio = Summary.of([r["requests"] / needed for r in runs])
    too_many = sum(int(r["statuses"].get("429", 0)) for r in runs)
    worst_60 = max(r["max_in_60s"] for r in runs)
    result.rows.append(
        {
            "orders": args.orders,
            "wall s": walls.fmt(".1f"),
            "ideal s": f"{ideal:.1f}",
            "requests": Summary.of([r["requests"] for r in runs]).fmt(".0f"),
            "needed": needed,
            "429s": too_many,
            "max in any 60 s": worst_60,
            "max in any 1 s": max(r["max_in_1s"] for r in runs),
        }
    )
    result.targets += [
        {
            "ratio": "wall / ideal",
            "median (min–max)": time_ratio.fmt(".3f", "×"),
            "target": "≤ 1.05×",
            "met": "yes" if time_ratio.high <= 1.05 else "NO",
        },
        {
            "ratio": "requests / ceil(N/100)",
            "median (min–max)": request_ratio.fmt(".3f", "×"),
            "target": "≤ 1.05×",
            "met": "yes" if request_ratio.high <= 1.05 else "NO",
        },
        {
            "ratio": "requests in any 60 s",
            "median (min–max)": f"{worst_60} (worst run)",
            "target": f"≤ {RATE_PER_MIN:g}, no 429",
            "met": "yes" if worst_60 <= RATE_PER_MIN and too_many == 0 else "NO",
        },
    ]
    result.notes.append(
        "Wall time is the whole `kamei sync` process (start-up included), from spawn to exit."
    )
    path = result.save()
    print(f"wrote {path}")
    return result


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()

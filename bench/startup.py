"""Benchmark 6: start-up of ``kamei --help`` and ``kamei status`` (target < 250 ms).

Each command runs as a fresh process, ``--runs`` times, interleaved; wall time
from spawn to exit. ``kamei status`` runs against a home with an encrypted store
and one shop (so it opens the store and reads it). ``python -c pass`` is the
interpreter's own floor. The slowest imports of ``cli.app`` (``-X importtime``,
cumulative) go into the notes: they are what lazy imports can remove.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from typing import Any

from common import KAMEI, PYTHON, Result, Server, Summary, command_line, kamei_home, run_measured

TARGET_S = 0.250


def slowest_imports(env: dict[str, str], top: int = 8) -> list[str]:
    done = subprocess.run(
        [str(PYTHON), "-X", "importtime", "-c", "import cli.app"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    rows = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    rows.sort(reverse=True)
    return [f"{us / 1000:.0f} ms {name.strip()}" for us, name in rows[:top]]


def main(argv: list[str] | None = None) -> Result:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args(argv)

    commands = {
        "python -c pass": [str(PYTHON), "-c", "pass"],
        "kamei --help": [str(KAMEI), "--help"],
        "kamei status": [str(KAMEI), "status"],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    with Server(100) as server, kamei_home(server) as home:
        for cmd in commands.values():  # warm the OS file cache once
            run_measured(cmd, env=home.env)
        for _ in range(args.runs):
            for name, cmd in commands.items():
                times[name].append(run_measured(cmd, env=home.env).wall_s)
        imports = slowest_imports(home.env)

    runs: list[dict[str, Any]] = [
        {"command": name, "wall_s": value} for name, values in times.items() for value in values
    ]
    result = Result(name="startup", command=command_line(), params={"runs": args.runs}, runs=runs)
    for name, values in times.items():
        summary = Summary.of([v * 1000 for v in values])
        result.rows.append({"command": name, "wall ms": summary.fmt(".0f")})
        if name.startswith("kamei"):
            result.targets.append(
                {
                    "ratio": name,
                    "median (min–max)": summary.fmt(".0f", " ms"),
                    "target": f"< {TARGET_S * 1000:.0f} ms",
                    "met": "yes" if summary.median < TARGET_S * 1000 else "NO",
                }
            )
    result.notes.append("Slowest imports of cli.app (cumulative): " + "; ".join(imports))
    path = result.save()
    print(f"wrote {path}")
    for row in result.rows:
        print(row)
    return result


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()

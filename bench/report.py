"""Rewrite the tables of ``bench/RESULTS.md`` from the results in ``bench/out/*.json``.

Each benchmark owns one section of RESULTS.md between two markers,
``<!-- bench:NAME -->`` and ``<!-- /bench:NAME -->``; only the text between them
is replaced, so the prose around the tables stays as written. A benchmark with
no result file keeps its old section.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from common import BENCH, OUT

RESULTS = BENCH / "RESULTS.md"
SECTIONS = ("machine", "throughput", "rate_budget", "incremental", "reports", "memory", "startup")


def table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    columns: list[str] = []
    for row in rows:
        columns += [c for c in row if c not in columns]
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        lines.append("| " + " | ".join(str(row.get(c, "")) for c in columns) + " |")
    return "\n".join(lines)


def render(result: dict[str, Any]) -> str:
    params = ", ".join(f"{k} = {v}" for k, v in result["params"].items())
    parts = [f"Command: `{result['command']}` ({params})", table(result["rows"])]
    if result.get("targets"):
        parts.append("Targets, computed run by run in the same run of the suite:")
        parts.append(table(result["targets"]))
    parts += [f"- {note}" for note in result.get("notes", [])]
    return "\n\n".join(p for p in parts if p)


def render_machine(results: list[dict[str, Any]]) -> str:
    machine = next((r["machine"] for r in results if r.get("machine")), None)
    if machine is None:
        return ""
    rows = [
        {"": "CPU", "value": f"{machine['cpu']} ({machine['cores']} cores)"},
        {"": "memory", "value": f"{machine['memory_gib']} GiB"},
        {"": "OS", "value": machine["os"]},
        {"": "Python", "value": machine["python"]},
    ]
    rows += [{"": name, "value": version} for name, version in machine["versions"].items()]
    loads = ", ".join(f"{r['name']} {r['machine'].get('load average', '-')}" for r in results)
    rows.append({"": "load average (1/5/15 min) as each benchmark ended", "value": loads})
    return table(rows)


def render_reports() -> str:
    produced = OUT / "reports.md"
    lines = [
        "Run by another engineer's `bench/reports_bench.py`; its write-up is "
        "[REPORTS.md](REPORTS.md)."
    ]
    if produced.exists():
        lines.append(f"This run's table (from `{produced.relative_to(BENCH.parent)}`):")
        lines.append(produced.read_text().strip())
    return "\n\n".join(lines)


def replace_section(text: str, name: str, body: str) -> str:
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{body}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
    if pattern.search(text):
        return pattern.sub(lambda _: block, text)
    return text.rstrip() + f"\n\n{block}\n"


def main() -> None:
    results = {p.stem: json.loads(p.read_text()) for p in sorted(OUT.glob("*.json"))}
    text = RESULTS.read_text() if RESULTS.exists() else "# kamei benchmark results\n"
    text = replace_section(text, "machine", render_machine(list(results.values())))
    for name in SECTIONS[1:]:
        if name == "reports":
            text = replace_section(text, name, render_reports())
        elif name in results:
            text = replace_section(text, name, render(results[name]))
    RESULTS.write_text(text)
    print(f"rewrote {RESULTS}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()

"""``kamei doctor``: check the setup, one line per check, a fix for each failure."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

import typer

from . import context

__all__ = ["HELP", "doctor"]

HELP = """Check the setup: Python, keyring, store, each shop's credential, the schedule, disk.

One line per check (ok, warn or FAIL) and a fix under each failure. The keyring
line says which secret source is in use and whether it gives the store's keys
without a prompt, as the nightly run needs; each shop gets one real
authenticated request. Exit code 1 if any check fails.

Examples:

    kamei doctor
    kamei doctor --json
"""

_LABEL = {"ok": "ok  ", "warn": "warn", "fail": "FAIL"}


def doctor(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="JSON for scripts.")] = False,
) -> None:
    from store import resolve_home
    from sync import doctor as checks

    from .schedule import host_for

    home = resolve_home(context.get(ctx).home)
    results = checks.run_checks(home, checks.DoctorOptions(host=host_for(None)))
    failed = [c for c in results if c.status == "fail"]
    if as_json:
        typer.echo(json.dumps({"checks": [asdict(c) for c in results]}, ensure_ascii=False))
    else:
        for check in results:
            typer.echo(f"{_LABEL[check.status]}  {check.name}: {check.detail}")
            if check.fix and check.status != "ok":
                typer.echo(f"      fix: {check.fix}")
        warned = sum(c.status == "warn" for c in results)
        warnings = "1 warning" if warned == 1 else f"{warned} warnings"
        typer.echo(f"{len(results)} checks: {len(failed)} failed, {warnings}")
    if failed:
        raise typer.Exit(1)

"""``kamei doctor``: check the setup, one line per check, a fix for each failure."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Annotated

import typer

from kamei.i18n import t

from . import context

__all__ = ["HELP", "doctor"]

HELP = t("doctor.help")

_LABEL = {"ok": "ok  ", "warn": "warn", "fail": "FAIL"}


def doctor(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help=t("opt.json"))] = False,
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
                typer.echo(t("doctor.fix", fix=check.fix))
        warned = sum(c.status == "warn" for c in results)
        warnings = t("doctor.one_warning") if warned == 1 else t("doctor.warnings", count=warned)
        typer.echo(t("doctor.summary", checks=len(results), failed=len(failed), warnings=warnings))
    if failed:
        raise typer.Exit(1)

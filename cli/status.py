"""``kamei status``: where each shop stands."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from kamei.i18n import t

from . import context
from .output import Format, FormatOption, render

__all__ = ["HELP", "status"]

HELP = t("status.help")

COLUMNS = ["name", "platform", "orders", "last_success", "watermark", "last_outcome", "last_error"]


def _when(seconds: int | float | None) -> str | None:
    if seconds is None:
        return None
    return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat(timespec="seconds")


def status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help=t("opt.json"))] = False,
    fmt: FormatOption = Format.table,
) -> None:
    from store import Store

    with Store.open(context.get(ctx).home, readonly=True) as store:
        rows = [
            {
                "name": s.name,
                "platform": s.platform,
                "orders": s.orders,
                "last_success": _when(s.last_success_at),
                "watermark": _when(s.watermark),
                "last_outcome": s.last_outcome,
                "last_error": s.last_error,
            }
            for s in store.shop_status()
        ]
    render(rows, COLUMNS, Format.json if as_json else fmt, key="shops")

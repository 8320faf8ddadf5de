"""``kamei sync``: pull new and changed orders."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kamei.errors import ConfigError
from kamei.i18n import t

from . import context

if TYPE_CHECKING:
    from sync import Progress, ShopResult, SyncOptions

__all__ = ["HELP", "sync"]

HELP = t("sync.help")

JST = dt.timezone(dt.timedelta(hours=9))
EXIT_SOME_FAILED = 3


def _parse_since(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(t("opt.bad_date", option="--since", value=value)) from None
    return dt.datetime(day.year, day.month, day.day, tzinfo=JST).astimezone(dt.UTC)


@contextmanager
def _progress(enabled: bool) -> Iterator[Any]:
    """Yield a factory of per-shop progress callbacks (rich bars on a terminal)."""
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=False,
    ) as bars:
        yield bars


def _summary(results: list[ShopResult]) -> str:
    ok = sum(r.ok for r in results)
    parts = [
        t("sync.summary.shop", shop=r.shop, orders=r.new_orders)
        + ("" if r.ok else t("sync.summary.failed", outcome=r.stats.outcome))
        for r in results
    ]
    shops = ", ".join(parts) if parts else t("sync.summary.none")
    return t("sync.summary", ok=ok, total=len(results), shops=shops)


def sync(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None, typer.Argument(help=t("sync.arg.names"), show_default=False)
    ] = None,
    full: Annotated[bool, typer.Option("--full", help=t("sync.opt.full"))] = False,
    since: Annotated[
        str | None,
        typer.Option("--since", help=t("sync.opt.since")),
    ] = None,
    wait: Annotated[bool, typer.Option("--wait", help=t("sync.opt.wait"))] = False,
    scheduled: Annotated[
        bool,
        typer.Option(
            "--scheduled",
            help=t("sync.opt.scheduled"),
        ),
    ] = False,
) -> None:
    from store import resolve_home
    from sync import SyncOptions, scheduling

    options = SyncOptions(full=full, since=_parse_since(since))
    settings = context.get(ctx)
    if not scheduled:
        _report(_run(settings.home, names, options, wait, sys.stderr.isatty()))
        return
    with scheduling.scheduled_run(resolve_home(settings.home), debug=settings.debug) as record:
        results = _run(settings.home, names, options, wait, interactive=False)
        record.shops(results)
    _report(results)


def _run(
    home: Path | None,
    names: list[str] | None,
    options: SyncOptions,
    wait: bool,
    interactive: bool,
) -> list[ShopResult]:
    from store import SYNC_CACHE_KIB, Store
    from sync import sync_shops

    with Store.open(home, cache_kib=SYNC_CACHE_KIB) as store, _progress(interactive) as bars:

        def progress_for(shop: str) -> Progress | None:
            if bars is None:
                return None
            task = bars.add_task(shop, total=None)

            def update(done: int, expected: int | None) -> None:
                bars.update(task, completed=done, total=expected)

            return update

        return sync_shops(
            store, names or (), options=options, progress_for=progress_for, wait_for_lock=wait
        )


def _report(results: list[ShopResult]) -> None:
    for result in results:
        if not result.ok:
            typer.echo(f"kamei: {result.shop}: {result.stats.error}", err=True)
    typer.echo(_summary(results))
    if not all(r.ok for r in results):
        raise typer.Exit(EXIT_SOME_FAILED)

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

from . import context

if TYPE_CHECKING:
    from sync import Progress, ShopResult, SyncOptions

__all__ = ["HELP", "sync"]

HELP = """Pull new and changed orders from every shop (or the named ones).

Each shop resumes where its last run stopped and re-reads a few days back
(its lookback) so late payments, shipments and cancellations arrive. Contact
details are pseudonymised in memory; only the allowlisted facts are stored.
Exit code 0 only when every shop synced; a progress bar on a terminal, one
summary line otherwise (for cron). `--scheduled` is what the nightly job
(`kamei schedule install`) runs: it also logs to <home>/logs/kamei.log and
records the result for `kamei schedule status` and `kamei doctor`.

Examples:

    kamei sync
    kamei sync main --since 2025-01-01
    kamei sync --full
"""

JST = dt.timezone(dt.timedelta(hours=9))
EXIT_SOME_FAILED = 3


def _parse_since(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--since wants a date like 2025-01-31, not {value!r}") from None
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
        f"{r.shop} +{r.new_orders} new orders" + ("" if r.ok else f" ({r.stats.outcome})")
        for r in results
    ]
    return f"synced {ok}/{len(results)} shops: " + (", ".join(parts) if parts else "no shops")


def sync(
    ctx: typer.Context,
    names: Annotated[
        list[str] | None, typer.Argument(help="Shops to sync (default: all).", show_default=False)
    ] = None,
    full: Annotated[
        bool, typer.Option("--full", help="Re-read the whole history (slow; rarely needed).")
    ] = False,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Re-read orders changed since this date (YYYY-MM-DD, JST)."),
    ] = None,
    wait: Annotated[
        bool, typer.Option("--wait", help="Wait for another running sync instead of exiting.")
    ] = False,
    scheduled: Annotated[
        bool,
        typer.Option(
            "--scheduled",
            help="The nightly job's mode: log to <home>/logs/kamei.log, record the result.",
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
    from store import Store
    from sync import sync_shops

    with Store.open(home) as store, _progress(interactive) as bars:

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

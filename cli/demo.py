"""``kamei demo``: the whole job against fake platforms, in a throwaway home."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kamei.i18n import t

from .output import Format, render

if TYPE_CHECKING:
    from sqlalchemy import Connection

__all__ = ["DEFAULT_PLATFORMS", "HELP", "demo", "parse_platforms"]

HELP = t("demo.help")

DEFAULT_PLATFORMS = "colorme,makeshop"
MIN_GROUP = 5  # the reports' default k: a smaller shared-buyer count is not shown


def parse_platforms(choice: str, known: list[str]) -> list[str]:
    """``all`` or a comma-separated list of platforms that have a fake, in order, once each."""
    if choice.strip().lower() == "all":
        return known
    chosen = list(dict.fromkeys(p.strip().lower() for p in choice.split(",") if p.strip()))
    unknown = [p for p in chosen if p not in known]
    if unknown or not chosen:
        raise typer.BadParameter(
            t("demo.bad_platforms", known=", ".join(known)), param_hint="--platform"
        )
    return chosen


# Distinct pseudonyms seen at two or more shops: the same person, linked across platforms
# by e-mail or phone without either being stored.
_SHARED_SQL = """
SELECT COUNT(*) FROM (
    SELECT buyer FROM orders GROUP BY buyer HAVING COUNT(DISTINCT shop_id) >= 2
)
"""
_PAIR_SQL = """
SELECT COUNT(*) FROM (
    SELECT o.buyer FROM orders o JOIN shops s ON s.id = o.shop_id
    WHERE s.name IN (:a, :b) GROUP BY o.buyer HAVING COUNT(DISTINCT o.shop_id) = 2
)
"""


def _shared_buyers(conn: Connection, shops: list[str]) -> list[tuple[str, int]]:
    from sqlalchemy import text

    rows = [(t("demo.shared_all"), int(conn.execute(text(_SHARED_SQL)).scalar_one()))]
    if len(shops) > 2:
        for a, b in itertools.combinations(shops, 2):
            count = conn.execute(text(_PAIR_SQL), {"a": a, "b": b}).scalar_one()
            rows.append((f"{a} + {b}", int(count)))
    return rows


def _figure(count: int) -> str:
    return str(count) if count >= MIN_GROUP else t("demo.suppressed", k=MIN_GROUP)


def _column_names(columns: Any) -> list[str]:
    # Report columns are names or Column objects with a .name, depending on the report.
    return [c if isinstance(c, str) else str(c.name) for c in columns]


def demo(
    orders: Annotated[int, typer.Option("--orders", "-n", help=t("demo.opt.orders"), min=1)] = 3000,
    seed: Annotated[int, typer.Option("--seed", help=t("demo.opt.seed"))] = 2026,
    platform: Annotated[
        str,
        typer.Option(
            "--platform",
            "-p",
            help=t("demo.opt.platform"),
        ),
    ] = DEFAULT_PLATFORMS,
    home: Annotated[
        Path | None,
        typer.Option("--demo-home", help=t("demo.opt.home")),
    ] = None,
) -> None:
    from connectors import get_platform
    from connectors.fakes import PersonPool, fake_platforms, make_fake, serve_in_thread
    from store import Store, use_memory_keyring
    from store.reports import sales
    from sync import sync_shops

    started = time.monotonic()
    platforms = parse_platforms(platform, fake_platforms())
    use_memory_keyring()
    typer.echo(t("demo.keyring"))
    folder = home or Path(tempfile.mkdtemp(prefix="kamei-demo-"))
    # One pool of people for every fake, so some of them buy at several shops.
    pool = PersonPool(seed, max(20, orders * 3 // 2))
    # Orders end a minute ago: an order changed in the very second the sync starts would
    # only arrive with the next sync, and the demo wants every count to add up now.
    end = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(minutes=1)
    fakes = {
        f"demo-{name}": make_fake(name, orders=orders, seed=seed, end=end, persons=pool)
        for name in platforms
    }
    with contextlib.ExitStack() as stack:
        store = stack.enter_context(Store.create(folder))
        for shop, fake in fakes.items():
            spec = get_platform(fake.platform)
            base_url = stack.enter_context(serve_in_thread(fake.app))
            typer.echo(t("demo.fake_at", label=spec.label, url=base_url, orders=fake.orders))
            # The fakes have no rate limit; real shops keep their platform's default budget.
            store.add_shop(shop, fake.platform, {"base_url": base_url, "rate": 200})
            store.set_credential(shop, spec.parse_credential(fake.credential))
        results = sync_shops(store)
        for result in results:
            typer.echo(
                t(
                    "demo.synced",
                    shop=result.shop,
                    orders=result.stats.orders_written,
                    seconds=result.duration_s,
                    requests=result.stats.requests,
                    outcome=result.stats.outcome,
                )
            )
        with store.connect() as conn:
            report = sales(conn, by="month")
            shared = _shared_buyers(conn, list(fakes)) if len(fakes) > 1 else []
        stored = store.count_orders()
        path = store.path
    months = sorted({str(row["period"]) for row in report.rows})[-6:]
    recent = [row for row in report.rows if str(row["period"]) in months]
    render(recent, _column_names(report.columns), Format.table, title=t("demo.sales_title"))
    for label, count in shared:
        typer.echo(t("demo.shared", label=label, figure=_figure(count)))
    typer.echo(t("demo.store", path=path, orders=stored))
    typer.echo(t("demo.home", folder=folder))
    typer.echo(t("demo.done", seconds=time.monotonic() - started))
    failed = [r for r in results if not r.ok]
    for result in failed:
        typer.echo(t("demo.failed", shop=result.shop, error=result.stats.error), err=True)
    if failed:
        raise typer.Exit(1)

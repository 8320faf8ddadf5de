"""``kamei demo``: the whole job against a fake platform, in a throwaway home."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer

from .output import Format, render

__all__ = ["HELP", "demo"]

HELP = """Try kamei without an account: fake shop, sync, report. No network, no prompts.

Starts a fake カラーミーショップ API on 127.0.0.1 with synthetic customers, creates an
encrypted store in a temporary folder, syncs and prints a sales report.
Demo only: its keys live in a throwaway in-memory keyring, so the demo store
cannot be opened again after the command ends.

Example:

    kamei demo --orders 3000
"""

DEMO_SHOP = "demo-colorme"


def demo(
    orders: Annotated[int, typer.Option("--orders", "-n", help="Synthetic orders.", min=1)] = 3000,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the synthetic data.")] = 2026,
    home: Annotated[
        Path | None,
        typer.Option("--demo-home", help="Folder for the demo store (default: a new temp folder)."),
    ] = None,
) -> None:
    from connectors.fakes import make_fake, serve_in_thread
    from store import Store
    from store.reports import sales
    from store.secrets import use_memory_keyring
    from sync import sync_shops

    started = time.monotonic()
    use_memory_keyring()
    typer.echo("kamei demo: keys are kept in a throwaway in-memory keyring (demo only)")
    folder = home or Path(tempfile.mkdtemp(prefix="kamei-demo-"))
    fake = make_fake("colorme", orders=orders, seed=seed)
    with serve_in_thread(fake.app) as base_url, Store.create(folder) as store:
        typer.echo(f"fake カラーミーショップ at {base_url} serving {fake.orders} synthetic orders")
        # The fake has no rate limit; a real shop keeps the default 2 requests/s.
        store.add_shop(DEMO_SHOP, "colorme", {"base_url": base_url, "rate": 200})
        store.set_credential(DEMO_SHOP, {"access_token": fake.credential})
        (result,) = sync_shops(store)
        typer.echo(
            f"synced {result.stats.orders_written} orders in {result.duration_s:.1f}s "
            f"({result.stats.requests} requests): {result.stats.outcome}"
        )
        with store.connect() as conn:
            report = sales(conn, by="month")
        stored = store.count_orders()
        path = store.path
    render(report.rows[-12:], report.columns, Format.table, title="sales by month (last 12)")
    typer.echo(f"\nstore: {path} (encrypted; {stored} pseudonymised orders)")
    typer.echo(f"home:  {folder}")
    typer.echo(f"done in {time.monotonic() - started:.1f}s. Next: kamei init, then kamei shop add")
    if not result.ok:
        typer.echo(f"kamei: demo sync failed: {result.stats.error}", err=True)
        raise typer.Exit(1)

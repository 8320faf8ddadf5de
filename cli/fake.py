"""``kamei fake serve``: a platform's fake API on loopback, for trials and tests."""

from __future__ import annotations

import contextlib
import json
import signal
import threading
from typing import Annotated

import typer

from kamei.i18n import t

__all__ = ["app"]

app = typer.Typer(help=t("fake.help"), no_args_is_help=True)


@app.command("serve", help=t("fake.serve.help"))
def serve(
    platform: Annotated[
        str, typer.Option("--platform", "-p", help=t("fake.opt.platform"))
    ] = "colorme",
    host: Annotated[str, typer.Option("--host", help=t("fake.opt.host"))] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help=t("fake.opt.port"), min=0, max=65535)] = 0,
    orders: Annotated[int, typer.Option("--orders", "-n", help=t("fake.opt.orders"), min=0)] = 1000,
    seed: Annotated[int, typer.Option("--seed", help=t("demo.opt.seed"))] = 0,
    faults: Annotated[
        str,
        typer.Option(
            "--faults",
            help=t("fake.opt.faults"),
        ),
    ] = "",
    canary: Annotated[
        bool,
        typer.Option(
            "--canary",
            help=t("fake.opt.canary"),
        ),
    ] = False,
) -> None:
    from connectors.fakes import make_fake, serve_in_thread

    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(t("fake.public_warning"), err=True)
    try:
        fake = make_fake(platform, orders=orders, seed=seed, faults=faults, canary=canary)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with serve_in_thread(fake.app, host=host, port=port) as base_url:
        line = {
            "platform": fake.platform,
            "base_url": base_url,
            "credential": fake.credential,
            "orders": fake.orders,
        }
        typer.echo(json.dumps(line, ensure_ascii=False), nl=True)
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()

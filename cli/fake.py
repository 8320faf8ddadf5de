"""``kamei fake serve``: a platform's fake API on loopback, for trials and tests."""

from __future__ import annotations

import contextlib
import json
import signal
import threading
from typing import Annotated

import typer

__all__ = ["app"]

app = typer.Typer(
    help="Fake platform APIs with synthetic data (no real customers).", no_args_is_help=True
)


@app.command("serve")
def serve(
    platform: Annotated[
        str, typer.Option("--platform", "-p", help="colorme, makeshop or shopserve")
    ] = "colorme",
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", help="Port (0 picks a free one).", min=0, max=65535)
    ] = 0,
    orders: Annotated[
        int, typer.Option("--orders", "-n", help="Orders to generate.", min=0)
    ] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the synthetic data.")] = 0,
    faults: Annotated[
        str,
        typer.Option(
            "--faults",
            help="Comma-separated faults, e.g. latency=50ms,429=0.1,5xx=0.05,reset=0.02,"
            "truncate=0.02,churn=1",
        ),
    ] = "",
    canary: Annotated[
        bool,
        typer.Option(
            "--canary",
            help="Plant a unique KNRY marker in every personal value (for leak tests).",
        ),
    ] = False,
) -> None:
    """Serve a fake platform API until interrupted.

    Prints one JSON line first: {"platform", "base_url", "credential", "orders"};
    the credential is what `kamei shop add --credential-stdin` accepts.

    Example:

        kamei fake serve --platform colorme --orders 5000 --faults latency=20ms
    """
    from connectors.fakes import make_fake, serve_in_thread

    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(
            "kamei: warning: the fake serves synthetic data to anyone who can reach it", err=True
        )
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

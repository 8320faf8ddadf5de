"""``kamei auth colorme SHOP``: the OAuth authorization-code flow."""

from __future__ import annotations

import os
import sys
import webbrowser
from typing import Annotated

import typer

from kamei.errors import ConfigError

from . import context

__all__ = ["app"]

app = typer.Typer(
    help="Authorise kamei at a platform (stores the token in the keyring).", no_args_is_help=True
)

SECRET_ENV = "KAMEI_COLORME_CLIENT_SECRET"


@app.command("colorme")
def colorme(
    ctx: typer.Context,
    shop: Annotated[str, typer.Argument(help="The shop registered with `kamei shop add`.")],
    client_id: Annotated[str, typer.Option("--client-id", help="Your Color Me app's client id.")],
    client_secret_stdin: Annotated[
        bool,
        typer.Option(
            "--client-secret-stdin",
            help=f"Read the client secret from standard input (else ${SECRET_ENV} or a prompt).",
        ),
    ] = False,
    oob: Annotated[
        bool,
        typer.Option("--oob", help="No local browser: paste the code Color Me shows instead."),
    ] = False,
    port: Annotated[
        int, typer.Option("--port", help="Local port for the redirect (0: any free port).")
    ] = 0,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Print the address instead of opening it.")
    ] = False,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds to wait for the browser.")
    ] = 300.0,
) -> None:
    """Authorise kamei for a Color Me shop (scope read_sales) and keep the token in the keyring.

    Register an app at https://api.shop-pro.jp/oauth/applications/new with the redirect
    URI http://127.0.0.1:PORT/callback (use --port PORT) or urn:ietf:wg:oauth:2.0:oob
    (use --oob). Color Me tokens do not expire; revoking the app in the shop admin
    ends access, after which run this command again.

    Example:

        kamei auth colorme main --client-id abc123 --port 8765
    """
    from connectors import get_platform, make_client
    from connectors.colorme_oauth import (
        OOB_REDIRECT_URI,
        RedirectListener,
        authorize_url,
        code_from_paste,
        exchange_code,
        new_state,
    )
    from store import Store

    if client_secret_stdin:
        secret = sys.stdin.readline().strip()
    else:
        secret = os.environ.get(SECRET_ENV, "").strip()
        if not secret and sys.stdin.isatty():
            secret = typer.prompt("Client secret", hide_input=True).strip()
    if not secret:
        raise ConfigError(
            f"no client secret: pipe it with --client-secret-stdin or set ${SECRET_ENV}"
        )

    with Store.open(context.get(ctx).home) as store:
        record = store.get_shop(shop)
        if record.platform != "colorme":
            raise ConfigError(f"shop {shop!r} is on {record.platform}, not colorme")
        base_url = str(record.settings.get("base_url") or get_platform("colorme").default_base_url)
        state = new_state()
        if oob:
            url = authorize_url(base_url, client_id, OOB_REDIRECT_URI, state)
            typer.echo(
                f"Open this address, allow access, then paste the code shown:\n\n  {url}\n",
                err=True,
            )
            code = code_from_paste(typer.prompt("Code", err=True), state=state, shop=shop)
            redirect_uri = OOB_REDIRECT_URI
        else:
            with RedirectListener(state, port=port, timeout=timeout, shop=shop) as listener:
                url = authorize_url(base_url, client_id, listener.redirect_uri, state)
                typer.echo(f"Open this address and allow access:\n\n  {url}\n", err=True)
                if not no_browser:
                    webbrowser.open(url)
                code = listener.wait()
                redirect_uri = listener.redirect_uri
        with make_client(base_url) as client:
            token = exchange_code(client, client_id, secret, code, redirect_uri, shop=shop)
        store.set_credential(shop, {"access_token": token})
    typer.echo(f"authorised: the token for {shop!r} is in the OS keyring; next: kamei sync {shop}")

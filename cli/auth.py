"""``kamei auth colorme SHOP``: the OAuth authorization-code flow."""

from __future__ import annotations

import os
import sys
import webbrowser
from typing import Annotated

import typer

from kamei.errors import ConfigError
from kamei.i18n import t

from . import context

__all__ = ["app"]

app = typer.Typer(help=t("auth.help"), no_args_is_help=True)

SECRET_ENV = "KAMEI_COLORME_CLIENT_SECRET"


@app.command("colorme", help=t("auth.colorme.help"))
def colorme(
    ctx: typer.Context,
    shop: Annotated[str, typer.Argument(help=t("auth.arg.shop"))],
    client_id: Annotated[str, typer.Option("--client-id", help=t("auth.opt.client_id"))],
    client_secret_stdin: Annotated[
        bool,
        typer.Option(
            "--client-secret-stdin",
            help=t("auth.opt.client_secret_stdin", env=SECRET_ENV),
        ),
    ] = False,
    oob: Annotated[
        bool,
        typer.Option("--oob", help=t("auth.opt.oob")),
    ] = False,
    port: Annotated[int, typer.Option("--port", help=t("auth.opt.port"))] = 0,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help=t("auth.opt.no_browser"))
    ] = False,
    timeout: Annotated[float, typer.Option("--timeout", help=t("auth.opt.timeout"))] = 300.0,
) -> None:
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
            secret = typer.prompt(t("auth.prompt.secret"), hide_input=True).strip()
    if not secret:
        raise ConfigError(t("auth.no_secret", env=SECRET_ENV))

    with Store.open(context.get(ctx).home) as store:
        record = store.get_shop(shop)
        if record.platform != "colorme":
            raise ConfigError(t("auth.not_colorme", shop=shop, platform=record.platform))
        base_url = str(record.settings.get("base_url") or get_platform("colorme").default_base_url)
        state = new_state()
        if oob:
            url = authorize_url(base_url, client_id, OOB_REDIRECT_URI, state)
            typer.echo(t("auth.open_and_paste", url=url), err=True)
            pasted = typer.prompt(t("auth.prompt.code"), err=True)
            code = code_from_paste(pasted, state=state, shop=shop)
            redirect_uri = OOB_REDIRECT_URI
        else:
            with RedirectListener(state, port=port, timeout=timeout, shop=shop) as listener:
                url = authorize_url(base_url, client_id, listener.redirect_uri, state)
                typer.echo(t("auth.open", url=url), err=True)
                if not no_browser:
                    webbrowser.open(url)
                code = listener.wait()
                redirect_uri = listener.redirect_uri
        with make_client(base_url) as client:
            token = exchange_code(client, client_id, secret, code, redirect_uri, shop=shop)
        store.set_credential(shop, {"access_token": token})
    typer.echo(t("auth.done", shop=shop))

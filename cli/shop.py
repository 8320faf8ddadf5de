"""``kamei init`` and ``kamei shop add|list|remove``."""

from __future__ import annotations

import sys
import urllib.parse
from pathlib import Path
from typing import Annotated

import typer

from kamei.errors import ConfigError
from kamei.i18n import t

from . import context
from .output import Format, FormatOption, render

__all__ = ["INIT_HELP", "app", "init"]

INIT_HELP = t("init.help")

app = typer.Typer(help=t("shop.help"), no_args_is_help=True)


def init(ctx: typer.Context) -> None:
    from store import Store

    with Store.create(context.get(ctx).home) as store:
        typer.echo(t("init.created", path=store.path))
        typer.echo(t("init.next"))


@app.command("add", help=t("shop.add.help"))
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=t("shop.arg.name"))],
    platform: Annotated[
        str,
        typer.Option(
            "--platform",
            "-p",
            help=t("shop.opt.platform"),
        ),
    ],
    base_url: Annotated[str | None, typer.Option("--base-url", help=t("shop.opt.base_url"))] = None,
    credential_stdin: Annotated[
        bool,
        typer.Option(
            "--credential-stdin",
            help=t("shop.opt.credential_stdin"),
        ),
    ] = False,
    lookback_days: Annotated[
        float | None,
        typer.Option("--lookback-days", help=t("shop.opt.lookback_days")),
    ] = None,
    rate: Annotated[
        float | None,
        typer.Option("--rate", help=t("shop.opt.rate")),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            help=t("shop.opt.mapping"),
            show_default=False,
        ),
    ] = None,
) -> None:
    from connectors import get_platform
    from store import Store

    spec = get_platform(platform)
    if not name.strip() or any(c in name for c in "/\\\n\t") or len(name) > 64:
        raise ConfigError(t("shop.bad_name"))
    credential = None
    if credential_stdin:
        credential = spec.parse_credential(sys.stdin.read())
    settings: dict[str, object] = {"base_url": _checked_base_url(base_url or spec.default_base_url)}
    if lookback_days is not None:
        if not 0 <= lookback_days <= 366:
            raise ConfigError(t("shop.bad_lookback"))
        settings["lookback_days"] = lookback_days
    if rate is not None:
        if not 0 < rate <= 1000:
            raise ConfigError(t("shop.bad_rate"))
        settings["rate"] = rate
    if mapping is not None:
        if spec.parse_mapping is None:
            raise ConfigError(t("shop.mapping_not_shopserve", platform=spec.name))
        try:
            text = mapping.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise ConfigError(t("shop.mapping_unreadable", path=mapping)) from None
        settings["mapping"] = spec.parse_mapping(text, f"file {mapping.name}")
    with Store.open(context.get(ctx).home) as store:
        store.add_shop(name, spec.name, settings)
        if credential is not None:
            store.set_credential(name, credential)
    typer.echo(t("shop.added", name=name, label=spec.label))
    if credential is None:
        typer.echo(t("shop.no_credential", hint=_credential_hint(spec.name, name)))


_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


def _checked_base_url(url: str) -> str:
    """A base URL holds no secret (it is stored as a setting and shown by `shop list`).

    Messages never repeat the URL: it is exactly what may hold the secret.
    """
    try:
        parts = urllib.parse.urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        host = None
    if host is None or parts.scheme not in ("http", "https"):
        raise ConfigError(t("shop.bad_base_url"))
    if parts.username is not None or parts.password is not None or parts.query or parts.fragment:
        raise ConfigError(t("shop.base_url_secret"))
    if parts.scheme == "http" and host not in _LOOPBACK:
        typer.echo(t("shop.http_warning"), err=True)
    return url.strip()


def _shown_url(url: str) -> str:
    """``url`` without anything that could be secret (user, password, query, fragment):
    shops added before kamei refused such URLs still list safely."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return t("shop.unreadable_url")
    host = parts.netloc.rpartition("@")[2]
    hidden = "…" if "@" in parts.netloc or parts.query or parts.fragment else ""
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", "")) + hidden


def _credential_hint(platform: str, name: str) -> str:
    pipe = t("shop.hint_pipe", name=name)
    return t("shop.hint_colorme", name=name, pipe=pipe) if platform == "colorme" else pipe


@app.command("credential", help=t("shop.credential.help"))
def credential(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=t("shop.credential.arg.name"))],
) -> None:
    from connectors import get_platform
    from store import Store

    with Store.open(context.get(ctx).home) as store:
        shop = store.get_shop(name)
        fields = get_platform(shop.platform).parse_credential(sys.stdin.read())
        store.set_credential(name, fields)
    typer.echo(t("shop.credential.stored", name=name))


@app.command("list", help=t("shop.list.help"))
def list_(ctx: typer.Context, fmt: FormatOption = Format.table) -> None:
    from store import Store

    with Store.open(context.get(ctx).home) as store:
        rows = [
            {
                "name": shop.name,
                "platform": shop.platform,
                "base_url": _shown_url(str(shop.settings.get("base_url", ""))),
                "credential": "yes" if store.has_credential(shop.name) else "no",
            }
            for shop in store.list_shops()
        ]
    render(rows, ["name", "platform", "base_url", "credential"], fmt, key="shops")


@app.command("remove", help=t("shop.remove.help"))
def remove(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help=t("shop.remove.arg.name"))],
    yes: Annotated[bool, typer.Option("--yes", "-y", help=t("opt.yes"))] = False,
) -> None:
    from store import Store

    with Store.open(context.get(ctx).home) as store:
        store.get_shop(name)
        if not yes:
            if not sys.stdin.isatty():
                raise ConfigError(t("shop.remove.needs_yes"))
            typer.confirm(t("shop.remove.question", name=name), abort=True)
        orders = store.count_orders(store.get_shop(name).id)
        store.remove_shop(name)
    typer.echo(t("shop.removed", name=name, orders=orders))

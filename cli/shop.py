"""``kamei init`` and ``kamei shop add|list|remove``."""

from __future__ import annotations

import sys
import urllib.parse
from pathlib import Path
from typing import Annotated

import typer

from kamei.errors import ConfigError

from . import context
from .output import Format, FormatOption, render

__all__ = ["INIT_HELP", "app", "init"]

INIT_HELP = """Create the encrypted store and its keys (kept in the OS keyring).

Refuses to touch an existing store.

Example:

    kamei init
"""

app = typer.Typer(help="Register, list and remove shops.", no_args_is_help=True)


def init(ctx: typer.Context) -> None:
    from store import Store

    with Store.create(context.get(ctx).home) as store:
        typer.echo(f"created the encrypted store at {store.path}")
        typer.echo("its keys are in the OS keyring; next: kamei shop add NAME --platform colorme")


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A short name for the shop, e.g. 'main'.")],
    platform: Annotated[
        str,
        typer.Option(
            "--platform",
            "-p",
            help="colorme, makeshop or shopserve (MakeShop's credential: token and API key, "
            'as JSON {"token": ..., "api_key": ...} or as two lines)',
        ),
    ],
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="API base URL (default: the platform's).")
    ] = None,
    credential_stdin: Annotated[
        bool,
        typer.Option(
            "--credential-stdin",
            help="Read the credential from standard input: Color Me, the access token; "
            'MakeShop, {"token": ..., "api_key": ...} or the two on two lines; ShopServe, '
            "SHOP_ID:MANAGER_KEY.",
        ),
    ] = False,
    lookback_days: Annotated[
        float | None,
        typer.Option("--lookback-days", help="Days re-read each sync for late changes."),
    ] = None,
    rate: Annotated[
        float | None,
        typer.Option(
            "--rate", help="Requests per second kamei allows itself (client-side budget)."
        ),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            help="ShopServe: a JSON file correcting the assumed API format (docs/platforms.md).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Register a shop; its credential goes to the OS keyring, never to a file.

    Examples:

        echo "$TOKEN" | kamei shop add main --platform colorme --credential-stdin

        kamei shop add ms --platform makeshop --credential-stdin < makeshop-credential.json

        echo "myshop.jp:$MANAGER_KEY" | kamei shop add ss --platform shopserve --credential-stdin
    """
    from connectors import get_platform
    from store import Store

    spec = get_platform(platform)
    if not name.strip() or any(c in name for c in "/\\\n\t") or len(name) > 64:
        raise ConfigError("shop names must be 1–64 characters without slashes or tabs")
    credential = None
    if credential_stdin:
        credential = spec.parse_credential(sys.stdin.read())
    settings: dict[str, object] = {"base_url": _checked_base_url(base_url or spec.default_base_url)}
    if lookback_days is not None:
        if not 0 <= lookback_days <= 366:
            raise ConfigError("--lookback-days must be between 0 and 366")
        settings["lookback_days"] = lookback_days
    if rate is not None:
        if not 0 < rate <= 1000:
            raise ConfigError("--rate must be above 0 and at most 1000 requests per second")
        settings["rate"] = rate
    if mapping is not None:
        if spec.parse_mapping is None:
            raise ConfigError(f"--mapping applies to ShopServe shops only; drop it for {spec.name}")
        try:
            text = mapping.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise ConfigError(f"cannot read {mapping} as UTF-8 text; check the path") from None
        settings["mapping"] = spec.parse_mapping(text, f"file {mapping.name}")
    with Store.open(context.get(ctx).home) as store:
        store.add_shop(name, spec.name, settings)
        if credential is not None:
            store.set_credential(name, credential)
    typer.echo(f"added shop {name!r} ({spec.label})")
    if credential is None:
        typer.echo(f"no credential yet: {_credential_hint(spec.name, name)}")


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
        raise ConfigError("--base-url wants an http(s) URL, e.g. https://api.shop-pro.jp")
    if parts.username is not None or parts.password is not None or parts.query or parts.fragment:
        raise ConfigError(
            "--base-url must not hold a user name, password or query: it is kept as a plain "
            "setting and shown by `kamei shop list`; pass credentials with --credential-stdin "
            "(kept in the OS keyring)"
        )
    if parts.scheme == "http" and host not in _LOOPBACK:
        typer.echo(
            "kamei: warning: an http:// base URL sends the shop's credential unencrypted; "
            "use https:// unless this is a test server",
            err=True,
        )
    return url.strip()


def _shown_url(url: str) -> str:
    """``url`` without anything that could be secret (user, password, query, fragment):
    shops added before kamei refused such URLs still list safely."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "(unreadable URL)"
    host = parts.netloc.rpartition("@")[2]
    hidden = "…" if "@" in parts.netloc or parts.query or parts.fragment else ""
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", "")) + hidden


def _credential_hint(platform: str, name: str) -> str:
    pipe = f"pipe it to `kamei shop credential {name}`"
    return f"run `kamei auth colorme {name}` or {pipe}" if platform == "colorme" else pipe


@app.command("credential")
def credential(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The shop whose credential to set or replace.")],
) -> None:
    """Set or replace a shop's credential, read from standard input (kept in the OS keyring).

    The format is the one `kamei shop add --credential-stdin` takes for the shop's platform.

    Example:

        echo "$NEW_TOKEN" | kamei shop credential main
    """
    from connectors import get_platform
    from store import Store

    with Store.open(context.get(ctx).home) as store:
        shop = store.get_shop(name)
        fields = get_platform(shop.platform).parse_credential(sys.stdin.read())
        store.set_credential(name, fields)
    typer.echo(f"stored the credential for {name!r} in the OS keyring")


@app.command("list")
def list_(ctx: typer.Context, fmt: FormatOption = Format.table) -> None:
    """List registered shops.

    Example:

        kamei shop list --json
    """
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


@app.command("remove")
def remove(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The shop to remove.")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Remove a shop, its stored orders and its credential.

    Example:

        kamei shop remove old-shop --yes
    """
    from store import Store

    with Store.open(context.get(ctx).home) as store:
        store.get_shop(name)
        if not yes:
            if not sys.stdin.isatty():
                raise ConfigError("removing a shop deletes its history: confirm with --yes")
            typer.confirm(f"Delete shop {name!r} and all its stored orders?", abort=True)
        orders = store.count_orders(store.get_shop(name).id)
        store.remove_shop(name)
    typer.echo(f"removed shop {name!r}, its credential and its {orders} stored orders")

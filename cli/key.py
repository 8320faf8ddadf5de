"""``kamei key``: rotate, move and destroy the store's keys (docs/operations.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kamei.errors import ConfigError
from kamei.i18n import t

from . import context
from .confirm import confirm, confirm_typed

if TYPE_CHECKING:
    from store import Store
    from sync import ShopResult

__all__ = ["app"]

EXIT_SOME_FAILED = 3  # as `kamei sync`

app = typer.Typer(help=t("key.help"), no_args_is_help=True)

YesOption = Annotated[bool, typer.Option("--yes", "-y", help=t("opt.yes"))]
ShopsArgument = Annotated[
    list[str] | None, typer.Argument(help=t("key.arg.shops"), show_default=False)
]


def _versions(versions: tuple[int, ...] | list[int]) -> str:
    return ", ".join(str(v) for v in versions) or "-"


@app.command("status", help=t("key.status.help"))
def status(ctx: typer.Context) -> None:
    from store import Store, check_keyring, held_versions, shop_key_version, suppression_key

    with Store.open(context.get(ctx).home, readonly=True) as store:
        current, _ = store.pseudonym_key()
        typer.echo(t("key.status.store", store=store.store_id, path=store.path))
        typer.echo(t("key.status.keyring", backend=check_keyring()))
        typer.echo(t("key.status.db_key"))
        held = held_versions(store.store_id)
        typer.echo(t("key.status.pseudonym", versions=_versions(held), current=current))
        made = suppression_key(store.store_id) is not None
        typer.echo(t("key.status.suppression_yes" if made else "key.status.suppression_no"))
        for shop in store.list_shops():
            version = shop_key_version(store, shop.id)
            if version is None:
                typer.echo(t("key.status.shop_empty", shop=shop.name))
            elif version == current:
                typer.echo(t("key.status.shop_ok", shop=shop.name, version=version))
            else:
                typer.echo(t("key.status.shop_stale", shop=shop.name, version=version))


@app.command("rotate-db", help=t("key.rotate_db.help"))
def rotate_db(ctx: typer.Context) -> None:
    from store import StorePaths, rotate_db_key

    home = context.get(ctx).home
    rotate_db_key(home)
    typer.echo(t("key.rotate_db.done", path=StorePaths.at(home).db))
    typer.echo(t("key.rotate_db.next"))


@app.command("rotate-pseudonyms", help=t("key.rotate_pseudonyms.help"))
def rotate_pseudonyms(
    ctx: typer.Context,
    resync: Annotated[bool, typer.Option("--resync", help=t("key.opt.resync"))] = False,
    yes: YesOption = False,
) -> None:
    from store import Store, rotate_pseudonym_key

    with Store.open(context.get(ctx).home) as store:
        if resync:
            confirm(yes, t("key.resync.question_all"))
        with store.sync_lock():
            version = rotate_pseudonym_key(store.store_id)
        typer.echo(t("key.rotate_pseudonyms.done", version=version, old=version - 1))
        if not resync:
            typer.echo(t("key.rotate_pseudonyms.explain"))
            return
        _resync(store, ())


@app.command("resync", help=t("key.resync.help"))
def resync(ctx: typer.Context, names: ShopsArgument = None, yes: YesOption = False) -> None:
    from store import Store
    from sync import shops_to_rebuild

    with Store.open(context.get(ctx).home) as store:
        targets = list(names or ()) or [shop.name for shop in shops_to_rebuild(store)]
        for name in targets:
            store.get_shop(name)  # an unknown name fails before anything is deleted
        if not targets:
            typer.echo(t("key.resync.nothing"))
            return
        confirm(yes, t("key.resync.question", shops=", ".join(targets)))
        _resync(store, targets)


def _resync(store: Store, names: list[str] | tuple[str, ...]) -> None:
    from sync import resync_shops

    results: list[ShopResult] = resync_shops(store, names)
    if not results:
        typer.echo(t("key.resync.nothing"))
        return
    current, _ = store.pseudonym_key()
    for result in results:
        if result.ok:
            typer.echo(
                t("key.resync.shop_ok", shop=result.shop, orders=result.new_orders, version=current)
            )
        else:
            error = result.stats.error
            typer.echo(t("key.resync.shop_failed", shop=result.shop, error=error), err=True)
    if not all(result.ok for result in results):
        raise typer.Exit(EXIT_SOME_FAILED)


@app.command("export", help=t("key.export.help"))
def export(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help=t("key.arg.bundle_out"), show_default=False)],
) -> None:
    from store import Store, credentials_of, export_bundle, held_versions, write_bundle

    with Store.open(context.get(ctx).home, readonly=True) as store:
        store_id = store.store_id
        shops = [shop.name for shop in store.list_shops()]
    if path.exists():
        raise ConfigError(t("bundle.exists", path=path))
    passphrase = typer.prompt(
        t("key.passphrase.new"), hide_input=True, confirmation_prompt=t("key.passphrase.again")
    )
    credentials = credentials_of(store_id, shops)
    write_bundle(path, export_bundle(store_id, credentials, passphrase))
    versions = _versions(held_versions(store_id))
    typer.echo(t("key.export.done", path=path, versions=versions, shops=len(credentials)))
    typer.echo(t("key.export.keep"))


@app.command("import", help=t("key.import.help"))
def import_(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help=t("key.arg.bundle_in"), show_default=False)],
    replace: Annotated[bool, typer.Option("--replace", help=t("key.opt.replace"))] = False,
) -> None:
    from store import import_bundle

    try:
        data = path.read_bytes()
    except OSError:
        raise ConfigError(t("key.import.unreadable", path=path)) from None
    passphrase = typer.prompt(t("key.passphrase.ask"), hide_input=True)
    done = import_bundle(context.get(ctx).home, data, passphrase, replace=replace)
    typer.echo(
        t(
            "key.import.done",
            store=done.store_id,
            versions=_versions(done.versions),
            shops=", ".join(done.shops) or "-",
        )
    )


@app.command("destroy-pseudonym-key", help=t("key.destroy.help"))
def destroy(
    ctx: typer.Context,
    version: Annotated[
        int | None,
        typer.Option("--version", help=t("key.opt.version"), min=1, show_default=False),
    ] = None,
    yes: YesOption = False,
) -> None:
    from store import Store, destroy_pseudonym_keys, orders_by_version, plan_destroy

    with Store.open(context.get(ctx).home) as store, store.sync_lock():
        doomed = plan_destroy(store.store_id, version)
        counts = orders_by_version(store)
        orders = sum(counts.get(v, 0) for v in doomed)
        question = t("key.destroy.question", versions=_versions(doomed), orders=orders)
        confirm_typed(yes, question, "destroy")
        done = destroy_pseudonym_keys(store.store_id, version)
    typer.echo(t("key.destroy.done", versions=_versions(done.destroyed), orders=orders))
    if version is None:
        typer.echo(t("key.destroy.after_all", current=done.current))

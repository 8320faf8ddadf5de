"""``kamei report NAME``: answers from the store that identify nobody.

Every report takes the same filters (shop, platform, date range), the same k
(``--min-group``, else ``[reports] min_group`` in the home's settings.toml, else
5) and the same output options; the reports themselves live in ``store.reports``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from kamei.errors import ConfigError
from kamei.i18n import t

from . import context
from .output import Encoding, EncodingOption, Format, FormatOption, OutOption, render_report

__all__ = ["app"]

app = typer.Typer(help=t("report.help"), no_args_is_help=True)

MinGroupOption = Annotated[
    int | None,
    typer.Option(
        "--min-group",
        "-k",
        help=t("report.opt.min_group"),
        min=1,
        show_default=False,
    ),
]
ShopOption = Annotated[list[str] | None, typer.Option("--shop", "-s", help=t("report.opt.shop"))]
PlatformOption = Annotated[
    list[str] | None, typer.Option("--platform", "-p", help=t("report.opt.platform"))
]
SinceOption = Annotated[str | None, typer.Option("--since", help=t("report.opt.since"))]
UntilOption = Annotated[str | None, typer.Option("--until", help=t("report.opt.until"))]
TopOption = Annotated[int | None, typer.Option("--top", "-n", help=t("report.opt.top"), min=1)]


@dataclass(frozen=True, slots=True)
class _Common:
    """The options every report takes."""

    shop: list[str] | None
    platform: list[str] | None
    since: str | None
    until: str | None
    min_group: int | None
    fmt: Format
    out: Path | None
    encoding: Encoding


def _run(ctx: typer.Context, name: str, common: _Common, **options: Any) -> None:
    from store import Store
    from store.reports import REPORTS, Filters, configured_min_group

    home = context.get(ctx).home
    with Store.open(home, readonly=True) as store:
        for shop_name in common.shop or ():
            store.get_shop(shop_name)  # an unknown name is a mistake, not an empty report
        filters = Filters(
            shops=tuple(common.shop or ()),
            platforms=tuple(common.platform or ()),
            since=_day("--since", common.since),
            until=_day("--until", common.until),
            min_group=configured_min_group(store.home, common.min_group),
        )
        with store.connect() as conn, store.db_errors():
            report = REPORTS[name].run(conn, filters, **options)
    render_report(report, common.fmt, out=common.out, encoding=common.encoding)


def _day(option: str, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(t("opt.bad_date", option=option, value=value)) from None


@app.command("sales", help=t("report.sales.help"))
def sales(
    ctx: typer.Context,
    by: Annotated[str, typer.Option("--by", help=t("report.opt.by"))] = "month",
    shop: ShopOption = None,
    platform: PlatformOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    min_group: MinGroupOption = None,
    fmt: FormatOption = Format.table,
    out: OutOption = None,
    encoding: EncodingOption = Encoding.utf8,
) -> None:
    common = _Common(shop, platform, since, until, min_group, fmt, out, encoding)
    _run(ctx, "sales", common, by=by)


@app.command("products", help=t("report.products.help"))
def products(
    ctx: typer.Context,
    top: TopOption = None,
    variations: Annotated[
        bool, typer.Option("--variations", help=t("report.opt.variations"))
    ] = False,
    shop: ShopOption = None,
    platform: PlatformOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    min_group: MinGroupOption = None,
    fmt: FormatOption = Format.table,
    out: OutOption = None,
    encoding: EncodingOption = Encoding.utf8,
) -> None:
    common = _Common(shop, platform, since, until, min_group, fmt, out, encoding)
    _run(ctx, "products", common, top=top, variations=variations)


@app.command("repeat", help=t("report.repeat.help"))
def repeat(
    ctx: typer.Context,
    shop: ShopOption = None,
    platform: PlatformOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    min_group: MinGroupOption = None,
    fmt: FormatOption = Format.table,
    out: OutOption = None,
    encoding: EncodingOption = Encoding.utf8,
) -> None:
    common = _Common(shop, platform, since, until, min_group, fmt, out, encoding)
    _run(ctx, "repeat", common)


@app.command("cohorts", help=t("report.cohorts.help"))
def cohorts(
    ctx: typer.Context,
    months: Annotated[int, typer.Option("--months", help=t("report.opt.months"), min=0)] = 12,
    shop: ShopOption = None,
    platform: PlatformOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    min_group: MinGroupOption = None,
    fmt: FormatOption = Format.table,
    out: OutOption = None,
    encoding: EncodingOption = Encoding.utf8,
) -> None:
    common = _Common(shop, platform, since, until, min_group, fmt, out, encoding)
    _run(ctx, "cohorts", common, months=months)


@app.command("rfm", help=t("report.rfm.help"))
def rfm(
    ctx: typer.Context,
    detail: Annotated[
        bool,
        typer.Option("--detail", help=t("report.opt.detail")),
    ] = False,
    shop: ShopOption = None,
    platform: PlatformOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    min_group: MinGroupOption = None,
    fmt: FormatOption = Format.table,
    out: OutOption = None,
    encoding: EncodingOption = Encoding.utf8,
) -> None:
    common = _Common(shop, platform, since, until, min_group, fmt, out, encoding)
    _run(ctx, "rfm", common, detail=detail)


@app.command("baskets", help=t("report.baskets.help"))
def baskets(
    ctx: typer.Context,
    top: TopOption = 50,
    shop: ShopOption = None,
    platform: PlatformOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    min_group: MinGroupOption = None,
    fmt: FormatOption = Format.table,
    out: OutOption = None,
    encoding: EncodingOption = Encoding.utf8,
) -> None:
    common = _Common(shop, platform, since, until, min_group, fmt, out, encoding)
    _run(ctx, "baskets", common, top=top)


@app.command("prefectures", help=t("report.prefectures.help"))
def prefectures(
    ctx: typer.Context,
    shop: ShopOption = None,
    platform: PlatformOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    min_group: MinGroupOption = None,
    fmt: FormatOption = Format.table,
    out: OutOption = None,
    encoding: EncodingOption = Encoding.utf8,
) -> None:
    common = _Common(shop, platform, since, until, min_group, fmt, out, encoding)
    _run(ctx, "prefectures", common)

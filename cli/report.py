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

from . import context
from .output import Encoding, EncodingOption, Format, FormatOption, OutOption, render_report

__all__ = ["app"]

app = typer.Typer(
    help="Reports over the store; groups under k buyers are suppressed.\n\n"
    "Example:\n\n    kamei report sales --by month --format xlsx --out sales.xlsx",
    no_args_is_help=True,
)

MinGroupOption = Annotated[
    int | None,
    typer.Option(
        "--min-group",
        "-k",
        help="Suppress any group with fewer distinct buyers than this "
        "(default: [reports] min_group in settings.toml, else 5).",
        min=1,
        show_default=False,
    ),
]
ShopOption = Annotated[
    list[str] | None, typer.Option("--shop", "-s", help="Only this shop (repeatable).")
]
PlatformOption = Annotated[
    list[str] | None, typer.Option("--platform", "-p", help="Only this platform (repeatable).")
]
SinceOption = Annotated[
    str | None, typer.Option("--since", help="First day, Japan time (YYYY-MM-DD).")
]
UntilOption = Annotated[
    str | None, typer.Option("--until", help="Last day included, Japan time (YYYY-MM-DD).")
]
TopOption = Annotated[
    int | None, typer.Option("--top", "-n", help="Only the first N published rows.", min=1)
]


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
        raise ConfigError(f"{option} wants a date like 2025-01-31, not {value!r}") from None


@app.command("sales")
def sales(
    ctx: typer.Context,
    by: Annotated[
        str, typer.Option("--by", help="day, week, month or year (Japan time).")
    ] = "month",
    shop: ShopOption = None,
    platform: PlatformOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    min_group: MinGroupOption = None,
    fmt: FormatOption = Format.table,
    out: OutOption = None,
    encoding: EncodingOption = Encoding.utf8,
) -> None:
    """Orders, revenue, units, buyers (new/returning) and average order value by period and shop.

    Example:

        kamei report sales --by month --format csv --out sales.csv
    """
    common = _Common(shop, platform, since, until, min_group, fmt, out, encoding)
    _run(ctx, "sales", common, by=by)


@app.command("products")
def products(
    ctx: typer.Context,
    top: TopOption = None,
    variations: Annotated[
        bool, typer.Option("--variations", help="One row per product and variation.")
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
    """Revenue, units, orders, buyers and repeat buyers per product, best sellers first.

    Example:

        kamei report products --top 20 --since 2025-01-01
    """
    common = _Common(shop, platform, since, until, min_group, fmt, out, encoding)
    _run(ctx, "products", common, top=top, variations=variations)


@app.command("repeat")
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
    """Orders per buyer, repeat rate, median days to the second order, returning revenue share.

    Example:

        kamei report repeat --format json
    """
    common = _Common(shop, platform, since, until, min_group, fmt, out, encoding)
    _run(ctx, "repeat", common)


@app.command("cohorts")
def cohorts(
    ctx: typer.Context,
    months: Annotated[
        int, typer.Option("--months", help="Follow each cohort this many months.", min=0)
    ] = 12,
    shop: ShopOption = None,
    platform: PlatformOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    min_group: MinGroupOption = None,
    fmt: FormatOption = Format.table,
    out: OutOption = None,
    encoding: EncodingOption = Encoding.utf8,
) -> None:
    """Monthly first-purchase cohorts: buyers retained (count and %) and revenue per buyer.

    Example:

        kamei report cohorts --months 12 --format html --out cohorts.html
    """
    common = _Common(shop, platform, since, until, min_group, fmt, out, encoding)
    _run(ctx, "cohorts", common, months=months)


@app.command("rfm")
def rfm(
    ctx: typer.Context,
    detail: Annotated[
        bool,
        typer.Option(
            "--detail", help="List every buyer's pseudonym and scores (internal use only)."
        ),
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
    """Recency, frequency and monetary scores and named segments with buyers and revenue.

    Example:

        kamei report rfm --format html --out rfm.html
    """
    common = _Common(shop, platform, since, until, min_group, fmt, out, encoding)
    _run(ctx, "rfm", common, detail=detail)


@app.command("baskets")
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
    """Product pairs bought in the same order: support, confidence and lift.

    Example:

        kamei report baskets --top 20 --format csv --out pairs.csv
    """
    common = _Common(shop, platform, since, until, min_group, fmt, out, encoding)
    _run(ctx, "baskets", common, top=top)


@app.command("prefectures")
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
    """Orders, revenue and buyers by the buyer's prefecture, with a nationwide total.

    Example:

        kamei report prefectures --format html --out prefectures.html
    """
    common = _Common(shop, platform, since, until, min_group, fmt, out, encoding)
    _run(ctx, "prefectures", common)

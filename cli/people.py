"""``kamei lookup`` and ``kamei forget``: answering a customer who asks.

The owner types the e-mail address or phone number the customer gave; it is
normalised and hashed in memory, used, and dropped. It is never printed,
logged or written: messages name pseudonyms only. (It does stay in the shell's
history: docs/operations.md says how to avoid that.)
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

import typer

from kamei.i18n import t

from . import context
from .confirm import confirm

__all__ = ["FORGET_HELP", "LOOKUP_HELP", "forget", "lookup"]

LOOKUP_HELP = t("people.lookup.help")
FORGET_HELP = t("people.forget.help")
JST = dt.timezone(dt.timedelta(hours=9))

EmailOption = Annotated[
    list[str] | None,
    typer.Option("--email", help=t("people.opt.email"), show_default=False),
]
PhoneOption = Annotated[
    list[str] | None,
    typer.Option("--phone", help=t("people.opt.phone"), show_default=False),
]


def _day(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, JST).date().isoformat()


def lookup(
    ctx: typer.Context,
    email: EmailOption = None,
    phone: PhoneOption = None,
    as_json: Annotated[bool, typer.Option("--json", help=t("opt.json"))] = False,
) -> None:
    from store import Store
    from sync import contacts
    from sync import lookup as lookup_history

    wanted = contacts(email or (), phone or ())
    with Store.open(context.get(ctx).home, readonly=True) as store:
        found = lookup_history(store, wanted)
    orders = [
        {
            "buyer": row.buyer,
            "shop": row.shop,
            "ordered": _day(row.ordered_at),
            "status": row.status,
            "total": row.grand_total,
            "items": row.items,
            "products": row.products,
        }
        for row in found.orders
    ]
    forgotten = [
        {"pseudonym": f.pseudonym, "forgotten": _day(f.forgotten_at), "orders": f.orders_deleted}
        for f in found.forgotten
    ]
    if as_json:
        document: dict[str, Any] = {
            "pseudonyms": list(found.pseudonyms),
            "orders": orders,
            "forgotten": forgotten,
        }
        typer.echo(json.dumps(document, ensure_ascii=False, indent=2))
        return
    typer.echo(t("people.lookup.pseudonyms", names=", ".join(found.pseudonyms)))
    for entry in forgotten:
        typer.echo(t("people.lookup.forgotten", **entry))
    if not orders:
        by_email = any(contact.kind == "email" for contact in wanted)
        typer.echo(t("people.lookup.none" if by_email else "people.lookup.none_phone"))
        return
    typer.echo(t("people.lookup.count", orders=len(orders)))
    for order in orders:
        typer.echo(t("people.lookup.order", **order))


def forget(
    ctx: typer.Context,
    email: EmailOption = None,
    phone: PhoneOption = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help=t("opt.yes"))] = False,
) -> None:
    from store import Store
    from sync import contacts, forget_contacts
    from sync import lookup as lookup_history

    wanted = contacts(email or (), phone or ())
    with Store.open(context.get(ctx).home) as store:
        found = lookup_history(store, wanted)
        names = ", ".join(found.pseudonyms)
        confirm(yes, t("people.forget.question", orders=len(found.orders), names=names))
        done = forget_contacts(store, wanted)
    for entry in done:
        typer.echo(t("people.forget.done", pseudonym=entry.pseudonym, orders=entry.orders_deleted))
    typer.echo(t("people.forget.after"))

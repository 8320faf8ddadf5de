"""The store's side of customer requests and key versions: history, forget, resync.

``kamei lookup`` reads a buyer's history by pseudonym; ``kamei forget`` deletes
it and logs the deletion in ``forgotten`` (pseudonym, keyed tag, time, count:
never a contact detail) in the same transaction, so the log exists exactly
when the rows are gone. The sync boundary (``sync.forget``) reads the tags back
as its suppression list. Deleted content is overwritten (``secure_delete``) and
the WAL truncated, so it does not linger in free pages.

Key versions: every buyer pseudonym starts ``p<version>_``; a shop's rows all
carry one version (``sync.resync`` refuses to mix them), and
:func:`clear_history` removes a shop's rows and checkpoint for a full re-sync.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from . import schema
from .numbers import number_of
from .store import Store

__all__ = [
    "ForgetRequest",
    "Forgotten",
    "HistoryRow",
    "buyer_history",
    "clear_history",
    "forget",
    "forgotten_log",
    "forgotten_tags",
    "orders_by_version",
    "shop_key_version",
]


@dataclass(frozen=True, slots=True)
class ForgetRequest:
    """One contact detail to forget: its tag, and its pseudonym under every key version
    the keyring still holds (``pseudonym`` is the current one, for the log)."""

    tag: str
    pseudonym: str
    pseudonyms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Forgotten:
    """One line of the forget log."""

    pseudonym: str
    forgotten_at: int
    orders_deleted: int


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """One stored order of a buyer, as ``kamei lookup`` shows it."""

    buyer: str
    shop: str
    ordered_at: int
    status: str
    grand_total: int
    items: int
    products: str


def buyer_history(store: Store, pseudonyms: Collection[str]) -> list[HistoryRow]:
    """Every stored order of the given pseudonyms, oldest first."""
    if not pseudonyms:
        return []
    orders, lines, shops = schema.orders, schema.order_lines, schema.shops
    own_lines = lines.c.order_id == orders.c.id
    items = (
        sa.select(sa.func.coalesce(sa.func.sum(lines.c.quantity), 0))
        .where(own_lines)
        .scalar_subquery()
    )
    names = (
        sa.select(sa.func.coalesce(sa.func.group_concat(lines.c.product_name, " / "), ""))
        .where(own_lines)
        .scalar_subquery()
    )
    query = (
        sa.select(
            orders.c.buyer,
            shops.c.name,
            orders.c.ordered_at,
            orders.c.status,
            orders.c.grand_total,
            items,
            names,
        )
        .join_from(orders, shops, shops.c.id == orders.c.shop_id)
        .where(_of_buyers(pseudonyms))
        .order_by(orders.c.ordered_at, orders.c.id)
    )
    with store.connect() as conn, store.db_errors():
        rows = conn.execute(query).all()
    return [
        HistoryRow(
            buyer=buyer,
            shop=shop,
            ordered_at=int(ordered_at),
            status=status,
            grand_total=int(total),
            items=int(count),
            products=products,
        )
        for buyer, shop, ordered_at, status, total, count, products in rows
    ]


def forget(
    store: Store, requests: Sequence[ForgetRequest], *, now: int | None = None
) -> list[Forgotten]:
    """Delete the history of each request and log it; one transaction for all."""
    when = int(time.time()) if now is None else now
    orders, lines = schema.orders, schema.order_lines
    done: list[Forgotten] = []
    with store.atomic() as conn:
        conn.exec_driver_sql("PRAGMA secure_delete = ON")
        try:
            for request in requests:
                mine = _of_buyers(request.pseudonyms)
                ids = sa.select(orders.c.id).where(mine)
                conn.execute(lines.delete().where(lines.c.order_id.in_(ids)))
                deleted = int(conn.execute(orders.delete().where(mine)).rowcount)
                conn.execute(
                    schema.forgotten.insert().values(
                        pseudonym=request.pseudonym,
                        tag=request.tag,
                        forgotten_at=when,
                        orders_deleted=deleted,
                    )
                )
                done.append(Forgotten(request.pseudonym, when, deleted))
        finally:
            conn.exec_driver_sql("PRAGMA secure_delete = OFF")
    with store.connect() as conn, store.db_errors():
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return done


def forgotten_log(store: Store, tags: Collection[str] | None = None) -> list[Forgotten]:
    """The forget log, oldest first (only the given tags' lines, if given)."""
    table = schema.forgotten
    query = sa.select(table.c.pseudonym, table.c.forgotten_at, table.c.orders_deleted)
    if tags is not None:
        query = query.where(table.c.tag.in_(list(tags)))
    with store.connect() as conn, store.db_errors():
        rows = conn.execute(query.order_by(table.c.id)).all()
    return [Forgotten(row[0], int(row[1]), int(row[2])) for row in rows]


def forgotten_tags(store: Store) -> frozenset[str]:
    """The suppression list: tags of every contact detail ever forgotten."""
    with store.connect() as conn, store.db_errors():
        return frozenset(conn.execute(sa.select(schema.forgotten.c.tag).distinct()).scalars())


def _version(pseudonym: str) -> int | None:
    head, sep, _ = pseudonym.partition("_")
    return int(head[1:]) if sep and head[:1] == "p" and head[1:].isdigit() else None


def shop_key_version(store: Store, shop_id: int) -> int | None:
    """The pseudonym key version of the shop's stored rows; ``None`` when it has none."""
    orders = schema.orders
    query = sa.select(orders.c.buyer).where(orders.c.shop_id == shop_id).limit(1)
    with store.connect() as conn, store.db_errors():
        buyer = conn.execute(query).scalar_one_or_none()
    return None if buyer is None else _version(buyer)


def orders_by_version(store: Store) -> dict[int, int]:
    """How many stored orders carry each pseudonym key version."""
    orders = schema.orders
    version = sa.func.substr(orders.c.buyer, 2, sa.func.instr(orders.c.buyer, "_") - 2)
    query = sa.select(version, sa.func.count()).group_by(version)
    with store.connect() as conn, store.db_errors():
        rows = conn.execute(query).all()
    return {int(v): int(n) for v, n in rows if str(v).isdigit()}


def clear_history(store: Store, shop_id: int) -> int:
    """Delete a shop's orders, lines and checkpoint (its run log stays), in one
    transaction, so its next sync reads everything again. Returns the orders deleted."""
    orders, lines, state = schema.orders, schema.order_lines, schema.sync_state
    with store.atomic() as conn:
        ids = sa.select(orders.c.id).where(orders.c.shop_id == shop_id)
        conn.execute(lines.delete().where(lines.c.order_id.in_(ids)))
        deleted = int(conn.execute(orders.delete().where(orders.c.shop_id == shop_id)).rowcount)
        conn.execute(state.delete().where(state.c.shop_id == shop_id))
    return deleted


def _of_buyers(pseudonyms: Collection[str]) -> sa.ColumnElement[bool]:
    """Orders of these pseudonyms, found through the orders_buyer index by number,
    then matched by the text itself (numbers are for grouping, not identity)."""
    orders = schema.orders
    return sa.and_(
        orders.c.buyer_no.in_(sorted({number_of(p) for p in pseudonyms})),
        orders.c.buyer.in_(list(pseudonyms)),
    )

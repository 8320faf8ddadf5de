"""``kamei appi``: the records Japan's APPI expects for 仮名加工情報, in Japanese and English.

The lists are generated, so they cannot drift from what kamei does: the stored
items are the fields of ``OrderRecord`` and ``LineRecord`` (the allowlist the
store accepts), the replaced items are the fields of the connectors'
``RawOrder``/``RawBuyer``/``RawLine`` that are not stored as such, and the
deleted items are the connectors' documented drops (``DROPPED``, the list of
docs/privacy.md "What is never stored"). Every item needs a label in both
catalogs (``appi.field.*``, ``appi.replaced.*``, ``appi.dropped.*``):
``tests/test_appi.py`` fails on a new field without one. Where the key is kept
comes from this store and keyring.
"""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Final

import typer

from kamei import __version__
from kamei.i18n import t, translate

from . import context
from .output.files import write_file

if TYPE_CHECKING:
    from store import Forgotten

__all__ = ["DROPPED", "HELP", "Facts", "appi", "register", "replaced_fields", "stored_fields"]

HELP = t("appi.help")
JST = dt.timezone(dt.timedelta(hours=9))

DROPPED: Final = (
    "name",
    "kana",
    "company",
    "fax",
    "postal_code",
    "address",
    "recipient",
    "free_text",
    "tracking_number",
    "payment_transaction",
    "raw_body",
)
"""What the connectors' parsers drop before anything reaches ``sync`` (docs/privacy.md)."""

_ADDED_BY_STORE: Final = ("shop",)  # not a record field: the store files each order by shop


def stored_fields() -> list[str]:
    """Every item the store keeps: the record allowlist, orders first, then lines."""
    from store import LineRecord, OrderRecord

    order = [f.name for f in fields(OrderRecord) if f.name != "lines"]
    return [*order, *_ADDED_BY_STORE, *(f.name for f in fields(LineRecord))]


def replaced_fields() -> list[str]:
    """Items a connector hands on that are not stored as they are."""
    from connectors import RawBuyer, RawLine, RawOrder
    from store import LineRecord, OrderRecord

    stored = {f.name for f in fields(OrderRecord)} | {f.name for f in fields(LineRecord)}
    raw = [
        *(f.name for f in fields(RawOrder) if f.name not in ("buyer", "lines")),
        *(f.name for f in fields(RawBuyer)),
        *(f.name for f in fields(RawLine)),
    ]
    return [name for name in dict.fromkeys(raw) if name not in stored]


@dataclass(frozen=True, slots=True)
class Facts:
    """What the register says about this store (identifiers and counts only)."""

    store_id: str
    backend: str
    versions: tuple[int, ...]
    current: int
    suppression_key: bool
    forgotten: tuple[Forgotten, ...]
    generated: dt.datetime
    user: str


def _day(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, JST).date().isoformat()


def register(lang: str, facts: Facts) -> str:
    """The register in ``lang`` as Markdown."""

    def tr(key: str, **values: object) -> str:
        return translate(lang, key, **values)

    versions = ", ".join(str(v) for v in facts.versions) or "-"
    lines = [
        tr("appi.title"),
        "",
        tr(
            "appi.generated",
            date=facts.generated.isoformat(timespec="minutes"),
            version=__version__,
            store=facts.store_id,
        ),
        "",
        tr("appi.disclaimer"),
        "",
        tr("appi.s1.title"),
        "",
        tr("appi.s1.intro"),
        "",
        tr("appi.s1.deleted"),
        "",
        *(f"- {tr(f'appi.dropped.{name}')}" for name in DROPPED),
        "",
        tr("appi.s1.replaced"),
        "",
        *(f"- {tr(f'appi.replaced.{name}')}" for name in replaced_fields()),
        "",
        tr("appi.s1.stored"),
        "",
        *(f"- `{name}`: {tr(f'appi.field.{name}')}" for name in stored_fields()),
        "",
        tr("appi.s1.identifiers"),
        "",
        tr("appi.s2.title"),
        "",
        tr(
            "appi.s2.body",
            backend=facts.backend,
            store=facts.store_id,
            versions=versions,
            current=facts.current,
            user=facts.user,
            suppression=tr(
                "appi.s2.suppression_yes" if facts.suppression_key else "appi.s2.suppression_no"
            ),
        ),
        "",
        tr("appi.s3.title"),
        "",
        tr("appi.s3.body"),
        "",
        tr("appi.s4.title"),
        "",
    ]
    if facts.forgotten:
        lines += [tr("appi.s4.header"), "|---|---|---:|"]
        lines += [
            f"| `{f.pseudonym}` | {_day(f.forgotten_at)} | {f.orders_deleted} |"
            for f in facts.forgotten
        ]
    else:
        lines.append(tr("appi.s4.none"))
    lines += ["", tr("appi.s5.title"), "", tr("appi.s5.body")]
    return "\n".join(lines) + "\n"


def _facts(home: Path | None) -> Facts:
    from store import Store, check_keyring, forgotten_log, held_versions, suppression_key

    with Store.open(home, readonly=True) as store:
        current, _ = store.pseudonym_key()
        return Facts(
            store_id=store.store_id,
            backend=check_keyring(),
            versions=tuple(held_versions(store.store_id)),
            current=current,
            suppression_key=suppression_key(store.store_id) is not None,
            forgotten=tuple(forgotten_log(store)),
            generated=dt.datetime.now(JST),
            user=getpass.getuser(),
        )


def appi(
    ctx: typer.Context,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help=t("appi.opt.out"), show_default=False),
    ] = None,
) -> None:
    facts = _facts(context.get(ctx).home)
    text = register("ja", facts) + "\n---\n\n" + register("en", facts)
    if out is None:
        typer.echo(text, nl=False)
        return
    write_file(out, text.encode("utf-8"))
    typer.echo(t("appi.wrote", path=out))

"""Parsing ShopServe orders through the mapping: one entry → ``RawOrder``, or the reasons not.

Only the fields the mapping names are read. Names, addresses and free text are
read at most to compare (is the recipient the buyer?) and never leave this
module; an order the mapping cannot read makes the whole response fail with
:class:`ResponseFormatError` naming the field and how many orders it failed in,
so no half-read order is ever stored.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kamei.errors import ResponseFormatError

from .prefectures import code_for_name, valid_code
from .shopserve_mapping import FieldPath, ShopServeMapping
from .types import (
    OrderStatus,
    RawBuyer,
    RawLine,
    RawOrder,
    TaxClass,
    Window,
    plausible_amount,
    plausible_time,
)

__all__ = ["DOCS", "Problem", "mismatch", "parse_order", "parse_orders"]

DOCS = "docs/platforms.md, 'Correcting the ShopServe mapping'"


def mismatch(shop: str, detail: str) -> ResponseFormatError:
    return ResponseFormatError(
        f"shopserve shop {shop!r}: response does not match the expected ShopServe format "
        f"({detail}); nothing from this response was stored. If your ShopServe API names "
        f"the field differently, correct the mapping ({DOCS})"
    )


Problem = tuple[str, str]
"""(field path as the API spells it, what is wrong): identifiers only, never values."""


@dataclass(slots=True)
class _Reader:
    """Reads fields of one object through the mapping, noting problems instead of raising."""

    mapping: ShopServeMapping
    problems: set[Problem]
    prefix: str = ""

    def inner(self, path: FieldPath) -> _Reader:
        return _Reader(self.mapping, self.problems, f"{self.prefix}{path.text}[].")

    def note(self, path: FieldPath, what: str) -> None:
        self.problems.add((self.prefix + path.text, what))

    def raw(self, obj: object, paths: Sequence[FieldPath]) -> Any:
        if not paths:
            return None  # the mapping does not read this field
        present, value = paths[0].read(obj)
        if not present:
            if not paths[0].optional:
                self.note(paths[0], "missing")
            return None
        return value

    def text(self, obj: object, paths: Sequence[FieldPath]) -> str | None:
        value = self.raw(obj, paths)
        if isinstance(value, str):
            return value.strip() or None
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if value is not None:
            self.note(paths[0], "not text")
        return None

    def money(self, obj: object, paths: Sequence[FieldPath]) -> int:
        # Null means "not applicable"; anything but whole yen would make every report
        # wrong, and an amount past MAX_AMOUNT could overflow the reports' sums.
        total = 0
        for path in paths:
            value = self.raw(obj, (path,))
            if isinstance(value, int) and not isinstance(value, bool):
                if not plausible_amount(value):
                    self.note(path, "out of range")
                total += value
            elif value is not None:
                self.note(path, "not whole yen")
        if paths and not plausible_amount(total):
            self.note(paths[0], "out of range")
        return total

    def time(self, obj: object, paths: Sequence[FieldPath]) -> dt.datetime | None:
        value = self.raw(obj, paths)
        if value is None or value == "":
            return None
        try:
            if not isinstance(value, str):
                raise ValueError
            moment = self.mapping.request.parse_time(value).astimezone(dt.UTC)
        except (ValueError, OverflowError):  # 0001-01-01 in Japan time overflows UTC
            self.note(paths[0], "not in request.datetime_format")
            return None
        if not plausible_time(moment):
            self.note(paths[0], "out of range")
            return None
        return moment

    def objects(self, obj: object, paths: Sequence[FieldPath]) -> list[dict[str, Any]]:
        value = self.raw(obj, paths)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.note(paths[0], "not a list of objects")
            return []
        return value


def parse_order(entry: object, mapping: ShopServeMapping) -> tuple[RawOrder | None, set[Problem]]:
    """One order entry → ``RawOrder``, or ``None`` and the problems that stopped it."""
    problems: set[Problem] = set()
    if not isinstance(entry, dict):
        return None, {("orders[]", "not an object")}
    r = _Reader(mapping, problems)
    o, dest = mapping.response.order, mapping.response.destination
    serial = r.text(entry, o["serial_code"])
    ordered = r.time(entry, o["ordered_at"])
    updated = r.time(entry, o["updated_at"])
    destinations = r.objects(entry, o["destinations"])
    d = r.inner(o["destinations"][0]) if o["destinations"] else r
    # Lines sit under each destination (multi-destination orders exist, notes §6.3);
    # a flat list on the order is read too, for APIs that serve one.
    lines = [_line(r.inner(o["lines"][0]), line) for line in r.objects(entry, o["lines"])]
    if dest["lines"]:
        inner = d.inner(dest["lines"][0])
        lines += [_line(inner, x) for each in destinations for x in d.objects(each, dest["lines"])]
    status, buyer = _status(r, entry), _buyer(r, entry)
    money = {name: r.money(entry, o[name]) for name in _MONEY}
    payment_method = r.text(entry, o["payment_method"])
    coupon_name = r.text(entry, o["coupon_name"])
    delivery_method = _delivery_method(d, destinations)
    is_gift = _is_gift(r, d, entry, destinations)
    for name, value in (("serial_code", serial), ("ordered_at", ordered)):
        if value is None and all(path != o[name][0].text for path, _ in problems):
            r.note(o[name][0], "empty")
    if problems or serial is None or ordered is None:
        return None, problems
    order = RawOrder(
        platform_order_id=serial,
        ordered_at=ordered,
        updated_at=updated or ordered,  # never updated: some APIs leave it empty
        status=status,
        buyer=buyer,
        lines=tuple(lines),
        goods_total=money["goods_total"],
        shipping=money["shipping"],
        fees=money["fees"],
        tax=money["tax"],
        discounts=money["discounts"],
        grand_total=money["grand_total"],
        points_used=money["points_used"],
        payment_method=payment_method,
        delivery_method=delivery_method,
        coupon_name=coupon_name,
        is_gift=is_gift,
        multi_destination=len(destinations) > 1,
    )
    return order, problems


_MONEY = ("goods_total", "shipping", "fees", "tax", "discounts", "grand_total", "points_used")


def _delivery_method(d: _Reader, destinations: list[dict[str, Any]]) -> str | None:
    path = d.mapping.response.destination["delivery_method"]
    methods = [d.text(destination, path) for destination in destinations]
    return next((method for method in methods if method), None)


def _status(r: _Reader, entry: dict[str, Any]) -> OrderStatus:
    values = r.mapping.values
    fields = {name for rule in values.statuses for name, _ in rule.when}
    seen = {name: r.text(entry, r.mapping.response.order[name]) for name in sorted(fields)}
    for rule in values.statuses:
        if all(seen.get(name) in allowed for name, allowed in rule.when):
            return rule.status
    return values.default_status


def _buyer(r: _Reader, entry: dict[str, Any]) -> RawBuyer:
    o, values = r.mapping.response.order, r.mapping.values
    client_type = r.text(entry, o["client_type"])
    member_id = r.text(entry, o["member_id"])
    is_member = client_type in values.member_client_types if o["client_type"] else bool(member_id)
    gender = r.text(entry, o["gender"])
    return RawBuyer(
        email=r.text(entry, o["email"]),
        phone=r.text(entry, o["phone"]),
        member_id=member_id if is_member else None,
        birthday=_birthday(r.raw(entry, o["birthday"])),
        prefecture=_prefecture(r.raw(entry, o["prefecture"])),
        gender=values.genders.get(gender) if gender else None,
        is_member=is_member,
    )


_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")


def _birthday(value: object) -> dt.date | None:
    # Only an age band is kept; an odd birthday is dropped, never a reason to fail.
    match = _DATE.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        return None
    try:
        day = dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
    return day if day.year >= 1900 else None


def _prefecture(value: object) -> int | None:
    if isinstance(value, str):
        return code_for_name(value)
    return valid_code(value)


def _line(r: _Reader, line: dict[str, Any]) -> RawLine:
    spec = r.mapping.response.line
    code = r.text(line, spec["product_code"])
    unit_price = r.money(line, spec["unit_price"])
    quantity = r.money(line, spec["quantity"])
    # No known subtotal field (notes §6.4): without one it is price × quantity.
    subtotal = r.money(line, spec["subtotal"]) if spec["subtotal"] else unit_price * quantity
    if not plausible_amount(subtotal):
        r.note((spec["quantity"] or spec["unit_price"])[0], "out of range")
    return RawLine(
        product_id=code or "",
        product_name=r.text(line, spec["product_name"]) or "",
        unit_price=unit_price,
        quantity=quantity,
        subtotal=subtotal,
        product_code=code,
        sku=r.text(line, spec["sku"]),
        variations=_variations(r, line),
        tax_class=_tax_class(r, r.raw(line, spec["tax_rate"])),
    )


def _variations(r: _Reader, line: dict[str, Any]) -> tuple[str, ...]:
    spec = r.mapping.response.line
    items = r.raw(line, spec["variations"])
    if not isinstance(items, list):
        return ()
    out = []
    for item in items:
        value = item
        if isinstance(item, dict) and spec["variation_value"]:
            value = spec["variation_value"][0].read(item)[1]
        if isinstance(value, str) and value.strip():
            out.append(value.strip())
    return tuple(out)


def _tax_class(r: _Reader, rate: object) -> TaxClass | None:
    if isinstance(rate, float) and rate.is_integer():
        rate = int(rate)
    if isinstance(rate, int) and not isinstance(rate, bool):
        rate = str(rate)
    return r.mapping.values.tax_rates.get(rate) if isinstance(rate, str) else None


def _same_person(a: str | None, b: str | None) -> bool:
    def norm(text: str | None) -> str:
        return "".join(unicodedata.normalize("NFKC", text or "").split())

    return norm(a) == norm(b)


def _is_gift(
    r: _Reader, d: _Reader, entry: dict[str, Any], destinations: list[dict[str, Any]]
) -> bool:
    # Only presence and sameness are read: messages, noshi names and recipients stay here.
    o, dest = r.mapping.response.order, r.mapping.response.destination
    if _truthy(r.raw(entry, o["gift"])):
        return True
    buyer_name = r.text(entry, o["buyer_name"])
    for destination in destinations:
        if _truthy(d.raw(destination, dest["gift"])):
            return True
        recipient = d.text(destination, dest["recipient_name"])
        if (
            recipient is not None
            and buyer_name is not None
            and not _same_person(recipient, buyer_name)
        ):
            return True
    return False


def _truthy(value: object) -> bool:
    if isinstance(value, dict):
        return any(_truthy(v) for v in value.values())
    if isinstance(value, list):
        return any(_truthy(v) for v in value)
    if isinstance(value, str):
        return bool(value.strip())
    return bool(value) if isinstance(value, bool | int | float) else False


def parse_orders(
    entries: Sequence[object], mapping: ShopServeMapping, *, shop: str, window: Window
) -> tuple[list[RawOrder], int]:
    """Every entry of one response → orders (deduplicated on ``serial_code``) and the
    number of duplicates dropped. Raises :class:`ResponseFormatError` naming the field
    and how many orders it failed in, if any entry cannot be read: then no order of
    this response is returned, so none is stored half-read."""
    counts: Counter[Problem] = Counter()
    orders: dict[str, RawOrder] = {}
    duplicates = 0
    for entry in entries:
        order, problems = parse_order(entry, mapping)
        counts.update(problems)
        if order is None:
            continue
        previous = orders.get(order.platform_order_id)
        if previous is not None:
            duplicates += 1
            if previous.updated_at > order.updated_at:
                continue  # keep the latest state of the order
        orders[order.platform_order_id] = order
    if counts:
        (path, what), count = counts.most_common(1)[0]
        detail = f"field {path} {what} in {count} of {len(entries)} orders"
        if len(counts) > 1:
            detail += f", and {len(counts) - 1} more field problem(s)"
        raise mismatch(shop, f"{detail}; window {window}")
    return list(orders.values()), duplicates

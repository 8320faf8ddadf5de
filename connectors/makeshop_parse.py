"""MakeShop wire values → kamei values: dates, member contacts, orders.

Pure functions, no HTTP. What the parser keeps is exactly what ``RawOrder``
holds. The orderer's and recipients' names are read only to compare them (a
recipient who is not the orderer makes the order a gift) and never leave
:func:`parse_order`; guest member ids, which embed the buyer's name (notes §3.4,
``X`` + 6 digits + name), are recognised and dropped here, so they reach
neither a ``RawOrder`` nor a pseudonym.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from kamei.errors import ResponseFormatError

from .makeshop_prefectures import jis_code, jis_code_for_name
from .types import OrderStatus, RawBuyer, RawLine, RawOrder, plausible_amount, plausible_time

__all__ = [
    "CANCELLED_CODE",
    "DEFAULT_PAID_CODES",
    "JST",
    "MalformedOrder",
    "MemberContact",
    "format_input_time",
    "is_guest_id",
    "member_ids",
    "order_status",
    "parse_member",
    "parse_order",
    "parse_time",
]

JST = dt.timezone(dt.timedelta(hours=9), "JST")

DEFAULT_PAID_CODES = frozenset({"0000", "0001", "0002", "0004", "1002"})
"""``paymentStatusCode`` values read as paid: one integrator's reading (notes §3.7),
not MakeShop's documentation, hence the ``paid_codes`` shop setting."""
CANCELLED_CODE = "0003"

# Times arrive in two shapes (notes §3.5): "2026-01-05 09:15:42" (orderDate) and
# "20260106143000" (deliveryDate, registrationDate). "--" and "" mean "none".
_DASHED = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2}))?")
_NONE_WORDS = frozenset({"", "--", "-", "0000-00-00 00:00:00", "00000000000000"})
# Guest ids: "X" + 6 digits, then the buyer's name (notes §3.4). Member ids are
# plain ASCII (YYMMDD + 6 digits in every sample); anything else is treated as a
# guest id too, because a value we cannot recognise may just as well hold a name.
_GUEST_ID = re.compile(r"X\d{6}")
_MEMBER_ID = re.compile(r"[A-Za-z0-9._@-]{1,64}")


class MalformedOrder(ResponseFormatError):
    """An order that cannot become a ``RawOrder``. ``reason`` holds field names only."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- times ----------------------------------------------------------------------------


def parse_time(value: object) -> dt.datetime | None:
    """A MakeShop time string (JST, no offset) as an aware UTC datetime.

    ``None``, ``""`` and ``"--"`` mean "no time" and give ``None``; any other
    value that is not one of the two known shapes, or lies outside the years
    1970–2999, raises ``ValueError``.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError("not a string")
    text = unicodedata.normalize("NFKC", value).strip()
    if text in _NONE_WORDS:
        return None
    match = _DASHED.fullmatch(text) or _COMPACT.fullmatch(text)
    if match is None:
        raise ValueError("unknown time format")
    year, month, day, hour, minute, second = (int(part or 0) for part in match.groups())
    local = dt.datetime(year, month, day, hour, minute, second, tzinfo=JST)
    try:
        moment = local.astimezone(dt.UTC)
    except OverflowError:  # 0001-01-01 in Japan time is before UTC's year 1
        raise ValueError("time out of range") from None
    if not plausible_time(moment):
        raise ValueError("time out of range")
    return moment


def format_input_time(moment: dt.datetime) -> str:
    """``YYYYMMDDHHMMSS`` in Japan time, as ``startOrderDate``/``endOrderDate`` want it."""
    return moment.astimezone(JST).strftime("%Y%m%d%H%M%S")


def _optional_time(value: object) -> dt.datetime | None:
    # A secondary time (delivery date) in an unknown shape is dropped, not fatal.
    try:
        return parse_time(value)
    except ValueError:
        return None


# --- members ----------------------------------------------------------------------------


def is_guest_id(member_id: str) -> bool:
    """Whether a ``memberId`` is a guest id (which embeds the buyer's name)."""
    text = unicodedata.normalize("NFKC", member_id).strip()
    return bool(_GUEST_ID.match(text)) or not _MEMBER_ID.fullmatch(text)


@dataclass(frozen=True, slots=True)
class MemberContact:
    """What kamei needs of a member for the pseudonym. Memory only, never in a repr."""

    email: str | None = field(default=None, repr=False)
    phone: str | None = field(default=None, repr=False)
    prefecture: int | None = None


def parse_member(obj: object) -> tuple[str, MemberContact] | None:
    """One ``searchMember`` member → (member id, contact), or ``None`` if unusable."""
    if not isinstance(obj, dict):
        return None
    member_id = _text(obj.get("memberId"))
    if member_id is None or is_guest_id(member_id):
        return None
    contact = MemberContact(
        email=_text(obj.get("email")),
        phone=_text(obj.get("tel")) or _text(obj.get("etcphone")),
        prefecture=jis_code(obj.get("haddress1")) or jis_code_for_name(obj.get("haddressAddr")),
    )
    return unicodedata.normalize("NFKC", member_id).strip(), contact


def member_ids(orders: Iterable[object]) -> set[str]:
    """The (non-guest) member ids of a page's orders, for one directory lookup."""
    found = set()
    for order in orders:
        if isinstance(order, dict):
            member_id = _text(order.get("memberId"))
            if member_id is not None and not is_guest_id(member_id):
                found.add(unicodedata.normalize("NFKC", member_id).strip())
    return found


# --- orders ------------------------------------------------------------------------------


def order_status(
    payment_code: str | None, deliveries: Iterable[str], paid: frozenset[str]
) -> OrderStatus:
    """Status from ``paymentStatusCode`` and the destinations' ``deliveryStatus`` letters.

    Cancelled when the payment says so or every destination is ``C``; returned when
    any live destination is ``R``; shipped when every live one is ``Y``; else paid or
    pending by the payment code. Unknown letters are ignored.
    """
    letters = [s for s in deliveries if s in ("N", "Y", "C", "R")]
    if payment_code == CANCELLED_CODE or (letters and all(s == "C" for s in letters)):
        return "cancelled"
    live = [s for s in letters if s != "C"]
    if "R" in live:
        return "returned"
    if live and all(s == "Y" for s in live):
        return "shipped"
    return "paid" if payment_code in paid else "pending"


def parse_order(
    obj: object,
    contact_for: Callable[[str], MemberContact | None],
    *,
    paid_codes: frozenset[str] = DEFAULT_PAID_CODES,
    variation_names: bool = False,
) -> RawOrder:
    """One ``searchOrder.orders[]`` item → ``RawOrder``; raises :class:`MalformedOrder` only.

    ``contact_for`` gives a member's contact from the run's member directory.
    ``variation_names`` keeps ``variationName`` text as the line's variation; it is
    off by default because MakeShop options can be typed by the customer (名入れ).
    """
    if not isinstance(obj, dict):
        raise MalformedOrder("order not an object")
    order_id = _text(obj.get("systemOrderNumber"))
    if order_id is None:
        raise MalformedOrder("missing systemOrderNumber")
    try:
        ordered_at = parse_time(obj.get("orderDate"))
    except ValueError:
        raise MalformedOrder("bad orderDate") from None
    if ordered_at is None:
        raise MalformedOrder("missing orderDate")
    deliveries = [d for d in _list(obj.get("deliveryInfos")) if isinstance(d, dict)]
    shipped = [t for d in deliveries if (t := _optional_time(d.get("deliveryDate"))) is not None]
    lines = tuple(
        _line(basket, variation_names)
        for delivery in deliveries
        for basket in _list(delivery.get("basketInfos"))
        if isinstance(basket, dict)
    )
    payment_code = _text(obj.get("paymentStatusCode"))
    goods_total = _total((line.subtotal for line in lines), "basketInfos.price")
    shipping = _total(
        (_money(d, "shippingCharge", "deliveryInfos.") for d in deliveries),
        "deliveryInfos.shippingCharge",
    )
    discounts = _total(
        (
            _money(item, "discount", "discountPerTax.")
            for item in _list(obj.get("discountPerTax"))
            if isinstance(item, dict)
        ),
        "discountPerTax.discount",
    )
    return RawOrder(
        platform_order_id=order_id,
        ordered_at=ordered_at,
        # MakeShop serves no update time; the latest shipping time is the best we know.
        updated_at=max([ordered_at, *shipped]),
        status=order_status(
            payment_code, (_text(d.get("deliveryStatus")) or "" for d in deliveries), paid_codes
        ),
        buyer=_buyer(obj, contact_for),
        lines=lines,
        goods_total=goods_total,
        shipping=shipping,
        discounts=discounts,
        grand_total=_money(obj, "sumPrice"),
        payment_method=_text(obj.get("payMethod")),
        is_gift=any(_is_gift(d, obj.get("senderName")) for d in deliveries),
        multi_destination=len(deliveries) > 1,
    )


def _buyer(obj: dict[str, Any], contact_for: Callable[[str], MemberContact | None]) -> RawBuyer:
    prefecture = jis_code_for_name(obj.get("senderPrefecture"))
    raw_id = _text(obj.get("memberId"))
    if raw_id is None or is_guest_id(raw_id):
        # A guest: the id holds the name and there is no member record to ask.
        return RawBuyer(prefecture=prefecture)
    member_id = unicodedata.normalize("NFKC", raw_id).strip()
    contact = contact_for(member_id) or MemberContact()
    return RawBuyer(
        email=contact.email,
        phone=contact.phone,
        member_id=member_id,
        prefecture=prefecture or contact.prefecture,
        is_member=True,
    )


def _line(basket: dict[str, Any], variation_names: bool) -> RawLine:
    price = _money(basket, "price", "basketInfos.")
    quantity = _money(basket, "amount", "basketInfos.")
    subtotal = _total((price * quantity,), "basketInfos.amount")
    custom_code = _text(basket.get("productCustomCode"))
    variation = _text(basket.get("variationName")) if variation_names else None
    return RawLine(
        product_id=_text(basket.get("productCode")) or custom_code or "",
        product_name=_text(basket.get("productName")) or "",
        unit_price=price,
        quantity=quantity,
        subtotal=subtotal,
        product_code=custom_code,
        sku=_text(basket.get("variationCustomCode")) or custom_code,
        variations=(variation,) if variation else (),
    )


def _money(obj: dict[str, Any], key: str, prefix: str = "") -> int:
    # Integer yen (notes §3). Absent or null means "not given"; a value that is not a
    # whole number within MAX_AMOUNT would make every report's arithmetic wrong (or
    # overflow it), so the order is skipped.
    value = obj.get(key)
    if value is None:
        return 0
    whole = (
        (isinstance(value, int) and not isinstance(value, bool))
        or (isinstance(value, float) and value.is_integer())
        or (isinstance(value, str) and _WHOLE.fullmatch(value.strip()) is not None)
    )
    number = int(value) if whole else None
    if number is None or not plausible_amount(number):
        raise MalformedOrder(f"bad {prefix}{key}")
    return number


_WHOLE = re.compile(r"-?\d{1,16}")  # int() of a longer digit string may be refused


def _total(values: Iterable[int], field: str) -> int:
    """A sum (or product) of amounts that must itself stay within MAX_AMOUNT."""
    total = sum(values)
    if not plausible_amount(total):
        raise MalformedOrder(f"bad {field}")
    return total


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    return text or None


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _name_key(value: object) -> str:
    text = _text(value) or ""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _is_gift(delivery: dict[str, Any], sender_name: object) -> bool:
    # Only equality is read: neither name leaves this function.
    recipient, sender = _name_key(delivery.get("receiverName")), _name_key(sender_name)
    return bool(recipient and sender and recipient != sender)

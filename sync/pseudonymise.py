"""The privacy boundary: the only place a ``RawOrder`` becomes an ``OrderRecord``.

What survives is exactly DESIGN.md's allowlist. The buyer becomes a keyed
pseudonym (HMAC-SHA256 under the pseudonym key from the keyring, versioned as
``p<version>_``) computed from the first identity basis present: e-mail, then
phone, then the platform's member id, else the order itself. Values are
normalised first so that one person written two ways gets one pseudonym, and
the same buyer at two shops on two platforms gets the same pseudonym (e-mail and
phone are not scoped by shop; member ids and orders are, since they only mean
something inside one shop).
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
import unicodedata
from dataclasses import dataclass

from connectors import RawBuyer, RawOrder
from store import LineRecord, OrderRecord

__all__ = [
    "JST",
    "Pseudonymiser",
    "age_band",
    "normalise_email",
    "normalise_phone",
    "to_record",
]

JST = dt.timezone(dt.timedelta(hours=9), "JST")

_DIGITS = re.compile(r"\d+")
_MIN_PHONE_DIGITS = 9  # shortest Japanese number with area code (e.g. 0xx-xxx-xxx)
_PSEUDONYM_HEX = 32  # 128 bits: collisions are out of reach for any shop's customer list


def normalise_email(value: str | None) -> str | None:
    """NFKC, trimmed, lower-cased; ``None`` unless it looks like an address."""
    if not value:
        return None
    text = unicodedata.normalize("NFKC", value).strip().lower()
    if "@" not in text or text.startswith("@") or text.endswith("@"):
        return None
    return text


def normalise_phone(value: str | None) -> str | None:
    """Digits only, with the +81 country code folded into the domestic 0 prefix.

    ``+81-90-1234-5678``, ``090-1234-5678`` and full-width ``０９０１２３４５６７８``
    all become ``09012345678``.
    """
    if not value:
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    digits = "".join(_DIGITS.findall(text))
    if text.startswith("+") or digits.startswith("0081"):
        digits = digits[4:] if digits.startswith("0081") else digits
        if digits.startswith("81"):
            digits = digits[2:]
        digits = digits if digits.startswith("0") else "0" + digits
    if len(digits) < _MIN_PHONE_DIGITS:
        return None
    return digits


def age_band(birthday: dt.date | None, at: dt.datetime) -> int | None:
    """Ten-year band (20 for 20–29) of the age at ``at`` (taken as a JST date)."""
    if birthday is None:
        return None
    day = at.astimezone(JST).date()
    age = day.year - birthday.year - ((day.month, day.day) < (birthday.month, birthday.day))
    if not 0 <= age < 120:  # nonsense birthdays say nothing useful
        return None
    return age // 10 * 10


@dataclass(frozen=True, slots=True)
class Pseudonymiser:
    """Keyed hashing for buyers and orders. ``repr`` never shows the key."""

    key: bytes
    version: int

    def __repr__(self) -> str:
        return f"Pseudonymiser(version={self.version})"

    def _mac(self, *parts: str) -> str:
        message = "\x1f".join(parts).encode("utf-8")
        # hmac.digest is the one-shot form (no HMAC object): same bytes, half the cost.
        return hmac.digest(self.key, message, "sha256").hex()[:_PSEUDONYM_HEX]

    def basis(self, buyer: RawBuyer, platform: str, shop: str, order_id: str) -> tuple[str, ...]:
        """The identity basis used for ``buyer``, in DESIGN.md's order of preference."""
        email = normalise_email(buyer.email)
        if email:
            return ("email", email)
        phone = normalise_phone(buyer.phone)
        if phone:
            return ("phone", phone)
        if buyer.member_id:
            member = unicodedata.normalize("NFKC", buyer.member_id).strip()
            if member:
                return ("member", platform, shop, member)
        return ("order", platform, shop, order_id)

    def buyer(self, buyer: RawBuyer, platform: str, shop: str, order_id: str) -> str:
        return f"p{self.version}_" + self._mac(*self.basis(buyer, platform, shop, order_id))

    def email(self, address: str) -> str | None:
        """The pseudonym an e-mail address gets (for `kamei lookup`); one way only."""
        email = normalise_email(address)
        return f"p{self.version}_" + self._mac("email", email) if email else None

    def phone(self, number: str) -> str | None:
        phone = normalise_phone(number)
        return f"p{self.version}_" + self._mac("phone", phone) if phone else None

    def order_key(self, platform: str, shop: str, order_id: str) -> str:
        return self._mac("order-key", platform, shop, order_id)


def to_record(raw: RawOrder, *, platform: str, shop: str, keys: Pseudonymiser) -> OrderRecord:
    """Pseudonymise one order. Everything not on the allowlist is left behind."""
    buyer = raw.buyer
    lines = tuple(
        LineRecord(
            line_no=number,
            product_id=line.product_id,
            product_name=line.product_name,
            unit_price=line.unit_price,
            quantity=line.quantity,
            subtotal=line.subtotal,
            product_code=line.product_code,
            sku=line.sku,
            variation=" / ".join(line.variations) if line.variations else None,
            tax_class=line.tax_class,
        )
        for number, line in enumerate(raw.lines, start=1)
    )
    return OrderRecord(
        order_key=keys.order_key(platform, shop, raw.platform_order_id),
        platform=platform,
        ordered_at=int(raw.ordered_at.timestamp()),
        updated_at=int(raw.updated_at.timestamp()),
        status=raw.status,
        buyer=keys.buyer(buyer, platform, shop, raw.platform_order_id),
        goods_total=raw.goods_total,
        shipping=raw.shipping,
        fees=raw.fees,
        tax=raw.tax,
        discounts=raw.discounts,
        grand_total=raw.grand_total,
        points_used=raw.points_used,
        payment_method=raw.payment_method,
        delivery_method=raw.delivery_method,
        coupon_name=raw.coupon_name,
        is_gift=raw.is_gift,
        multi_destination=raw.multi_destination,
        is_member=buyer.is_member,
        prefecture=buyer.prefecture if buyer.prefecture and 1 <= buyer.prefecture <= 47 else None,
        age_band=age_band(buyer.birthday, raw.ordered_at),
        gender=buyer.gender,
        lines=lines,
    )

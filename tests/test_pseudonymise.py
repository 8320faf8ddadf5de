"""The privacy boundary: normalisation, pseudonyms, order keys and the allowlist."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from connectors.types import RawBuyer, RawLine, RawOrder
from store.records import LineRecord, OrderRecord
from sync.pseudonymise import (
    Pseudonymiser,
    age_band,
    normalise_email,
    normalise_phone,
    to_record,
)

KEYS = Pseudonymiser(key=bytes(range(32)), version=1)
UTC = dt.UTC

# DESIGN.md "Stored per order" / "Stored per line": the whole allowlist, nothing more.
ORDER_ALLOWLIST = {
    "order_key", "platform", "ordered_at", "updated_at", "status", "buyer",
    "goods_total", "shipping", "fees", "tax", "discounts", "grand_total", "points_used",
    "payment_method", "delivery_method", "coupon_name",
    "is_gift", "multi_destination", "is_member",
    "prefecture", "age_band", "gender", "lines",
}  # fmt: skip
LINE_ALLOWLIST = {
    "line_no", "product_id", "product_code", "sku", "product_name", "variation",
    "unit_price", "quantity", "subtotal", "tax_class",
}  # fmt: skip


def _order(**buyer: object) -> RawOrder:
    return RawOrder(
        platform_order_id="1001",
        ordered_at=dt.datetime(2026, 3, 1, 12, tzinfo=UTC),
        updated_at=dt.datetime(2026, 3, 2, 12, tzinfo=UTC),
        status="paid",
        buyer=RawBuyer(**buyer),  # type: ignore[arg-type]
        lines=(
            RawLine(
                product_id="p1",
                product_name="育毛トニック",
                unit_price=3300,
                quantity=2,
                subtotal=6600,
                variations=("200ml", "無香料"),
                tax_class="standard",
            ),
        ),
        grand_total=6600,
    )


def test_order_record_fields_are_exactly_the_design_allowlist() -> None:
    assert {f.name for f in dataclasses.fields(OrderRecord)} == ORDER_ALLOWLIST
    assert {f.name for f in dataclasses.fields(LineRecord)} == LINE_ALLOWLIST


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Taro@Example.JP", "taro@example.jp"),
        ("  taro@example.jp\n", "taro@example.jp"),
        ("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "taro@example.jp"),
        ("not-an-address", None),
        ("", None),
        (None, None),
    ],
)
def test_email_normalisation_folds_case_width_and_space(
    raw: str | None, expected: str | None
) -> None:
    assert normalise_email(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["090-1234-5678", "09012345678", "+81-90-1234-5678", "+81 (0)90 1234 5678",
     "０９０－１２３４－５６７８", "0081 90 1234 5678"],
)  # fmt: skip
def test_phone_numbers_written_differently_normalise_to_one_number(raw: str) -> None:
    assert normalise_phone(raw) == "09012345678"


def test_too_short_phone_is_not_an_identity() -> None:
    assert normalise_phone("123-45") is None


def test_same_buyer_written_two_ways_gets_one_pseudonym() -> None:
    a = KEYS.buyer(RawBuyer(email="Hanako@Example.jp"), "colorme", "shopA", "1")
    b = KEYS.buyer(RawBuyer(email="ｈａｎａｋｏ＠example.jp "), "makeshop", "shopB", "9")
    assert a == b
    assert a.startswith("p1_") and len(a) == 3 + 32


def test_identity_basis_prefers_email_then_phone_then_member_then_order() -> None:
    full = RawBuyer(email="a@example.jp", phone="090-1111-2222", member_id="m1")
    assert KEYS.basis(full, "colorme", "s", "1")[0] == "email"
    assert (
        KEYS.basis(RawBuyer(phone="090-1111-2222", member_id="m1"), "colorme", "s", "1")[0]
        == "phone"
    )
    assert KEYS.basis(RawBuyer(member_id="m1"), "colorme", "s", "1") == (
        "member",
        "colorme",
        "s",
        "m1",
    )
    assert KEYS.basis(RawBuyer(), "colorme", "s", "1") == ("order", "colorme", "s", "1")


def test_member_ids_are_scoped_to_their_shop() -> None:
    a = KEYS.buyer(RawBuyer(member_id="42"), "colorme", "shopA", "1")
    b = KEYS.buyer(RawBuyer(member_id="42"), "colorme", "shopB", "1")
    assert a != b


def test_pseudonyms_depend_on_the_key_and_carry_its_version() -> None:
    other = Pseudonymiser(key=bytes(32), version=2)
    buyer = RawBuyer(email="a@example.jp")
    assert KEYS.buyer(buyer, "colorme", "s", "1") != other.buyer(buyer, "colorme", "s", "1")
    assert other.buyer(buyer, "colorme", "s", "1").startswith("p2_")
    assert bytes(range(32)).hex() not in repr(KEYS)


def test_lookup_by_email_matches_the_stored_pseudonym() -> None:
    stored = KEYS.buyer(RawBuyer(email="Ｔａｒｏ@example.jp"), "colorme", "s", "1")
    assert KEYS.email("taro@example.jp") == stored
    assert KEYS.phone("+81 90 1234 5678") == KEYS.buyer(
        RawBuyer(phone="090-1234-5678"), "m", "s", "2"
    )


def test_order_keys_are_keyed_and_stable() -> None:
    assert KEYS.order_key("colorme", "s", "1") == KEYS.order_key("colorme", "s", "1")
    assert KEYS.order_key("colorme", "s", "1") != KEYS.order_key("colorme", "t", "1")
    assert len(KEYS.order_key("colorme", "s", "1")) == 32


@pytest.mark.parametrize(
    ("birthday", "band"),
    [
        (dt.date(1990, 3, 2), 30),  # turns 36 the next day (JST): still 35
        (dt.date(1990, 3, 1), 30),
        (dt.date(2006, 3, 1), 20),  # 20th birthday that very day, JST
        (dt.date(1880, 1, 1), None),
        (dt.date(2030, 1, 1), None),
        (None, None),
    ],
)
def test_age_band_is_ten_years_at_order_time_in_japan(
    birthday: dt.date | None, band: int | None
) -> None:
    # 2026-03-01 12:00 UTC is 21:00 JST the same day
    assert age_band(birthday, dt.datetime(2026, 3, 1, 12, tzinfo=UTC)) == band


def test_to_record_keeps_only_coarse_attributes() -> None:
    raw = _order(
        email="hanako@example.jp",
        phone="090-0000-1111",
        birthday=dt.date(1985, 7, 7),
        prefecture=13,
        gender="female",
        is_member=True,
    )
    record = to_record(raw, platform="colorme", shop="shopA", keys=KEYS)
    assert record.age_band == 40
    assert record.prefecture == 13 and record.gender == "female" and record.is_member
    assert record.ordered_at == int(raw.ordered_at.timestamp())
    assert record.lines[0].variation == "200ml / 無香料"
    assert record.lines[0].line_no == 1
    text = repr(record)
    for value in ("hanako", "090-0000-1111", "09000001111", "1985", "1001"):
        assert value not in text


def test_prefecture_outside_the_47_is_dropped() -> None:
    record = to_record(_order(prefecture=48), platform="colorme", shop="s", keys=KEYS)
    assert record.prefecture is None

"""The Color Me connector: the query it sends, paging, and the tolerant, privacy-keeping parser."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import importlib
import json
import random
from collections.abc import Callable, Iterator
from typing import Any
from wsgiref.validate import validator

import httpx
import pytest

from connectors.colorme import (
    FAR_PAST,
    SPEC,
    ColorMeConnector,
    ColorMeSettings,
    MalformedSale,
    parse_credential,
    parse_sale,
)
from connectors.http import RetryPolicy, make_client
from connectors.prefectures import (
    PREFECTURES,
    code_for_name,
    code_from_address,
    name_for_code,
    valid_code,
)
from connectors.registry import get_platform
from connectors.types import Connector, RawBuyer, RawLine, RawOrder, Window
from kamei.errors import (
    AuthError,
    ConfigError,
    PermissionDenied,
    ResponseFormatError,
    SecretMissing,
)

TOKEN = "cm-TOKEN-abcdef0123456789"
UTC = dt.UTC
WINDOW = Window(dt.datetime(2026, 1, 1, tzinfo=UTC), dt.datetime(2026, 1, 2, tzinfo=UTC))
MADE = 1767225600  # 2026-01-01 00:00:00 UTC
UPDATED = 1767312000  # 2026-01-02 00:00:00 UTC


def sample_sale(sale_id: int = 900000101, **overrides: Any) -> dict[str, Any]:
    """A 2026-shaped sale, as in the platform notes §12."""
    sale: dict[str, Any] = {
        "id": sale_id,
        "account_id": "PA00000000",
        "make_date": MADE,
        "update_date": UPDATED,
        "memo": None,
        "payment_id": 111,
        "mobile": False,
        "paid": True,
        "delivered": False,
        "canceled": False,
        "accepted_mail_state": "sent",
        "point_state": "assumed",
        "product_total_price": 2000,
        "delivery_total_charge": 500,
        "fee": 330,
        "tax": 200,
        "noshi_total_charge": 0,
        "card_total_charge": 0,
        "wrapping_total_charge": 0,
        "point_discount": 0,
        "gmo_point_discount": 0,
        "other_discount": 0,
        "other_discount_name": "",
        "total_price": 3030,
        "granted_points": 20,
        "use_points": 0,
        "external_order_id": "",
        "customer": {
            "id": 5000001,
            "account_id": "PA00000000",
            "name": "見本 太郎",
            "furigana": "ミホン タロウ",
            "hojin": None,
            "busho": None,
            "sex": None,
            "birthday": None,
            "postal": "0000000",
            "pref_id": 13,
            "pref_name": "東京都",
            "address1": "架空区サンプル町1-2-3",
            "address2": None,
            "mail": "taro@example.com",
            "tel": "000-0000-0000",
            "fax": None,
            "tel_mobile": None,
            "other": None,
            "points": 120,
            "member": True,
            "sales_count": 2,
        },
        "details": [
            {
                "id": 70000001,
                "sale_id": sale_id,
                "product_id": 300001,
                "sale_delivery_id": 80000001,
                "option1_value": "青",
                "option2_value": None,
                "product_model_number": "MUG-BLUE",
                "product_name": "テスト用マグ",
                "pristine_product_full_name": "テスト用マグ（カラー：青）",
                "price": 1000,
                "price_with_tax": 1100,
                "product_num": 2,
                "unit": "個",
                "subtotal_price": 2200,
                "tax_reduced": False,
                "customizations": [],
            }
        ],
        "sale_deliveries": [
            {
                "id": 80000001,
                "sale_id": sale_id,
                "delivery_id": 222,
                "detail_ids": [70000001],
                "name": "見本 太郎",
                "furigana": "ミホン タロウ",
                "postal": "0000000",
                "pref_id": 13,
                "address1": "架空区サンプル町1-2-3",
                "tel": "000-0000-0000",
                "noshi_text": None,
                "card_name": None,
                "card_text": None,
                "wrapping_name": None,
                "wrapping_charge": None,
                "delivery_charge": 500,
                "memo": None,
                "delivered": False,
            }
        ],
        "segment": None,
        "totals": None,
        "application": None,
        "shop_coupon": None,
    }
    sale.update(overrides)
    return sale


def envelope(sales: list[Any], total: int, offset: int = 0) -> dict[str, Any]:
    return {"sales": sales, "meta": {"total": total, "limit": 100, "offset": offset}}


class FakeApi:
    """A MockTransport handler that serves pages and records every request."""

    def __init__(self, respond: Callable[[httpx.Request], httpx.Response]) -> None:
        self.respond = respond
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.respond(request)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make_connector(sleeps: list[float]) -> Iterator[Callable[[FakeApi], ColorMeConnector]]:
    clients: list[httpx.Client] = []

    def make(api: FakeApi) -> ColorMeConnector:
        client = make_client("https://api.shop-pro.jp", transport=httpx.MockTransport(api))
        clients.append(client)
        retry = RetryPolicy(jitter=0.0, max_attempts=3, sleep=sleeps.append)
        return ColorMeConnector(
            client,
            {"access_token": TOKEN},
            ColorMeSettings(shop="myshop", rate_per_s=1000.0, burst=1000.0),
            policy=retry,
        )

    yield make
    for client in clients:
        client.close()


def serve(body: Any, status: int = 200) -> FakeApi:
    return FakeApi(lambda request: httpx.Response(status, json=body))


# --- the query ------------------------------------------------------------------------------


def test_query_uses_jst_inclusive_bounds_explicit_make_date_min_and_offset(
    make_connector: Callable[[FakeApi], ColorMeConnector],
) -> None:
    api = serve(envelope([], 0))
    make_connector(api).fetch_page(WINDOW, 200)
    (request,) = api.requests
    assert request.method == "GET"
    assert request.url.path == "/v1/sales"
    assert dict(request.url.params) == {
        "make_date_min": "2000-01-01 00:00:00",
        "update_date_min": "2026-01-01 09:00:00",
        "update_date_max": "2026-01-02 08:59:59",
        "limit": "100",
        "offset": "200",
    }
    assert FAR_PAST == "2000-01-01 00:00:00"
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"


def test_sub_second_bounds_round_up_to_the_next_whole_second(
    make_connector: Callable[[FakeApi], ColorMeConnector],
) -> None:
    api = serve(envelope([], 0))
    window = Window(
        dt.datetime(2026, 1, 1, 0, 0, 0, 500_000, tzinfo=UTC),
        dt.datetime(2026, 1, 1, 0, 0, 10, 250_000, tzinfo=UTC),
    )
    make_connector(api).fetch_page(window, 0)
    params = api.requests[0].url.params
    # Whole seconds t with start <= t < end are 00:00:01 .. 00:00:10.
    assert params["update_date_min"] == "2026-01-01 09:00:01"
    assert params["update_date_max"] == "2026-01-01 09:00:10"


def test_a_window_without_a_whole_second_inside_sends_nothing(
    make_connector: Callable[[FakeApi], ColorMeConnector],
) -> None:
    api = serve(envelope([], 0))
    window = Window(
        dt.datetime(2026, 1, 1, 0, 0, 0, 100, tzinfo=UTC),
        dt.datetime(2026, 1, 1, 0, 0, 0, 900, tzinfo=UTC),
    )
    page = make_connector(api).fetch_page(window, 0)
    assert api.requests == []
    assert (page.total, page.has_more, list(page.orders)) == (0, False, [])


def test_connector_declares_its_paging_shape(
    make_connector: Callable[[FakeApi], ColorMeConnector],
) -> None:
    connector: Connector = make_connector(serve(envelope([], 0)))
    assert connector.platform == "colorme"
    assert connector.page_size == 100
    assert connector.cursor == "updated"
    assert connector.max_window is None
    assert TOKEN not in repr(connector)


# --- paging -----------------------------------------------------------------------------------


def test_pages_report_the_window_total_and_whether_more_follow(
    make_connector: Callable[[FakeApi], ColorMeConnector],
) -> None:
    def respond(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params["offset"])
        count = max(0, min(100, 250 - offset))
        sales = [sample_sale(offset + i + 1) for i in range(count)]
        return httpx.Response(200, json=envelope(sales, 250, offset))

    connector = make_connector(FakeApi(respond))
    pages = [connector.fetch_page(WINDOW, offset) for offset in (0, 100, 200)]
    assert [len(p.orders) for p in pages] == [100, 100, 50]
    assert [p.has_more for p in pages] == [True, True, False]
    assert [p.total for p in pages] == [250, 250, 250]
    assert [p.offset for p in pages] == [0, 100, 200]
    assert pages[2].orders[-1].platform_order_id == "250"
    assert connector.stats.requests == 3


def test_an_empty_page_has_no_more_even_if_the_total_says_otherwise(
    make_connector: Callable[[FakeApi], ColorMeConnector],
) -> None:
    page = make_connector(serve(envelope([], 120, 100))).fetch_page(WINDOW, 100)
    assert page.has_more is False and page.total == 120


def test_skipped_sales_still_count_towards_paging(
    make_connector: Callable[[FakeApi], ColorMeConnector],
) -> None:
    sales = [sample_sale(1), {"make_date": MADE}, sample_sale(3, make_date="yesterday"), "x"]
    page = make_connector(serve(envelope(sales, 104))).fetch_page(WINDOW, 100)
    assert [o.platform_order_id for o in page.orders] == ["1"]
    assert page.skipped == 3
    assert page.problems == ("missing id", "bad make_date", "sale not an object")
    assert page.consumed == 4 and page.has_more is False


# --- the parser ---------------------------------------------------------------------------------


def test_a_full_sale_maps_to_the_expected_raw_order() -> None:
    order = parse_sale(sample_sale())
    assert order == RawOrder(
        platform_order_id="900000101",
        ordered_at=dt.datetime(2026, 1, 1, tzinfo=UTC),
        updated_at=dt.datetime(2026, 1, 2, tzinfo=UTC),
        status="paid",
        buyer=RawBuyer(
            email="taro@example.com",
            phone="000-0000-0000",
            member_id="5000001",
            birthday=None,
            prefecture=13,
            gender=None,
            is_member=True,
        ),
        lines=(
            RawLine(
                product_id="300001",
                product_name="テスト用マグ（カラー：青）",
                unit_price=1100,
                quantity=2,
                subtotal=2200,
                product_code="MUG-BLUE",
                sku="MUG-BLUE",
                variations=("青",),
                tax_class="standard",
            ),
        ),
        goods_total=2000,
        shipping=500,
        fees=330,
        tax=200,
        discounts=0,
        grand_total=3030,
        points_used=0,
        payment_method="payment:111",
        delivery_method="delivery:222",
        coupon_name=None,
        is_gift=False,
        multi_destination=False,
    )


def test_money_fields_follow_the_notes() -> None:
    order = parse_sale(
        sample_sale(
            fee=300,
            noshi_total_charge=200,
            card_total_charge=100,
            wrapping_total_charge=50,
            point_discount=10,
            gmo_point_discount=20,
            other_discount=30,
            use_points=10,
        )
    )
    assert (order.fees, order.discounts, order.points_used) == (650, 60, 10)


@pytest.mark.parametrize(
    ("flags", "status"),
    [
        ({"canceled": True, "delivered": True, "paid": True}, "cancelled"),
        ({"canceled": False, "delivered": True, "paid": True}, "shipped"),
        ({"canceled": False, "delivered": False, "paid": True}, "paid"),
        ({"canceled": False, "delivered": False, "paid": False}, "pending"),
        ({"canceled": None, "delivered": "yes", "paid": 1}, "pending"),
    ],
)
def test_status_mapping(flags: dict[str, Any], status: str) -> None:
    assert parse_sale(sample_sale(**flags)).status == status


def test_unknown_keys_are_ignored() -> None:
    sale = sample_sale(brand_new_field={"x": 1}, segment={"id": 1, "splitted": True})
    sale["customer"]["membership"] = {"membership_id": "gold"}
    sale["details"][0]["sparkle"] = True
    assert parse_sale(sale) == parse_sale(sample_sale())


def test_a_minimal_sale_takes_defaults() -> None:
    order = parse_sale({"id": 7, "make_date": MADE})
    assert order.platform_order_id == "7"
    assert order.updated_at == order.ordered_at == dt.datetime(2026, 1, 1, tzinfo=UTC)
    assert order.status == "pending"
    assert order.buyer == RawBuyer()
    assert order.lines == ()
    assert (order.goods_total, order.grand_total, order.fees) == (0, 0, 0)
    assert (order.payment_method, order.delivery_method, order.coupon_name) == (None, None, None)
    assert (order.is_gift, order.multi_destination) == (False, False)


def test_nulls_everywhere_are_tolerated() -> None:
    sale: dict[str, Any] = {key: None for key in sample_sale()}
    sale.update(id=8, make_date=MADE)
    order = parse_sale(sale)
    assert order.buyer == RawBuyer() and order.lines == ()
    detail = {key: None for key in sample_sale()["details"][0]}
    line = parse_sale(sample_sale(details=[detail])).lines[0]
    assert line == RawLine(product_id="", product_name="", unit_price=0, quantity=0, subtotal=0)
    customer = {key: None for key in sample_sale()["customer"]}
    assert parse_sale(sample_sale(customer=customer)).buyer == RawBuyer()


def test_html_numeric_references_are_decoded_in_names_and_options() -> None:
    detail = dict(
        sample_sale()["details"][0],
        pristine_product_full_name="&#12503;&#12524;&#12511;&#12450;&#12512;",
        option1_value="&#40643;",
        option2_value="L",
    )
    line = parse_sale(sample_sale(details=[detail])).lines[0]
    assert line.product_name == "プレミアム"
    assert line.variations == ("黃", "L")


def test_product_name_falls_back_and_unit_price_prefers_tax_included() -> None:
    detail = dict(
        sample_sale()["details"][0],
        pristine_product_full_name=None,
        price_with_tax=None,
        tax_reduced=True,
    )
    line = parse_sale(sample_sale(details=[detail])).lines[0]
    assert (line.product_name, line.unit_price, line.tax_class) == ("テスト用マグ", 1000, "reduced")
    del detail["tax_reduced"]
    assert parse_sale(sample_sale(details=[detail])).lines[0].tax_class is None


@pytest.mark.parametrize(
    ("birthday", "expected"),
    [
        ("1980-04-01", dt.date(1980, 4, 1)),
        ("1980/4/1", dt.date(1980, 4, 1)),
        (" 1980-04-01 ", dt.date(1980, 4, 1)),
        ("0000-00-00", None),
        ("1980-02-30", None),
        ("1800-01-01", None),
        ("昭和55年4月1日", None),
        ("1980-04-01T00:00:00", None),
        (19800401, None),
        ("", None),
    ],
)
def test_birthdays_are_parsed_leniently(birthday: Any, expected: dt.date | None) -> None:
    sale = sample_sale()
    sale["customer"]["birthday"] = birthday
    assert parse_sale(sale).buyer.birthday == expected


@pytest.mark.parametrize(
    ("pref_id", "pref_name", "expected"),
    [
        (13, "東京都", 13),
        (48, "海外", None),
        (0, None, None),
        (None, "大阪府", 27),
        (None, None, None),
    ],
)
def test_prefecture_is_a_jis_code_or_none(
    pref_id: int | None, pref_name: str | None, expected: int | None
) -> None:
    sale = sample_sale()
    sale["customer"].update(pref_id=pref_id, pref_name=pref_name)
    assert parse_sale(sale).buyer.prefecture == expected


@pytest.mark.parametrize(
    ("sex", "gender"), [("male", "male"), ("female", "female"), ("not_applicable", "other")]
)
def test_gender_mapping(sex: str, gender: str) -> None:
    sale = sample_sale()
    sale["customer"]["sex"] = sex
    assert parse_sale(sale).buyer.gender == gender


def test_member_id_only_for_members_and_phone_falls_back_to_mobile() -> None:
    sale = sample_sale()
    sale["customer"].update(member=False, tel=None, tel_mobile="090-0000-0000")
    buyer = parse_sale(sale).buyer
    assert (buyer.member_id, buyer.is_member, buyer.phone) == (None, False, "090-0000-0000")


def test_coupon_prefers_the_shop_coupon_name() -> None:
    coupon = {"id": 1, "name": "春&#12475;&#12540;&#12523;", "code": "SPRING"}
    assert parse_sale(sample_sale(shop_coupon=coupon)).coupon_name == "春セール"
    assert parse_sale(sample_sale(other_discount_name="会員割引")).coupon_name == "会員割引"


@pytest.mark.parametrize(
    "delivery_change",
    [
        {"card_text": "お誕生日おめでとう"},
        {"noshi_text": "御祝"},
        {"wrapping_name": "包装紙"},
        {"wrapping_charge": 200},
        {"name": "見本 花子"},
    ],
)
def test_gifts_are_recognised(delivery_change: dict[str, Any]) -> None:
    delivery = dict(sample_sale()["sale_deliveries"][0], **delivery_change)
    assert parse_sale(sample_sale(sale_deliveries=[delivery])).is_gift is True


def test_recipient_with_the_same_name_in_other_widths_is_not_a_gift() -> None:
    delivery = dict(sample_sale()["sale_deliveries"][0], name="見本　太郎")  # full-width space
    assert parse_sale(sample_sale(sale_deliveries=[delivery])).is_gift is False


def test_several_deliveries_make_a_multi_destination_order() -> None:
    first = sample_sale()["sale_deliveries"][0]
    second = dict(first, id=80000002, delivery_id=333)
    order = parse_sale(sample_sale(sale_deliveries=[first, second]))
    assert order.multi_destination is True
    assert order.delivery_method == "delivery:222"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"id": None}, "missing id"),
        ({"id": "900000101"}, "bad id"),
        ({"id": True}, "bad id"),
        ({"make_date": None}, "missing make_date"),
        ({"make_date": "2026-01-01"}, "bad make_date"),
        ({"make_date": 10**20}, "bad make_date"),
        ({"update_date": "later"}, "bad update_date"),
        ({"total_price": "3030"}, "bad total_price"),
        ({"fee": 1.5}, "bad fee"),
    ],
)
def test_malformed_sales_are_rejected_with_a_field_name_reason(
    change: dict[str, Any], reason: str
) -> None:
    with pytest.raises(MalformedSale) as info:
        parse_sale(sample_sale(**change))
    assert info.value.reason == reason


def test_a_malformed_line_rejects_the_sale_with_a_field_name() -> None:
    detail = dict(sample_sale()["details"][0], product_num="2")
    with pytest.raises(MalformedSale) as info:
        parse_sale(sample_sale(details=[detail]))
    assert info.value.reason == "bad details.product_num"


def test_parser_survives_arbitrary_junk() -> None:
    junk: list[Any] = [None, "", "x", -1, 0, 2**70, 1.5, True, [], {}, [1, "a"], {"a": None}]
    rng = random.Random(20260101)
    base = sample_sale()
    for _ in range(2000):
        sale = copy.deepcopy(base)
        targets = [sale, sale["customer"], sale["details"][0], sale["sale_deliveries"][0]]
        for _ in range(rng.randint(1, 6)):
            target = rng.choice(targets)
            target[rng.choice(list(target))] = rng.choice(junk)
        try:
            assert isinstance(parse_sale(sale), RawOrder)
        except MalformedSale as exc:
            assert exc.reason.split()[0] in {"missing", "bad", "sale"}


# --- privacy --------------------------------------------------------------------------------


def test_no_personal_field_reaches_the_raw_order() -> None:
    allowed = {"MARK-mail@example.com", "MARK-TEL-0000"}
    sale = sample_sale(
        memo="MARK-sale-memo",
        external_order_id="MARK-external-order",
        other_discount_name="",
        customer={
            "id": 5000001,
            "name": "MARK-name",
            "furigana": "MARK-furigana",
            "hojin": "MARK-hojin",
            "busho": "MARK-busho",
            "sex": "female",
            "birthday": "1990-05-06",
            "postal": "MARK-postal",
            "pref_id": 13,
            "pref_name": "MARK-pref-name",
            "address1": "MARK-address1",
            "address2": "MARK-address2",
            "mail": "MARK-mail@example.com",
            "tel": "MARK-TEL-0000",
            "fax": "MARK-fax",
            "tel_mobile": "MARK-tel-mobile",
            "other": "MARK-customer-other",
            "answer_free_form1": "MARK-answer1",
            "answer_free_form2": "MARK-answer2",
            "answer_free_form3": "MARK-answer3",
            "external_accounts": [{"provider": 0, "uid": "MARK-line-uid"}],
            "membership": {"membership_id": "MARK-membership", "name": "MARK-membership-name"},
            "member": True,
        },
        sale_deliveries=[
            {
                "id": 80000001,
                "delivery_id": 222,
                "name": "MARK-recipient",
                "furigana": "MARK-recipient-kana",
                "postal": "MARK-recipient-postal",
                "pref_name": "MARK-recipient-pref",
                "address1": "MARK-recipient-address1",
                "address2": "MARK-recipient-address2",
                "tel": "MARK-recipient-tel",
                "preferred_date": "MARK-preferred-date",
                "preferred_period": "MARK-preferred-period",
                "slip_number": "MARK-slip",
                "tracking_url": "MARK-tracking",
                "noshi_text": "MARK-noshi",
                "card_text": "MARK-card",
                "memo": "MARK-delivery-memo",
            }
        ],
    )
    detail = dict(
        sample_sale()["details"][0],
        customizations=[{"title": "刻印", "value": "MARK-engraving"}],
    )
    sale["details"] = [detail]
    order = parse_sale(sale)
    text = repr(order)
    leaked = {m for m in _markers(sale) if m in text} - allowed
    assert leaked == set()
    assert order.buyer.email == "MARK-mail@example.com" and order.is_gift is True


def _markers(value: Any) -> set[str]:
    if isinstance(value, str):
        return {value} if value.startswith("MARK-") else set()
    if isinstance(value, dict):
        return set().union(*(_markers(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(_markers(v) for v in value))
    return set()


# --- envelopes and errors ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, content=b'{"sales": [{"id": 1'),
        httpx.Response(200, html="<html>メンテナンス中</html>"),
        httpx.Response(200, json={"products": []}),
        httpx.Response(200, json={"sales": {}, "meta": {"total": 1}}),
        httpx.Response(200, json={"sales": []}),
        httpx.Response(200, json=[1, 2]),
    ],
    ids=["truncated", "html", "no-sales", "sales-not-list", "no-meta", "not-object"],
)
def test_a_body_that_is_not_the_envelope_is_retried_then_a_format_error(
    response: httpx.Response,
    make_connector: Callable[[FakeApi], ColorMeConnector],
    sleeps: list[float],
) -> None:
    api = FakeApi(lambda request: response)
    with pytest.raises(ResponseFormatError) as info:
        make_connector(api).fetch_page(WINDOW, 0)
    assert len(api.requests) == 3 and len(sleeps) == 2
    assert "myshop" in str(info.value) and "endpoint sales" in str(info.value)


def test_a_maintenance_page_then_a_good_page_succeeds(
    make_connector: Callable[[FakeApi], ColorMeConnector],
) -> None:
    answers = [httpx.Response(503, html="<html>maintenance</html>")]
    answers.append(httpx.Response(200, json=envelope([sample_sale()], 1)))
    connector = make_connector(FakeApi(lambda request: answers.pop(0)))
    page = connector.fetch_page(WINDOW, 0)
    assert len(page.orders) == 1
    assert (connector.stats.requests, connector.stats.retries) == (2, 1)


def test_revoked_token_is_an_auth_error_naming_the_next_step(
    make_connector: Callable[[FakeApi], ColorMeConnector],
) -> None:
    body = {"errors": [{"code": 401010, "message": "トークンが無効です", "status": 401}]}
    api = serve(body, status=401)
    with pytest.raises(AuthError) as info:
        make_connector(api).fetch_page(WINDOW, 0)
    assert len(api.requests) == 1
    message = str(info.value)
    assert "re-authorise with `kamei auth colorme myshop`" in message and "401010" in message
    for secret in (TOKEN, "update_date", "?", "トークン"):
        assert secret not in message


def test_plan_without_api_access_is_permission_denied(
    make_connector: Callable[[FakeApi], ColorMeConnector],
) -> None:
    body = {"errors": [{"code": 401200, "message": "プラン", "status": 401}]}
    with pytest.raises(PermissionDenied):
        make_connector(serve(body, status=401)).fetch_page(WINDOW, 0)


def test_an_errors_body_with_status_200_still_counts_as_auth_error(
    make_connector: Callable[[FakeApi], ColorMeConnector],
) -> None:
    body = {"errors": [{"code": 401010, "message": "x", "status": 401}]}
    with pytest.raises(AuthError):
        make_connector(serve(body)).fetch_page(WINDOW, 0)


# --- credential and spec -----------------------------------------------------------------------


def test_credential_text_is_one_stripped_token() -> None:
    assert parse_credential(f"  {TOKEN}\n") == {"access_token": TOKEN}


@pytest.mark.parametrize("text", ["", "  \n", f"{TOKEN}\n{TOKEN}", f"{TOKEN} extra"])
def test_credential_text_rejects_empty_or_multi_line_input(text: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_credential(text)
    assert TOKEN not in str(info.value) and "kamei" in str(info.value)


def test_spec_is_registered_with_colorme_defaults() -> None:
    spec = get_platform("colorme")
    assert spec is SPEC
    assert spec.label == "カラーミーショップ"
    assert spec.default_base_url == "https://api.shop-pro.jp"
    assert spec.default_lookback == dt.timedelta(days=3)
    assert spec.default_rate_per_s == 1.96
    assert spec.parse_credential is parse_credential


def test_spec_builds_a_connector_from_credential_and_settings() -> None:
    with make_client("https://api.shop-pro.jp") as client:
        connector = SPEC.build(client, {"access_token": TOKEN}, {"shop": "myshop"})
        assert isinstance(connector, ColorMeConnector)
        assert connector.shop == "myshop"
        assert connector._budget.rate_per_s == 1.96
        faster = SPEC.build(client, {"access_token": TOKEN}, {"shop": "s", "rate": 0.5})
        assert isinstance(faster, ColorMeConnector) and faster._budget.rate_per_s == 0.5


@pytest.mark.parametrize(
    "settings", [{}, {"shop": ""}, {"shop": "s", "rate": 0}, {"shop": "s", "rate": "2"}]
)
def test_bad_settings_are_config_errors(settings: dict[str, Any]) -> None:
    with make_client("https://api.shop-pro.jp") as client, pytest.raises(ConfigError):
        SPEC.build(client, {"access_token": TOKEN}, settings)


def test_a_missing_token_is_a_missing_secret_with_the_next_step() -> None:
    with make_client("https://api.shop-pro.jp") as client, pytest.raises(SecretMissing) as info:
        SPEC.build(client, {}, {"shop": "myshop"})
    assert "kamei auth colorme myshop" in str(info.value)


def test_the_sample_body_round_trips_through_json() -> None:
    # Bodies arrive \\u-escaped (Rails); the parser must not care.
    body = json.loads(json.dumps(envelope([sample_sale()], 1), ensure_ascii=True))
    assert parse_sale(body["sales"][0]) == parse_sale(sample_sale())


# --- prefectures (shared with MakeShop/ShopServe) ----------------------------------------------


def test_prefecture_codes_and_names_follow_jis_order() -> None:
    assert len(PREFECTURES) == 47
    assert (name_for_code(1), name_for_code(13), name_for_code(47)) == (
        "北海道",
        "東京都",
        "沖縄県",
    )
    with pytest.raises(ValueError):
        name_for_code(48)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("東京都", 13),
        ("東京", 13),
        (" 京都府 ", 26),
        ("京都", 26),
        ("北海道", 1),
        ("Tokyo", 13),
        ("ＯＳＡＫＡ", 27),
        ("osaka-fu", 27),
        ("海外", None),
        ("", None),
        (None, None),
    ],
)
def test_prefecture_names_map_to_codes(name: str | None, code: int | None) -> None:
    assert code_for_name(name) == code


@pytest.mark.parametrize(
    ("address", "code"),
    [
        ("大阪府大阪市北区1-2-3", 27),
        ("東京都港区", 13),
        ("京都府京都市", 26),
        ("神奈川県横浜市", 14),
        ("京都市中京区", None),
        ("", None),
    ],
)
def test_prefecture_from_the_start_of_an_address(address: str, code: int | None) -> None:
    assert code_from_address(address) == code


@pytest.mark.parametrize(("value", "code"), [(1, 1), (47, 47), (48, None), (0, None), (True, None)])
def test_valid_code_accepts_only_jis_codes(value: object, code: int | None) -> None:
    assert valid_code(value) == code


# --- against the Color Me fake (connectors/fakes) ------------------------------------------------

FAKE_END = dt.datetime(2026, 6, 1, tzinfo=UTC)
EVERYTHING = Window(dt.datetime(2001, 1, 1, tzinfo=UTC), FAKE_END + dt.timedelta(days=365))


@pytest.fixture
def fake_colorme() -> Callable[..., Any]:
    # Skips in a checkout where the fake has not landed yet.
    pytest.importorskip("connectors.fakes.colorme")
    fakes = importlib.import_module("connectors.fakes")

    def make(**options: Any) -> Any:
        options.setdefault("end", FAKE_END)
        options.setdefault("clock", lambda: FAKE_END.timestamp())
        return fakes.make_fake("colorme", **options)

    return make


@pytest.fixture
def connect_to(sleeps: list[float]) -> Iterator[Callable[[Any], ColorMeConnector]]:
    clients: list[httpx.Client] = []

    def connect(fake: Any) -> ColorMeConnector:
        # wsgiref.validate checks the fake keeps to WSGI, as a loopback server needs.
        transport = httpx.WSGITransport(app=validator(fake.app))
        client = make_client("https://api.shop-pro.jp", transport=transport)
        clients.append(client)
        return ColorMeConnector(
            client,
            parse_credential(fake.credential),
            ColorMeSettings(shop="fake", rate_per_s=1000.0, burst=1000.0),
            policy=RetryPolicy(jitter=0.0, max_attempts=8, sleep=sleeps.append),
        )

    yield connect
    for client in clients:
        client.close()


def read_all(connector: ColorMeConnector, window: Window) -> tuple[list[RawOrder], int | None]:
    orders: list[RawOrder] = []
    offset, total = 0, None
    while True:
        page = connector.fetch_page(window, offset)
        assert page.skipped == 0, page.problems
        orders.extend(page.orders)
        total = page.total
        if not page.has_more:
            return orders, total
        offset += page.consumed


def test_reads_every_order_of_the_fake_across_pages(
    fake_colorme: Callable[..., Any], connect_to: Callable[[Any], ColorMeConnector]
) -> None:
    fake = fake_colorme(orders=230, seed=11)
    connector = connect_to(fake)
    orders, total = read_all(connector, EVERYTHING)
    ids = [order.platform_order_id for order in orders]
    assert total == 230 and len(ids) == 230
    assert set(ids) == fake.order_ids()
    assert connector.stats.requests == 3
    assert all(EVERYTHING.start <= o.updated_at < EVERYTHING.end for o in orders)


def test_split_windows_partition_the_fakes_orders_by_update_time(
    fake_colorme: Callable[..., Any], connect_to: Callable[[Any], ColorMeConnector]
) -> None:
    fake = fake_colorme(orders=120, seed=5)
    connector = connect_to(fake)
    whole, _ = read_all(connector, EVERYTHING)
    cut = sorted(o.updated_at for o in whole)[60]  # an exact update time sits on the cut
    parts = [Window(EVERYTHING.start, cut), Window(cut, EVERYTHING.end)]
    halves = [read_all(connector, part)[0] for part in parts]
    assert all(o.updated_at < cut for o in halves[0])
    assert all(o.updated_at >= cut for o in halves[1])
    assert sorted(o.platform_order_id for h in halves for o in h) == sorted(
        o.platform_order_id for o in whole
    )


def test_the_fakes_faults_are_retried_through(
    fake_colorme: Callable[..., Any],
    connect_to: Callable[[Any], ColorMeConnector],
    sleeps: list[float],
) -> None:
    fake = fake_colorme(orders=150, seed=3, faults="429=0.2,5xx=0.2,truncate=0.2,reset=0.1")
    connector = connect_to(fake)
    orders, total = read_all(connector, EVERYTHING)
    assert total == 150
    assert {o.platform_order_id for o in orders} == fake.order_ids()
    assert connector.stats.retries == len(sleeps) > 0


def test_a_revoked_token_at_the_fake_is_an_auth_error(
    fake_colorme: Callable[..., Any], connect_to: Callable[[Any], ColorMeConnector]
) -> None:
    fake = fake_colorme(orders=5, seed=1, faults="revoked=1")
    with pytest.raises(AuthError) as info:
        connect_to(fake).fetch_page(EVERYTHING, 0)
    assert "kamei auth colorme fake" in str(info.value)


def test_no_canary_from_the_fake_reaches_a_raw_order_except_the_email(
    fake_colorme: Callable[..., Any], connect_to: Callable[[Any], ColorMeConnector]
) -> None:
    synthetic = pytest.importorskip("connectors.fakes.synthetic")
    fake = fake_colorme(orders=150, seed=9, canary=True)
    orders, _ = read_all(connect_to(fake), EVERYTHING)
    assert any(o.buyer.email and synthetic.has_canary(o.buyer.email) for o in orders)
    for order in orders:
        without_email = dataclasses.replace(
            order, buyer=dataclasses.replace(order.buyer, email=None)
        )
        assert not synthetic.has_canary(repr(without_email)), order.platform_order_id

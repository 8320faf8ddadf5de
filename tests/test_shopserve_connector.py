"""The ShopServe connector: the request it sends, paging, the mapping-driven parser, maintenance."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import io
import json
import os
import subprocess
from collections.abc import Callable, Iterator
from typing import Any
from wsgiref.validate import validator

import httpx
import pytest
import sqlalchemy as sa
from clikit import KAMEI, run

import connectors.shopserve as shopserve_module
from connectors import get_platform, make_client
from connectors.fakes import FakePlatform, Faults, make_fake
from connectors.fakes.shopserve import FakeShopServe
from connectors.fakes.synthetic import generate, has_canary, people
from connectors.http import DEFAULT_TIMEOUT, RetryPolicy
from connectors.shopserve import (
    MAINTENANCE_MESSAGE,
    SPEC,
    ShopServeConnector,
    ShopServeSettings,
    parse_credential,
    search_body,
)
from connectors.shopserve_mapping import build_mapping
from connectors.types import Connector, Window
from kamei.errors import (
    AuthError,
    ConfigError,
    ConnectorError,
    PermissionDenied,
    PlatformUnavailable,
    ResponseFormatError,
    SecretMissing,
)
from store import Store
from store.records import Checkpoint
from sync import Pseudonymiser, ShopResult, sync_shops
from sync.windows import HISTORY_START, SyncOptions, plan_run

UTC = dt.UTC
JST = dt.timezone(dt.timedelta(hours=9))
WINDOW = Window(dt.datetime(2024, 4, 1, tzinfo=UTC), dt.datetime(2024, 4, 8, tzinfo=UTC))
CREDENTIAL = {"shop_id": "example.jp", "manager_key": "00112233445566778899aabbccddeeff00112233"}


def sample_order(serial: str = "S0000000001", **basic: Any) -> dict[str, Any]:
    """An order in the notes' §11.2 shape (fictional data)."""
    order: dict[str, Any] = {
        "serial_code": serial,
        "basic": {
            "order_number": "10000123",
            "order_date": "2024-04-02 14:05:31",
            "update_date": "2024-04-02 15:10:00",
            "order_status": "New",
            "confirm_status": "Confirmed",
            "payment_status": "Paid",
            "shipping_status": "NotShipped",
            "payment_method": "CreditCard",
            "item_total": 3300,
            "shipping_charge": 660,
            "fee": 0,
            "tax": 300,
            "coupon_discount": 0,
            "coupon_name": "",
            "point_discount": 0,
            "total_price": 3960,
            "client_type": "Member",
            "member": {"account": "M-0042"},
            "orderer": {
                "name": "架空 花子",
                "name_kana": "カクウ ハナコ",
                "mail_address": "hanako@example.invalid",
                "zip_code": "123-4567",
                "prefecture": "東京都",
                "town_and_number": "見本町1-2-3",
                "phone_number": "000-0000-0000",
                "birthday": "1990-05-06",
                "sex": "Female",
            },
            "comment": "テスト用のコメントです",
            "gift": None,
        },
        "destinations": [destination("架空 花子", [line("SAMPLE-001", 1650, 2, 8)])],
    }
    order["basic"].update(basic)
    return order


def destination(name: str, details: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "destination_number": 1,
        "name": name,
        "name_kana": "カクウ",
        "zip_code": "765-4321",
        "prefecture": "大阪府",
        "town_and_number": "例示町4-5-6",
        "phone_number": "000-1111-2222",
        "delivery_method": "宅配便",
        "tracking_number": "123456789012",
        "gift": None,
        "details": details,
        **extra,
    }


def line(code: str, price: int, quantity: int, tax_rate: int) -> dict[str, Any]:
    return {
        "item_code": code,
        "item_name": f"見本 {code}",
        "variation": [{"title": "種類", "value": "煎茶"}],
        "options": [{"name": "名入れ", "label": "架空 花子さんへ"}],
        "unit_price": price,
        "quantity": quantity,
        "tax_rate": tax_rate,
    }


def envelope(orders: list[Any], total: int | None = None) -> dict[str, Any]:
    return {"total_count": len(orders) if total is None else total, "orders": orders}


class Api:
    """A MockTransport handler that serves from ``respond`` and records each request body."""

    def __init__(self, respond: Callable[[httpx.Request], httpx.Response]) -> None:
        self.respond = respond
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.respond(request)

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(r.content) for r in self.requests]


def serve(body: Any, status: int = 200) -> Api:
    return Api(lambda request: httpx.Response(status, json=body))


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def connect(sleeps: list[float]) -> Iterator[Callable[..., ShopServeConnector]]:
    clients: list[httpx.Client] = []

    def make(api: Api, overlay: dict[str, Any] | None = None) -> ShopServeConnector:
        client = make_client(SPEC.default_base_url, transport=httpx.MockTransport(api))
        clients.append(client)
        settings = ShopServeSettings(
            shop="main", mapping=build_mapping(overlay, "test"), rate_per_s=1000.0, burst=1000.0
        )
        policy = RetryPolicy(jitter=0.0, max_attempts=3, sleep=sleeps.append)
        return ShopServeConnector(client, CREDENTIAL, settings, policy=policy)

    yield make
    for client in clients:
        client.close()


# --- the request ---------------------------------------------------------------------------


def test_it_posts_the_search_with_basic_auth_the_window_in_japan_time_and_paging_keys(
    connect: Callable[..., ShopServeConnector],
) -> None:
    api = serve(envelope([sample_order()]))
    connect(api).fetch_page(WINDOW, 0)
    (request,) = api.requests
    assert request.method == "POST"
    assert request.url.path == "/v2/orders/_retrieve/basic;destinations;details"
    assert request.url.host == "management.api.shopserve.jp" and not request.url.query
    assert request.headers["Authorization"] == (
        "Basic ZXhhbXBsZS5qcDowMDExMjIzMzQ0NTU2Njc3ODg5OWFhYmJjY2RkZWVmZjAwMTEyMjMz"
    )  # the notes' §11.1 example value
    # [start, end) in UTC becomes inclusive whole seconds in JST: end - 1 s.
    assert api.bodies() == [
        {"since": "2024-04-01 09:00:00", "until": "2024-04-08 08:59:59", "from": 0, "size": 100}
    ]


def test_a_window_with_no_whole_second_inside_sends_nothing() -> None:
    mapping = build_mapping(None, "test")
    start = dt.datetime(2024, 4, 1, 0, 0, 0, 200_000, tzinfo=UTC)
    assert (
        search_body(mapping.request, Window(start, start.replace(microsecond=900_000)), 0) is None
    )


def test_a_mapping_overlay_changes_the_body_keys_the_format_and_adds_constant_keys(
    connect: Callable[..., ShopServeConnector],
) -> None:
    overlay = {
        "request": {
            "until": "to",
            "from": "offset",
            "size": "limit",
            "page_size": 50,
            "datetime_format": "%Y/%m/%d %H:%M:%S",
            "extra": {"sort": {"type": "UpdateDate", "order": "Asc"}},
        }
    }
    api = serve(envelope([]))
    connect(api, overlay).fetch_page(WINDOW, 50)
    assert api.bodies() == [
        {
            "sort": {"type": "UpdateDate", "order": "Asc"},
            "since": "2024/04/01 09:00:00",
            "to": "2024/04/08 08:59:59",
            "offset": 50,
            "limit": 50,
        }
    ]


def test_the_connector_declares_the_7_day_window_cap_and_the_2_year_history(
    connect: Callable[..., ShopServeConnector],
) -> None:
    connector: Connector = connect(serve(envelope([])))
    assert connector.max_window == dt.timedelta(days=7)
    assert getattr(connector, "max_history", None) == dt.timedelta(days=730)
    assert connector.cursor == "updated" and connector.page_size == 100


def test_a_window_longer_than_the_cap_is_refused_before_any_request(
    connect: Callable[..., ShopServeConnector],
) -> None:
    api = serve(envelope([]))
    long = Window(WINDOW.start, WINDOW.start + dt.timedelta(days=7, seconds=1))
    with pytest.raises(ConnectorError, match="longer than the 7-day cap; run `kamei sync main"):
        connect(api).fetch_page(long, 0)
    assert api.requests == []


# --- the sync plan honours the connector's history cap ----------------------------------------


NOW = dt.datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
TWO_YEARS = dt.timedelta(days=730)


@pytest.mark.parametrize(
    ("checkpoint", "options"),
    [
        (None, SyncOptions()),
        (Checkpoint(watermark=int(NOW.timestamp())), SyncOptions(full=True)),
        (None, SyncOptions(since=dt.datetime(2010, 1, 1, tzinfo=UTC))),
    ],
    ids=["first sync", "full", "since 2010"],
)
def test_no_window_starts_before_the_platforms_history_and_all_are_at_most_7_days(
    checkpoint: Checkpoint | None, options: SyncOptions
) -> None:
    plan = plan_run(
        checkpoint,
        now=NOW,
        options=options,
        default_lookback=dt.timedelta(days=3),
        max_window=dt.timedelta(days=7),
        max_history=TWO_YEARS,
    )
    assert plan.windows[0].start == NOW - TWO_YEARS
    assert plan.windows[-1].end == NOW
    assert all(w.span <= dt.timedelta(days=7) for w in plan.windows)
    assert len(plan.windows) == 105  # 730 days in 7-day windows


def test_without_a_history_cap_the_first_sync_still_starts_at_history_start() -> None:
    plan = plan_run(
        None, now=NOW, options=SyncOptions(), default_lookback=dt.timedelta(0), max_window=None
    )
    assert plan.windows == (Window(HISTORY_START, NOW),)


def test_a_recent_watermark_is_not_moved_by_the_history_cap() -> None:
    watermark = NOW - dt.timedelta(days=1)
    plan = plan_run(
        Checkpoint(watermark=int(watermark.timestamp())),
        now=NOW,
        options=SyncOptions(),
        default_lookback=dt.timedelta(days=3),
        max_window=dt.timedelta(days=7),
        max_history=TWO_YEARS,
    )
    assert plan.windows == (Window(watermark - dt.timedelta(days=3), NOW),)


# --- paging ----------------------------------------------------------------------------------


def test_paging_follows_from_and_size_while_the_total_says_there_is_more(
    connect: Callable[..., ShopServeConnector],
) -> None:
    orders = [sample_order(f"S{n:010d}") for n in range(1, 251)]

    def respond(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        page = orders[body["from"] : body["from"] + body["size"]]
        return httpx.Response(200, json=envelope(page, total=len(orders)))

    api = Api(respond)
    connector = connect(api)
    offset, seen = 0, []
    while True:
        page = connector.fetch_page(WINDOW, offset)
        assert page.total == 250
        seen += [o.platform_order_id for o in page.orders]
        if not page.has_more:
            break
        offset += page.consumed
    assert [b["from"] for b in api.bodies()] == [0, 100, 200]
    assert seen == [o["serial_code"] for o in orders]


def test_without_a_total_in_the_mapping_one_response_is_the_whole_window(
    connect: Callable[..., ShopServeConnector],
) -> None:
    api = serve({"orders": [sample_order()]})
    overlay = {"response": {"total": None}, "request": {"from": None, "size": None}}
    page = connect(api, overlay).fetch_page(WINDOW, 0)
    assert page.total is None and not page.has_more and len(page.orders) == 1
    assert api.bodies() == [{"since": "2024-04-01 09:00:00", "until": "2024-04-08 08:59:59"}]


def test_a_serial_code_served_twice_is_one_order_in_its_latest_state(
    connect: Callable[..., ShopServeConnector],
) -> None:
    older = sample_order("S0000000007")
    newer = sample_order(
        "S0000000007", update_date="2024-04-03 10:00:00", shipping_status="Shipped"
    )
    api = serve(envelope([newer, sample_order("S0000000008"), older]))
    page = connect(api).fetch_page(WINDOW, 0)
    assert [o.platform_order_id for o in page.orders] == ["S0000000007", "S0000000008"]
    assert page.orders[0].status == "shipped"
    # The duplicate still took an offset: the next page starts after all three entries.
    assert (page.skipped, page.consumed) == (1, 3)
    assert page.problems == ("duplicate serial_code",)


# --- the parser ------------------------------------------------------------------------------


def test_a_multi_destination_order_keeps_every_destinations_lines(
    connect: Callable[..., ShopServeConnector],
) -> None:
    order = sample_order()
    order["destinations"] = [
        destination("架空 花子", [line("TEA-100", 1200, 1, 8)]),
        destination(
            "架空 次郎",
            [line("MUG-NM", 2200, 2, 10), line("TWL-GFT", 3500, 1, 10)],
            delivery_method="ゆうパック",
        ),
    ]
    (parsed,) = connect(serve(envelope([order]))).fetch_page(WINDOW, 0).orders
    assert parsed.multi_destination
    assert [(x.product_id, x.quantity, x.subtotal, x.tax_class) for x in parsed.lines] == [
        ("TEA-100", 1, 1200, "reduced"),
        ("MUG-NM", 2, 4400, "standard"),
        ("TWL-GFT", 1, 3500, "standard"),
    ]
    assert parsed.delivery_method == "宅配便"
    assert parsed.is_gift  # the second parcel goes to someone else


def test_statuses_follow_the_mappings_rules(connect: Callable[..., ShopServeConnector]) -> None:
    cases = {
        "S1": {"payment_status": "Unpaid"},
        "S2": {},
        "S3": {"shipping_status": "Shipped", "order_status": "Complete"},
        "S4": {"order_status": "Cancel"},
        "S5": {"order_status": "Cancel", "shipping_status": "Shipped"},
    }
    api = serve(envelope([sample_order(serial, **basic) for serial, basic in cases.items()]))
    statuses = [o.status for o in connect(api).fetch_page(WINDOW, 0).orders]
    assert statuses == ["pending", "paid", "shipped", "cancelled", "returned"]


def test_the_buyer_keeps_only_identity_basis_and_coarse_attributes(
    connect: Callable[..., ShopServeConnector],
) -> None:
    (order,) = connect(serve(envelope([sample_order()]))).fetch_page(WINDOW, 0).orders
    buyer = order.buyer
    assert (buyer.email, buyer.phone, buyer.member_id) == (
        "hanako@example.invalid",
        "000-0000-0000",
        "M-0042",
    )
    assert buyer.is_member and buyer.prefecture == 13 and buyer.gender == "female"
    assert buyer.birthday == dt.date(1990, 5, 6)
    text = repr(order)
    personal = ["架空 花子", "カクウ", "見本町", "123-4567", "765-4321", "テスト用のコメント"]
    personal += ["123456789012", "名入れ", "花子さんへ", "000-1111-2222", "例示町"]
    assert [value for value in personal if value in text] == []


def test_a_guest_without_optional_fields_and_an_order_never_updated_still_parse(
    connect: Callable[..., ShopServeConnector],
) -> None:
    order = sample_order(client_type="Guest", member=None, update_date="")
    for key in ("tax", "coupon_discount", "coupon_name", "gift"):
        del order["basic"][key]
    del order["basic"]["orderer"]["birthday"], order["basic"]["orderer"]["sex"]
    (parsed,) = connect(serve(envelope([order]))).fetch_page(WINDOW, 0).orders
    assert not parsed.buyer.is_member and parsed.buyer.member_id is None
    assert parsed.updated_at == parsed.ordered_at
    assert parsed.tax == 0 and parsed.buyer.birthday is None and not parsed.is_gift


def test_a_field_renamed_in_a_user_mapping_is_read_under_its_new_name(
    connect: Callable[..., ShopServeConnector],
) -> None:
    order = sample_order()
    order["basic"]["total_amount"] = order["basic"].pop("total_price")
    overlay = {"response": {"order": {"grand_total": "basic.total_amount"}}}
    (parsed,) = connect(serve(envelope([order])), overlay).fetch_page(WINDOW, 0).orders
    assert parsed.grand_total == 3960


def test_the_unchanged_mapping_fails_the_whole_response_naming_the_field_and_the_count(
    connect: Callable[..., ShopServeConnector],
) -> None:
    orders = [sample_order(f"S{n:010d}") for n in range(1, 4)]
    for order in orders[:2]:
        order["basic"]["total_amount"] = order["basic"].pop("total_price")
    with pytest.raises(ResponseFormatError) as caught:
        connect(serve(envelope(orders))).fetch_page(WINDOW, 0)
    message = str(caught.value)
    assert (
        "response does not match the expected ShopServe format "
        "(field basic.total_price missing in 2 of 3 orders" in message
    )
    assert "nothing from this response was stored" in message
    assert "correct the mapping" in message and "docs/platforms.md" in message
    assert "3960" not in message and "花子" not in message  # identifiers only


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda o: o["basic"].update(item_total="3300"), "field basic.item_total not whole yen"),
        (lambda o: o["basic"].update(order_date="2024-04-02T14:05:31"), "not in request.datetime"),
        (lambda o: o["basic"].update(order_date=None), "field basic.order_date empty"),
        (lambda o: o.update(serial_code=None), "field serial_code empty"),
        (lambda o: o["destinations"][0].pop("details"), "field destinations[].details missing"),
        (
            lambda o: o["destinations"][0]["details"][0].pop("quantity"),
            "field destinations[].details[].quantity missing",
        ),
        (lambda o: o.update(destinations={}), "field destinations not a list of objects"),
    ],
)
def test_an_order_the_mapping_cannot_read_is_never_returned_half_read(
    connect: Callable[..., ShopServeConnector], change: Callable[[Any], Any], expected: str
) -> None:
    broken = copy.deepcopy(sample_order("S0000000002"))
    change(broken)
    with pytest.raises(ResponseFormatError, match="does not match the expected ShopServe format"):
        try:
            connect(serve(envelope([sample_order(), broken]))).fetch_page(WINDOW, 0)
        except ResponseFormatError as exc:
            assert expected in str(exc)
            assert "in 1 of 2 orders" in str(exc)
            raise


def test_an_envelope_without_the_orders_list_or_total_is_a_format_error_not_retried(
    connect: Callable[..., ShopServeConnector],
) -> None:
    api = serve({"results": []})
    with pytest.raises(ResponseFormatError, match=r"\(field orders missing\)"):
        connect(api).fetch_page(WINDOW, 0)
    with pytest.raises(ResponseFormatError, match=r"\(field total_count missing\)"):
        connect(serve({"orders": []})).fetch_page(WINDOW, 0)
    assert len(api.requests) == 1


# --- errors and maintenance ------------------------------------------------------------------


def test_a_rejected_shop_id_or_key_is_an_auth_error_naming_where_to_check(
    connect: Callable[..., ShopServeConnector], sleeps: list[float]
) -> None:
    body = {"error": {"code": "Unauthorized", "message": "invalid shop id or manager key"}}
    api = serve(body, status=401)
    with pytest.raises(AuthError) as caught:
        connect(api).fetch_page(WINDOW, 0)
    message = str(caught.value)
    assert "ShopServe rejected the shop id or manager key" in message
    assert "error Unauthorized" in message and "サーバー > ショップサーブAPI" in message
    assert CREDENTIAL["manager_key"] not in message
    assert len(api.requests) == 1 and sleeps == []  # never retried


def test_a_forbidden_search_says_where_the_api_is_enabled(
    connect: Callable[..., ShopServeConnector],
) -> None:
    with pytest.raises(PermissionDenied) as caught:
        connect(serve({"error": {"code": "Forbidden"}}, status=403)).fetch_page(WINDOW, 0)
    assert "サーバー > ショップサーブAPI" in str(caught.value)
    assert "kamei auth" not in str(caught.value)  # there is nothing to re-authorise


def test_a_refused_search_points_at_the_request_part_of_the_mapping(
    connect: Callable[..., ShopServeConnector],
) -> None:
    body = {"error": {"code": "InvalidParameter", "message": "検索期間は7日以内で指定してください"}}
    with pytest.raises(ConnectorError, match=r"error InvalidParameter.*correct the mapping"):
        connect(serve(body, status=400)).fetch_page(WINDOW, 0)


HTML = {"Content-Type": "text/html; charset=utf-8"}


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(503, text="<html>メンテナンス中</html>", headers=HTML),
        httpx.Response(200, text="<html>メンテナンス中</html>", headers=HTML),
        httpx.Response(503, json={"error": {"code": "ServiceUnavailable"}}),
    ],
    ids=["503 html", "200 html", "503 json"],
)
def test_maintenance_is_retried_briefly_then_says_when_to_come_back(
    connect: Callable[..., ShopServeConnector], sleeps: list[float], response: httpx.Response
) -> None:
    api = Api(lambda request: response)
    with pytest.raises(PlatformUnavailable) as caught:
        connect(api).fetch_page(WINDOW, 0)
    message = str(caught.value)
    assert message.startswith(MAINTENANCE_MESSAGE)
    assert "try again after 08:00 JST" in message and "orders synced before it are kept" in message
    assert len(api.requests) == 3 and len(sleeps) == 2  # the policy's few attempts, no more


def test_maintenance_then_recovery_within_the_retries_is_just_a_retry(
    connect: Callable[..., ShopServeConnector], sleeps: list[float]
) -> None:
    answers = iter(
        [
            httpx.Response(200, text="<html></html>", headers={"Content-Type": "text/html"}),
            httpx.Response(200, json=envelope([sample_order()])),
        ]
    )
    page = connect(Api(lambda request: next(answers))).fetch_page(WINDOW, 0)
    assert len(page.orders) == 1 and len(sleeps) == 1


def test_other_server_errors_are_not_called_maintenance(
    connect: Callable[..., ShopServeConnector],
) -> None:
    with pytest.raises(PlatformUnavailable) as caught:
        connect(serve({"error": {"code": "InternalServerError"}}, status=500)).fetch_page(WINDOW, 0)
    assert "maintenance" not in str(caught.value)


def test_the_default_retry_policy_is_short() -> None:
    from connectors.shopserve import DEFAULT_POLICY

    assert DEFAULT_POLICY.max_attempts <= 4 and DEFAULT_POLICY.total <= 60


# --- credential, settings, registry ------------------------------------------------------------


def test_the_credential_is_shop_id_colon_manager_key_on_one_line() -> None:
    assert parse_credential("example.jp:0011aabb\n") == {
        "shop_id": "example.jp",
        "manager_key": "0011aabb",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "no ShopServe credential given"),
        ("example.jp", "not in the expected form"),
        (":key", "not in the expected form"),
        ("example.jp:", "not in the expected form"),
        ("example.jp:key\nmore:lines", "not in the expected form"),
        ("exa mple.jp:key", "shop id holds characters"),
        ("example.jp:ke y", "manager key holds spaces"),
    ],
)
def test_a_malformed_credential_explains_the_form_without_echoing_it(
    text: str, expected: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_credential(text)
    message = str(caught.value)
    assert expected in message and "SHOP_ID:MANAGER_KEY" in message
    assert "ke y" not in message and "key\nmore" not in message


def test_a_missing_key_in_the_keyring_is_secret_missing() -> None:
    settings = ShopServeSettings(shop="main", mapping=build_mapping(None, "test"))
    with make_client(SPEC.default_base_url) as client, pytest.raises(SecretMissing):
        ShopServeConnector(client, {"shop_id": "example.jp"}, settings)


def test_repr_never_shows_the_key(connect: Callable[..., ShopServeConnector]) -> None:
    connector = connect(serve(envelope([])))
    assert repr(connector) == "ShopServeConnector(shop='main')"
    assert CREDENTIAL["manager_key"] not in repr(vars(connector))


def test_settings_read_the_rate_and_the_stored_mapping_overlay() -> None:
    overlay = {"response": {"order": {"grand_total": "basic.total_amount"}}}
    settings = ShopServeSettings.from_mapping({"shop": "main", "rate": 50, "mapping": overlay})
    assert settings.rate_per_s == 50.0
    path = settings.mapping.order_path("grand_total")
    assert path is not None and path.text == "basic.total_amount"
    with pytest.raises(ConfigError, match="stored for shop 'main'"):
        ShopServeSettings.from_mapping({"shop": "main", "mapping": {"request": {"size": 1}}})
    with pytest.raises(ConfigError, match="rate must be a positive number"):
        ShopServeSettings.from_mapping({"shop": "main", "rate": 0})


def test_shopserve_is_registered_with_its_mapping_parser() -> None:
    spec = get_platform("shopserve")
    assert spec is SPEC and spec.label == "ショップサーブ"
    assert spec.default_base_url == "https://management.api.shopserve.jp"
    assert spec.parse_mapping is not None
    assert spec.parse_credential("a.jp:k") == {"shop_id": "a.jp", "manager_key": "k"}


# --- end to end: the fake, the real store, sync ---------------------------------------------------

FAKE_END = dt.datetime(2026, 6, 1, 3, 0, tzinfo=UTC)
FAKE_NOW = FAKE_END + dt.timedelta(hours=1)
SEED = 21
RENAMED = {"response": {"order": {"grand_total": "basic.total_amount"}}}


class BodyLog:
    """WSGI middleware that keeps each request's JSON body (the request log does not)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.bodies: list[Any] = []

    def __call__(self, environ: Any, start_response: Any) -> Any:
        raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        self.bodies.append(json.loads(raw) if raw else None)
        environ["wsgi.input"] = io.BytesIO(raw)
        return self.app(environ, start_response)


class MaintenanceAfter:
    """Lets ``after`` requests through, then puts the fake into maintenance."""

    def __init__(self, fake: FakeShopServe, after: int) -> None:
        self.fake, self.after, self.calls = fake, after, 0

    def __call__(self, environ: Any, start_response: Any) -> Any:
        self.calls += 1
        if self.calls == self.after + 1:
            self.fake.faults = Faults(maintenance=True)
        return self.fake(environ, start_response)


def shopserve_fake(orders: int = 600, **kw: Any) -> FakePlatform:
    kw.setdefault("seed", SEED)
    return make_fake("shopserve", orders=orders, end=FAKE_END, clock=FAKE_NOW.timestamp, **kw)


def add_shop(store: Store, name: str, fake: FakePlatform, **settings: Any) -> int:
    spec = get_platform(fake.platform)
    shop = store.add_shop(name, fake.platform, {"rate": 1000, **settings})
    store.set_credential(name, spec.parse_credential(fake.credential))
    return shop.id


def sync_now(store: Store, apps: dict[str, Any], now: dt.datetime = FAKE_NOW) -> list[ShopResult]:
    return sync_shops(
        store, now=now, transport_for=lambda name: httpx.WSGITransport(app=validator(apps[name]))
    )


def scalar(store: Store, sql: str, **params: Any) -> Any:
    with store.connect() as conn:
        return conn.execute(sa.text(sql), params).scalar_one()


def test_a_sync_through_the_real_store_stores_every_order_in_7_day_windows_and_again_nothing(
    store: Store,
) -> None:
    fake = shopserve_fake()
    log = BodyLog(fake.app)
    shop_id = add_shop(store, "main", fake)

    (first,) = sync_now(store, {"main": log})
    assert first.ok, first.stats.error
    assert store.count_orders(shop_id) == fake.orders
    assert store.order_keys(shop_id) and first.stats.mismatches == 0
    # Every request stayed inside the 7-day cap and the 2-year history: the fake never said 400.
    assert {entry.status for entry in fake.request_log.entries()} == {200}
    spans = [
        dt.datetime.fromisoformat(b["until"]) - dt.datetime.fromisoformat(b["since"])
        for b in log.bodies
    ]
    assert max(spans) == dt.timedelta(days=7, seconds=-1)
    oldest = min(dt.datetime.fromisoformat(b["since"]) for b in log.bodies)
    assert oldest.replace(tzinfo=JST) == FAKE_NOW - dt.timedelta(days=730)
    multi = sum(o.multi_destination for o in fake.dataset.orders)
    assert multi > 0
    assert scalar(store, "SELECT count(*) FROM orders WHERE multi_destination = 1") == multi

    keys = store.order_keys(shop_id)
    (second,) = sync_now(store, {"main": log})
    assert second.ok and store.order_keys(shop_id) == keys
    assert second.stats.requests == 1  # the 3-day lookback fits one window


def test_a_buyer_shared_with_a_colorme_shop_gets_one_pseudonym(store: Store) -> None:
    pool = people(SEED, 250)
    colorme = make_fake(
        "colorme", orders=300, seed=SEED, persons=pool, end=FAKE_END, clock=FAKE_NOW.timestamp
    )
    shopserve = shopserve_fake(orders=300, persons=pool)
    add_shop(store, "cm", colorme)
    add_shop(store, "ss", shopserve)
    results = sync_now(store, {"cm": colorme.app, "ss": shopserve.app})
    assert all(r.ok for r in results), [r.stats.error for r in results]

    both = colorme.dataset.buyers() & shopserve.dataset.buyers()
    person = pool[min(both)]
    assert person.email is not None
    version, key = store.pseudonym_key()
    pseudonym = Pseudonymiser(key=key, version=version).email(person.email)
    shops_of_buyer = scalar(
        store,
        "SELECT count(DISTINCT shop_id) FROM orders WHERE buyer = :buyer",
        buyer=pseudonym,
    )
    assert shops_of_buyer == 2


def test_a_renamed_field_fails_the_window_storing_nothing_until_the_mapping_is_corrected(
    store: Store,
) -> None:
    fake = shopserve_fake(orders=300)
    shop_id = add_shop(store, "main", fake)
    (first,) = sync_now(store, {"main": fake.app})
    assert first.ok and store.count_orders(shop_id) == 300

    # The shop's API turns out to call the grand total "total_amount"; new orders arrive.
    churned = FAKE_NOW + dt.timedelta(hours=12)
    renamed = FakeShopServe(fake.dataset, seed=SEED, clock=churned.timestamp, mapping=RENAMED)
    renamed.churn(5)
    later = churned + dt.timedelta(hours=12)
    (failed,) = sync_now(store, {"main": renamed}, now=later)
    assert not failed.ok and failed.stats.error is not None
    assert (
        "response does not match the expected ShopServe format "
        "(field basic.total_price missing in" in failed.stats.error
    )
    assert store.count_orders(shop_id) == 300  # nothing from that window

    # A user mapping naming the new field makes the connector read it.
    store.update_shop_settings("main", {"rate": 1000, "mapping": RENAMED})
    (fixed,) = sync_now(store, {"main": renamed}, now=later)
    assert fixed.ok, fixed.stats.error
    assert store.count_orders(shop_id) == 305
    grand_totals = sum(o.grand_total for o in fake.dataset.orders)
    assert scalar(store, "SELECT sum(grand_total) FROM orders") == grand_totals


@pytest.mark.parametrize("status", [503, 200], ids=["503 page", "200 html page"])
def test_maintenance_stops_the_shop_keeping_committed_windows_and_says_when_to_retry(
    store: Store, monkeypatch: pytest.MonkeyPatch, sleeps: list[float], status: int
) -> None:
    monkeypatch.setattr(
        shopserve_module, "DEFAULT_POLICY", RetryPolicy(jitter=0.0, sleep=sleeps.append)
    )
    fake = shopserve_fake()
    app = _fake_app(fake)
    app.maintenance_status = status
    shop_id = add_shop(store, "main", fake)

    (stopped,) = sync_now(store, {"main": MaintenanceAfter(app, after=60)})
    assert stopped.stats.outcome == "failed" and stopped.stats.error is not None
    assert stopped.stats.error.startswith(
        "ShopServe is in maintenance (usually Wednesday 02:00–08:00 JST); try again after 08:00 JST"
    )
    assert 0 < len(sleeps) <= 5  # a short, bounded retry
    checkpoint = store.load_checkpoint(shop_id)
    assert checkpoint is not None and checkpoint.watermark is not None
    done = sum(
        1 for i in range(len(fake.dataset)) if fake.dataset.update_time(i) < checkpoint.watermark
    )
    assert 0 < store.count_orders(shop_id) == done < fake.orders

    app.faults = Faults()
    (resumed,) = sync_now(store, {"main": app})
    assert resumed.ok and store.count_orders(shop_id) == fake.orders


def test_a_wrong_manager_key_fails_the_shop_with_an_auth_error(store: Store) -> None:
    fake = shopserve_fake(orders=20)
    add_shop(store, "main", fake)
    _fake_app(fake).reissue_key()
    (result,) = sync_now(store, {"main": fake.app})
    assert result.stats.outcome == "failed"
    assert "ShopServe rejected the shop id or manager key" in (result.stats.error or "")


def test_no_personal_value_but_the_identity_basis_reaches_a_raw_order() -> None:
    dataset = generate(
        seed=SEED, orders=80, end=FAKE_END, days=5, canary=True, stream="shopserve",
        order_id_start=1,
    )  # fmt: skip
    app = FakeShopServe(dataset, seed=SEED, clock=FAKE_NOW.timestamp)
    window = Window(FAKE_END - dt.timedelta(days=6), FAKE_END + dt.timedelta(seconds=1))
    with make_client(SPEC.default_base_url, transport=httpx.WSGITransport(app=app)) as client:
        settings = ShopServeSettings(shop="main", mapping=build_mapping(None, "test"))
        connector = ShopServeConnector(client, parse_credential(app.credential), settings)
        page = connector.fetch_page(window, 0)
    assert len(page.orders) == 80
    kinds = dataset.personal_values_by_kind()
    assert any(o.buyer.email and has_canary(o.buyer.email) for o in page.orders)
    for order in page.orders:
        without_basis = dataclasses.replace(
            order, buyer=dataclasses.replace(order.buyer, email=None, phone=None, member_id=None)
        )
        text = repr(without_basis)
        assert not has_canary(text), order.platform_order_id
        assert [slip for slip in kinds["slip_number"] if slip in text] == []
        assert [postal for postal in kinds["postal"] if postal in text] == []


def _fake_app(fake: FakePlatform) -> FakeShopServe:
    assert isinstance(fake.app, FakeShopServe)
    return fake.app


# --- the whole job in real processes, as for the other platforms --------------------------------


@pytest.fixture
def served() -> Iterator[dict[str, Any]]:
    process = subprocess.Popen(
        [KAMEI, "fake", "serve", "--platform", "shopserve", "--orders", "800", "--seed", "11"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    try:
        yield json.loads(process.stdout.readline())
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
        process.stderr.close()


@pytest.mark.slow
def test_fake_serve_then_init_add_sync_status_in_other_processes(served: dict[str, Any]) -> None:
    assert served["platform"] == "shopserve" and served["orders"] == 800
    assert parse_credential(served["credential"])  # exactly what --credential-stdin takes
    run("init")
    run(
        "shop", "add", "main", "--platform", "shopserve", "--base-url", served["base_url"],
        "--credential-stdin", "--rate", "200", input=served["credential"] + "\n",
    )  # fmt: skip
    first = run("sync")
    assert first.stdout.startswith("synced 1/1 shops: main +800")
    (shop,) = json.loads(run("status", "--json").stdout)["shops"]
    assert shop["orders"] == 800 and shop["last_outcome"] == "ok"
    second = run("sync")
    assert second.stdout.startswith("synced 1/1 shops: main +")
    assert json.loads(run("status", "--json").stdout)["shops"][0]["orders"] == 800

    wrong = served["credential"].split(":")[0] + ":" + "0" * 40
    run(
        "shop", "add", "other", "--platform", "shopserve", "--base-url", served["base_url"],
        "--credential-stdin", input=wrong + "\n",
    )  # fmt: skip
    failed = run("sync", "other", check=False)
    assert failed.returncode == 3 and "Traceback" not in failed.stderr
    assert "ShopServe rejected the shop id or manager key" in failed.stderr


def test_a_shopserve_sync_waits_120_s_for_a_response_other_platforms_60(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The notes: responses can be large and slow; read timeout >= 120 s.
    import sync.run

    seen: list[float | None] = []
    real = sync.run.make_client

    def recording(base_url: str, **kwargs: Any) -> httpx.Client:
        seen.append(kwargs["timeout"].read)
        return real(base_url, **kwargs)

    monkeypatch.setattr(sync.run, "make_client", recording)
    fake = shopserve_fake()
    add_shop(store, "main", fake)
    (result,) = sync_now(store, {"main": fake.app})
    assert result.ok and seen == [120.0]
    assert get_platform("colorme").read_timeout_s == 60.0 == DEFAULT_TIMEOUT.read

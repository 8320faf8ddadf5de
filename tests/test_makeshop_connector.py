"""The MakeShop connector: the GraphQL requests it sends, paging, errors, the privacy-keeping
parser, and whole syncs through the real store against the MakeShop fake."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from wsgiref.validate import validator

import httpx
import pytest
from sqlalchemy import text

from connectors.fakes import FakePlatform, PersonPool, make_fake, serve_in_thread
from connectors.fakes.makeshop import FakeMakeShop
from connectors.http import RetryPolicy, make_client
from connectors.makeshop import (
    ENDPOINT,
    MEMBER_QUERY,
    ORDER_QUERY,
    SPEC,
    MakeShopConnector,
    MakeShopSettings,
    endpoint_url,
    order_input,
    page_for,
    parse_credential,
)
from connectors.makeshop_parse import (
    MalformedOrder,
    MemberContact,
    is_guest_id,
    order_status,
    parse_member,
    parse_order,
    parse_time,
)
from connectors.makeshop_prefectures import (
    MAKESHOP_CODES,
    jis_code,
    jis_code_for_name,
    makeshop_label,
)
from connectors.prefectures import PREFECTURES
from connectors.registry import get_platform
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
from sync import Pseudonymiser, sync_shops

UTC = dt.UTC
JST = dt.timezone(dt.timedelta(hours=9))
TOKEN = "PAT." + "ab" * 32
API_KEY = "cd" * 32
CREDENTIAL = {"token": TOKEN, "api_key": API_KEY}
WINDOW = Window(dt.datetime(2026, 1, 1, tzinfo=UTC), dt.datetime(2026, 2, 1, tzinfo=UTC))
NOW = 1_767_225_600.0  # 2026-01-01 00:00:00 UTC
GUEST_ID = "X000123見本 次郎"


def sample_order(number: str = "P100000000000000001", **overrides: Any) -> dict[str, Any]:
    """The first order of notes §4.2, with every field the fake can serve."""
    order: dict[str, Any] = {
        "systemOrderNumber": number,
        "displayOrderNumber": number,
        "orderDate": "2026-01-05 09:15:42",
        "memberId": "260105000007",
        "sumPrice": 5280,
        "paymentStatusCode": "0004",
        "payMethod": "クレジットカード",
        "message": "Please leave at the door.||090-0000-0000",
        "senderName": "試験 花子",
        "senderPrefecture": "神奈川県",
        "discountPerTax": [{"taxRate": 10, "discount": 300}],
        "deliveryInfos": [
            {
                "deliveryId": "1",
                "deliveryStatus": "Y",
                "receiverName": "試験 太郎",
                "receiverPost": "1000000",
                "receiverPrefecture": "東京都",
                "receiverAddress": "架空区見本町1-2-3",
                "receiverAddress2": "サンプルハイツ101",
                "receiverTel": "000-0000-0000",
                "desiredDeliveryDate": "--",
                "desiredDeliveryTimezone": "",
                "shippingCharge": 880,
                "deliverySumPrice": 5280,
                "deliveryMessage": "誕生日おめでとう||置き配希望",
                "slipNumber": "0000-1111-2222",
                "deliveryDate": "20260106143000",
                "basketInfos": [
                    {
                        "productCode": "000000000042",
                        "productCustomCode": "TEA-01",
                        "variationCustomCode": "TEA-01-L",
                        "productName": "Sample Green Tea",
                        "variationName": "サイズ : L",
                        "customSelects": [
                            {"customSelectName": "名入れ", "selectedItemName": "HANAKO"}
                        ],
                        "amount": 2,
                        "price": 2200,
                        "janCode": "4900000000000",
                    }
                ],
            }
        ],
    }
    order.update(overrides)
    return order


def envelope(orders: list[Any], total: int) -> dict[str, Any]:
    return {"data": {"searchOrder": {"searchedCount": total, "page": 1, "orders": orders}}}


def members(items: list[dict[str, Any]], total: int | None = None) -> dict[str, Any]:
    count = len(items) if total is None else total
    return {"data": {"searchMember": {"searchedCount": count, "page": 1, "members": items}}}


MEMBER = {
    "memberId": "260105000007",
    "email": "hanako@example.jp",
    "tel": "000-0000-0001",
    "etcphone": "",
    "haddress1": "16",
    "haddressAddr": "新潟県",
}


class Api:
    """A MockTransport handler: answers by operation, records every request."""

    def __init__(self, answer: Callable[[str, dict[str, Any]], httpx.Response]) -> None:
        self.answer = answer
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        body = json.loads(request.content)
        return self.answer(body["operationName"], body)

    def operations(self) -> list[str]:
        return [json.loads(r.content)["operationName"] for r in self.requests]

    def inputs(self, operation: str = "searchOrder") -> list[dict[str, Any]]:
        bodies = [json.loads(r.content) for r in self.requests]
        return [b["variables"]["input"] for b in bodies if b["operationName"] == operation]


def by_operation(
    orders: Callable[[dict[str, Any]], Any], member_items: list[dict[str, Any]] | None = None
) -> Api:
    def answer(operation: str, body: dict[str, Any]) -> httpx.Response:
        if operation == "searchMember":
            page = body["variables"]["input"]["page"]
            items = (member_items or []) if page == 1 else []
            return httpx.Response(200, json=members(items, len(member_items or [])))
        return httpx.Response(200, json=orders(body["variables"]["input"]))

    return Api(answer)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def clock() -> list[float]:
    return [NOW]


@pytest.fixture
def make_connector(
    sleeps: list[float], clock: list[float]
) -> Iterator[Callable[..., MakeShopConnector]]:
    clients: list[httpx.Client] = []

    def make(api: Api, **settings: Any) -> MakeShopConnector:
        client = make_client(ENDPOINT, transport=httpx.MockTransport(api))
        clients.append(client)

        def sleep(seconds: float) -> None:
            sleeps.append(seconds)
            clock[0] += seconds

        return MakeShopConnector(
            client,
            CREDENTIAL,
            MakeShopSettings(shop="myshop", rate_per_s=1000.0, burst=1000.0, **settings),
            policy=RetryPolicy(jitter=0.0, max_attempts=3, sleep=sleep),
            clock=lambda: clock[0],
        )

    yield make
    for client in clients:
        client.close()


# --- the request ------------------------------------------------------------------------------


def test_every_request_carries_the_three_headers_and_a_fresh_timestamp(
    make_connector: Callable[..., MakeShopConnector], clock: list[float]
) -> None:
    answers = [
        httpx.Response(503, json={"errors": [{"message": "x"}]}),
        httpx.Response(200, json=envelope([sample_order()], 1)),
    ]
    api = Api(
        lambda operation, body: (
            answers.pop(0)
            if operation == "searchOrder"
            else httpx.Response(200, json=members([MEMBER]))
        )
    )
    make_connector(api).fetch_page(WINDOW, 0)
    assert api.operations() == ["searchOrder", "searchOrder", "searchMember"]
    stamps = []
    for request in api.requests:
        assert request.method == "POST" and str(request.url) == ENDPOINT
        assert request.headers["authorization"] == f"Bearer {TOKEN}"
        assert request.headers["x-api-key"] == API_KEY
        assert request.headers["content-type"] == "application/json"
        stamps.append(int(request.headers["x-timestamp"]))
    # The retry waited 0.5 s on the injected clock: its timestamp moved on with it.
    assert stamps[0] == int(NOW) and stamps[-1] == int(clock[0]) and stamps == sorted(stamps)


def test_the_timestamp_is_read_again_for_every_attempt_not_once_per_connector(
    make_connector: Callable[..., MakeShopConnector], clock: list[float]
) -> None:
    api = by_operation(lambda _: envelope([], 0))
    connector = make_connector(api)
    connector.fetch_page(WINDOW, 0)
    clock[0] += 7200  # two hours later: a stale timestamp would be refused by MakeShop
    connector.fetch_page(WINDOW, 0)
    stamps = [int(r.headers["x-timestamp"]) for r in api.requests]
    assert stamps == [int(NOW), int(NOW) + 7200]


def test_the_query_asks_for_the_window_as_inclusive_14_digit_jst_bounds_ascending_by_200(
    make_connector: Callable[..., MakeShopConnector],
) -> None:
    api = by_operation(lambda _: envelope([], 0))
    make_connector(api).fetch_page(WINDOW, 0)
    body = json.loads(api.requests[0].content)
    assert body["query"] == ORDER_QUERY and body["operationName"] == "searchOrder"
    assert body["variables"] == {
        "input": {
            "startOrderDate": "20260101090000",
            "endOrderDate": "20260201085959",
            "sortOrder": "ASC",
            "page": 1,
            "limit": 200,
        }
    }


def test_the_query_selects_no_contact_address_or_free_text_field() -> None:
    selected = set(re.findall(r"[A-Za-z][A-Za-z0-9]*", ORDER_QUERY + MEMBER_QUERY))
    never = {"receiverTel", "receiverPost", "receiverAddress", "receiverAddress2", "message",
             "deliveryMessage", "slipNumber", "customSelects", "name", "nameKana", "hpost",
             "haddress", "haddress2", "etc", "janCode"}  # fmt: skip
    assert selected & never == set()


def test_sub_second_bounds_round_up_and_an_empty_window_sends_nothing(
    make_connector: Callable[..., MakeShopConnector],
) -> None:
    start = dt.datetime(2026, 1, 1, 0, 0, 0, 400_000, tzinfo=UTC)
    variables = order_input(Window(start, start + dt.timedelta(seconds=2)), 1, 200)
    assert variables is not None
    assert (variables["startOrderDate"], variables["endOrderDate"]) == (
        "20260101090001",
        "20260101090002",
    )
    api = by_operation(lambda _: envelope([], 0))
    tiny = Window(start, start + dt.timedelta(milliseconds=300))
    page = make_connector(api).fetch_page(tiny, 0)
    assert api.requests == [] and page.total == 0 and not page.has_more


@pytest.mark.parametrize(
    ("offset", "limit", "expected"),
    [(0, 200, (1, 200)), (200, 200, (2, 200)), (1000, 200, (6, 200)), (150, 200, (2, 150)),
     (300, 200, (3, 150)), (199, 200, (2, 199)), (7, 5, (8, 1))],
)  # fmt: skip
def test_an_item_offset_becomes_the_page_that_starts_exactly_there(
    offset: int, limit: int, expected: tuple[int, int]
) -> None:
    page, size = page_for(offset, limit)
    assert (page, size) == expected and (page - 1) * size == offset and size <= limit


@pytest.mark.parametrize(
    ("base_url", "endpoint"),
    [
        (ENDPOINT, ENDPOINT),
        (ENDPOINT + "/", ENDPOINT),
        (
            "https://stg-app-api.makeshop.jp/v1/graphql",
            "https://stg-app-api.makeshop.jp/v1/graphql",
        ),
        ("http://127.0.0.1:8123", "http://127.0.0.1:8123/v1/graphql"),
        ("http://127.0.0.1:8123/", "http://127.0.0.1:8123/v1/graphql"),
    ],
)
def test_the_base_url_is_the_endpoint_and_a_bare_host_gets_the_graphql_path(
    base_url: str, endpoint: str
) -> None:
    assert endpoint_url(base_url) == endpoint
    with make_client(base_url) as client:  # httpx appends a slash to base URLs
        assert endpoint_url(client.base_url) == endpoint


# --- paging -------------------------------------------------------------------------------


def _numbered(first: int, count: int) -> list[dict[str, Any]]:
    return [sample_order(f"P{100000000000000000 + n}", memberId=GUEST_ID)
            for n in range(first, first + count)]  # fmt: skip


def test_connector_declares_its_paging_shape(
    make_connector: Callable[..., MakeShopConnector],
) -> None:
    connector: Connector = make_connector(by_operation(lambda _: envelope([], 0)))
    assert connector.platform == "makeshop"
    assert connector.cursor == "ordered" and connector.page_size == 200
    assert connector.max_window is None


def test_pages_follow_page_numbers_and_stop_when_searched_count_is_reached(
    make_connector: Callable[..., MakeShopConnector],
) -> None:
    def orders(variables: dict[str, Any]) -> dict[str, Any]:
        first = (variables["page"] - 1) * variables["limit"]
        return envelope(_numbered(first, max(0, min(200, 450 - first))), 450)

    api = by_operation(orders)
    connector = make_connector(api)
    pages, offset = [], 0
    while True:
        page = connector.fetch_page(WINDOW, offset)
        pages.append(page)
        if not page.has_more:
            break
        offset = page.offset + page.consumed
    assert [(p.offset, len(p.orders), p.total) for p in pages] == [
        (0, 200, 450), (200, 200, 450), (400, 50, 450)
    ]  # fmt: skip
    assert [i["page"] for i in api.inputs()] == [1, 2, 3]
    assert all(i["limit"] == 200 and i["sortOrder"] == "ASC" for i in api.inputs())


def test_an_empty_page_ends_the_window_even_if_the_count_says_more(
    make_connector: Callable[..., MakeShopConnector],
) -> None:
    page = make_connector(by_operation(lambda _: envelope([], 999))).fetch_page(WINDOW, 400)
    assert page.total == 999 and not page.has_more and page.consumed == 0


def test_a_short_page_that_is_not_the_last_lowers_the_page_size_for_the_next(
    make_connector: Callable[..., MakeShopConnector],
) -> None:
    # A server that caps pages at 120 whatever the limit: the next page must start at 120.
    def orders(variables: dict[str, Any]) -> dict[str, Any]:
        size = min(variables["limit"], 120)
        first = (variables["page"] - 1) * size
        return envelope(_numbered(first, max(0, min(size, 300 - first))), 300)

    api = by_operation(orders)
    connector = make_connector(api)
    first = connector.fetch_page(WINDOW, 0)
    second = connector.fetch_page(WINDOW, first.offset + first.consumed)
    third = connector.fetch_page(WINDOW, second.offset + second.consumed)
    assert [(p.offset, p.consumed, p.has_more) for p in (first, second, third)] == [
        (0, 120, True), (120, 120, True), (240, 60, False)
    ]  # fmt: skip
    assert [(i["page"], i["limit"]) for i in api.inputs()] == [(1, 200), (2, 120), (3, 120)]
    assert connector.page_size == 120
    ids = [o.platform_order_id for p in (first, second, third) for o in p.orders]
    assert len(ids) == len(set(ids)) == 300


def test_a_page_repeating_the_previous_page_is_asked_again_then_reported(
    make_connector: Callable[..., MakeShopConnector],
) -> None:
    api = by_operation(lambda _: envelope(_numbered(0, 200), 1000))
    connector = make_connector(api)
    connector.fetch_page(WINDOW, 0)
    with pytest.raises(PlatformUnavailable) as info:
        connector.fetch_page(WINDOW, 200)
    assert [i["page"] for i in api.inputs()] == [1, 2, 2]
    assert "same orders as the page before" in str(info.value) and "kamei sync" in str(info.value)


def test_a_repeat_that_clears_up_on_the_second_ask_is_served(
    make_connector: Callable[..., MakeShopConnector],
) -> None:
    answers = iter([_numbered(0, 200), _numbered(0, 200), _numbered(200, 200)])
    connector = make_connector(by_operation(lambda _: envelope(next(answers), 1000)))
    connector.fetch_page(WINDOW, 0)
    page = connector.fetch_page(WINDOW, 200)
    assert page.orders[0].platform_order_id == "P100000000000000200"


def test_asking_for_the_same_offset_again_is_not_a_repeat(
    make_connector: Callable[..., MakeShopConnector],
) -> None:
    # The engine re-asks an offset after a repeat of its own; that must reach the server.
    api = by_operation(lambda _: envelope(_numbered(0, 200), 1000))
    connector = make_connector(api)
    connector.fetch_page(WINDOW, 0)
    connector.fetch_page(WINDOW, 0)
    assert len(api.requests) == 2


# --- members --------------------------------------------------------------------------------


def test_member_contacts_come_from_search_member_and_are_cached_for_the_run(
    make_connector: Callable[..., MakeShopConnector],
) -> None:
    other = {**MEMBER, "memberId": "260106000008", "email": "jiro@example.jp"}
    api = by_operation(lambda _: envelope([sample_order()], 1), [MEMBER, other])
    connector = make_connector(api)
    first = connector.fetch_page(WINDOW, 0).orders[0]
    again = connector.fetch_page(WINDOW, 0).orders[0]
    assert api.operations() == ["searchOrder", "searchMember", "searchOrder"]
    assert first.buyer.email == again.buyer.email == "hanako@example.jp"
    assert first.buyer.phone == "000-0000-0001" and first.buyer.member_id == "260105000007"
    assert api.inputs("searchMember") == [{"page": 1, "limit": 200}]
    next_run = make_connector(api)  # a new run: nothing is kept between runs
    next_run.fetch_page(WINDOW, 0)
    assert api.operations()[-2:] == ["searchOrder", "searchMember"]


def test_the_member_directory_reads_only_as_far_as_the_page_needs(
    make_connector: Callable[..., MakeShopConnector],
) -> None:
    wanted = {**MEMBER, "memberId": "260105000150"}
    directory = [{**MEMBER, "memberId": f"2601050{n:05d}"} for n in range(400)]

    def answer(operation: str, body: dict[str, Any]) -> httpx.Response:
        if operation == "searchMember":
            page, limit = body["variables"]["input"]["page"], body["variables"]["input"]["limit"]
            chunk = directory[(page - 1) * limit : page * limit]
            return httpx.Response(200, json=members(chunk, len(directory)))
        return httpx.Response(200, json=envelope([sample_order(memberId=wanted["memberId"])], 1))

    api = Api(answer)
    connector = make_connector(api, page_size=100)
    connector.fetch_page(WINDOW, 0)
    assert [i["page"] for i in api.inputs("searchMember")] == [1, 2]
    assert not connector.members.complete and len(connector.members) == 200


def test_an_unknown_member_is_linked_by_member_id_after_one_full_pass(
    make_connector: Callable[..., MakeShopConnector],
) -> None:
    api = by_operation(lambda _: envelope([sample_order(memberId="260199000001")], 1), [MEMBER])
    connector = make_connector(api)
    buyer = connector.fetch_page(WINDOW, 0).orders[0].buyer
    connector.fetch_page(WINDOW, 0)
    assert (buyer.email, buyer.phone, buyer.member_id) == (None, None, "260199000001")
    assert api.operations().count("searchMember") == 1 and connector.members.complete


def test_member_lookup_can_be_turned_off(make_connector: Callable[..., MakeShopConnector]) -> None:
    api = by_operation(lambda _: envelope([sample_order()], 1), [MEMBER])
    buyer = make_connector(api, member_lookup=False).fetch_page(WINDOW, 0).orders[0].buyer
    assert api.operations() == ["searchOrder"]
    assert buyer.email is None and buyer.member_id == "260105000007" and buyer.is_member


def test_guest_orders_ask_no_member_lookup_and_keep_nothing_of_the_guest_id(
    make_connector: Callable[..., MakeShopConnector],
) -> None:
    api = by_operation(lambda _: envelope([sample_order(memberId=GUEST_ID)], 1), [MEMBER])
    order = make_connector(api).fetch_page(WINDOW, 0).orders[0]
    assert api.operations() == ["searchOrder"]
    assert order.buyer.member_id is None and not order.buyer.is_member
    for part in ("X000123", "見本", "次郎"):
        assert part not in repr(order)


# --- errors -------------------------------------------------------------------------------------


def _errors(code: str | None, message: str = "error") -> dict[str, Any]:
    item: dict[str, Any] = {"message": message}
    if code is not None:
        item["extensions"] = {"code": code}
    return {"errors": [item], "data": None}


@pytest.mark.parametrize("status", [200, 403])
def test_forbidden_search_order_is_not_retried_and_names_the_order_permission(
    status: int, make_connector: Callable[..., MakeShopConnector]
) -> None:
    api = Api(lambda op, body: httpx.Response(status, json=_errors("FORBIDDEN", "forbidden")))
    with pytest.raises(PermissionDenied) as info:
        make_connector(api).fetch_page(WINDOW, 0)
    assert len(api.requests) == 1
    message = str(info.value)
    assert "order data (注文情報, operation searchOrder)" in message
    assert "ask MakeShop to approve" in message and "kamei sync myshop" in message


def test_forbidden_search_member_names_the_member_permission_and_the_way_out(
    make_connector: Callable[..., MakeShopConnector],
) -> None:
    def answer(operation: str, body: dict[str, Any]) -> httpx.Response:
        if operation == "searchMember":
            return httpx.Response(200, json=_errors("FORBIDDEN"))
        return httpx.Response(200, json=envelope([sample_order()], 1))

    api = Api(answer)
    with pytest.raises(PermissionDenied) as info:
        make_connector(api).fetch_page(WINDOW, 0)
    assert api.operations() == ["searchOrder", "searchMember"]
    assert "member data (会員情報, operation searchMember)" in str(info.value)
    assert "member_lookup" in str(info.value)


def test_a_forbidden_code_at_the_top_level_of_the_error_counts_too(
    make_connector: Callable[..., MakeShopConnector],
) -> None:
    body = {"errors": [{"message": "no", "code": "forbidden"}]}
    with pytest.raises(PermissionDenied):
        make_connector(Api(lambda op, b: httpx.Response(200, json=body))).fetch_page(WINDOW, 0)


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (401, _errors("UNAUTHORIZED", "invalid token")),
        (401, None),
        (200, _errors("UNAUTHENTICATED")),
    ],
    ids=["401-errors", "401-empty", "200-unauthenticated"],
)
def test_auth_errors_are_not_retried_and_say_what_to_do(
    status: int, body: Any, make_connector: Callable[..., MakeShopConnector]
) -> None:
    api = Api(lambda op, b: httpx.Response(status, json=body))
    with pytest.raises(AuthError) as info:
        make_connector(api).fetch_page(WINDOW, 0)
    assert len(api.requests) == 1
    message = str(info.value)
    assert "token or API key" in message and "kamei shop add --help" in message
    for secret in (TOKEN, API_KEY, "invalid token", "20260101"):
        assert secret not in message


def test_a_refused_timestamp_points_at_the_clock(
    make_connector: Callable[..., MakeShopConnector],
) -> None:
    body = _errors("UNAUTHORIZED", "x-timestamp is expired")
    with pytest.raises(AuthError) as info:
        make_connector(Api(lambda op, b: httpx.Response(401, json=body))).fetch_page(WINDOW, 0)
    assert "clock" in str(info.value) and "x-timestamp" in str(info.value)


def test_an_unknown_field_is_a_query_error_not_retried(
    make_connector: Callable[..., MakeShopConnector],
) -> None:
    body = _errors(None, 'Cannot query field "buyerEmail" on type "SearchedOrder".')
    api = Api(lambda op, b: httpx.Response(422, json=body))
    with pytest.raises(ConnectorError) as info:
        make_connector(api).fetch_page(WINDOW, 0)
    assert len(api.requests) == 1 and "rejected kamei's query" in str(info.value)
    assert "buyerEmail" not in str(info.value)


@pytest.mark.parametrize(
    "first",
    [
        httpx.Response(200, json=_errors("INTERNAL_SERVER_ERROR")),
        httpx.Response(200, json=_errors(None, "something broke")),
        httpx.Response(503, html="<html>メンテナンス中</html>"),
        httpx.Response(429, json=_errors("TOO_MANY_REQUESTS"), headers={"Retry-After": "2"}),
        httpx.Response(200, content=b'{"data": {"searchOrder": {"searchedCount": 1, "ord'),
        httpx.Response(200, json={"data": {"searchOrder": None}}),
    ],
    ids=["200-internal", "200-no-code", "503-html", "429", "truncated", "null-data"],
)
def test_transient_errors_are_retried_then_the_page_is_served(
    first: httpx.Response,
    make_connector: Callable[..., MakeShopConnector],
    sleeps: list[float],
) -> None:
    answers = [first, httpx.Response(200, json=envelope([sample_order(memberId=GUEST_ID)], 1))]
    connector = make_connector(Api(lambda op, b: answers.pop(0)))
    page = connector.fetch_page(WINDOW, 0)
    assert len(page.orders) == 1
    assert (connector.stats.requests, connector.stats.retries) == (2, 1)
    assert len(sleeps) == 1 and sleeps[0] >= (2.0 if first.status_code == 429 else 0.5)


def test_transient_errors_that_persist_end_as_a_format_error_after_the_attempt_budget(
    make_connector: Callable[..., MakeShopConnector],
) -> None:
    api = Api(lambda op, b: httpx.Response(200, json=_errors("INTERNAL_SERVER_ERROR")))
    with pytest.raises(ResponseFormatError) as info:
        make_connector(api).fetch_page(WINDOW, 0)
    assert len(api.requests) == 3 and "endpoint searchOrder" in str(info.value)


# --- parsing ---------------------------------------------------------------------------------


def _contacts(member_id: str) -> MemberContact | None:
    return MemberContact(email="hanako@example.jp", phone="000-0000-0001", prefecture=15)


def test_a_full_order_maps_to_the_expected_raw_order() -> None:
    order = parse_order(sample_order(), _contacts)
    assert order.platform_order_id == "P100000000000000001"
    assert order.ordered_at == dt.datetime(2026, 1, 5, 0, 15, 42, tzinfo=UTC)
    assert order.updated_at == dt.datetime(2026, 1, 6, 5, 30, tzinfo=UTC)  # the delivery date
    assert order.status == "shipped"
    assert (order.goods_total, order.shipping, order.discounts, order.grand_total) == (
        4400, 880, 300, 5280
    )  # fmt: skip
    assert order.payment_method == "クレジットカード"
    assert order.is_gift and not order.multi_destination
    (line,) = order.lines
    assert (line.product_id, line.product_code, line.sku, line.product_name) == (
        "000000000042", "TEA-01", "TEA-01-L", "Sample Green Tea"
    )  # fmt: skip
    assert (line.unit_price, line.quantity, line.subtotal, line.variations) == (2200, 2, 4400, ())
    buyer = order.buyer
    assert (buyer.email, buyer.phone, buyer.member_id) == (
        "hanako@example.jp", "000-0000-0001", "260105000007"
    )  # fmt: skip
    assert buyer.prefecture == 14 and buyer.is_member  # senderPrefecture 神奈川県 wins


def test_option_text_is_kept_only_when_the_shop_says_so() -> None:
    order = parse_order(sample_order(), _contacts, variation_names=True)
    assert order.lines[0].variations == ("サイズ : L",)


def test_no_personal_field_reaches_the_raw_order() -> None:
    delivery = {**sample_order()["deliveryInfos"][0], "receiverPost": "1357913"}
    order = parse_order(sample_order(memberId=GUEST_ID, deliveryInfos=[delivery]), _contacts)
    text_form = repr(order)
    for value in ("試験", "花子", "太郎", "1357913", "架空区", "サンプルハイツ", "000-0000-0000",
                  "0000-1111-2222", "Please leave", "090-0000-0000", "誕生日", "置き配",
                  "HANAKO", "X000123", "見本", "次郎", "4900000000000"):  # fmt: skip
        assert value not in text_form, value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-01-05 09:15:42", dt.datetime(2026, 1, 5, 0, 15, 42, tzinfo=UTC)),
        ("20260106143000", dt.datetime(2026, 1, 6, 5, 30, tzinfo=UTC)),
        ("2026/01/05 09:15:42", dt.datetime(2026, 1, 5, 0, 15, 42, tzinfo=UTC)),
        ("2026-01-05T09:15", dt.datetime(2026, 1, 5, 0, 15, tzinfo=UTC)),
        ("2026-01-05", dt.datetime(2026, 1, 4, 15, 0, tzinfo=UTC)),
        ("20260105", dt.datetime(2026, 1, 4, 15, 0, tzinfo=UTC)),
        ("２０２６０１０６１４３０００", dt.datetime(2026, 1, 6, 5, 30, tzinfo=UTC)),
        ("--", None),
        ("", None),
        ("  ", None),
        (None, None),
        ("0000-00-00 00:00:00", None),
    ],
)
def test_both_date_formats_parse_as_japan_time_and_dashes_mean_none(
    value: str | None, expected: dt.datetime | None
) -> None:
    assert parse_time(value) == expected


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01 00:00:00", "202601", 20260105, "1/5"])
def test_an_unknown_date_shape_is_an_error_for_the_order_date(value: object) -> None:
    with pytest.raises(ValueError):
        parse_time(value)
    with pytest.raises(MalformedOrder) as info:
        parse_order(sample_order(orderDate=value), _contacts)
    assert info.value.reason == "bad orderDate"


def test_an_unparseable_delivery_date_is_ignored_not_fatal() -> None:
    delivery = {**sample_order()["deliveryInfos"][0], "deliveryDate": "出荷済"}
    order = parse_order(sample_order(deliveryInfos=[delivery]), _contacts)
    assert order.updated_at == order.ordered_at


@pytest.mark.parametrize(
    ("payment", "letters", "status"),
    [
        ("0004", ["N"], "paid"),
        ("0000", ["N"], "paid"),
        ("0005", ["N"], "pending"),
        (None, [], "pending"),
        ("0003", ["C"], "cancelled"),
        ("0003", ["N"], "cancelled"),
        ("0004", ["C", "C"], "cancelled"),
        ("0004", ["Y"], "shipped"),
        ("0004", ["Y", "C"], "shipped"),
        ("0004", ["Y", "N"], "paid"),
        ("0004", ["R"], "returned"),
        ("0004", ["Y", "R"], "returned"),
        ("0004", ["?"], "paid"),
    ],
)
def test_status_from_payment_code_and_delivery_letters(
    payment: str | None, letters: list[str], status: str
) -> None:
    assert order_status(payment, letters, frozenset({"0000", "0004"})) == status


def test_which_payment_codes_mean_paid_is_a_setting() -> None:
    order = parse_order(sample_order(paymentStatusCode="0009", deliveryInfos=[]), _contacts)
    assert order.status == "pending"
    custom = parse_order(
        sample_order(paymentStatusCode="0009", deliveryInfos=[]),
        _contacts,
        paid_codes=frozenset({"0009"}),
    )
    assert custom.status == "paid"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"systemOrderNumber": None}, "missing systemOrderNumber"),
        ({"systemOrderNumber": 12}, "missing systemOrderNumber"),
        ({"orderDate": None}, "missing orderDate"),
        ({"orderDate": "--"}, "missing orderDate"),
        ({"sumPrice": "12.5"}, "bad sumPrice"),
        ({"sumPrice": True}, "bad sumPrice"),
        ({"discountPerTax": [{"taxRate": 10, "discount": "x"}]}, "bad discountPerTax.discount"),
    ],
)
def test_malformed_orders_are_rejected_with_a_field_name_reason(
    change: dict[str, Any], reason: str
) -> None:
    with pytest.raises(MalformedOrder) as info:
        parse_order(sample_order(**change), _contacts)
    assert info.value.reason == reason


def test_money_arrives_as_whole_numbers_in_any_json_spelling() -> None:
    order = parse_order(
        sample_order(sumPrice="5280", discountPerTax=[{"discount": 300.0}]), _contacts
    )
    assert (order.grand_total, order.discounts) == (5280, 300)


def test_nulls_and_missing_lists_are_tolerated() -> None:
    bare = {"systemOrderNumber": "P1", "orderDate": "2026-01-05 09:15:42"}
    order = parse_order(bare, _contacts)
    assert order.lines == () and order.grand_total == 0 and order.status == "pending"
    assert order.buyer.member_id is None and not order.is_gift


def test_several_destinations_make_a_multi_destination_order_with_every_line() -> None:
    delivery = sample_order()["deliveryInfos"][0]
    order = parse_order(
        sample_order(deliveryInfos=[delivery, {**delivery, "deliveryId": "2"}]), _contacts
    )
    assert order.multi_destination and len(order.lines) == 2 and order.shipping == 1760


def test_a_recipient_with_the_orderers_name_in_other_widths_is_not_a_gift() -> None:
    delivery = {**sample_order()["deliveryInfos"][0], "receiverName": "試験　花子"}
    assert not parse_order(sample_order(deliveryInfos=[delivery]), _contacts).is_gift


@pytest.mark.parametrize(
    ("member_id", "guest"),
    [("260105000007", False), ("member.name_01", False), (GUEST_ID, True), ("X000123", True),
     ("X123456Taro Yamada", True), ("山田太郎", True), ("a b", True), ("", True)],
)  # fmt: skip
def test_guest_ids_are_recognised(member_id: str, guest: bool) -> None:
    assert is_guest_id(member_id) is guest


def test_a_member_record_gives_email_phone_and_prefecture_and_hides_them_in_repr() -> None:
    parsed = parse_member({**MEMBER, "tel": "", "etcphone": "090-0000-0002"})
    assert parsed is not None
    member_id, contact = parsed
    assert member_id == "260105000007" and contact.prefecture == 15  # MakeShop 16 新潟県
    assert (contact.email, contact.phone) == ("hanako@example.jp", "090-0000-0002")
    assert "hanako" not in repr(contact) and "090" not in repr(contact)
    assert parse_member({**MEMBER, "memberId": GUEST_ID}) is None
    assert parse_member("junk") is None


# --- prefectures -----------------------------------------------------------------------------


def test_every_makeshop_prefecture_code_maps_to_jis_or_none() -> None:
    assert sorted(MAKESHOP_CODES) == list(range(1, 51))
    for code in range(1, 13):
        assert jis_code(code) == code
    assert jis_code(13) == jis_code(14) == 13
    for code in range(15, 49):
        assert jis_code(code) == code - 1
        assert makeshop_label(code) == PREFECTURES[code - 2]
    assert jis_code(49) is None and jis_code(50) is None
    assert sorted(c for c in MAKESHOP_CODES.values() if c) == sorted([*range(1, 48), 13])
    assert [makeshop_label(c) for c in (1, 13, 14, 15, 48, 49, 50)] == [
        "北海道", "東京(23区内)", "東京(23区外)", "神奈川県", "沖縄県", "離島部", "海外"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "code"),
    [("14", 13), (" 48 ", 47), (16, 15), ("0", None), ("51", None), (0, None), (True, None),
     ("１３", None), ("abc", None), (None, None), (13.0, None)],
)  # fmt: skip
def test_codes_arrive_as_text_or_numbers(value: object, code: int | None) -> None:
    assert jis_code(value) == code


@pytest.mark.parametrize(
    ("name", "code"),
    [("東京都", 13), ("東京(23区内)", 13), ("東京(23区外)", 13), ("東京（23区外）", 13),
     ("神奈川県", 14), ("沖縄", 47), ("離島部", None), ("海外", None), ("", None), (None, None)],
)  # fmt: skip
def test_prefecture_names_and_area_labels_map_to_jis(name: str | None, code: int | None) -> None:
    assert jis_code_for_name(name) == code


# --- credential, settings, spec -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(CREDENTIAL),
        f"  {json.dumps(CREDENTIAL, indent=2)}\n",
        f"{TOKEN}\n{API_KEY}\n",
        f"\n  Bearer {TOKEN}  \n\n{API_KEY}",
        json.dumps({"token": f"Bearer {TOKEN}", "api_key": API_KEY, "app_id": 1}),
    ],
    ids=["json", "json-indented", "two-lines", "bearer-line", "bearer-json"],
)
def test_the_credential_is_json_or_two_lines(text: str) -> None:
    assert parse_credential(text) == CREDENTIAL


@pytest.mark.parametrize(
    "text",
    ["", TOKEN, f"{TOKEN}\n{API_KEY}\nextra", '{"token": "x"}', "{not json",
     f"{TOKEN} x\n{API_KEY}", json.dumps({"token": TOKEN, "api_key": ""}), "[1, 2]"],
)  # fmt: skip
def test_a_bad_credential_is_refused_without_echoing_it(text: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_credential(text)
    assert TOKEN not in str(info.value) and API_KEY not in str(info.value)
    assert "MakeShop" in str(info.value)


def test_spec_is_registered_with_makeshop_defaults() -> None:
    spec = get_platform("makeshop")
    assert spec is SPEC and spec.label == "MakeShop"
    assert spec.default_base_url == "https://app-api.makeshop.jp/v1/graphql"
    assert spec.default_lookback == dt.timedelta(days=30)
    assert spec.default_rate_per_s == 0.98
    assert "JSON" in spec.credential_help and "two lines" in spec.credential_help


def test_spec_builds_a_connector_just_under_one_request_per_second_by_default() -> None:
    with make_client(ENDPOINT) as client:
        connector = SPEC.build(client, CREDENTIAL, {"shop": "myshop"})
        assert isinstance(connector, MakeShopConnector) and connector.shop == "myshop"
        assert (connector._budget.rate_per_s, connector._budget.burst) == (0.98, 1.0)
        faster = SPEC.build(client, CREDENTIAL, {"shop": "s", "rate": 50, "page_size": 100})
        assert isinstance(faster, MakeShopConnector)
        assert faster._budget.rate_per_s == 50 and faster.page_size == 100
        assert TOKEN not in repr(connector) and API_KEY not in repr(connector._headers)


@pytest.mark.parametrize(
    "settings",
    [{}, {"shop": "s", "rate": 0}, {"shop": "s", "page_size": 201}, {"shop": "s", "page_size": 0},
     {"shop": "s", "page_size": "200"}, {"shop": "s", "member_lookup": "no"},
     {"shop": "s", "paid_codes": "0004"}, {"shop": "s", "variation_names": 1}],
)  # fmt: skip
def test_bad_settings_are_config_errors(settings: dict[str, Any]) -> None:
    with make_client(ENDPOINT) as client, pytest.raises(ConfigError):
        SPEC.build(client, CREDENTIAL, settings)


@pytest.mark.parametrize("credential", [{}, {"token": TOKEN}, {"api_key": API_KEY}])
def test_a_missing_token_or_key_is_a_missing_secret_with_the_next_step(
    credential: dict[str, str],
) -> None:
    with make_client(ENDPOINT) as client, pytest.raises(SecretMissing) as info:
        SPEC.build(client, credential, {"shop": "myshop"})
    assert "--credential-stdin" in str(info.value)


# --- against the MakeShop fake -----------------------------------------------------------------

END = dt.datetime(2026, 6, 1, 3, 0, tzinfo=UTC)
ALL = Window(dt.datetime(2020, 1, 1, tzinfo=UTC), END)


def _fake(orders: int = 450, seed: int = 4, **kw: Any) -> FakePlatform:
    return make_fake("makeshop", orders=orders, seed=seed, end=END, **kw)


def _app(fake: FakePlatform) -> FakeMakeShop:
    assert isinstance(fake.app, FakeMakeShop)
    return fake.app


def _connector(client: httpx.Client, fake: FakePlatform, **settings: Any) -> MakeShopConnector:
    return MakeShopConnector(
        client,
        parse_credential(fake.credential),
        MakeShopSettings.from_mapping({"shop": "s", "rate": 1000, "burst": 1000, **settings}),
        policy=RetryPolicy(max_attempts=6, floor=0.001, cap=0.01),
    )


def _read_all(connector: MakeShopConnector, window: Window = ALL) -> list[Any]:
    orders, offset = [], 0
    while True:
        page = connector.fetch_page(window, offset)
        orders += page.orders
        if not page.has_more:
            return orders
        offset = page.offset + page.consumed


@pytest.fixture
def wsgi_client() -> Iterator[Callable[[FakePlatform], httpx.Client]]:
    clients: list[httpx.Client] = []

    def make(fake: FakePlatform) -> httpx.Client:
        client = make_client(
            "http://makeshop.test", transport=httpx.WSGITransport(app=validator(fake.app))
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def test_reads_every_order_of_the_fake_in_process(
    wsgi_client: Callable[[FakePlatform], httpx.Client],
) -> None:
    fake = _fake()
    connector = _connector(wsgi_client(fake), fake)
    orders = _read_all(connector)
    assert {o.platform_order_id for o in orders} == fake.order_ids()
    assert len(orders) == fake.orders
    assert [o.ordered_at for o in orders] == sorted(o.ordered_at for o in orders)  # ASC
    assert _app(fake).operation_log.count("searchOrder") == 3  # 450 orders at 200 a page
    members = [o for o in orders if o.buyer.is_member]
    assert members and sum(1 for o in members if o.buyer.email) > 0.9 * len(members)


def test_reads_every_order_of_the_fake_over_a_real_loopback_server() -> None:
    fake = _fake(orders=260)
    with serve_in_thread(fake.app) as base_url, make_client(base_url) as client:
        orders = _read_all(_connector(client, fake))
    assert {o.platform_order_id for o in orders} == fake.order_ids()
    assert {e.path for e in fake.request_log.entries()} == {"/v1/graphql"}


def test_split_windows_partition_the_fakes_orders_by_order_time(
    wsgi_client: Callable[[FakePlatform], httpx.Client],
) -> None:
    fake = _fake(orders=300)
    connector = _connector(wsgi_client(fake), fake)
    parts = ALL.split(7)
    ids = [o.platform_order_id for part in parts for o in _read_all(connector, part)]
    assert len(ids) == len(set(ids)) == 300


def test_a_fake_that_caps_pages_lower_is_still_read_completely(
    wsgi_client: Callable[[FakePlatform], httpx.Client],
) -> None:
    fake = _fake(orders=330)
    _app(fake).page_cap = 70
    orders = _read_all(_connector(wsgi_client(fake), fake))
    assert {o.platform_order_id for o in orders} == fake.order_ids()


def test_the_fakes_faults_are_retried_through(
    wsgi_client: Callable[[FakePlatform], httpx.Client],
) -> None:
    fake = _fake(orders=400, faults="429=0.15,5xx=0.15,truncate=0.1,reset=0.1")
    connector = _connector(wsgi_client(fake), fake)
    orders = _read_all(connector)
    assert {o.platform_order_id for o in orders} == fake.order_ids()
    assert connector.stats.retries > 0
    assert any(e.fault for e in fake.request_log.entries())


def test_a_graphql_error_with_http_200_from_the_fake_is_retried(
    wsgi_client: Callable[[FakePlatform], httpx.Client],
) -> None:
    fake = _fake(orders=30)
    _app(fake).inject_errors(2, "INTERNAL_SERVER_ERROR", status=200)
    connector = _connector(wsgi_client(fake), fake)
    assert len(_read_all(connector)) == 30 and connector.stats.retries == 2


def test_a_revoked_token_at_the_fake_is_an_auth_error(
    wsgi_client: Callable[[FakePlatform], httpx.Client],
) -> None:
    fake = _fake(orders=20)
    _app(fake).revoke()
    connector = _connector(wsgi_client(fake), fake)
    with pytest.raises(AuthError):
        connector.fetch_page(ALL, 0)
    assert connector.stats.requests == 1


def test_an_unapproved_member_permission_at_the_fake_is_permission_denied(
    wsgi_client: Callable[[FakePlatform], httpx.Client],
) -> None:
    fake = _fake(orders=20)
    _app(fake).operations = frozenset({"searchOrder"})
    with pytest.raises(PermissionDenied) as info:
        _connector(wsgi_client(fake), fake).fetch_page(ALL, 0)
    assert "searchMember" in str(info.value)
    assert len(_read_all(_connector(wsgi_client(fake), fake, member_lookup=False))) == 20


def test_a_fake_repeating_pages_is_caught_by_the_connector(
    wsgi_client: Callable[[FakePlatform], httpx.Client],
) -> None:
    fake = _fake(orders=450)
    _app(fake).repeat_pages = True
    with pytest.raises(PlatformUnavailable):
        _read_all(_connector(wsgi_client(fake), fake))


def test_no_personal_value_of_the_fake_reaches_a_raw_order_but_the_contact_basis(
    wsgi_client: Callable[[FakePlatform], httpx.Client],
) -> None:
    fake = _fake(orders=200, canary=True)
    orders = _read_all(_connector(wsgi_client(fake), fake))
    served = _app(fake).personal_values()
    for order in orders:
        buyer = order.buyer
        allowed = {buyer.email, buyer.phone, buyer.member_id}
        rest = repr(order)
        for value in allowed - {None}:
            assert isinstance(value, str)
            rest = rest.replace(value, "")
        assert "knry" not in rest.lower(), order.platform_order_id
        leaked = {v for v in served if len(v) >= 6 and v in rest}
        assert leaked == set(), order.platform_order_id


def test_at_the_default_budget_requests_are_at_least_a_second_apart() -> None:
    fake = _fake(orders=260)  # two order pages and one member page: three requests
    # In-process, so arrival times are send times (a first loopback connection alone
    # can delay one arrival by several milliseconds and squeeze the gap after it).
    transport = httpx.WSGITransport(app=fake.app)
    with make_client("http://makeshop.test", transport=transport) as client:
        connector = SPEC.build(client, parse_credential(fake.credential), {"shop": "s"})
        assert isinstance(connector, MakeShopConnector)
        orders = _read_all(connector)
    assert len(orders) == 260
    arrivals = [e.at for e in fake.request_log.entries()]
    assert len(arrivals) == 3
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    # The default budget spaces sends by 1/0.98 s, so arrivals stay a full second apart.
    assert min(gaps) >= 1.0, gaps
    assert fake.request_log.max_in_window(1.0) == 1


# --- end to end through the real store -----------------------------------------------------------


def _dump(store: Store) -> str:
    """Every value of every table, decrypted through the store's own key."""
    parts: list[str] = []
    with store.connect() as conn:
        tables = [
            r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))
        ]
        for table in tables:
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                parts.extend(str(value) for value in row)
    return "\n".join(parts)


def _leaks(blobs: dict[str, bytes], values: set[str]) -> list[str]:
    """Which blobs hold the canary marker or a served personal value as a whole token
    (a 7-digit postal code inside a hex pseudonym is a coincidence, not a leak)."""
    encoded = [v.encode() for v in values if len(v) >= 6]
    found = []
    for name, blob in blobs.items():
        if b"knry" in blob.lower():
            found.append(f"{name}: canary marker")
        for value in encoded:
            if value in blob:  # fast check first; the token check only on a hit
                pattern = rb"(?<![0-9A-Za-z])" + re.escape(value) + rb"(?![0-9A-Za-z])"
                if re.search(pattern, blob):
                    found.append(f"{name}: {value.decode()}")
    return found


def test_the_leak_sweep_finds_a_planted_guest_id() -> None:
    fake = make_fake("makeshop", orders=40, seed=21, canary=True)
    served = _app(fake).personal_values()
    guest = next(v for v in served if v.startswith("X") and "KNRY" in v)
    blob = f"order,{guest},p1_abc".encode()
    found = _leaks({"planted": blob}, served)
    assert "planted: canary marker" in found and f"planted: {guest}" in found
    without_marker = guest[: guest.index(" KNRY")]  # the id as a non-canary fake serves it
    assert _leaks({"planted": without_marker.encode()}, {without_marker}) != []


def _sync(store: Store, fakes: dict[str, FakePlatform]) -> dict[str, Any]:
    results = sync_shops(store, transport_for=lambda name: httpx.WSGITransport(app=fakes[name].app))
    assert all(r.ok for r in results), [(r.shop, r.stats.error) for r in results]
    return {r.shop: r for r in results}


def _add(store: Store, name: str, fake: FakePlatform) -> None:
    store.add_shop(name, fake.platform, {"base_url": f"http://{name}.test", "rate": 1000})
    store.set_credential(name, get_platform(fake.platform).parse_credential(fake.credential))


def test_a_sync_through_the_store_stores_every_order_once_and_no_personal_value(
    home: Path,
) -> None:
    fake = make_fake("makeshop", orders=500, seed=21, canary=True)
    with Store.create(home) as store:
        _add(store, "ms", fake)
        first = _sync(store, {"ms": fake})["ms"]
        shop_id = store.get_shop("ms").id
        keys = store.order_keys(shop_id)
        assert store.count_orders() == fake.orders == first.stats.orders_written == 500
        second = _sync(store, {"ms": fake})["ms"]
        assert store.count_orders() == 500 and store.order_keys(shop_id) == keys
        assert 0 < second.stats.orders_written < 500  # only the 30-day lookback is re-read
        dump = _dump(store)
    served = _app(fake).personal_values()
    assert any(v.startswith("X") and not v.isascii() for v in served)  # guest ids are planted
    files = {str(p): p.read_bytes() for p in sorted(home.rglob("*")) if p.is_file()}
    assert _leaks({"decrypted store": dump.encode(), **files}, served) == []


def test_a_sync_over_loopback_uses_the_host_only_url_that_fake_serve_prints(home: Path) -> None:
    fake = make_fake("makeshop", orders=120, seed=22)
    with serve_in_thread(fake.app) as base_url, Store.create(home) as store:
        store.add_shop("ms", "makeshop", {"base_url": base_url, "rate": 1000})
        store.set_credential("ms", parse_credential(fake.credential))
        (result,) = sync_shops(store)
        assert result.ok, result.stats.error
        assert store.count_orders() == 120


def test_a_buyer_of_both_a_colorme_and_a_makeshop_shop_has_one_pseudonym(home: Path) -> None:
    pool = PersonPool(31, 300)
    # Ended a minute ago, so no order changes in the second the sync starts in.
    end = dt.datetime.now(UTC).replace(microsecond=0) - dt.timedelta(minutes=1)
    fakes = {
        "cm": make_fake("colorme", orders=400, seed=31, end=end, persons=pool),
        "ms": make_fake("makeshop", orders=400, seed=31, end=end, persons=pool),
    }
    both = fakes["cm"].dataset.buyers() & fakes["ms"].dataset.buyers()
    # A MakeShop member whose record is still there (withdrawn members have no e-mail).
    shared = [pool[k] for k in sorted(both) if pool[k].is_member and k % 53 != 7]
    assert shared
    with Store.create(home) as store:
        for name, fake in fakes.items():
            _add(store, name, fake)
        _sync(store, fakes)
        version, key = store.pseudonym_key()
        keys = Pseudonymiser(key=key, version=version)
        with store.connect() as conn:
            rows = conn.execute(
                text("SELECT s.name, o.buyer FROM orders o JOIN shops s ON s.id = o.shop_id")
            ).all()
    shops_by_buyer: dict[str, set[str]] = {}
    for shop, buyer in rows:
        shops_by_buyer.setdefault(buyer, set()).add(shop)
    for person in shared:
        assert person.email is not None
        pseudonym = keys.email(person.email)
        assert pseudonym is not None and shops_by_buyer.get(pseudonym) == {"cm", "ms"}
    linked = sum(1 for s in shops_by_buyer.values() if len(s) == 2)
    assert linked >= len(shared)


# --- the commands a user runs -----------------------------------------------------------------


@pytest.mark.slow
def test_fake_serve_prints_a_credential_that_shop_add_takes_and_sync_stores_every_order(
    home: Path,
) -> None:
    kamei = str(Path(sys.executable).with_name("kamei"))
    serve = [kamei, "fake", "serve", "--platform", "makeshop", "--orders", "400", "--seed", "3"]
    server = subprocess.Popen(serve, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        line = json.loads(server.stdout.readline())
        assert line["platform"] == "makeshop" and line["orders"] == 400
        assert set(json.loads(line["credential"])) == {"token", "api_key"}

        def run(*args: str, input: str | None = None) -> subprocess.CompletedProcess[str]:
            done = subprocess.run(
                [kamei, *args], input=input, capture_output=True, text=True, timeout=120
            )
            assert done.returncode == 0, (args, done.stdout, done.stderr)
            return done

        run("init")
        added = run(
            "shop", "add", "ms", "--platform", "makeshop", "--base-url", line["base_url"],
            "--credential-stdin", "--rate", "50", input=line["credential"],
        )  # fmt: skip
        assert "added shop 'ms' (MakeShop)" in added.stdout
        run("sync")
        (shop,) = json.loads(run("status", "--json").stdout)["shops"]
        assert shop["orders"] == 400 and shop["last_outcome"] == "ok"
    finally:
        server.terminate()
        server.wait(timeout=10)
        for stream in (server.stdout, server.stderr):
            if stream is not None:
                stream.close()
    for path in home.rglob("*"):
        if path.is_file():
            assert json.loads(line["credential"])["token"].encode() not in path.read_bytes()

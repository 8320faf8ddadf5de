"""The fake MakeShop GraphQL API follows shared/platforms/makeshop/notes.md."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
import time
from collections.abc import Iterator
from typing import Any
from wsgiref.validate import validator

import httpx
import pytest

from connectors.fakes import FakePlatform, Faults, PersonPool, fake_platforms, make_fake
from connectors.fakes.makeshop import FakeMakeShop
from connectors.makeshop import MEMBER_QUERY, ORDER_QUERY

JST = dt.timezone(dt.timedelta(hours=9))
END = dt.datetime(2026, 6, 1, 3, 0, tzinfo=dt.UTC)
NOW = END.timestamp() + 3600
URL = "https://app-api.makeshop.jp/v1/graphql"

# The request of notes §4.1, as an integrator's client sends it.
NOTES_QUERY = (
    "query searchOrder($input: SearchOrderRequest!) { searchOrder(input: $input) { "
    "searchedCount page orders { systemOrderNumber displayOrderNumber orderDate memberId "
    "sumPrice paymentStatusCode payMethod message senderName senderPrefecture deliveryInfos { "
    "deliveryId deliveryStatus receiverName receiverPost receiverPrefecture receiverAddress "
    "receiverAddress2 receiverTel desiredDeliveryDate desiredDeliveryTimezone shippingCharge "
    "deliverySumPrice slipNumber deliveryDate basketInfos { productCode productCustomCode "
    "variationCustomCode productName variationName amount price janCode } } } } }"
)
SHORT = "query q($input: SearchOrderRequest!) { searchOrder(input: $input) { searchedCount page limit orders { systemOrderNumber orderDate } } }"  # noqa: E501


def _fake(orders: int = 300, seed: int = 7, faults: str = "", **kw: Any) -> FakePlatform:
    return make_fake("makeshop", orders=orders, seed=seed, end=END, faults=faults,
                     clock=lambda: NOW, **kw)  # fmt: skip


def _app(fake: FakePlatform) -> FakeMakeShop:
    assert isinstance(fake.app, FakeMakeShop)
    return fake.app


def _headers(fake: FakePlatform, **override: str | None) -> dict[str, str]:
    app = _app(fake)
    headers: dict[str, str | None] = {
        "authorization": f"Bearer {app.token}",
        "x-api-key": app.api_key,
        "x-timestamp": str(int(NOW)),
        **override,
    }
    return {k: v for k, v in headers.items() if v is not None}


def _client(fake: FakePlatform, **override: str | None) -> httpx.Client:
    return httpx.Client(
        transport=httpx.WSGITransport(app=validator(fake.app)), headers=_headers(fake, **override)
    )


@pytest.fixture(scope="module")
def fake() -> FakePlatform:
    return _fake()


@pytest.fixture
def api(fake: FakePlatform) -> Iterator[httpx.Client]:
    with _client(fake) as client:
        yield client


def _post(api: httpx.Client, query: str, variables: Any = None, **body: Any) -> httpx.Response:
    return api.post(URL, json={"query": query, "variables": variables, **body})


def _orders(api: httpx.Client, query: str = SHORT, **input: Any) -> dict[str, Any]:
    response = _post(api, query, {"input": input})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["data"]["searchOrder"]
    return result


def _jst(text: str) -> float:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=JST).timestamp()


# --- real GraphQL documents ------------------------------------------------------------------


def test_the_notes_request_is_answered_with_exactly_the_selected_fields(
    api: httpx.Client,
) -> None:
    result = _orders(api, NOTES_QUERY, sortOrder="ASC", page=1, limit=5)
    assert set(result) == {"searchedCount", "page", "orders"}
    order = result["orders"][0]
    assert list(order) == [
        "systemOrderNumber", "displayOrderNumber", "orderDate", "memberId", "sumPrice",
        "paymentStatusCode", "payMethod", "message", "senderName", "senderPrefecture",
        "deliveryInfos",
    ]  # fmt: skip
    assert "discountPerTax" not in order and "basketInfos" in order["deliveryInfos"][0]
    assert set(order["deliveryInfos"][0]["basketInfos"][0]) == {
        "productCode", "productCustomCode", "variationCustomCode", "productName",
        "variationName", "amount", "price", "janCode",
    }  # fmt: skip


def test_kameis_own_queries_are_valid_documents(api: httpx.Client) -> None:
    orders = _post(api, ORDER_QUERY, {"input": {"sortOrder": "ASC", "page": 1, "limit": 3}})
    members = _post(api, MEMBER_QUERY, {"input": {"page": 1, "limit": 3}})
    assert orders.status_code == members.status_code == 200
    assert "errors" not in orders.json() and "errors" not in members.json()
    assert len(members.json()["data"]["searchMember"]["members"]) == 3


def test_fragments_aliases_inline_values_and_a_chosen_operation_all_work(
    api: httpx.Client,
) -> None:
    document = """
    fragment Line on BasketInfo { code: productCustomCode amount }
    query other { getShop { shop { shopName } } }
    query pick { first: searchOrder(input: {sortOrder: ASC, limit: 2}) {
        searchedCount orders { id: systemOrderNumber __typename
            deliveryInfos { basketInfos { ...Line } } } } }
    """
    response = _post(api, document, None, operationName="pick")
    assert response.status_code == 200
    first = response.json()["data"]["first"]
    assert first["searchedCount"] == 300 and len(first["orders"]) == 2
    assert first["orders"][0]["__typename"] == "SearchedOrder"
    assert set(first["orders"][0]["deliveryInfos"][0]["basketInfos"][0]) == {"code", "amount"}
    shop = _post(api, document, None, operationName="other").json()["data"]["getShop"]
    assert shop == {"shop": {"shopName": "見本ショップ"}}


@pytest.mark.parametrize(
    ("query", "variables", "word"),
    [
        ("query { searchOrder(input: {}) { orders { buyerEmail } } }", None, "buyerEmail"),
        ("query { searchOrder(input: {}) { updatedDate } }", None, "updatedDate"),
        ("query { searchOrder { searchedCount } }", None, "input"),
        ("query { searchOrders(input: {}) { searchedCount } }", None, "searchOrders"),
        ("query { searchOrder(input: {sortOrder: UP}) { searchedCount } }", None, "UP"),
        (SHORT, {"input": {"updatedAfter": "20260101000000"}}, "updatedAfter"),
        (SHORT, {"input": {"page": "one"}}, "page"),
        (SHORT, None, "input"),
        ("query { searchOrder(input: {}) { searchedCount ", None, "Syntax Error"),
    ],
    ids=["unknown-field", "unknown-top", "missing-arg", "unknown-op", "bad-enum",
         "unknown-input", "bad-type", "no-variables", "syntax"],
)  # fmt: skip
def test_what_the_schema_does_not_know_is_http_422_with_top_level_errors(
    api: httpx.Client, query: str, variables: Any, word: str
) -> None:
    response = _post(api, query, variables)
    assert response.status_code == 422
    body = response.json()
    assert body.get("data") is None and body["errors"]
    assert any(word in error["message"] for error in body["errors"])
    assert all(error["extensions"]["code"] for error in body["errors"])


@pytest.mark.parametrize(
    "query",
    [
        "query { __schema { types { name } } }",
        '{ __type(name: "SearchedOrder") { fields { name } } }',
        "query { searchOrder(input: {}) { searchedCount } __schema { queryType { name } } }",
    ],
)
def test_introspection_is_forbidden(api: httpx.Client, query: str) -> None:
    response = _post(api, query)
    body = response.json()
    assert response.status_code == 200 and body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_an_operation_the_app_is_not_approved_for_is_forbidden_the_rest_answers() -> None:
    fake = _fake(orders=20)
    _app(fake).operations = frozenset({"searchOrder"})
    query = (
        "query { searchOrder(input: {}) { searchedCount } "
        "searchMember(input: {}) { searchedCount } }"
    )
    with _client(fake) as api:
        response = _post(api, query)
    body = response.json()
    assert response.status_code == 200
    assert body["data"] == {"searchOrder": {"searchedCount": 20}, "searchMember": None}
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "FORBIDDEN" and error["path"] == ["searchMember"]


def test_the_request_body_must_be_graphql_json(api: httpx.Client) -> None:
    assert api.post(URL, content=b"{nope").status_code == 400
    assert api.post(URL, json={"variables": {}}).status_code == 400
    assert api.post(URL, json=[1]).status_code == 400
    big = api.post(URL, content=b" " * (5 * 1024 * 1024 + 1))
    assert big.status_code == 413


def test_only_post_to_the_graphql_path_is_served(api: httpx.Client) -> None:
    assert api.get(URL).status_code == 405
    assert api.post("https://app-api.makeshop.jp/v1/rest", json={}).status_code == 404
    assert api.post("https://app-api.makeshop.jp/", json={}).status_code == 404


# --- headers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "word"),
    [
        ({"authorization": None}, "token"),
        ({"authorization": "Bearer PAT." + "0" * 64}, "token"),
        ({"authorization": "Basic abc"}, "token"),
        ({"x-api-key": None}, "x-api-key"),
        ({"x-api-key": "f" * 64}, "x-api-key"),
        ({"x-timestamp": None}, "x-timestamp"),
        ({"x-timestamp": str(int(NOW) - 3601)}, "x-timestamp"),
        ({"x-timestamp": str(int(NOW) + 3601)}, "x-timestamp"),
        ({"x-timestamp": f"{NOW * 1000:.0f}"}, "x-timestamp"),
        ({"x-timestamp": "soon"}, "x-timestamp"),
    ],
    ids=["no-token", "wrong-token", "not-bearer", "no-key", "wrong-key", "no-timestamp",
         "stale", "future", "milliseconds", "not-a-number"],
)  # fmt: skip
def test_the_three_headers_are_enforced(
    fake: FakePlatform, override: dict[str, str | None], word: str
) -> None:
    with _client(fake, **override) as api:
        response = _post(api, SHORT, {"input": {}})
    assert response.status_code == 401
    (error,) = response.json()["errors"]
    assert word in error["message"] and error["extensions"]["code"] == "UNAUTHORIZED"


@pytest.mark.parametrize("offset", [-3600, 0, 3600])
def test_a_timestamp_within_one_hour_either_way_is_accepted(
    fake: FakePlatform, offset: int
) -> None:
    with _client(fake, **{"x-timestamp": str(int(NOW) + offset)}) as api:
        assert _post(api, SHORT, {"input": {}}).status_code == 200


def test_header_names_are_case_insensitive(fake: FakePlatform) -> None:
    app = _app(fake)
    headers = {"X-API-Key": app.api_key, "X-Timestamp": str(int(NOW)),
               "Authorization": f"Bearer {app.token}"}  # fmt: skip
    with httpx.Client(transport=httpx.WSGITransport(app=fake.app), headers=headers) as api:
        assert _post(api, SHORT, {"input": {}}).status_code == 200


def test_a_revoked_token_and_a_configurable_auth_status() -> None:
    fake = _fake(orders=5)
    _app(fake).revoke()
    with _client(fake) as api:
        assert _post(api, SHORT, {"input": {}}).status_code == 401
    other = _fake(orders=5)
    _app(other).auth_status = 403
    with _client(other, **{"x-api-key": "wrong"}) as api:
        assert _post(api, SHORT, {"input": {}}).status_code == 403


# --- paging and filters ---------------------------------------------------------------------------


def test_limit_is_capped_at_200_and_searched_count_is_not(api: httpx.Client) -> None:
    result = _orders(api, limit=1000, sortOrder="ASC")
    assert (result["searchedCount"], result["limit"], len(result["orders"])) == (300, 200, 200)
    rest = _orders(api, limit=1000, page=2, sortOrder="ASC")
    assert (rest["page"], len(rest["orders"])) == (2, 100)
    beyond = _orders(api, limit=200, page=3)
    assert beyond["orders"] == [] and beyond["searchedCount"] == 300


def test_a_lower_page_cap_can_be_configured() -> None:
    fake = _fake(orders=50)
    _app(fake).page_cap = 20
    with _client(fake) as api:
        assert len(_orders(api, limit=200)["orders"]) == 20


def test_without_limit_a_page_holds_100_and_bad_paging_is_422(api: httpx.Client) -> None:
    assert len(_orders(api)["orders"]) == 100
    for bad in ({"page": 0}, {"limit": 0}, {"limit": -5}):
        assert _post(api, SHORT, {"input": bad}).status_code == 422


def test_asc_is_oldest_first_and_the_default_is_newest_first(
    api: httpx.Client, fake: FakePlatform
) -> None:
    asc = [o["orderDate"] for o in _orders(api, sortOrder="ASC", limit=200)["orders"]]
    default = [o["orderDate"] for o in _orders(api, limit=200)["orders"]]
    assert asc == sorted(asc) and default == sorted(default, reverse=True)
    ids = [o["systemOrderNumber"] for o in _orders(api, sortOrder="ASC", limit=3)["orders"]]
    assert ids == [f"P{i}" for i in range(100000000000000001, 100000000000000004)]


def test_order_date_bounds_are_inclusive_14_digit_japan_time(
    api: httpx.Client, fake: FakePlatform
) -> None:
    made = sorted(o.make_time for o in fake.dataset.orders)
    low, high = made[40], made[120]
    stamp = lambda s: dt.datetime.fromtimestamp(s, JST).strftime("%Y%m%d%H%M%S")  # noqa: E731
    result = _orders(api, startOrderDate=stamp(low), endOrderDate=stamp(high), limit=200)
    times = [_jst(o["orderDate"]) for o in result["orders"]]
    expected = [t for t in made if low <= t <= high]
    assert result["searchedCount"] == len(expected) and sorted(times) == expected


@pytest.mark.parametrize("bad", ["2026-01-01", "202601010000", "20261301000000", 20260101000000])
def test_a_date_that_is_not_14_digits_is_422_naming_the_input_path(
    api: httpx.Client, bad: object
) -> None:
    response = _post(api, SHORT, {"input": {"startOrderDate": bad}})
    assert response.status_code == 422
    assert "startOrderDate" in response.json()["errors"][0]["message"]


def test_delivery_status_filters_by_letter(api: httpx.Client, fake: FakePlatform) -> None:
    query = "query($input: SearchOrderRequest!) { searchOrder(input: $input) { searchedCount orders { deliveryInfos { deliveryStatus } } } }"  # noqa: E501
    counts = {}
    for letter in "NYCR":
        response = _post(api, query, {"input": {"deliveryStatus": letter, "limit": 200}})
        result = response.json()["data"]["searchOrder"]
        counts[letter] = result["searchedCount"]
        assert all(
            d["deliveryStatus"] == letter for o in result["orders"] for d in o["deliveryInfos"]
        )
    assert sum(counts.values()) == 300 and counts["Y"] > counts["N"] > 0
    assert _post(api, query, {"input": {"deliveryStatus": "X"}}).status_code == 422


def test_the_repeat_pages_switch_serves_the_previous_page_again() -> None:
    fake = _fake(orders=50)
    _app(fake).repeat_pages = True
    with _client(fake) as api:
        first = _orders(api, limit=20, page=1, sortOrder="ASC")["orders"]
        second = _orders(api, limit=20, page=2, sortOrder="ASC")["orders"]
    assert first == second


# --- the data as MakeShop serves it ---------------------------------------------------------------


def _all_orders(api: httpx.Client) -> list[dict[str, Any]]:
    query = NOTES_QUERY.replace("orders {", "orders { discountPerTax { taxRate discount } ")
    result = _orders(api, query, limit=200, sortOrder="ASC")
    rest = _orders(api, query, limit=200, page=2, sortOrder="ASC")
    return [*result["orders"], *rest["orders"]]


def test_orders_carry_the_documented_quirks(api: httpx.Client, fake: FakePlatform) -> None:
    orders = _all_orders(api)
    assert len(orders) == 300
    deliveries = [d for o in orders for d in o["deliveryInfos"]]
    assert all(re.fullmatch(r"P\d{18}", o["systemOrderNumber"]) for o in orders)
    assert all(o["displayOrderNumber"] == o["systemOrderNumber"] for o in orders)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", o["orderDate"]) for o in orders)
    shipped = [d for d in deliveries if d["deliveryStatus"] in "YR"]
    assert shipped and all(re.fullmatch(r"\d{14}", d["deliveryDate"]) for d in shipped)
    assert all(d["deliveryDate"] == "" for d in deliveries if d["deliveryStatus"] in "NC")
    assert "--" in {d["desiredDeliveryDate"] for d in deliveries}
    assert any(re.fullmatch(r"\d{4}/\d\d/\d\d", d["desiredDeliveryDate"]) for d in deliveries)
    assert {d["slipNumber"] for d in deliveries if d["deliveryStatus"] == "C"} == {"キャンセル"}
    assert any("||" in o["message"] for o in orders)
    members = [o for o in orders if re.fullmatch(r"\d{12}", o["memberId"])]
    guests = [o for o in orders if o["memberId"].startswith("X")]
    assert members and guests and len(members) + len(guests) == 300
    for order in guests:
        assert re.fullmatch(r"X\d{6}.+", order["memberId"])
        assert order["memberId"][7:] == order["senderName"]  # the guest id embeds the name
    codes = {o["paymentStatusCode"] for o in orders}
    assert {"0003", "0004", "0005"} <= codes
    assert all(isinstance(o["sumPrice"], int) for o in orders)
    lines = [b for d in deliveries for b in d["basketInfos"]]
    assert all(re.fullmatch(r"\d{12}", b["productCode"]) for b in lines)
    assert any(" : " in b["variationName"] for b in lines)


def test_order_money_adds_up_per_destination(api: httpx.Client) -> None:
    for order in _all_orders(api):
        for delivery in order["deliveryInfos"]:
            goods = sum(b["price"] * b["amount"] for b in delivery["basketInfos"])
            assert delivery["deliverySumPrice"] == goods + delivery["shippingCharge"]


def test_members_carry_makeshop_prefecture_codes_and_14_digit_registration(
    fake: FakePlatform,
) -> None:
    query = "query($input: SearchMemberRequest!) { searchMember(input: $input) { searchedCount limit members { memberId name email tel haddress1 haddressAddr registrationDate etc } } }"  # noqa: E501
    big = _fake(orders=3000, seed=5)
    with _client(big) as api:
        first = _post(api, query, {"input": {"page": 1, "limit": 1000}}).json()["data"][
            "searchMember"
        ]
        total, members, page = first["searchedCount"], list(first["members"]), 2
        assert first["limit"] == 200
        while len(members) < total:
            more = _post(api, query, {"input": {"page": page, "limit": 200}}).json()
            members += more["data"]["searchMember"]["members"]
            page += 1
    assert len({m["memberId"] for m in members}) == total
    codes = {int(m["haddress1"]) for m in members}
    assert {13, 14, 49} <= codes and codes <= set(range(1, 51))
    labels = {m["haddressAddr"] for m in members if m["haddress1"] in ("13", "14", "49")}
    assert {"東京(23区内)", "東京(23区外)", "離島部"} <= labels
    assert all(re.fullmatch(r"\d{14}", m["registrationDate"]) for m in members)
    withdrawn = [m for m in members if m["name"] == m["memberId"]]
    assert withdrawn and all(m["email"] == "" and m["tel"] == "" for m in withdrawn)
    assert all(len(m["etc"]) == 2 for m in members if m not in withdrawn)


def test_the_same_seed_gives_the_same_buyers_as_the_colorme_fake() -> None:
    pool = PersonPool(9, 200)
    ms = make_fake("makeshop", orders=300, seed=9, end=END, persons=pool, clock=lambda: NOW)
    cm = make_fake("colorme", orders=300, seed=9, end=END, persons=pool)
    shared = ms.dataset.buyers() & cm.dataset.buyers()
    assert len(shared) > 50
    assert ms.order_ids().isdisjoint(cm.order_ids())
    with _client(ms) as api:
        body = _post(api, MEMBER_QUERY, {"input": {"limit": 200}}).json()
    served = {m["email"] for m in body["data"]["searchMember"]["members"]}
    assert {pool[k].email for k in shared if pool[k].is_member and k % 53 != 7} <= served


def test_personal_values_cover_member_and_guest_ids(api: httpx.Client, fake: FakePlatform) -> None:
    values = _app(fake).personal_values()
    served_ids = {o["memberId"] for o in _all_orders(api)}
    assert served_ids <= values
    assert fake.dataset.personal_values() <= values


# --- faults, rate and the request log -----------------------------------------------------------


def test_the_one_request_per_second_rule_answers_429_with_retry_after() -> None:
    fake = _fake(orders=10, faults="rate=60,burst=1")
    with _client(fake) as api:
        statuses = [_post(api, SHORT, {"input": {}}) for _ in range(3)]
        time.sleep(1.05)
        later = _post(api, SHORT, {"input": {}})
    assert [r.status_code for r in statuses] == [200, 429, 429]
    assert statuses[1].headers["retry-after"] == "1"
    assert statuses[1].json()["errors"][0]["extensions"]["code"] == "TOO_MANY_REQUESTS"
    assert later.status_code == 200
    log = fake.request_log.entries()
    assert [e.fault for e in log] == [None, "rate", "rate", None]
    assert fake.request_log.max_in_window(1.0) == 3  # the log shows the burst as it came


def test_overlapping_requests_are_refused() -> None:
    fake = _fake(orders=10, faults="latency=300ms")
    statuses: list[int] = []

    def call() -> None:
        with _client(fake) as api:
            statuses.append(_post(api, SHORT, {"input": {}}).status_code)

    threads = [threading.Thread(target=call) for _ in range(2)]
    for thread in threads:
        thread.start()
        time.sleep(0.05)
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 429]
    assert [e.fault for e in fake.request_log.entries()].count("serial") == 1


def test_errors_can_be_injected_with_http_200(fake: FakePlatform) -> None:
    app = _app(fake)
    app.inject_errors(1, "INTERNAL_SERVER_ERROR")
    with _client(fake) as api:
        failed = _post(api, SHORT, {"input": {}})
        healthy = _post(api, SHORT, {"input": {}})
    assert failed.status_code == 200
    assert failed.json()["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert healthy.status_code == 200 and "errors" not in healthy.json()


def test_5xx_revoked_and_maintenance_faults() -> None:
    fake = _fake(orders=10, faults="5xx=1")
    with _client(fake) as api:
        statuses = {_post(api, SHORT, {"input": {}}).status_code for _ in range(12)}
        _app(fake).faults = Faults.parse("revoked=1")
        revoked = _post(api, SHORT, {"input": {}})
        _app(fake).faults = Faults.parse("maintenance=1")
        maintenance = _post(api, SHORT, {"input": {}})
    assert statuses <= {500, 502, 503} and len(statuses) > 1
    assert revoked.status_code == 401
    assert maintenance.status_code == 503 and "メンテナンス" in maintenance.text


def test_a_truncated_body_is_cut_json() -> None:
    fake = _fake(orders=10, faults="truncate=1")
    with _client(fake) as api:
        response = _post(api, SHORT, {"input": {}})
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)


def test_a_reset_breaks_the_body_in_process_as_a_transport_error() -> None:
    fake = _fake(orders=10, faults="reset=1")
    with _client(fake) as api, pytest.raises(httpx.TransportError):
        _post(api, SHORT, {"input": {}})
    assert fake.request_log.entries()[-1].fault == "reset"


def test_churn_adds_orders_on_each_search() -> None:
    fake = _fake(orders=40, faults="churn=2")
    with _client(fake) as api:
        first = _orders(api)["searchedCount"]
        second = _orders(api)["searchedCount"]
    assert (first, second) == (42, 44) and fake.orders == 44
    assert len(fake.order_ids()) == 44


def test_the_request_log_keeps_paths_and_operations_without_bodies(fake: FakePlatform) -> None:
    app = _app(fake)
    with _client(fake) as api:
        _post(api, MEMBER_QUERY, {"input": {"page": 1}})
    entry = fake.request_log.entries()[-1]
    assert (entry.method, entry.path, entry.status) == ("POST", "/v1/graphql", 200)
    assert app.operation_log[-1] == "searchMember"
    assert "@" not in repr(fake.request_log.entries())


# --- the FakePlatform surface ------------------------------------------------------------------


def test_the_fake_platform_describes_what_it_serves(fake: FakePlatform) -> None:
    assert "makeshop" in fake_platforms() and fake.platform == "makeshop"
    credential = json.loads(fake.credential)
    assert set(credential) == {"token", "api_key"}
    assert re.fullmatch(r"PAT\.[0-9a-f]{64}", credential["token"])
    assert re.fullmatch(r"[0-9a-f]{64}", credential["api_key"])
    assert fake.orders == 300 and len(fake.order_ids()) == 300


def test_the_fake_is_deterministic_per_seed() -> None:
    one, two = _fake(orders=30, seed=3), _fake(orders=30, seed=3)
    with _client(one) as a, _client(two) as b:
        assert _orders(a, NOTES_QUERY, limit=30) == _orders(b, NOTES_QUERY, limit=30)
    assert one.credential == two.credential != _fake(orders=1, seed=4).credential

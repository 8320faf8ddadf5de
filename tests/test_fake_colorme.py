"""The fake Color Me API follows shared/platforms/colorme/notes.md and its OpenAPI spec."""

from __future__ import annotations

import datetime as dt
import html
import json
import time
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from wsgiref.validate import validator

import httpx
import pytest
from openapi_schema_validator import OAS30Validator

from connectors.fakes import FakePlatform, Faults, make_fake
from connectors.fakes.colorme import OOB_REDIRECT_URI, FakeColorMe

JST = dt.timezone(dt.timedelta(hours=9))
END = dt.datetime(2026, 6, 1, 3, 0, tzinfo=dt.UTC)  # 12:00 JST
NOW = END.timestamp() + 3600
FAR = {"make_date_min": "2000-01-01 00:00:00"}
SPEC = Path(__file__).resolve().parents[2] / "shared/platforms/colorme/openapi.json"


@cache
def _spec() -> dict[str, Any]:
    if not SPEC.is_file():
        pytest.fail(
            f"Color Me OpenAPI spec not found at {SPEC}: the shared folder must sit "
            "beside the repository clone (../shared)"
        )
    spec: dict[str, Any] = json.loads(SPEC.read_text(encoding="utf-8"))
    return spec


def _response_schema(path: str, key: str) -> dict[str, Any]:
    response = _spec()["paths"][path]["get"]["responses"]["200"]
    schema = response["content"]["application/json"]["schema"]["properties"][key]
    fixed: dict[str, Any] = _null_in_nullable_enums(schema)
    return fixed


def _null_in_nullable_enums(schema: Any) -> Any:
    """The vendor's document marks enums such as ``sex`` and ``gmo_point_state``
    ``nullable`` without listing null among their values; the live API sends null
    (notes §5.4, §12), and OpenAPI 3.0.3 says null must then be in the enum. Add it,
    and change nothing else."""
    if isinstance(schema, list):
        return [_null_in_nullable_enums(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    fixed = {key: _null_in_nullable_enums(value) for key, value in schema.items()}
    if fixed.get("nullable") is True and "enum" in fixed and None not in fixed["enum"]:
        fixed["enum"] = [*fixed["enum"], None]
    return fixed


def _validate(schema: dict[str, Any], instance: object, what: str) -> None:
    errors = list(OAS30Validator(schema).iter_errors(instance))
    assert not errors, f"{what}: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5]
    )


def _fake(orders: int = 400, seed: int = 7, faults: str = "", **kw: Any) -> FakePlatform:
    return make_fake("colorme", orders=orders, seed=seed, end=END, faults=faults,
                     clock=lambda: NOW, **kw)  # fmt: skip


def _app(fake: FakePlatform) -> FakeColorMe:
    assert isinstance(fake.app, FakeColorMe)
    return fake.app


@pytest.fixture(scope="module")
def fake() -> FakePlatform:
    return _fake()


def _client(fake: FakePlatform, token: str | None = "") -> httpx.Client:
    headers = {}
    if token is not None:
        headers["Authorization"] = f"Bearer {token or fake.credential}"
    return httpx.Client(
        transport=httpx.WSGITransport(app=validator(fake.app)),
        base_url="https://api.shop-pro.jp",
        headers=headers,
    )


@pytest.fixture()
def api(fake: FakePlatform) -> Iterator[httpx.Client]:
    with _client(fake) as client:
        yield client


def _all_sales(api: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    sales: list[dict[str, Any]] = []
    offset = 0
    while True:
        body = api.get("/v1/sales", params={**params, "limit": 100, "offset": offset}).json()
        sales += body["sales"]
        offset += body["meta"]["limit"]
        if offset >= body["meta"]["total"]:
            return sales


def _jst(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, JST).strftime("%Y-%m-%d %H:%M:%S")


def _ids(api: httpx.Client, **params: Any) -> list[int]:
    return [s["id"] for s in _all_sales(api, **params)]


# --- the sale object ------------------------------------------------------------------


def test_every_served_sale_validates_against_the_openapi_sale_schema(
    api: httpx.Client, fake: FakePlatform
) -> None:
    item_schema = _response_schema("/v1/sales", "sales")["items"]
    sales = _all_sales(api, **FAR)
    assert len(sales) == fake.orders
    for sale in sales:
        _validate(item_schema, sale, f"sale {sale['id']}")
    # The checks above only mean something if the tricky shapes were among them.
    assert any(s["segment"] for s in sales)
    assert any(len(s["sale_deliveries"]) > 1 for s in sales)
    assert any(s["details"][0]["customizations"] for s in sales)


def test_a_single_sale_validates_and_names_its_split_siblings(
    api: httpx.Client, fake: FakePlatform
) -> None:
    schema = _response_schema("/v1/sales/{sale_id}", "sale")
    split = next(o for o in fake.dataset.orders if o.split_siblings)
    for order_id in (split.order_id, fake.dataset.order_at(0).order_id):
        sale = api.get(f"/v1/sales/{order_id}.json").json()["sale"]
        _validate(schema, sale, f"sale {order_id}")
    sale = api.get(f"/v1/sales/{split.order_id}").json()["sale"]
    assert sale["segment"]["siblings_sale_ids"] == list(split.split_siblings)
    assert sale["segment"]["parent_sale_id"] == split.split_siblings[0]


def test_sales_carry_every_field_of_the_2026_shape(api: httpx.Client) -> None:
    schema = _response_schema("/v1/sales", "sales")["items"]
    sale = api.get("/v1/sales", params=FAR).json()["sales"][0]
    # memo is being removed (notes §5.4); the 2026 spec adds application and shop_coupon.
    assert set(schema["properties"]) - {"memo"} <= set(sale)
    assert {"application", "shop_coupon"} <= set(sale)
    assert {"tax_reduced", "customizations"} <= set(sale["details"][0])
    customer_fields = set(schema["properties"]["customer"]["properties"]) - {"external_accounts"}
    assert customer_fields <= set(sale["customer"])


def test_sales_carry_the_buyers_personal_fields(api: httpx.Client, fake: FakePlatform) -> None:
    order = fake.dataset.order_at(50)
    sale = api.get(f"/v1/sales/{order.order_id}").json()["sale"]
    customer = sale["customer"]
    assert html.unescape(customer["name"]) == order.buyer.name
    assert customer["mail"] == order.buyer.email
    assert customer["tel"] == order.buyer.phone
    assert customer["postal"] == order.buyer.postal
    assert customer["furigana"] == order.buyer.kana
    assert customer["member"] is order.buyer.is_member


def test_money_and_times_are_served_as_integers(api: httpx.Client, fake: FakePlatform) -> None:
    order = next(o for o in fake.dataset.orders if o.status == "shipped")
    sale = api.get(f"/v1/sales/{order.order_id}").json()["sale"]
    assert (sale["make_date"], sale["update_date"]) == (order.make_time, order.update_time)
    assert sale["total_price"] == order.grand_total
    assert sale["total_price"] == (
        sale["product_total_price"] + sale["delivery_total_charge"] + sale["fee"] + sale["tax"]
        - sale["point_discount"] - sale["other_discount"]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("status", "paid", "delivered", "canceled"),
    [
        ("pending", False, False, False),
        ("paid", True, False, False),
        ("shipped", True, True, False),
        ("cancelled", False, False, True),
        ("returned", True, True, True),
    ],
)
def test_statuses_map_onto_color_mes_flags(
    api: httpx.Client,
    fake: FakePlatform,
    status: str,
    paid: bool,
    delivered: bool,
    canceled: bool,
) -> None:
    order = next(o for o in fake.dataset.orders if o.status == status)
    sale = api.get(f"/v1/sales/{order.order_id}").json()["sale"]
    assert (sale["paid"], sale["delivered"], sale["canceled"]) == (paid, delivered, canceled)


def test_cancelling_zeroes_quantities_and_the_total_unless_switched_off() -> None:
    fake = _fake(orders=300)
    order = next(o for o in fake.dataset.orders if o.status == "cancelled")
    with _client(fake) as api:
        sale = api.get(f"/v1/sales/{order.order_id}").json()["sale"]
    assert sale["total_price"] == 0
    assert all(d["product_num"] == 0 and d["subtotal_price"] == 0 for d in sale["details"])
    _app(fake).cancel_zeroes = False
    with _client(fake) as api:
        sale = api.get(f"/v1/sales/{order.order_id}").json()["sale"]
    assert sale["total_price"] == order.grand_total


def test_bodies_are_ascii_json_with_unicode_escapes(api: httpx.Client) -> None:
    response = api.get("/v1/sales", params=FAR)
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    response.content.decode("ascii")  # raises if any raw non-ASCII byte is present
    assert "\\u" in response.text


def test_some_free_text_carries_html_numeric_references(api: httpx.Client) -> None:
    text = json.dumps(_all_sales(api, **FAR), ensure_ascii=False)
    assert "&#" in text
    assert "&#40643;" in text  # 黃, as in recorded option values


_PERSONAL_CUSTOMER = ("name", "furigana", "hojin", "busho", "address1", "address2", "mail",
                      "answer_free_form1")  # fmt: skip
_PERSONAL_DELIVERY = ("name", "furigana", "address1", "address2", "card_text", "noshi_text", "memo")


def _served_personal_texts(sale: dict[str, Any]) -> list[str]:
    texts = [sale["customer"][k] for k in _PERSONAL_CUSTOMER]
    for delivery in sale["sale_deliveries"]:
        texts += [delivery[k] for k in _PERSONAL_DELIVERY]
    texts += [c["value"] for d in sale["details"] for c in d["customizations"]]
    texts.append(sale["external_order_id"])
    return [t for t in texts if t]


def test_in_canary_mode_every_personal_text_served_carries_the_marker() -> None:
    fake = _fake(orders=300, canary=True)
    with _client(fake) as api:
        sales = _all_sales(api, **FAR)
    texts = [t for sale in sales for t in _served_personal_texts(sale)]
    assert len(texts) > 1000
    assert [t for t in texts if "knry" not in t.lower()] == []


def test_personal_values_cover_what_the_fake_serves(api: httpx.Client, fake: FakePlatform) -> None:
    known = fake.dataset.personal_values()
    for sale in _all_sales(api, **FAR):
        served = _served_personal_texts(sale)
        served += [sale["customer"]["tel"], sale["customer"]["postal"]]
        served += [d["tel"] for d in sale["sale_deliveries"]]
        served += [d["slip_number"] for d in sale["sale_deliveries"] if d["slip_number"]]
        assert [t for t in served if t not in known] == [], sale["id"]


# --- filters (notes §5.1, §7, §13) ---------------------------------------------------------


def _midnight_jst_days_before(seconds: float, days: int) -> int:
    day = dt.datetime.fromtimestamp(seconds, JST).date() - dt.timedelta(days=days)
    return int(dt.datetime.combine(day, dt.time(), JST).timestamp())


def test_without_a_date_the_list_covers_seven_days_from_midnight_jst(
    api: httpx.Client, fake: FakePlatform
) -> None:
    start = _midnight_jst_days_before(NOW, 7)
    expected = sorted((o.order_id for o in fake.dataset.orders if o.make_time >= start),
                      reverse=True)  # fmt: skip
    assert expected and len(expected) < fake.orders
    assert _ids(api) == expected


def test_with_only_before_the_default_starts_seven_days_earlier(
    api: httpx.Client, fake: FakePlatform
) -> None:
    before = int(END.timestamp()) - 30 * 86_400
    start = _midnight_jst_days_before(before, 7)
    expected = sorted(
        (o.order_id for o in fake.dataset.orders if start <= o.make_time <= before), reverse=True
    )
    assert expected
    assert _ids(api, before=_jst(before)) == expected


def test_update_date_alone_does_not_lift_the_seven_day_default(
    api: httpx.Client, fake: FakePlatform
) -> None:
    start = _midnight_jst_days_before(NOW, 7)
    got = _ids(api, update_date_min="2000-01-01")
    assert got and all(fake.dataset.order(i).make_time >= start for i in got)
    assert len(_ids(api, update_date_min="2000-01-01", **FAR)) == fake.orders


def test_bounds_are_inclusive_to_the_second(api: httpx.Client, fake: FakePlatform) -> None:
    order = fake.dataset.order_at(200)
    at = _jst(order.make_time)
    assert order.order_id in _ids(api, make_date_min=at, make_date_max=at)
    earlier = _jst(order.make_time - 1)
    assert order.order_id not in _ids(api, make_date_min=FAR["make_date_min"], before=earlier)
    upd = _jst(order.update_time)
    assert order.order_id in _ids(api, update_date_min=upd, update_date_max=upd, **FAR)


def test_date_only_strings_are_midnight_japan_time(api: httpx.Client, fake: FakePlatform) -> None:
    order = fake.dataset.order_at(300)
    day = dt.datetime.fromtimestamp(order.make_time, JST).date()
    start = int(dt.datetime.combine(day, dt.time(), JST).timestamp())
    end = start + 86_400
    expected = {o.order_id for o in fake.dataset.orders if start <= o.make_time <= end}
    got = set(_ids(api, make_date_min=day.isoformat(),
                   make_date_max=(day + dt.timedelta(days=1)).isoformat()))  # fmt: skip
    assert order.order_id in got
    assert got == expected


def test_after_and_before_are_synonyms_of_make_date_min_and_max(api: httpx.Client) -> None:
    window = {"make_date_min": "2025-03-01 00:00:00", "make_date_max": "2025-06-30 23:59:59"}
    synonyms = {"after": window["make_date_min"], "before": window["make_date_max"]}
    assert _ids(api, **window) == _ids(api, **synonyms)
    assert _ids(api, **window)


def test_update_date_filters_select_by_update_time(api: httpx.Client, fake: FakePlatform) -> None:
    low, high = int(END.timestamp()) - 20 * 86_400, int(END.timestamp()) - 10 * 86_400
    expected = {o.order_id for o in fake.dataset.orders if low <= o.update_time <= high}
    got = _ids(api, update_date_min=_jst(low), update_date_max=_jst(high), **FAR)
    assert expected and set(got) == expected


def test_ids_and_flag_filters(api: httpx.Client, fake: FakePlatform) -> None:
    wanted = [fake.dataset.order_at(i).order_id for i in (3, 30, 300)]
    assert sorted(_ids(api, ids=",".join(map(str, wanted)), **FAR)) == wanted
    cancelled = {o.order_id for o in fake.dataset.orders if o.status in ("cancelled", "returned")}
    assert set(_ids(api, canceled="true", **FAR)) == cancelled
    assert set(_ids(api, canceled="1", **FAR)) == cancelled
    assert not set(_ids(api, canceled="false", **FAR)) & cancelled


def test_buyer_payment_and_mail_state_filters(api: httpx.Client, fake: FakePlatform) -> None:
    orders = list(fake.dataset.orders)
    member = next(
        o for o in orders if o.buyer.is_member and fake.dataset.sales_count(o.buyer.key) > 1
    )
    assert member.buyer.member_id and member.buyer.email
    by_customer = _ids(api, customer_ids=member.buyer.member_id, **FAR)
    assert set(by_customer) == {o.order_id for o in orders if o.buyer.key == member.buyer.key}
    by_mail = _ids(api, customer_mail=member.buyer.email[:-3], **FAR)
    assert member.order_id in by_mail
    assert all(fake.dataset.order(i).buyer.email == member.buyer.email for i in by_mail)
    payments = {p["name"]: p["id"] for p in api.get("/v1/payments").json()["payments"]}
    cod = {o.order_id for o in orders if o.payment_method == "代金引換"}
    assert cod and set(_ids(api, payment_ids=str(payments["代金引換"]), **FAR)) == cod
    not_shipped = {o.order_id for o in orders if o.status in ("pending", "paid", "cancelled")}
    assert set(_ids(api, delivered_mail_state="not_yet", **FAR)) == not_shipped
    mobile = {o.order_id for o in orders if o.mobile}
    assert set(_ids(api, mobile="true", **FAR)) == mobile


def test_the_other_reading_of_the_default_window_is_a_switch() -> None:
    fake = _fake(orders=300)
    _app(fake).update_filter_lifts_default = True
    with _client(fake) as api:
        assert len(_ids(api, update_date_min="2000-01-01")) == 300
        assert len(_ids(api)) < 300  # with no date at all the default still applies


def test_results_are_newest_first_and_pages_neither_overlap_nor_skip(
    api: httpx.Client, fake: FakePlatform
) -> None:
    ids = _ids(api, **FAR)
    assert ids == sorted(fake.dataset.order_ids(), reverse=True)


def test_limit_defaults_to_ten_and_is_clamped_to_a_hundred(api: httpx.Client) -> None:
    def meta(**params: Any) -> dict[str, int]:
        body = api.get("/v1/sales", params={**FAR, **params}).json()
        assert len(body["sales"]) == min(body["meta"]["limit"], body["meta"]["total"])
        result: dict[str, int] = body["meta"]
        return result

    assert meta() == {"total": 400, "limit": 10, "offset": 0}
    assert meta(limit=500)["limit"] == 100
    assert meta(limit="abc")["limit"] == 10
    assert meta(limit=-3)["limit"] == 10
    assert meta(offset=-5)["offset"] == 0
    assert meta(limit=7, offset=390) == {"total": 400, "limit": 7, "offset": 390}


def test_invalid_search_values_are_ignored_with_200(api: httpx.Client) -> None:
    for params in (
        {"make_date_min": "2026-13-45"},
        {"make_date_min": "yesterday"},
        {"paid": "maybe"},
        {"ids": "abc"},
        {"accepted_mail_state": "whatever", "offset": "x"},
    ):
        response = api.get("/v1/sales", params=params)
        assert response.status_code == 200, params
    # An unparseable date is as good as none: the 7-day default applies.
    assert _ids(api, make_date_min="2026-13-45") == _ids(api)


def test_array_style_params_crash_with_500000(api: httpx.Client) -> None:
    response = api.get("/v1/sales", params={"ids[0]": "1", "ids[1]": "2"})
    assert response.status_code == 500
    assert response.json() == {
        "errors": [{"code": 500000, "message": "Internal Server Error", "status": 500}]
    }


def test_fields_projects_top_level_keys(api: httpx.Client) -> None:
    sales = api.get("/v1/sales", params={**FAR, "fields": "id,paid,nonsense"}).json()["sales"]
    assert sales and all(set(s) == {"id", "paid"} for s in sales)
    array_style = api.get("/v1/sales", params={**FAR, "fields[0]": "id"})
    assert array_style.status_code == 200
    assert all(s == {} for s in array_style.json()["sales"])


def test_unknown_sales_paths_and_methods_answer_404100(api: httpx.Client) -> None:
    for response in (
        api.get("/v1/sales/1"),
        api.get("/v1/sales/not-a-number"),
        api.get("/v1/nothing"),
        api.patch("/v1/sales"),
    ):
        assert response.status_code == 404
        assert response.json()["errors"][0]["code"] == 404100


def test_customers_lists_members_with_meta(api: httpx.Client, fake: FakePlatform) -> None:
    body = api.get("/v1/customers", params={"limit": 5}).json()
    assert body["meta"]["limit"] == 5 and len(body["customers"]) == 5
    assert all(c["member"] for c in body["customers"])
    one = body["customers"][0]
    assert api.get(f"/v1/customers/{one['id']}").json()["customer"]["mail"] == one["mail"]
    _validate(_response_schema("/v1/customers", "customers")["items"], one, "customer")


def test_payments_and_deliveries_resolve_the_ids_sales_carry(api: httpx.Client) -> None:
    payments = api.get("/v1/payments.json").json()["payments"]
    deliveries = api.get("/v1/deliveries").json()["deliveries"]
    _validate(_response_schema("/v1/payments", "payments"), payments, "payments")
    _validate(_response_schema("/v1/deliveries", "deliveries"), deliveries, "deliveries")
    sales = _all_sales(api, **FAR)
    assert {s["payment_id"] for s in sales} <= {p["id"] for p in payments}
    served = {d["delivery_id"] for s in sales for d in s["sale_deliveries"]}
    assert served <= {d["id"] for d in deliveries}


# --- authentication (notes §4, §9) -----------------------------------------------------------


@pytest.mark.parametrize(
    "authorization", [None, "Bearer ", "Bearer not-the-token", "Basic dXNlcjpwYXNz"]
)
def test_a_missing_or_bad_token_gets_doorkeepers_401(
    fake: FakePlatform, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    with _client(fake, token=None) as client:
        response = client.get("/v1/sales", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith('Bearer realm="Doorkeeper"')
    assert 'error="invalid_token"' in response.headers["www-authenticate"]
    assert response.headers["cache-control"] == "no-store"
    [error] = response.json()["errors"]
    assert (error["code"], error["status"]) == (401010, 401)


def test_a_token_without_read_sales_is_refused_on_sales_only(fake: FakePlatform) -> None:
    token = _app(fake).issue_token("read_products")
    with _client(fake, token=token) as client:
        assert client.get("/v1/sales").status_code == 401
        assert client.get("/v1/payments").status_code == 200


def test_a_revoked_token_stops_working(fake: FakePlatform) -> None:
    token = _app(fake).issue_token()
    with _client(fake, token=token) as client:
        assert client.get("/v1/payments").status_code == 200
        _app(fake).revoke(token)
        assert client.get("/v1/payments").status_code == 401


def _authorize(client: httpx.Client, app: FakeColorMe, **extra: str) -> httpx.Response:
    params = {
        "client_id": app.client_id,
        "response_type": "code",
        "scope": "read_sales",
        "redirect_uri": "http://127.0.0.1:8765/callback",
        "state": "xyz 1/2",
        **extra,
    }
    return client.get("/oauth/authorize", params=params)


def test_the_oauth_code_flow_issues_a_working_token_once(fake: FakePlatform) -> None:
    app = _app(fake)
    with _client(fake, token=None) as client:
        redirect = _authorize(client, app)
        assert redirect.status_code == 302
        location = urlsplit(redirect.headers["location"])
        assert location.netloc == "127.0.0.1:8765"
        query = parse_qs(location.query)
        assert query["state"] == ["xyz 1/2"]
        [code] = query["code"]
        assert len(code) == 64
        form = {
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            "code": code,
            "grant_type": "authorization_code",
            "redirect_uri": "http://127.0.0.1:8765/callback",
        }
        issued = client.post("/oauth/token", data=form)
        assert issued.status_code == 200
        token = issued.json()
        assert set(token) == {"access_token", "token_type", "scope", "created_at"}
        assert token["token_type"] == "Bearer" and token["scope"] == "read_sales"
        assert token["created_at"] == int(NOW)
        sales = client.get(
            "/v1/sales", headers={"Authorization": f"Bearer {token['access_token']}"}
        )
        assert sales.status_code == 200
        again = client.post("/oauth/token", data=form)
        assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
        bad_client = client.post("/oauth/token", data={**form, "client_secret": "wrong"})
        assert bad_client.status_code == 401
        assert bad_client.json()["error"] == "invalid_client"
        assert "error_description" in bad_client.json()


def test_a_denied_authorisation_redirects_with_the_error_and_state(fake: FakePlatform) -> None:
    app = FakeColorMe(fake.dataset, approve=False)
    with httpx.Client(transport=httpx.WSGITransport(app=validator(app)), base_url="https://x") as c:
        location = urlsplit(_authorize(c, app).headers["location"])
    query = parse_qs(location.query)
    assert query["error"] == ["access_denied"] and query["state"] == ["xyz 1/2"]
    assert "code" not in query


def test_the_out_of_band_flow_shows_the_code_on_a_page(fake: FakePlatform) -> None:
    app = _app(fake)
    with _client(fake, token=None) as client:
        redirect = _authorize(client, app, redirect_uri=OOB_REDIRECT_URI)
        location = urlsplit(redirect.headers["location"])
        code = location.path.rsplit("/", 1)[-1]
        assert location.path == f"/oauth/authorize/{code}" and len(code) == 64
        page = client.get(location.path)
        assert page.status_code == 200 and code in page.text


def test_an_unknown_client_cannot_start_the_flow(fake: FakePlatform) -> None:
    with _client(fake, token=None) as client:
        assert _authorize(client, _app(fake), client_id="someone-else").status_code == 401


# --- faults --------------------------------------------------------------------------------


def test_random_429s_cycle_through_the_retry_after_forms() -> None:
    fake = _fake(orders=50, faults="429=1,retry_after=3")
    with _client(fake) as api:
        responses = [api.get("/v1/sales") for _ in range(3)]
    assert [r.status_code for r in responses] == [429, 429, 429]
    values = [r.headers.get("retry-after") for r in responses]
    assert values[0] is None and values[1] == "3"
    assert values[2] is not None and values[2].endswith("GMT")
    assert responses[0].json()["errors"][0]["status"] == 429
    assert [e.fault for e in fake.request_log.entries()] == ["429", "429", "429"]


def test_server_errors_come_as_json_or_as_a_proxys_html_page() -> None:
    fake = _fake(orders=50, faults="5xx=1")
    with _client(fake) as api:
        responses = [api.get("/v1/sales") for _ in range(30)]
    assert {r.status_code for r in responses} == {500, 502, 503}
    kinds = {r.headers["content-type"].split(";")[0] for r in responses}
    assert kinds == {"application/json", "text/html"}


def test_a_truncated_body_is_a_200_that_is_not_json() -> None:
    fake = _fake(orders=50, faults="truncate=1")
    with _client(fake) as api:
        response = api.get("/v1/sales", params=FAR)
    assert response.status_code == 200
    assert int(response.headers["content-length"]) == len(response.content)
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)


def test_a_reset_breaks_the_body_in_process_as_a_transport_error() -> None:
    fake = _fake(orders=50, faults="reset=1")
    with _client(fake) as api, pytest.raises(httpx.TransportError):
        api.get("/v1/sales", params=FAR)
    assert fake.request_log.entries()[-1].fault == "reset"


def test_revoked_and_maintenance_faults() -> None:
    fake = _fake(orders=20, faults="revoked=1")
    with _client(fake) as api:
        revoked = api.get("/v1/sales")
        _app(fake).faults = Faults.parse("maintenance=1")
        maintenance = api.get("/v1/sales")
        _app(fake).faults = Faults()
        healthy = api.get("/v1/sales")
    assert revoked.status_code == 401 and revoked.json()["errors"][0]["code"] == 401010
    assert maintenance.status_code == 503
    assert maintenance.headers["content-type"].startswith("text/html")
    assert "メンテナンス" in maintenance.text
    assert healthy.status_code == 200


def test_latency_delays_every_response() -> None:
    fake = _fake(orders=20, faults="latency=60ms")
    with _client(fake) as api:
        started = time.perf_counter()
        api.get("/v1/payments")
        assert time.perf_counter() - started >= 0.06


def test_the_rate_limit_answers_429_with_retry_after_past_the_burst() -> None:
    fake = _fake(orders=20, faults="rate=60,burst=3")
    with _client(fake) as api:
        statuses = [api.get("/v1/payments").status_code for _ in range(5)]
        limited = api.get("/v1/payments")
    assert statuses[:3] == [200, 200, 200] and statuses[3:] == [429, 429]
    assert limited.headers["retry-after"] == "1"
    assert fake.request_log.max_in_window(60) == 6


def test_churn_creates_and_updates_orders_on_each_list_request() -> None:
    fake = _fake(orders=200, faults="churn=2")
    before = {o.order_id: o.update_time for o in fake.dataset.orders}
    with _client(fake) as api:
        first = api.get("/v1/sales", params=FAR).json()["meta"]["total"]
        second = api.get("/v1/sales", params=FAR).json()["meta"]["total"]
        newest = api.get("/v1/sales", params={**FAR, "limit": 1}).json()["sales"][0]
    assert (first, second) == (202, 204)
    assert fake.orders == 206 and newest["id"] == max(fake.dataset.order_ids())
    assert newest["make_date"] == int(NOW)
    updated = [i for i, t in before.items() if fake.dataset.order(i).update_time != t]
    assert updated and all(fake.dataset.order(i).update_time == int(NOW) for i in updated)
    assert fake.order_ids() == {str(i) for i in fake.dataset.order_ids()}


def test_the_request_log_keeps_paths_without_queries(fake: FakePlatform) -> None:
    with _client(fake) as api:
        api.get("/v1/sales", params={"customer_mail": "someone@example.jp"})
    entry = fake.request_log.entries()[-1]
    assert (entry.method, entry.path, entry.status) == ("GET", "/v1/sales", 200)
    assert "example" not in repr(fake.request_log.entries())


# --- the FakePlatform surface -----------------------------------------------------------------


def test_the_fake_platform_describes_what_it_serves(api: httpx.Client, fake: FakePlatform) -> None:
    assert fake.platform == "colorme"
    assert len(fake.credential) == 64 and int(fake.credential, 16) >= 0
    assert fake.orders == 400
    assert fake.order_ids() == {str(i) for i in _ids(api, **FAR)}


def test_make_fake_names_the_platforms_it_knows() -> None:
    with pytest.raises(ValueError, match="colorme"):
        make_fake("nosuchshop", orders=1)

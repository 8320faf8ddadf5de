"""The fake ShopServe API follows shared/platforms/shopserve/notes.md and the ShopServe mapping."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any
from wsgiref.validate import validator

import httpx
import pytest

from connectors.fakes import FakePlatform, Faults, make_fake, serve_in_thread
from connectors.fakes.shopserve import FakeShopServe, serial_code
from connectors.fakes.synthetic import generate
from connectors.shopserve import parse_credential

JST = dt.timezone(dt.timedelta(hours=9))
END = dt.datetime(2026, 6, 1, 3, 0, tzinfo=dt.UTC)  # 12:00 JST
NOW = END.timestamp() + 3600
PATH = "/v2/orders/_retrieve/basic;destinations;details"


def jst(moment: dt.datetime) -> str:
    return moment.astimezone(JST).strftime("%Y-%m-%d %H:%M:%S")


def week(end: dt.datetime = END, days: float = 7) -> dict[str, str]:
    """``since``/``until`` for the ``days`` before ``end`` (inclusive bounds)."""
    return {"since": jst(end - dt.timedelta(days=days)), "until": jst(end)}


def _fake(orders: int = 400, seed: int = 7, faults: str = "", **kw: Any) -> FakePlatform:
    return make_fake("shopserve", orders=orders, seed=seed, end=END, faults=faults,
                     clock=lambda: NOW, **kw)  # fmt: skip


def _dense(orders: int, days: int, seed: int = 3, **kw: Any) -> FakeShopServe:
    """A fake whose orders all fall in the ``days`` before ``END``."""
    dataset = generate(
        seed=seed, orders=orders, end=END, days=days, stream="shopserve", order_id_start=1
    )
    return FakeShopServe(dataset, seed=seed, clock=lambda: NOW, **kw)


def _app(fake: FakePlatform) -> FakeShopServe:
    assert isinstance(fake.app, FakeShopServe)
    return fake.app


def auth(fake: FakePlatform | FakeShopServe) -> dict[str, str]:
    credential = fake.credential
    return {"Authorization": "Basic " + base64.b64encode(credential.encode()).decode()}


@pytest.fixture
def client_for() -> Iterator[Any]:
    clients: list[httpx.Client] = []

    def make(app: Any) -> httpx.Client:
        # wsgiref.validate checks the fake keeps to WSGI, as the loopback server needs.
        client = httpx.Client(
            base_url="https://management.api.shopserve.jp",
            transport=httpx.WSGITransport(app=validator(app)),
        )
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def search(client: httpx.Client, fake: Any, body: Any, path: str = PATH) -> httpx.Response:
    return client.post(path, json=body, headers=auth(fake))


# --- shape -------------------------------------------------------------------------------------


def test_orders_come_in_the_notes_shape_with_serial_codes_and_japan_time(client_for: Any) -> None:
    fake = _dense(50, days=5)
    response = search(client_for(fake), fake, {**week(days=7), "from": 0, "size": 100})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=UTF-8"
    body = response.json()
    assert set(body) == {"total_count", "orders"} and body["total_count"] == 50
    order = body["orders"][0]
    assert set(order) == {"serial_code", "basic", "destinations"}
    assert order["serial_code"].startswith("S") and len(order["serial_code"]) == 11
    basic = order["basic"]
    assert set(basic["orderer"]) >= {"name", "name_kana", "mail_address", "town_and_number"}
    dt.datetime.strptime(basic["order_date"], "%Y-%m-%d %H:%M:%S")  # JST, no offset
    assert isinstance(basic["total_price"], int)
    details = order["destinations"][0]["details"]
    assert set(details[0]) >= {"item_code", "item_name", "unit_price", "quantity", "tax_rate"}
    # Japanese is sent unescaped in UTF-8 (notes §8).
    assert "\\u" not in response.text


def test_only_the_requested_parts_are_served_and_unknown_parts_are_refused(
    client_for: Any,
) -> None:
    fake = _fake()
    client = client_for(fake.app)
    basic_only = search(client, fake, week(), "/v2/orders/_retrieve/basic").json()
    assert all(set(o) == {"serial_code", "basic"} for o in basic_only["orders"])
    no_details = search(client, fake, week(), "/v2/orders/_retrieve/basic;destinations").json()
    assert all("details" not in d for o in no_details["orders"] for d in o["destinations"])
    refused = search(client, fake, week(), "/v2/orders/_retrieve/basic;payments")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "InvalidCompositeRequest"


def test_other_paths_and_methods_answer_json_errors(client_for: Any) -> None:
    fake = _fake(orders=5)
    client = client_for(fake.app)
    assert client.post("/v2/items/_search", json={}, headers=auth(fake)).status_code == 404
    assert client.get(PATH, headers=auth(fake)).status_code == 405


# --- auth ---------------------------------------------------------------------------------------


def test_basic_auth_with_the_shop_id_and_manager_key_is_required(client_for: Any) -> None:
    fake = _fake(orders=5)
    client = client_for(fake.app)
    shop_id, key = fake.credential.split(":")
    assert len(key) == 40 and int(key, 16) >= 0
    assert parse_credential(fake.credential) == {"shop_id": shop_id, "manager_key": key}
    for headers in (
        {},
        {"Authorization": "Bearer " + key},
        {"Authorization": "Basic " + base64.b64encode(f"{shop_id}:wrong".encode()).decode()},
        {"Authorization": "Basic not-base64!"},
    ):
        response = client.post(PATH, json=week(), headers=headers)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "Unauthorized"
        assert response.headers["WWW-Authenticate"].startswith("Basic")
    assert search(client, fake, week()).status_code == 200


def test_reissuing_the_key_makes_the_old_one_fail(client_for: Any) -> None:
    fake = _fake(orders=5)
    client = client_for(fake.app)
    old = auth(fake)
    _app(fake).reissue_key()
    assert client.post(PATH, json=week(), headers=old).status_code == 401
    assert search(client, _app(fake), week()).status_code == 200


# --- the window rules ---------------------------------------------------------------------------


def test_a_search_period_over_7_days_is_a_400_with_an_error_body(client_for: Any) -> None:
    fake = _fake()
    client = client_for(fake.app)
    assert search(client, fake, week(days=7)).status_code == 200
    too_long = search(client, fake, week(days=7 + 1 / 86_400))
    assert too_long.status_code == 400
    assert too_long.json() == {
        "error": {"code": "InvalidParameter", "message": "検索期間は7日以内で指定してください。"}
    }
    # Without an end bound the period runs to now: also over 7 days here.
    assert search(client, fake, {"since": week(days=30)["since"]}).status_code == 400


def test_a_search_more_than_two_years_back_is_a_400(client_for: Any) -> None:
    fake = _fake()
    client = client_for(fake.app)
    old_end = END - dt.timedelta(days=732)
    assert search(client, fake, week(old_end)).status_code == 400
    assert search(client, fake, week(END - dt.timedelta(days=720))).status_code == 200


@pytest.mark.parametrize(
    "body",
    [{}, {"since": "2026-05-01"}, {"since": "yesterday"}, {"since": 1748736000}, [1]],
    ids=["no since", "no time", "words", "number", "not an object"],
)
def test_a_malformed_body_is_a_400(client_for: Any, body: Any) -> None:
    fake = _fake(orders=5)
    assert search(client_for(fake.app), fake, body).status_code == 400


def test_bounds_are_inclusive_and_filter_on_the_update_time(client_for: Any) -> None:
    fake = _fake()
    client = client_for(fake.app)
    ds = fake.dataset
    index = len(ds) - 1
    updated = dt.datetime.fromtimestamp(ds.update_time(index), dt.UTC)
    exact = {"since": jst(updated), "until": jst(updated)}
    served = {o["serial_code"] for o in search(client, fake, exact).json()["orders"]}
    assert serial_code(ds.order_id_start + index) in served
    expected = {
        serial_code(ds.order_id_start + i)
        for i in range(len(ds))
        if ds.update_time(i) == ds.update_time(index)
    }
    assert served == expected


def test_from_and_size_page_through_the_window_with_a_total(client_for: Any) -> None:
    app = _dense(260, days=5)
    client = client_for(app)
    seen: list[str] = []
    for start in (0, 100, 200):
        body = search(client, app, {**week(days=6), "from": start, "size": 100}).json()
        assert body["total_count"] == 260
        seen += [o["serial_code"] for o in body["orders"]]
    assert seen == sorted(app.platform_order_ids())  # serial_code order, nothing twice
    clamped = search(client, app, {**week(days=6), "from": 0, "size": 1000}).json()
    assert len(clamped["orders"]) == 100
    everything = search(client, app, week(days=6)).json()  # no size: the whole window
    assert len(everything["orders"]) == 260
    assert search(client, app, {**week(days=6), "from": -1, "size": 10}).status_code == 400


# --- maintenance and faults ------------------------------------------------------------------


@pytest.mark.parametrize("status", [503, 200])
def test_maintenance_answers_an_html_page(client_for: Any, status: int) -> None:
    fake = make_fake("shopserve", orders=5, end=END, faults="maintenance=1", clock=lambda: NOW)
    _app(fake).maintenance_status = status
    response = search(client_for(fake.app), fake, week())
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("text/html")
    assert "メンテナンス中" in response.text
    assert fake.request_log.entries()[-1].fault == "maintenance"


def test_faults_can_be_switched_while_the_fake_runs(client_for: Any) -> None:
    fake = _fake(orders=20)
    client = client_for(fake.app)
    assert search(client, fake, week()).status_code == 200
    _app(fake).faults = Faults(revoked=True)
    assert search(client, fake, week()).status_code == 401
    _app(fake).faults = Faults.parse("rate=60,burst=1,retry_after=3")
    statuses = [search(client, fake, week()).status_code for _ in range(3)]
    assert statuses[0] == 200 and 429 in statuses
    _app(fake).faults = Faults(server_error=1.0)
    assert search(client, fake, week()).status_code in (500, 502, 503)


def test_churn_adds_orders_and_moves_others_on(client_for: Any) -> None:
    fake = _fake(orders=50, faults="churn=2")
    before = set(fake.order_ids())
    search(client_for(fake.app), fake, week())
    assert len(fake.order_ids()) == 52 and before < fake.order_ids()


# --- data ---------------------------------------------------------------------------------------


def test_the_seed_data_holds_the_cases_the_notes_ask_for(client_for: Any) -> None:
    fake = _fake(orders=600, seed=4)
    app = _app(fake)
    orders = [app.order(i) for i in range(len(fake.dataset))]
    assert any(len(o["destinations"]) > 1 for o in orders)  # multi-destination
    assert any(o["basic"]["order_status"] == "Cancel" for o in orders)
    assert any(
        o["basic"]["payment_method"] == "BankTransfer" and o["basic"]["payment_status"] == "Unpaid"
        for o in orders
    )
    assert [o["basic"]["order_number"] for o in orders[:3]] == ["10000001", "10000002", "10000003"]


def test_a_shop_can_number_orders_4_plus_4_restarting_each_day() -> None:
    app = _dense(300, days=10, seed=1, order_numbers="daily")
    numbers = [app.order(i, {"basic"})["basic"]["order_number"] for i in range(300)]
    assert all(len(n) == 8 and n.isdigit() for n in numbers)
    days: dict[str, list[int]] = {}
    for number in numbers:
        days.setdefault(number[:4], []).append(int(number[4:]))
    assert all(counts == list(range(1, len(counts) + 1)) for counts in days.values())


def test_the_same_seed_gives_the_same_buyers_as_the_other_platforms_fakes() -> None:
    shopserve = _fake(orders=300, seed=5)
    colorme = make_fake("colorme", orders=300, seed=5, end=END, clock=lambda: NOW)
    ours = {_app(shopserve).order(i)["basic"]["orderer"]["mail_address"] for i in range(300)}
    theirs = {colorme.dataset.orders[i].buyer.email for i in range(300)}
    assert ours & theirs


def test_a_mapping_overlay_moves_fields_and_body_keys_in_the_fake(client_for: Any) -> None:
    overlay = {
        "request": {"until": "to"},
        "response": {
            "orders": "result.orders",
            "order": {
                "grand_total": "basic.total_amount",
                "email": "basic.customer.email",
                "fees": ["basic.fee", "basic.cod_fee"],
            },
            "line": {"product_code": "code"},
        },
    }
    app = _dense(40, days=5, seed=2, mapping=overlay)
    client = client_for(app)
    body = search(client, app, {"since": week(days=6)["since"], "to": jst(END)}).json()
    orders = body["result"]["orders"]
    assert body["total_count"] == 40 and len(orders) == 40
    basic = orders[0]["basic"]
    assert "total_price" not in basic and isinstance(basic["total_amount"], int)
    assert "mail_address" not in basic["orderer"] and "@" in basic["customer"]["email"]
    assert basic["cod_fee"] == 0
    line = orders[0]["destinations"][0]["details"][0]
    assert "item_code" not in line and line["code"]


def test_the_fake_runs_behind_the_loopback_server() -> None:
    fake = _fake(orders=30)
    with serve_in_thread(fake.app) as base_url, httpx.Client(base_url=base_url) as client:
        response = client.post(PATH, content=json.dumps(week()), headers=auth(fake))
    assert response.status_code == 200 and response.json()["total_count"] >= 0
    assert fake.request_log.entries()[-1].path == PATH

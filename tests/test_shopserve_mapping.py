"""The ShopServe mapping: the built-in document, user overlays, and clear errors for bad files."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from clikit import invoke as kamei

from connectors.shopserve_mapping import (
    DESTINATION_FIELDS,
    LINE_FIELDS,
    ORDER_FIELDS,
    FieldPath,
    build_mapping,
    default_document,
    parse_mapping_file,
)
from connectors.shopserve_parse import parse_orders
from connectors.types import Window
from kamei.errors import ConfigError
from store import Store

NOTES = Path(__file__).resolve().parents[2] / "shared/platforms/shopserve/notes.md"
WINDOW = Window(dt.datetime(2024, 4, 1, tzinfo=dt.UTC), dt.datetime(2024, 4, 8, tzinfo=dt.UTC))


@cache
def notes_example() -> dict[str, Any]:
    """The response document of notes §11.2 (fictional data)."""
    if not NOTES.is_file():
        pytest.fail(f"ShopServe notes not found at {NOTES}: ../shared must sit beside the clone")
    block = NOTES.read_text(encoding="utf-8").split("### 11.2")[1].split("```json")[1]
    example: dict[str, Any] = json.loads(block.split("```")[0])
    return example


def test_the_built_in_mapping_reads_the_example_response_of_the_notes() -> None:
    mapping = build_mapping(None, "built in")
    orders, duplicates = parse_orders(
        notes_example()["orders"], mapping, shop="main", window=WINDOW
    )
    (order,) = orders
    assert duplicates == 0
    assert order.platform_order_id == "S0000000001"
    # "2024-04-02 14:05:31" is Japan time (notes §8): 05:05:31 UTC.
    assert order.ordered_at == dt.datetime(2024, 4, 2, 5, 5, 31, tzinfo=dt.UTC)
    assert order.updated_at == dt.datetime(2024, 4, 2, 6, 10, tzinfo=dt.UTC)
    assert (order.goods_total, order.shipping, order.grand_total) == (3300, 660, 3960)
    assert order.status == "pending" and order.payment_method == "CreditCard"
    assert order.delivery_method == "宅配便" and order.is_gift  # shipped to someone else
    assert order.buyer.email == "hanako@example.invalid" and order.buyer.prefecture == 13
    (line,) = order.lines
    assert (line.product_id, line.unit_price, line.quantity, line.subtotal) == (
        "SAMPLE-001",
        1650,
        2,
        3300,
    )
    assert line.variations == ("煎茶",) and line.tax_class == "reduced"


def test_the_built_in_mapping_sends_the_confirmed_call_and_names_every_assumption() -> None:
    mapping = build_mapping(None, "built in")
    request = mapping.request
    assert request.url_path == "/v2/orders/_retrieve/basic;destinations;details"
    assert request.since == "since"  # the only confirmed body key
    assert request.max_window == dt.timedelta(days=7)
    assert request.max_history == dt.timedelta(days=730)
    assert request.cursor == "updated"
    assert mapping.order_path("serial_code") == FieldPath("serial_code", ("serial_code",))
    assert "assumed" in default_document()["_about"]


def test_a_user_file_changes_only_the_keys_it_names() -> None:
    text = json.dumps(
        {
            "_why": "our API reference V2-M-0024 says total_amount",
            "response": {"order": {"grand_total": "basic.total_amount"}},
            "request": {"page_size": 50, "extra": {"sort": {"type": "OrderDate"}}},
        }
    )
    overlay = parse_mapping_file(text, "file custom.json")
    assert overlay["response"] == {"order": {"grand_total": "basic.total_amount"}}
    mapping = build_mapping(overlay, "stored for shop 'main'")
    assert mapping.order_path("grand_total") == FieldPath(
        "basic.total_amount", ("basic", "total_amount")
    )
    assert mapping.order_path("goods_total") == FieldPath(
        "basic.item_total", ("basic", "item_total")
    )
    assert mapping.request.page_size == 50
    assert mapping.request.extra == {"sort": {"type": "OrderDate"}}
    assert mapping.request.since == "since"


def test_a_summed_field_may_add_up_several_paths() -> None:
    overlay = {"response": {"order": {"fees": ["basic.fee", "basic.cod_fee?"]}}}
    mapping = build_mapping(overlay, "test")
    assert [p.text for p in mapping.response.order["fees"]] == ["basic.fee", "basic.cod_fee"]
    assert mapping.response.order["fees"][1].optional


def test_a_path_reads_present_null_through_a_null_parent_and_missing_through_an_absent_key() -> (
    None
):
    path = FieldPath.parse("basic.member.account")
    assert path.read({"basic": {"member": {"account": "m1"}}}) == (True, "m1")
    assert path.read({"basic": {"member": None}}) == (True, None)  # a guest
    assert path.read({"basic": {}}) == (False, None)
    assert path.read({"basic": "oops"}) == (False, None)
    assert FieldPath.parse("basic.orderer.sex?").optional


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{not json", "is not valid JSON (line 1)"),
        ("[1, 2]", "(top level): must be a JSON object"),
        ('{"mapping": "makeshop"}', 'mapping: must be "shopserve"'),
        (
            '{"response": {"order": {"grand_totl": "basic.x"}}}',
            "response.order.grand_totl: unknown key (known keys here: serial_code, ordered_at",
        ),
        ('{"request": {"page_size": 0}}', "request.page_size: must be a whole number from 1"),
        ('{"request": {"page_size": "100"}}', "request.page_size: must be a whole number"),
        ('{"request": {"path": "/v2/orders"}}', "request.path: must start with '/', contain"),
        ('{"request": {"parts": []}}', "request.parts: must be a non-empty list"),
        ('{"request": {"parts": ["basic;x"]}}', "request.parts: must be a non-empty list"),
        ('{"request": {"from": null}}', "'from' and 'size' are set together"),
        ('{"request": {"since": ""}}', "request.since: must be non-empty text"),
        ('{"request": {"until": null}}', "request.until: must be non-empty text"),
        ('{"request": {"datetime_format": "%Y-%m-%d"}}', "request.datetime_format: must be a"),
        ('{"request": {"utc_offset": "JST"}}', 'request.utc_offset: must look like "+09:00"'),
        ('{"request": {"cursor": "created"}}', "request.cursor: must be one of: updated, ordered"),
        ('{"request": {"extra": {"since": "x"}}}', "request.extra: repeats the body key 'since'"),
        ('{"request": "x"}', "request: must be a JSON object"),
        ('{"response": {"order": {"serial_code": null}}}', "serial_code: is required"),
        ('{"response": {"order": {"ordered_at": "basic.order_date?"}}}', "ordered_at: is required"),
        ('{"response": {"order": {"email": "basic..mail"}}}', "response.order.email: must be a"),
        ('{"response": {"order": {"email": 3}}}', "response.order.email: must be a dotted path"),
        ('{"response": {"order": {"fees": []}}}', "response.order.fees: lists at least one"),
        (
            '{"response": {"order": {"destinations": null}}}',
            "response.order.destinations: or response.order.lines must be given",
        ),
        ('{"values": {"default_status": "lost"}}', "values.default_status: must be one of"),
        (
            '{"values": {"statuses": [{"when": {"colour": ["Red"]}, "status": "paid"}]}}',
            "values.statuses[0].when.colour: is not a field of response.order",
        ),
        (
            '{"values": {"statuses": [{"when": {"order_status": "Cancel"}, "status": "paid"}]}}',
            "values.statuses[0].when.order_status: must be a list of texts",
        ),
        ('{"values": {"tax_rates": {"10": "high"}}}', "values.tax_rates: must map API values"),
    ],
)
def test_a_bad_mapping_file_is_a_config_error_naming_the_key_and_the_problem(
    text: str, expected: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_mapping_file(text, "file custom.json")
    message = str(caught.value)
    assert message.startswith("ShopServe mapping file custom.json")
    assert expected in message
    assert "docs/platforms.md" in message  # the next step: how to correct the mapping


def test_a_stored_mapping_that_no_longer_validates_names_the_shop() -> None:
    with pytest.raises(ConfigError, match=r"ShopServe mapping stored for shop 'main': request"):
        build_mapping({"request": {"page_size": -1}}, "stored for shop 'main'")


def test_comments_are_allowed_anywhere_and_ignored() -> None:
    overlay = parse_mapping_file(
        '{"_note": "from the V2-M-0024 reference", "request": {"_why": "x", "size": "limit"}}',
        "file a.json",
    )
    assert build_mapping(overlay, "test").request.size_key == "limit"


def test_the_built_in_document_is_package_data_and_a_fresh_copy_each_time() -> None:
    first = default_document()
    first["request"]["since"] = "changed"
    assert default_document()["request"]["since"] == "since"


# --- `kamei shop add --mapping FILE` ----------------------------------------------------------


def test_shop_add_keeps_a_checked_mapping_overlay_in_the_shops_settings(
    home: Path, tmp_path: Path
) -> None:
    overlay = {"response": {"order": {"grand_total": "basic.total_amount"}}}
    file = tmp_path / "shopserve-mapping.json"
    file.write_text(json.dumps(overlay), encoding="utf-8")
    assert kamei("init")[0] == 0
    code, out, err = kamei(
        "shop", "add", "main", "--platform", "shopserve", "--credential-stdin",
        "--mapping", str(file), input="example.jp:0011aabb\n",
    )  # fmt: skip
    assert code == 0, err
    assert "added shop 'main' (ショップサーブ)" in out
    with Store.open(home) as store:
        assert store.get_shop("main").settings["mapping"] == overlay
        assert store.get_credential("main") == {"shop_id": "example.jp", "manager_key": "0011aabb"}


def test_shop_add_refuses_a_bad_mapping_file_and_adds_nothing(home: Path, tmp_path: Path) -> None:
    file = tmp_path / "custom.json"
    file.write_text('{"response": {"order": {"grand_totl": "basic.x"}}}', encoding="utf-8")
    kamei("init")
    code, _, err = kamei("shop", "add", "main", "--platform", "shopserve", "--mapping", str(file))
    assert code == 2
    assert err.startswith(
        "kamei: error: ShopServe mapping file custom.json: response.order.grand_totl: unknown key"
    )
    assert "Traceback" not in err
    with Store.open(home) as store:
        assert store.list_shops() == []


def test_shop_add_says_where_mapping_applies_and_when_a_file_cannot_be_read(
    tmp_path: Path,
) -> None:
    kamei("init")
    file = tmp_path / "m.json"
    file.write_text("{}", encoding="utf-8")
    code, _, err = kamei("shop", "add", "a", "--platform", "colorme", "--mapping", str(file))
    assert code == 2 and "--mapping applies to ShopServe shops only" in err
    missing = tmp_path / "missing.json"
    code, _, err = kamei("shop", "add", "b", "--platform", "shopserve", "--mapping", str(missing))
    assert code == 2 and f"cannot read {missing} as UTF-8 text" in err


def test_the_docs_section_the_errors_point_to_exists_and_lists_every_mapped_field() -> None:
    docs = (Path(__file__).resolve().parents[1] / "docs/platforms.md").read_text(encoding="utf-8")
    assert "### Correcting the ShopServe mapping" in docs
    section = docs.split("### Correcting the ShopServe mapping")[1]
    document = default_document()
    for part in ("request", "values"):
        for key in document[part]:
            assert f"`{part}.{key}`" in section, key
    for field_name in (*ORDER_FIELDS, *DESTINATION_FIELDS, *LINE_FIELDS):
        assert f"`{field_name}`" in section, field_name

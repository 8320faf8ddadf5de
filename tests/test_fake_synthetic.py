"""The synthetic shop data every platform fake serves."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import time
import unicodedata
from collections import Counter

import pytest

from connectors.fakes.synthetic import (
    DIGIT_KINDS,
    PERSONAL_KINDS,
    Dataset,
    SynthOrder,
    catalogue,
    generate,
    has_canary,
    people,
)

END = dt.datetime(2026, 6, 1, 3, 0, tzinfo=dt.UTC)


def _fingerprint(dataset: Dataset) -> list[tuple[object, ...]]:
    return [
        (o.order_id, o.make_time, o.update_time, o.status, o.buyer.email, o.grand_total, o.remark)
        for o in dataset.orders
    ]


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return generate(seed=11, orders=3000, end=END)


@pytest.fixture(scope="module")
def canary() -> Dataset:
    return generate(seed=11, orders=1500, end=END, canary=True)


# --- determinism and shape -------------------------------------------------------------


def test_the_same_seed_gives_the_same_orders() -> None:
    first = generate(seed=5, orders=300, end=END)
    second = generate(seed=5, orders=300, end=END)
    assert _fingerprint(first) == _fingerprint(second)
    assert first.order_at(123) == second.order_at(123)


def test_a_different_seed_gives_different_orders() -> None:
    assert _fingerprint(generate(seed=5, orders=300, end=END)) != _fingerprint(
        generate(seed=6, orders=300, end=END)
    )


def test_generation_does_not_touch_the_global_random_state() -> None:
    random.seed(1234)
    expected = random.random()
    random.seed(1234)
    generate(seed=3, orders=200, end=END).personal_values()
    assert random.random() == expected


def test_order_ids_are_contiguous_and_rise_with_order_time(dataset: Dataset) -> None:
    orders = list(dataset.orders)
    assert [o.order_id for o in orders] == list(dataset.order_ids())
    assert all(a.make_time <= b.make_time for a, b in itertools.pairwise(orders))


def test_every_order_lies_in_the_period_and_is_updated_after_it_was_made(dataset: Dataset) -> None:
    start = int(END.timestamp()) - 730 * 86_400
    for order in dataset.orders:
        assert start <= order.make_time <= order.update_time <= int(END.timestamp())
        assert order.made_at.tzinfo is dt.UTC


def _check_money(order: SynthOrder) -> None:
    assert order.goods_total == sum(line.subtotal for line in order.lines)
    assert order.shipping == sum(d.shipping for d in order.deliveries)
    assert (
        order.grand_total
        == (order.goods_total + order.tax + order.shipping + order.fee - order.discount)
        - order.points_used
    )
    assert 0 <= order.discount <= order.goods_total + order.shipping
    assert order.grand_total >= 0
    for line in order.lines:
        assert line.subtotal == line.unit_price * line.quantity
        assert line.subtotal_with_tax == line.unit_price_with_tax * line.quantity


def test_money_fields_are_consistent_in_every_order(dataset: Dataset) -> None:
    for order in dataset.orders:
        _check_money(order)


def test_every_line_ships_to_exactly_one_destination(dataset: Dataset) -> None:
    for order in dataset.orders:
        shipped = sorted(j for d in order.deliveries for j in d.lines)
        assert shipped == list(range(len(order.lines)))


def test_statuses_cover_the_whole_life_cycle(dataset: Dataset) -> None:
    counts = Counter(o.status for o in dataset.orders)
    assert set(counts) == {"pending", "paid", "shipped", "cancelled", "returned"}
    assert counts["shipped"] > len(dataset) / 2  # most old orders have shipped


def test_slip_numbers_appear_only_once_an_order_has_shipped(dataset: Dataset) -> None:
    for order in dataset.orders:
        slips = [d.slip_number for d in order.deliveries if d.slip_number]
        if order.status not in ("shipped", "returned"):
            assert slips == []


def test_the_data_has_multi_destination_split_and_gift_orders(dataset: Dataset) -> None:
    orders = list(dataset.orders)
    assert any(o.multi_destination for o in orders)
    assert any(o.is_gift for o in orders)
    split = [o for o in orders if o.split_siblings]
    assert split and all(o.order_id in o.split_siblings for o in split)
    assert any(d.gift_message for o in orders for d in o.deliveries)
    assert any(d.noshi for o in orders for d in o.deliveries)
    assert any(line.engraving for o in orders for line in o.lines)


def test_the_catalogue_has_sensitive_products_and_formula_like_names() -> None:
    products = catalogue()
    categories = {p.category for p in products}
    assert {"hair-growth", "adult", "language-course"} <= categories
    assert {p.name[0] for p in products} >= {"=", "+", "-", "@"}
    assert {p.tax_class for p in products} == {"standard", "reduced"}


def test_phone_numbers_come_in_the_formats_shops_really_receive() -> None:
    phones = [p.phone for p in people(2, 400)]
    assert any(phone.startswith("+81") for phone in phones)
    assert any("０" in phone or "１" in phone for phone in phones)  # full-width digits
    assert any("-" in phone for phone in phones)
    assert any(phone.isdigit() for phone in phones)


def test_some_buyers_keep_birthday_and_gender_private() -> None:
    pool = [people(2, 400)[k] for k in range(400)]
    assert any(p.birthday is None for p in pool) and any(p.birthday for p in pool)
    assert any(p.gender is None for p in pool) and any(p.gender for p in pool)
    assert any(p.company for p in pool) and any(p.prefecture is None for p in people(2, 3000))


def test_a_generated_shop_refuses_a_naive_end_time() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        generate(orders=10, end=dt.datetime(2026, 1, 1))


def test_select_bounds_are_inclusive(dataset: Dataset) -> None:
    order = dataset.order_at(1000)
    found = dataset.select(made_from=order.make_time, made_to=order.make_time)
    assert 1000 in found
    assert all(dataset.make_time(i) == order.make_time for i in found)
    updated = dataset.select(updated_from=order.update_time, updated_to=order.update_time)
    assert 1000 in updated


# --- repeat buyers and pools shared across platforms -----------------------------------


def test_a_realistic_share_of_buyers_come_back(dataset: Dataset) -> None:
    counts = Counter(o.buyer.key for o in dataset.orders)
    repeaters = sum(1 for n in counts.values() if n > 1)
    assert 0.15 < repeaters / len(counts) < 0.6
    assert max(counts.values()) >= 4
    assert dataset.sales_count(counts.most_common(1)[0][0]) == counts.most_common(1)[0][1]


def test_person_k_is_the_same_whatever_the_pool_size() -> None:
    assert people(9, 50)[7] == people(9, 5000)[7]
    assert people(9, 50)[7] != people(10, 50)[7]


def test_two_platforms_built_from_one_seed_share_buyers_but_not_orders() -> None:
    colorme = generate(seed=21, orders=800, end=END, stream="colorme")
    makeshop = generate(seed=21, orders=500, end=END, stream="makeshop")
    shared = {o.buyer.key for o in colorme.orders} & {o.buyer.key for o in makeshop.orders}
    assert len(shared) > 20
    key = min(shared)
    assert colorme.persons[key] == makeshop.persons[key]
    assert _fingerprint(colorme)[:50] != _fingerprint(makeshop)[:50]


def test_an_explicit_pool_is_used_as_given() -> None:
    pool = people(4, 30)
    first = generate(seed=1, orders=200, end=END, persons=pool, stream="colorme")
    assert {o.buyer.key for o in first.orders} <= set(range(30))
    with pytest.raises(ValueError, match="canary"):
        generate(seed=1, orders=10, end=END, persons=pool, canary=True)


# --- leak-scanning support -------------------------------------------------------------


def _expected_personal(dataset: Dataset) -> set[str]:
    """Every personal field value, collected independently of personal_values()."""
    values: set[str] = set()
    for order in dataset.orders:
        persons = [order.buyer] + [d.recipient for d in order.deliveries]
        for p in persons:
            values |= {p.name, p.kana, p.phone, p.postal, p.address1}
            for optional in (p.email, p.mobile, p.company, p.department, p.address2, p.member_id):
                if optional:
                    values.add(optional)
            if p.birthday:
                values.add(p.birthday.isoformat())
        for d in order.deliveries:
            for text in (d.gift_message, d.noshi, d.memo, d.slip_number):
                if text:
                    values.add(text)
        values |= {line.engraving for line in order.lines if line.engraving}
        values |= {t for t in (order.remark, order.transaction_id) if t}
    return values


def test_personal_values_cover_every_personal_field(dataset: Dataset) -> None:
    found = dataset.personal_values()
    missing = _expected_personal(dataset) - found
    assert not missing, f"{len(missing)} personal values not reported"
    assert set(dataset.personal_values_by_kind()) == set(PERSONAL_KINDS)


def test_personal_values_include_the_forms_a_leak_would_take(dataset: Dataset) -> None:
    found = dataset.personal_values()
    buyer = next(o.buyer for o in dataset.orders if o.buyer.phone.startswith("+81"))
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", buyer.phone) if ch.isdigit())
    assert "0" + digits[2:] in found
    assert f"{buyer.postal[:3]}-{buyer.postal[3:]}" in found
    assert "".join(buyer.name.split()) in found


def test_personal_values_hold_nothing_that_is_not_personal(dataset: Dataset) -> None:
    found = dataset.personal_values()
    assert not {p.name for p in catalogue()} & found
    assert not {o.payment_method for o in dataset.orders} & found


def test_in_canary_mode_every_personal_text_carries_the_marker(canary: Dataset) -> None:
    by_kind = canary.personal_values_by_kind()
    for kind, values in by_kind.items():
        if kind in DIGIT_KINDS:
            continue
        assert values, kind
        unmarked = [v for v in values if not has_canary(v)]
        assert not unmarked, f"{kind}: {len(unmarked)} values without the canary marker"


def test_in_canary_mode_personal_values_are_unique_per_person(canary: Dataset) -> None:
    buyers = {o.buyer.key: o.buyer for o in canary.orders}
    recipients = [d.recipient for o in canary.orders for d in o.deliveries if not d.is_buyer]
    everyone = list(buyers.values()) + recipients
    for attribute in ("name", "kana", "phone", "postal", "address1"):
        values = [getattr(p, attribute) for p in everyone]
        assert len(set(values)) == len(values), attribute
    emails = [p.email for p in buyers.values()]
    assert len(set(emails)) == len(emails)
    assert all(e and e.startswith("knry") for e in emails)
    slips = [d.slip_number for o in canary.orders for d in o.deliveries if d.slip_number]
    assert len(set(slips)) == len(slips)


def test_canary_markers_differ_between_platforms() -> None:
    a = generate(seed=1, orders=300, end=END, canary=True, stream="colorme")
    b = generate(seed=1, orders=300, end=END, canary=True, stream="makeshop")
    remarks_a = {o.remark for o in a.orders if o.remark}
    remarks_b = {o.remark for o in b.orders if o.remark}
    assert remarks_a and remarks_b and not remarks_a & remarks_b


# --- churn and scale ---------------------------------------------------------------------


def test_mutate_adds_an_order_and_moves_a_recent_one_on() -> None:
    shop = generate(seed=8, orders=400, end=END)
    now = int(END.timestamp()) + 3600
    before = {o.order_id: (o.status, o.update_time) for o in shop.orders}
    change = shop.mutate(random.Random(1), now)
    assert len(shop) == 401 and change.created == shop.order_id_start + 400
    created = shop.order(change.created)
    assert created.make_time == created.update_time == now
    assert created.status in ("pending", "paid")
    assert change.updated is not None
    updated = shop.order(change.updated)
    assert updated.update_time == now
    assert updated.status != before[change.updated][0]
    unchanged = [i for i in before if i != change.updated]
    assert all((shop.order(i).status, shop.order(i).update_time) == before[i] for i in unchanged)


def test_a_hundred_thousand_orders_generate_in_a_few_seconds() -> None:
    started = time.perf_counter()
    shop = generate(seed=1, orders=100_000, end=END)
    for index in range(0, 100_000, 100):
        shop.order_at(index)
    assert len(shop) == 100_000
    assert time.perf_counter() - started < 5.0

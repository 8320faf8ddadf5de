"""Property-based tests: the connectors' parsers against arbitrary JSON around the real shapes.

The starting points are real entries, as each fake serves them. Hypothesis then
breaks them: values replaced by nulls, wrong types, absurd or negative numbers,
huge strings, impossible dates, emoji, full- and half-width forms, HTML
entities and unexpected nesting; keys deleted; values wrapped in lists or
objects. Whatever comes in:

- a parser returns an order whose every number a store and a report can hold,
  or rejects the entry with a reason made of field names only (never a value);
- a sync never crashes on it: a malformed order is skipped and counted in the
  run log with that reason, and the rest of the page is stored (ShopServe,
  whose wire format is a mapping kamei assumes, refuses the whole response
  instead, naming the field, and stores nothing of it);
- a response that is not an order page at all stops that shop with one line
  and commits nothing from it.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any
from wsgiref.types import StartResponse, WSGIEnvironment

import httpx
import pytest
import sqlalchemy as sa
from faultkit import BASE_URL, VirtualTime, add_shop, keys_for, virtual_retries
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connectors import RawOrder, Window, make_client
from connectors.colorme import MalformedSale, parse_sale
from connectors.fakes import FakePlatform, make_fake
from connectors.http import loads
from connectors.makeshop_parse import MalformedOrder, MemberContact, parse_member
from connectors.makeshop_parse import parse_order as parse_makeshop_order
from connectors.registry import get_platform
from connectors.shopserve_mapping import build_mapping
from connectors.shopserve_parse import parse_order as parse_shopserve_order
from connectors.types import MAX_AMOUNT
from store import Store
from sync import Pseudonymiser, SyncOptions, sync_shops, to_record

DAYS = 10
SINCE = SyncOptions(since=dt.datetime.now(dt.UTC) - dt.timedelta(days=DAYS + 1))
INT64 = 2**63

# --- what the wire may hold ------------------------------------------------------------

NASTY_TEXT = [
    "",
    " ",
    "\u3000",  # an ideographic (full-width) space
    "null",
    "NaN",
    "-1",
    "1e309",
    "9" * 5000,  # more digits than int() takes
    "x" * 30_000,  # a huge string
    "0000-00-00 00:00:00",
    "2024-02-30 25:61:61",
    "0001-01-01 00:00:00",  # before the epoch, and before UTC's year 1 in JST
    "9999-12-31 23:59:59",
    "00010101000000",
    "20240230",
    "２０２４－０１－０５",  # full-width digits and dash
    "１２３４５",
    "ﾃｽﾄ ｶﾀｶﾅ",  # half-width kana
    "&amp;&lt;b&gt;&#x1F600;&#0;&#xD800;",
    "😀🏳️‍🌈" * 30,
    "\x00\x1f\x7f",
    "\u202etxet desrever",
    "+81-90-0000-0000",
    "ｔｅｓｔ＠ｅｘａｍｐｌｅ．ｊｐ",
    "<html><body>503</body></html>",
]
BIG_NUMBERS = [-(2**70), -(2**63), -1, 0, 2**31, 2**53 + 1, 2**63, 2**70, 10**15, 253_402_300_799]

leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from(BIG_NUMBERS),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(NASTY_TEXT),
)
json_values = st.recursive(
    leaves,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=5,
)

Path_ = tuple[Any, ...]


def paths(value: Any, prefix: Path_ = ()) -> Iterator[Path_]:
    """Every place in a JSON value that can be replaced or deleted."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key)
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*prefix, index)
            yield from paths(item, (*prefix, index))


# For a value of a kind, the nasty values of a kind close to it: an amount becomes a
# huge, negative, fractional or spelled-out one, a time string an impossible date.
NASTY_NUMBERS: list[Any] = [
    *BIG_NUMBERS,
    0.5,
    -0.0,
    1e300,
    float("inf"),
    float("nan"),
    True,
    "9" * 5000,
    "１２３",
    "-7",
]
NASTY_BY_KIND: dict[type, list[Any]] = {
    int: NASTY_NUMBERS,
    float: NASTY_NUMBERS,
    str: [*NASTY_TEXT, *BIG_NUMBERS, None, [], {}],
    bool: [None, 0, 1, "true", "false", []],
}
EVERY_NASTY: list[Any] = [None, [], {}, [None], {"": None}, *NASTY_NUMBERS, *NASTY_TEXT]

Breakage = list[tuple[int, str, Any, int]]
"""What to break in an entry: (which place, modulo their number; how; a new value; which
nasty value of the place's kind, modulo their number)."""

breakages = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=10**6),
        st.sampled_from(["akin", "akin", "replace", "delete", "wrap", "nest"]),
        json_values,
        st.integers(min_value=0, max_value=10**6),
    ),
    min_size=1,
    max_size=5,
)


def mutate(breakage: Breakage, entry: Any, strings: list[str]) -> Any:
    """A copy of ``entry`` broken as ``breakage`` says; values put in go to ``strings``."""
    broken = copy.deepcopy(entry)
    for place, action, value, nasty in breakage:
        places = list(paths(broken))
        if not places:
            break
        parent, key = locate(broken, places[place % len(places)])
        if action == "akin":
            choices = NASTY_BY_KIND.get(type(parent[key]), EVERY_NASTY)
            value, action = choices[nasty % len(choices)], "replace"
        if action == "replace":
            strings.extend(_strings(value))
            parent[key] = copy.deepcopy(value)
        elif action == "delete" and isinstance(parent, dict):
            del parent[key]
        elif action == "wrap":
            parent[key] = [parent[key]]
        else:
            parent[key] = {"value": parent[key]}
    return broken


def locate(root: Any, where: Path_) -> tuple[Any, Any]:
    parent = root
    for step in where[:-1]:
        parent = parent[step]
    return parent, where[-1]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)


def assert_holds_no_drawn_value(reason: str, strings: Iterable[str]) -> None:
    """No drawn value in ``reason``: the planted nasty ones from 4 characters, any other
    from 8 (shorter random text can be an ordinary word of the message itself)."""
    for text in strings:
        least = 4 if text in NASTY_TEXT else 8
        if len(text.strip()) >= least:
            assert text not in reason, f"a drawn value leaked into {reason!r}"


def assert_storable(order: RawOrder) -> None:
    """Every number fits the store and every sum a report makes (no overflow)."""
    money = (
        order.goods_total,
        order.shipping,
        order.fees,
        order.tax,
        order.discounts,
        order.grand_total,
        order.points_used,
    )
    lines = [n for line in order.lines for n in (line.unit_price, line.quantity, line.subtotal)]
    for number in (*money, *lines):
        assert isinstance(number, int) and not isinstance(number, bool)
        assert abs(number) <= MAX_AMOUNT, number
    for moment in (order.ordered_at, order.updated_at):
        assert moment.tzinfo is not None
        assert abs(int(moment.timestamp())) < INT64
    keys = Pseudonymiser(key=b"k" * 32, version=1)
    record = to_record(order, platform="test", shop="main", keys=keys)
    assert record.order_key and record.buyer.startswith("p1_")


# --- real entries, as each fake serves them ----------------------------------------------


class Capture(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.bodies: list[Any] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        response.read()
        self.bodies.append(json.loads(response.content))
        return response


ENTRIES: dict[str, Callable[[Any], list[Any] | None]] = {
    "colorme": lambda body: body.get("sales"),
    "makeshop": lambda body: (body.get("data") or {}).get("searchOrder", {}).get("orders"),
    "shopserve": lambda body: body.get("orders"),
}


def make(platform: str, orders: int = 40, seed: int = 3) -> FakePlatform:
    return make_fake(platform, orders=orders, seed=seed, days=DAYS, canary=True)


def real_entries(platform: str) -> list[Any]:
    fake = make(platform)
    capture = Capture(httpx.WSGITransport(app=fake.app))
    spec = get_platform(platform)
    now = dt.datetime.now(dt.UTC)
    with make_client(BASE_URL, transport=capture) as client:
        connector = spec.build(client, spec.parse_credential(fake.credential), {"shop": "main"})
        connector.fetch_page(Window(now - dt.timedelta(days=7), now), 0)
    found = [entries for body in capture.bodies if (entries := ENTRIES[platform](body))]
    assert found and found[0], f"the {platform} fake served no orders"
    return list(found[0])


@functools.cache
def entries(platform: str) -> list[Any]:
    return real_entries(platform)


def pick(items: list[Any], which: int) -> Any:
    return items[which % len(items)]


PROPERTY = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- the parsers ---------------------------------------------------------------------------

COLORME_REASON = re.compile(r"(missing|bad) [a-z_]+(\.[a-z_]+)?|sale not an object")
MAKESHOP_REASON = re.compile(r"(missing|bad) [A-Za-z]+(\.[A-Za-z]+)?|order not an object")
SHOPSERVE_WHAT = re.compile(r"[a-z_ .]+")


@PROPERTY
@given(which=st.integers(min_value=0), breakage=breakages)
def test_the_color_me_parser_keeps_a_storable_order_or_names_the_field(
    which: int, breakage: Breakage
) -> None:
    strings: list[str] = []
    sale = mutate(breakage, pick(entries("colorme"), which), strings)
    try:
        order = parse_sale(sale)
    except MalformedSale as exc:
        assert COLORME_REASON.fullmatch(exc.reason), exc.reason
        assert str(exc) == exc.reason
        assert_holds_no_drawn_value(exc.reason, strings)
        return
    assert_storable(order)


@PROPERTY
@given(which=st.integers(min_value=0), breakage=breakages, known=st.booleans())
def test_the_makeshop_parser_keeps_a_storable_order_or_names_the_field(
    which: int, breakage: Breakage, known: bool
) -> None:
    strings: list[str] = []
    entry = mutate(breakage, pick(entries("makeshop"), which), strings)
    member = MemberContact("a@example.jp", "0312345678", 13) if known else None
    try:
        order = parse_makeshop_order(entry, lambda _: member)
    except MalformedOrder as exc:
        assert MAKESHOP_REASON.fullmatch(exc.reason), exc.reason
        assert_holds_no_drawn_value(exc.reason, strings)
        return
    assert_storable(order)


@PROPERTY
@given(member=json_values | st.dictionaries(st.sampled_from(["memberId", "email", "tel",
       "etcphone", "haddress1", "haddressAddr"]), json_values))  # fmt: skip
def test_a_makeshop_member_record_of_any_shape_is_read_or_ignored(member: Any) -> None:
    parsed = parse_member(member)
    assert parsed is None or (isinstance(parsed[0], str) and isinstance(parsed[1], MemberContact))


@PROPERTY
@given(which=st.integers(min_value=0), breakage=breakages)
def test_the_shopserve_parser_keeps_a_storable_order_or_names_the_fields(
    which: int, breakage: Breakage
) -> None:
    strings: list[str] = []
    entry = mutate(breakage, pick(entries("shopserve"), which), strings)
    order, problems = parse_shopserve_order(entry, MAPPING)
    for path, what in problems:
        assert SHOPSERVE_WHAT.fullmatch(what), what
        assert path == "orders[]" or path.split("[].")[0].split(".")[0] in KNOWN_ROOTS, path
        assert_holds_no_drawn_value(f"{path} {what}", strings)
    if order is None:
        assert problems
    else:
        assert not problems
        assert_storable(order)


MAPPING = build_mapping(None, "built in")


@pytest.mark.parametrize("platform", ["colorme", "makeshop", "shopserve"])
def test_every_field_of_a_real_entry_set_to_every_nasty_value_is_parsed_or_named(
    platform: str,
) -> None:
    """Systematic where the properties above sample: each place × each nasty value."""
    entry = entries(platform)[0]
    tried = 0
    for where in list(paths(entry)):
        for value in EVERY_NASTY:
            broken = copy.deepcopy(entry)
            parent, key = locate(broken, where)
            parent[key] = copy.deepcopy(value)
            check_parser(platform, broken, list(_strings(value)))
            tried += 1
    assert tried > 1000


def check_parser(platform: str, entry: Any, strings: list[str]) -> None:
    if platform == "shopserve":
        order, problems = parse_shopserve_order(entry, MAPPING)
        for path, what in problems:
            assert SHOPSERVE_WHAT.fullmatch(what), what
            assert_holds_no_drawn_value(f"{path} {what}", strings)
        assert (order is None) == bool(problems)
    else:
        try:
            if platform == "colorme":
                order = parse_sale(entry)
            else:
                order = parse_makeshop_order(entry, lambda _: None)
        except (MalformedSale, MalformedOrder) as exc:
            pattern = COLORME_REASON if platform == "colorme" else MAKESHOP_REASON
            assert pattern.fullmatch(exc.reason), exc.reason
            assert_holds_no_drawn_value(exc.reason, strings)
            return
    if order is not None:
        assert_storable(order)


KNOWN_ROOTS = {"serial_code", "basic", "destinations", "details", "buyer", "customer"}


# --- a whole sync over broken entries --------------------------------------------------------


class Mangle:
    """WSGI middleware: the first order page's entries go through ``change``."""

    def __init__(self, fake: FakePlatform, change: Callable[[list[Any]], list[Any]]) -> None:
        self.fake = fake
        self.change = change
        self.pristine: list[Any] | None = None
        self.served: list[Any] | None = None

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        captured: dict[str, Any] = {}

        def keep(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            captured["status"], captured["headers"] = status, headers
            return lambda _: None

        body = b"".join(self.fake.app(environ, keep))
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        if self.served is None and captured["status"].startswith("200"):
            doc = json.loads(body)
            found = ENTRIES[self.fake.platform](doc)
            if found:
                self.pristine = copy.deepcopy(found)
                self.served = self.change(found)
                found[:] = self.served
                body = json.dumps(doc, ensure_ascii=False, allow_nan=True).encode()
                # The entries as the sync reads them: through kamei's own JSON reader
                # (integers beyond 64 bits come back as floats).
                self.served = ENTRIES[self.fake.platform](loads(body))
        start_response(captured["status"], [*headers, ("Content-Length", str(len(body)))])
        return [body]


ID_OF = {
    "colorme": lambda entry: str(entry["id"]),
    "makeshop": lambda entry: str(entry["systemOrderNumber"]),
    "shopserve": lambda entry: str(entry["serial_code"]),
}


def parses(platform: str, entry: Any) -> RawOrder | None:
    """The parser's own verdict on one entry (the oracle for what the sync may store)."""
    try:
        if platform == "colorme":
            return parse_sale(entry)
        if platform == "makeshop":
            return parse_makeshop_order(entry, lambda _: None)
    except (MalformedSale, MalformedOrder):
        return None
    order, _ = parse_shopserve_order(entry, MAPPING)
    return order


@pytest.mark.parametrize("platform", sorted(ENTRIES))
def test_a_sync_over_broken_entries_skips_and_counts_them_and_stores_the_rest(
    platform: str, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    virtual_retries(monkeypatch, VirtualTime())
    with Store.create(home) as store:
        counter = iter(range(10_000))

        @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck))
        @given(broken=st.dictionaries(st.integers(min_value=0), breakages, max_size=4))
        def one_sync(broken: dict[int, Breakage]) -> None:
            name = f"shop-{next(counter)}"
            fake = make(platform, orders=30, seed=5)  # the same data on every replay
            strings: list[str] = []

            def change(entries: list[Any]) -> list[Any]:  # runs on the sync's fetch thread
                plan = {which % len(entries): breakage for which, breakage in broken.items()}
                return [
                    mutate(plan[i], entry, strings) if i in plan else entry
                    for i, entry in enumerate(entries)
                ]

            mangle = Mangle(fake, change)
            shop = add_shop(store, fake, name)
            transport = httpx.WSGITransport(app=mangle)
            (result,) = sync_shops(store, [name], options=SINCE, transport_for=lambda _: transport)
            check_one_sync(store, fake, mangle, result, shop.id, name, strings)

        one_sync()


def check_one_sync(
    store: Store,
    fake: FakePlatform,
    mangle: Mangle,
    result: Any,
    shop_id: int,
    name: str,
    strings: list[str],
) -> None:
    platform = fake.platform
    assert mangle.served is not None and mangle.pristine is not None
    verdicts = [parses(platform, entry) for entry in mangle.served]
    rejected = sum(order is None for order in verdicts)
    stored = store.order_keys(shop_id)
    with store.connect() as conn:
        run = conn.execute(
            sa.text("SELECT * FROM sync_runs WHERE shop_id = :s ORDER BY id DESC LIMIT 1"),
            {"s": shop_id},
        ).one()
    problems: dict[str, int] = json.loads(run.problems)
    for text in [run.error or "", *problems]:
        assert "\n" not in text
        assert_holds_no_drawn_value(text, strings)

    broken_ids = {
        ID_OF[platform](e) for e, v in zip(mangle.pristine, verdicts, strict=True) if v is None
    }
    intact = fake.order_ids() - {ID_OF[platform](e) for e in mangle.pristine}
    if platform == "shopserve" and rejected:
        # The whole response is refused, naming the field: nothing of it is stored.
        assert not result.ok and "does not match the expected ShopServe format" in run.error
        assert keys_for(
            store, platform, {ID_OF[platform](e) for e in mangle.pristine}, name
        ).isdisjoint(stored)
        return
    assert result.ok, result.stats.error
    parsed = [order.platform_order_id for order in verdicts if order is not None]
    parsed_ids = set(parsed)
    # ShopServe counts a serial_code served twice in one response as skipped too.
    duplicates = len(parsed) - len(parsed_ids) if platform == "shopserve" else 0
    counted = sum(problems.values()) - problems.get("window count mismatch", 0)
    assert run.skipped == rejected + duplicates == counted, (run.skipped, rejected, problems)
    # Every entry the parser accepts is stored (under the id it now carries), every
    # entry of the other pages too; nothing else but the broken entries' own orders,
    # which a re-read of a window whose count fell short fetches again intact.
    assert keys_for(store, platform, intact | parsed_ids, name) <= stored
    assert stored <= keys_for(store, platform, intact | parsed_ids | broken_ids, name)


# --- a response that is not an order page at all --------------------------------------------


@pytest.mark.parametrize("platform", sorted(ENTRIES))
def test_a_response_that_is_no_order_page_stops_the_shop_and_commits_none_of_it(
    platform: str, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vt = VirtualTime()
    virtual_retries(monkeypatch, vt)
    with Store.create(home) as store:
        counter = iter(range(10_000))

        @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
        @given(body=json_values.filter(lambda v: not isinstance(v, list)))
        def one_sync(body: Any) -> None:
            name = f"shop-{next(counter)}"
            fake = make(platform, orders=10, seed=5)
            shop = add_shop(store, fake, name)
            content = json.dumps(body, allow_nan=True).encode()
            headers = {"Content-Type": "application/json"}
            transport = httpx.MockTransport(
                lambda _: httpx.Response(200, content=content, headers=headers)
            )
            (result,) = sync_shops(store, [name], options=SINCE, transport_for=lambda _: transport)
            assert not result.ok
            error = result.stats.error or ""
            assert "\n" not in error and f"'{name}'" in error, error
            assert_holds_no_drawn_value(error, _strings(body))
            assert store.count_orders(shop.id) == 0

        one_sync()
    assert all(s >= 0.5 for s in vt.sleeps)

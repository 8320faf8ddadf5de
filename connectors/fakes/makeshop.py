"""A fake MakeShop GraphQL API (``POST /v1/graphql``) as a plain WSGI app.

It follows ``shared/platforms/makeshop/notes.md`` §2–§9: the three headers
(``authorization: Bearer PAT.<64 hex>``, ``x-api-key``, ``x-timestamp`` valid for
one hour), ``searchOrder``, ``searchMember`` and ``getShop`` executed by
graphql-core against the schema in :mod:`.makeshop_schema` (so clients' real
documents are parsed and only the selected fields come back), unknown fields
and bad input answered with HTTP 422 and a top-level ``errors[]``, introspection
and unapproved operations answered with ``FORBIDDEN``, ``limit`` clamped to 200
while ``searchedCount`` stays uncapped, and the data quirks: ``YYYY-MM-DD
HH:MM:SS`` order dates next to 14-digit delivery and registration dates, ``--``
for no desired date, guest ``memberId`` values that embed the buyer's name, free
text in ``slipNumber``, prefecture names on orders but MakeShop's own codes on
members, ``||``-joined messages, withdrawn members whose personal data is gone.

Choices where the notes leave MakeShop's behaviour open (constructor switches
where it matters): auth failures answer ``auth_status`` (401) with an
``UNAUTHORIZED`` error; FORBIDDEN answers come with HTTP 200 and
``extensions.code``; without ``sortOrder`` orders come newest first; without
``limit`` a page holds 100; a request overlapping another (``serial=True``) or
over the ``rate`` fault answers 429 with ``Retry-After``. MakeShop's 1 request/s
rule is the fault spec ``rate=60,burst=1``. Faults from :mod:`.faults` apply to
every ``/v1/graphql`` request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from wsgiref.types import StartResponse, WSGIEnvironment

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLResolveInfo,
    Visitor,
    execute_sync,
    parse,
    validate,
    visit,
)

from . import FakePlatform
from .faults import (
    Decision,
    FaultDice,
    Faults,
    RequestLog,
    churn_orders,
    retry_after_headers,
    send,
)
from .makeshop_schema import schema
from .synthetic import DELIVERY_METHODS, Dataset, Person, SynthOrder

__all__ = ["GRAPHQL_PATH", "ORDER_ID_START", "PAGE_CAP", "FakeMakeShop", "build"]

ORDER_ID_START = 100_000_000_000_000_001
"""``systemOrderNumber`` is ``P`` + 18 digits (notes §3.4): ``P100000000000000001`` …"""
GRAPHQL_PATH = "/v1/graphql"
PAGE_CAP = 200
DEFAULT_LIMIT = 100
MAX_BODY = 5 * 1024 * 1024  # requests over 5 MB may be rejected (notes §2.3)
TIMESTAMP_VALIDITY = 3600
JST = dt.timezone(dt.timedelta(hours=9), "JST")
OPERATIONS = frozenset({"getShop", "searchOrder", "searchMember"})

_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}
# Payment codes as one integrator read them (notes §3.7); unpaid orders get a code
# outside that list, which the same reading treats as unpaid.
_PAID_CODES = {"代金引換": "0000", "銀行振込": "0002", "クレジットカード決済": "0004"}
_UNPAID_CODE = "0005"
_CANCELLED_CODE = "0003"
_DELIVERY_LETTERS = {"pending": "N", "paid": "N", "shipped": "Y", "cancelled": "C", "returned": "R"}
_METHOD_IDS = {label: str(i + 1) for i, label in enumerate(DELIVERY_METHODS)}
_WITHDRAWN_EVERY = 53  # person keys ≡ 7 (mod 53) have left the shop: their data is deleted


# --- replies ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Reply:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    fault: str | None = None


def _json(status: int, payload: object, **kw: Any) -> _Reply:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return _Reply(status, body, **kw)


def _error(status: int, message: str, code: str | None = None, **kw: Any) -> _Reply:
    item: dict[str, Any] = {"message": message}
    if code is not None:
        item["extensions"] = {"code": code}
    return _json(status, {"errors": [item]}, **kw)


def _html(status: int, title: str, text: str, **kw: Any) -> _Reply:
    page = (
        f'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><h1>{title}</h1><p>{text}</p></body></html>"
    )
    return _Reply(status, page.encode(), "text/html; charset=utf-8", **kw)


def _forbidden(what: str) -> GraphQLError:
    return GraphQLError(f"{what} is not permitted", extensions={"code": "FORBIDDEN"})


class _BadInput(GraphQLError):
    """Input the API rejects: answered with HTTP 422 (notes §5)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(
            f"{message}, path: variable.input.{path}", extensions={"code": "BAD_USER_INPUT"}
        )


# --- wire formats ------------------------------------------------------------------------


def _dashed(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, JST).strftime("%Y-%m-%d %H:%M:%S")


def _compact(seconds: int) -> str:
    return dt.datetime.fromtimestamp(seconds, JST).strftime("%Y%m%d%H%M%S")


def _input_time(value: object, path: str) -> int | None:
    """A 14-digit JST input bound → Unix seconds (``None`` when absent)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) != 14 or not value.isdigit():
        raise _BadInput(path, "invalid date format (want YYYYMMDDHHMMSS)")
    try:
        when = dt.datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=JST)
    except ValueError:
        raise _BadInput(path, "invalid date") from None
    return int(when.timestamp())


def _makeshop_pref(person: Person) -> int:
    """MakeShop's own code (notes §3.8): Tokyo split, +1 after Tokyo, 49 islands, 50 abroad."""
    jis = person.prefecture
    if jis is None:
        return 50
    if person.key % 97 == 3:  # a few live on remote islands
        return 49
    if jis < 13:
        return jis
    if jis == 13:
        return 14 if person.key % 4 == 0 else 13
    return jis + 1


def _pref_label(code: int, person: Person) -> str:
    special = {13: "東京(23区内)", 14: "東京(23区外)", 49: "離島部", 50: "海外"}
    return special.get(code) or person.prefecture_name or ""


class _Introspection(Visitor):
    found = False

    def enter_field(self, node: FieldNode, *_: object) -> None:
        if node.name.value in ("__schema", "__type"):
            self.found = True


def _introspects(document: DocumentNode) -> bool:
    visitor = _Introspection()
    visit(document, visitor)
    return visitor.found


# --- the app -----------------------------------------------------------------------------


class FakeMakeShop:
    """MakeShop's GraphQL API over a :class:`Dataset`. Thread-safe; call it as a WSGI app."""

    platform = "makeshop"

    def __init__(
        self,
        dataset: Dataset,
        *,
        faults: Faults | str = "",
        seed: int = 0,
        clock: Callable[[], float] = time.time,
        page_cap: int = PAGE_CAP,
        operations: frozenset[str] = OPERATIONS,
        auth_status: int = 401,
        serial: bool = True,
    ) -> None:
        self.dataset = dataset
        self.clock = clock
        self.page_cap = page_cap
        self.operations = operations
        """Operations the app is approved for; others answer FORBIDDEN (notes §2.1)."""
        self.auth_status = auth_status
        self.serial = serial
        self.repeat_pages = False
        """When set, page N > 1 serves page N-1's orders again (a loop-guard test)."""
        self._repeat = threading.local()  # the "repeat" fault rolled for this thread's request
        self.request_log = RequestLog()
        self.operation_log: list[str] = []
        """The root fields asked for, one entry per executed request ("searchOrder"…)."""
        self._seed = seed
        self._lock = threading.Lock()
        self._in_flight = 0
        self._revoked = False
        self._injected: list[tuple[int, str]] = []
        digest = hashlib.sha256(f"makeshop-fake:{seed}".encode()).hexdigest()
        self.token = "PAT." + digest
        """The permanent token the fake accepts (``PAT.`` + 64 hex digits, notes §2.2)."""
        self.api_key = hashlib.sha256(f"makeshop-fake-key:{seed}".encode()).hexdigest()
        self.faults = Faults.parse(faults) if isinstance(faults, str) else faults
        self._root = {
            "getShop": self._get_shop,
            "searchOrder": self._search_order,
            "searchMember": self._search_member,
        }

    # -- controls --

    @property
    def faults(self) -> Faults:
        return self._dice.faults

    @faults.setter
    def faults(self, value: Faults) -> None:
        self._dice = FaultDice(value, self._seed)

    @property
    def credential(self) -> str:
        """What ``kamei shop add --platform makeshop --credential-stdin`` takes."""
        return json.dumps({"token": self.token, "api_key": self.api_key})

    def revoke(self) -> None:
        """The shop uninstalls the app: the token stops working (notes §2.1)."""
        with self._lock:
            self._revoked = True

    def inject_errors(
        self, count: int, code: str = "INTERNAL_SERVER_ERROR", status: int = 200
    ) -> None:
        """Answer the next ``count`` requests with a GraphQL error ``code`` and ``status``."""
        with self._lock:
            self._injected.extend([(status, code)] * count)

    def churn(self, changes: int) -> None:
        """Create ``changes`` orders and move ``changes`` others on, at the fake's now."""
        churn_orders(self.dataset, self._dice, self.clock, changes)

    def platform_order_ids(self) -> set[str]:
        return {f"P{order_id}" for order_id in self.dataset.order_ids()}

    def member_id(self, person: Person) -> str:
        """A member's id: registration date ``YYMMDD`` + 6 digits (notes §3.4)."""
        registered = self._registered(person)
        return (
            dt.datetime.fromtimestamp(registered, JST).strftime("%y%m%d")
            + f"{person.key % 10**6:06d}"
        )

    def guest_id(self, index: int, person: Person) -> str:
        """A guest order's ``memberId``: ``X`` + 6 digits + the buyer's name (notes §3.4)."""
        return f"X{index % 10**6:06d}{person.name}"

    def personal_values(self) -> set[str]:
        """Every personal value the fake serves: the dataset's, plus MakeShop's own member
        and guest ids (a guest id carries a name, so it must never be stored)."""
        values = self.dataset.personal_values()
        with self.dataset.lock:
            for index in range(len(self.dataset)):
                person = self.dataset.persons[self.dataset.buyer_key(index)]
                values.add(
                    self.member_id(person) if person.is_member else self.guest_id(index, person)
                )
        return values

    # -- WSGI --

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        arrived = time.monotonic()
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO") or "/"
        api = path == GRAPHQL_PATH
        f = self.faults
        decision = self._dice.decide() if api else Decision(f.latency, f.maintenance)
        self._repeat.on = decision.repeat
        with self._lock:
            overlapping = api and self.serial and self._in_flight > 0
            self._in_flight += 1
        try:
            if decision.latency or decision.stall:
                time.sleep(decision.latency + decision.stall)
            if overlapping:
                reply = _error(
                    429,
                    "requests must not overlap",
                    "TOO_MANY_REQUESTS",
                    headers=(("Retry-After", "1"),),
                    fault="serial",
                )
            else:
                reply = self._reply(method, path, environ, decision)
        finally:
            with self._lock:
                self._in_flight -= 1
        return send(
            start_response,
            reply,
            decision,
            self.request_log,
            arrived=arrived,
            method=method,
            path=path,
            reasons=_REASONS,
        )

    def _reply(self, method: str, path: str, environ: WSGIEnvironment, d: Decision) -> _Reply:
        if d.maintenance:
            return _html(
                self.faults.maintenance_status,
                "メンテナンス中",
                "ただいまメンテナンス中です。",
                fault="maintenance",
            )
        if path != GRAPHQL_PATH:
            return _error(404, "Not Found")
        if method != "POST":
            return _error(405, "Method Not Allowed", headers=(("Allow", "POST"),))
        if d.server_error is not None and d.server_error_html:  # the front proxy answers
            status = d.server_error
            return _html(status, f"{status} {_REASONS[status]}", "しばらくしてから", fault="5xx")
        problem = self._auth_problem(environ)
        if d.revoked or problem is not None:
            fault = "revoked" if d.revoked else None
            return _error(
                self.auth_status, problem or "token has been revoked", "UNAUTHORIZED", fault=fault
            )
        if d.throttled is not None:
            retry = retry_after_headers(d, self.clock())
            fault = "rate" if d.throttled == "rate" else "429"
            return _error(429, "Too Many Requests", "TOO_MANY_REQUESTS", headers=retry, fault=fault)
        if d.server_error is not None:
            return _error(
                d.server_error, "Internal Server Error", "INTERNAL_SERVER_ERROR", fault="5xx"
            )
        with self._lock:
            injected = self._injected.pop(0) if self._injected else None
        if injected is not None:
            return _error(injected[0], "injected error", injected[1], fault="injected")
        return self._graphql(environ)

    def _auth_problem(self, environ: WSGIEnvironment) -> str | None:
        """Why the three headers do not authenticate, or ``None`` (notes §2.2)."""
        scheme, _, token = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
        with self._lock:
            revoked = self._revoked
        if scheme.lower() != "bearer" or token.strip() != self.token or revoked:
            return "invalid or revoked token"
        if environ.get("HTTP_X_API_KEY", "") != self.api_key:
            return "invalid x-api-key"
        stamp = environ.get("HTTP_X_TIMESTAMP", "")
        if not stamp.isdigit() or abs(self.clock() - int(stamp)) > TIMESTAMP_VALIDITY:
            return "x-timestamp is missing or not within one hour"
        return None

    # -- GraphQL --

    def _graphql(self, environ: WSGIEnvironment) -> _Reply:
        declared = environ.get("CONTENT_LENGTH") or "0"
        length = int(declared) if declared.isdigit() else 0
        if length > MAX_BODY:
            return _error(413, "request body too large")
        try:
            payload = json.loads(environ["wsgi.input"].read(length) if length > 0 else b"")
        except ValueError:
            return _error(400, "request body is not JSON", "BAD_REQUEST")
        query = payload.get("query") if isinstance(payload, dict) else None
        variables = payload.get("variables") if isinstance(payload, dict) else None
        operation = payload.get("operationName") if isinstance(payload, dict) else None
        if not isinstance(query, str) or not isinstance(variables, dict | None):
            return _error(400, "a request needs a query string and variables object", "BAD_REQUEST")
        try:
            document = parse(query)
        except GraphQLError as exc:
            return _json(422, {"errors": [_formatted(exc, "GRAPHQL_PARSE_FAILED")]})
        if _introspects(document):  # disabled in production (notes §0, §5)
            return _json(200, {"errors": [_forbidden("introspection").formatted], "data": None})
        problems = validate(schema(), document)
        if problems:
            errors = [_formatted(e, "GRAPHQL_VALIDATION_FAILED") for e in problems]
            return _json(422, {"errors": errors})
        result = execute_sync(
            schema(),
            document,
            root_value=self._root,
            variable_values=variables,
            operation_name=operation if isinstance(operation, str) else None,
        )
        errors = [
            _formatted(e, "BAD_USER_INPUT" if result.data is None else None)
            for e in result.errors or ()
        ]
        if result.data is None or any(
            isinstance(e.original_error, _BadInput) or isinstance(e, _BadInput)
            for e in result.errors or ()
        ):
            return _json(422, {"errors": errors, "data": None})
        body: dict[str, Any] = {"data": result.data}
        if errors:
            body["errors"] = errors
        return _json(200, body)

    def _allowed(self, operation: str, info: GraphQLResolveInfo) -> None:
        with self._lock:
            self.operation_log.append(operation)
        if operation not in self.operations:
            raise _forbidden(operation)

    def _get_shop(self, info: GraphQLResolveInfo) -> dict[str, Any]:
        self._allowed("getShop", info)
        shop = {
            "shopName": "見本ショップ",
            "shopUrl": "https://example.makeshop.jp",
            "settingOriginalDomain": "",
            "openCondition": "OPEN",
        }
        return {"shop": shop}

    def _search_order(self, info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:
        self._allowed("searchOrder", info)
        made_from = _input_time(input.get("startOrderDate"), "startOrderDate")
        made_to = _input_time(input.get("endOrderDate"), "endOrderDate")
        paid_from = _input_time(input.get("startPaymentDate"), "startPaymentDate")
        paid_to = _input_time(input.get("endPaymentDate"), "endPaymentDate")
        letter = input.get("deliveryStatus")
        if letter is not None and letter not in ("N", "Y", "C", "R"):
            raise _BadInput("deliveryStatus", "invalid value")
        page, limit = self._paging(input)
        ds = self.dataset
        with ds.lock:
            if self.faults.churn:
                self.churn(self.faults.churn)
            found = ds.select(made_from=made_from, made_to=made_to)
            if letter is not None:
                found = [i for i in found if _DELIVERY_LETTERS[ds.status(i)] == letter]
            if paid_from is not None or paid_to is not None:
                # The fake's payment time is the order time of every paid order.
                low, high = paid_from or 0, paid_to or 2**62
                found = [
                    i
                    for i in found
                    if ds.status(i) in ("paid", "shipped", "returned")
                    and low <= ds.make_time(i) <= high
                ]
            if input.get("sortOrder") != "ASC":
                found.reverse()  # newest first unless asked otherwise
            repeat = self.repeat_pages or getattr(self._repeat, "on", False)
            shown = page - 1 if repeat and page > 1 else page
            chosen = found[(shown - 1) * limit : shown * limit]
            orders = [self._order(i) for i in chosen]
        return {"searchedCount": len(found), "page": page, "limit": limit, "orders": orders}

    def _search_member(self, info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:
        self._allowed("searchMember", info)
        page, limit = self._paging(input)
        ds = self.dataset
        with ds.lock:
            members = sorted(
                (p for key in ds.buyers() if (p := ds.persons[key]).is_member),
                key=lambda p: (self._registered(p), p.key),
            )
            chosen = members[(page - 1) * limit : page * limit]
            rendered = [self._member(p) for p in chosen]
        return {"searchedCount": len(members), "page": page, "limit": limit, "members": rendered}

    def _paging(self, input: dict[str, Any]) -> tuple[int, int]:
        page = input.get("page")
        limit = input.get("limit")
        page = 1 if page is None else page
        limit = DEFAULT_LIMIT if limit is None else limit
        if page < 1:
            raise _BadInput("page", "must be 1 or more")
        if limit < 1:
            raise _BadInput("limit", "must be 1 or more")
        return page, min(limit, self.page_cap)  # clamped silently, as observed (notes §3.3)

    # -- rendering --

    def _registered(self, person: Person) -> int:
        first = self.dataset.first_order_time(person.key) or self.dataset.end
        return first - (person.key % 90) * 86_400

    def _member(self, p: Person) -> dict[str, Any]:
        member_id = self.member_id(p)
        code = _makeshop_pref(p)
        record: dict[str, Any] = {
            "memberId": member_id,
            "name": p.name,
            "nameKana": p.kana,
            "email": p.email,
            "tel": p.phone,
            "etcphone": p.mobile or "",
            "hpost": p.postal,
            "haddress1": str(code),
            "haddressAddr": _pref_label(code, p),
            "haddress2": p.address1,
            "haddress": p.address2 or "",
            "groupId": "1",
            "groupName": "一般会員",
            "shopPoint": p.points,
            "registrationDate": _compact(self._registered(p)),
            "etc": [p.company or "", p.department or ""],
        }
        if p.key % _WITHDRAWN_EVERY == 7:  # withdrawn: personal data deleted, name shows the id
            blank = ("nameKana", "email", "tel", "etcphone", "hpost", "haddress2", "haddress")
            record.update({key: "" for key in blank}, name=member_id, etc=[])
        return record

    def _order(self, index: int) -> dict[str, Any]:
        order = self.dataset.order_at(index)
        buyer = order.buyer
        number = f"P{order.order_id}"
        remark = [
            part
            for part in (order.remark, "スマートフォンから注文" if order.mobile else None)
            if part
        ]
        return {
            "systemOrderNumber": number,
            "displayOrderNumber": number,
            "orderDate": _dashed(order.make_time),
            "memberId": self.member_id(buyer) if buyer.is_member else self.guest_id(index, buyer),
            "sumPrice": order.grand_total,
            "paymentStatusCode": _payment_code(order),
            "payMethod": order.payment_method,
            "message": "||".join(remark),
            "senderName": buyer.name,
            "senderPrefecture": buyer.prefecture_name,  # absent for buyers abroad
            "discountPerTax": _discounts(order),
            "deliveryInfos": [_delivery(order, d) for d in range(len(order.deliveries))],
        }


def _payment_code(order: SynthOrder) -> str:
    if order.status == "cancelled":
        return _CANCELLED_CODE
    if order.status == "pending":
        return _UNPAID_CODE
    if order.grand_total == 0 and order.points_used:
        return "1002"
    return _PAID_CODES.get(order.payment_method, "0002")


def _discounts(order: SynthOrder) -> list[dict[str, int]]:
    if not order.discount:
        return []
    reduced = sum(x.subtotal for x in order.lines if x.product.tax_class == "reduced")
    rate = 8 if reduced * 2 > order.goods_total else 10
    return [{"taxRate": rate, "discount": order.discount}]


def _delivery(order: SynthOrder, d: int) -> dict[str, Any]:
    delivery = order.deliveries[d]
    r = delivery.recipient
    lines = [order.lines[j] for j in delivery.lines]
    letter = _DELIVERY_LETTERS[order.status]
    shipped = letter in ("Y", "R")
    ship_time = min(order.update_time, order.make_time + 2 * 86_400)
    slip = delivery.slip_number or ("キャンセル" if letter == "C" else "")
    notes = [part for part in (delivery.memo, delivery.gift_message, delivery.noshi) if part]
    return {
        "deliveryId": str(d + 1),
        "deliveryStatus": letter,
        "receiverName": r.name,
        "receiverPost": r.postal,
        "receiverPrefecture": r.prefecture_name or "海外",
        "receiverAddress": r.address1,
        "receiverAddress2": r.address2 or "",
        "receiverTel": r.phone,
        "desiredDeliveryDate": delivery.preferred_date.strftime("%Y/%m/%d")
        if delivery.preferred_date
        else "--",
        "desiredDeliveryTimezone": delivery.preferred_period or "",
        "deliveryMethodIds": _METHOD_IDS.get(delivery.method, ""),
        "shippingCharge": delivery.shipping,
        "deliverySumPrice": sum(x.subtotal_with_tax for x in lines) + delivery.shipping,
        "deliveryMessage": "||".join(notes),
        "wmsStatus": "",
        "slipNumber": slip,
        "deliveryDate": _compact(order.update_time if letter == "Y" else ship_time)
        if shipped
        else "",
        "estimatedShipmentDate": "",
        "basketInfos": [_basket(line) for line in lines],
    }


def _basket(line: Any) -> dict[str, Any]:
    product = line.product
    variation = " ".join(
        f"{axis[0]} : {value}"
        for axis, value in zip(product.variations, line.variation, strict=True)
    )
    selects = (
        [{"customSelectName": "名入れ", "selectedItemName": line.engraving}]
        if line.engraving
        else []
    )
    return {
        "productCode": f"{product.product_id:012d}",
        "productCustomCode": product.code,
        "variationCustomCode": line.sku if line.variation else "",
        "productName": product.name,
        "variationName": variation,
        "customSelects": selects,
        "amount": line.quantity,
        "price": line.unit_price_with_tax,
        "janCode": f"4900000{product.product_id:06d}"[-13:],
    }


def _formatted(error: GraphQLError, code: str | None) -> dict[str, Any]:
    item: dict[str, Any] = dict(error.formatted)
    extensions: dict[str, Any] = dict(item.get("extensions") or {})
    if code is not None and not extensions.get("code"):
        item["extensions"] = {**extensions, "code": code}
    return item


def build(
    dataset: Dataset, *, faults: Faults, seed: int, clock: Callable[[], float]
) -> FakePlatform:
    """The MakeShop fake over ``dataset``; the credential is the JSON token + API key."""
    app = FakeMakeShop(dataset, faults=faults, seed=seed, clock=clock)
    return FakePlatform(platform="makeshop", app=app, credential=app.credential, dataset=dataset)

"""A fake ショップサーブ management API v2 (the order search) as a plain WSGI app.

It follows ``shared/platforms/shopserve/notes.md`` (§4, §5, §11, §12) and the
ShopServe mapping (``connectors/mappings/shopserve-v2.json``): one route,
``POST /v2/orders/_retrieve/{parts}`` with ``;``-separated part names, HTTP Basic
auth with the shop id and the manager key, a JSON body whose keys, date format
and time zone come from the mapping, and orders shaped like the notes' example.
Give it another mapping (``mapping=`` overlay) and it serves that mapping's
field names instead: a field the overlay moves is moved in every order.

Confirmed behaviour: the route, Basic auth, ``since``, ``serial_code``, JSON in
UTF-8 with Japanese unescaped. Everything else is an assumption, marked [A]
below, each a constructor switch where a test needs the other reading:

- [A] 401 with ``{"error": {"code": "Unauthorized", ...}}`` on a bad credential.
- [A] 400 ``InvalidParameter`` when the search period passes 7 days
  (``request.max_window_days``) or starts more than 2 years back (plus a day of slack).
- [A] ``from``/``size`` paging (``size`` clamped to ``max_size``, 100) with ``total_count``;
  without ``size`` the whole window is served.
- [A] ``since``/``until`` filter on the update time (``request.cursor``); both inclusive.
- [A] maintenance (fault ``maintenance=1``) answers an HTML page with status
  ``maintenance_status`` (the fault spec's, 503 by default; 200 is the other plausible reading).
- [A] unknown part names answer 400; orders come in ``serial_code`` order.
- [A] status and payment vocabularies are English PascalCase (as other v2 enums).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal
from wsgiref.types import StartResponse, WSGIEnvironment

from connectors.shopserve_mapping import FieldPath, ShopServeMapping, build_mapping

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
from .synthetic import Dataset, Person, SynthDelivery, SynthLine, SynthOrder

__all__ = ["KNOWN_PARTS", "ORDER_ID_START", "FakeShopServe", "build", "serial_code"]

ORDER_ID_START = 1
"""``serial_code`` ``S0000000001`` is the first order, as in the notes' example."""
KNOWN_PARTS = frozenset({"basic", "destinations", "details"})  # [A] only "basic" is confirmed
_HISTORY_SLACK = dt.timedelta(days=1)

# [A] English PascalCase, as the other v2 enums (notes §3).
_PAYMENTS = {
    "クレジットカード決済": "CreditCard",
    "代金引換": "CashOnDelivery",
    "銀行振込": "BankTransfer",
    "コンビニ決済": "ConvenienceStore",
    "Amazon Pay": "AmazonPay",
    "PayPay": "PayPay",
    "楽天ペイ": "RakutenPay",
}
# (order_status, confirm_status, payment_status, shipping_status); ShopServe has no
# return state: a returned order is a cancelled one that had shipped.
_STATES = {
    "pending": ("New", "Unconfirmed", "Unpaid", "NotShipped"),
    "paid": ("New", "Confirmed", "Paid", "NotShipped"),
    "shipped": ("Complete", "Confirmed", "Paid", "Shipped"),
    "cancelled": ("Cancel", "Confirmed", "Unpaid", "NotShipped"),
    "returned": ("Cancel", "Confirmed", "Paid", "Shipped"),
}
_CARRIERS = {"ヤマト運輸 宅急便": "Yamato", "ゆうパック": "JapanPost", "佐川急便": "Sagawa"}
_GENDERS = {"male": "Male", "female": "Female"}
_REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


def serial_code(order_id: int) -> str:
    return f"S{order_id:010d}"


@dataclass(frozen=True, slots=True)
class _Reply:
    status: int
    body: bytes
    content_type: str = "application/json; charset=UTF-8"
    headers: tuple[tuple[str, str], ...] = ()
    fault: str | None = None


def _json(status: int, payload: object, **kw: Any) -> _Reply:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return _Reply(status, body, **kw)


def _error(status: int, code: str, message: str, **kw: Any) -> _Reply:
    return _json(status, {"error": {"code": code, "message": message}}, **kw)


def _html(status: int, title: str, text: str, **kw: Any) -> _Reply:
    page = (
        f'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><h1>{title}</h1><p>{text}</p></body></html>"
    )
    return _Reply(status, page.encode(), "text/html; charset=utf-8", **kw)


class FakeShopServe:
    """ShopServe's order search over a :class:`Dataset`. Thread-safe; a WSGI app."""

    platform = "shopserve"

    def __init__(
        self,
        dataset: Dataset,
        *,
        faults: Faults | str = "",
        seed: int = 0,
        clock: Callable[[], float] = time.time,
        mapping: Mapping[str, Any] | None = None,
        maintenance_status: int | None = None,
        order_numbers: Literal["sequence", "daily"] = "sequence",
        max_size: int = 100,
    ) -> None:
        self.dataset = dataset
        self.clock = clock
        self.mapping = build_mapping(mapping, "given to the fake")
        self.maintenance_status = maintenance_status
        self.order_numbers = order_numbers
        self.max_size = max_size
        self.request_log = RequestLog()
        self._seed = seed
        self._lock = threading.Lock()
        digest = hashlib.sha256(f"shopserve-fake:{seed}".encode()).hexdigest()
        self.shop_id = f"fake{seed % 1000:03d}.jp"
        """Looks like a real shop id (letters/digits, a dot, two letters; notes §4)."""
        self.manager_key = digest[:40]
        """40 lower-case hex digits, like the keys seen in public code (notes §4)."""
        self._default = build_mapping(None, "built in")
        self._relocations = _relocations(self._default, self.mapping)
        self.faults = Faults.parse(faults) if isinstance(faults, str) else faults

    # -- controls --

    @property
    def faults(self) -> Faults:
        return self._dice.faults

    @faults.setter
    def faults(self, value: Faults) -> None:
        self._dice = FaultDice(value, self._seed)

    @property
    def credential(self) -> str:
        """What ``kamei shop add --credential-stdin`` takes: ``SHOP_ID:MANAGER_KEY``."""
        return f"{self.shop_id}:{self.manager_key}"

    def reissue_key(self) -> str:
        """The owner presses 再発行: the old manager key stops working."""
        with self._lock:
            self.manager_key = hashlib.sha256(self.manager_key.encode()).hexdigest()[:40]
            return self.manager_key

    def churn(self, changes: int) -> None:
        """Create ``changes`` orders and move ``changes`` others on, at the fake's now."""
        churn_orders(self.dataset, self._dice, self.clock, changes)

    def platform_order_ids(self) -> set[str]:
        """The ``serial_code`` of every order the fake holds now."""
        return {serial_code(order_id) for order_id in self.dataset.order_ids()}

    # -- WSGI --

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        arrived = time.monotonic()
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO") or "/"
        decision = self._dice.decide()
        if decision.latency or decision.stall:
            time.sleep(decision.latency + decision.stall)
        reply = self._reply(method, path, environ, decision)
        return send(
            start_response,
            reply,
            decision,
            self.request_log,
            arrived=arrived,
            method=method,
            path=path,
            reasons=_REASONS,
            json_only=True,
        )

    def _reply(
        self, method: str, path: str, environ: WSGIEnvironment, decision: Decision
    ) -> _Reply:
        if decision.maintenance:
            return _html(
                self.maintenance_status or self.faults.maintenance_status,
                "メンテナンス中",
                "ただいまショップサーブはメンテナンス中です。終了までお待ちください。",
                fault="maintenance",
            )
        if decision.server_error is not None and decision.server_error_html:
            status = decision.server_error  # the front proxy answers before the API sees it
            return _html(status, f"{status} {_REASONS[status]}", "しばらくしてから", fault="5xx")
        if not self._authorised(environ) or decision.revoked:
            return _error(
                401,
                "Unauthorized",
                "invalid shop id or manager key",
                headers=(("WWW-Authenticate", 'Basic realm="ShopServe API"'),),
                fault="revoked" if decision.revoked else None,
            )
        if decision.throttled is not None:
            headers = retry_after_headers(decision, self.clock())
            fault = "rate" if decision.throttled == "rate" else "429"
            return _error(429, "TooManyRequests", "too many requests", headers=headers, fault=fault)
        if decision.server_error is not None:
            return _error(decision.server_error, "InternalServerError", "error", fault="5xx")
        parts = self._parts(path)
        if parts is None:
            return _error(404, "NotFound", "no such API")
        if method != "POST":
            return _error(405, "MethodNotAllowed", "use POST")
        return self._retrieve(parts, environ, repeat=decision.repeat)

    def _authorised(self, environ: WSGIEnvironment) -> bool:
        scheme, _, value = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != "basic":
            return False
        with self._lock:
            expected = f"{self.shop_id}:{self.manager_key}".encode()
        try:
            given = base64.b64decode(value.strip(), validate=True)
        except (ValueError, binascii.Error):
            return False
        return given == expected

    def _parts(self, path: str) -> list[str] | None:
        template = self.mapping.request.path
        head, _, tail = template.partition("{parts}")
        if not path.startswith(head) or not path.endswith(tail) or len(path) <= len(head + tail):
            return None
        return path[len(head) : len(path) - len(tail)].split(self.mapping.request.part_separator)

    # -- the order search --

    def _retrieve(
        self, parts: list[str], environ: WSGIEnvironment, *, repeat: bool = False
    ) -> _Reply:
        if not parts or not set(parts) <= KNOWN_PARTS:
            return _error(400, "InvalidCompositeRequest", "unknown part name")
        try:
            body = json.loads(_read_body(environ) or b"null")
        except ValueError:
            return _error(400, "InvalidRequestBody", "request body is not JSON")
        if not isinstance(body, dict):
            return _error(400, "InvalidRequestBody", "request body must be an object")
        query = self._query(body)
        if isinstance(query, _Reply):
            return query
        since, until, start, size = query
        with self.dataset.lock:
            if self.faults.churn:
                self.churn(self.faults.churn)
            found = self._select(since, until)
            if repeat and size is not None and start >= size:
                start -= size  # the "repeat" fault: a later page comes back as the one before
            page = found[start : start + size] if size is not None else found[start:]
            orders = [self._relocate(self.order(i, set(parts))) for i in page]
        envelope: dict[str, Any] = {}
        _put(envelope, self.mapping.response.orders, orders)
        if self.mapping.response.total is not None:
            _put(envelope, self.mapping.response.total, len(found))
        return _json(200, envelope)

    def _query(self, body: dict[str, Any]) -> tuple[int, int, int, int | None] | _Reply:
        req = self.mapping.request
        since = self._time(body.get(req.since))
        if since is None:
            return _error(400, "InvalidParameter", f"{req.since} is required (date and time)")
        until = self._time(body.get(req.until)) if req.until in body else int(self.clock())
        if until is None or until < since:
            return _error(400, "InvalidParameter", f"{req.until} is not a valid end")
        if until - since > req.max_window.total_seconds():  # [A] 400 beyond the cap
            days = req.max_window.days
            return _error(400, "InvalidParameter", f"検索期間は{days}日以内で指定してください。")
        if req.max_history is not None:
            oldest = self.clock() - (req.max_history + _HISTORY_SLACK).total_seconds()
            if since < oldest:
                return _error(400, "InvalidParameter", "検索できるのは過去2年以内です。")
        start, size = 0, None
        if req.offset_key is not None and req.size_key is not None:
            start_raw, size_raw = body.get(req.offset_key, 0), body.get(req.size_key)
            if not _count(start_raw) or (size_raw is not None and not _count(size_raw)):
                return _error(400, "InvalidParameter", "from and size are whole numbers")
            start = start_raw
            size = None if size_raw is None else max(1, min(size_raw, self.max_size))
        return since, until, start, size

    def _time(self, value: object) -> int | None:
        if not isinstance(value, str):
            return None
        try:
            return int(self.mapping.request.parse_time(value).timestamp())
        except ValueError:
            return None

    def _select(self, since: int, until: int) -> list[int]:
        if self.mapping.request.cursor == "ordered":
            return self.dataset.select(made_from=since, made_to=until)
        # An order is updated no earlier than it is made: bound the scan by make time.
        return self.dataset.select(made_to=until, updated_from=since, updated_to=until)

    # -- rendering one order (the notes' §11.2 shape) --

    def _time_text(self, seconds: int) -> str:
        return self.mapping.request.format_time(dt.datetime.fromtimestamp(seconds, dt.UTC))

    def order(self, index: int, parts: set[str] | frozenset[str] = KNOWN_PARTS) -> dict[str, Any]:
        """Order ``index`` in the built-in mapping's shape, with the requested parts."""
        order = self.dataset.order_at(index)
        doc: dict[str, Any] = {"serial_code": serial_code(order.order_id)}
        if "basic" in parts:
            doc["basic"] = self._basic(order, index)
        if "destinations" in parts:
            doc["destinations"] = [
                self._destination(order, n, delivery, "details" in parts)
                for n, delivery in enumerate(order.deliveries)
            ]
        return doc

    def _basic(self, order: SynthOrder, index: int) -> dict[str, Any]:
        status, confirm, payment, shipping = _STATES[order.status]
        buyer = order.buyer
        paid = payment == "Paid"
        return {
            "order_number": self._order_number(order, index),
            "order_date": self._time_text(order.make_time),
            "update_date": self._time_text(order.update_time),
            "order_status": status,
            "confirm_status": confirm,
            "payment_status": payment,
            "shipping_status": shipping,
            "payment_method": _PAYMENTS.get(order.payment_method, "Other"),
            "payment_date": self._time_text(order.update_time)[:10] if paid else "",
            "item_total": order.goods_total,
            "shipping_charge": order.shipping,
            "fee": order.fee,
            "tax": order.tax,
            "coupon_discount": order.discount,
            "coupon_name": order.coupon_name or "",
            "point_discount": order.points_used,
            "total_price": order.grand_total,
            "client_type": "Member" if buyer.is_member else "Guest",
            "member": {"account": buyer.member_id} if buyer.is_member else None,
            "orderer": _person(buyer),
            "comment": order.remark or "",
            "memo": "",
            "is_modified": order.update_time != order.make_time and order.status != "pending",
            "gift": None,
            "settlement": {"transaction_id": order.transaction_id}
            if order.transaction_id
            else None,
        }

    def _order_number(self, order: SynthOrder, index: int) -> str:
        if self.order_numbers == "sequence":
            return str(10_000_000 + index + 1)  # 8 digits from 10000001 (notes §5.2)
        # 4+4: MMDD, then a counter restarting at 0001 each day at 00:00 JST.
        tz = self.mapping.request.tz
        made = dt.datetime.fromtimestamp(order.make_time, tz)
        midnight = int(dt.datetime.combine(made.date(), dt.time(), tz).timestamp())
        first = self.dataset.select(made_from=midnight, made_to=order.make_time)[0]
        return f"{made:%m%d}{index - first + 1:04d}"

    def _destination(
        self, order: SynthOrder, n: int, delivery: SynthDelivery, details: bool
    ) -> dict[str, Any]:
        shipped = order.status in ("shipped", "returned")
        gift = None
        if delivery.noshi or delivery.gift_message:
            gift = {"noshi": delivery.noshi or "", "message": delivery.gift_message or ""}
        out = {
            "destination_number": n + 1,
            **_person(delivery.recipient, recipient=True),
            "delivery_method": delivery.method,
            "carrier": _CARRIERS.get(delivery.method, "") if shipped else "",
            "tracking_number": delivery.slip_number or "",
            "desired_delivery_date": (
                delivery.preferred_date.isoformat() if delivery.preferred_date else ""
            ),
            "desired_delivery_time": delivery.preferred_period or "",
            "planned_shipping_date": "",
            "shipped_date": self._time_text(order.update_time)[:10] if shipped else "",
            "gift": gift,
            "memo": delivery.memo or "",
        }
        if details:
            out["details"] = [_line(order.lines[j]) for j in delivery.lines]
        return out

    # -- following another mapping --

    def _relocate(self, doc: dict[str, Any]) -> dict[str, Any]:
        order_moves, destination_moves, line_moves = self._relocations
        if not (order_moves or destination_moves or line_moves):
            return doc
        dest_list = self._default.order_path("destinations")
        line_list = self._default.destination_path("lines")
        for destination in _at(doc, dest_list) if dest_list else []:
            for line in _at(destination, line_list) if line_list else []:
                _move_all(line, line_moves)
            _move_all(destination, destination_moves)
        _move_all(doc, order_moves)
        return doc


_Move = tuple[FieldPath, tuple[FieldPath, ...]]


def _relocations(
    default: ShopServeMapping, mapping: ShopServeMapping
) -> tuple[list[_Move], list[_Move], list[_Move]]:
    """For each field the mapping places elsewhere than the built-in one: (from, to)."""

    def moves(ours: Mapping[str, tuple[FieldPath, ...]], theirs: Mapping[str, Any]) -> list[_Move]:
        out = []
        for name, paths in ours.items():
            target = theirs[name]
            if paths and target and [p.parts for p in target] != [paths[0].parts]:
                out.append((paths[0], tuple(target)))
        return out

    r, m = default.response, mapping.response
    return moves(r.order, m.order), moves(r.destination, m.destination), moves(r.line, m.line)


def _at(obj: dict[str, Any], path: FieldPath) -> list[dict[str, Any]]:
    present, value = path.read(obj)
    return value if present and isinstance(value, list) else []


def _move_all(obj: dict[str, Any], moves: list[_Move]) -> None:
    taken = [(_pop(obj, source), targets) for source, targets in moves]
    for (present, value), targets in taken:
        if present:
            _put(obj, targets[0], value)
            for extra in targets[1:]:  # a summed field split over several paths
                _put(obj, extra, 0)


def _pop(obj: dict[str, Any], path: FieldPath) -> tuple[bool, Any]:
    current: Any = obj
    for part in path.parts[:-1]:
        if not isinstance(current, dict) or not isinstance(current.get(part), dict):
            return False, None
        current = current[part]
    if not isinstance(current, dict) or path.parts[-1] not in current:
        return False, None
    return True, current.pop(path.parts[-1])


def _put(obj: dict[str, Any], path: FieldPath, value: Any) -> None:
    current = obj
    for part in path.parts[:-1]:
        current = current.setdefault(part, {})
    current[path.parts[-1]] = value


def _person(p: Person, *, recipient: bool = False) -> dict[str, Any]:
    postal = f"{p.postal[:3]}-{p.postal[3:]}" if len(p.postal) == 7 else p.postal
    out: dict[str, Any] = {
        "name": p.name,
        "name_kana": p.kana,
        "zip_code": postal,
        "prefecture": p.prefecture_name or "",
        "city": "",
        "town_and_number": p.address1,
        "building": p.address2 or "",
        "phone_number": p.phone,
    }
    if not recipient:
        out |= {
            "company_name": p.company or "",
            "department": p.department or "",
            "mail_address": p.email or "",
            "mobile_phone_number": p.mobile or "",
            "birthday": p.birthday.isoformat() if p.birthday else "",
            "sex": _GENDERS.get(p.gender or "", ""),
        }
    return out


def _line(line: SynthLine) -> dict[str, Any]:
    product = line.product
    return {
        "item_code": product.code,
        "item_name": product.name,
        "variation": [
            {"title": axis[0], "value": value}
            for axis, value in zip(product.variations, line.variation, strict=True)
        ],
        # Engraving is free text the buyer typed: personal, and never read by kamei.
        "options": [{"name": "名入れ", "label": line.engraving}] if line.engraving else [],
        "unit_price": line.unit_price,
        "quantity": line.quantity,
        "tax_rate": product.tax_rate,
    }


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _read_body(environ: WSGIEnvironment) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return environ["wsgi.input"].read(length) if length > 0 else b""


def build(
    dataset: Dataset, *, faults: Faults, seed: int, clock: Callable[[], float]
) -> FakePlatform:
    """The ShopServe fake over ``dataset``; the credential is ``SHOP_ID:MANAGER_KEY``."""
    app = FakeShopServe(dataset, faults=faults, seed=seed, clock=clock)
    return FakePlatform(platform="shopserve", app=app, credential=app.credential, dataset=dataset)

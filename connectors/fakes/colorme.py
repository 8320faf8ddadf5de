"""A fake カラーミーショップ API (``https://api.shop-pro.jp``) as a plain WSGI app.

It follows ``shared/platforms/colorme/notes.md`` §3–§13: ``GET /v1/sales`` with
the documented filters and quirks (7-day default window, JST date strings,
inclusive bounds, ``limit`` clamped to 100, ``meta`` echoing effective values,
``fields`` projection, array-style params → 500, invalid values ignored), the
single-sale GET, a minimal ``/v1/customers``, ``/v1/payments`` and
``/v1/deliveries`` for a cheap authenticated check, the OAuth authorization-code
flow, and Doorkeeper-style 401s. Faults from :mod:`.faults` apply per request to
``/v1/`` calls; the OAuth endpoints see only latency and maintenance.

Choices where the notes leave Color Me's behaviour open (each is a constructor
switch where it matters):

- The 7-day default narrows ``make_date`` whenever neither ``after`` nor
  ``make_date_min`` is given, even with ``update_date_*`` or ``ids`` (the spec's
  literal wording; ``update_filter_lifts_default=True`` gives the other reading).
- A bare ``YYYY-MM-DD`` means 00:00:00 JST, also as an upper bound.
- Results are ordered by id, newest first.
- Cancelling zeroes quantities, subtotals and ``total_price`` (spec text of the
  cancel API; ``cancel_zeroes=False`` keeps the amounts). A returned order is
  served as paid, delivered and cancelled: Color Me has no return state.
- Rate limiting (``rate=``) answers 429 with an ``errors[]`` body (assumed, §8).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import formatdate
from typing import Any
from urllib.parse import parse_qsl, urlencode
from wsgiref.types import StartResponse, WSGIEnvironment

from . import FakePlatform
from .faults import Decision, FaultDice, Faults, Header, RequestLog, churn_orders, send
from .synthetic import (
    DELIVERY_METHODS,
    PAYMENT_METHODS,
    STATUSES,
    Dataset,
    Person,
    SynthOrder,
    numeric_refs,
)

__all__ = [
    "ACCOUNT_ID",
    "OOB_REDIRECT_URI",
    "ORDER_ID_START",
    "FakeColorMe",
    "build",
    "delivery_ids",
    "payment_ids",
]

ORDER_ID_START = 300_000_001
"""Sale ids are 9 digits, as in the notes' examples."""
ACCOUNT_ID = "PA00012345"
OOB_REDIRECT_URI = "urn:ietf:wg:oauth:2.0:oob"
JST = dt.timezone(dt.timedelta(hours=9), "JST")
OVERSEAS_PREF_ID = 48
_GUEST_CUSTOMER_BASE = 60_000_000  # guests get a new customer record per order

_PAYMENT_TYPES = {"代金引換": 0, "銀行振込": 1, "コンビニ決済": 7, "クレジットカード決済": 8}
_DELIVERY_TYPES = {"ヤマト運輸 宅急便": "yamato", "ゆうパック": "jp", "佐川急便": "sagawa"}
_TRACKING_URLS = {
    "yamato": "https://toi.kuronekoyamato.co.jp/cgi-bin/tneko?number={}",
    "sagawa": "https://k2k.sagawa-exp.co.jp/p/web/okurijosearch.do?okurijoNo={}",
    "jp": "https://trackings.post.japanpost.jp/services/srv/search/?requestNo1={}",
}
_SCOPES = frozenset(
    {
        "read_products",
        "write_products",
        "read_sales",
        "write_sales",
        "read_shop_coupons",
        "write_shop_coupons",
        "read_templates",
        "write_templates",
        "read_analytics",
    }
)


def payment_ids() -> dict[str, int]:
    """Payment method label → the ``payment_id`` the fake serves."""
    return {label: 111 + i for i, label in enumerate(PAYMENT_METHODS)}


def delivery_ids() -> dict[str, int]:
    """Delivery method label → the ``delivery_id`` the fake serves."""
    return {label: 222 + i for i, label in enumerate(DELIVERY_METHODS)}


_PAYMENT_IDS = payment_ids()
_DELIVERY_IDS = delivery_ids()


# --- responses ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Reply:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()
    fault: str | None = None


_REASONS = {
    200: "OK",
    302: "Found",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}


def _json(status: int, payload: object, **kw: Any) -> _Reply:
    # ensure_ascii=True reproduces Rails' \uXXXX escapes (notes §3).
    body = json.dumps(payload, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    return _Reply(status, body, **kw)


def _errors(status: int, code: int, message: str, **kw: Any) -> _Reply:
    return _json(status, {"errors": [{"code": code, "message": message, "status": status}]}, **kw)


def _html(status: int, title: str, text: str, **kw: Any) -> _Reply:
    page = (
        f'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><h1>{title}</h1><p>{text}</p></body></html>"
    )
    return _Reply(status, page.encode(), "text/html; charset=utf-8", **kw)


_INVALID_TOKEN = (
    'Bearer realm="Doorkeeper", error="invalid_token", '
    'error_description="The access token is invalid"'
)


def _not_found() -> _Reply:
    # Unknown ids, unknown paths and unsupported methods all look alike (notes §9).
    return _errors(404, 404100, "データが見つかりません。")


def _unauthorised() -> _Reply:
    return _errors(
        401,
        401010,
        "アクセストークンが見つからないか、必要なスコープが許可されていません。",
        headers=(
            ("WWW-Authenticate", _INVALID_TOKEN),
            ("Cache-Control", "no-store"),
            ("Pragma", "no-cache"),
        ),
    )


def _internal_error(**kw: Any) -> _Reply:
    return _errors(500, 500000, "Internal Server Error", **kw)


# --- query parsing (invalid values are ignored, never a 4xx: notes §5.1) ----------------

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?")


def _jst_seconds(text: str | None) -> int | None:
    """``YYYY-MM-DD`` or ``YYYY-MM-DD hh:mm:ss`` in Japan time → Unix seconds."""
    if not text:
        return None
    match = _DATE.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(g or 0) for g in match.groups())
    try:
        when = dt.datetime(year, month, day, hour, minute, second, tzinfo=JST)
    except ValueError:
        return None
    return int(when.timestamp())


def _int(text: str | None) -> int | None:
    if text is None or not re.fullmatch(r"-?\d+", text.strip()):
        return None
    return int(text)


def _bool(text: str | None) -> bool | None:
    return {"true": True, "1": True, "false": False, "0": False}.get((text or "").lower())


def _id_list(text: str | None) -> set[int] | None:
    ids = {int(p) for p in (text or "").split(",") if p.strip().isdigit()}
    return ids or None


def _limit(text: str | None) -> int:
    value = _int(text)
    if value is None or value < 1:
        return 10
    return min(value, 100)


def _offset(text: str | None) -> int:
    value = _int(text)
    return value if value is not None and value >= 0 else 0


def _midnight_days_before(seconds: float, days: int) -> int:
    day = dt.datetime.fromtimestamp(seconds, JST).date() - dt.timedelta(days=days)
    return int(dt.datetime.combine(day, dt.time(), JST).timestamp())


# --- the app ---------------------------------------------------------------------------


@dataclass
class _Grant:
    client_id: str
    redirect_uri: str
    scope: str
    expires: float
    used: bool = False


@dataclass(frozen=True, slots=True)
class _Query:
    """Effective paging and projection parameters of a list or single GET."""

    params: dict[str, str]
    empty_fields: bool = False
    fields: tuple[str, ...] = ()
    limit: int = 10
    offset: int = 0


_FLAGS: dict[str, dict[str, bool]] = {
    status: {
        "paid": status in ("paid", "shipped", "returned"),
        "delivered": status in ("shipped", "returned"),
        "canceled": status in ("cancelled", "returned"),
    }
    for status in STATUSES
}
_MAIL_STATES: dict[str, dict[str, str]] = {
    status: {
        "accepted_mail_state": "sent",
        "paid_mail_state": "sent" if flags["paid"] else "not_yet",
        "delivered_mail_state": "sent" if flags["delivered"] else "not_yet",
    }
    for status, flags in _FLAGS.items()
}


@dataclass(frozen=True, slots=True)
class _SaleFilter:
    """The search filters of ``GET /v1/sales``, parsed once per request; values the API
    would not understand are dropped, as the live API ignores them (notes §5.1)."""

    flags: dict[str, bool]
    mail: dict[str, str]
    ids: set[int] | None
    customers: set[int] | None
    mobile: bool | None
    payments: set[int] | None
    needles: dict[str, str]

    @classmethod
    def parse(cls, p: dict[str, str]) -> _SaleFilter:
        flags = {
            k: v for k in ("paid", "delivered", "canceled") if (v := _bool(p.get(k))) is not None
        }
        mail = {
            k: p[k]
            for k in ("accepted_mail_state", "paid_mail_state", "delivered_mail_state")
            if p.get(k) in ("not_yet", "sent", "pass")
        }
        return cls(
            flags=flags,
            mail=mail,
            ids=_id_list(p.get("ids")),
            customers=_id_list(p.get("customer_ids")),
            mobile=_bool(p.get("mobile")),
            payments=_id_list(p.get("payment_ids")),
            needles={
                k: p[k] for k in ("customer_name", "customer_furigana", "customer_mail") if p.get(k)
            },
        )

    @property
    def trivial(self) -> bool:
        """True when only time bounds and ``ids`` apply (both handled before matching)."""
        return not (
            self.flags
            or self.mail
            or self.customers is not None
            or self.mobile is not None
            or self.payments is not None
            or self.needles
        )


class FakeColorMe:
    """Color Me's API over a :class:`Dataset`. Thread-safe; call it as a WSGI app."""

    platform = "colorme"

    def __init__(
        self,
        dataset: Dataset,
        *,
        faults: Faults | str = "",
        seed: int = 0,
        clock: Callable[[], float] = time.time,
        cancel_zeroes: bool = True,
        update_filter_lifts_default: bool = False,
        approve: bool = True,
        redirect_uris: frozenset[str] | None = None,
    ) -> None:
        self.dataset = dataset
        self.clock = clock
        self.cancel_zeroes = cancel_zeroes
        self.update_filter_lifts_default = update_filter_lifts_default
        self.approve = approve
        self.redirect_uris = redirect_uris
        self.request_log = RequestLog()
        self._seed = seed
        self._lock = threading.Lock()
        token_seed = hashlib.sha256(f"colorme-fake:{seed}".encode()).hexdigest()
        self.token = token_seed
        """The access token the fake accepts from the start (64 hex digits)."""
        self.client_id = f"fake-client-{token_seed[:16]}"
        self.client_secret = f"fake-secret-{token_seed[16:48]}"
        self._tokens: dict[str, frozenset[str]] = {self.token: frozenset({"read_sales"})}
        self._grants: dict[str, _Grant] = {}
        self.faults = Faults.parse(faults) if isinstance(faults, str) else faults

    # -- controls --

    @property
    def faults(self) -> Faults:
        return self._dice.faults

    @faults.setter
    def faults(self, value: Faults) -> None:
        self._dice = FaultDice(value, self._seed)

    def issue_token(self, scope: str = "read_sales") -> str:
        """A new valid token with ``scope`` (space-separated)."""
        token = secrets.token_hex(32)
        with self._lock:
            self._tokens[token] = frozenset(scope.split())
        return token

    def revoke(self, token: str) -> None:
        """The shop owner removes the app: ``token`` stops working."""
        with self._lock:
            self._tokens.pop(token, None)

    def churn(self, changes: int) -> None:
        """Create ``changes`` orders and move ``changes`` others on, at the fake's now."""
        churn_orders(self.dataset, self._dice, self.clock, changes)

    def platform_order_ids(self) -> set[str]:
        """The sale ids the fake holds now, as the connector's ``platform_order_id``."""
        return {str(order_id) for order_id in self.dataset.order_ids()}

    # -- WSGI --

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        arrived = time.monotonic()
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO") or "/"
        api = path.startswith("/v1/")
        f = self.faults
        decision = self._dice.decide() if api else Decision(f.latency, f.maintenance)
        if decision.latency or decision.stall:
            time.sleep(decision.latency + decision.stall)
        reply = self._reply(method, path, environ, decision)

        def headers(body: bytes) -> tuple[list[Header], list[Header]]:
            runtime = [("X-Runtime", f"{time.monotonic() - arrived:.6f}")]
            if reply.status == 200 and not any(k == "Cache-Control" for k, _ in reply.headers):
                etag = ("ETag", f'W/"{hashlib.md5(body).hexdigest()}"')
                return runtime, [etag, ("Cache-Control", "max-age=0, private, must-revalidate")]
            return runtime, []

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
            headers=headers,
        )

    def _reply(
        self, method: str, path: str, environ: WSGIEnvironment, decision: Decision
    ) -> _Reply:
        if decision.maintenance:
            return _html(
                self.faults.maintenance_status,
                "メンテナンス中",
                "ただいまメンテナンス中です。",
                fault="maintenance",
            )
        if path.startswith("/oauth/"):
            return self._oauth(method, path, environ)
        if not path.startswith("/v1/"):
            return _not_found()
        if decision.server_error is not None and decision.server_error_html:
            # The front proxy answers before the app sees the request.
            status = decision.server_error
            return _html(status, f"{status} {_REASONS[status]}", "しばらくしてから", fault="5xx")
        route = path.removesuffix(".json")
        scopes = self._authorised(environ)
        if scopes is None or decision.revoked:
            return _with_fault(_unauthorised(), "revoked" if decision.revoked else None)
        if decision.throttled is not None:
            return self._throttled(decision)
        if decision.server_error is not None:
            status = decision.server_error
            code = {500: 500000, 502: 502000, 503: 503000}[status]
            return _errors(status, code, _REASONS[status], fault="5xx")
        return self._api(method, route, environ, scopes, repeat=decision.repeat)

    def _throttled(self, decision: Decision) -> _Reply:
        headers: tuple[tuple[str, str], ...] = ()
        if decision.retry_after is not None:
            if decision.retry_after_form == "http-date":
                value = formatdate(self.clock() + decision.retry_after, usegmt=True)
            else:
                value = str(decision.retry_after)
            headers = (("Retry-After", value),)
        fault = "rate" if decision.throttled == "rate" else "429"
        message = "リクエスト数が上限を超えました。しばらくしてから再度お試しください。"
        return _errors(429, 429000, message, headers=headers, fault=fault)

    def _authorised(self, environ: WSGIEnvironment) -> frozenset[str] | None:
        scheme, _, token = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        with self._lock:
            return self._tokens.get(token.strip())

    # -- API routes --

    def _api(
        self,
        method: str,
        route: str,
        environ: WSGIEnvironment,
        scopes: frozenset[str],
        *,
        repeat: bool = False,
    ) -> _Reply:
        if method != "GET":
            return _not_found()
        pairs = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        if route == "/v1/payments":
            return _json(200, {"payments": self._payments()})
        if route == "/v1/deliveries":
            return _json(200, {"deliveries": self._deliveries()})
        parts = route.strip("/").split("/")
        if parts[1] not in ("sales", "customers") or len(parts) > 3:
            return _not_found()
        if "read_sales" not in scopes:
            return _unauthorised()
        if any("[" in key for key, _ in pairs if not key.startswith("fields[")):
            return _internal_error()  # Rails-style arrays crash the real API (notes §5.1)
        if parts[1] == "customers":
            return self._customers(pairs, parts[2] if len(parts) == 3 else None)
        if len(parts) == 3:
            return self._one_sale(parts[2], pairs)
        return self._sales(pairs, repeat=repeat)

    def _sales(self, pairs: list[tuple[str, str]], *, repeat: bool = False) -> _Reply:
        q = _query(pairs)
        p = q.params
        flt = _SaleFilter.parse(p)
        with self.dataset.lock:
            if self.faults.churn:
                self.churn(self.faults.churn)
            made_from = _jst_seconds(p.get("make_date_min") or p.get("after"))
            made_to = _jst_seconds(p.get("make_date_max") or p.get("before"))
            updated_from = _jst_seconds(p.get("update_date_min"))
            updated_to = _jst_seconds(p.get("update_date_max"))
            lifted = self.update_filter_lifts_default and (updated_from or updated_to)
            if made_from is None and not lifted:
                made_from = _midnight_days_before(
                    made_to if made_to is not None else self.clock(), 7
                )
            bounds = (made_from, made_to, updated_from, updated_to)
            found = self._candidates(bounds, flt.ids)
            if not flt.trivial:
                found = [i for i in found if self._matches(i, flt)]
            found.reverse()  # newest (highest id) first
            # The "repeat" fault: a later page comes back as the page before it.
            start = q.offset - q.limit if repeat and q.offset >= q.limit else q.offset
            page = found[start : start + q.limit]
            sales = [self._project(self.sale(i), q) for i in page]
        meta = {"total": len(found), "limit": q.limit, "offset": q.offset}
        return _json(200, {"sales": sales, "meta": meta})

    def _candidates(self, bounds: tuple[int | None, ...], ids: set[int] | None) -> list[int]:
        """Indexes (ascending) inside the inclusive time bounds, among ``ids`` if given."""
        made_from, made_to, updated_from, updated_to = bounds
        ds = self.dataset
        if ids is None:
            return ds.select(
                made_from=made_from,
                made_to=made_to,
                updated_from=updated_from,
                updated_to=updated_to,
            )
        inside = [
            i - ds.order_id_start for i in sorted(ids) if i - ds.order_id_start in range(len(ds))
        ]
        checks = ((ds.make_time, made_from, made_to), (ds.update_time, updated_from, updated_to))
        return [
            i
            for i in inside
            if all(
                (low is None or at(i) >= low) and (high is None or at(i) <= high)
                for at, low, high in checks
            )
        ]

    def _one_sale(self, raw_id: str, pairs: list[tuple[str, str]]) -> _Reply:
        # A single sale is not subject to the 7-day default (notes §5.2).
        if not raw_id.isdigit():
            return _not_found()
        with self.dataset.lock:
            try:
                index = self.dataset.index_of(int(raw_id))
            except KeyError:
                return _not_found()
            sale = self.sale(index, single=True)
        return _json(200, {"sale": self._project(sale, _query(pairs))})

    @staticmethod
    def _project(sale: dict[str, Any], q: _Query) -> dict[str, Any]:
        if q.empty_fields:
            return {}
        if not q.fields:
            return sale
        return {key: sale[key] for key in q.fields if key in sale}

    def _matches(self, index: int, f: _SaleFilter) -> bool:
        ds = self.dataset
        status = ds.status(index)
        if any(_FLAGS[status][name] != wanted for name, wanted in f.flags.items()):
            return False
        if any(_MAIL_STATES[status][name] != wanted for name, wanted in f.mail.items()):
            return False
        if f.customers is not None and self._customer_id(index) not in f.customers:
            return False
        if f.needles:
            buyer = ds.persons[ds.buyer_key(index)]
            haystacks = {
                "customer_name": buyer.name,
                "customer_furigana": buyer.kana,
                "customer_mail": buyer.email or "",
            }
            if not all(needle in haystacks[k] for k, needle in f.needles.items()):
                return False
        if f.mobile is None and f.payments is None:
            return True
        order = ds.order_at(index)  # the remaining checks need the whole order
        if f.mobile is not None and order.mobile != f.mobile:
            return False
        return f.payments is None or _PAYMENT_IDS[order.payment_method] in f.payments

    def _customer_id(self, index: int) -> int:
        person = self.dataset.persons[self.dataset.buyer_key(index)]
        if person.is_member and person.member_id:
            return int(person.member_id)
        return _GUEST_CUSTOMER_BASE + index

    def _customers(self, pairs: list[tuple[str, str]], raw_id: str | None) -> _Reply:
        q = _query(pairs)
        with self.dataset.lock:
            members = {
                int(p.member_id): p
                for key in self.dataset.buyers()
                if (p := self.dataset.persons[key]).is_member and p.member_id
            }
            if raw_id is not None:
                person = members.get(int(raw_id)) if raw_id.isdigit() else None
                if person is None:
                    return _not_found()
                return _json(200, {"customer": self._customer_record(person)})
            ids = _id_list(q.params.get("ids"))
            chosen = sorted((i for i in members if ids is None or i in ids), reverse=True)
            page = chosen[q.offset : q.offset + q.limit]
            items = [self._customer_record(members[i]) for i in page]
        meta = {"total": len(chosen), "limit": q.limit, "offset": q.offset}
        return _json(200, {"customers": items, "meta": meta})

    def _customer_record(self, person: Person) -> dict[str, Any]:
        first = self.dataset.first_order_time(person.key) or self.dataset.end
        record = self._customer(person, int(person.member_id or 0), first, None)
        # Seen live on the customers endpoint though undocumented (notes §6).
        return {**record, "membership": None, "memo": ""}

    def _payments(self) -> list[dict[str, Any]]:
        return [
            {
                "id": pid,
                "account_id": ACCOUNT_ID,
                "name": label,
                "fee": {"代金引換": 330, "コンビニ決済": 220}.get(label, 0),
                "ip_code": None,
                "memo": None,
                "order_end_note": None,
                "memo_mobile": None,
                "sort": pid - 110,
                "image_url": None,
                "type": _PAYMENT_TYPES.get(label, 9),
                "display": True,
                "use_mobile": True,
                "make_date": 1_577_804_400,
                "update_date": 1_577_804_400,
            }
            for label, pid in _PAYMENT_IDS.items()
        ]

    def _deliveries(self) -> list[dict[str, Any]]:
        out = []
        for label, did in _DELIVERY_IDS.items():
            kind = _DELIVERY_TYPES.get(label, "other")
            out.append(
                {
                    "id": did,
                    "account_id": ACCOUNT_ID,
                    "name": label,
                    "method_type": kind,
                    "image_url": None,
                    "charge_free_type": "free_to_limit",
                    "charge_free_limit": 5000,
                    "charge_type": "fixed",
                    "charge": {"delivery_id": did, "account_id": ACCOUNT_ID, "charge_fixed": 800},
                    "tax_included": True,
                    "slip_number_use": kind != "other",
                    "slip_number_url": _TRACKING_URLS.get(kind, "").replace("{}", "") or None,
                    "memo": None,
                    "memo2": None,
                    "sort": did - 221,
                    "display_state": "showing",
                    "preferred_date_use": True,
                    "preferred_period_use": True,
                    "unavailable_payment_ids": [],
                    "make_date": 1_577_804_400,
                    "update_date": 1_577_804_400,
                }
            )
        return out

    # -- rendering one sale --

    def sale(self, index: int, *, single: bool = False) -> dict[str, Any]:
        """Order ``index`` as Color Me serves it (2026 shape)."""
        order = self.dataset.order_at(index)
        flags = _FLAGS[order.status]
        paid, delivered, canceled = flags["paid"], flags["delivered"], flags["canceled"]
        zero = canceled and self.cancel_zeroes
        made, updated = order.make_time, order.update_time
        member = order.buyer.is_member
        return {
            "id": order.order_id,
            "account_id": ACCOUNT_ID,
            "make_date": made,
            "update_date": updated,
            "payment_id": _PAYMENT_IDS[order.payment_method],
            "mobile": order.mobile,
            "paid": paid,
            "delivered": delivered,
            "canceled": canceled,
            **_MAIL_STATES[order.status],
            "accepted_mail_sent_date": min(made + 60, updated),
            "paid_mail_sent_date": min(made + 3600, updated) if paid else None,
            "delivered_mail_sent_date": updated if delivered else None,
            "point_state": "canceled" if canceled else ("fixed" if delivered else "assumed"),
            "gmo_point_state": None,
            "yahoo_point_state": None,
            "product_total_price": order.goods_total,
            "delivery_total_charge": order.shipping,
            "fee": order.fee,
            "tax": order.tax,
            "noshi_total_charge": 0,
            "card_total_charge": 0,
            "wrapping_total_charge": 0,
            "point_discount": order.points_used,
            "gmo_point_discount": 0,
            "other_discount": order.discount,
            "other_discount_name": order.coupon_name or "",
            "total_price": 0 if zero else order.grand_total,
            "granted_points": order.goods_total // 100 if member else 0,
            "use_points": order.points_used,
            "granted_gmo_points": 0,
            "use_gmo_points": 0,
            "granted_yahoo_points": 0,
            "use_yahoo_points": 0,
            "external_order_id": order.transaction_id or "",
            "customer": self._sale_customer(order, index),
            "details": self._details(order, zero),
            "sale_deliveries": self._sale_deliveries(order, delivered),
            "segment": _segment(order, single),
            "totals": _totals(order, zero),
            # An order placed through a partner app names it (2026 spec).
            "application": {"name": "LINEショッピング"} if order.order_id % 29 == 0 else None,
            "shop_coupon": _coupon(order),
        }

    def _sale_customer(self, order: SynthOrder, index: int) -> dict[str, Any]:
        buyer = order.buyer
        if buyer.is_member and buyer.member_id:
            first = self.dataset.first_order_time(buyer.key) or order.make_time
            return self._customer(buyer, int(buyer.member_id), first, order)
        return self._customer(buyer, _GUEST_CUSTOMER_BASE + index, order.make_time, order)

    def _customer(
        self, p: Person, customer_id: int, first_order: int, order: SynthOrder | None
    ) -> dict[str, Any]:
        # Members registered some days before their first order; guests at the order.
        registered = first_order - (p.key % 90) * 86_400 if p.is_member else first_order
        return {
            "id": customer_id,
            "account_id": ACCOUNT_ID,
            "name": numeric_refs(p.name),
            "furigana": p.kana,
            "hojin": p.company,
            "busho": p.department,
            "sex": p.gender,
            "birthday": p.birthday.isoformat() if p.birthday else None,
            "postal": p.postal,
            "pref_id": p.prefecture or OVERSEAS_PREF_ID,
            "pref_name": p.prefecture_name or "海外",
            "address1": numeric_refs(p.address1),
            "address2": numeric_refs(p.address2) if p.address2 else None,
            "mail": p.email,
            "tel": p.phone,
            "fax": None,
            "tel_mobile": p.mobile,
            "other": None,
            "points": p.points,
            "member": p.is_member,
            "sales_count": self.dataset.sales_count(p.key) if p.is_member else 1,
            "receive_mail_magazine": p.newsletter,
            # The shop's checkout question "ご要望" carries the buyer's remark.
            "answer_free_form1": numeric_refs(order.remark) if order and order.remark else None,
            "answer_free_form2": None,
            "answer_free_form3": None,
            "make_date": registered,
            "update_date": max(registered, order.make_time if order else registered),
        }

    @staticmethod
    def _details(order: SynthOrder, zero: bool) -> list[dict[str, Any]]:
        shipment = {j: d for d, delivery in enumerate(order.deliveries) for j in delivery.lines}
        details = []
        for j, line in enumerate(order.lines):
            product = line.product
            values = [numeric_refs(v) for v in line.variation] + [None, None]
            indexes = [
                axis[1].index(v) + 1
                for axis, v in zip(product.variations, line.variation, strict=True)
            ] + [None, None]
            image = f"https://img21.shop-pro.jp/{ACCOUNT_ID}/00/product/{product.product_id}.jpg"
            details.append(
                {
                    "id": order.order_id * 100 + j,
                    "sale_id": order.order_id,
                    "account_id": ACCOUNT_ID,
                    "product_id": product.product_id,
                    "sale_delivery_id": order.order_id * 10 + shipment.get(j, 0),
                    "option1_value": values[0],
                    "option2_value": values[1],
                    "option1_index": indexes[0],
                    "option2_index": indexes[1],
                    "product_model_number": line.sku,
                    "product_name": product.name,
                    "pristine_product_full_name": numeric_refs(line.full_name),
                    "product_cost": None,
                    "product_image_url": image,
                    "product_thumbnail_image_url": image.replace(".jpg", "_th.jpg"),
                    "product_mobile_image_url": None,
                    "price": line.unit_price,
                    "price_with_tax": line.unit_price_with_tax,
                    "product_num": 0 if zero else line.quantity,
                    "unit": "個",
                    "subtotal_price": 0 if zero else line.subtotal_with_tax,
                    "tax_reduced": product.tax_class == "reduced",
                    "customizations": (
                        [{"title": "名入れ", "value": numeric_refs(line.engraving)}]
                        if line.engraving
                        else []
                    ),
                }
            )
        return details

    @staticmethod
    def _sale_deliveries(order: SynthOrder, delivered: bool) -> list[dict[str, Any]]:
        out = []
        for d, delivery in enumerate(order.deliveries):
            r = delivery.recipient
            kind = _DELIVERY_TYPES.get(delivery.method, "other")
            slip = delivery.slip_number
            tracking = (
                _TRACKING_URLS[kind].format(slip) if slip and kind in _TRACKING_URLS else None
            )
            gift, noshi = delivery.gift_message, delivery.noshi
            out.append(
                {
                    "id": order.order_id * 10 + d,
                    "account_id": ACCOUNT_ID,
                    "sale_id": order.order_id,
                    "delivery_id": _DELIVERY_IDS[delivery.method],
                    "detail_ids": [order.order_id * 100 + j for j in delivery.lines],
                    "name": numeric_refs(r.name),
                    "furigana": r.kana,
                    "postal": r.postal,
                    "pref_id": r.prefecture or OVERSEAS_PREF_ID,
                    "pref_name": r.prefecture_name or "海外",
                    "address1": numeric_refs(r.address1),
                    "address2": numeric_refs(r.address2) if r.address2 else None,
                    "tel": r.phone,
                    "preferred_date": delivery.preferred_date.isoformat()
                    if delivery.preferred_date
                    else None,
                    "preferred_period": delivery.preferred_period,
                    "slip_number": slip,
                    "noshi_text": numeric_refs(noshi) if noshi else None,
                    "noshi_charge": 0 if noshi else None,
                    "card_name": "メッセージカード" if gift else None,
                    "card_text": numeric_refs(gift) if gift else None,
                    "card_charge": 0 if gift else None,
                    "wrapping_name": None,
                    "wrapping_charge": None,
                    "delivery_charge": delivery.shipping,
                    "total_charge": delivery.shipping,
                    "tracking_url": tracking,
                    "memo": numeric_refs(delivery.memo) if delivery.memo else None,
                    "delivered": delivered,
                }
            )
        return out

    # -- OAuth (notes §4) --

    def _oauth(self, method: str, path: str, environ: WSGIEnvironment) -> _Reply:
        if method == "GET" and path == "/oauth/authorize":
            return self._authorize(dict(parse_qsl(environ.get("QUERY_STRING", ""))), environ)
        if method == "GET" and path.startswith("/oauth/authorize/"):
            return self._oob_page(path.removeprefix("/oauth/authorize/"))
        if method == "POST" and path == "/oauth/token":
            return self._exchange(environ)
        return _not_found()

    def _redirect_allowed(self, uri: str) -> bool:
        if self.redirect_uris is not None:
            return uri in self.redirect_uris
        loopback = ("http://127.0.0.1", "http://localhost", "http://[::1]")
        return uri == OOB_REDIRECT_URI or uri.startswith(loopback)

    def _authorize(self, q: dict[str, str], environ: WSGIEnvironment) -> _Reply:
        if q.get("client_id") != self.client_id:
            return _html(401, "invalid_client", "クライアント認証に失敗しました。")
        redirect = q.get("redirect_uri", "")
        if not self._redirect_allowed(redirect):
            return _html(400, "invalid_redirect_uri", "リダイレクトURIが登録と一致しません。")
        state = q.get("state")
        scope = q.get("scope") or "read_sales"
        error = None
        if q.get("response_type") != "code":
            error = "unsupported_response_type"
        elif not set(scope.split()) <= _SCOPES:
            error = "invalid_scope"
        elif not self.approve:
            error = "access_denied"
        if error is not None:
            params = {"error": error, "error_description": "リクエストは拒否されました。"}
            return self._redirect(redirect, params, state, environ)
        code = secrets.token_hex(32)  # 64 characters, as observed
        with self._lock:
            self._grants[code] = _Grant(self.client_id, redirect, scope, self.clock() + 600)
        return self._redirect(redirect, {"code": code}, state, environ)

    @staticmethod
    def _redirect(
        uri: str, params: dict[str, str], state: str | None, environ: WSGIEnvironment
    ) -> _Reply:
        if state is not None:
            params = {**params, "state": state}
        if uri == OOB_REDIRECT_URI:
            host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "localhost")
            base = f"{environ.get('wsgi.url_scheme', 'http')}://{host}/oauth/authorize"
            location = f"{base}/{params['code']}" if "code" in params else base
            if "code" not in params:
                location += "?" + urlencode(params)
        else:
            location = uri + ("&" if "?" in uri else "?") + urlencode(params)
        return _html(
            302, "Redirecting", "リダイレクトしています。", headers=(("Location", location),)
        )

    def _oob_page(self, code: str) -> _Reply:
        with self._lock:
            known = code in self._grants
        if not known:
            return _html(404, "Not Found", "認可コードが見つかりません。")
        return _html(200, "認可コード", f'<code id="authorization_code">{code}</code>')

    def _exchange(self, environ: WSGIEnvironment) -> _Reply:
        form = dict(parse_qsl(_read_body(environ).decode("utf-8", "replace")))
        no_store = (("Cache-Control", "no-store"), ("Pragma", "no-cache"))
        if form.get("grant_type") != "authorization_code":
            return _json(400, _oauth_error("unsupported_grant_type"), headers=no_store)
        if (
            form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
        ):
            return _json(401, _oauth_error("invalid_client"), headers=no_store)
        with self._lock:
            grant = self._grants.get(form.get("code", ""))
            if (
                grant is None
                or grant.client_id != form.get("client_id")
                or grant.used
                or grant.expires < self.clock()
                or grant.redirect_uri != form.get("redirect_uri")
            ):
                return _json(400, _oauth_error("invalid_grant"), headers=no_store)
            grant.used = True  # single use
            token = secrets.token_hex(32)
            self._tokens[token] = frozenset(grant.scope.split())
        payload = {
            "access_token": token,
            "token_type": "Bearer",
            "scope": grant.scope,
            "created_at": int(self.clock()),
        }
        return _json(200, payload, headers=no_store)


def _with_fault(reply: _Reply, fault: str | None) -> _Reply:
    return _Reply(reply.status, reply.body, reply.content_type, reply.headers, fault)


def _oauth_error(error: str) -> dict[str, str]:
    descriptions = {
        "invalid_client": "クライアント認証に失敗しました。",
        "invalid_grant": "認可コードが無効か、期限切れか、使用済みです。",
        "unsupported_grant_type": "この認可タイプには対応していません。",
    }
    return {"error": error, "error_description": descriptions[error]}


def _read_body(environ: WSGIEnvironment) -> bytes:
    length = _int(environ.get("CONTENT_LENGTH")) or 0
    return environ["wsgi.input"].read(length) if length > 0 else b""


def _query(pairs: list[tuple[str, str]]) -> _Query:
    params = dict(pairs)  # the last value wins, as in Rails
    fields = tuple(f.strip() for f in params.get("fields", "").split(",") if f.strip())
    return _Query(
        params=params,
        empty_fields=any(key.startswith("fields[") for key, _ in pairs),
        fields=fields,
        limit=_limit(params.get("limit")),
        offset=_offset(params.get("offset")),
    )


def _segment(order: SynthOrder, single: bool) -> dict[str, Any] | None:
    siblings = order.split_siblings
    if not siblings:
        return None  # live: null for unsplit orders (notes §5.4)
    segment: dict[str, Any] = {
        "id": siblings.index(order.order_id) + 1,
        "name": f"分割{siblings.index(order.order_id) + 1}",
        "parent_sale_id": siblings[0],
        "splitted": True,
        "product_total_price": order.goods_total,
        "delivery_total_charge": order.shipping,
        "total_price": order.grand_total,
        "noshi_total_charge": 0,
        "card_total_charge": 0,
        "wrapping_total_charge": 0,
    }
    if single:
        segment["siblings_sale_ids"] = list(siblings)
    return segment


def _totals(order: SynthOrder, zero: bool) -> dict[str, int]:
    reduced_goods = sum(x.subtotal for x in order.lines if x.product.tax_class == "reduced")
    normal_goods = order.goods_total - reduced_goods
    reduced_discount = 0 if normal_goods else order.discount
    with_reduced = reduced_goods + order.tax_reduced - reduced_discount
    return {
        "normal_tax_amount": order.tax_standard,
        "reduced_tax_amount": order.tax_reduced,
        "discount_amount_for_normal_tax": order.discount - reduced_discount,
        "discount_amount_for_reduced_tax": reduced_discount,
        "total_price_with_normal_tax": 0 if zero else order.grand_total - with_reduced,
        "total_price_with_reduced_tax": 0 if zero else with_reduced,
    }


def _coupon(order: SynthOrder) -> dict[str, Any] | None:
    if not order.coupon_name:
        return None
    code = order.coupon_code or ""
    number = 1000 + int(hashlib.sha256(code.encode()).hexdigest()[:6], 16) % 9000
    return {"id": number, "name": order.coupon_name, "code": code}


def build(
    dataset: Dataset, *, faults: Faults, seed: int, clock: Callable[[], float]
) -> FakePlatform:
    """The Color Me fake over ``dataset``; the credential is the access token."""
    app = FakeColorMe(dataset, faults=faults, seed=seed, clock=clock)
    return FakePlatform(platform="colorme", app=app, credential=app.token, dataset=dataset)

"""カラーミーショップ (Color Me Shop): orders from ``GET /v1/sales``.

Paging lifecycle (notes §7): one request per page, ``limit=100`` and the engine's
``offset``, bounded by ``update_date_min/max`` for the window plus an explicit
far-past ``make_date_min`` so the platform's silent 7-day default never applies;
``meta.total`` is the window's count, and there is more while
``offset + len(sales) < total``.

The parser keeps only what ``RawOrder`` holds. Names, kana, companies, postal
codes, addresses, fax, free text (memo, card/noshi text, customizations, custom
answers), tracking numbers and payment transaction ids are read at most to
compare or to test for presence, and never leave :func:`parse_sale`.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from kamei.errors import (
    AuthError,
    ConfigError,
    ConnectorError,
    PermissionDenied,
    ResponseFormatError,
    SecretMissing,
)
from kamei.i18n import t

from .http import Budget, CallContext, RetryableResponse, RetryPolicy, parse_json, send
from .prefectures import code_for_name, valid_code
from .registry import PlatformSpec, positive_setting
from .types import (
    MAX_AMOUNT,
    Cursor,
    Gender,
    OrderStatus,
    Page,
    RawBuyer,
    RawLine,
    RawOrder,
    RequestStats,
    Window,
    plausible_amount,
    plausible_time,
)

__all__ = [
    "FAR_PAST",
    "SPEC",
    "ColorMeConnector",
    "ColorMeSettings",
    "MalformedSale",
    "parse_credential",
    "parse_sale",
    "sales_params",
]

JST = dt.timezone(dt.timedelta(hours=9), "JST")
FAR_PAST = "2000-01-01 00:00:00"
"""Sent as ``make_date_min`` on every list request: without any make date the API
silently narrows the search to the last 7 days (notes §7). Color Me opened in 2005."""
PAGE_SIZE = 100  # the API's maximum; larger values are clamped silently
_SALES_PATH = "/v1/sales"


DEFAULT_RATE = 1.96
"""Requests per second: the 120/min guideline less 2%, with a burst of one, so that
arrival jitter never puts 121 requests in a minute at Color Me's end (the rate
benchmark saw 122 with a burst of 2 at exactly 2/s). Costs 2% of a backfill."""


@dataclass(frozen=True, slots=True)
class ColorMeSettings:
    """Non-secret settings of one Color Me shop.

    ``rate_per_s`` defaults to 1.96 (burst 1): Color Me's guideline of 120 requests
    a minute per access token (notes §8), less 2%.
    """

    shop: str
    rate_per_s: float = DEFAULT_RATE
    burst: float = 1.0

    @classmethod
    def from_mapping(cls, settings: Mapping[str, Any]) -> ColorMeSettings:
        """Read ``shop`` (required), ``rate`` (requests/s) and ``burst`` from a shop's settings.

        ``sync`` adds ``shop`` (the shop's name, for messages); ``kamei shop add --rate``
        stores ``rate``.
        """
        shop = settings.get("shop")
        if not isinstance(shop, str) or not shop:
            raise ConfigError(t("connector.no_shop_name", platform="colorme"))
        rate = positive_setting(settings.get("rate", DEFAULT_RATE), "rate", "colorme", shop)
        burst = max(1.0, positive_setting(settings.get("burst", 1.0), "burst", "colorme", shop))
        return cls(shop=shop, rate_per_s=rate, burst=burst)


class ColorMeConnector:
    """Reads one Color Me shop's orders by update time. Implements ``Connector``."""

    platform: str = "colorme"
    page_size: int = PAGE_SIZE
    cursor: Cursor = "updated"
    max_window: dt.timedelta | None = None

    def __init__(
        self,
        client: httpx.Client,
        credential: Mapping[str, str],
        settings: ColorMeSettings,
        *,
        policy: RetryPolicy | None = None,
        budget: Budget | None = None,
    ) -> None:
        """``client`` points at the API base URL and stays owned by the caller."""
        token = credential.get("access_token", "").strip()
        if not token:
            raise SecretMissing(t("colorme.no_token", shop=settings.shop))
        self._client = client
        self._headers = {"Authorization": f"Bearer {token}"}
        self.shop = settings.shop
        self.stats = RequestStats()
        self._policy = policy or RetryPolicy()
        self._budget = budget or Budget(settings.rate_per_s, settings.burst)

    def __repr__(self) -> str:  # never the token
        return f"ColorMeConnector(shop={self.shop!r})"

    def fetch_page(self, window: Window, offset: int) -> Page:
        """Up to 100 orders updated in ``window``, starting at item ``offset``."""
        params = sales_params(window, offset)
        if params is None:  # no whole second inside the window: nothing can match
            return Page(window=window, offset=offset, orders=(), total=0, has_more=False)
        sales, total = send(
            self._client,
            "GET",
            _SALES_PATH,
            params=params,
            headers=self._headers,
            budget=self._budget,
            policy=self._policy,
            stats=self.stats,
            endpoint="sales",
            platform=self.platform,
            shop=self.shop,
            parse=lambda response: _parse_envelope(response, self.shop),
            window=window,
            classify_error=_classify_error,
        )
        orders: list[RawOrder] = []
        problems: list[str] = []
        for sale in sales:
            try:
                orders.append(parse_sale(sale))
            except MalformedSale as exc:
                problems.append(exc.reason)
        return Page(
            window=window,
            offset=offset,
            orders=tuple(orders),
            total=total,
            has_more=bool(sales) and offset + len(sales) < total,
            skipped=len(problems),
            problems=tuple(problems),
        )


def sales_params(window: Window, offset: int) -> dict[str, str | int] | None:
    """Query for one page of ``window``, or ``None`` if no whole second lies inside it.

    The window is half-open ``[start, end)``; Color Me bounds are inclusive, in whole
    seconds of JST wall-clock time, so an integer time ``t`` is inside exactly when
    ``ceil(start) <= t <= ceil(end) - 1 s``.
    """
    first = _ceil_second(window.start)
    last = _ceil_second(window.end) - dt.timedelta(seconds=1)
    if last < first:
        return None
    return {
        "make_date_min": FAR_PAST,
        "update_date_min": _jst(first),
        "update_date_max": _jst(last),
        "limit": PAGE_SIZE,
        "offset": offset,
    }


def _ceil_second(when: dt.datetime) -> dt.datetime:
    floor = when.replace(microsecond=0)
    return floor if floor == when else floor + dt.timedelta(seconds=1)


def _jst(when: dt.datetime) -> str:
    return when.astimezone(JST).strftime("%Y-%m-%d %H:%M:%S")


# --- response envelope and errors -----------------------------------------------------


def _parse_envelope(response: httpx.Response, shop: str) -> tuple[list[Any], int]:
    body = parse_json(response)
    if not isinstance(body, dict):
        raise RetryableResponse("body is not an object")
    if "sales" not in body and isinstance(body.get("errors"), list):
        # Not documented for 2xx, but an errors body is never a page: honour its codes.
        where = t("colorme.where", shop=shop, status=response.status_code)
        raise _error_from_codes(_codes(body), where, shop) or RetryableResponse("errors body")
    sales = body.get("sales")
    meta = body.get("meta")
    if not isinstance(sales, list):
        raise RetryableResponse("no sales list")
    total = meta.get("total") if isinstance(meta, dict) else None
    if not isinstance(total, int) or isinstance(total, bool) or total < 0:
        raise RetryableResponse("no meta.total")
    return sales, total


def _codes(body: object) -> list[int]:
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, list):
        return []
    return [e["code"] for e in errors if isinstance(e, dict) and isinstance(e.get("code"), int)]


def _error_from_codes(codes: list[int], where: str, shop: str) -> ConnectorError | None:
    if 401010 in codes:
        return AuthError(t("colorme.token_rejected", where=where, shop=shop))
    if 401200 in codes:
        return PermissionDenied(t("colorme.plan", where=where))
    return None


def _classify_error(response: httpx.Response, ctx: CallContext) -> ConnectorError | None:
    """Refine a non-retryable error status from Color Me's ``errors[].code`` (notes §9)."""
    try:
        body = parse_json(response)
    except RetryableResponse:
        return None
    return _error_from_codes(_codes(body), ctx.where(response.status_code), ctx.shop)


# --- the sale parser --------------------------------------------------------------------


class MalformedSale(ResponseFormatError):
    """A sale that cannot become a ``RawOrder``. ``reason`` holds field names only."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_sale(obj: object) -> RawOrder:
    """One ``sales[]`` item → ``RawOrder``; raises :class:`MalformedSale` only.

    Unknown keys are ignored and missing/null optional keys take defaults; only a
    missing or mistyped ``id``/``make_date``, an impossible time, or a money field
    that is not whole yen within ``MAX_AMOUNT`` makes the sale unusable.
    """
    if not isinstance(obj, dict):
        raise MalformedSale("sale not an object")
    sale_id = _required_int(obj, "id")
    ordered_at = _timestamp(obj, "make_date")
    updated_at = _timestamp(obj, "update_date") if obj.get("update_date") is not None else None
    customer = _dict(obj.get("customer"))
    deliveries = [d for d in _list(obj.get("sale_deliveries")) if isinstance(d, dict)]
    return RawOrder(
        platform_order_id=str(sale_id),
        ordered_at=ordered_at,
        updated_at=updated_at or ordered_at,
        status=_status(obj),
        buyer=_buyer(customer),
        lines=tuple(_line(d) for d in _list(obj.get("details")) if isinstance(d, dict)),
        goods_total=_money(obj, "product_total_price"),
        shipping=_money(obj, "delivery_total_charge"),
        fees=_sum(obj, "fee", "noshi_total_charge", "card_total_charge", "wrapping_total_charge"),
        tax=_money(obj, "tax"),
        discounts=_sum(obj, "point_discount", "gmo_point_discount", "other_discount"),
        grand_total=_money(obj, "total_price"),
        points_used=_money(obj, "use_points"),
        payment_method=_label("payment", obj.get("payment_id")),
        delivery_method=_delivery_method(deliveries),
        coupon_name=_coupon(obj),
        is_gift=any(_is_gift(d, customer) for d in deliveries),
        multi_destination=len(deliveries) > 1,
    )


def _is_int(value: object) -> bool:
    # ``type(...) is int`` first: it is the common case, and cheaper than two isinstance.
    return type(value) is int or (isinstance(value, int) and not isinstance(value, bool))


def _required_int(obj: dict[str, Any], key: str) -> int:
    value = obj.get(key)
    if value is None:
        raise MalformedSale(f"missing {key}")
    if not _is_int(value):
        raise MalformedSale(f"bad {key}")
    return int(value)


def _timestamp(obj: dict[str, Any], key: str) -> dt.datetime:
    seconds = _required_int(obj, key)
    try:
        moment = dt.datetime.fromtimestamp(seconds, dt.UTC)
    except (OverflowError, OSError, ValueError):
        raise MalformedSale(f"bad {key}") from None
    if not plausible_time(moment):  # e.g. year 9999: Japan time would overflow downstream
        raise MalformedSale(f"bad {key}")
    return moment


def _money(obj: dict[str, Any], key: str, prefix: str = "") -> int:
    # Absent means "not applicable" (older API versions); a non-integer would make the
    # order's arithmetic wrong in every report, so that sale is skipped instead.
    value = obj.get(key)
    # The common case, checked first (this runs ~20 times a sale): an int a report can sum.
    if type(value) is int and -MAX_AMOUNT <= value <= MAX_AMOUNT:
        return value
    if value is None:
        return 0
    if not _is_int(value) or not plausible_amount(int(value)):
        raise MalformedSale(f"bad {prefix}{key}")
    return int(value)


def _sum(obj: dict[str, Any], *keys: str) -> int:
    total = 0
    for key in keys:
        total += _money(obj, key)
    if not plausible_amount(total):
        raise MalformedSale(f"bad {keys[0]}")
    return total


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: object) -> str | None:
    """A non-empty string with HTML numeric references decoded (notes §6), else ``None``."""
    if not isinstance(value, str):
        return None
    # html.unescape returns text without "&" unchanged; skipping the call saves its cost
    # on the ~17 strings of every sale.
    text = (html.unescape(value) if "&" in value else value).strip()
    return text or None


def _status(obj: dict[str, Any]) -> OrderStatus:
    if obj.get("canceled") is True:
        return "cancelled"
    if obj.get("delivered") is True:
        return "shipped"
    if obj.get("paid") is True:
        return "paid"
    return "pending"


_GENDERS: dict[str, Gender] = {"male": "male", "female": "female", "not_applicable": "other"}
_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})")


def _birthday(value: object) -> dt.date | None:
    # Color Me does not validate birthdays on write (notes §5.5): anything odd is dropped.
    if not isinstance(value, str):
        return None
    match = _DATE.fullmatch(value.strip())
    if match is None:
        return None
    try:
        day = dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
    return day if day.year >= 1900 else None


def _buyer(customer: dict[str, Any]) -> RawBuyer:
    is_member = customer.get("member") is True
    customer_id = customer.get("id")
    sex = customer.get("sex")
    return RawBuyer(
        email=_text(customer.get("mail")),
        phone=_text(customer.get("tel")) or _text(customer.get("tel_mobile")),
        member_id=str(customer_id) if is_member and _is_int(customer_id) else None,
        birthday=_birthday(customer.get("birthday")),
        prefecture=valid_code(customer.get("pref_id")) or _pref_from_name(customer),
        gender=_GENDERS.get(sex) if isinstance(sex, str) else None,
        is_member=is_member,
    )


def _pref_from_name(customer: dict[str, Any]) -> int | None:
    # Only when no id was sent at all: 48 (overseas) must stay None, not be guessed from a name.
    if customer.get("pref_id") is not None:
        return None
    name = customer.get("pref_name")
    return code_for_name(name) if isinstance(name, str) else None


def _line(detail: dict[str, Any]) -> RawLine:
    product_id = detail.get("product_id")
    model = _text(detail.get("product_model_number"))
    price_key = "price_with_tax" if detail.get("price_with_tax") is not None else "price"
    reduced = detail.get("tax_reduced")
    return RawLine(
        product_id=str(product_id) if _is_int(product_id) or isinstance(product_id, str) else "",
        product_name=_text(detail.get("pristine_product_full_name"))
        or _text(detail.get("product_name"))
        or "",
        unit_price=_money(detail, price_key, "details."),
        quantity=_money(detail, "product_num", "details."),
        subtotal=_money(detail, "subtotal_price", "details."),
        product_code=model,
        sku=model,
        variations=tuple(
            v
            for v in (_text(detail.get("option1_value")), _text(detail.get("option2_value")))
            if v is not None
        ),
        tax_class=("reduced" if reduced else "standard") if isinstance(reduced, bool) else None,
    )


def _label(kind: str, value: object) -> str | None:
    return f"{kind}:{value}" if _is_int(value) else None


def _delivery_method(deliveries: list[dict[str, Any]]) -> str | None:
    # Method names live behind GET /v1/deliveries; the id is stable and enough to group by.
    for delivery in deliveries:
        label = _label("delivery", delivery.get("delivery_id"))
        if label is not None:
            return label
    return None


def _coupon(obj: dict[str, Any]) -> str | None:
    return _text(_dict(obj.get("shop_coupon")).get("name")) or _text(obj.get("other_discount_name"))


def _same_person(a: object, b: object) -> bool:
    def norm(value: object) -> str:
        text = _text(value) or ""
        return "".join(unicodedata.normalize("NFKC", text).split())

    return norm(a) == norm(b)


def _is_gift(delivery: dict[str, Any], customer: dict[str, Any]) -> bool:
    # Only presence is read: the gift message, noshi text and recipient never leave here.
    for key in ("card_text", "noshi_text", "wrapping_name"):
        if _text(delivery.get(key)):
            return True
    wrapping = delivery.get("wrapping_charge")
    if isinstance(wrapping, int) and wrapping > 0:
        return True
    recipient = _text(delivery.get("name"))
    return recipient is not None and not _same_person(recipient, customer.get("name"))


# --- credential and platform spec ---------------------------------------------------------


def parse_credential(text: str) -> dict[str, str]:
    """The text given to ``shop add --credential-stdin``: one access token on one line."""
    token = text.strip()
    if not token:
        raise ConfigError(t("colorme.no_token_given"))
    if any(ch.isspace() for ch in token):
        raise ConfigError(t("colorme.token_one_word"))
    return {"access_token": token}


def _build(
    client: httpx.Client, credential: Mapping[str, str], settings: Mapping[str, Any]
) -> ColorMeConnector:
    return ColorMeConnector(client, credential, ColorMeSettings.from_mapping(settings))


SPEC = PlatformSpec(
    name="colorme",
    label="カラーミーショップ",
    default_base_url="https://api.shop-pro.jp",
    default_lookback=dt.timedelta(days=3),
    default_rate_per_s=DEFAULT_RATE,
    credential_help=(
        "A Color Me access token with the read_sales scope, on one line. "
        "`kamei auth colorme <shop>` obtains one through the browser; "
        "tokens do not expire until the shop owner revokes the app."
    ),
    parse_credential=parse_credential,
    build=_build,
)

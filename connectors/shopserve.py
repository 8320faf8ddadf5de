"""ショップサーブ (ShopServe): orders from ``POST /v2/orders/_retrieve/{parts}`` (V2-M-0024).

Confirmed (``shared/platforms/shopserve/notes.md``): the host, HTTP Basic auth
with the shop id and the manager key, the POST order search with a JSON body
holding ``since``, the ``basic`` part, and ``serial_code`` as the order key.
Everything else is assumed and lives in the mapping (``shopserve_mapping``), so
a shop owner with the official reference corrects it without a code change.

Paging lifecycle: one POST per page with the window's bounds (``since`` and the
mapping's end key, inclusive, whole seconds in the mapping's time zone) and,
when the mapping names them, ``from`` = the engine's offset and ``size``. There
is more while the response's total says so; without a total one response is the
whole window (the engine then has no count to reconcile against).

The cursor: which time ``since`` filters on is not public (notes §13.4). kamei
assumes the update time (``request.cursor = "updated"``): GoQSystem describes
its ShopServe sync window in terms of 受注更新日時, and an update-time cursor is
what lets the lookback catch late payments and cancellations. If a shop's API
filters on the order time instead, the per-window counts stop matching (the run
log says "window count mismatch") and the mapping's ``cursor`` is set to ``ordered``.

Maintenance: ShopServe closes its API during monthly maintenance (usually
Wednesday 02:00–08:00 JST). An HTML page or a 503 is retried briefly, then the
shop stops with :class:`PlatformUnavailable` saying when to come back; what was
committed before stays.

The parser (``shopserve_parse``) reads only the fields the mapping names, and
an order it cannot read fails the whole response: no half-read order is stored.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from kamei.errors import (
    AuthError,
    ConfigError,
    ConnectorError,
    PermissionDenied,
    PlatformUnavailable,
    ResponseFormatError,
    SecretMissing,
)
from kamei.i18n import t

from .http import Budget, CallContext, RetryableResponse, RetryPolicy, parse_json, send
from .registry import PlatformSpec, positive_setting
from .shopserve_mapping import RequestSpec, ShopServeMapping, build_mapping, parse_mapping_file
from .shopserve_parse import DOCS, mismatch, parse_orders
from .types import Cursor, Page, RequestStats, Window

__all__ = [
    "MAINTENANCE_MESSAGE",
    "MAINTENANCE_WINDOW_JST",
    "SPEC",
    "ShopServeConnector",
    "ShopServeSettings",
    "parse_credential",
    "search_body",
]

MAINTENANCE_WINDOW_JST = (2, dt.time(2, 0), dt.time(8, 0))
"""Regular maintenance: weekday (Monday = 0, so Wednesday), start, end, Japan time (notes §8).
``kamei schedule`` should keep nightly runs out of it."""
MAINTENANCE_MESSAGE = (
    "ShopServe is in maintenance (usually Wednesday 02:00–08:00 JST); try again after 08:00 JST"
)
ENDPOINT = "orders/_retrieve"

# ShopServe documents no rate limit and closes for hours at a time: retrying for
# minutes helps neither, so a few quick attempts, then the shop stops (notes §8).
DEFAULT_POLICY = RetryPolicy(max_attempts=4, cap=30.0, total=60.0)


@dataclass(frozen=True, slots=True)
class ShopServeSettings:
    """Non-secret settings of one ShopServe shop.

    ``rate_per_s`` defaults to 1.0: no public limit exists, the notes recommend
    at most one request a second, sequential (§8). ``mapping`` is the built-in
    mapping with the shop's overlay (``kamei shop add --mapping``) merged in.
    """

    shop: str
    mapping: ShopServeMapping
    rate_per_s: float = 1.0
    burst: float = 1.0

    @classmethod
    def from_mapping(cls, settings: Mapping[str, Any]) -> ShopServeSettings:
        """Read ``shop`` (required), ``rate``, ``burst`` and ``mapping`` from a shop's settings."""
        shop = settings.get("shop")
        if not isinstance(shop, str) or not shop:
            raise ConfigError(t("connector.no_shop_name", platform="shopserve"))
        overlay = settings.get("mapping")
        if overlay is not None and not isinstance(overlay, dict):
            raise ConfigError(t("shopserve.bad_mapping", shop=shop, docs=DOCS))
        return cls(
            shop=shop,
            mapping=build_mapping(overlay, f"stored for shop {shop!r}"),
            rate_per_s=positive_setting(settings.get("rate", 1.0), "rate", "shopserve", shop),
            burst=max(
                1.0, positive_setting(settings.get("burst", 1.0), "burst", "shopserve", shop)
            ),
        )


class ShopServeConnector:
    """Reads one ShopServe shop's orders through its mapping. Implements ``Connector``."""

    platform: str = "shopserve"

    def __init__(
        self,
        client: httpx.Client,
        credential: Mapping[str, str],
        settings: ShopServeSettings,
        *,
        policy: RetryPolicy | None = None,
        budget: Budget | None = None,
    ) -> None:
        """``client`` points at the API base URL and stays owned by the caller."""
        shop_id = credential.get("shop_id", "").strip()
        key = credential.get("manager_key", "").strip()
        if not shop_id or not key:
            raise SecretMissing(t("shopserve.no_credential", shop=settings.shop))
        request = settings.mapping.request
        self.shop = settings.shop
        self.mapping = settings.mapping
        self.page_size: int = request.page_size
        self.cursor: Cursor = request.cursor
        self.max_window: dt.timedelta | None = request.max_window
        self.max_history: dt.timedelta | None = request.max_history
        """Read by ``sync`` (optional attribute): no window starts further back (notes §8)."""
        self.stats = RequestStats()
        self._client = client
        token = base64.b64encode(f"{shop_id}:{key}".encode()).decode("ascii")
        self._headers = {"Authorization": f"Basic {token}", "Content-Type": "application/json"}
        self._policy = policy or DEFAULT_POLICY
        self._budget = budget or Budget(settings.rate_per_s, settings.burst)
        # send() retries 503s and HTML pages itself and reports only the final error; to
        # tell maintenance from other failures we note how each response looked (status
        # and content type only) on the fetching thread.
        self._seen = threading.local()
        hooks = client.event_hooks
        client.event_hooks = {**hooks, "response": [*hooks.get("response", []), self._observe]}

    def __repr__(self) -> str:  # never the key
        return f"ShopServeConnector(shop={self.shop!r})"

    def _observe(self, response: httpx.Response) -> None:
        html = "html" in response.headers.get("Content-Type", "").lower()
        self._seen.maintenance = response.status_code == 503 or (
            200 <= response.status_code < 300 and html
        )

    def fetch_page(self, window: Window, offset: int) -> Page:
        """Up to ``page_size`` orders whose cursor time lies in ``window``, from ``offset``."""
        request = self.mapping.request
        if window.span > request.max_window:
            # Only a checkpoint written under an older mapping can hold such a window.
            raise ConnectorError(
                t(
                    "shopserve.window_cap",
                    shop=self.shop,
                    window=window,
                    days=request.max_window.days,
                )
            )
        body = search_body(request, window, offset)
        if body is None:  # no whole second inside the window: nothing can match
            return Page(window=window, offset=offset, orders=(), total=0, has_more=False)
        entries, total = self._post(body, window)
        orders, duplicates = parse_orders(entries, self.mapping, shop=self.shop, window=window)
        paged = total is not None and request.offset_key is not None
        return Page(
            window=window,
            offset=offset,
            orders=tuple(orders),
            total=total,
            has_more=paged and bool(entries) and offset + len(entries) < (total or 0),
            # A serial_code served twice is one order: the spare entry still used an offset.
            skipped=duplicates,
            problems=("duplicate serial_code",) * duplicates,
        )

    def _post(self, body: dict[str, Any], window: Window) -> tuple[list[Any], int | None]:
        self._seen.maintenance = False
        try:
            return send(
                self._client,
                "POST",
                self.mapping.request.url_path,
                json=body,
                headers=self._headers,
                budget=self._budget,
                policy=self._policy,
                stats=self.stats,
                endpoint=ENDPOINT,
                platform=self.platform,
                shop=self.shop,
                parse=lambda response: _parse_envelope(response, self.mapping, self.shop),
                window=window,
                classify_error=_classify_error,
            )
        except (PlatformUnavailable, ResponseFormatError) as exc:
            if getattr(self._seen, "maintenance", False):
                raise PlatformUnavailable(
                    f"{MAINTENANCE_MESSAGE} (shop {self.shop!r} stopped at window {window}; "
                    "orders synced before it are kept)"
                ) from exc
            raise


def search_body(request: RequestSpec, window: Window, offset: int) -> dict[str, Any] | None:
    """The JSON body for one page of ``window``, or ``None`` if no whole second lies inside.

    The window is half-open ``[start, end)``; the body's bounds are inclusive whole
    seconds, so a time ``t`` is inside exactly when ``ceil(start) <= t <= ceil(end) - 1 s``.
    """
    first = _ceil_second(window.start)
    last = _ceil_second(window.end) - dt.timedelta(seconds=1)
    if last < first:
        return None
    body: dict[str, Any] = {
        **request.extra,
        request.since: request.format_time(first),
        request.until: request.format_time(last),
    }
    if request.offset_key is not None and request.size_key is not None:
        body[request.offset_key] = offset
        body[request.size_key] = request.page_size
    return body


def _ceil_second(when: dt.datetime) -> dt.datetime:
    floor = when.replace(microsecond=0)
    return floor if floor == when else floor + dt.timedelta(seconds=1)


# --- response envelope and errors -----------------------------------------------------


def _parse_envelope(
    response: httpx.Response, mapping: ShopServeMapping, shop: str
) -> tuple[list[Any], int | None]:
    body = parse_json(response)  # HTML or cut-short JSON: RetryableResponse, retried
    if not isinstance(body, dict):
        raise RetryableResponse("body is not an object")
    present, entries = mapping.response.orders.read(body)
    if not present or not isinstance(entries, list):
        what = "missing" if not present else "not a list"
        raise mismatch(shop, f"field {mapping.response.orders.text} {what}")
    total = None
    if mapping.response.total is not None:
        present, total = mapping.response.total.read(body)
        if not present or not isinstance(total, int) or isinstance(total, bool) or total < 0:
            what = "missing" if not present else "not a count"
            raise mismatch(shop, f"field {mapping.response.total.text} {what}")
    return entries, total


_CODE = re.compile(r"[A-Za-z0-9_.-]{1,40}")


def _error_code(response: httpx.Response) -> str | None:
    """The ``error.code`` of an error body (assumed shape, notes §11.3); never the message."""
    try:
        body = parse_json(response)
    except RetryableResponse:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return code if isinstance(code, str) and _CODE.fullmatch(code) else None


def _classify_error(response: httpx.Response, ctx: CallContext) -> ConnectorError | None:
    status = response.status_code
    code = _error_code(response)
    where = ctx.where(status) + (t("shopserve.where_code", code=code) if code else "")
    if status == 401:
        return AuthError(t("shopserve.rejected", where=where))
    if status == 403:
        return PermissionDenied(t("shopserve.denied", where=where))
    if status in (400, 404, 405, 422):
        return ConnectorError(t("shopserve.refused", where=where, docs=DOCS))
    return None


# --- credential and platform spec ---------------------------------------------------------

_SHOP_ID = re.compile(r"[A-Za-z0-9._-]+")


def parse_credential(text: str) -> dict[str, str]:
    """The text given to ``shop add --credential-stdin``: ``SHOP_ID:MANAGER_KEY`` on one line.

    The shop id is the admin login id; the manager key is issued under
    サーバー > ショップサーブAPI. They are the Basic-auth user and password (notes §4).
    """
    how = t("shopserve.credential_how")
    line = text.strip()
    if not line:
        raise ConfigError(t("shopserve.no_credential_given", how=how))
    shop_id, sep, key = line.partition(":")
    if "\n" in line or not sep or not shop_id or not key:
        raise ConfigError(t("shopserve.credential_form", how=how))
    if not _SHOP_ID.fullmatch(shop_id):
        raise ConfigError(t("shopserve.bad_shop_id", how=how))
    if any(ch.isspace() for ch in key) or not key.isascii() or not key.isprintable():
        raise ConfigError(t("shopserve.bad_key", how=how))
    return {"shop_id": shop_id, "manager_key": key}


def _build(
    client: httpx.Client, credential: Mapping[str, str], settings: Mapping[str, Any]
) -> ShopServeConnector:
    return ShopServeConnector(client, credential, ShopServeSettings.from_mapping(settings))


SPEC = PlatformSpec(
    name="shopserve",
    label="ショップサーブ",
    default_base_url="https://management.api.shopserve.jp",
    default_lookback=dt.timedelta(days=3),
    default_rate_per_s=1.0,
    credential_help=(
        "SHOP_ID:MANAGER_KEY on one line: the admin login id and the マネージャー認証キー "
        "issued under サーバー > ショップサーブAPI (no expiry; re-issuing replaces it)."
    ),
    parse_credential=parse_credential,
    build=_build,
    # Responses can be large and slow: the notes advise a read timeout of at least
    # 120 s (their source used 300 s; unverified against a real account).
    read_timeout_s=120.0,
    parse_mapping=parse_mapping_file,
)

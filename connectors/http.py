"""The HTTP layer every connector shares: client, budget, retries, error translation.

A connector never builds a transport and never calls ``client.request`` itself:
it calls :func:`send`, which paces requests through a :class:`Budget`, retries
what is worth retrying under a :class:`RetryPolicy` (via tenacity), and turns
every httpx exception and every unusable status into exactly one
:class:`kamei.errors.ConnectorError` subclass, chained with ``from``.

Messages and logs carry identifiers only (platform, shop, endpoint name, status,
window, attempt), never URLs, query strings, headers, bodies or tokens: Color Me
search parameters alone can put names and e-mail addresses into a query string.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json as jsonlib
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
import orjson
import tenacity

from kamei import __version__
from kamei.errors import (
    AuthError,
    ConnectorError,
    KameiError,
    PermissionDenied,
    PlatformUnavailable,
    RateLimited,
    ResponseFormatError,
)
from kamei.i18n import t

from .types import RequestStats, Window

__all__ = [
    "DEFAULT_TIMEOUT",
    "HTTPX_EXCEPTIONS_MAPPED",
    "RETRY_STATUSES",
    "USER_AGENT",
    "Budget",
    "CallContext",
    "ErrorClassifier",
    "RetryPolicy",
    "RetryableResponse",
    "loads",
    "make_client",
    "parse_json",
    "quiet_foreign_loggers",
    "retry_after_seconds",
    "send",
    "timeout_for",
]

T = TypeVar("T")

USER_AGENT = f"kamei/{__version__} (+https://github.com/kamei-shop/kamei)"


def timeout_for(read_s: float) -> httpx.Timeout:
    """kamei's timeouts with a platform's read timeout (``PlatformSpec.read_timeout_s``)."""
    return httpx.Timeout(connect=10.0, read=read_s, write=30.0, pool=10.0)


DEFAULT_TIMEOUT = timeout_for(60.0)
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

log = logging.getLogger("kamei.http")
_stats_lock = threading.Lock()  # sync prefetches pages on a worker thread


def quiet_foreign_loggers() -> None:
    """Keep httpx/httpcore at WARNING: at INFO/DEBUG they log full URLs with queries."""
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)


quiet_foreign_loggers()


def make_client(
    base_url: str,
    *,
    transport: httpx.BaseTransport | None = None,
    timeout: httpx.Timeout = DEFAULT_TIMEOUT,
) -> httpx.Client:
    """An ``httpx.Client`` for one platform base URL, with explicit timeouts.

    Tests pass ``httpx.WSGITransport(app=fake)`` or ``httpx.MockTransport(handler)``;
    production passes nothing and gets httpx's default transport. Redirects are not
    followed: a platform API that redirects is misconfigured, and following it
    could carry the bearer token to another host. The caller closes the client.
    """
    return httpx.Client(
        base_url=base_url,
        transport=transport,
        timeout=timeout,
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
    )


# --- pacing -------------------------------------------------------------------------


class Budget:
    """A thread-safe token bucket for one credential: ``rate_per_s`` requests, ``burst`` at once.

    ``acquire`` reserves a token and sleeps exactly until it is due. Reserving under
    the lock and sleeping outside it keeps callers in arrival order without
    busy-waiting. ``clock`` must be monotonic; both it and ``sleep`` are injectable.
    """

    def __init__(
        self,
        rate_per_s: float,
        burst: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate_per_s <= 0:
            raise ValueError("rate_per_s must be positive")
        if burst < 1:
            raise ValueError("burst must be at least 1")
        self.rate_per_s = rate_per_s
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = burst
        self._last = clock()

    def acquire(self) -> float:
        """Take one token, sleeping as long as needed. Returns the seconds slept."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate_per_s)
            self._last = now
            self._tokens -= 1.0
            # A negative balance is this caller's debt: it waits it off outside the lock.
            wait = -self._tokens / self.rate_per_s if self._tokens < 0 else 0.0
        if wait > 0:
            self._sleep(wait)
        return wait


# --- retries ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How hard :func:`send` tries before giving up.

    Every wait is clamped to ``[floor, cap]`` (a ``Retry-After: 0`` still waits the
    floor, so a misbehaving server never gets a busy loop), then ``jitter`` adds up
    to that fraction on top (never earlier than the server asked). Attempts stop at
    ``max_attempts`` or when the next wait would pass ``total`` seconds since the
    first attempt. ``clock``/``sleep``/``random`` are injectable for tests.
    """

    max_attempts: int = 6
    floor: float = 0.5
    cap: float = 60.0
    total: float = 300.0
    jitter: float = 0.1
    clock: Callable[[], float] = field(default=time.monotonic, compare=False, repr=False)
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False, repr=False)
    random: Callable[[], float] = field(default=random.random, compare=False, repr=False)

    def wait_for(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait after failed ``attempt`` (1-based), honouring ``retry_after``."""
        base = retry_after if retry_after is not None else self.floor * 2 ** (attempt - 1)
        wait = min(max(base, self.floor), self.cap)
        return min(wait * (1.0 + self.jitter * self.random()), self.cap)


def retry_after_seconds(response: httpx.Response) -> float | None:
    """``Retry-After`` as seconds (delta-seconds or HTTP-date form), ``None`` if absent/bad.

    An HTTP-date is measured against the response's own ``Date`` header when
    present, so a skewed local clock does not stretch or shrink the wait.
    """
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    when = _http_date(value)
    if when is None:
        return None
    now = _http_date(response.headers.get("Date", "")) or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())


def _http_date(value: str) -> dt.datetime | None:
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


class RetryableResponse(Exception):
    """Raised by a ``parse`` callback for a transient bad body (truncated JSON, HTML page).

    ``reason`` must be made of field names or fixed words only, never body content.
    :func:`send` retries it and, once the policy is exhausted, raises
    :class:`ResponseFormatError`.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_json(response: httpx.Response) -> Any:
    """The decoded JSON body, or :class:`RetryableResponse` (maintenance pages come as 200 HTML)."""
    content_type = response.headers.get("Content-Type", "")
    if "html" in content_type.lower():
        raise RetryableResponse("HTML instead of JSON")
    try:
        return loads(response.content)
    except (ValueError, UnicodeDecodeError):
        raise RetryableResponse("body is not valid JSON") from None


def loads(content: bytes) -> Any:
    """JSON as kamei reads it from a platform.

    orjson parses a page in about a third of the stdlib's time; it was the largest
    single cost of the sync's fetch thread (bench/RESULTS.md). It is strict (RFC
    8259): NaN, 1e400 or a lone surrogate in one order fail it, and then the
    stdlib's lenient parser reads the page, as kamei always did, so the parsers
    skip and count that one order instead of failing the page. Integers beyond
    64 bits come back as floats, which the parsers reject as they reject any
    absurd number.
    """
    try:
        return orjson.loads(content)
    except orjson.JSONDecodeError:
        return jsonlib.loads(content)


# --- error translation --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CallContext:
    """The identifiers an error message may carry about one request."""

    platform: str
    shop: str
    endpoint: str
    window: Window | None = None

    def where(self, status: int | None = None) -> str:
        where = t("http.where", platform=self.platform, shop=self.shop, endpoint=self.endpoint)
        if status is not None:
            where += t("http.where_status", status=status)
        if self.window is not None:
            where += t("http.where_window", window=self.window)
        return where

    @property
    def reauth(self) -> str:
        return t("http.reauth", platform=self.platform, shop=self.shop)


ErrorClassifier = Callable[[httpx.Response, CallContext], KameiError | None]
"""A platform hook that reads a non-retryable error body (e.g. Color Me ``errors[].code``)
and returns a more precise error, or ``None`` to use the generic status mapping. Order
endpoints return ``ConnectorError`` subclasses; OAuth endpoints may return ``ConfigError``."""


class _Transient(Exception):
    """One failed attempt worth retrying; internal to :func:`send`."""

    def __init__(
        self, kind: str, reason: str, *, status: int | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(reason)
        self.kind = kind  # "rate", "unavailable" or "format": picks the final error class
        self.reason = reason
        self.status = status
        self.retry_after = retry_after


# Every exception class httpx exports, each mapped once: a transient kind to retry, or
# a fixed error class with a next step. tests/test_http.py fails when httpx grows a class
# that is missing here. Order matters only for lookup along the MRO (exact class first).
_TRANSIENT_HTTPX: dict[type[Exception], str] = {
    httpx.TimeoutException: "http.reason.timed_out",
    httpx.ConnectTimeout: "http.reason.connect_timed_out",
    httpx.ReadTimeout: "http.reason.read_timed_out",
    httpx.WriteTimeout: "http.reason.write_timed_out",
    httpx.PoolTimeout: "http.reason.connection_pool_timed_out",
    httpx.NetworkError: "http.reason.network_error",
    httpx.ConnectError: "http.reason.could_not_connect",
    httpx.ReadError: "http.reason.connection_reset_while_reading",
    httpx.WriteError: "http.reason.connection_reset_while_writing",
    httpx.CloseError: "http.reason.error_closing_the_connection",
    httpx.RemoteProtocolError: "http.reason.connection_dropped_or_malformed_response",
    httpx.DecodingError: "http.reason.response_body_could_not_be_decoded",
}
_FATAL_HTTPX: dict[type[Exception], str] = {
    httpx.HTTPError: "http.reason.http_error",
    httpx.RequestError: "http.reason.request_failed",
    httpx.TransportError: "http.reason.transport_failed",
    httpx.ProtocolError: "http.reason.http_protocol_error",
    httpx.LocalProtocolError: "http.reason.kamei_built_an_invalid_request",
    httpx.ProxyError: "http.reason.the_proxy_refused_the_connection",
    httpx.UnsupportedProtocol: "http.reason.the_base_url_is_not_http_s",
    httpx.TooManyRedirects: "http.reason.too_many_redirects",
    httpx.HTTPStatusError: "http.reason.unexpected_http_status",
    httpx.InvalidURL: "http.reason.invalid_url",
    httpx.CookieConflict: "http.reason.conflicting_cookies",
    httpx.StreamError: "http.reason.response_stream_misused",
    httpx.StreamConsumed: "http.reason.response_stream_misused",
    httpx.StreamClosed: "http.reason.response_stream_misused",
    httpx.ResponseNotRead: "http.reason.response_stream_misused",
    httpx.RequestNotRead: "http.reason.request_stream_misused",
}
HTTPX_EXCEPTIONS_MAPPED: frozenset[type[Exception]] = frozenset(_TRANSIENT_HTTPX) | frozenset(
    _FATAL_HTTPX
)


def _translate_httpx(exc: Exception, ctx: CallContext) -> Exception:
    """A ``_Transient`` to retry, or the final ``ConnectorError`` for an httpx exception."""
    for cls in type(exc).__mro__:
        if cls in _TRANSIENT_HTTPX:
            return _Transient("unavailable", t(_TRANSIENT_HTTPX[cls]))
        if cls in _FATAL_HTTPX:
            return ConnectorError(t("http.fatal", where=ctx.where(), reason=t(_FATAL_HTTPX[cls])))
    return ConnectorError(t("http.unknown", where=ctx.where(), name=type(exc).__name__))


def _status_error(response: httpx.Response, ctx: CallContext) -> ConnectorError:
    status = response.status_code
    where = ctx.where(status)
    if status == 401:
        return AuthError(t("http.rejected", platform=ctx.platform, where=where, reauth=ctx.reauth))
    if status == 403:
        return PermissionDenied(
            t("http.denied", platform=ctx.platform, where=where, reauth=ctx.reauth)
        )
    if status >= 500:
        return PlatformUnavailable(t("http.failed", platform=ctx.platform, where=where))
    if 300 <= status < 400:
        return ConnectorError(t("http.redirect", where=where))
    return ConnectorError(t("http.refused", platform=ctx.platform, where=where))


def _final_error(exc: _Transient, ctx: CallContext, attempts: int) -> ConnectorError:
    where = ctx.where(exc.status)
    tail = t("http.attempts" if attempts != 1 else "http.attempt", attempts=attempts)
    if exc.kind == "rate":
        return RateLimited(t("http.rate_limited", platform=ctx.platform, where=where, tail=tail))
    if exc.kind == "format":
        return ResponseFormatError(
            t("http.unusable", platform=ctx.platform, where=where, reason=exc.reason, tail=tail)
        )
    return PlatformUnavailable(
        t("http.unavailable", platform=ctx.platform, where=where, reason=exc.reason, tail=tail)
    )


# --- send ---------------------------------------------------------------------------


def send(
    client: httpx.Client,
    method: str,
    path: str,
    *,
    params: Mapping[str, str | int] | None = None,
    data: Mapping[str, str] | None = None,
    json: Any = None,
    headers: Mapping[str, str] | None = None,
    budget: Budget,
    policy: RetryPolicy,
    stats: RequestStats,
    endpoint: str,
    platform: str,
    shop: str,
    parse: Callable[[httpx.Response], T],
    window: Window | None = None,
    classify_error: ErrorClassifier | None = None,
) -> T:
    """Send one logical request and return ``parse(response)`` for a 2xx answer.

    Retries 429, 500/502/503/504, timeouts, resets/protocol errors and
    :class:`RetryableResponse` from ``parse``, honouring ``Retry-After``, within
    ``policy``. Raises only :class:`kamei.errors.ConnectorError` subclasses:
    401 → ``AuthError`` and 403 → ``PermissionDenied`` (never retried), exhausted 429 →
    ``RateLimited``, exhausted 5xx/timeouts/resets → ``PlatformUnavailable``,
    exhausted bad bodies → ``ResponseFormatError``, other statuses → ``ConnectorError``.
    ``classify_error`` may refine the error for a non-retryable status from its body.
    ``endpoint`` is a short name (``"sales"``) used instead of the URL everywhere.
    """
    ctx = CallContext(platform=platform, shop=shop, endpoint=endpoint, window=window)
    started = policy.clock()
    attempt_no = 0

    def attempt() -> T:
        nonlocal attempt_no
        attempt_no += 1
        budget.acquire()
        with _stats_lock:
            stats.requests += 1
        t0 = time.monotonic()
        try:
            response = client.request(
                method, path, params=params, data=data, json=json, headers=headers
            )
        except httpx.HTTPError as exc:  # translated once, here; the rest of kamei never sees httpx
            _log(method, ctx, type(exc).__name__, t0, attempt_no)
            raise _translate_httpx(exc, ctx) from exc
        except (httpx.InvalidURL, httpx.CookieConflict, httpx.StreamError) as exc:
            _log(method, ctx, type(exc).__name__, t0, attempt_no)
            raise _translate_httpx(exc, ctx) from exc
        _log(method, ctx, response.status_code, t0, attempt_no)
        return _handle(response, ctx, parse, classify_error)

    def wait(state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        retry_after = exc.retry_after if isinstance(exc, _Transient) else None
        return policy.wait_for(state.attempt_number, retry_after)

    def stop(state: tenacity.RetryCallState) -> bool:
        if state.attempt_number >= policy.max_attempts:
            return True
        return policy.clock() - started + state.upcoming_sleep > policy.total

    def before_sleep(state: tenacity.RetryCallState) -> None:
        with _stats_lock:
            stats.retries += 1
        log.debug(
            "%s %s: retry %d in %.2f s",
            method,
            endpoint,
            state.attempt_number,
            state.upcoming_sleep,
        )

    retrying = tenacity.Retrying(
        retry=tenacity.retry_if_exception_type(_Transient),
        wait=wait,
        stop=stop,
        sleep=policy.sleep,
        before_sleep=before_sleep,
        reraise=True,  # we translate the last _Transient ourselves: no RetryError escapes
    )
    try:
        return retrying(attempt)
    except _Transient as exc:
        raise _final_error(exc, ctx, attempt_no) from exc.__cause__


def _handle(
    response: httpx.Response,
    ctx: CallContext,
    parse: Callable[[httpx.Response], T],
    classify_error: ErrorClassifier | None,
) -> T:
    status = response.status_code
    if 200 <= status < 300:
        try:
            return parse(response)
        except RetryableResponse as exc:
            raise _Transient("format", exc.reason, status=status) from None
    if status in RETRY_STATUSES:
        kind = "rate" if status == 429 else "unavailable"
        reason = "rate limited" if status == 429 else "server error"
        raise _Transient(kind, reason, status=status, retry_after=retry_after_seconds(response))
    refined = classify_error(response, ctx) if classify_error is not None else None
    raise refined if refined is not None else _status_error(response, ctx)


def _log(method: str, ctx: CallContext, outcome: int | str, t0: float, attempt: int) -> None:
    log.debug(
        "%s %s -> %s in %.0f ms (attempt %d)",
        method,
        ctx.endpoint,
        outcome,
        (time.monotonic() - t0) * 1000,
        attempt,
    )

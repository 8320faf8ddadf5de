"""The shared HTTP layer: pacing, retries, Retry-After, error translation, quiet logs."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from connectors.http import (
    DEFAULT_TIMEOUT,
    HTTPX_EXCEPTIONS_MAPPED,
    USER_AGENT,
    Budget,
    RetryableResponse,
    RetryPolicy,
    make_client,
    parse_json,
    retry_after_seconds,
    send,
)
from connectors.types import RequestStats, Window
from kamei.errors import (
    AuthError,
    ConnectorError,
    KameiError,
    PermissionDenied,
    PlatformUnavailable,
    RateLimited,
    ResponseFormatError,
)

TOKEN = "tok-SECRET-0123456789"
QUERY_MARKER = "taro.mail@example.com"
WINDOW = Window(dt.datetime(2026, 1, 1, tzinfo=dt.UTC), dt.datetime(2026, 1, 2, tzinfo=dt.UTC))


@dataclass
class FakeTime:
    """A monotonic clock that only moves when something sleeps."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def policy(fake: FakeTime, **overrides: Any) -> RetryPolicy:
    settings: dict[str, Any] = {"jitter": 0.0, "clock": fake.clock, "sleep": fake.sleep}
    settings.update(overrides)
    return RetryPolicy(**settings)


@dataclass
class Server:
    """A scripted MockTransport: each request gets the next answer (a Response or exception)."""

    answers: list[Any]  # httpx.Response, an exception to raise, or a handler
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, httpx.Response):
            return answer
        response: httpx.Response = answer(request)
        return response


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


@pytest.fixture
def client_for() -> Iterator[Callable[[Server], httpx.Client]]:
    clients: list[httpx.Client] = []

    def make(server: Server) -> httpx.Client:
        client = make_client("https://api.example.test", transport=httpx.MockTransport(server))
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def call(
    client: httpx.Client,
    retry: RetryPolicy,
    stats: RequestStats | None = None,
    parse: Callable[[httpx.Response], Any] = parse_json,
) -> Any:
    return send(
        client,
        "GET",
        "/v1/sales",
        params={"customer_mail": QUERY_MARKER, "limit": 100},
        headers={"Authorization": f"Bearer {TOKEN}"},
        budget=Budget(1000.0, burst=1000.0),
        policy=retry,
        stats=stats if stats is not None else RequestStats(),
        endpoint="sales",
        platform="colorme",
        shop="myshop",
        parse=parse,
        window=WINDOW,
    )


def ok(body: bytes = b'{"ok": true}') -> httpx.Response:
    return httpx.Response(200, content=body, headers={"Content-Type": "application/json"})


def assert_clean(message: str) -> None:
    for secret in (TOKEN, QUERY_MARKER, "api.example.test", "customer_mail", "?"):
        assert secret not in message


# --- make_client -------------------------------------------------------------------------


def test_make_client_sets_explicit_timeouts_user_agent_and_no_redirects() -> None:
    with make_client("https://api.example.test") as client:
        assert client.timeout == DEFAULT_TIMEOUT
        assert DEFAULT_TIMEOUT.connect == 10 and DEFAULT_TIMEOUT.read == 60
        assert DEFAULT_TIMEOUT.write == 30 and DEFAULT_TIMEOUT.pool == 10
        assert client.headers["User-Agent"] == USER_AGENT
        assert USER_AGENT.startswith("kamei/")
        assert client.follow_redirects is False
        assert str(client.base_url) == "https://api.example.test"


def test_foreign_loggers_stay_at_warning() -> None:
    assert logging.getLogger("httpx").level == logging.WARNING
    assert logging.getLogger("httpcore").level == logging.WARNING


# --- success and retries ------------------------------------------------------------------


def test_a_good_answer_is_parsed_and_counted_once(fake: FakeTime, client_for: Any) -> None:
    server = Server([ok()])
    stats = RequestStats()
    assert call(client_for(server), policy(fake), stats) == {"ok": True}
    assert (stats.requests, stats.retries) == (1, 0)
    assert fake.sleeps == []
    assert server.requests[0].headers["Authorization"] == f"Bearer {TOKEN}"


def test_429_honours_retry_after_seconds(fake: FakeTime, client_for: Any) -> None:
    server = Server([httpx.Response(429, headers={"Retry-After": "7"}), ok()])
    stats = RequestStats()
    assert call(client_for(server), policy(fake), stats) == {"ok": True}
    assert fake.sleeps == [7.0]
    assert (stats.requests, stats.retries) == (2, 1)


def test_429_honours_retry_after_http_date_against_the_date_header(
    fake: FakeTime, client_for: Any
) -> None:
    date = dt.datetime(2026, 1, 1, 12, 0, 0, tzinfo=dt.UTC)
    headers = {
        "Date": email.utils.format_datetime(date, usegmt=True),
        "Retry-After": email.utils.format_datetime(date + dt.timedelta(seconds=30), usegmt=True),
    }
    server = Server([httpx.Response(429, headers=headers), ok()])
    call(client_for(server), policy(fake))
    assert fake.sleeps == [30.0]


def test_retry_after_zero_still_waits_the_floor(fake: FakeTime, client_for: Any) -> None:
    server = Server([httpx.Response(429, headers={"Retry-After": "0"}), ok()])
    call(client_for(server), policy(fake, floor=0.5))
    assert fake.sleeps == [0.5]


def test_retry_after_beyond_the_cap_is_clamped(fake: FakeTime, client_for: Any) -> None:
    server = Server([httpx.Response(503, headers={"Retry-After": "3600"}), ok()])
    call(client_for(server), policy(fake, cap=60.0))
    assert fake.sleeps == [60.0]


def test_without_retry_after_waits_grow_exponentially_from_the_floor(
    fake: FakeTime, client_for: Any
) -> None:
    server = Server([httpx.Response(429)] * 4 + [ok()])
    call(client_for(server), policy(fake, floor=0.5, cap=3.0))
    assert fake.sleeps == [0.5, 1.0, 2.0, 3.0]


def test_jitter_only_ever_lengthens_a_wait_and_respects_the_cap() -> None:
    retry = RetryPolicy(jitter=0.1, floor=0.5, cap=60.0, random=lambda: 1.0)
    assert retry.wait_for(1, 10.0) == pytest.approx(11.0)
    assert retry.wait_for(1, 59.0) == 60.0
    assert RetryPolicy(jitter=0.1, random=lambda: 0.0).wait_for(1, 10.0) == 10.0


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_retried(status: int, fake: FakeTime, client_for: Any) -> None:
    server = Server([httpx.Response(status), ok()])
    assert call(client_for(server), policy(fake)) == {"ok": True}
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ReadTimeout("timed out"),
        httpx.ConnectTimeout("timed out"),
        httpx.ReadError("connection reset by peer"),
        httpx.ConnectError("connection refused"),
        httpx.RemoteProtocolError("peer closed connection without sending complete message"),
    ],
    ids=lambda exc: type(exc).__name__,
)
def test_timeouts_and_resets_are_retried(exc: Exception, fake: FakeTime, client_for: Any) -> None:
    server = Server([exc, ok()])
    assert call(client_for(server), policy(fake)) == {"ok": True}
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    "body",
    [b'{"sales": [{"id": 1', b"<html><body>\xe3\x83\xa1\xe3\x83\xb3\xe3\x83\x86</body></html>"],
    ids=["truncated-json", "html-page"],
)
def test_unparseable_bodies_are_retried(body: bytes, fake: FakeTime, client_for: Any) -> None:
    server = Server([ok(body), ok()])
    assert call(client_for(server), policy(fake)) == {"ok": True}


def test_html_maintenance_page_with_200_is_not_taken_as_json(fake: FakeTime) -> None:
    response = httpx.Response(200, content=b'{"a": 1}', headers={"Content-Type": "text/html"})
    with pytest.raises(RetryableResponse):
        parse_json(response)


# --- giving up ---------------------------------------------------------------------------


def test_persistent_429_gives_up_after_max_attempts_with_rate_limited(
    fake: FakeTime, client_for: Any
) -> None:
    server = Server([httpx.Response(429, headers={"Retry-After": "1"})])
    stats = RequestStats()
    with pytest.raises(RateLimited) as info:
        call(client_for(server), policy(fake, max_attempts=4), stats)
    assert len(server.requests) == 4
    assert fake.sleeps == [1.0, 1.0, 1.0]
    assert (stats.requests, stats.retries) == (4, 3)
    message = str(info.value)
    assert "colorme" in message and "'myshop'" in message and "sales" in message
    assert "HTTP 429" in message and str(WINDOW) in message and "4 attempts" in message
    assert_clean(message)


def test_persistent_5xx_gives_up_with_platform_unavailable(fake: FakeTime, client_for: Any) -> None:
    server = Server([httpx.Response(502)])
    with pytest.raises(PlatformUnavailable) as info:
        call(client_for(server), policy(fake, max_attempts=3))
    assert len(server.requests) == 3
    assert "HTTP 502" in str(info.value)
    assert_clean(str(info.value))


def test_persistent_timeouts_give_up_chained_to_the_httpx_error(
    fake: FakeTime, client_for: Any
) -> None:
    server = Server([httpx.ReadTimeout("timed out")])
    with pytest.raises(PlatformUnavailable) as info:
        call(client_for(server), policy(fake, max_attempts=3))
    assert isinstance(info.value.__cause__, httpx.ReadTimeout)
    assert "read timed out" in str(info.value)


def test_persistent_bad_bodies_give_up_with_response_format_error(
    fake: FakeTime, client_for: Any
) -> None:
    server = Server([ok(b"{not json")])
    with pytest.raises(ResponseFormatError) as info:
        call(client_for(server), policy(fake, max_attempts=3))
    assert len(server.requests) == 3
    assert "not valid JSON" in str(info.value)
    assert "{not json" not in str(info.value)


def test_total_time_is_bounded_even_when_attempts_remain(fake: FakeTime, client_for: Any) -> None:
    server = Server([httpx.Response(503, headers={"Retry-After": "4"})])
    with pytest.raises(PlatformUnavailable):
        call(client_for(server), policy(fake, max_attempts=50, total=10.0))
    # 4 s + 4 s = 8 s spent; one more 4 s wait would pass 10 s, so it stops at 3 attempts.
    assert fake.sleeps == [4.0, 4.0]
    assert len(server.requests) == 3


def test_default_policy_is_bounded() -> None:
    retry = RetryPolicy()
    assert retry.max_attempts == 6 and retry.floor == 0.5
    assert retry.cap == 60.0 and retry.total == 300.0


# --- statuses that are not retried -----------------------------------------------------------


def test_401_is_not_retried_and_says_how_to_reauthorise(fake: FakeTime, client_for: Any) -> None:
    server = Server([httpx.Response(401, json={"errors": []})])
    with pytest.raises(AuthError) as info:
        call(client_for(server), policy(fake))
    assert len(server.requests) == 1 and fake.sleeps == []
    assert "re-authorise with `kamei auth colorme myshop`" in str(info.value)
    assert_clean(str(info.value))


def test_403_is_permission_denied_and_not_retried(fake: FakeTime, client_for: Any) -> None:
    server = Server([httpx.Response(403)])
    with pytest.raises(PermissionDenied) as info:
        call(client_for(server), policy(fake))
    assert len(server.requests) == 1
    assert "kamei auth colorme myshop" in str(info.value)


@pytest.mark.parametrize("status", [400, 404, 422, 302])
def test_other_statuses_name_the_endpoint_and_status(
    status: int, fake: FakeTime, client_for: Any
) -> None:
    server = Server([httpx.Response(status, text=f"body with {TOKEN}")])
    with pytest.raises(ConnectorError) as info:
        call(client_for(server), policy(fake))
    assert type(info.value) is ConnectorError
    assert len(server.requests) == 1
    assert f"HTTP {status}" in str(info.value) and "endpoint sales" in str(info.value)
    assert_clean(str(info.value))


def test_a_classifier_refines_non_retryable_errors(fake: FakeTime, client_for: Any) -> None:
    server = Server([httpx.Response(401, json={"errors": [{"code": 401200}]})])
    refined = PermissionDenied("plan lacks API")
    with pytest.raises(PermissionDenied) as info:
        send(
            client_for(server),
            "GET",
            "/v1/sales",
            budget=Budget(100.0),
            policy=policy(fake),
            stats=RequestStats(),
            endpoint="sales",
            platform="colorme",
            shop="myshop",
            parse=parse_json,
            classify_error=lambda response, ctx: refined,
        )
    assert info.value is refined


def test_errors_raised_by_parse_propagate_unretried(fake: FakeTime, client_for: Any) -> None:
    server = Server([ok()])

    def parse(response: httpx.Response) -> None:
        raise AuthError("token revoked")

    with pytest.raises(AuthError):
        call(client_for(server), policy(fake), parse=parse)
    assert len(server.requests) == 1


# --- every httpx exception is translated ---------------------------------------------------


def httpx_exception_classes() -> list[type[Exception]]:
    found = (getattr(httpx, name) for name in httpx.__all__)
    return [c for c in found if isinstance(c, type) and issubclass(c, Exception)]


def instantiate(cls: type[Exception], request: httpx.Request) -> Exception:
    if cls is httpx.HTTPStatusError:
        return cls("boom", request=request, response=httpx.Response(500, request=request))
    attempts: list[Callable[[], Exception]] = [
        lambda: cls("boom", request=request),  # type: ignore[call-arg]
        lambda: cls("boom"),
        lambda: cls(),
    ]
    for attempt in attempts:
        try:
            return attempt()
        except TypeError:
            continue
    raise AssertionError(f"cannot build {cls.__name__}")


def test_every_httpx_exception_class_has_an_explicit_mapping() -> None:
    missing = set(httpx_exception_classes()) - HTTPX_EXCEPTIONS_MAPPED
    assert not missing, f"map these in connectors/http.py: {sorted(c.__name__ for c in missing)}"


@pytest.mark.parametrize("cls", httpx_exception_classes(), ids=lambda c: c.__name__)
def test_every_httpx_exception_becomes_a_connector_error_chained_with_from(
    cls: type[Exception], fake: FakeTime, client_for: Any
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise instantiate(cls, request)

    with pytest.raises(KameiError) as info:
        call(client_for(Server([handler])), policy(fake, max_attempts=2))
    assert isinstance(info.value, ConnectorError)
    assert isinstance(info.value.__cause__, cls)
    assert_clean(str(info.value))


# --- logging ------------------------------------------------------------------------------


def test_logs_name_the_endpoint_never_the_url_query_or_token(
    fake: FakeTime, client_for: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server = Server([httpx.Response(429), httpx.ReadTimeout("timed out"), ok()])
    call(client_for(server), policy(fake))
    messages = [record.getMessage() for record in caplog.records]
    assert any("GET sales -> 429" in m and "attempt 1" in m for m in messages)
    assert any("GET sales -> ReadTimeout" in m for m in messages)
    assert any("GET sales -> 200" in m and "attempt 3" in m for m in messages)
    for message in messages:
        assert_clean(message)
    assert {record.name for record in caplog.records} <= {"kamei.http"}


# --- Retry-After parsing -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"Retry-After": "12"}, 12.0),
        ({"Retry-After": " 1.5 "}, 1.5),
        ({"Retry-After": "-3"}, 0.0),
        ({"Retry-After": "soon"}, None),
        (
            {
                "Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT",
                "Date": "Wed, 21 Oct 2015 07:27:00 GMT",
            },
            60.0,
        ),
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.0),  # long past
    ],
)
def test_retry_after_seconds(headers: dict[str, str], expected: float | None) -> None:
    assert retry_after_seconds(httpx.Response(429, headers=headers)) == expected


# --- the budget ---------------------------------------------------------------------------


def test_budget_paces_requests_at_the_rate(fake: FakeTime) -> None:
    budget = Budget(2.0, burst=1.0, clock=fake.clock, sleep=fake.sleep)
    waits = [budget.acquire() for _ in range(4)]
    assert waits == [0.0, 0.5, 0.5, 0.5]
    assert fake.now == pytest.approx(1001.5)


def test_budget_allows_a_burst_then_refills_with_time(fake: FakeTime) -> None:
    budget = Budget(1.0, burst=3.0, clock=fake.clock, sleep=fake.sleep)
    assert [budget.acquire() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert budget.acquire() == pytest.approx(1.0)
    fake.now += 10.0  # idle time refills to the burst, not beyond
    assert [budget.acquire() for _ in range(3)] == [0.0, 0.0, 0.0]
    assert budget.acquire() == pytest.approx(1.0)


def test_budget_reserves_fairly_across_threads() -> None:
    # A frozen clock: every caller must get its own slot, 0.5 s after the previous one.
    slept: list[float] = []
    lock = threading.Lock()

    def sleep(seconds: float) -> None:
        with lock:
            slept.append(seconds)

    budget = Budget(2.0, burst=1.0, clock=lambda: 0.0, sleep=sleep)
    threads = [threading.Thread(target=budget.acquire) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(slept) == pytest.approx([0.5 * k for k in range(1, 20)])


def test_budget_rejects_nonsense_settings() -> None:
    with pytest.raises(ValueError):
        Budget(0.0)
    with pytest.raises(ValueError):
        Budget(1.0, burst=0.5)


def test_send_takes_a_budget_token_per_attempt(fake: FakeTime, client_for: Any) -> None:
    budget_time = FakeTime()
    budget = Budget(1.0, burst=1.0, clock=budget_time.clock, sleep=budget_time.sleep)
    server = Server([httpx.Response(500), ok()])
    send(
        client_for(server),
        "GET",
        "/v1/sales",
        budget=budget,
        policy=policy(fake),
        stats=RequestStats(),
        endpoint="sales",
        platform="colorme",
        shop="myshop",
        parse=parse_json,
    )
    assert budget_time.sleeps == [pytest.approx(1.0)]


def test_loads_reads_strict_json_and_falls_back_to_the_lenient_parser() -> None:
    from connectors.http import loads

    page = '{"sales": [{"id": 1, "name": "箸", "total": 1200, "rate": 0.5}]}'.encode()
    assert loads(page) == json.loads(page)
    # What orjson refuses, the stdlib reads, as kamei always did: one odd order
    # is the parser's to skip, not a failed page.
    odd = loads(b'{"a": NaN, "b": 1e400, "c": "\\ud800"}')
    assert odd["a"] != odd["a"] and odd["b"] == float("inf") and odd["c"] == "\ud800"
    assert loads(b'{"id": 1180591620717411303424}')["id"] == float(2**70)
    with pytest.raises(ValueError):
        loads(b'{"truncated": ')

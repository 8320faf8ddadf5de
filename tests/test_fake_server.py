"""Machinery shared by every fake: the fault spec, its dice, the request log, the loopback
server, and the package's public surface."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Iterable
from wsgiref.types import StartResponse, WSGIEnvironment
from wsgiref.validate import validator

import httpx
import pytest

import connectors.fakes as fakes
from connectors.fakes import FakePlatform, Faults, make_fake, serve_forever, serve_in_thread
from connectors.fakes.faults import FaultDice, LoggedRequest, RequestLog, TokenBucket

END = dt.datetime(2026, 6, 1, 3, 0, tzinfo=dt.UTC)
FAR: dict[str, str | int] = {"make_date_min": "2000-01-01 00:00:00", "limit": 100}


@pytest.fixture(scope="module")
def fake() -> FakePlatform:
    return make_fake("colorme", orders=250, seed=3, end=END, clock=lambda: END.timestamp())


def _auth(fake: FakePlatform) -> dict[str, str]:
    return {"Authorization": f"Bearer {fake.credential}"}


# --- the fault spec -----------------------------------------------------------------------


def test_a_full_spec_parses_into_faults() -> None:
    faults = Faults.parse(
        "latency=50ms, 429=0.1,5xx=5%,reset=0.01,truncate=0.02,revoked=0,churn=3,"
        "rate=120,burst=4,retry_after=2,maintenance=0"
    )
    assert faults == Faults(
        latency=0.05,
        throttle=0.1,
        server_error=0.05,
        reset=0.01,
        truncate=0.02,
        churn=3,
        rate=120.0,
        burst=4.0,
        retry_after=2,
    )
    assert Faults.parse("latency=0.2s").latency == pytest.approx(0.2)
    assert Faults.parse("revoked=1,maintenance=true") == Faults(revoked=True, maintenance=True)


def test_an_empty_spec_means_no_faults() -> None:
    assert Faults.parse("") == Faults() and not Faults.parse(" , ")
    assert Faults.parse("churn=1")


def test_a_spec_round_trips_through_its_canonical_form() -> None:
    faults = Faults.parse("429=0.25,latency=20ms,revoked=1,churn=2,rate=90")
    assert Faults.parse(faults.spec()) == faults
    assert faults.spec() == "latency=20ms,429=0.25,revoked=1,churn=2,rate=90"


@pytest.mark.parametrize(
    ("spec", "named"),
    [
        ("latency=50", "'latency=50'"),
        ("latency=-1ms", "'latency=-1ms'"),
        ("429=1.5", "'429=1.5'"),
        ("5xx=lots", "'5xx=lots'"),
        ("churn=2.5", "'churn=2.5'"),
        ("revoked=maybe", "'revoked=maybe'"),
        ("teapot=1", "'teapot'"),
        ("reset", "'reset'"),
        ("rate=60,rate=30", "'rate'"),
        ("burst=0", "'burst=0'"),
    ],
)
def test_a_bad_item_is_named_in_the_error(spec: str, named: str) -> None:
    with pytest.raises(ValueError) as caught:
        Faults.parse(spec)
    assert named in str(caught.value)


def test_an_unknown_fault_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"known faults: .*429.*5xx.*latency"):
        Faults.parse("lag=1s")


def test_the_dice_are_reproducible_for_a_seed() -> None:
    faults = Faults.parse("429=0.3,5xx=0.3,truncate=0.3")
    dice_a, dice_b, dice_c = FaultDice(faults, 4), FaultDice(faults, 4), FaultDice(faults, 5)
    run_a = [dice_a.decide() for _ in range(50)]
    assert run_a == [dice_b.decide() for _ in range(50)]
    assert run_a != [dice_c.decide() for _ in range(50)]
    assert {d.throttled for d in run_a} == {None, "random"}
    assert any(d.server_error for d in run_a) and any(d.truncate_at for d in run_a)


def test_no_faults_means_every_decision_is_clean() -> None:
    dice = FaultDice(Faults(), seed=1)
    assert all(d == type(d)() for d in (dice.decide() for _ in range(100)))


def test_the_token_bucket_grants_a_burst_then_refills_at_the_rate() -> None:
    now = [0.0]
    bucket = TokenBucket(per_minute=60, capacity=2, clock=lambda: now[0])
    assert [bucket.take(), bucket.take()] == [0.0, 0.0]
    assert bucket.take() == pytest.approx(1.0)
    now[0] = 0.5
    assert bucket.take() == pytest.approx(0.5)
    now[0] = 1.0
    assert bucket.take() == 0.0


def test_the_request_log_finds_the_busiest_minute() -> None:
    log = RequestLog()
    for at in (0.0, 10.0, 59.0, 61.0, 62.0, 200.0):
        log.record(LoggedRequest(at, "GET", "/v1/sales", 200))
    log.record(LoggedRequest(63.0, "POST", "/oauth/token", 200))
    assert log.max_in_window(60.0, path_prefix="/v1/") == 4  # 10, 59, 61, 62
    assert log.max_in_window(60.0) == 5
    assert len(log) == 7
    log.clear()
    assert log.entries() == []


# --- the loopback server --------------------------------------------------------------------


def test_the_loopback_server_serves_real_http(fake: FakePlatform) -> None:
    with serve_in_thread(validator(fake.app)) as url, httpx.Client(base_url=url) as client:
        assert url.startswith("http://127.0.0.1:")
        response = client.get("/v1/sales", params=FAR, headers=_auth(fake))
        assert response.status_code == 200 and response.http_version == "HTTP/1.1"
        body = response.json()
        assert body["meta"]["total"] == fake.orders and len(body["sales"]) == 100
        assert client.get("/v1/sales").status_code == 401


def _request(path: str, token: str) -> bytes:
    return (f"GET {path} HTTP/1.1\r\nHost: fake\r\nAuthorization: Bearer {token}\r\n\r\n").encode()


def _read_response(sock: socket.socket, buffer: bytearray) -> bytes:
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        assert chunk, "the server closed the connection"
        buffer += chunk
    head, _, rest = bytes(buffer).partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(rest) < length:
        chunk = sock.recv(65536)
        assert chunk, "the server closed the connection mid-body"
        rest += chunk
    buffer[:] = rest[length:]
    return head


def test_connections_stay_open_between_requests(fake: FakePlatform) -> None:
    with serve_in_thread(fake.app) as url:
        host, port = url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=5) as sock:
            buffer = bytearray()
            for path in ("/v1/payments", "/v1/sales?limit=3", "/v1/deliveries"):
                sock.sendall(_request(path, fake.credential))
                assert _read_response(sock, buffer).startswith(b"HTTP/1.1 200")


def test_a_form_post_and_a_get_share_one_connection(fake: FakePlatform) -> None:
    with serve_in_thread(fake.app) as url, httpx.Client(base_url=url) as client:
        refused = client.post("/oauth/token", data={"grant_type": "authorization_code"})
        assert refused.status_code == 401
        assert client.get("/v1/payments", headers=_auth(fake)).status_code == 200


def test_a_reset_fault_resets_the_real_connection() -> None:
    fake = make_fake("colorme", orders=50, seed=1, end=END, faults="reset=1")
    with serve_in_thread(fake.app) as url, httpx.Client(base_url=url) as client:
        with pytest.raises(httpx.TransportError):
            client.get("/v1/sales", params=FAR, headers=_auth(fake))
        fake.app.faults = Faults()
        assert client.get("/v1/sales", params=FAR, headers=_auth(fake)).status_code == 200


def test_the_server_never_logs_request_lines(
    fake: FakePlatform, capfd: pytest.CaptureFixture[str]
) -> None:
    with serve_in_thread(fake.app) as url, httpx.Client(base_url=url) as client:
        client.get("/v1/sales", params={"customer_mail": "secret@example.jp"})
        client.get("/no/such/path")
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""


def test_an_app_error_is_reported_by_class_name_only(capfd: pytest.CaptureFixture[str]) -> None:
    def broken(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        raise RuntimeError(f"failed on {environ.get('QUERY_STRING')}")

    with serve_in_thread(broken) as url, httpx.Client(base_url=url) as client:
        assert client.get("/x", params={"mail": "secret@example.jp"}).status_code == 500
    err = capfd.readouterr().err
    assert "RuntimeError" in err and "secret" not in err


def test_leaving_the_block_stops_the_server_even_with_an_idle_connection(
    fake: FakePlatform,
) -> None:
    with serve_in_thread(fake.app) as url:
        host, port = url.removeprefix("http://").split(":")
        idle = socket.create_connection((host, int(port)), timeout=5)
        idle.sendall(_request("/v1/payments", fake.credential))
        assert _read_response(idle, bytearray()).startswith(b"HTTP/1.1 200")
        started = time.perf_counter()  # the connection now idles in keep-alive
    try:
        assert time.perf_counter() - started < 2  # did not wait out the idle timeout
        assert idle.recv(1) == b""  # the server closed its end
        with pytest.raises(OSError):
            socket.create_connection((host, int(port)), timeout=1).close()
    finally:
        idle.close()
    handlers = [t for t in threading.enumerate() if "process_request" in t.name]
    assert handlers == []


def test_several_clients_can_be_served_at_once(fake: FakePlatform) -> None:
    results: list[int] = []

    def fetch(url: str) -> None:
        with httpx.Client(base_url=url) as client:
            for _ in range(5):
                results.append(client.get("/v1/payments", headers=_auth(fake)).status_code)

    with serve_in_thread(fake.app) as url:
        threads = [threading.Thread(target=fetch, args=(url,)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert results == [200] * 20


def test_serve_forever_serves_until_told_to_stop(fake: FakePlatform) -> None:
    stop = threading.Event()
    urls: list[str] = []
    ready = threading.Event()

    def on_ready(url: str) -> None:
        urls.append(url)
        ready.set()

    server = threading.Thread(
        target=serve_forever, args=(fake.app,), kwargs={"port": 0, "ready": on_ready, "stop": stop}
    )
    server.start()
    try:
        assert ready.wait(5)
        with httpx.Client(base_url=urls[0]) as client:
            assert client.get("/v1/payments", headers=_auth(fake)).status_code == 200
    finally:
        stop.set()
        server.join(5)
    assert not server.is_alive()


# --- the public surface ----------------------------------------------------------------------


def test_the_package_exports_exactly_its_public_surface() -> None:
    for name in fakes.__all__:
        assert hasattr(fakes, name), name
    assert {"Faults", "FakePlatform", "make_fake", "serve_in_thread", "serve_forever"} <= set(
        fakes.__all__
    )
    # Every platform kamei can sync has a fake, and nothing else does.
    from connectors import platform_names

    assert fakes.fake_platforms() == sorted(platform_names())

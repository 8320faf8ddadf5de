"""Color Me OAuth: authorize URL, the loopback listener, OOB paste, and the code exchange."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from connectors.colorme_oauth import (
    OOB_REDIRECT_URI,
    RedirectListener,
    authorize_url,
    code_from_paste,
    exchange_code,
    new_state,
)
from connectors.http import Budget, RetryPolicy, make_client
from kamei.errors import AuthError, ConfigError, PermissionDenied, ResponseFormatError

SECRET = "client-SECRET-9876"
CODE = "c0de" * 16  # Color Me codes are 64 characters
TOKEN = "tok-0123456789abcdef"


def test_authorize_url_asks_for_read_sales_with_state() -> None:
    url = authorize_url("https://api.shop-pro.jp/", "cid", "http://127.0.0.1:5000/callback", "st8")
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == (
        "https",
        "api.shop-pro.jp",
        "/oauth/authorize",
    )
    assert parse_qs(parts.query) == {
        "client_id": ["cid"],
        "response_type": ["code"],
        "scope": ["read_sales"],
        "redirect_uri": ["http://127.0.0.1:5000/callback"],
        "state": ["st8"],
    }


def test_new_state_is_unguessable() -> None:
    states = {new_state() for _ in range(50)}
    assert len(states) == 50 and all(len(s) >= 32 for s in states)


# --- the loopback listener ------------------------------------------------------------------


class Waiter:
    """Runs ``listener.wait()`` on a thread, keeping its result or error."""

    def __init__(self, listener: RedirectListener) -> None:
        self.result: str | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(listener,), daemon=True)
        self.thread.start()

    def _run(self, listener: RedirectListener) -> None:
        try:
            self.result = listener.wait()
        except BaseException as exc:
            self.error = exc

    def join(self) -> None:
        self.thread.join(timeout=5)
        assert not self.thread.is_alive()


@pytest.fixture
def browser() -> Iterator[httpx.Client]:
    with httpx.Client(trust_env=False, timeout=5) as client:
        yield client


def test_listener_returns_the_code_and_tells_the_browser_to_close(
    browser: httpx.Client, capsys: pytest.CaptureFixture[str]
) -> None:
    with RedirectListener("the-state", timeout=5) as listener:
        assert listener.redirect_uri == f"http://127.0.0.1:{listener.port}/callback"
        assert listener.port > 0
        waiter = Waiter(listener)
        answer = browser.get(listener.redirect_uri, params={"code": CODE, "state": "the-state"})
        waiter.join()
    assert waiter.result == CODE and waiter.error is None
    assert answer.status_code == 200
    assert "閉じてください" in answer.text and "close this window" in answer.text
    assert CODE not in capsys.readouterr().err  # http.server's request log is silenced


def test_listener_ignores_wrong_state_and_other_paths_until_the_real_answer(
    browser: httpx.Client,
) -> None:
    with RedirectListener("the-state", timeout=5) as listener:
        waiter = Waiter(listener)
        base = f"http://127.0.0.1:{listener.port}"
        assert browser.get(f"{base}/favicon.ico").status_code == 404
        forged = browser.get(listener.redirect_uri, params={"code": "evil", "state": "other"})
        assert forged.status_code == 400
        assert browser.get(listener.redirect_uri, params={"code": "evil"}).status_code == 400
        browser.get(listener.redirect_uri, params={"code": CODE, "state": "the-state"})
        waiter.join()
    assert waiter.result == CODE


def test_listener_reports_a_denial_as_auth_error(browser: httpx.Client) -> None:
    with RedirectListener("the-state", timeout=5, shop="myshop") as listener:
        waiter = Waiter(listener)
        answer = browser.get(
            listener.redirect_uri,
            params={"error": "access_denied", "error_description": "拒否", "state": "the-state"},
        )
        waiter.join()
    assert answer.status_code == 200
    assert isinstance(waiter.error, AuthError)
    assert "access_denied" in str(waiter.error)
    assert "kamei auth colorme myshop" in str(waiter.error)


def test_listener_gives_up_after_its_timeout() -> None:
    with RedirectListener("s", timeout=0.15, shop="myshop") as listener, pytest.raises(AuthError):
        listener.wait()


def test_a_busy_port_is_a_config_error() -> None:
    with RedirectListener("s") as first, pytest.raises(ConfigError) as info:
        RedirectListener("s", port=first.port)
    assert str(first.port) in str(info.value)


# --- OOB paste --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pasted",
    [
        CODE,
        f"  {CODE}\n",
        f"https://api.shop-pro.jp/oauth/authorize/{CODE}",
        f"https://api.shop-pro.jp/oauth/authorize/{CODE}/",
        f"http://127.0.0.1:8080/callback?code={CODE}&state=st",
    ],
)
def test_a_pasted_code_or_url_yields_the_code(pasted: str) -> None:
    assert code_from_paste(pasted, state="st") == CODE


@pytest.mark.parametrize(
    ("pasted", "error"),
    [
        ("", ConfigError),
        ("two words", ConfigError),
        ("https://api.shop-pro.jp/oauth/authorize", ConfigError),
        ("https://api.shop-pro.jp/other/page", ConfigError),
        ("http://127.0.0.1/callback?error=access_denied&state=st", AuthError),
        (f"http://127.0.0.1/callback?code={CODE}&state=other", AuthError),
    ],
)
def test_bad_pastes_say_what_to_do(pasted: str, error: type[Exception]) -> None:
    with pytest.raises(error) as info:
        code_from_paste(pasted, state="st", shop="myshop")
    assert "kamei auth colorme myshop" in str(info.value)
    assert CODE not in str(info.value)


def test_oob_redirect_uri_is_the_standard_one() -> None:
    assert OOB_REDIRECT_URI == "urn:ietf:wg:oauth:2.0:oob"


# --- token exchange ----------------------------------------------------------------------------


@pytest.fixture
def token_server() -> Iterator[Callable[[Callable[[httpx.Request], httpx.Response]], Any]]:
    clients: list[httpx.Client] = []

    def make(handler: Callable[[httpx.Request], httpx.Response]) -> tuple[httpx.Client, list[Any]]:
        seen: list[httpx.Request] = []

        def record(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            return handler(request)

        client = make_client("https://api.shop-pro.jp", transport=httpx.MockTransport(record))
        clients.append(client)
        return client, seen

    yield make
    for client in clients:
        client.close()


def fast_policy(sleeps: list[float]) -> RetryPolicy:
    return RetryPolicy(jitter=0.0, max_attempts=3, sleep=sleeps.append)


def exchange(client: httpx.Client, sleeps: list[float] | None = None) -> str:
    return exchange_code(
        client,
        "cid",
        SECRET,
        CODE,
        "http://127.0.0.1:5000/callback",
        shop="myshop",
        policy=fast_policy(sleeps if sleeps is not None else []),
        budget=Budget(1000.0, burst=10.0),
    )


def test_exchange_posts_the_form_and_returns_the_token(
    token_server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body = {"access_token": TOKEN, "token_type": "Bearer", "scope": "read_sales", "created_at": 1}
    client, seen = token_server(lambda request: httpx.Response(200, json=body))
    assert exchange(client) == TOKEN
    (request,) = seen
    assert (request.method, request.url.path) == ("POST", "/oauth/token")
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(request.content.decode()) == {
        "client_id": ["cid"],
        "client_secret": [SECRET],
        "code": [CODE],
        "grant_type": ["authorization_code"],
        "redirect_uri": ["http://127.0.0.1:5000/callback"],
    }
    for record in caplog.records:
        for secret in (SECRET, CODE, TOKEN):
            assert secret not in record.getMessage()


@pytest.mark.parametrize(
    ("status", "error", "expected"),
    [
        (401, "invalid_client", ConfigError),
        (400, "invalid_grant", AuthError),
        (400, "invalid_request", ConfigError),
        (400, "unsupported_grant_type", ConfigError),
        (400, "invalid_scope", ConfigError),
        (400, "server_said_something_new", AuthError),
    ],
)
def test_rfc6749_errors_become_kamei_errors_with_a_next_step(
    status: int, error: str, expected: type[Exception], token_server: Any
) -> None:
    body = {"error": error, "error_description": f"説明 {SECRET}"}
    client, seen = token_server(lambda request: httpx.Response(status, json=body))
    with pytest.raises(expected) as info:
        exchange(client)
    assert type(info.value) is expected
    assert len(seen) == 1
    message = str(info.value)
    assert error in message and "kamei auth colorme myshop" in message
    for secret in (SECRET, CODE, "説明"):
        assert secret not in message


def test_a_token_answer_without_a_token_is_a_format_error(token_server: Any) -> None:
    client, _ = token_server(lambda request: httpx.Response(200, json={"token_type": "Bearer"}))
    with pytest.raises(ResponseFormatError):
        exchange(client)


def test_a_token_without_read_sales_is_permission_denied(token_server: Any) -> None:
    body = {"access_token": TOKEN, "scope": "read_products"}
    client, _ = token_server(lambda request: httpx.Response(200, json=body))
    with pytest.raises(PermissionDenied) as info:
        exchange(client)
    assert TOKEN not in str(info.value)


def test_a_passing_server_error_is_retried(token_server: Any) -> None:
    answers = [httpx.Response(503), httpx.Response(200, json={"access_token": TOKEN})]
    client, seen = token_server(lambda request: answers.pop(0))
    sleeps: list[float] = []
    assert exchange(client, sleeps) == TOKEN
    assert len(seen) == 2 and sleeps == [0.5]

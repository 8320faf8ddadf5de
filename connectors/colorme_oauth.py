"""Color Me OAuth 2.0 authorization-code flow, in pieces the CLI puts together.

Typical use by ``kamei auth colorme <shop>``::

    state = new_state()
    with RedirectListener(state, shop=shop) as listener:
        url = authorize_url(base_url, client_id, listener.redirect_uri, state)
        webbrowser.open(url)                     # or print it
        code = listener.wait()
    token = exchange_code(client, client_id, client_secret, code, listener.redirect_uri)

Without a browser on this machine, use ``OOB_REDIRECT_URI``: Color Me then shows
the code on a page (its URL ends in ``/oauth/authorize/<CODE>``) and the user
pastes either into :func:`code_from_paste`.

Tokens do not expire and there is no refresh token (notes §4). Neither the client
secret, the code nor the token is ever logged or put into a message.
"""

from __future__ import annotations

import re
import secrets
import socketserver
import time
from collections.abc import Mapping
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from kamei.errors import AuthError, ConfigError, KameiError, PermissionDenied, ResponseFormatError
from kamei.i18n import t

from .http import Budget, CallContext, RetryableResponse, RetryPolicy, parse_json, send
from .types import RequestStats

__all__ = [
    "OOB_REDIRECT_URI",
    "SCOPE",
    "RedirectListener",
    "authorize_url",
    "code_from_paste",
    "exchange_code",
    "new_state",
]

OOB_REDIRECT_URI = "urn:ietf:wg:oauth:2.0:oob"
SCOPE = "read_sales"  # orders and their customers, read only: all kamei needs (notes §4)
_CODE = re.compile(r"[A-Za-z0-9._~-]+")


def _shop(shop: str | None) -> str:
    """The shop named in "run `kamei auth colorme SHOP` again"."""
    return shop or "<shop>"


def new_state() -> str:
    """An unguessable ``state`` value tying the browser's answer to this run."""
    return secrets.token_urlsafe(24)


def authorize_url(
    base_url: str, client_id: str, redirect_uri: str, state: str, scope: str = SCOPE
) -> str:
    """The page to open in the shop owner's browser to grant kamei access."""
    query = urlencode(
        {
            "client_id": client_id,
            "response_type": "code",
            "scope": scope,
            "redirect_uri": redirect_uri,
            "state": state,
        }
    )
    return f"{base_url.rstrip('/')}/oauth/authorize?{query}"


# --- the loopback redirect listener ----------------------------------------------------

_PAGE = """<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>kamei</title></head>
<body style="font-family: sans-serif; margin: 3em">
<h1>{ja}</h1><p>{en}</p></body></html>
"""
_DONE = ("認証が完了しました。このウィンドウを閉じてください。", "Done. You can close this window.")
_DENIED = (
    "認証が拒否されました。このウィンドウを閉じてください。",
    "Access was not granted. You can close this window.",
)
_MISMATCH = (
    "この応答は kamei が待っていたものではありません。",
    "This answer does not belong to the running kamei command.",
)


class _Server(socketserver.TCPServer):
    # TCPServer rather than http.server.HTTPServer: the latter resolves the host name
    # on bind (getfqdn), which can stall for seconds on machines with odd DNS.
    allow_reuse_address = False

    def __init__(self, port: int, state: str, path: str) -> None:
        self.expected_state = state
        self.expected_path = path
        self.code: str | None = None
        self.error: str | None = None
        super().__init__(("127.0.0.1", port), _Handler)


class _Handler(BaseHTTPRequestHandler):
    timeout = 5  # a browser's idle pre-connect must not block the one-shot server
    server: _Server

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        if parts.path != self.server.expected_path:
            self._answer(HTTPStatus.NOT_FOUND, _MISMATCH)
            return
        query = parse_qs(parts.query)
        state = query.get("state", [""])[0]
        if not secrets.compare_digest(state, self.server.expected_state):
            # Possibly forged (CSRF): refuse it and keep waiting for the real answer.
            self._answer(HTTPStatus.BAD_REQUEST, _MISMATCH)
            return
        code = query.get("code", [""])[0]
        if code:
            self.server.code = code
            self._answer(HTTPStatus.OK, _DONE)
        else:
            self.server.error = query.get("error", ["no_code"])[0]
            self._answer(HTTPStatus.OK, _DENIED)

    def _answer(self, status: HTTPStatus, text: tuple[str, str]) -> None:
        body = _PAGE.format(ja=text[0], en=text[1]).encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Silenced: the default writes the request line, code included, to stderr."""


class RedirectListener:
    """A one-shot HTTP listener on 127.0.0.1 that catches the OAuth redirect.

    Binds at construction (``port=0`` picks a free port; pass a fixed one if the app
    registration needs it); :attr:`redirect_uri` is what to register/send. Use it as
    a context manager so the socket is always closed.
    """

    def __init__(
        self,
        state: str,
        *,
        port: int = 0,
        path: str = "/callback",
        timeout: float = 300.0,
        shop: str | None = None,
    ) -> None:
        try:
            self._server = _Server(port, state, path)
        except OSError as exc:
            raise ConfigError(t("oauth.port", port=port)) from exc
        self._path = path
        self._timeout = timeout
        self._shop = shop

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self.port}{self._path}"

    def wait(self) -> str:
        """Serve requests until one carries a code with the right ``state``; return the code.

        Raises :class:`AuthError` if the owner denied access or nothing arrived in time.
        """
        deadline = time.monotonic() + self._timeout
        while self._server.code is None and self._server.error is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AuthError(t("oauth.timeout", seconds=self._timeout, shop=_shop(self._shop)))
            self._server.timeout = min(remaining, 1.0)
            self._server.handle_request()
        if self._server.code is None:
            raise AuthError(
                t("oauth.denied_error", error=self._server.error, shop=_shop(self._shop))
            )
        return self._server.code

    def close(self) -> None:
        self._server.server_close()

    def __enter__(self) -> RedirectListener:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


# --- out-of-band code paste ----------------------------------------------------------------


def code_from_paste(text: str, *, state: str | None = None, shop: str | None = None) -> str:
    """The authorization code from what the user pasted in the OOB flow.

    Accepts the bare code, Color Me's OOB page URL ``…/oauth/authorize/<CODE>``, or a
    redirect URL carrying ``?code=…`` (whose ``state`` must match when given).
    """
    pasted = text.strip()
    if not pasted:
        raise ConfigError(t("oauth.nothing_pasted", shop=_shop(shop)))
    if "://" not in pasted:
        if not _CODE.fullmatch(pasted):
            raise ConfigError(t("oauth.not_a_code", shop=_shop(shop)))
        return pasted
    parts = urlsplit(pasted)
    query = parse_qs(parts.query)
    if "error" in query:
        raise AuthError(t("oauth.denied", shop=_shop(shop)))
    if state is not None and "state" in query and query["state"][0] != state:
        raise AuthError(t("oauth.other_attempt", shop=_shop(shop)))
    if query.get("code"):
        return query["code"][0]
    segments = [s for s in parts.path.split("/") if s]
    oob_page = len(segments) >= 3 and segments[-3:-1] == ["oauth", "authorize"]
    if oob_page and _CODE.fullmatch(segments[-1]):
        return segments[-1]
    raise ConfigError(t("oauth.no_code", shop=_shop(shop)))


# --- token exchange ----------------------------------------------------------------------

_CONFIG_ERRORS = frozenset(
    {"invalid_request", "unauthorized_client", "unsupported_grant_type", "invalid_scope"}
)


def _token_error(response: httpx.Response, ctx: CallContext) -> KameiError | None:
    # RFC 6749 §5.2 bodies, not Color Me's errors[] shape (notes §4.6). The error code is
    # an identifier and safe to show; error_description is server prose and is left out.
    try:
        body = parse_json(response)
    except RetryableResponse:
        return None
    error = body.get("error") if isinstance(body, dict) else None
    where = t("oauth.where", endpoint=ctx.endpoint, status=response.status_code, error=error)
    shop = _shop(ctx.shop)
    if error == "invalid_client":
        return ConfigError(t("oauth.bad_client", where=where, shop=shop))
    if error == "invalid_grant":
        return AuthError(t("oauth.bad_code", where=where, shop=shop))
    if error in _CONFIG_ERRORS:
        return ConfigError(t("oauth.bad_request", where=where, shop=shop))
    if isinstance(error, str):
        return AuthError(t("oauth.refused", where=where, shop=shop))
    return None


def _token_from(response: httpx.Response, shop: str | None) -> str:
    body = parse_json(response)
    token = body.get("access_token") if isinstance(body, Mapping) else None
    if not isinstance(token, str) or not token.strip():
        raise ResponseFormatError(t("oauth.no_token", shop=_shop(shop)))
    scope = body.get("scope")
    if isinstance(scope, str) and SCOPE not in scope.split():
        raise PermissionDenied(t("oauth.no_scope", scope=SCOPE, shop=_shop(shop)))
    return token.strip()


def exchange_code(
    client: httpx.Client,
    client_id: str,
    client_secret: str,
    code: str,
    redirect_uri: str,
    *,
    shop: str | None = None,
    policy: RetryPolicy | None = None,
    budget: Budget | None = None,
) -> str:
    """Trade an authorization code for an access token (``POST /oauth/token``, form body).

    ``client`` points at the API base URL. ``redirect_uri`` must be the one used in
    :func:`authorize_url`. Raises :class:`AuthError` (code rejected/expired),
    :class:`ConfigError` (client credentials or app registration wrong) or another
    ``ConnectorError`` subclass; messages never hold the secret, code or token.
    """
    return send(
        client,
        "POST",
        "/oauth/token",
        data={
            "client_id": client_id,
            "client_secret": client_secret,
            "code": code,
            "grant_type": "authorization_code",
            "redirect_uri": redirect_uri,
        },
        # A code works once and for 10 minutes: a retry after a lost answer can only earn
        # invalid_grant, so a few quick attempts are worth it and a long siege is not.
        budget=budget or Budget(1.0),
        policy=policy or RetryPolicy(max_attempts=3, total=30.0),
        stats=RequestStats(),
        endpoint="oauth/token",
        platform="colorme",
        shop=shop or "<shop>",
        parse=lambda response: _token_from(response, shop),
        classify_error=_token_error,
    )

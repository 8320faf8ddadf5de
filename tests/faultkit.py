"""Shared pieces of the fault, crash and concurrency tests.

- ``add_shop``/``expected_keys``: a shop in a real store pointed at a fake, and the
  order keys a complete sync of that fake must leave in the store.
- ``VirtualTime`` + ``virtual_retries``: every connector keeps its real retry
  limits (attempts, floor, cap, total) but waits on a virtual clock, so a test
  can exhaust a retry budget in milliseconds and still check every wait.
- ``Watch``: WSGI middleware in front of a fake that records what the client
  really received (status, Retry-After, the order ids of each complete list
  response) and can switch the fake's faults on after N list responses.
- ``ShortTimeouts``: a transport wrapper that gives loopback requests a short
  read timeout, so a stalled response becomes a real read timeout.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from wsgiref.types import StartResponse, WSGIEnvironment

import httpx
import pytest
import sqlalchemy as sa
from leaks import decrypted_text, digit_values, file_bytes, findings

from connectors import colorme, makeshop, shopserve
from connectors.fakes import FakePlatform, Faults
from connectors.http import RetryPolicy
from connectors.registry import get_platform
from store import Shop, Store
from sync import Pseudonymiser

BASE_URL = "http://fake.invalid"

# What each platform's connector does once a retry budget is spent (the real defaults).
POLICIES: dict[str, RetryPolicy] = {
    "colorme": RetryPolicy(),
    "makeshop": RetryPolicy(),
    "shopserve": shopserve.DEFAULT_POLICY,
}


def add_shop(store: Store, fake: FakePlatform, name: str = "main", **settings: Any) -> Shop:
    """Register ``fake`` as shop ``name`` (fast client budget) with its credential."""
    spec = get_platform(fake.platform)
    shop = store.add_shop(name, fake.platform, {"base_url": BASE_URL, "rate": 1000, **settings})
    store.set_credential(name, spec.parse_credential(fake.credential))
    return shop


def expected_keys(store: Store, fake: FakePlatform, name: str = "main") -> set[str]:
    version, key = store.pseudonym_key()
    keys = Pseudonymiser(key=key, version=version)
    return {keys.order_key(fake.platform, name, oid) for oid in fake.order_ids()}


def keys_for(store: Store, platform: str, ids: Iterable[str], name: str = "main") -> set[str]:
    version, key = store.pseudonym_key()
    keys = Pseudonymiser(key=key, version=version)
    return {keys.order_key(platform, name, oid) for oid in ids}


def stored_rows(store: Store, order_keys: Iterable[str]) -> dict[str, tuple[Any, ...]]:
    """Each order's full row plus its lines, by order key: what "complete" means."""
    wanted = set(order_keys)
    with store.connect() as conn:
        orders = conn.execute(sa.text("SELECT * FROM orders")).all()
        lines = conn.execute(sa.text("SELECT * FROM order_lines ORDER BY line_no")).all()
    by_order: dict[int, list[tuple[Any, ...]]] = {}
    for line in lines:
        by_order.setdefault(line.order_id, []).append(tuple(line))
    return {
        row.order_key: (tuple(row), tuple(by_order.get(row.id, ())))
        for row in orders
        if row.order_key in wanted
    }


# --- virtual time ------------------------------------------------------------------------


@dataclass
class VirtualTime:
    """A monotonic clock that moves only when a retry sleeps; every sleep is recorded.

    ``real`` seconds at most are really slept per wait: against a loopback server a
    retry must not arrive before the server has finished the request it replaces.
    """

    now: float = 10_000.0
    real: float = 0.0
    sleeps: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def clock(self) -> float:
        with self.lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.sleeps.append(seconds)
            self.now += seconds
        if self.real:
            time.sleep(min(seconds, self.real))


def virtual_retries(monkeypatch: pytest.MonkeyPatch, vt: VirtualTime) -> None:
    """Every connector's default retry policy, waiting on ``vt`` instead of the wall clock."""
    virtual = functools.partial(RetryPolicy, clock=vt.clock, sleep=vt.sleep)
    monkeypatch.setattr(colorme, "RetryPolicy", virtual)
    monkeypatch.setattr(makeshop, "RetryPolicy", virtual)
    monkeypatch.setattr(
        shopserve,
        "DEFAULT_POLICY",
        dataclasses.replace(shopserve.DEFAULT_POLICY, clock=vt.clock, sleep=vt.sleep),
    )


# --- watching what the client received --------------------------------------------------


def _colorme_ids(body: Any) -> list[str] | None:
    sales = body.get("sales") if isinstance(body, dict) else None
    if not isinstance(sales, list):
        return None
    return [str(sale["id"]) for sale in sales]


def _makeshop_ids(body: Any) -> list[str] | None:
    data = body.get("data") if isinstance(body, dict) else None
    found = data.get("searchOrder") if isinstance(data, dict) else None
    if not isinstance(found, dict):
        return None
    return [str(order["systemOrderNumber"]) for order in found["orders"]]


def _shopserve_ids(body: Any) -> list[str] | None:
    orders = body.get("orders") if isinstance(body, dict) else None
    if not isinstance(orders, list):
        return None
    return [str(order["serial_code"]) for order in orders]


LIST_IDS: dict[str, Callable[[Any], list[str] | None]] = {
    "colorme": _colorme_ids,
    "makeshop": _makeshop_ids,
    "shopserve": _shopserve_ids,
}


@dataclass(frozen=True, slots=True)
class Seen:
    """One response as the client received it (complete, or cut off by a reset)."""

    status: int
    retry_after: str | None
    complete: bool


class Watch:
    """WSGI middleware in front of a fake; see the module docstring.

    ``switch_after`` list responses holding orders (complete 2xx JSON lists), the fake's
    faults become ``then``. ``pages`` holds each complete list response's ids, the
    first ``before`` of them served before the switch; ``after_switch`` counts the
    requests that arrived after it.
    """

    def __init__(
        self,
        fake: FakePlatform,
        *,
        then: Faults | None = None,
        switch_after: int = 0,
        lasting: int | None = None,
    ) -> None:
        self.fake = fake
        self.then = then
        self.switch_after = switch_after
        self.lasting = lasting
        """With a number, the faults end again after that many requests."""
        self.pages: list[list[str]] = []
        self.seen: list[Seen] = []
        self.after_switch = 0
        self.before = 0
        self.switched = False
        self._lock = threading.Lock()
        self._ids = LIST_IDS[fake.platform]
        if then is not None and switch_after == 0:
            self._switch()

    def rearm(self, faults: Faults, *, lasting: int | None = None) -> None:
        """Switch to ``faults`` now (for the next ``lasting`` requests, if given)."""
        with self._lock:
            self.then, self.lasting, self.after_switch = faults, lasting, 0
            self._switch()

    def _switch(self) -> None:
        assert self.then is not None
        self.fake.app.faults = self.then
        self.switched = True
        self.before = len(self.pages)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        response: dict[str, Any] = {}

        def recording_start(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            response["status"] = int(status.split()[0])
            response["headers"] = {k.lower(): v for k, v in headers}
            return start_response(status, headers, *exc)

        with self._lock:
            if self.switched:
                self.after_switch += 1
                if self.lasting is not None and self.after_switch > self.lasting:
                    self.fake.app.faults = Faults()
        body = self.fake.app(environ, recording_start)
        return self._relay(body, response)

    def _relay(self, body: Iterable[bytes], response: dict[str, Any]) -> Iterator[bytes]:
        chunks: list[bytes] = []
        try:
            for chunk in body:
                chunks.append(chunk)
                yield chunk
        except BaseException:
            self._record(response, None)
            raise
        self._record(response, b"".join(chunks))

    def _record(self, response: dict[str, Any], content: bytes | None) -> None:
        headers = response.get("headers", {})
        status = int(response.get("status", 0))
        seen = Seen(status, headers.get("retry-after"), content is not None)
        ids = None
        if (
            content is not None
            and 200 <= status < 300
            and "json" in headers.get("content-type", "")
        ):
            try:
                ids = self._ids(json.loads(content))
            except (ValueError, KeyError, TypeError):
                ids = None  # a truncated body: the client could not read it either
        with self._lock:
            self.seen.append(seen)
            if ids is None:
                return
            self.pages.append(ids)
            with_orders = sum(1 for page in self.pages if page)
            if self.then is not None and not self.switched and with_orders >= self.switch_after:
                self._switch()


class Gate:
    """WSGI middleware: the first ``open_for`` requests pass, later ones wait for ``release``.

    ``held`` is set once a request is waiting: the client is then mid-run, between
    two requests, with everything before committed or being committed.
    """

    def __init__(self, app: Any, open_for: int) -> None:
        self.app = app
        self.held = threading.Event()
        self._open = threading.Event()
        self._remaining = open_for
        self._lock = threading.Lock()

    def release(self) -> None:
        self._open.set()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        with self._lock:
            passing = self._remaining > 0
            self._remaining -= 1
        if not passing:
            self.held.set()
            self._open.wait(timeout=60)
        result: Iterable[bytes] = self.app(environ, start_response)
        return result


def secret_values(fake: FakePlatform) -> list[str]:
    """The credential's secret fields, as kamei keeps them."""
    return list(get_platform(fake.platform).parse_credential(fake.credential).values())


def sweep(home: Path, fake: FakePlatform, *extra: tuple[str, bytes]) -> list[str]:
    """Planted personal values or credential pieces in the home (every file, and the
    decrypted store with its run log) or in ``extra`` blobs (logs, output)."""
    blobs = [(str(p), b) for p, b in file_bytes(home).items()]
    blobs.append(("decrypted store", decrypted_text(home).encode()))
    blobs.extend(extra)
    found = findings(blobs, digit_values(fake.dataset))
    for secret in secret_values(fake):
        found.extend(f"{name}: credential" for name, blob in blobs if secret.encode() in blob)
    return found


class ShortTimeouts(httpx.BaseTransport):
    """Real HTTP with a short read timeout (the client's own is 60 s)."""

    def __init__(self, read: float = 0.3) -> None:
        self._inner = httpx.HTTPTransport()
        self._timeout = httpx.Timeout(5.0, read=read)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.extensions = {**request.extensions, "timeout": self._timeout.as_dict()}
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()

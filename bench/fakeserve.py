"""The benchmark's fake Color Me server: the project's fake, in its own process.

Run as ``python bench/fakeserve.py --orders N --seed S [--mode M] [--faults SPEC]``;
it prints one JSON line (``base_url``, ``credential``, ``orders``, ``mode``) once it
listens, and serves until SIGTERM. The server runs in a process of its own so its
CPU time never counts against a contender's process (the machine has 2 cores:
one for the server, one for the contender).

Modes:

``stock``
    The project's ``FakeColorMe`` as it is (``kamei fake serve`` does the same).
    It renders each sale from its seed and scans the whole dataset per request
    (about 26 ms per 100-sale page at N = 100,000 here), so a full sync against it
    measures the fake more than the client.
``prerendered``
    The same fake, with every sale rendered once at start-up (the exact bytes the
    stock fake sends). A query whose bounds cover the whole dataset (a full sync:
    what every throughput contender sends) is answered from those bytes in well
    under a millisecond; any other query goes to the stock fake. Use it to
    measure the client's cost, as the bare-loop reference figures do.
``tiled``
    For N beyond what is worth rendering (the 1M memory run): the first ``--tile``
    orders are rendered once and repeated with new, distinct sale ids up to N,
    so a full sync stores N distinct orders. Only whole-dataset queries are valid.

Benchmark-only endpoints (never part of the Color Me API): ``GET /_bench/log``
(request-log figures, incl. ``RequestLog.max_in_window``), ``POST /_bench/clear``,
``POST /_bench/churn?n=K`` (create K orders and update K others, now; from then on
every query goes to the stock fake).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import signal
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl
from wsgiref.types import StartResponse, WSGIEnvironment

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from connectors.fakes import FakePlatform, make_fake, serve_forever
from connectors.fakes.faults import LoggedRequest

JST = dt.timezone(dt.timedelta(hours=9))
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})")
_BOUNDS = ("make_date_min", "update_date_min", "update_date_max")
_PAGING = ("limit", "offset")
_ID_PREFIX = re.compile(rb'^\{"id":(\d+),')


def _jst(text: str | None) -> int | None:
    match = _DATE.fullmatch((text or "").strip())
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(g) for g in match.groups())
    return int(dt.datetime(year, month, day, hour, minute, second, tzinfo=JST).timestamp())


class BenchApp:
    """WSGI app: the fake, optionally answering whole-dataset queries from rendered bytes."""

    def __init__(self, fake: FakePlatform, mode: str, total: int, tile: int) -> None:
        self.fake = fake
        self.mode = mode
        self.total = total  # orders served (tiled mode: more than the fake holds)
        self.lock = threading.Lock()
        self.fragments: list[bytes] = []  # newest first, as the fake orders them
        if mode != "stock":
            self._render(tile if mode == "tiled" else len(fake.dataset))

    def _render(self, count: int) -> None:
        app: Any = self.fake.app
        ds = self.fake.dataset
        count = min(count, len(ds))
        newest_first = range(count - 1, -1, -1)
        dumps = json.JSONEncoder(ensure_ascii=True, separators=(",", ":")).encode
        self.fragments = [dumps(app.sale(i)).encode("ascii") for i in newest_first]
        self.make_min = min(ds.make_time(i) for i in range(count))
        self.update_min = min(ds.update_time(i) for i in range(count))
        self.update_max = max(ds.update_time(i) for i in range(count))
        self.first_id = ds.order_id_start
        self.base = count

    def _whole_dataset(self, query: dict[str, str]) -> bool:
        """True when the query's bounds hold every order, so paging is by offset alone."""
        if set(query) - set(_BOUNDS) - set(_PAGING):
            return False
        make_min = _jst(query.get("make_date_min"))
        upd_min = _jst(query.get("update_date_min"))
        upd_max = _jst(query.get("update_date_max"))
        return (
            make_min is not None
            and make_min <= self.make_min
            and (upd_min is None or upd_min <= self.update_min)
            and (upd_max is None or upd_max >= self.update_max)
        )

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or "/"
        if path.startswith("/_bench/"):
            return self._control(path, environ, start_response)
        if (
            self.fragments
            and path in ("/v1/sales", "/v1/sales.json")
            and environ.get("REQUEST_METHOD") == "GET"
            and environ.get("HTTP_AUTHORIZATION", "") == f"Bearer {self.fake.credential}"
            and not self.fake.app.faults
        ):
            query = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
            if self._whole_dataset(query):
                return self._page(query, environ, start_response)
        if self.mode == "tiled":
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"tiled mode serves whole-dataset sales queries only\n"]
        return self.fake.app(environ, start_response)

    def _page(
        self, query: dict[str, str], environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        arrived = time.monotonic()
        limit = _limit(query.get("limit"))
        offset = _offset(query.get("offset"))
        stop = min(self.total, offset + limit)
        parts = []
        for g in range(offset, stop):
            fragment = self.fragments[g % self.base]
            if g >= self.base:  # a repeat of the tile: give it a sale id of its own
                sale_id = self.first_id + g  # above every id of the tile itself
                fragment = _ID_PREFIX.sub(b'{"id":%d,' % sale_id, fragment, count=1)
            parts.append(fragment)
        meta = b'{"total":%d,"limit":%d,"offset":%d}' % (self.total, limit, offset)
        body = b'{"sales":[' + b",".join(parts) + b'],"meta":' + meta + b"}"
        self.fake.request_log.record(LoggedRequest(arrived, "GET", environ["PATH_INFO"], 200))
        start_response(
            "200 OK",
            [
                ("Content-Type", "application/json; charset=utf-8"),
                ("Content-Length", str(len(body))),
            ],
        )
        return [body]

    def _control(
        self, path: str, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        params = {k: v[-1] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        log = self.fake.request_log
        if path == "/_bench/log":
            entries = [e for e in log.entries() if e.path.startswith("/v1/")]
            statuses: dict[str, int] = {}
            for e in entries:
                statuses[str(e.status)] = statuses.get(str(e.status), 0) + 1
            window = float(params.get("window", "60"))
            payload: dict[str, Any] = {
                "requests": len(entries),
                "statuses": statuses,
                "first_at": entries[0].at if entries else None,
                "last_at": entries[-1].at if entries else None,
                "max_in_window": log.max_in_window(window, path_prefix="/v1/"),
                "max_in_1s": log.max_in_window(1.0, path_prefix="/v1/"),
                "window": window,
            }
        elif path == "/_bench/clear":
            log.clear()
            payload = {"cleared": True}
        elif path == "/_bench/churn":
            n = int(params.get("n", "0"))
            with self.lock:
                self.fake.app.churn(n)
                # The rendered bytes are stale now: every query goes to the stock fake.
                self.fragments = []
                self.total = len(self.fake.dataset)
            payload = {"orders": len(self.fake.dataset), "changed": n}
        else:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"unknown bench endpoint\n"]
        body = json.dumps(payload).encode()
        start_response(
            "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        )
        return [body]


def _limit(text: str | None) -> int:
    try:
        value = int(text or "")
    except ValueError:
        return 10
    return 10 if value < 1 else min(value, 100)


def _offset(text: str | None) -> int:
    try:
        value = int(text or "")
    except ValueError:
        return 0
    return max(0, value)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--mode", choices=("stock", "prerendered", "tiled"), default="stock")
    parser.add_argument("--tile", type=int, default=100_000)
    parser.add_argument("--faults", default="")
    args = parser.parse_args(argv)

    base_orders = min(args.orders, args.tile) if args.mode == "tiled" else args.orders
    # The data ends a minute ago: every order lies strictly before any client's "now".
    end = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(minutes=1)
    fake = make_fake("colorme", orders=base_orders, seed=args.seed, faults=args.faults, end=end)
    app = BenchApp(fake, args.mode, args.orders, args.tile)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    def ready(base_url: str) -> None:
        line = {
            "base_url": base_url,
            "credential": fake.credential,
            "orders": args.orders,
            "mode": args.mode,
        }
        print(json.dumps(line), flush=True)

    serve_forever(app, "127.0.0.1", 0, ready=ready, stop=stop)


if __name__ == "__main__":
    main()

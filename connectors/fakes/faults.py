"""Per-request fault machinery shared by every platform fake.

A fault spec is a comma-separated list of ``name=value`` items, for example
``"latency=50ms,429=0.1,5xx=0.05,churn=2"``:

=============  ==========================================================
``latency``    delay before every response: ``50ms``, ``0.2s``
``429``        probability of a random 429 (Retry-After absent, seconds or HTTP-date)
``5xx``        probability of a 500/502/503 (JSON ``errors[]`` or a proxy's HTML page)
``reset``      probability of a connection reset part-way through a 200 body
``truncate``   probability of a 200 whose JSON body is cut short
``revoked``    ``1``: the token is revoked, every API call answers 401
``churn``      orders created and updated on each list request (an integer)
``rate``       requests per minute the fake enforces (token bucket, 429 + Retry-After)
``burst``      token-bucket capacity for ``rate`` (default: ten seconds' worth)
``retry_after`` seconds the fake asks for in Retry-After (default 1)
``maintenance`` ``1``: every call answers the maintenance HTML page
``maintenance_status`` the maintenance page's status: ``503`` (default) or ``200``
``repeat``     probability that a list request past the first page serves the page before it
``stall``      probability of a response held back by ``stall_for`` (a read timeout)
``stall_for``  how long a stalled response waits: default ``65s``, past kamei's 60 s read timeout
``streak``     at most this many random faults in a row, then one clean answer (0: no limit)
=============  ==========================================================

Decisions come from a seeded ``random.Random`` so a single-threaded run is
reproducible. The module also holds the request log every fake keeps, so
benchmarks can prove the rate a client really sent, and the end of every fake's
WSGI call (:func:`send`: the decided body fault, the log entry, the headers) and
its ``churn`` (:func:`churn_orders`).
"""

from __future__ import annotations

import math
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from email.utils import formatdate
from typing import TYPE_CHECKING, Literal, Protocol, TypeVar

import httpx

if TYPE_CHECKING:
    from wsgiref.types import StartResponse

    from .synthetic import Dataset

__all__ = [
    "ConnectionReset",
    "Decision",
    "FaultDice",
    "Faults",
    "LoggedRequest",
    "Reply",
    "RequestLog",
    "TokenBucket",
    "churn_orders",
    "retry_after_headers",
    "send",
]

_T = TypeVar("_T")

RetryAfterForm = Literal["none", "seconds", "http-date"]


class ConnectionReset(httpx.ReadError, ConnectionResetError):
    """Raised from a response body to cut the connection part-way.

    In-process (``httpx.WSGITransport``) the client sees an ``httpx.ReadError``,
    as it would from a real socket; behind ``wsgiref`` it is a
    ``ConnectionResetError``, which the server treats as "drop the connection"
    without logging a traceback, and our server then resets the socket.
    """


# --- the spec ------------------------------------------------------------------------

# Spec names that are not Python identifiers map onto dataclass fields.
_ALIASES = {"429": "throttle", "5xx": "server_error"}
_SPEC_NAMES = {field_name: spec for spec, field_name in _ALIASES.items()}


@dataclass(frozen=True, slots=True)
class Faults:
    """Which faults a fake injects. ``Faults()`` injects none."""

    latency: float = 0.0
    """Seconds to wait before each response."""
    throttle: float = 0.0
    """Probability of a random 429 (spec name ``429``)."""
    server_error: float = 0.0
    """Probability of a 5xx (spec name ``5xx``)."""
    reset: float = 0.0
    truncate: float = 0.0
    revoked: bool = False
    churn: int = 0
    rate: float = 0.0
    """Requests per minute enforced with a token bucket; 0 = unlimited."""
    burst: float | None = None
    retry_after: int = 1
    maintenance: bool = False
    maintenance_status: int = 503
    """Status of the maintenance page: 503, or 200 as some platforms' proxies send it."""
    repeat: float = 0.0
    """Probability that a list request for a later page is answered with the page before it."""
    stall: float = 0.0
    """Probability that a response is held back by ``stall_for`` seconds."""
    stall_for: float = 65.0
    streak: int = 0
    """At most this many random faults in a row (0: no limit): faults that always clear."""

    @classmethod
    def parse(cls, spec: str) -> Faults:
        """Parse ``"name=value,..."``; raise ``ValueError`` naming the bad item."""
        values: dict[str, object] = {}
        for raw in spec.split(","):
            item = raw.strip()
            if not item:
                continue
            name, sep, value = item.partition("=")
            name, value = name.strip().lower(), value.strip()
            if not sep or not value:
                raise ValueError(f"fault item {item!r} is not name=value (e.g. '429=0.1')")
            attr = _ALIASES.get(name, name)
            parser = _PARSERS.get(attr)
            if parser is None:
                known = ", ".join(sorted(_spec_name(a) for a in _PARSERS))
                raise ValueError(f"unknown fault {name!r} in {item!r}; known faults: {known}")
            if attr in values:
                raise ValueError(f"fault {name!r} is given twice")
            try:
                values[attr] = parser(value)
            except ValueError as exc:
                raise ValueError(f"fault item {item!r}: {exc}") from None
        return cls(**values)  # type: ignore[arg-type]

    def spec(self) -> str:
        """The canonical spec string (``Faults.parse(f.spec()) == f``)."""
        default = Faults()
        items = []
        for f in fields(self):
            value = getattr(self, f.name)
            if value == getattr(default, f.name):
                continue
            items.append(f"{_spec_name(f.name)}={_format(f.name, value)}")
        return ",".join(items)

    def __bool__(self) -> bool:
        return self != Faults()


def _spec_name(attr: str) -> str:
    return _SPEC_NAMES.get(attr, attr)


def _format(attr: str, value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if attr in ("latency", "stall_for") and isinstance(value, float):
        return f"{round(value * 1000, 3):g}ms"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _duration(text: str) -> float:
    lowered = text.lower()
    for suffix, scale in (("ms", 0.001), ("s", 1.0)):
        if lowered.endswith(suffix):
            number = _number(lowered[: -len(suffix)])
            if number < 0:
                raise ValueError("a duration cannot be negative")
            return number * scale
    raise ValueError("give a duration with a unit, e.g. '50ms' or '0.2s'")


def _probability(text: str) -> float:
    number = _number(text[:-1]) / 100 if text.endswith("%") else _number(text)
    if not 0.0 <= number <= 1.0:
        raise ValueError("a probability lies between 0 and 1 (or 0% and 100%)")
    return number


def _flag(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError("use 1 or 0")


def _count(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise ValueError("give a whole number") from None
    if number < 0:
        raise ValueError("a count cannot be negative")
    return number


def _maintenance_status(text: str) -> int:
    if text not in ("200", "503"):
        raise ValueError("a maintenance page answers 503 or 200")
    return int(text)


def _per_minute(text: str) -> float:
    number = _number(text)
    if number < 0:
        raise ValueError("a rate cannot be negative (0 turns it off)")
    return number


def _capacity(text: str) -> float:
    number = _number(text)
    if number < 1:
        raise ValueError("a burst holds at least one request")
    return number


def _number(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    if not math.isfinite(number):
        raise ValueError(f"{text!r} is not a finite number")
    return number


_PARSERS: dict[str, Callable[[str], object]] = {
    "latency": _duration,
    "throttle": _probability,
    "server_error": _probability,
    "reset": _probability,
    "truncate": _probability,
    "revoked": _flag,
    "churn": _count,
    "rate": _per_minute,
    "burst": _capacity,
    "retry_after": _count,
    "maintenance": _flag,
    "maintenance_status": _maintenance_status,
    "repeat": _probability,
    "stall": _probability,
    "stall_for": _duration,
    "streak": _count,
}


# --- the decision helper -------------------------------------------------------------


class TokenBucket:
    """``per_minute`` requests a minute with bursts up to ``capacity``. Thread-safe."""

    def __init__(
        self,
        per_minute: float,
        capacity: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if per_minute <= 0:
            raise ValueError("a token bucket needs a positive rate")
        self.per_second = per_minute / 60.0
        # Ten seconds' worth by default: a client pacing itself at the rate never
        # trips, one that ignores the budget trips within seconds.
        self.capacity = capacity if capacity is not None else max(1.0, self.per_second * 10)
        self._clock = clock
        self._tokens = self.capacity
        self._last = clock()
        self._lock = threading.Lock()

    def take(self) -> float:
        """Take a token: 0.0 if granted, else the seconds until one is available."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.capacity, self._tokens + (now - self._last) * self.per_second)
            self._last = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return 0.0
            return (1.0 - self._tokens) / self.per_second


@dataclass(frozen=True, slots=True)
class Decision:
    """What one request suffers. A fake applies these in the order of the fields."""

    latency: float = 0.0
    maintenance: bool = False
    revoked: bool = False
    throttled: Literal["rate", "random"] | None = None
    retry_after: int | None = None
    """Seconds to put in Retry-After; ``None`` = send no Retry-After."""
    retry_after_form: RetryAfterForm = "none"
    server_error: int | None = None
    server_error_html: bool = False
    truncate_at: float | None = None
    """Fraction of the body to keep, for a truncated 200."""
    reset_at: float | None = None
    """Fraction of the body to send before the connection resets."""
    repeat: bool = False
    """A list request past the first page gets the page before it instead."""
    stall: float = 0.0
    """Seconds to hold the response back on top of ``latency`` (a read timeout)."""

    @property
    def faulty(self) -> bool:
        """Whether a random fault shapes this answer (rate limiting and outages aside)."""
        return self.throttled == "random" or bool(
            self.server_error or self.truncate_at or self.reset_at or self.repeat or self.stall
        )


class FaultDice:
    """Rolls :class:`Decision` values for a fake from a seeded RNG. Thread-safe."""

    def __init__(
        self,
        faults: Faults,
        seed: int = 0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.faults = faults
        self.rng = random.Random(seed)
        self.lock = threading.RLock()
        self.bucket = TokenBucket(faults.rate, faults.burst, clock) if faults.rate > 0 else None
        self._forms: tuple[RetryAfterForm, ...] = ("none", "seconds", "http-date")
        self._throttles = 0
        self._streak = 0  # faulty decisions in a row, for ``Faults.streak``

    def decide(self) -> Decision:
        """The faults for one API request (consumes a rate-limit token if ``rate`` is set)."""
        f = self.faults
        with self.lock:
            if f.maintenance or f.revoked:
                return Decision(latency=f.latency, maintenance=f.maintenance, revoked=f.revoked)
            wait = self.bucket.take() if self.bucket is not None else 0.0
            if wait > 0:
                seconds = max(f.retry_after, math.ceil(wait))
                return Decision(
                    f.latency, throttled="rate", retry_after=seconds, retry_after_form="seconds"
                )
            if f.streak and self._streak >= f.streak:
                self._streak = 0
                return Decision(f.latency)  # the streak is over: this request gets through
            decision = self._roll(f)
            self._streak = self._streak + 1 if decision.faulty else 0
            return decision

    def _roll(self, f: Faults) -> Decision:
        if self._hit(f.throttle):
            # Cycle the three forms so a handful of 429s exercises each of them.
            form = self._forms[self._throttles % len(self._forms)]
            self._throttles += 1
            after = None if form == "none" else f.retry_after
            return Decision(f.latency, throttled="random", retry_after=after, retry_after_form=form)
        if self._hit(f.server_error):
            status = self.rng.choice((500, 502, 503))
            # 500 comes from the app (JSON errors[]); 502/503 mostly from the proxy (HTML).
            html = status != 500 and self.rng.random() < 0.7
            return Decision(f.latency, server_error=status, server_error_html=html)
        truncate = self.rng.uniform(0.05, 0.95) if self._hit(f.truncate) else None
        reset = self.rng.uniform(0.05, 0.95) if self._hit(f.reset) else None
        # Rolled last, and only when asked for, so older seeded runs replay unchanged.
        repeat = self._hit(f.repeat)
        stall = f.stall_for if self._hit(f.stall) else 0.0
        return Decision(f.latency, truncate_at=truncate, reset_at=reset, repeat=repeat, stall=stall)

    def _hit(self, probability: float) -> bool:
        return probability > 0 and self.rng.random() < probability

    def choice(self, options: Sequence[_T]) -> _T:
        with self.lock:
            return self.rng.choice(options)


def retry_after_headers(decision: Decision, now: float) -> tuple[tuple[str, str], ...]:
    """The ``Retry-After`` header a throttled ``decision`` asks for, in its form
    (none, delta-seconds, or an HTTP-date ``retry_after`` seconds after ``now``)."""
    if decision.retry_after is None or decision.retry_after_form == "none":
        return ()
    if decision.retry_after_form == "http-date":
        return (("Retry-After", formatdate(now + decision.retry_after, usegmt=True)),)
    return (("Retry-After", str(decision.retry_after)),)


# --- the request log -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LoggedRequest:
    """One request a fake answered. ``path`` never includes the query string,
    which may carry personal search terms."""

    at: float
    """``time.monotonic()`` when the request arrived."""
    method: str
    path: str
    status: int
    fault: str | None = None
    """Which injected fault shaped the answer (``"429"``, ``"reset"``…), if any."""


class RequestLog:
    """Thread-safe append-only log of the requests a fake answered."""

    def __init__(self) -> None:
        self._entries: list[LoggedRequest] = []
        self._lock = threading.Lock()

    def record(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._entries.append(entry)

    def entries(self) -> list[LoggedRequest]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def max_in_window(self, seconds: float = 60.0, *, path_prefix: str = "") -> int:
        """The most requests (under ``path_prefix``) that arrived within any span of ``seconds``."""
        times = sorted(e.at for e in self.entries() if e.path.startswith(path_prefix))
        best, start = 0, 0
        for end, at in enumerate(times):
            while at - times[start] >= seconds:
                start += 1
            best = max(best, end - start + 1)
        return best


# --- the end of a fake's WSGI call ---------------------------------------------------

Header = tuple[str, str]


class Reply(Protocol):
    """What a fake answers a request with, before faults touch the body."""

    @property
    def status(self) -> int: ...
    @property
    def body(self) -> bytes: ...
    @property
    def content_type(self) -> str: ...
    @property
    def headers(self) -> tuple[Header, ...]: ...
    @property
    def fault(self) -> str | None:
        """The injected fault that shaped this reply (``"429"``, ``"5xx"``…), if any."""


def send(
    start_response: StartResponse,
    reply: Reply,
    decision: Decision,
    log: RequestLog,
    *,
    arrived: float,
    method: str,
    path: str,
    reasons: Mapping[int, str],
    json_only: bool = False,
    headers: Callable[[bytes], tuple[Sequence[Header], Sequence[Header]]] | None = None,
) -> Iterable[bytes]:
    """Finish a fake's WSGI call: apply ``decision``'s body fault, log, send the headers.

    A 200 is cut short (``truncate``) or reset part-way (``reset``); with
    ``json_only``, only a JSON 200. A stalled answer is logged as ``"stall"``
    unless another fault shaped it. The headers are Content-Type, Content-Length
    and X-Request-Id, then what ``headers(body)`` puts before the reply's own,
    the reply's, and what it puts after them.
    """
    body, fault, reset_at = reply.body, reply.fault, None
    if decision.stall and fault is None:
        fault = "stall"
    if reply.status == 200 and (not json_only or reply.content_type.startswith("application/json")):
        if decision.truncate_at is not None:
            body, fault = body[: int(len(body) * decision.truncate_at)], "truncate"
        elif decision.reset_at is not None:
            reset_at, fault = int(len(body) * decision.reset_at), "reset"
    log.record(LoggedRequest(arrived, method, path, reply.status, fault))
    before, after = headers(body) if headers is not None else ((), ())
    start_response(
        f"{reply.status} {reasons.get(reply.status, 'Unknown')}",
        [
            ("Content-Type", reply.content_type),
            ("Content-Length", str(len(body))),
            ("X-Request-Id", str(uuid.uuid4())),
            *before,
            *reply.headers,
            *after,
        ],
    )
    if reset_at is not None:
        return _reset_after(body, reset_at)
    return [body]


def _reset_after(body: bytes, cut: int) -> Iterator[bytes]:
    yield body[:cut]
    raise ConnectionReset("connection reset by the fake (fault: reset)")


def churn_orders(
    dataset: Dataset, dice: FaultDice, clock: Callable[[], float], changes: int
) -> None:
    """Create ``changes`` orders in ``dataset`` and move ``changes`` others on, at
    ``clock``'s now, drawing from the fake's seeded dice."""
    with dataset.lock, dice.lock:
        for _ in range(changes):
            dataset.mutate(dice.rng, int(clock()))

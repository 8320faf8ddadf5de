"""Faithful fakes of the shop platforms' APIs, for tests, benchmarks and ``kamei demo``.

Each fake is a plain WSGI app over a deterministic synthetic :class:`Dataset`;
use it in-process with ``httpx.WSGITransport(app=fake.app)`` or behind a real
loopback server with :func:`serve_in_thread`::

    fake = make_fake("colorme", orders=500, seed=1, faults="429=0.1,latency=20ms")
    with serve_in_thread(fake.app) as base_url:
        ...  # `kamei shop add` with fake.credential, pointed at base_url

Adding a platform: write ``connectors/fakes/<platform>.py`` with ``ORDER_ID_START``
and ``build(dataset, *, faults, seed, clock) -> FakePlatform``, and add one line
to ``_MODULES``.
"""

from __future__ import annotations

import datetime as dt
import importlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol
from wsgiref.types import StartResponse, WSGIEnvironment

from .faults import Faults, RequestLog
from .server import serve_forever, serve_in_thread
from .synthetic import Dataset, PersonPool, generate

__all__ = [
    "Dataset",
    "FakeApp",
    "FakePlatform",
    "Faults",
    "PersonPool",
    "RequestLog",
    "fake_platforms",
    "make_fake",
    "serve_forever",
    "serve_in_thread",
]

_MODULES = {
    "colorme": "connectors.fakes.colorme",
    "makeshop": "connectors.fakes.makeshop",
    "shopserve": "connectors.fakes.shopserve",
}


class FakeApp(Protocol):
    """What every platform fake offers besides being a WSGI app."""

    platform: str
    request_log: RequestLog
    faults: Faults
    """Assign a new :class:`Faults` to change the faults while the fake runs."""

    def __call__(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]: ...

    def churn(self, changes: int) -> None:
        """Create ``changes`` orders and update ``changes`` others, now."""
        ...

    def platform_order_ids(self) -> set[str]:
        """The order ids the fake holds now, spelled as the connector's ``platform_order_id``."""
        ...


@dataclass(frozen=True, slots=True)
class FakePlatform:
    """A running fake: its app, the credential kamei accepts, and its data.

    ``credential`` is the exact text ``kamei shop add --credential-stdin`` takes
    for this platform (Color Me: the 64-hex-digit access token).
    """

    platform: str
    app: FakeApp
    credential: str
    dataset: Dataset

    @property
    def request_log(self) -> RequestLog:
        return self.app.request_log

    @property
    def orders(self) -> int:
        """How many orders the fake serves now (churn adds to it)."""
        return len(self.dataset)

    def order_ids(self) -> set[str]:
        """The platform order ids the fake holds now."""
        return self.app.platform_order_ids()


def fake_platforms() -> list[str]:
    """Platforms with a fake."""
    return sorted(_MODULES)


def make_fake(
    platform: str,
    *,
    orders: int,
    seed: int = 0,
    faults: str | Faults = "",
    canary: bool = False,
    end: dt.datetime | None = None,
    persons: PersonPool | None = None,
    clock: Callable[[], float] | None = None,
    days: int = 730,
) -> FakePlatform:
    """A fake ``platform`` serving ``orders`` synthetic orders made in the ``days`` before ``end``.

    The same ``seed`` on two platforms gives them the same buyers (or pass one
    ``persons`` pool to both). ``clock`` is the fake's "now" in Unix seconds
    (default ``time.time``): it drives the 7-day default window and churn.
    """
    module_name = _MODULES.get(platform)
    if module_name is None:
        raise ValueError(f"no fake for platform {platform!r}; choose one of: {fake_platforms()}")
    module = importlib.import_module(module_name)
    parsed = Faults.parse(faults) if isinstance(faults, str) else faults
    dataset = generate(
        seed=seed,
        orders=orders,
        end=end,
        canary=canary,
        persons=persons,
        stream=platform,
        order_id_start=module.ORDER_ID_START,
        days=days,
    )
    fake: FakePlatform = module.build(dataset, faults=parsed, seed=seed, clock=clock or time.time)
    return fake

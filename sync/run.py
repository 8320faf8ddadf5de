"""One ``kamei sync``: every shop (or the named ones), each on its own.

A shop that fails (revoked token, platform down, …) stops with a one-line
reason in its run log; the others still sync. The store's sync lock keeps two
runs from interleaving. Under it, the forget list is loaded once and applied
to every shop (``sync.forget``), and a shop whose stored rows use another
pseudonym key version is refused until it is rebuilt (``sync.versions``).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from connectors import Connector, PlatformSpec, get_platform, make_client, timeout_for
from kamei.errors import KameiError
from store import RunStats, Shop, Store

from .engine import Progress, sync_shop
from .forget import load_suppression
from .pseudonymise import Pseudonymiser
from .versions import check_key_version
from .windows import SyncOptions

__all__ = ["ShopResult", "TransportFor", "open_connector", "sync_shops"]

TransportFor = Callable[[str], httpx.BaseTransport | None]
"""Gives the transport for a shop by name (tests and the demo use in-process fakes)."""


@dataclass(frozen=True, slots=True)
class ShopResult:
    shop: str
    platform: str
    stats: RunStats
    duration_s: float
    new_orders: int = 0
    """Orders the store did not hold before (``stats.orders_written`` counts re-reads too)."""

    @property
    def ok(self) -> bool:
        return self.stats.outcome == "ok"


@contextmanager
def open_connector(
    store: Store, shop: Shop, spec: PlatformSpec, transport: httpx.BaseTransport | None = None
) -> Iterator[Connector]:
    """The shop's connector over a client of its own: the credential from the keyring,
    the shop's base URL (else the platform's), the platform's read timeout. The
    client closes when the block ends (``kamei sync`` and ``kamei doctor``)."""
    credential = store.get_credential(shop.name)
    base_url = str(shop.settings.get("base_url") or spec.default_base_url)
    timeout = timeout_for(spec.read_timeout_s)
    with make_client(base_url, transport=transport, timeout=timeout) as client:
        yield spec.build(client, credential, {**shop.settings, "shop": shop.name})


def _lookback(settings: Mapping[str, Any], default: dt.timedelta) -> dt.timedelta:
    days = settings.get("lookback_days")
    return dt.timedelta(days=float(days)) if days is not None else default


def sync_shops(
    store: Store,
    names: Sequence[str] = (),
    *,
    options: SyncOptions | None = None,
    now: dt.datetime | None = None,
    transport_for: TransportFor | None = None,
    progress_for: Callable[[str], Progress | None] | None = None,
    wait_for_lock: bool = False,
) -> list[ShopResult]:
    """Sync the named shops (all when ``names`` is empty). Never raises for one shop's failure."""
    options = options or SyncOptions()
    shops = [store.get_shop(name) for name in names] if names else store.list_shops()
    version, key = store.pseudonym_key()
    keys = Pseudonymiser(key=key, version=version)
    results = []
    with store.sync_lock(wait=wait_for_lock):
        suppression = load_suppression(store)
        for shop in shops:
            store.mark_interrupted_runs(shop.id)
            stats = RunStats()
            before = store.count_orders(shop.id)
            run_id = store.start_run(shop.id)
            started = time.monotonic()
            try:
                check_key_version(store, shop, version)
                spec = get_platform(shop.platform)
                transport = transport_for(shop.name) if transport_for else None
                with open_connector(store, shop, spec, transport) as connector:
                    sync_shop(
                        store,
                        shop_id=shop.id,
                        shop=shop.name,
                        connector=connector,
                        keys=keys,
                        options=options,
                        default_lookback=_lookback(shop.settings, spec.default_lookback),
                        now=now,
                        progress=progress_for(shop.name) if progress_for else None,
                        stats=stats,
                        suppression=suppression,
                    )
            except KameiError as exc:
                stats.outcome, stats.error = "failed", str(exc)
            except BaseException:
                stats.outcome, stats.error = "interrupted", "interrupted"
                store.finish_run(run_id, stats, time.monotonic() - started)
                raise
            duration = time.monotonic() - started
            store.finish_run(run_id, stats, duration)
            new = store.count_orders(shop.id) - before
            results.append(ShopResult(shop.name, shop.platform, stats, duration, new))
    return results

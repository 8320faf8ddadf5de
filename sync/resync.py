"""``kamei key resync``: rebuild shops' history under the current pseudonym key.

Pseudonyms cannot be translated from one key version to the next: that would
need the e-mail addresses and phone numbers kamei never stores. The only way
to link old and new history is to read it again from the platform. For each
shop: its orders, lines and checkpoint are deleted in one transaction, then a
full sync reads its whole history under the current key. A crash in between
is harmless: the shop has no checkpoint, so the next ``kamei sync`` reads
everything too. History the platform no longer serves (ShopServe: two years)
cannot come back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from store import Store, clear_history

from .engine import Progress
from .run import ShopResult, TransportFor, sync_shops
from .versions import shops_to_rebuild
from .windows import SyncOptions

__all__ = ["resync_shops"]


def resync_shops(
    store: Store,
    names: Sequence[str] = (),
    *,
    transport_for: TransportFor | None = None,
    progress_for: Callable[[str], Progress | None] | None = None,
) -> list[ShopResult]:
    """Clear and fully re-sync the named shops, or every shop that needs it."""
    shops = [store.get_shop(n) for n in names] if names else shops_to_rebuild(store)
    if not shops:
        return []
    with store.sync_lock():
        for shop in shops:
            clear_history(store, shop.id)
    return sync_shops(
        store,
        [shop.name for shop in shops],
        options=SyncOptions(full=True),
        transport_for=transport_for,
        progress_for=progress_for,
    )

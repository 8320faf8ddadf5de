"""One pseudonym key version per shop: the sync refuses to mix them.

Order keys and buyer pseudonyms are HMACs under the current pseudonym key
version. After ``kamei key rotate-pseudonyms`` (or ``destroy-pseudonym-key``)
a sync would file orders it already holds under new order keys: every order in
the lookback would be stored twice, and one buyer would count as two. So a
shop whose stored rows carry another version than the current key is not
synced; ``kamei key resync`` (``sync.resync``) rebuilds its history first.
"""

from __future__ import annotations

from kamei.errors import SyncError
from kamei.i18n import t
from store import Shop, Store, shop_key_version

__all__ = ["check_key_version", "shops_to_rebuild"]


def check_key_version(store: Store, shop: Shop, current: int) -> None:
    """Raise ``SyncError`` if ``shop``'s stored rows use another pseudonym key version."""
    stored = shop_key_version(store, shop.id)
    if stored is not None and stored != current:
        raise SyncError(t("resync.mixed", shop=shop.name, stored=stored, current=current))


def shops_to_rebuild(store: Store) -> list[Shop]:
    """Shops whose stored rows use a pseudonym key version other than the current one."""
    current, _ = store.pseudonym_key()
    return [
        shop
        for shop in store.list_shops()
        if shop_key_version(store, shop.id) not in (None, current)
    ]

"""The privacy boundary and the incremental algorithm.

``sync.pseudonymise`` is the only place a connector's ``RawOrder`` becomes a
storable ``OrderRecord``; ``sync.engine`` fetches windows page by page and
commits each page with its checkpoint; ``sync.run`` syncs a set of shops.
``sync.scheduling`` (the nightly run) and ``sync.doctor`` (``kamei doctor``)
are namespaces of their own.
"""

from . import doctor, scheduling
from .engine import Progress, sync_shop
from .forget import Contact, Lookup, Suppression, contacts, forget_contacts, lookup
from .pseudonymise import Pseudonymiser, normalise_email, normalise_phone, to_record
from .resync import resync_shops
from .run import ShopResult, sync_shops
from .versions import shops_to_rebuild
from .windows import SyncOptions

__all__ = [
    "Contact",
    "Lookup",
    "Progress",
    "Pseudonymiser",
    "ShopResult",
    "Suppression",
    "SyncOptions",
    "contacts",
    "doctor",
    "forget_contacts",
    "lookup",
    "normalise_email",
    "normalise_phone",
    "resync_shops",
    "scheduling",
    "shops_to_rebuild",
    "sync_shop",
    "sync_shops",
    "to_record",
]

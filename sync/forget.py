"""Customer requests: ``kamei lookup`` and ``kamei forget``, and the suppression list.

Re-identification is one-way. Given an e-mail address or phone number the owner
already knows (the customer asked), :func:`pseudonyms` computes its pseudonym
with the sync's own normalisation, under every pseudonym key version the
keyring still holds; nothing maps a pseudonym back to a person.

Forgetting deletes that history and logs it (``store.forget``), and adds the
contact's *tag* to the suppression list: ``f_`` + HMAC-SHA256 of the normalised
contact under the suppression key (``store.keys``), a key of its own that is
never rotated or destroyed with the pseudonym keys. At the sync boundary,
:class:`Suppression` drops every order whose e-mail *or* phone has a forgotten
tag before it is pseudonymised, so no later sync, full re-sync or sync under a
new pseudonym key brings that buyer back. The engine counts the dropped orders
as ``suppressed`` (reconciliation counts them as present).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from connectors import RawBuyer, RawOrder
from kamei.errors import ConfigError, SecretMissing
from kamei.i18n import t
from store import (
    ForgetRequest,
    Forgotten,
    HistoryRow,
    Store,
    buyer_history,
    forget,
    forgotten_log,
    forgotten_tags,
    held_versions,
    make_suppression_key,
    suppression_key,
)

from .pseudonymise import Pseudonymiser, normalise_email, normalise_phone

__all__ = [
    "Contact",
    "Lookup",
    "Suppression",
    "contacts",
    "forget_contacts",
    "load_suppression",
    "lookup",
    "pseudonyms",
]

_TAG_HEX = 32


@dataclass(frozen=True, slots=True)
class Contact:
    """A normalised e-mail address or phone number. Memory only; ``repr`` hides it."""

    kind: Literal["email", "phone"]
    value: str = field(repr=False)


def contacts(emails: Sequence[str] = (), phones: Sequence[str] = ()) -> list[Contact]:
    """Normalise what the owner typed; refuse anything that is not an address or number.
    Messages never repeat the value."""
    found: list[Contact] = []
    for text in emails:
        email = normalise_email(text)
        if email is None:
            raise ConfigError(t("people.bad_email"))
        found.append(Contact("email", email))
    for text in phones:
        phone = normalise_phone(text)
        if phone is None:
            raise ConfigError(t("people.bad_phone"))
        found.append(Contact("phone", phone))
    if not found:
        raise ConfigError(t("people.no_contact"))
    return found


def _tag(key: bytes, kind: str, value: str) -> str:
    message = f"forget\x1f{kind}\x1f{value}".encode()
    return "f_" + hmac.new(key, message, hashlib.sha256).hexdigest()[:_TAG_HEX]


def _pseudonym(keys: Pseudonymiser, contact: Contact) -> str | None:
    return keys.email(contact.value) if contact.kind == "email" else keys.phone(contact.value)


def pseudonyms(store: Store, contact: Contact) -> tuple[str, tuple[str, ...]]:
    """``(current, all)``: the contact's pseudonym under the current key version, and
    under every version the keyring still holds."""
    every: list[str] = []
    current = ""
    current_version, _ = store.pseudonym_key()
    for version in held_versions(store.store_id):
        _, key = store.pseudonym_key(version)
        name = _pseudonym(Pseudonymiser(key=key, version=version), contact)
        if name is None:  # pragma: no cover - contacts() only makes valid contacts
            raise ConfigError(t("people.no_contact"))
        every.append(name)
        if version == current_version:
            current = name
    return current, tuple(every)


@dataclass(frozen=True, slots=True)
class Lookup:
    """What the store holds for some contacts: orders, and earlier deletions."""

    pseudonyms: tuple[str, ...]
    orders: list[HistoryRow]
    forgotten: list[Forgotten]


def lookup(store: Store, wanted: Sequence[Contact]) -> Lookup:
    names = tuple(dict.fromkeys(n for c in wanted for n in pseudonyms(store, c)[1]))
    key = suppression_key(store.store_id)
    tags = {_tag(key, c.kind, c.value) for c in wanted} if key is not None else set()
    earlier = forgotten_log(store, tags) if tags else []
    return Lookup(names, buyer_history(store, names), earlier)


def forget_contacts(store: Store, wanted: Sequence[Contact]) -> list[Forgotten]:
    """Delete the stored history of ``wanted`` and suppress it in later syncs.

    Holds the sync lock, so no sync that loaded the suppression list earlier can
    write these buyers' orders back after the deletion."""
    with store.sync_lock():
        key = make_suppression_key(store.store_id)
        requests = []
        for contact in wanted:
            current, every = pseudonyms(store, contact)
            requests.append(ForgetRequest(_tag(key, contact.kind, contact.value), current, every))
        return forget(store, requests)


@dataclass(frozen=True, slots=True)
class Suppression:
    """The suppression list as the sync boundary applies it. ``repr`` hides the key."""

    key: bytes | None = field(default=None, repr=False)
    tags: frozenset[str] = frozenset()

    def matches(self, buyer: RawBuyer) -> bool:
        if self.key is None or not self.tags:
            return False
        email = normalise_email(buyer.email)
        if email and _tag(self.key, "email", email) in self.tags:
            return True
        phone = normalise_phone(buyer.phone)
        return bool(phone) and _tag(self.key, "phone", phone or "") in self.tags

    def keep(self, orders: Sequence[RawOrder]) -> tuple[Sequence[RawOrder], int]:
        """The orders to store, and how many were dropped for a forgotten buyer."""
        if self.key is None or not self.tags:
            return orders, 0
        kept = [order for order in orders if not self.matches(order.buyer)]
        return kept, len(orders) - len(kept)


def load_suppression(store: Store) -> Suppression:
    """The store's suppression list; refuses to go on without the key of its tags."""
    tags = forgotten_tags(store)
    if not tags:
        return Suppression()
    key = suppression_key(store.store_id)
    if key is None:
        raise SecretMissing(t("forget.key_missing", store=store.store_id))
    return Suppression(key, tags)

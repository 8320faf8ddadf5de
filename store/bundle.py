"""A passphrase-protected bundle of a store's secrets, for moving to a new machine.

``kamei key export`` writes one; ``kamei key import`` reads it into the keyring
of another machine that holds a copy of the store (``kamei.db`` and
``kamei.json``). It holds the DB key, every pseudonym key version still kept,
the suppression key and each shop's platform credential.

Format (JSON, UTF-8)::

    {"format": "kamei-key-bundle", "version": 1, "store_id": "<32 hex>",
     "kdf": {"name": "scrypt", "n": 131072, "r": 8, "p": 1, "salt": "<base64>"},
     "cipher": "AES-256-GCM", "nonce": "<base64>", "ciphertext": "<base64>"}

The key is scrypt(passphrase) (N=2^17, r=8, p=1: about 128 MiB and a fraction
of a second, per OWASP's guidance); AES-256-GCM encrypts the secrets, with
everything above except the ciphertext as associated data, so the header
cannot be edited either. A wrong passphrase and a damaged file look alike.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from kamei.errors import ConfigError
from kamei.i18n import t

from . import secrets
from .keys import key_opens
from .paths import StorePaths, create_private_file, read_meta

__all__ = [
    "BUNDLE_FORMAT",
    "MIN_PASSPHRASE",
    "Imported",
    "credentials_of",
    "export_bundle",
    "import_bundle",
    "write_bundle",
]

BUNDLE_FORMAT = "kamei-key-bundle"
_VERSION = 1
MIN_PASSPHRASE = 12
SCRYPT_N = 2**17
_R, _P = 8, 1
_MAX_N = 2**20  # refuse bundles that ask for absurd work (a tampered header)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase.encode("utf-8"))


def _aad(header: Mapping[str, Any]) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")


def export_bundle(
    store_id: str, credentials: Mapping[str, Mapping[str, str]], passphrase: str
) -> bytes:
    """The encrypted bundle of ``store_id``'s keys and the given shops' credentials."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise ConfigError(t("bundle.passphrase_short", minimum=MIN_PASSPHRASE))
    payload = {
        "keys": json.loads(secrets.export_keys(store_id)),
        "credentials": {shop: dict(fields) for shop, fields in credentials.items()},
    }
    salt, nonce = os.urandom(16), os.urandom(12)
    header: dict[str, Any] = {
        "format": BUNDLE_FORMAT,
        "version": _VERSION,
        "store_id": store_id,
        "kdf": {"name": "scrypt", "n": SCRYPT_N, "r": _R, "p": _P, "salt": _b64(salt)},
        "cipher": "AES-256-GCM",
    }
    key = _derive(passphrase, salt, SCRYPT_N, _R, _P)
    sealed = AESGCM(key).encrypt(nonce, json.dumps(payload).encode("utf-8"), _aad(header))
    document = {**header, "nonce": _b64(nonce), "ciphertext": _b64(sealed)}
    return (json.dumps(document, indent=2, sort_keys=True) + "\n").encode("utf-8")


def write_bundle(path: Path, data: bytes) -> None:
    """Write a new bundle file, 0600; never over an existing file."""
    try:
        create_private_file(path, data)
    except FileExistsError:
        raise ConfigError(t("bundle.exists", path=path)) from None
    except FileNotFoundError:
        raise ConfigError(t("bundle.no_folder", folder=path.parent)) from None


@dataclass(frozen=True, slots=True)
class Imported:
    """What an import put into the keyring (names and counts only)."""

    store_id: str
    versions: tuple[int, ...]
    shops: tuple[str, ...]
    suppression_key: bool


def _open(data: bytes, passphrase: str) -> tuple[dict[str, Any], dict[str, Any]]:
    bad = ConfigError(t("bundle.not_a_bundle"))
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise bad from None
    if not isinstance(document, dict) or document.get("format") != BUNDLE_FORMAT:
        raise bad
    if document.get("version") != _VERSION:
        raise ConfigError(t("bundle.newer"))
    header = {k: v for k, v in document.items() if k not in ("nonce", "ciphertext")}
    kdf = header.get("kdf")
    try:
        if not isinstance(kdf, dict) or kdf.get("name") != "scrypt":
            raise ValueError("unknown kdf")
        n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
        if not (2 <= n <= _MAX_N and 1 <= r <= 32 and 1 <= p <= 16):
            raise ValueError("kdf cost out of range")
        salt, nonce = _unb64(kdf["salt"]), _unb64(document.get("nonce"))
        sealed = _unb64(document.get("ciphertext"))
    except (KeyError, TypeError, ValueError, binascii.Error):
        raise bad from None
    key = _derive(passphrase, salt, n, r, p)
    try:
        plain = AESGCM(key).decrypt(nonce, sealed, _aad(header))
    except (InvalidTag, ValueError):
        raise ConfigError(t("bundle.wrong_passphrase")) from None
    payload = json.loads(plain.decode("utf-8"))
    if not isinstance(payload, dict):
        raise bad
    return header, payload


def import_bundle(
    home: str | Path | None, data: bytes, passphrase: str, *, replace: bool = False
) -> Imported:
    """Put a bundle's secrets into this machine's keyring, for the store at ``home``.

    The store (``kamei.json``, and ``kamei.db`` if present) must be the copy the
    bundle was made for: a bundle of another store is refused, and so is one
    whose DB key does not open the file (a bundle older than the last
    ``rotate-db``). Nothing is written to the keyring before these checks pass.
    """
    paths = StorePaths.at(home)
    store_id = read_meta(paths.meta).store_id
    db_path = paths.db
    header, payload = _open(data, passphrase)
    if header.get("store_id") != store_id:
        raise ConfigError(t("bundle.other_store", bundle=header.get("store_id"), store=store_id))
    keys = payload.get("keys")
    credentials = payload.get("credentials")
    if not isinstance(keys, dict) or not isinstance(credentials, dict):
        raise ConfigError(t("bundle.not_a_bundle"))
    if db_path.exists():
        try:
            db_key = bytes.fromhex(str(keys.get("db_key", "")))
        except ValueError:
            raise ConfigError(t("bundle.not_a_bundle")) from None
        if len(db_key) != secrets.KEY_BYTES or not key_opens(db_path, db_key):
            raise ConfigError(t("bundle.stale", path=db_path))
    secrets.import_keys(store_id, json.dumps(keys), replace=replace)
    shops = _import_credentials(store_id, credentials)
    versions = tuple(sorted(int(v) for v in keys.get("pseudonym_keys", {})))
    return Imported(store_id, versions, shops, keys.get("suppression_key") is not None)


def _import_credentials(store_id: str, credentials: Mapping[str, Any]) -> tuple[str, ...]:
    names: list[str] = []
    for shop, fields in sorted(credentials.items()):
        if not isinstance(fields, dict):
            raise ConfigError(t("bundle.not_a_bundle"))
        secrets.set_credential(store_id, str(shop), fields)
        names.append(str(shop))
    return tuple(names)


def credentials_of(store_id: str, shops: Sequence[str]) -> dict[str, dict[str, str]]:
    """The credentials of those shops that have one (for :func:`export_bundle`)."""
    return {
        shop: secrets.get_credential(store_id, shop)
        for shop in shops
        if secrets.has_credential(store_id, shop)
    }

"""kamei's secrets in the OS keyring: the DB key, pseudonym keys, platform credentials.

Everything goes through the real ``keyring`` package, so ``PYTHON_KEYRING_BACKEND``
and ``keyringrc.cfg`` choose the backend as usual. Entries live under the service
name ``kamei``; the "username" of each entry is scoped by the store id from
``kamei.json``, so two stores on one machine never share a key::

    <store_id>:db-key                     64 hex chars: the SQLCipher key (256-bit)
    <store_id>:pseudonym-key:<n>          64 hex chars: pseudonym HMAC key version n
    <store_id>:pseudonym-key:current      "n": the version new pseudonyms use
    <store_id>:suppression-key            64 hex chars: HMAC key of `kamei forget`'s tags
    <store_id>:db-key:pending             a DB key being rotated in (``store.keys``)
    <store_id>:db-key:previous            the DB key being rotated out (``store.keys``)
    <store_id>:credential:<shop>          JSON object of str -> str (tokens etc.)

Rules: a backend that cannot keep secrets (keyring's ``fail`` or ``null``
backends, an empty chainer, priority <= 0) raises ``KeyringUnavailable``; a
plaintext file backend is used only when chosen explicitly (never as a silent
fallback); foreign keyring errors are translated here, once, and no message
ever carries a secret. Without a desktop session (cron, systemd) the backend
comes from the headless chain in ``store.secret_sources``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.compat import properties
from keyring.util import platform_

from kamei.errors import ConfigError, KameiError, KeyringUnavailable, SecretMissing
from kamei.i18n import t

from . import secret_sources

__all__ = [
    "KEY_BYTES",
    "SERVICE",
    "MemoryKeyring",
    "check_keyring",
    "create_store_keys",
    "db_key",
    "delete_credential",
    "delete_store_keys",
    "export_keys",
    "get_credential",
    "has_credential",
    "import_keys",
    "keyring_source",
    "pseudonym_key",
    "rotate_pseudonym_key",
    "set_credential",
    "use_memory_keyring",
]

SERVICE = "kamei"
KEY_BYTES = 32  # 256-bit keys for SQLCipher and for the pseudonym HMAC

_EXPORT_FORMAT = "kamei-keys"
_EXPORT_VERSION = 1


# Backends that write secrets in the clear. Allowed only when the user names them.
_PLAINTEXT_BACKENDS = frozenset({"keyrings.alt.file.PlaintextKeyring"})


# --- choosing and checking the backend ---------------------------------------------


class MemoryKeyring(KeyringBackend):
    """DEMO ONLY: a keyring backend that keeps secrets in this process's memory.

    Everything it holds is lost when the process exits, so a store created with
    it can never be opened again. It exists for ``kamei demo``, which builds a
    throw-away store against the fake platforms. It is never selected by
    keyring's auto-detection (its priority raises); only ``use_memory_keyring()``
    installs it.
    """

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._entries: dict[tuple[str, str], str] = {}

    # keyring asks every backend class for ``priority``; raising makes it "not viable",
    # so auto-detection can never pick a keyring that forgets everything at exit.
    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("MemoryKeyring is demo-only; install it with use_memory_keyring()")

    def get_password(self, service: str, username: str) -> str | None:
        return self._entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self._entries.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("no such entry")


def use_memory_keyring() -> MemoryKeyring:
    """Install a fresh ``MemoryKeyring`` as this process's backend (``kamei demo`` only)."""
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


_checked: KeyringBackend | None = None  # the backend instance last found usable


def check_keyring() -> str:
    """Return the usable backend's display name, or raise ``KeyringUnavailable``.

    The result is cached per backend instance: probing a chainer or a Secret
    Service can cost a D-Bus round trip, and it is asked before every secret.
    """
    global _checked
    backend = _current_backend()
    if backend is not _checked:
        problem = backend_problem(backend, explicit=_explicitly_chosen())
        if problem:
            raise KeyringUnavailable(
                t("secrets.unavailable", problem=problem, hint=t("secrets.hint"))
            )
        _checked = backend
    return _display_name(backend)


def backend_problem(backend: KeyringBackend, *, explicit: bool) -> str | None:
    """Why ``backend`` cannot hold kamei's secrets, or ``None`` if it can.

    ``explicit``: the user chose the backend (``PYTHON_KEYRING_BACKEND`` or
    ``keyringrc.cfg``); only then is a plaintext file backend acceptable.
    """
    if isinstance(backend, MemoryKeyring | secret_sources.EnvKeyring):
        return None
    if isinstance(backend, fail.Keyring | null.Keyring):
        return t("secrets.problem.none")
    writer = backend
    if isinstance(backend, chainer.ChainerBackend):
        backends = list(backend.backends)
        if not backends:
            return t("secrets.problem.none")
        writer = backends[0]  # the chainer writes to its first backend
    try:
        priority = float(writer.priority)
    except Exception:  # a backend reports "not viable here" by raising from priority
        return t("secrets.problem.cannot_run", name=_display_name(writer))
    if priority <= 0:
        return t("secrets.problem.cannot_keep", name=_display_name(writer))
    if _qualified_name(writer) in _PLAINTEXT_BACKENDS and not explicit:
        return t("secrets.problem.plaintext")
    return None


_resolved: secret_sources.Resolved | None = None  # the chain's last choice


def _current_backend() -> KeyringBackend:
    """The one place the backend is chosen: keyring's choice, then the headless chain
    of ``store.secret_sources`` (OS keyring, systemd credential, passphrase file,
    environment). A replacement is installed as keyring's backend and remembered."""
    global _resolved
    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # a misnamed PYTHON_KEYRING_BACKEND, a broken plugin
        raise KeyringUnavailable(
            t("secrets.backend_load", name=type(exc).__name__, hint=t("secrets.hint"))
        ) from exc
    if _resolved is not None and backend is _resolved.backend:
        return backend
    chosen = secret_sources.resolve(backend, explicit=_explicitly_chosen())
    if chosen.backend is not backend and not isinstance(chosen.backend, fail.Keyring):
        keyring.set_keyring(chosen.backend)
        _resolved = chosen
    return chosen.backend


def keyring_source() -> tuple[str, str]:
    """``(source, backend name)`` of the secrets in use, for ``kamei doctor``: source is
    one of os-keyring, explicit, systemd-credential, passphrase-file, environment."""
    backend = _current_backend()
    check_keyring()
    source = _resolved.source if _resolved is not None and backend is _resolved.backend else None
    if source is None:
        source = "explicit" if _explicitly_chosen() else "os-keyring"
    return source, _display_name(backend)


def _explicitly_chosen() -> bool:
    if os.environ.get("PYTHON_KEYRING_BACKEND", "").strip():
        return True
    config = Path(platform_.config_root()) / "keyringrc.cfg"
    return config.exists()


def _qualified_name(backend: KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _display_name(backend: KeyringBackend) -> str:
    return _qualified_name(backend)


@contextmanager
def _keyring_errors(action: str) -> Iterator[None]:
    """Translate whatever a backend raises into kamei's errors, once, here.

    Backends are plugins with their own exception types (secretstorage, D-Bus,
    OS errors), so anything that is not already a kamei error is translated;
    only its class name is kept, never its message, which could echo a value.
    """
    try:
        yield
    except KameiError:
        raise
    except keyring.errors.KeyringLocked as exc:
        raise KeyringUnavailable(t("secrets.locked", action=action)) from exc
    except (keyring.errors.NoKeyringError, keyring.errors.InitError) as exc:
        raise KeyringUnavailable(
            t("secrets.no_keyring", action=action, hint=t("secrets.hint"))
        ) from exc
    except Exception as exc:
        raise KeyringUnavailable(
            t("secrets.failed", action=action, name=type(exc).__name__)
        ) from exc


def _get(entry: str, action: str) -> str | None:
    check_keyring()
    with _keyring_errors(action):
        return keyring.get_password(SERVICE, entry)


def _set(entry: str, value: str, action: str) -> None:
    check_keyring()
    with _keyring_errors(action):
        keyring.set_password(SERVICE, entry, value)
    # Some backends accept a write and drop it (a read-only or misconfigured
    # collection); losing a freshly made DB key would lose the store.
    if _get(entry, action) != value:
        raise KeyringUnavailable(t("secrets.not_kept", action=action))


def _delete(entry: str, action: str) -> bool:
    if _get(entry, action) is None:
        return False
    with _keyring_errors(action):
        try:
            keyring.delete_password(SERVICE, entry)
        except keyring.errors.PasswordDeleteError:
            return False  # gone in between: the goal is reached
    return True


# --- entry names ----------------------------------------------------------------


def _db_entry(store_id: str) -> str:
    return f"{store_id}:db-key"


def _pseudonym_entry(store_id: str, version: int) -> str:
    return f"{store_id}:pseudonym-key:{version}"


def _current_entry(store_id: str) -> str:
    return f"{store_id}:pseudonym-key:current"


def _suppression_entry(store_id: str) -> str:
    return f"{store_id}:suppression-key"


def _credential_entry(store_id: str, shop: str) -> str:
    return f"{store_id}:credential:{shop}"


# --- store keys -----------------------------------------------------------------


def _new_key() -> str:
    return os.urandom(KEY_BYTES).hex()  # the OS CSPRNG, same source as secrets.token_bytes


def _parse_key(text: str, what: str) -> bytes:
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        raw = b""
    if len(raw) != KEY_BYTES:
        raise ConfigError(t("secrets.malformed", what=what))
    return raw


def create_store_keys(store_id: str) -> None:
    """Make a new random DB key and pseudonym key version 1 for ``store_id``.

    Refuses to replace an existing DB key: overwriting it would make the store
    it opens unreadable for good.
    """
    if _get(_db_entry(store_id), t("secrets.action.read_store_key")) is not None:
        raise ConfigError(t("secrets.db_key_exists", store=store_id))
    _set(_pseudonym_entry(store_id, 1), _new_key(), t("secrets.action.save_pseudonym_key"))
    _set(_current_entry(store_id), "1", t("secrets.action.save_pseudonym_key"))
    _set(
        _db_entry(store_id), _new_key(), t("secrets.action.save_store_key")
    )  # last: marks completion


def db_key(store_id: str) -> bytes:
    """The raw 32-byte SQLCipher key of ``store_id``."""
    text = _get(_db_entry(store_id), t("secrets.action.read_store_key"))
    if text is None:
        raise SecretMissing(t("secrets.no_db_key", store=store_id, backend=check_keyring()))
    return _parse_key(text, t("secrets.what.store_key"))


def pseudonym_key(store_id: str, version: int | None = None) -> tuple[int, bytes]:
    """``(version, key)``: the current pseudonym key, or the given version."""
    if version is None:
        current = _get(_current_entry(store_id), t("secrets.action.read_pseudonym_key"))
        if current is None or not current.isdigit():
            raise SecretMissing(t("secrets.no_pseudonym_key", store=store_id))
        version = int(current)
    text = _get(_pseudonym_entry(store_id, version), t("secrets.action.read_pseudonym_key"))
    if text is None:
        raise SecretMissing(t("secrets.no_pseudonym_version", version=version, store=store_id))
    return version, _parse_key(text, t("secrets.what.pseudonym_version", version=version))


def rotate_pseudonym_key(store_id: str) -> int:
    """Add a new pseudonym key version and make it current; old versions are kept."""
    current, _ = pseudonym_key(store_id)
    new = current + 1
    _set(_pseudonym_entry(store_id, new), _new_key(), t("secrets.action.save_pseudonym_key"))
    _set(_current_entry(store_id), str(new), t("secrets.action.save_pseudonym_key"))
    return new


def delete_store_keys(store_id: str, shops: tuple[str, ...] = ()) -> None:
    """Remove every key of ``store_id`` (and the named shops' credentials).

    Used when ``kamei init`` fails half-way and by tests; the store file is
    useless afterwards.
    """
    current = _get(_current_entry(store_id), t("secrets.action.read_pseudonym_key"))
    top = int(current) if current is not None and current.isdigit() else 1
    for version in range(1, top + 1):
        _delete(_pseudonym_entry(store_id, version), t("secrets.action.delete_pseudonym_key"))
    _delete(_current_entry(store_id), t("secrets.action.delete_pseudonym_key"))
    _delete(_suppression_entry(store_id), t("secrets.action.delete_suppression_key"))
    for leftover in ("pending", "previous"):
        _delete(f"{_db_entry(store_id)}:{leftover}", t("secrets.action.delete_store_key"))
    _delete(_db_entry(store_id), t("secrets.action.delete_store_key"))
    for shop in shops:
        delete_credential(store_id, shop)


def export_keys(store_id: str) -> str:
    """The store's keys as one JSON text, for ``kamei key export``. It is a secret.

    Pseudonym key versions destroyed with ``kamei key destroy-pseudonym-key`` are
    simply absent; the suppression key is ``null`` until ``kamei forget`` made one.
    """
    current, _ = pseudonym_key(store_id)
    pseudonym = {}
    for version in range(1, current + 1):
        text = _get(_pseudonym_entry(store_id, version), t("secrets.action.read_pseudonym_key"))
        if text is not None:
            pseudonym[str(version)] = _parse_key(
                text, t("secrets.what.pseudonym_version", version=version)
            ).hex()
    suppression = _get(_suppression_entry(store_id), t("secrets.action.read_suppression_key"))
    return json.dumps(
        {
            "format": _EXPORT_FORMAT,
            "version": _EXPORT_VERSION,
            "store_id": store_id,
            "db_key": db_key(store_id).hex(),
            "pseudonym_keys": pseudonym,
            "current_pseudonym_version": current,
            "suppression_key": (
                None if suppression is None else _parse_key(suppression, "suppression key").hex()
            ),
        },
        sort_keys=True,
    )


def import_keys(store_id: str, text: str, *, replace: bool = False) -> None:
    """Put keys from ``export_keys`` into the keyring for ``store_id``.

    The export names its store; importing another store's keys is refused, and
    so is replacing an existing DB key unless ``replace`` is given.
    """
    bad = ConfigError(t("secrets.not_an_export"))
    try:
        data = json.loads(text)
    except ValueError:
        raise bad from None  # never chain: the exception would carry the secret text
    if not isinstance(data, dict) or data.get("format") != _EXPORT_FORMAT:
        raise bad
    if data.get("version") != _EXPORT_VERSION:
        raise ConfigError(t("secrets.newer_export"))
    if data.get("store_id") != store_id:
        raise ConfigError(t("secrets.other_store", other=data.get("store_id"), store=store_id))
    current = data.get("current_pseudonym_version")
    keys = data.get("pseudonym_keys")
    if not isinstance(current, int) or not isinstance(keys, dict) or str(current) not in keys:
        raise bad
    db_hex = str(data.get("db_key", ""))
    _parse_key(db_hex, t("secrets.what.export_store_key"))
    for version_text, key_hex in keys.items():
        if not str(version_text).isdigit():
            raise bad
        _parse_key(str(key_hex), t("secrets.what.export_pseudonym_key"))
    suppression = data.get("suppression_key")  # absent in exports older than `kamei forget`
    if suppression is not None:
        _parse_key(str(suppression), t("secrets.what.export_suppression_key"))
    if not replace and _get(_db_entry(store_id), t("secrets.action.read_store_key")) not in (
        None,
        db_hex,
    ):
        raise ConfigError(t("secrets.different_key", store=store_id))
    for version_text, key_hex in sorted(keys.items()):
        _set(
            _pseudonym_entry(store_id, int(version_text)),
            str(key_hex),
            t("secrets.action.save_pseudonym_key"),
        )
    _set(_current_entry(store_id), str(current), t("secrets.action.save_pseudonym_key"))
    if suppression is not None:
        _set(
            _suppression_entry(store_id), str(suppression), t("secrets.action.save_suppression_key")
        )
    _set(_db_entry(store_id), db_hex, t("secrets.action.save_store_key"))


# --- platform credentials ---------------------------------------------------------


def set_credential(store_id: str, shop: str, fields: Mapping[str, str]) -> None:
    """Save a shop's platform credential (e.g. ``{"token": ...}``) in the keyring."""
    if not fields or not all(isinstance(k, str) and isinstance(v, str) for k, v in fields.items()):
        raise ConfigError(t("secrets.bad_credential_fields", shop=shop))
    _set(
        _credential_entry(store_id, shop),
        json.dumps(dict(fields), sort_keys=True),
        t("secrets.action.save_credential", shop=shop),
    )


def get_credential(store_id: str, shop: str) -> dict[str, str]:
    """A shop's platform credential; ``SecretMissing`` names ``kamei auth``."""
    text = _get(_credential_entry(store_id, shop), t("secrets.action.read_credential", shop=shop))
    if text is None:
        raise SecretMissing(t("secrets.no_credential", shop=shop))
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise ConfigError(t("secrets.malformed_credential", shop=shop))
    return data


def has_credential(store_id: str, shop: str) -> bool:
    entry = _credential_entry(store_id, shop)
    return _get(entry, t("secrets.action.read_credential", shop=shop)) is not None


def delete_credential(store_id: str, shop: str) -> bool:
    """Remove a shop's credential; ``False`` if there was none."""
    return _delete(
        _credential_entry(store_id, shop), t("secrets.action.delete_credential", shop=shop)
    )

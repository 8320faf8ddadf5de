"""Where kamei's secrets come from when no desktop session unlocks a keyring.

``store.secrets`` asks :func:`resolve` for the backend to use, once per keyring
backend instance. The chain, in order (``docs/scheduling.md`` explains each):

1. **The OS keyring**, as the ``keyring`` package picks it: macOS Keychain,
   Windows Credential Manager, a Secret Service. In automatic mode only OS
   keyrings count: file backends (``keyrings.alt``, ``keyrings.cryptfile``) are
   never picked silently, so nothing lands in a file by accident.
2. **A systemd credential** ``kamei-keyring-passphrase`` (``LoadCredential=`` or
   ``LoadCredentialEncrypted=`` in the unit ``kamei schedule install`` writes),
   read from ``$CREDENTIALS_DIRECTORY``: the passphrase of an encrypted file
   keyring (``keyrings.cryptfile``, the ``headless`` extra).
3. **A passphrase file** named by ``KAMEI_KEYRING_PASSPHRASE_FILE`` (mode 0600),
   unlocking the same encrypted file keyring.
4. **Environment variables**, only with ``KAMEI_ALLOW_ENV_SECRETS=1``: the text
   of a key export in ``KAMEI_KEYS`` and shop credentials as JSON in
   ``KAMEI_CREDENTIALS``. Read-only.

An explicit choice (``PYTHON_KEYRING_BACKEND`` or ``keyringrc.cfg``) is used as
given; when it names the encrypted file keyring, kamei unlocks it with the
passphrase from (2) or (3) and never prompts unless standard input is a
terminal. Messages name sources and paths, never a secret.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null
from keyring.compat import properties

from kamei.errors import KeyringUnavailable
from kamei.i18n import t

__all__ = [
    "CRYPTFILE_BACKEND",
    "ENV_ALLOW_ENV_SECRETS",
    "ENV_CREDENTIALS",
    "ENV_KEYS",
    "ENV_PASSPHRASE_FILE",
    "PASSPHRASE_CREDENTIAL",
    "EnvKeyring",
    "Passphrase",
    "Resolved",
    "find_passphrase",
    "is_cryptfile",
    "resolve",
]

PASSPHRASE_CREDENTIAL = "kamei-keyring-passphrase"
ENV_PASSPHRASE_FILE = "KAMEI_KEYRING_PASSPHRASE_FILE"
ENV_ALLOW_ENV_SECRETS = "KAMEI_ALLOW_ENV_SECRETS"
ENV_KEYS = "KAMEI_KEYS"
ENV_CREDENTIALS = "KAMEI_CREDENTIALS"
CRYPTFILE_BACKEND = "keyrings.cryptfile.cryptfile.CryptFileKeyring"

_FILE_BACKEND_MODULES = ("keyrings.alt.", "keyrings.cryptfile.")


@dataclass(frozen=True, slots=True)
class Passphrase:
    """The encrypted file keyring's passphrase and where it came from (for messages)."""

    source: str  # words for messages
    kind: str  # "systemd-credential" or "passphrase-file"
    value: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class Resolved:
    """The backend kamei will use and which link of the chain gave it."""

    backend: KeyringBackend
    source: str  # "os-keyring", "explicit", "systemd-credential", "passphrase-file", "environment"


def find_passphrase() -> Passphrase | None:
    """The passphrase from a systemd credential, else from the passphrase file, else None."""
    directory = os.environ.get("CREDENTIALS_DIRECTORY", "").strip()
    if directory:
        path = Path(directory) / PASSPHRASE_CREDENTIAL
        if path.is_file():
            return Passphrase(
                t("sources.systemd_credential", name=PASSPHRASE_CREDENTIAL),
                "systemd-credential",
                _read_secret_file(path),
            )
    named = os.environ.get(ENV_PASSPHRASE_FILE, "").strip()
    if not named:
        return None
    path = Path(named).expanduser()
    if not path.is_file():
        raise KeyringUnavailable(
            t("sources.not_a_file", variable=ENV_PASSPHRASE_FILE, path=path, hint=t("sources.hint"))
        )
    if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) & 0o077:
        raise KeyringUnavailable(t("sources.loose_file", path=path))
    source = t("sources.passphrase_file", path=path)
    return Passphrase(source, "passphrase-file", _read_secret_file(path))


def _read_secret_file(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyringUnavailable(
            t("sources.unreadable", path=path, name=type(exc).__name__)
        ) from None
    value = text.rstrip("\r\n")
    if not value.strip():
        raise KeyringUnavailable(t("sources.empty", path=path))
    return value


def is_cryptfile(backend: KeyringBackend) -> bool:
    """An encrypted file keyring from ``keyrings.cryptfile`` (which takes a passphrase)."""
    return type(backend).__module__.startswith("keyrings.cryptfile.") and hasattr(
        type(backend), "keyring_key"
    )


def _is_file_backend(backend: KeyringBackend) -> bool:
    return type(backend).__module__.startswith(_FILE_BACKEND_MODULES)


def _os_backend(backend: KeyringBackend) -> KeyringBackend | None:
    """The OS keyring in keyring's automatic choice, or None if it offers only files."""
    if isinstance(backend, fail.Keyring | null.Keyring):
        return None
    if isinstance(backend, chainer.ChainerBackend):
        usable = [b for b in backend.backends if not _is_file_backend(b)]
        return usable[0] if usable else None  # sorted by priority, highest first
    return None if _is_file_backend(backend) else backend


def resolve(backend: KeyringBackend, *, explicit: bool) -> Resolved:
    """Walk the chain for ``backend`` (keyring's own choice) and return what to use.

    Falls through to ``backend`` itself when no link applies, so the caller's
    checks report why it cannot be used.
    """
    if explicit:
        if is_cryptfile(backend):
            unlock_cryptfile(backend, find_passphrase())
        return Resolved(backend, "explicit")
    os_backend = _os_backend(backend)
    if os_backend is not None:
        return Resolved(os_backend, "os-keyring")
    passphrase = find_passphrase()
    if passphrase is not None:
        crypt = _new_cryptfile()
        unlock_cryptfile(crypt, passphrase)
        return Resolved(crypt, passphrase.kind)
    if os.environ.get(ENV_ALLOW_ENV_SECRETS, "") == "1":
        return Resolved(EnvKeyring(), "environment")
    if isinstance(backend, chainer.ChainerBackend) or _prompts(backend):
        # Files only, and no passphrase: using them would prompt or write a file
        # nobody chose. A lone plaintext backend is left for the caller to name.
        return Resolved(fail.Keyring(), "os-keyring")  # type: ignore[no-untyped-call]
    return Resolved(backend, "os-keyring")


def _prompts(backend: KeyringBackend) -> bool:
    """An encrypted file keyring, which asks for its passphrase on first use."""
    return _is_file_backend(backend) and hasattr(type(backend), "keyring_key")


def unlock_cryptfile(backend: KeyringBackend, passphrase: Passphrase | None) -> None:
    """Give an encrypted file keyring its passphrase; never let it prompt off a terminal."""
    crypt: Any = backend
    if crypt._keyring_key is not None:
        return
    path = crypt.file_path
    if passphrase is None:
        if sys.stdin is not None and sys.stdin.isatty():
            return  # interactive: keyrings.cryptfile asks for it itself
        raise KeyringUnavailable(
            t(
                "sources.needs_passphrase",
                path=path,
                variable=ENV_PASSPHRASE_FILE,
                hint=t("sources.hint"),
            )
        )
    try:
        crypt.keyring_key = passphrase.value
    except Exception:  # a wrong passphrase fails its MAC check (ValueError)
        raise KeyringUnavailable(
            t("sources.wrong_passphrase", source=passphrase.source, path=path)
        ) from None


def _new_cryptfile() -> KeyringBackend:
    try:
        from keyrings.cryptfile.cryptfile import CryptFileKeyring
    except ImportError:
        raise KeyringUnavailable(t("sources.no_cryptfile")) from None
    backend: KeyringBackend = CryptFileKeyring()
    return backend


class EnvKeyring(KeyringBackend):
    """Read-only secrets from the environment (``KAMEI_ALLOW_ENV_SECRETS=1`` only).

    ``KAMEI_KEYS`` holds the JSON text of a key export (store id, DB key,
    pseudonym keys); ``KAMEI_CREDENTIALS`` a JSON object of shop name to
    credential fields. Entries are answered under kamei's usual names, so
    ``store.secrets`` reads them like any keyring. Never auto-detected.
    """

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]

    @properties.classproperty
    def priority(cls) -> float:
        raise RuntimeError("EnvKeyring is chosen by KAMEI_ALLOW_ENV_SECRETS=1 only")

    def get_password(self, service: str, username: str) -> str | None:
        store_id, _, rest = username.partition(":")
        if rest.startswith("credential:"):
            fields = _env_json(ENV_CREDENTIALS).get(rest.removeprefix("credential:"))
            return json.dumps(fields, sort_keys=True) if isinstance(fields, dict) else None
        keys = _env_json(ENV_KEYS)
        if keys.get("store_id") != store_id:
            return None
        if rest == "db-key":
            return _text(keys.get("db_key"))
        if rest == "pseudonym-key:current":
            return _text(keys.get("current_pseudonym_version"))
        if rest == "suppression-key":  # `kamei forget`'s tags; null until a first forget
            return _text(keys.get("suppression_key"))
        if rest.startswith("pseudonym-key:"):
            versions = keys.get("pseudonym_keys")
            if isinstance(versions, dict):
                return _text(versions.get(rest.removeprefix("pseudonym-key:")))
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringUnavailable(
            t(
                "sources.env_read_only",
                allow=ENV_ALLOW_ENV_SECRETS,
                keys=ENV_KEYS,
                credentials=ENV_CREDENTIALS,
            )
        )

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.PasswordDeleteError("environment secrets are read-only")


def _env_json(name: str) -> dict[str, Any]:
    text = os.environ.get(name, "").strip()
    if not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise KeyringUnavailable(t("sources.not_json", name=name))
    return data


def _text(value: object) -> str | None:
    return None if value is None or isinstance(value, dict | list) else str(value)

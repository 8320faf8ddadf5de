"""Secrets without a desktop session: the chain in ``store.secret_sources``.

Order: the OS keyring, a systemd credential holding the passphrase of an encrypted
file keyring, a passphrase file, environment variables (only when enabled). Never
plaintext by accident, never a prompt off a terminal, never a secret in a message.
"""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import keyring.core
import pytest
from keyring.backends import chainer, fail
from keyrings.alt.file import PlaintextKeyring
from keyrings.cryptfile.cryptfile import CryptFileKeyring

from kamei.errors import KeyringUnavailable, SecretMissing
from store import CRYPTFILE_BACKEND, Store, keyring_source
from store import secrets as ks

STORE_ID = "0123456789abcdef0123456789abcdef"
PASSPHRASE = "correct horse battery staple"


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    # The real KDF costs about a second per secret; tests only need the same code path.
    monkeypatch.setattr(CryptFileKeyring, "time_cost", 1)
    monkeypatch.setattr(CryptFileKeyring, "memory_cost", 1024)


@pytest.fixture
def automatic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No PYTHON_KEYRING_BACKEND, no keyringrc.cfg, and no OS keyring: a cron job's lot."""
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    for name in ("CREDENTIALS_DIRECTORY", "KAMEI_KEYRING_PASSPHRASE_FILE", "KAMEI_KEYS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("KAMEI_ALLOW_ENV_SECRETS", raising=False)
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]


def _passphrase_file(tmp_path: Path, text: str = PASSPHRASE + "\n", mode: int = 0o600) -> Path:
    path = tmp_path / "secret" / "passphrase"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def _cryptfile_path(tmp_path: Path) -> Path:
    return tmp_path / "keyring" / "python_keyring" / "cryptfile_pass.cfg"


def test_a_passphrase_file_unlocks_an_encrypted_file_keyring_when_no_os_keyring_exists(
    automatic: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, home: Path
) -> None:
    monkeypatch.setenv("KAMEI_KEYRING_PASSPHRASE_FILE", str(_passphrase_file(tmp_path)))
    with Store.create(home) as st:
        store_id = st.store_id
        st.set_credential("main", {"access_token": "tok-SECRET-1"})
    assert keyring_source() == ("passphrase-file", CRYPTFILE_BACKEND)
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]  # a new process
    with Store.open(home) as st:
        assert st.get_credential("main") == {"access_token": "tok-SECRET-1"}
    stored = _cryptfile_path(tmp_path).read_bytes()
    assert b"tok-SECRET-1" not in stored and ks.db_key(store_id).hex().encode() not in stored
    assert _cryptfile_path(tmp_path).stat().st_mode & 0o777 == 0o600


def test_a_systemd_credential_comes_before_the_passphrase_file(
    automatic: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    credentials = tmp_path / "credentials"
    credentials.mkdir()
    (credentials / "kamei-keyring-passphrase").write_text(PASSPHRASE, encoding="utf-8")
    monkeypatch.setenv("CREDENTIALS_DIRECTORY", str(credentials))
    wrong = _passphrase_file(tmp_path, "not the passphrase")
    monkeypatch.setenv("KAMEI_KEYRING_PASSPHRASE_FILE", str(wrong))
    ks.create_store_keys(STORE_ID)
    assert keyring_source() == ("systemd-credential", CRYPTFILE_BACKEND)
    # The same file keyring opens with the same passphrase from a file.
    monkeypatch.delenv("CREDENTIALS_DIRECTORY")
    _passphrase_file(tmp_path)
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    assert len(ks.db_key(STORE_ID)) == 32
    assert keyring_source()[0] == "passphrase-file"


def test_a_wrong_passphrase_names_its_source_and_never_the_passphrase(
    automatic: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("KAMEI_KEYRING_PASSPHRASE_FILE", str(_passphrase_file(tmp_path)))
    ks.create_store_keys(STORE_ID)
    path = _passphrase_file(tmp_path, "guess-1234")
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    with pytest.raises(KeyringUnavailable) as caught:
        ks.db_key(STORE_ID)
    assert str(caught.value) == (
        f"the passphrase file {path} does not unlock the encrypted file keyring at "
        f"{_cryptfile_path(tmp_path)}; check the passphrase"
    )
    assert caught.value.__cause__ is None and caught.value.__context__ is not None


@pytest.mark.parametrize(
    ("text", "mode", "message"),
    [
        pytest.param(PASSPHRASE, 0o644, "is readable by other accounts; run `chmod 600", id="0644"),
        pytest.param("\n", 0o600, "is empty; write the passphrase in it", id="empty"),
    ],
)
def test_a_loose_or_empty_passphrase_file_is_refused(
    automatic: None,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    text: str,
    mode: int,
    message: str,
) -> None:
    monkeypatch.setenv("KAMEI_KEYRING_PASSPHRASE_FILE", str(_passphrase_file(tmp_path, text, mode)))
    with pytest.raises(KeyringUnavailable, match=message.replace("(", r"\(")):
        ks.db_key(STORE_ID)
    assert not _cryptfile_path(tmp_path).exists()


def test_a_missing_passphrase_file_says_what_to_do(
    automatic: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("KAMEI_KEYRING_PASSPHRASE_FILE", str(tmp_path / "nope"))
    with pytest.raises(KeyringUnavailable, match=r"which is not a file; create it \(mode 0600\)"):
        ks.db_key(STORE_ID)


def test_an_explicit_cryptfile_backend_never_prompts_off_a_terminal(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", CRYPTFILE_BACKEND)
    monkeypatch.delenv("KAMEI_KEYRING_PASSPHRASE_FILE", raising=False)
    monkeypatch.delenv("CREDENTIALS_DIRECTORY", raising=False)
    keyring.core.init_backend()
    with pytest.raises(KeyringUnavailable, match="set KAMEI_KEYRING_PASSPHRASE_FILE to its path"):
        ks.db_key(STORE_ID)
    monkeypatch.setenv("KAMEI_KEYRING_PASSPHRASE_FILE", str(_passphrase_file(tmp_path)))
    ks.create_store_keys(STORE_ID)
    assert keyring_source() == ("explicit", CRYPTFILE_BACKEND)
    assert _cryptfile_path(tmp_path).exists()


def test_environment_secrets_are_read_only_and_used_only_when_enabled(
    automatic: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = {
        "format": "kamei-keys",
        "version": 1,
        "store_id": STORE_ID,
        "db_key": "ab" * 32,
        "pseudonym_keys": {"1": "cd" * 32},
        "current_pseudonym_version": 1,
    }
    monkeypatch.setenv("KAMEI_KEYS", json.dumps(keys))
    monkeypatch.setenv("KAMEI_CREDENTIALS", json.dumps({"main": {"access_token": "t-1"}}))
    with pytest.raises(KeyringUnavailable, match="no usable OS keyring"):
        ks.db_key(STORE_ID)

    monkeypatch.setenv("KAMEI_ALLOW_ENV_SECRETS", "1")
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    assert ks.db_key(STORE_ID) == bytes.fromhex("ab" * 32)
    assert ks.pseudonym_key(STORE_ID) == (1, bytes.fromhex("cd" * 32))
    assert ks.get_credential(STORE_ID, "main") == {"access_token": "t-1"}
    assert keyring_source() == ("environment", "store.secret_sources.EnvKeyring")
    with pytest.raises(SecretMissing):
        ks.db_key("f" * 32)  # another store's key is not there
    with pytest.raises(KeyringUnavailable, match="are read-only; change KAMEI_KEYS"):
        ks.set_credential(STORE_ID, "main", {"access_token": "t-2"})


def test_automatic_mode_uses_the_os_keyring_and_never_a_chained_file_backend(
    automatic: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    class OsKeyring(ks.MemoryKeyring):
        """Stands in for a Secret Service: any backend that is not a file keyring."""

    os_keyring, plaintext = OsKeyring(), PlaintextKeyring()
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [plaintext, os_keyring])
    keyring.set_keyring(chainer.ChainerBackend())  # type: ignore[no-untyped-call]
    ks.set_credential(STORE_ID, "main", {"access_token": "t-1"})
    assert os_keyring.get_password("kamei", f"{STORE_ID}:credential:main") is not None
    assert plaintext.get_password("kamei", f"{STORE_ID}:credential:main") is None
    assert keyring_source() == ("os-keyring", f"{__name__}.{OsKeyring.__qualname__}")


def test_a_chain_of_file_backends_only_is_refused_without_a_passphrase(
    automatic: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(
        chainer.ChainerBackend, "backends", [CryptFileKeyring(), PlaintextKeyring()]
    )
    keyring.set_keyring(chainer.ChainerBackend())  # type: ignore[no-untyped-call]
    with pytest.raises(KeyringUnavailable, match="KAMEI_KEYRING_PASSPHRASE_FILE"):
        ks.create_store_keys(STORE_ID)
    assert not (tmp_path / "keyring").exists()  # nothing was written anywhere

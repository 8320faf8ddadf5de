"""Secrets in the keyring: the real ``keyring`` package with a file backend per test,
and (marked ``keyring``) the machine's default backend."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import keyring.backend
import keyring.core
import keyring.errors
import pytest
from keyring.backends import chainer, fail, null

from kamei.errors import ConfigError, KeyringUnavailable, SecretMissing
from store import Store
from store import secrets as ks

STORE_ID = "0123456789abcdef0123456789abcdef"
OTHER_ID = "fedcba9876543210fedcba9876543210"


def _select_backend(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", name)
    keyring.core.init_backend()


# --- keys ------------------------------------------------------------------------


def test_store_keys_are_random_256_bit_and_distinct() -> None:
    ks.create_store_keys(STORE_ID)
    ks.create_store_keys(OTHER_ID)
    db = ks.db_key(STORE_ID)
    version, pseudonym = ks.pseudonym_key(STORE_ID)
    assert len(db) == len(pseudonym) == 32 and version == 1
    assert len({db, pseudonym, ks.db_key(OTHER_ID), ks.pseudonym_key(OTHER_ID)[1]}) == 4


def test_keyring_entries_are_named_by_store_id_under_the_kamei_service() -> None:
    ks.create_store_keys(STORE_ID)
    ks.set_credential(STORE_ID, "main", {"token": "t0k"})
    assert keyring.get_password("kamei", f"{STORE_ID}:db-key") == ks.db_key(STORE_ID).hex()
    assert keyring.get_password("kamei", f"{STORE_ID}:pseudonym-key:current") == "1"
    assert (
        keyring.get_password("kamei", f"{STORE_ID}:pseudonym-key:1")
        == ks.pseudonym_key(STORE_ID)[1].hex()
    )
    assert json.loads(keyring.get_password("kamei", f"{STORE_ID}:credential:main") or "") == {
        "token": "t0k"
    }


def test_creating_keys_for_a_store_that_has_them_is_refused() -> None:
    ks.create_store_keys(STORE_ID)
    key = ks.db_key(STORE_ID)
    with pytest.raises(ConfigError, match="will not overwrite"):
        ks.create_store_keys(STORE_ID)
    assert ks.db_key(STORE_ID) == key


def test_a_missing_db_key_is_SecretMissing_naming_key_import_and_init() -> None:
    with pytest.raises(SecretMissing, match=r"kamei key import.*kamei init"):
        ks.db_key(STORE_ID)


def test_a_malformed_key_in_the_keyring_is_a_ConfigError_that_shows_no_value() -> None:
    keyring.set_password("kamei", f"{STORE_ID}:db-key", "zz-not-hex-secretish")
    with pytest.raises(ConfigError, match="malformed") as caught:
        ks.db_key(STORE_ID)
    assert "secretish" not in str(caught.value)


def test_rotating_the_pseudonym_key_adds_a_version_and_keeps_the_old_one() -> None:
    ks.create_store_keys(STORE_ID)
    _, first = ks.pseudonym_key(STORE_ID)
    assert ks.rotate_pseudonym_key(STORE_ID) == 2
    version, second = ks.pseudonym_key(STORE_ID)
    assert version == 2 and second != first
    assert ks.pseudonym_key(STORE_ID, 1) == (1, first)
    with pytest.raises(SecretMissing, match="version 3"):
        ks.pseudonym_key(STORE_ID, 3)


def test_keys_export_and_import_restore_a_store_on_a_fresh_keyring(home: Path) -> None:
    with Store.create(home) as st:
        st.add_shop("main", "colorme")
        store_id = st.store_id
    ks.rotate_pseudonym_key(store_id)
    exported = ks.export_keys(store_id)
    ks.delete_store_keys(store_id)
    with pytest.raises(SecretMissing):
        Store.open(home)

    ks.import_keys(store_id, exported)

    with Store.open(home) as st:
        assert [s.name for s in st.list_shops()] == ["main"]
        assert st.pseudonym_key()[0] == 2


def test_importing_another_stores_keys_or_garbage_is_refused_without_echoing_it() -> None:
    ks.create_store_keys(STORE_ID)
    exported = ks.export_keys(STORE_ID)
    with pytest.raises(ConfigError, match="belong to store"):
        ks.import_keys(OTHER_ID, exported)
    with pytest.raises(ConfigError, match="not a kamei key export") as caught:
        ks.import_keys(OTHER_ID, "secret-garbage {")
    assert "secret-garbage" not in str(caught.value) and caught.value.__cause__ is None
    ks.create_store_keys(OTHER_ID)
    other_export = json.loads(ks.export_keys(OTHER_ID))
    other_export["db_key"] = ks.db_key(STORE_ID).hex()
    with pytest.raises(ConfigError, match="--replace"):
        ks.import_keys(OTHER_ID, json.dumps(other_export))


# --- credentials -------------------------------------------------------------------


def test_credentials_round_trip_per_store_and_shop() -> None:
    ks.set_credential(STORE_ID, "main", {"token": "abc", "shop_id": "PA01"})
    ks.set_credential(STORE_ID, "annex", {"token": "xyz"})
    assert ks.get_credential(STORE_ID, "main") == {"token": "abc", "shop_id": "PA01"}
    assert ks.get_credential(STORE_ID, "annex") == {"token": "xyz"}
    assert not ks.has_credential(OTHER_ID, "main")
    assert ks.delete_credential(STORE_ID, "main") is True
    assert ks.delete_credential(STORE_ID, "main") is False
    with pytest.raises(SecretMissing, match="kamei auth main"):
        ks.get_credential(STORE_ID, "main")


def test_a_credential_must_be_named_text_fields() -> None:
    with pytest.raises(ConfigError, match="named text fields"):
        ks.set_credential(STORE_ID, "main", {"token": 123})  # type: ignore[dict-item]
    with pytest.raises(ConfigError, match="named text fields"):
        ks.set_credential(STORE_ID, "main", {})


# --- unusable backends -----------------------------------------------------------


def test_the_fail_backend_is_KeyringUnavailable_naming_the_ways_out(
    monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    _select_backend(monkeypatch, "keyring.backends.fail.Keyring")
    with pytest.raises(KeyringUnavailable) as caught:
        Store.create(home)
    message = str(caught.value)
    assert "\n" not in message
    for hint in ("gnome-keyring", "PYTHON_KEYRING_BACKEND", "keyrings.cryptfile", "kamei doctor"):
        assert hint in message
    assert not home.exists()  # refused before anything was written


@pytest.mark.parametrize(
    "backend",
    [
        pytest.param("keyring.backends.null.Keyring", id="null"),
        pytest.param("no.such.module.Keyring", id="unloadable"),
    ],
)
def test_other_unusable_backends_are_KeyringUnavailable(
    monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", backend)
    if backend.startswith("keyring."):
        keyring.core.init_backend()
    else:
        monkeypatch.setattr(keyring.core, "_keyring_backend", None)  # load lazily, and fail
    with pytest.raises(KeyringUnavailable, match="kamei doctor"):
        ks.db_key(STORE_ID)


def test_the_backend_rules_reject_empty_chainers_and_low_priority(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [], raising=False)
    assert ks.backend_problem(chainer.ChainerBackend(), explicit=True)  # type: ignore[no-untyped-call]
    assert ks.backend_problem(fail.Keyring(), explicit=True)  # type: ignore[no-untyped-call]
    assert ks.backend_problem(null.Keyring(), explicit=True)  # type: ignore[no-untyped-call]
    assert ks.backend_problem(ks.MemoryKeyring(), explicit=False) is None


def test_a_plaintext_file_backend_is_used_only_when_chosen_explicitly(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from keyrings.alt.file import PlaintextKeyring

    assert ks.backend_problem(PlaintextKeyring(), explicit=True) is None
    assert "plaintext" in (ks.backend_problem(PlaintextKeyring(), explicit=False) or "")

    # Auto-detected (no PYTHON_KEYRING_BACKEND, no keyringrc.cfg): refused.
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    keyring.set_keyring(PlaintextKeyring())
    with pytest.raises(KeyringUnavailable, match="plaintext file"):
        ks.create_store_keys(STORE_ID)
    assert ks.backend_problem(keyring.get_keyring(), explicit=False)


@pytest.mark.parametrize(
    "error",
    [
        keyring.errors.KeyringLocked("s3cr3t"),
        keyring.errors.NoKeyringError("s3cr3t"),
        keyring.errors.InitError("s3cr3t"),
        keyring.errors.PasswordSetError("s3cr3t"),
        keyring.errors.KeyringError("s3cr3t"),
        OSError("s3cr3t"),
        RuntimeError("s3cr3t"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_every_backend_error_becomes_KeyringUnavailable_without_its_message(
    error: Exception,
) -> None:
    class Broken(ks.MemoryKeyring):
        def get_password(self, service: str, username: str) -> str | None:
            raise error

    keyring.set_keyring(Broken())
    with pytest.raises(KeyringUnavailable) as caught:
        ks.db_key(STORE_ID)
    assert caught.value.__cause__ is error
    assert "s3cr3t" not in str(caught.value) and "\n" not in str(caught.value)
    if isinstance(error, keyring.errors.KeyringLocked):
        assert "locked" in str(caught.value)


def test_a_backend_that_drops_writes_is_caught_before_a_store_depends_on_it() -> None:
    class Forgetful(ks.MemoryKeyring):
        def set_password(self, service: str, username: str, password: str) -> None:
            return None

    keyring.set_keyring(Forgetful())
    with pytest.raises(KeyringUnavailable, match="did not keep"):
        ks.create_store_keys(STORE_ID)


# --- the demo keyring ----------------------------------------------------------------


def test_the_memory_keyring_holds_a_demo_store_and_writes_no_keyring_file(
    home: Path, tmp_path: Path
) -> None:
    backend = ks.use_memory_keyring()
    assert keyring.get_keyring() is backend
    with Store.create(home) as st:
        st.add_shop("demo", "colorme")
    with Store.open(home) as st:
        assert [s.name for s in st.list_shops()] == ["demo"]
    assert not (tmp_path / "keyring").exists()
    ks.use_memory_keyring()  # a new process, in effect: the keys are gone
    with pytest.raises(SecretMissing):
        Store.open(home)


def test_the_memory_keyring_is_never_picked_by_auto_detection() -> None:
    viable = list(keyring.backend.KeyringBackend.get_viable_backends())
    assert ks.MemoryKeyring not in viable
    assert all(not isinstance(b, ks.MemoryKeyring) for b in keyring.backend.get_all_keyring())


# --- the real default keyring (a Secret Service in CI) ----------------------------------


@pytest.mark.keyring
def test_the_default_keyring_round_trips_keys_and_credentials() -> None:
    store_id = "feedfacefeedfacefeedfacefeedface"
    try:
        ks.create_store_keys(store_id)
        ks.set_credential(store_id, "main", {"token": "abc"})
        assert len(ks.db_key(store_id)) == 32
        assert ks.get_credential(store_id, "main") == {"token": "abc"}
    finally:
        ks.delete_store_keys(store_id, shops=("main",))
    with pytest.raises(SecretMissing):
        ks.db_key(store_id)


@pytest.mark.keyring
def test_a_store_created_with_the_default_keyring_reopens(home: Path) -> None:
    with Store.create(home) as st:
        store_id = st.store_id
        st.add_shop("main", "colorme")
    try:
        with Store.open(home) as st:
            assert [s.name for s in st.list_shops()] == ["main"]
    finally:
        ks.delete_store_keys(store_id)

"""The kamei home: where it is, and that everything in it is private whatever the umask."""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import platformdirs
import pytest

from kamei.errors import StoreCorrupt, StoreExists, StoreMissing
from store import Checkpoint, OrderRecord, Store
from store.paths import (
    StoreMeta,
    StorePaths,
    create_private_file,
    ensure_private_dir,
    read_meta,
    resolve_home,
    write_meta,
)

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The loosest umask: every private mode must come from kamei, not from the umask."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def test_the_home_is_the_explicit_path_then_KAMEI_HOME_then_the_user_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KAMEI_HOME", str(tmp_path / "from-env"))
    assert resolve_home(tmp_path / "explicit") == tmp_path / "explicit"
    assert resolve_home() == tmp_path / "from-env"
    monkeypatch.delenv("KAMEI_HOME")
    assert resolve_home() == Path(platformdirs.user_data_dir("kamei", appauthor=False))


def test_the_home_names_its_files() -> None:
    paths = StorePaths(Path("/h"))
    assert (paths.db.name, paths.meta.name, paths.lock.name) == (
        "kamei.db",
        "kamei.json",
        "sync.lock",
    )
    assert (paths.wal.name, paths.shm.name) == ("kamei.db-wal", "kamei.db-shm")


@posix_only
def test_a_store_home_and_all_its_files_are_private_even_under_umask_000(
    home: Path, open_umask: None
) -> None:
    with Store.create(home / "nested" / "deeper") as st:
        shop = st.add_shop("main", "colorme")
        order = OrderRecord(
            order_key="k1", platform="colorme", ordered_at=1, updated_at=2, status="paid", buyer="b"
        )
        st.commit_page(shop.id, [order], Checkpoint(watermark=1))
        with st.sync_lock():
            paths = st.paths
            assert paths.wal.exists() and paths.shm.exists()  # WAL mode, connection open
            for file in (paths.db, paths.wal, paths.shm, paths.meta, paths.lock):
                assert _mode(file) == 0o600, file.name
    for directory in (home, home / "nested", home / "nested" / "deeper"):
        assert _mode(directory) == 0o700, directory


@posix_only
def test_an_existing_home_directory_keeps_its_mode(home: Path, open_umask: None) -> None:
    home.mkdir(mode=0o750)
    os.chmod(home, 0o750)
    ensure_private_dir(home)
    assert _mode(home) == 0o750


@posix_only
def test_private_files_are_created_0600_and_never_overwritten(
    tmp_path: Path, open_umask: None
) -> None:
    target = tmp_path / "f"
    create_private_file(target, b"one")
    assert _mode(target) == 0o600 and target.read_bytes() == b"one"
    with pytest.raises(FileExistsError):
        create_private_file(target, b"two")
    assert target.read_bytes() == b"one"


def test_kamei_json_holds_a_random_store_id_and_the_format_version(home: Path) -> None:
    with Store.create(home) as st:
        data = json.loads((home / "kamei.json").read_text())
        assert data == {"store_id": st.store_id, "format_version": 1}
    assert len(data["store_id"]) == 32 and int(data["store_id"], 16) >= 0
    assert StoreMeta.new().store_id != StoreMeta.new().store_id


def test_a_missing_kamei_json_is_StoreMissing_and_a_damaged_one_StoreCorrupt(
    tmp_path: Path,
) -> None:
    meta = tmp_path / "kamei.json"
    with pytest.raises(StoreMissing, match="restore it"):
        read_meta(meta)
    for damaged in ("{", '{"store_id": "../../etc", "format_version": 1}', "[]"):
        meta.write_text(damaged)
        with pytest.raises(StoreCorrupt, match="damaged"):
            read_meta(meta)
    meta.write_text(json.dumps({"store_id": "a" * 32, "format_version": 9}))
    with pytest.raises(StoreCorrupt, match="upgrade kamei"):
        read_meta(meta)
    write_meta(meta, StoreMeta(store_id="b" * 32))
    assert read_meta(meta) == StoreMeta(store_id="b" * 32)


def test_a_store_without_its_kamei_json_cannot_find_its_keys(home: Path) -> None:
    with Store.create(home):
        pass
    (home / "kamei.json").unlink()
    with pytest.raises(StoreMissing, match=r"kamei\.json"):
        Store.open(home)
    with pytest.raises(StoreExists, match="already exists"):
        Store.create(home)  # the encrypted file is still there: never overwritten

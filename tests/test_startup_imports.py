"""Start-up stays cheap: the command line loads a heavy library only for a command that uses it.

``kamei --help`` and ``kamei status`` must start in < 250 ms (``bench/startup.py``
measures it; tests never time anything). What makes that possible is that
``import cli.app`` loads none of SQLAlchemy, SQLCipher, httpx, rich, openpyxl,
graphql-core, cryptography or keyring: commands import what they need when they
run, and ``store``, ``connectors`` and ``cli.output`` load their submodules on
first use. Each probe runs in a fresh interpreter (this one has imported
everything long ago) and lists the top-level packages it ended up with, so a
module-level import of a heavy library anywhere on the way fails here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from store import Store

HEAVY = frozenset(
    {
        "cryptography",
        "graphql",
        "httpx",
        "keyring",
        "openpyxl",
        "rich",
        "sqlalchemy",
        "sqlcipher3",
        "tenacity",
    }
)

_PROBE = """
import json, sys
out, args = sys.argv[1], sys.argv[2:]
sys.argv = ["kamei", *args]
from cli.app import main
if args:
    try:
        main()
    except SystemExit:
        pass
with open(out, "w") as fh:
    json.dump(sorted({name.partition(".")[0] for name in sys.modules}), fh)
"""


def loaded(tmp_path: Path, *args: str) -> set[str]:
    """The heavy packages a fresh ``kamei *args`` process has imported when it ends
    (with no ``args``: after ``import cli.app`` alone)."""
    out = tmp_path / "modules.json"
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(out), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.exists(), done.stderr
    return set(json.loads(out.read_text())) & HEAVY


def test_import_cli_app_loads_no_heavy_library(tmp_path: Path) -> None:
    assert loaded(tmp_path) == set()


@pytest.mark.parametrize(
    "command",
    [
        "",
        "init",
        "shop",
        "auth",
        "sync",
        "status",
        "schedule",
        "doctor",
        "report",
        "report sales",
        "sql",
        "fake",
        "demo",
        "key",
        "lookup",
        "forget",
        "appi",
    ],
)
def test_help_loads_only_rich(tmp_path: Path, command: str) -> None:
    # typer renders help with rich; nothing else is needed to print it.
    assert loaded(tmp_path, *command.split(), "--help") == {"rich"}


def test_version_loads_no_heavy_library(tmp_path: Path) -> None:
    assert loaded(tmp_path, "--version") == set()


def test_status_loads_the_store_and_nothing_for_syncing_or_files(
    tmp_path: Path, store: Store
) -> None:
    store.add_shop("main", "colorme")
    store.close()
    modules = loaded(tmp_path, "status")
    assert {"sqlalchemy", "sqlcipher3", "keyring"} <= modules  # it did open the store
    assert modules.isdisjoint({"httpx", "tenacity", "openpyxl", "graphql", "cryptography"})

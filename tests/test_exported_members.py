"""Each package names its public surface in ``__all__``, and other packages use only that.

To cover another package, add it to ``PUBLIC_MODULES`` with the modules other
packages may import from (normally just the package itself).
"""

from __future__ import annotations

import ast
import importlib
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PACKAGES = ("kamei", "connectors", "sync", "store", "cli")

PUBLIC_MODULES: dict[str, tuple[str, ...]] = {
    # colorme_oauth is the surface of `kamei auth colorme`, kept as its own namespace so
    # its names (authorize_url, exchange_code) never read as platform-neutral.
    # fakes serve tests, benchmarks and `kamei demo`; they are public by design.
    "connectors": ("connectors", "connectors.colorme_oauth", "connectors.fakes"),
    # The error tree is imported by every layer; it is a module of its own by design.
    # kamei.i18n (messages in English and Japanese) is used by every layer too.
    "kamei": ("kamei", "kamei.errors", "kamei.i18n"),
    # store.reports is the reports' own namespace (one module per report).
    "store": ("store", "store.reports"),
    # scheduling (the nightly job) and doctor are namespaces of their own, used by cli.
    "sync": ("sync", "sync.doctor", "sync.scheduling"),
}

# Imports that bypass a package's __all__ in code owned by someone else, waiting for
# the owner to switch to the package-level name. Entries are "file: module.name"; delete
# an entry once it is fixed (a stale entry does not fail the test, so an owner fixing
# their import is never blocked on this file). Nothing may be added here but debt.
PENDING: frozenset[str] = frozenset()


def public_modules() -> list[str]:
    return [module for modules in PUBLIC_MODULES.values() for module in modules]


@pytest.mark.parametrize("name", public_modules())
def test_public_module_lists_only_names_that_exist(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    assert isinstance(exported, list), f"{name} needs an __all__ list"
    assert len(exported) == len(set(exported)), f"{name}.__all__ has duplicates"
    missing = [member for member in exported if not hasattr(module, member)]
    assert missing == [], f"{name}.__all__ names what it does not define: {missing}"


@pytest.mark.parametrize("name", public_modules())
def test_public_module_exports_everything_public_it_holds(name: str) -> None:
    # As in httpx: a public-looking name in the namespace is either exported or renamed
    # with a leading underscore. Submodules bound by imports are not members.
    module = importlib.import_module(name)
    exported = set(module.__all__)
    unlisted = sorted(
        member
        for member, value in vars(module).items()
        if not member.startswith("_")
        and member not in exported
        and not isinstance(value, types.ModuleType)
        and member != "annotations"  # from __future__ import annotations
        and getattr(value, "__module__", name) in (name, None)
    )
    assert unlisted == [], f"{name} holds public names missing from __all__: {unlisted}"


def _source_files() -> list[Path]:
    files: list[Path] = []
    for package in PROJECT_PACKAGES:
        if (ROOT / package).is_dir():
            files.extend(sorted((ROOT / package).rglob("*.py")))
    return files


def _violations(path: Path) -> list[str]:
    """Imports in ``path`` that reach into a covered package past its public surface."""
    rel = path.relative_to(ROOT)
    return _violations_in(path.read_text(encoding="utf-8"), rel.parts[0], rel.as_posix())


def _violations_in(source: str, own: str, rel: str) -> list[str]:
    found: list[str] = []
    for node in ast.walk(ast.parse(source, filename=rel)):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            root = node.module.split(".")[0]
            if root == own or root not in PUBLIC_MODULES:
                continue
            if node.module not in PUBLIC_MODULES[root]:
                found += [f"{rel}: {node.module}.{alias.name}" for alias in node.names]
                continue
            exported = importlib.import_module(node.module).__all__
            found += [
                f"{rel}: {node.module}.{alias.name}"
                for alias in node.names
                if alias.name not in exported
            ]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                root = alias.name.split(".")[0]
                covered = root != own and root in PUBLIC_MODULES
                if covered and alias.name not in PUBLIC_MODULES[root]:
                    found.append(f"{rel}: {alias.name}")
    return found


def test_no_package_imports_another_past_its_all() -> None:
    found = {v for path in _source_files() for v in _violations(path)}
    new = sorted(found - PENDING)
    assert new == [], (
        "import these from the package itself (add the name to its __all__ if it is "
        f"meant to be public): {new}"
    )


def test_the_checker_catches_a_deep_import() -> None:
    source = (
        "from connectors.types import Window\n"
        "from connectors import Window as W, colorme_oauth\n"
        "from connectors import not_a_public_name\n"
        "import connectors.http\n"
        "from kamei.errors import ConfigError\n"
        "from sync.engine import sync_shop\n"  # own package: not checked
    )
    assert sorted(_violations_in(source, "sync", "sync/probe.py")) == [
        "sync/probe.py: connectors.http",
        "sync/probe.py: connectors.not_a_public_name",
        "sync/probe.py: connectors.types.Window",
    ]

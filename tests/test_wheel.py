"""The built wheel installs on its own and every module imports from it.

The top-level package names are generic (connectors, sync, store, cli), so the
wheel must carry all of them (and their package data), and nothing may import
from the source tree by accident.
"""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("kamei", "connectors", "sync", "store", "cli")

pytestmark = pytest.mark.slow


def test_every_module_imports_from_the_installed_wheel(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
         "-w", str(dist), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    (wheel,) = dist.glob("kamei-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    modules = sorted(
        name[:-3].replace("/", ".").removesuffix(".__init__")
        for name in names
        if name.endswith(".py") and name.split("/")[0] in PACKAGES
    )
    assert {m.split(".")[0] for m in modules} == set(PACKAGES)
    assert "tests" not in {n.split("/")[0] for n in names}

    # A fresh venv that sees the dev venv's site-packages for the dependencies
    # (no network needed), with kamei itself only from the wheel.
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=False, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    site = next((env_dir / "lib").glob("python3*/site-packages"))
    deps = [p for p in sys.path if p.endswith("site-packages")]
    (site / "deps.pth").write_text("\n".join(deps) + "\n")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)

    script = (
        "import importlib, sys\n"
        f"mods = {modules!r}\n"
        "for m in mods:\n"
        "    mod = importlib.import_module(m)\n"
        f"    assert mod.__file__.startswith({str(site)!r}), (m, mod.__file__)\n"
        "print(len(mods))\n"
    )
    result = subprocess.run(
        [str(python), "-I", "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == len(modules) > 20

"""The HTML reports in a real headless browser (Debian's chromium), offline.

Skipped only when chromium is not installed (``apt-get install chromium``; CI
installs it). Screenshots are kept under pytest's tmp folder for a person to
look at; the test checks that the page rendered its charts and tables.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from cli.app import app
from connectors.fakes import make_fake
from store import Store
from sync import sync_shops

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
)
runner = CliRunner()


def _chromium(*args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-extensions", "--proxy-server=127.0.0.1:9", *args],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


@pytest.fixture
def pages(home: Path, tmp_path: Path) -> dict[str, Path]:
    fake = make_fake("colorme", orders=1500, seed=5)
    with Store.create(home) as store:
        store.add_shop("main", "colorme", {"base_url": "http://fake", "rate": 1000})
        store.set_credential("main", {"access_token": fake.credential})
        (result,) = sync_shops(store, transport_for=lambda n: httpx.WSGITransport(app=fake.app))
        assert result.ok
    out: dict[str, Path] = {}
    for name in ("sales", "cohorts", "rfm", "prefectures"):
        page = tmp_path / f"{name}.html"
        result = runner.invoke(app, ["report", name, "-f", "html", "-o", str(page)])
        assert result.exit_code == 0, result.stderr
        out[name] = page
    return out


@pytest.mark.slow
def test_reports_render_offline_in_headless_chromium(pages: dict[str, Path]) -> None:
    # A proxy at a closed port: any attempt to fetch something would fail the page.
    for name, page in pages.items():
        dom = _chromium("--dump-dom", page.as_uri())
        assert dom.returncode == 0, dom.stderr[-500:]
        assert "<svg" in dom.stdout and "<table" in dom.stdout, name
        shot = page.with_suffix(".png")
        taken = _chromium(f"--screenshot={shot}", "--window-size=1100,1400", page.as_uri())
        assert taken.returncode == 0, taken.stderr[-500:]
        data = shot.read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) > 20_000, name  # not a blank page

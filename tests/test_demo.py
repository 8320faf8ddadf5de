"""`kamei demo` as a user runs it: the installed command, in a subprocess, over loopback."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from clikit import KAMEI

from cli.demo import DEFAULT_PLATFORMS, parse_platforms
from connectors.fakes import fake_platforms

pytestmark = pytest.mark.slow


def demo(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [KAMEI, "demo", "--demo-home", str(home), *args],
        capture_output=True, text=True, timeout=120, env=os.environ,
    )  # fmt: skip


def test_the_demo_syncs_a_colorme_and_a_makeshop_shop_and_shows_shared_buyers(
    tmp_path: Path,
) -> None:
    result = demo("--orders", "800", home=tmp_path / "demo")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "fake カラーミーショップ at http://127.0.0.1:" in out
    assert "fake MakeShop at http://127.0.0.1:" in out
    assert re.search(r"^demo-colorme: synced 800 orders in .*: ok$", out, re.M)
    assert re.search(r"^demo-makeshop: synced 800 orders in .*: ok$", out, re.M)
    shared = re.search(r"^buyers shared between shops \(2\+ shops\): (\d+)$", out, re.M)
    assert shared is not None and int(shared.group(1)) >= 5
    assert "encrypted; 1600 pseudonymised orders" in out
    assert (tmp_path / "demo" / "kamei.db").is_file()


def test_the_demo_with_every_platform_syncs_each_registered_fake(tmp_path: Path) -> None:
    result = demo("--orders", "300", "--platform", "all", home=tmp_path / "demo")
    assert result.returncode == 0, result.stderr
    for platform in fake_platforms():
        assert re.search(rf"^demo-{platform}: synced 300 orders in .*: ok$", result.stdout, re.M)
    pairs = re.findall(
        r"^buyers shared between shops \((demo-\S+ \+ demo-\S+)\): ", result.stdout, re.M
    )
    count = len(fake_platforms())
    assert len(pairs) == (count * (count - 1) // 2 if count > 2 else 0)


def test_an_unknown_platform_is_refused_naming_the_choices(tmp_path: Path) -> None:
    result = demo("--platform", "colorme,nosuch", home=tmp_path / "demo")
    assert result.returncode == 2
    assert "colorme, makeshop" in result.stderr and "'all'" in result.stderr
    assert not (tmp_path / "demo").exists()


def test_platform_choices_are_parsed_in_order_once_each() -> None:
    known = ["colorme", "makeshop", "shopserve"]
    assert parse_platforms(DEFAULT_PLATFORMS, known) == ["colorme", "makeshop"]
    assert parse_platforms("all", known) == known
    assert parse_platforms(" MakeShop , colorme,makeshop", known) == ["makeshop", "colorme"]


def test_a_reader_that_stops_early_ends_the_demo_quietly(tmp_path: Path) -> None:
    # `kamei demo | head -1`: the pipe closes while kamei still writes. Exit 1 without
    # an "unexpected error" (as click does for `--help | head`), not 70.
    args = [KAMEI, "demo", "--demo-home", str(tmp_path / "demo"), "--orders", "300"]
    with subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read().decode()
        code = proc.wait(timeout=120)
    assert code == 1, err
    assert "unexpected error" not in err and "Traceback" not in err

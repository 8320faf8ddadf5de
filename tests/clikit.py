"""Running the kamei CLI in tests: in-process through typer's runner, or as the
installed command in a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from cli.app import app

__all__ = ["KAMEI", "invoke", "run"]

KAMEI = str(Path(sys.executable).with_name("kamei"))
_runner = CliRunner()


def invoke(*args: str, input: str | None = None) -> tuple[int, str, str]:
    """``kamei ARGS`` in this process: exit code, stdout, stderr."""
    result = _runner.invoke(app, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def run(
    *args: str, input: str | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """The installed ``kamei ARGS`` in a subprocess; ``check``: it must exit 0."""
    result = subprocess.run(
        [KAMEI, *args], input=input, capture_output=True, text=True, timeout=120, env=os.environ
    )
    if check:
        assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result

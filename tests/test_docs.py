"""The docs stay true: links resolve, and every command they show exists with --help."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.app import app

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
_SHELL_FENCES = {"", "sh", "bash", "console", "shell"}


def _code_lines(path: Path) -> list[str]:
    """Lines inside shell (or unlabelled) fenced code blocks, with a `$ ` prompt removed."""
    lines, fence = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            fence = line.strip()[3:].strip() if fence is None else None
        elif fence in _SHELL_FENCES:
            lines.append(line.strip().removeprefix("$ "))
    return lines


def _commands(path: Path) -> list[tuple[str, ...]]:
    """The command words (up to the first option) of each `kamei ...` call in code blocks."""
    found = []
    for line in _code_lines(path):
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.commenters = "#"
        try:
            words = list(lexer)
        except ValueError:  # not shell (e.g. a sample output line with an apostrophe)
            words = line.split("#", 1)[0].split()
        for i, word in enumerate(words):
            if word.endswith("kamei"):
                command = []
                for arg in words[i + 1 :]:
                    if not re.fullmatch(r"[a-z][a-z-]*", arg):
                        break
                    command.append(arg)
                found.append(tuple(command))
    return found


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.name)
def test_every_relative_link_resolves(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    broken = [
        link
        for link in _LINK.findall(text)
        if "://" not in link and not (path.parent / link).exists()
    ]
    assert broken == []


def test_every_command_shown_in_the_docs_exists_and_has_help() -> None:
    runner = CliRunner()
    commands = {c for path in DOCS for c in _commands(path)}
    assert ("demo",) in commands and ("sync",) in commands
    failed = []
    for command in sorted(commands):
        # Trailing words may be arguments (shop names, report names): try the longest
        # prefix that the CLI knows.
        for length in range(len(command), -1, -1):
            result = runner.invoke(app, [*command[:length], "--help"])
            if result.exit_code == 0:
                break
        else:
            failed.append(" ".join(command))
    assert failed == []

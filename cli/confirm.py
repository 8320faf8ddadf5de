"""Confirming destructive commands: ``--yes``, else a question on a terminal."""

from __future__ import annotations

import sys

import typer

from kamei.errors import ConfigError
from kamei.i18n import t

__all__ = ["confirm", "confirm_typed", "interactive"]


def interactive() -> bool:
    """Whether a person can be asked (standard input is a terminal)."""
    return sys.stdin.isatty()


def confirm(yes: bool, question: str) -> None:
    """Go on with ``--yes``; on a terminal ask ``question``; otherwise refuse."""
    if yes:
        return
    if not interactive():
        raise ConfigError(t("confirm.needs_yes"))
    if not typer.confirm(question, default=False):
        typer.echo(t("confirm.cancelled"), err=True)
        raise typer.Exit(1)


def confirm_typed(yes: bool, question: str, word: str) -> None:
    """Like :func:`confirm`, but the user must type ``word`` (irreversible steps)."""
    if yes:
        return
    if not interactive():
        raise ConfigError(t("confirm.needs_yes"))
    typer.echo(question)
    answer = typer.prompt(t("confirm.type_word", word=word), default="", show_default=False)
    if answer.strip() != word:
        typer.echo(t("confirm.cancelled"), err=True)
        raise typer.Exit(1)

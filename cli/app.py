"""The ``kamei`` command: parse, call, render. No business logic lives here.

Errors end here: a :class:`kamei.errors.KameiError` prints its one-line message
and exits with its code; anything else prints its class name and a hint and
exits 70. The traceback appears only with ``--debug`` or ``KAMEI_DEBUG=1``, and
the exit code is the same either way (typer's pretty tracebacks and their
local-variable dumps are off: locals can hold tokens and personal data).

Help texts and messages come from ``kamei.i18n`` in English or Japanese. The
language is chosen before this module builds the command line (``--lang`` in
``sys.argv``, ``KAMEI_LANG``, the locale), since typer fixes help texts here;
the root ``--lang`` option then also switches the messages of the run.
"""

from __future__ import annotations

import enum
import logging
import os
import sys
import traceback
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup
from typer.models import CommandInfo, TyperInfo

from kamei import __version__
from kamei.errors import KameiError
from kamei.i18n import catalog, set_language, t

from . import (
    appi,
    auth,
    demo,
    doctor,
    fake,
    key,
    people,
    report,
    schedule,
    shop,
    sql,
    status,
    sync_cmd,
)
from .context import Context

__all__ = ["app", "main"]

EXIT_UNEXPECTED = 70  # EX_SOFTWARE


class _Edge(TyperGroup):
    """Maps errors to a message and an exit code, for every command; puts typer's own
    words ("Usage", "Options", parse errors) into the chosen language."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        from .typer_words import install

        install()
        return super().main(*args, **kwargs)

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        try:
            return super().parse_args(ctx, args)
        except typer.TyperException as exc:
            from .typer_words import localise_error

            raise localise_error(exc) from None

    def invoke(self, ctx: typer.Context) -> object:  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except KameiError as exc:
            typer.echo(t("edge.error", message=exc), err=True)
            if _debugging(ctx):
                # Where it happened, for the report; the exit code stays the error's own
                # (a scheduled `--debug` run must still tell "locked, retry" from "broken").
                traceback.print_exc()
            raise typer.Exit(exc.exit_code) from None
        except (typer.TyperException, typer.Abort) as exc:  # parse errors, "Aborted."
            from .typer_words import localise_error

            raise localise_error(exc) from None
        except typer.Exit:
            raise
        except KeyboardInterrupt:
            typer.echo(t("edge.interrupted"), err=True)
            raise typer.Exit(130) from None
        except BrokenPipeError:
            # The reader stopped early (`kamei demo | head`): click's own handler exits
            # 1 quietly, as it does for `--help | head`; not an "unexpected error".
            raise
        except Exception as exc:  # the catch-all edge: class name only, data never
            if _debugging(ctx):
                traceback.print_exc()  # frames and messages; never locals (see the docstring)
            typer.echo(t("edge.unexpected", name=type(exc).__name__), err=True)
            raise typer.Exit(EXIT_UNEXPECTED) from None


def _debugging(ctx: typer.Context) -> bool:
    obj = ctx.obj
    if getattr(obj, "debug", False):
        return True
    return os.environ.get("KAMEI_DEBUG", "") not in ("", "0") or "--debug" in sys.argv


app = typer.Typer(
    name="kamei",
    cls=_Edge,
    help=t("app.help"),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Lang(enum.StrEnum):
    en = "en"
    ja = "ja"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kamei {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    home: Annotated[
        Path | None,
        typer.Option(
            "--home",
            envvar="KAMEI_HOME",
            help=t("opt.home"),
            show_default=False,
        ),
    ] = None,
    debug: Annotated[
        bool,
        typer.Option("--debug", envvar="KAMEI_DEBUG", help=t("opt.debug")),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=t("opt.version")),
    ] = False,
    lang: Annotated[
        Lang | None,
        typer.Option("--lang", help=t("opt.lang"), case_sensitive=False, show_default=False),
    ] = None,
) -> None:
    if lang is not None:
        set_language(lang.value)
    ctx.obj = Context(home=home, debug=debug)
    _configure_logging(debug)


def _configure_logging(debug: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="kamei: %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # These libraries log full URLs (with query strings that may hold personal
    # search values) and headers at INFO/DEBUG: keep them quiet whatever the level.
    for noisy in ("httpx", "httpcore", "tenacity", "urllib3", "keyring"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


app.command("init", help=shop.INIT_HELP)(shop.init)
app.add_typer(shop.app, name="shop")
app.add_typer(auth.app, name="auth")
app.command("sync", help=sync_cmd.HELP)(sync_cmd.sync)
app.command("status", help=status.HELP)(status.status)
app.add_typer(schedule.app, name="schedule")
app.command("doctor", help=doctor.HELP)(doctor.doctor)
app.add_typer(report.app, name="report")
app.command("sql", help=sql.HELP)(sql.sql)
app.add_typer(fake.app, name="fake")
app.command("demo", help=demo.HELP)(demo.demo)
app.add_typer(key.app, name="key")
app.command("lookup", help=people.LOOKUP_HELP)(people.lookup)
app.command("forget", help=people.FORGET_HELP)(people.forget)
app.command("appi", help=appi.HELP)(appi.appi)


def _localise_summaries(root: typer.Typer) -> None:
    """Each top-level command's one-line summary comes from the message catalog
    (``summary.<command>``), so ``kamei --help`` lists them in the chosen language."""
    infos: list[CommandInfo | TyperInfo] = [*root.registered_commands, *root.registered_groups]
    for info in infos:
        name = f"summary.{info.name}"
        if name in catalog("en"):  # tests/test_i18n.py requires one for every command
            info.short_help = t(name)


_localise_summaries(app)


def main() -> None:
    """Console-script entry point."""
    app()

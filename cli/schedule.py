"""``kamei schedule install|status|remove``: the nightly sync."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kamei.errors import ConfigError, KameiError
from kamei.i18n import t

from . import context

if TYPE_CHECKING:
    from sync.scheduling import Host, Kind, ScheduleSpec

__all__ = ["app", "host_for"]

app = typer.Typer(help=t("schedule.help"), no_args_is_help=True)

INSTALL_HELP = t("schedule.install.help")

STATUS_HELP = t("schedule.status.help")

REMOVE_HELP = t("schedule.remove.help")

KindOption = Annotated[
    str | None,
    typer.Option(
        "--kind",
        help=t("schedule.opt.kind"),
        show_default=False,
    ),
]


def host_for(kind: Kind | None) -> Host | None:
    """The scheduler host to use: ``kind`` or the detected one, in the user's home.
    Tests replace this function to install into a temporary folder."""
    from sync.scheduling import Host, detect_kind

    kind = kind or detect_kind()
    return None if kind is None else Host(kind, Path.home())


def _kind(text: str | None) -> Kind | None:
    from sync.scheduling import Kind

    if text is None:
        return None
    try:
        return Kind(text.strip().lower())
    except ValueError:
        choices = ", ".join(k.value for k in Kind)
        raise ConfigError(t("schedule.bad_kind", choices=choices, value=text)) from None


def _dry_run_kinds() -> list[Kind]:
    from sync.scheduling import Kind

    system = platform.system()
    if system == "Darwin":
        return [Kind.launchd]
    if system == "Windows":
        return [Kind.schtasks]
    return [Kind.systemd, Kind.cron] if system == "Linux" else [Kind.cron]


def _check_passphrase_file(path: Path | None) -> None:
    if path is None:
        return
    path = path.expanduser()
    if not path.is_file():
        raise ConfigError(t("schedule.no_passphrase_file", path=path))
    loose = os.name == "posix" and stat.S_IMODE(path.stat().st_mode) & 0o077
    if loose and path.suffix != ".cred":
        raise ConfigError(t("schedule.loose_passphrase_file", path=path))


def _show(spec: ScheduleSpec, kinds: list[Kind], host: Host | None) -> None:
    from sync.scheduling import Host, Kind, crontab_line, launchd_plist, systemd_units, task_xml

    root = host.root if host is not None else Path.home()
    for kind in kinds:
        where = Host(kind, root)
        if kind is Kind.systemd:
            for name, text in systemd_units(spec).items():
                typer.echo(t("schedule.show.systemd", path=where.systemd_dir / name))
                typer.echo(text, nl=False)
        elif kind is Kind.launchd:
            typer.echo(t("schedule.show.launchd", path=where.launchd_file))
            typer.echo(launchd_plist(spec).decode("utf-8"), nl=False)
        elif kind is Kind.schtasks:
            typer.echo(t("schedule.show.schtasks", path=where.task_file(spec.home)))
            typer.echo(task_xml(spec), nl=False)
        else:
            typer.echo(t("schedule.show.cron"))
            typer.echo(crontab_line(spec))


def install(
    ctx: typer.Context,
    at: Annotated[
        str | None,
        typer.Option("--at", help=t("schedule.opt.at"), show_default=False),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=t("schedule.opt.dry_run"))] = False,
    kind: KindOption = None,
    passphrase_file: Annotated[
        Path | None,
        typer.Option(
            "--keyring-passphrase-file",
            help=t("schedule.opt.passphrase_file"),
            show_default=False,
        ),
    ] = None,
) -> None:
    from store import resolve_home
    from sync.scheduling import install as install_job
    from sync.scheduling import kamei_program, linger_note, maintenance_warning, plan

    chosen = _kind(kind)
    _check_passphrase_file(passphrase_file)
    home = resolve_home(context.get(ctx).home)
    now = dt.datetime.now().astimezone()
    spec = plan(kamei_program(), home, now=now, at=at, passphrase_file=passphrase_file)
    warning = maintenance_warning(spec)
    if warning:
        typer.echo(t("schedule.warning", warning=warning), err=True)
    if dry_run:
        typer.echo(t("schedule.dry_run", jst=spec.jst_text, local=f"{spec.at_local:%H:%M}"))
        _show(spec, [chosen] if chosen else _dry_run_kinds(), host_for(chosen))
        return
    host = host_for(chosen)
    if host is None:
        raise ConfigError(t("schedule.no_scheduler"))
    for line in install_job(spec, host):
        typer.echo(line)
    local = f"{spec.at_local:%H:%M}"
    log = spec.log_dir / "kamei.log"
    typer.echo(t("schedule.installed", jst=spec.jst_text, local=local, log=log))
    note = linger_note(host)
    if note:
        typer.echo(t("schedule.note", note=note))


def status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help=t("opt.json"))] = False,
    kind: KindOption = None,
) -> None:
    from store import resolve_home
    from sync.scheduling import installed, read_last_run

    home = resolve_home(context.get(ctx).home)
    host = host_for(_kind(kind))
    job = installed(host) if host is not None else None
    last = read_last_run(home)
    shops = _shop_runs(home)
    if as_json:
        body = {
            "installed": None
            if job is None
            else {
                "kind": job.kind.value,
                "location": job.location,
                "when": job.when,
                "enabled": job.enabled,
            },
            "last_run": None if last is None else _last_run_dict(last),
            "shops": shops,
        }
        typer.echo(json.dumps(body, ensure_ascii=False, indent=2))
        return
    if job is None:
        typer.echo(t("schedule.not_installed"))
    else:
        enabled = {
            True: t("schedule.job.enabled"),
            False: t("schedule.job.disabled"),
            None: "",
        }[job.enabled]
        when = job.when or ""
        typer.echo(
            t("schedule.job", kind=job.kind, when=when, enabled=enabled, location=job.location)
        )
    if last is None:
        typer.echo(t("schedule.no_last_run"))
    else:
        d = _last_run_dict(last)
        result = (
            t("schedule.last_ok")
            if last.ok
            else t("schedule.last_failed", code=last.exit_code, error=last.error)
        )
        typer.echo(
            t(
                "schedule.last_run",
                started=d["started"],
                ok=last.shops_ok,
                failed=last.shops_failed,
                result=result,
            )
        )
    for shop in shops:
        line = t(
            "schedule.shop",
            name=shop["name"],
            platform=shop["platform"],
            when=shop["last_run"],
            outcome=shop["last_outcome"],
        )
        typer.echo(line + (f": {shop['last_error']}" if shop["last_error"] else ""))


def _when(seconds: int | None) -> str | None:
    if seconds is None:
        return None
    return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat(timespec="seconds")


def _last_run_dict(last: Any) -> dict[str, Any]:
    return {
        "started": _when(last.started_at),
        "finished": _when(last.finished_at),
        "exit_code": last.exit_code,
        "shops_ok": last.shops_ok,
        "shops_failed": last.shops_failed,
        "error": last.error,
    }


def _shop_runs(home: Path) -> list[dict[str, Any]]:
    """Each shop's latest run from the store's run log; empty if the store cannot open."""
    from store import Store

    if not Store.exists(home):
        return []
    try:
        with Store.open(home, readonly=True) as store:
            return [
                {
                    "name": s.name,
                    "platform": s.platform,
                    "last_run": _when(s.last_run_at),
                    "last_outcome": s.last_outcome,
                    "last_error": s.last_error,
                }
                for s in store.shop_status()
            ]
    except KameiError as exc:
        typer.echo(t("schedule.store_unreadable", error=exc), err=True)
        return []


def remove(ctx: typer.Context, kind: KindOption = None) -> None:
    from store import resolve_home
    from sync.scheduling import remove as remove_job

    host = host_for(_kind(kind))
    done = [] if host is None else remove_job(host, resolve_home(context.get(ctx).home))
    for line in done:
        typer.echo(line)
    if not done:
        typer.echo(t("schedule.nothing_removed"))


app.command("install", help=INSTALL_HELP)(install)
app.command("status", help=STATUS_HELP)(status)
app.command("remove", help=REMOVE_HELP)(remove)

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

from . import context

if TYPE_CHECKING:
    from sync.scheduling import Host, Kind, ScheduleSpec

__all__ = ["app", "host_for"]

app = typer.Typer(
    help=(
        "Install, show and remove the nightly sync.\n\n"
        "Example:\n\n    kamei schedule install --dry-run"
    ),
    no_args_is_help=True,
)

INSTALL_HELP = """Install a nightly `kamei sync` with this machine's own scheduler.

A systemd user timer on Linux (Persistent=true: a night the machine was off
runs at the next boot), a launchd agent on macOS, a Task Scheduler task on
Windows, a crontab line where none of those exists. The default time, 00:30
JST, avoids ShopServe's maintenance window (Wednesdays 02:00-08:00 JST).
The run logs to <home>/logs/kamei.log and exits non-zero if a shop fails.
Without a desktop session, give --keyring-passphrase-file (docs/scheduling.md).

Examples:

    kamei schedule install --dry-run
    kamei schedule install --at 23:45
    kamei schedule install --keyring-passphrase-file ~/.config/kamei/passphrase
"""

STATUS_HELP = """Show the installed nightly run and how the last one went.

Examples:

    kamei schedule status
    kamei schedule status --json
"""

REMOVE_HELP = """Remove the nightly run (the store and its logs stay).

Example:

    kamei schedule remove
"""

KindOption = Annotated[
    str | None,
    typer.Option(
        "--kind",
        help="Scheduler: systemd, launchd, schtasks or cron (default: this machine's).",
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
        raise ConfigError(f"--kind must be one of {choices}, not {text!r}") from None


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
        raise ConfigError(
            f"the passphrase file {path} does not exist; write the keyring passphrase in it "
            "(mode 0600) first"
        )
    loose = os.name == "posix" and stat.S_IMODE(path.stat().st_mode) & 0o077
    if loose and path.suffix != ".cred":
        raise ConfigError(
            f"the passphrase file {path} is readable by others; run `chmod 600 {path}`"
        )


def _show(spec: ScheduleSpec, kinds: list[Kind], host: Host | None) -> None:
    from sync.scheduling import Host, Kind, crontab_line, launchd_plist, systemd_units, task_xml

    root = host.root if host is not None else Path.home()
    for kind in kinds:
        where = Host(kind, root)
        if kind is Kind.systemd:
            for name, text in systemd_units(spec).items():
                typer.echo(f"# --- systemd user unit: {where.systemd_dir / name}")
                typer.echo(text, nl=False)
        elif kind is Kind.launchd:
            typer.echo(f"# --- launchd agent: {where.launchd_file}")
            typer.echo(launchd_plist(spec).decode("utf-8"), nl=False)
        elif kind is Kind.schtasks:
            typer.echo(f"# --- Task Scheduler task (UTF-16 on disk): {where.task_file(spec.home)}")
            typer.echo(task_xml(spec), nl=False)
        else:
            typer.echo("# --- crontab line (crontab -e), where there is no systemd:")
            typer.echo(crontab_line(spec))


def install(
    ctx: typer.Context,
    at: Annotated[
        str | None,
        typer.Option("--at", help="Local time HH:MM (default: 00:30 JST).", show_default=False),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would be installed; change nothing.")
    ] = False,
    kind: KindOption = None,
    passphrase_file: Annotated[
        Path | None,
        typer.Option(
            "--keyring-passphrase-file",
            help="Use the encrypted file keyring, unlocked by the passphrase in this file "
            "(systemd: a *.cred file from `systemd-creds encrypt` also works).",
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
        typer.echo(f"kamei: warning: {warning}", err=True)
    if dry_run:
        typer.echo(
            f"# kamei schedule install --dry-run: nothing was installed. The nightly run, "
            f"at {spec.jst_text} ({spec.at_local:%H:%M} local):"
        )
        _show(spec, [chosen] if chosen else _dry_run_kinds(), host_for(chosen))
        return
    host = host_for(chosen)
    if host is None:
        raise ConfigError(
            "no scheduler kamei knows was found (systemd, launchd, Task Scheduler, cron); "
            "see `kamei schedule install --dry-run` and docs/scheduling.md"
        )
    for line in install_job(spec, host):
        typer.echo(line)
    typer.echo(
        f"kamei sync runs nightly at {spec.jst_text} ({spec.at_local:%H:%M} local); "
        f"its log: {spec.log_dir / 'kamei.log'}"
    )
    note = linger_note(host)
    if note:
        typer.echo(f"note: {note}")


def status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="JSON for scripts.")] = False,
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
        typer.echo("nightly run: not installed; run `kamei schedule install`")
    else:
        enabled = {True: ", enabled", False: ", NOT enabled", None: ""}[job.enabled]
        typer.echo(f"nightly run: {job.kind} {job.when or ''}{enabled} ({job.location})")
    if last is None:
        typer.echo("last scheduled run: none yet")
    else:
        d = _last_run_dict(last)
        result = "ok" if last.ok else f"failed (exit {last.exit_code}): {last.error}"
        typer.echo(
            f"last scheduled run: {d['started']}, {last.shops_ok} shops ok, "
            f"{last.shops_failed} failed: {result}"
        )
    for shop in shops:
        typer.echo(
            f"shop {shop['name']} ({shop['platform']}): last run {shop['last_run']}: "
            f"{shop['last_outcome']}" + (f": {shop['last_error']}" if shop["last_error"] else "")
        )


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
        typer.echo(f"kamei: warning: the store could not be read: {exc}", err=True)
        return []


def remove(ctx: typer.Context, kind: KindOption = None) -> None:
    from store import resolve_home
    from sync.scheduling import remove as remove_job

    host = host_for(_kind(kind))
    done = [] if host is None else remove_job(host, resolve_home(context.get(ctx).home))
    for line in done:
        typer.echo(line)
    if not done:
        typer.echo("no nightly run was installed")


app.command("install", help=INSTALL_HELP)(install)
app.command("status", help=STATUS_HELP)(status)
app.command("remove", help=REMOVE_HELP)(remove)

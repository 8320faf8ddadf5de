"""Installing, finding and removing the nightly job on this machine.

Everything that touches the system goes through a :class:`Host`: the folder the
user's scheduler files live under (``root``, normally the home directory) and a
``run`` function for the scheduler's own commands (``systemctl --user``,
``launchctl``, ``schtasks``, ``crontab``). Tests pass a temporary root and a
recording ``run``, so no test touches a real crontab or systemd.
"""

from __future__ import annotations

import getpass
import os
import platform
import plistlib
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kamei.errors import ConfigError
from kamei.i18n import t

from .units import (
    CRON_MARK,
    LAUNCHD_LABEL,
    TASK_NAME,
    UNIT_NAME,
    Kind,
    ScheduleSpec,
    crontab_line,
    launchd_plist,
    systemd_units,
    task_xml,
)

__all__ = [
    "Host",
    "Installed",
    "Runner",
    "detect_kind",
    "install",
    "installed",
    "kamei_program",
    "linger_note",
    "remove",
    "run_command",
]

Runner = Callable[[Sequence[str], str | None], tuple[int, str]]
"""Runs a scheduler command with optional standard input; returns (exit code, stdout)."""


def run_command(argv: Sequence[str], stdin: str | None) -> tuple[int, str]:
    """The real runner: a short subprocess, never a shell."""
    try:
        done = subprocess.run(
            list(argv), input=stdin, capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return 127, type(exc).__name__
    return done.returncode, done.stdout


def detect_kind(
    system: str | None = None,
    which: Callable[[str], str | None] = shutil.which,
    systemd_booted: bool | None = None,
) -> Kind | None:
    """The scheduler this machine uses, or None when it has none kamei knows."""
    system = system or platform.system()
    if system == "Darwin":
        return Kind.launchd
    if system == "Windows":
        return Kind.schtasks
    if systemd_booted is None:
        systemd_booted = Path("/run/systemd/system").is_dir()
    if systemd_booted and which("systemctl"):
        return Kind.systemd
    if which("crontab"):
        return Kind.cron
    return None


@dataclass(frozen=True, slots=True)
class Host:
    """Where and how to install: ``root`` stands for the user's home directory."""

    kind: Kind
    root: Path
    run: Runner = run_command
    uid: int = field(default_factory=lambda: os.getuid() if hasattr(os, "getuid") else 0)

    @property
    def systemd_dir(self) -> Path:
        return self.root / ".config" / "systemd" / "user"

    @property
    def launchd_file(self) -> Path:
        return self.root / "Library" / "LaunchAgents" / f"{LAUNCHD_LABEL}.plist"

    def task_file(self, home: Path) -> Path:
        return home / "schedule" / f"{TASK_NAME}.xml"

    def must(self, argv: Sequence[str], stdin: str | None = None) -> str:
        code, out = self.run(argv, stdin)
        if code != 0:
            raise ConfigError(t("schedule.command_failed", command=" ".join(argv[:3]), code=code))
        return out


@dataclass(frozen=True, slots=True)
class Installed:
    """A nightly job found on this machine."""

    kind: Kind
    location: str
    when: str | None  # as the scheduler says it ("*-*-* 00:30:00 Asia/Tokyo", "30 0 * * *")
    enabled: bool | None = None


def install(spec: ScheduleSpec, host: Host) -> list[str]:
    """Install (or replace) the nightly job; returns what was done, one line each."""
    if host.kind is Kind.systemd:
        host.systemd_dir.mkdir(parents=True, exist_ok=True)
        done = []
        for name, text in systemd_units(spec).items():
            path = host.systemd_dir / name
            path.write_text(text, encoding="utf-8")
            done.append(t("schedule.done.wrote", path=path))
        host.must(["systemctl", "--user", "daemon-reload"])
        host.must(["systemctl", "--user", "enable", "--now", f"{UNIT_NAME}.timer"])
        return [*done, t("schedule.done.enabled", unit=f"{UNIT_NAME}.timer")]
    if host.kind is Kind.launchd:
        spec.log_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        host.launchd_file.parent.mkdir(parents=True, exist_ok=True)
        if host.launchd_file.exists():
            host.run(["launchctl", "bootout", f"gui/{host.uid}", str(host.launchd_file)], None)
        host.launchd_file.write_bytes(launchd_plist(spec))
        host.must(["launchctl", "bootstrap", f"gui/{host.uid}", str(host.launchd_file)])
        return [
            t("schedule.done.wrote", path=host.launchd_file),
            t("schedule.done.loaded", label=LAUNCHD_LABEL),
        ]
    if host.kind is Kind.schtasks:
        path = host.task_file(spec.home)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.write_bytes(task_xml(spec).encode("utf-16"))
        host.must(["schtasks", "/Create", "/TN", TASK_NAME, "/XML", str(path), "/F"])
        return [
            t("schedule.done.wrote", path=path),
            t("schedule.done.created_task", task=TASK_NAME),
        ]
    lines = [line for line in _crontab(host) if CRON_MARK not in line]
    host.must(["crontab", "-"], "".join(f"{line}\n" for line in [*lines, crontab_line(spec)]))
    return [t("schedule.done.cron_added")]


def remove(host: Host, home: Path) -> list[str]:
    """Remove the nightly job; returns what was done (empty when nothing was installed)."""
    if host.kind is Kind.systemd:
        files = [host.systemd_dir / f"{UNIT_NAME}.{suffix}" for suffix in ("timer", "service")]
        if not any(path.exists() for path in files):
            return []
        host.run(["systemctl", "--user", "disable", "--now", f"{UNIT_NAME}.timer"], None)
        for path in files:
            path.unlink(missing_ok=True)
        host.run(["systemctl", "--user", "daemon-reload"], None)
        return [t("schedule.done.removed", path=path) for path in files]
    if host.kind is Kind.launchd:
        if not host.launchd_file.exists():
            return []
        host.run(["launchctl", "bootout", f"gui/{host.uid}", str(host.launchd_file)], None)
        host.launchd_file.unlink()
        return [t("schedule.done.removed", path=host.launchd_file)]
    if host.kind is Kind.schtasks:
        if host.run(["schtasks", "/Query", "/TN", TASK_NAME], None)[0] != 0:
            return []
        host.must(["schtasks", "/Delete", "/TN", TASK_NAME, "/F"])
        host.task_file(home).unlink(missing_ok=True)
        return [t("schedule.done.deleted_task", task=TASK_NAME)]
    lines = _crontab(host)
    kept = [line for line in lines if CRON_MARK not in line]
    if len(kept) == len(lines):
        return []
    host.must(["crontab", "-"], "".join(f"{line}\n" for line in kept))
    return [t("schedule.done.cron_removed")]


def installed(host: Host) -> Installed | None:
    """The nightly job as installed, or None."""
    if host.kind is Kind.systemd:
        timer = host.systemd_dir / f"{UNIT_NAME}.timer"
        if not timer.exists():
            return None
        found = re.search(r"^OnCalendar=(.+)$", timer.read_text(encoding="utf-8"), re.M)
        code, out = host.run(["systemctl", "--user", "is-enabled", f"{UNIT_NAME}.timer"], None)
        enabled = out.strip() == "enabled" if code in (0, 1) and out.strip() else None
        return Installed(Kind.systemd, str(timer), found.group(1) if found else None, enabled)
    if host.kind is Kind.launchd:
        if not host.launchd_file.exists():
            return None
        try:
            job = plistlib.loads(host.launchd_file.read_bytes())
            when = job["StartCalendarInterval"]
            text = f"{when['Hour']:02d}:{when['Minute']:02d} local"
        except (plistlib.InvalidFileException, KeyError, TypeError, ValueError):
            text = None
        return Installed(Kind.launchd, str(host.launchd_file), text)
    if host.kind is Kind.schtasks:
        code, _ = host.run(["schtasks", "/Query", "/TN", TASK_NAME], None)
        return Installed(Kind.schtasks, f"task {TASK_NAME}", None) if code == 0 else None
    for line in _crontab(host):
        if CRON_MARK in line:
            return Installed(Kind.cron, "crontab", " ".join(line.split()[:5]), True)
    return None


def _crontab(host: Host) -> list[str]:
    code, out = host.run(["crontab", "-l"], None)
    if code == 1:  # "no crontab for USER": an empty crontab
        return []
    if code != 0:  # never rewrite a crontab that could not be read
        raise ConfigError(t("schedule.crontab_failed", code=code))
    return out.splitlines()


def kamei_program() -> list[str]:
    """The absolute command that starts this kamei: its console script beside the
    running Python (same environment), else the one on PATH, else Python itself."""
    python = Path(sys.executable)
    script = python.with_name("kamei.exe" if os.name == "nt" else "kamei")
    if script.is_file():
        return [str(script.absolute())]
    found = shutil.which("kamei")
    if found:
        return [str(Path(found).absolute())]
    return [str(python.absolute()), "-c", "from cli.app import main; main()"]


def linger_note(host: Host) -> str | None:
    """systemd user timers run only during a login session unless lingering is on."""
    if host.kind is not Kind.systemd:
        return None
    code, out = host.run(["loginctl", "show-user", getpass.getuser(), "-p", "Linger"], None)
    if code == 0 and out.strip() == "Linger=no":
        return t("schedule.linger")
    return None

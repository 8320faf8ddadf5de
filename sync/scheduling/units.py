"""The nightly run, written for each platform's own scheduler.

Pure text: :func:`plan` fixes what runs when, and the generators turn that into
a systemd user service + timer, a launchd agent, a Task Scheduler task or a
crontab line. Installing them is ``sync.scheduling.host``; nothing here touches
the system.

Time: the run is meant for a moment in Japan time (the platforms' clock). The
default, 00:30 JST, is outside ShopServe's maintenance window (Wednesdays
02:00–08:00 JST) and stays outside it if a daylight-saving change moves a
local-time schedule by an hour. ``--at`` is the machine's local time; it is
converted to JST once, at install. systemd keeps the JST time (a timezone in
``OnCalendar=``, systemd ≥ 235) and Task Scheduler keeps the +09:00 instant;
cron and launchd only know local time, so they get the local equivalent.
"""

from __future__ import annotations

import datetime as dt
import enum
import plistlib
import shlex
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from kamei.errors import ConfigError
from kamei.i18n import t
from store import CRYPTFILE_BACKEND, ENV_PASSPHRASE_FILE, PASSPHRASE_CREDENTIAL

__all__ = [
    "DEFAULT_AT_JST",
    "JST",
    "LAUNCHD_LABEL",
    "TASK_NAME",
    "UNIT_NAME",
    "Kind",
    "ScheduleSpec",
    "crontab_line",
    "launchd_plist",
    "maintenance_warning",
    "plan",
    "systemd_units",
    "task_xml",
]

JST = dt.timezone(dt.timedelta(hours=9), "JST")  # Japan has no daylight saving time
DEFAULT_AT_JST = dt.time(0, 30)
MAINTENANCE_START, MAINTENANCE_END = dt.time(2, 0), dt.time(8, 0)  # ShopServe, Wednesdays
UNIT_NAME = "kamei-sync"
LAUNCHD_LABEL = "jp.kamei.sync"
TASK_NAME = "kamei-sync"
CRON_MARK = "# kamei-sync"
TIME_LIMIT_HOURS = 6


class Kind(enum.StrEnum):
    """A platform scheduler."""

    systemd = "systemd"
    launchd = "launchd"
    schtasks = "schtasks"
    cron = "cron"


@dataclass(frozen=True, slots=True)
class ScheduleSpec:
    """What the nightly job runs, and when.

    ``command`` is the absolute argv of the run (``kamei --home HOME sync
    --scheduled``). ``passphrase_file`` selects the encrypted file keyring and
    names its passphrase file (for systemd a ``*.cred`` file made by
    ``systemd-creds encrypt`` is loaded with ``LoadCredentialEncrypted=``).
    """

    command: tuple[str, ...]
    home: Path
    at_jst: dt.time
    at_local: dt.time
    passphrase_file: Path | None = None

    @property
    def jst_text(self) -> str:
        return f"{self.at_jst:%H:%M} JST"

    @property
    def log_dir(self) -> Path:
        return self.home / "logs"


def _parse_at(text: str) -> dt.time:
    try:
        hours, minutes = text.split(":")
        return dt.time(int(hours), int(minutes))
    except ValueError:
        raise ConfigError(t("schedule.bad_at", value=text)) from None


def plan(
    program: Sequence[str],
    home: Path,
    *,
    now: dt.datetime,
    at: str | None = None,
    passphrase_file: Path | None = None,
) -> ScheduleSpec:
    """Fix the command and the time. ``now`` is aware, in the machine's local zone;
    ``at`` (``HH:MM``) is local time, default 00:30 JST."""
    if now.tzinfo is None:
        raise ValueError("plan() needs an aware 'now' in the local time zone")
    if not all(Path(part).is_absolute() for part in program[:1]):
        raise ConfigError(t("schedule.not_absolute"))
    if at is None:
        at_jst = DEFAULT_AT_JST
        day = now.astimezone(JST).date()
        at_local = dt.datetime.combine(day, at_jst, JST).astimezone(now.tzinfo).time()
    else:
        at_local = _parse_at(at)
        at_jst = dt.datetime.combine(now.date(), at_local, now.tzinfo).astimezone(JST).time()
    if passphrase_file is not None:
        passphrase_file = passphrase_file.expanduser().absolute()
    command = (*program, "--home", str(home), "sync", "--scheduled")
    return ScheduleSpec(command, home, at_jst, at_local, passphrase_file)


def maintenance_warning(spec: ScheduleSpec) -> str | None:
    """A warning when the run starts inside ShopServe's Wednesday maintenance window."""
    if MAINTENANCE_START <= spec.at_jst < MAINTENANCE_END:
        return t("schedule.maintenance", local=f"{spec.at_local:%H:%M}", jst=spec.jst_text)
    return None


def _environment(spec: ScheduleSpec, *, systemd: bool) -> dict[str, str]:
    """Variables the run needs: the encrypted file keyring, chosen explicitly."""
    if spec.passphrase_file is None:
        return {}
    env = {"PYTHON_KEYRING_BACKEND": CRYPTFILE_BACKEND}
    if not systemd:  # systemd hands the passphrase over as a credential instead
        env[ENV_PASSPHRASE_FILE] = str(spec.passphrase_file)
    return env


# --- systemd ----------------------------------------------------------------------


def _systemd_word(word: str) -> str:
    """One argument of ``ExecStart=``: quoted when needed; ``%`` and ``$`` escaped."""
    word = word.replace("%", "%%").replace("$", "$$")
    if word and not any(c.isspace() or c in "\"'\\;" for c in word):
        return word
    return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _systemd_value(text: str) -> str:
    return text.replace("%", "%%")


def systemd_units(spec: ScheduleSpec) -> dict[str, str]:
    """``{file name: text}`` of the user service and its timer."""
    service = [
        "[Unit]",
        "Description=kamei: pull new and changed orders (nightly)",
        "",
        "[Service]",
        "Type=oneshot",
        "ExecStart=" + " ".join(_systemd_word(word) for word in spec.command),
    ]
    for name, value in _environment(spec, systemd=True).items():
        service.append(f'Environment="{_systemd_value(f"{name}={value}")}"')
    if spec.passphrase_file is not None:
        encrypted = spec.passphrase_file.suffix == ".cred"  # made by `systemd-creds encrypt`
        option = "LoadCredentialEncrypted" if encrypted else "LoadCredential"
        service.append(
            f"{option}={PASSPHRASE_CREDENTIAL}:{_systemd_value(str(spec.passphrase_file))}"
        )
    service += [
        "UMask=0077",
        "Nice=10",
        "IOSchedulingClass=idle",
        "NoNewPrivileges=yes",
        f"TimeoutStartSec={TIME_LIMIT_HOURS}h",
    ]
    timer = [
        "[Unit]",
        f"Description=kamei: nightly sync at {spec.jst_text}",
        "",
        "[Timer]",
        f"OnCalendar=*-*-* {spec.at_jst:%H:%M}:00 Asia/Tokyo",
        "Persistent=true",  # a night the machine was off runs at the next boot
        "AccuracySec=1min",
        f"Unit={UNIT_NAME}.service",
        "",
        "[Install]",
        "WantedBy=timers.target",
    ]
    return {
        f"{UNIT_NAME}.service": "\n".join(service) + "\n",
        f"{UNIT_NAME}.timer": "\n".join(timer) + "\n",
    }


# --- launchd ------------------------------------------------------------------------


def launchd_plist(spec: ScheduleSpec) -> bytes:
    """A per-user launchd agent (``~/Library/LaunchAgents``); local time."""
    job: dict[str, object] = {
        "Label": LAUNCHD_LABEL,
        "ProgramArguments": list(spec.command),
        "StartCalendarInterval": {"Hour": spec.at_local.hour, "Minute": spec.at_local.minute},
        "StandardOutPath": str(spec.log_dir / "launchd.out.log"),
        "StandardErrorPath": str(spec.log_dir / "launchd.err.log"),
        "ProcessType": "Background",
        "LowPriorityIO": True,
        "Umask": 0o077,
        "RunAtLoad": False,
    }
    env = _environment(spec, systemd=False)
    if env:
        job["EnvironmentVariables"] = env
    return plistlib.dumps(job, sort_keys=True)


# --- Windows Task Scheduler -----------------------------------------------------------


def _task_action(spec: ScheduleSpec) -> tuple[str, str]:
    env = _environment(spec, systemd=False)
    if not env:
        return spec.command[0], subprocess.list2cmdline(spec.command[1:])
    # Task Scheduler has no environment setting: cmd sets the variables for the one run.
    sets = " && ".join(f'set "{name}={value}"' for name, value in env.items())
    return "cmd.exe", f"/d /c {sets} && {subprocess.list2cmdline(spec.command)}"


def task_xml(spec: ScheduleSpec) -> str:
    """Task Scheduler XML (``schtasks /Create /XML``). The +09:00 start keeps JST."""
    command, arguments = _task_action(spec)
    start = f"2025-01-01T{spec.at_jst:%H:%M}:00+09:00"
    return f"""<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Description>kamei: nightly sync at {spec.jst_text}</Description>
    <URI>\\{TASK_NAME}</URI>
  </RegistrationInfo>
  <Triggers>
    <CalendarTrigger>
      <StartBoundary>{start}</StartBoundary>
      <Enabled>true</Enabled>
      <ScheduleByDay>
        <DaysInterval>1</DaysInterval>
      </ScheduleByDay>
    </CalendarTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <StartWhenAvailable>true</StartWhenAvailable>
    <RunOnlyIfNetworkAvailable>true</RunOnlyIfNetworkAvailable>
    <ExecutionTimeLimit>PT{TIME_LIMIT_HOURS}H</ExecutionTimeLimit>
    <Enabled>true</Enabled>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>{escape(command)}</Command>
      <Arguments>{escape(arguments)}</Arguments>
    </Exec>
  </Actions>
</Task>
"""


# --- cron ---------------------------------------------------------------------------


def crontab_line(spec: ScheduleSpec) -> str:
    """One crontab line in local time; stdout is dropped, errors reach cron's mail."""
    env = _environment(spec, systemd=False)
    words = [f"{name}={shlex.quote(value)}" for name, value in env.items()]
    words += [shlex.quote(word) for word in spec.command]
    command = " ".join(words).replace("%", "\\%")  # a bare % ends a cron command
    minute, hour = spec.at_local.minute, spec.at_local.hour
    return f"{minute} {hour} * * * {command} >/dev/null {CRON_MARK} ({spec.jst_text})"

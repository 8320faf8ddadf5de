"""The nightly run: scheduler files, installing them, and the run's own log.

- ``units``: pure text for each platform's scheduler (systemd user service and
  timer, launchd agent, Task Scheduler XML, a crontab line) from a
  :class:`ScheduleSpec` made by :func:`plan`.
- ``host``: install, find and remove the job through a :class:`Host` (a root
  folder and a command runner, both injectable).
- ``runlog``: what ``kamei sync --scheduled`` writes: a rotating 0600 log and
  the last run's result.
"""

from .host import (
    Host,
    Installed,
    Runner,
    detect_kind,
    install,
    installed,
    kamei_program,
    linger_note,
    remove,
)
from .runlog import LastRun, RunLog, log_dir, read_last_run, scheduled_run
from .units import (
    DEFAULT_AT_JST,
    JST,
    LAUNCHD_LABEL,
    TASK_NAME,
    UNIT_NAME,
    Kind,
    ScheduleSpec,
    crontab_line,
    launchd_plist,
    maintenance_warning,
    plan,
    systemd_units,
    task_xml,
)

__all__ = [
    "DEFAULT_AT_JST",
    "JST",
    "LAUNCHD_LABEL",
    "TASK_NAME",
    "UNIT_NAME",
    "Host",
    "Installed",
    "Kind",
    "LastRun",
    "RunLog",
    "Runner",
    "ScheduleSpec",
    "crontab_line",
    "detect_kind",
    "install",
    "installed",
    "kamei_program",
    "launchd_plist",
    "linger_note",
    "log_dir",
    "maintenance_warning",
    "plan",
    "read_last_run",
    "remove",
    "scheduled_run",
    "systemd_units",
    "task_xml",
]

"""The nightly run: scheduler files, installing them (into a temp root), the scheduled sync.

No test touches the real crontab, systemd, launchd or Task Scheduler: installs go
into ``tmp_path`` through a recording command runner. systemd units are checked by
kamei's own unit parser always, and by ``systemd-analyze verify`` where it is
installed (the test is skipped, visibly, where it is not; ``KAMEI_REQUIRE_SYSTEMD=1``
turns that skip into a failure).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import plistlib
import re
import shlex
import shutil
import subprocess
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from clikit import invoke as kamei
from leaks import digit_values, file_bytes, findings
from typer.testing import CliRunner

import cli.schedule
from cli.app import app
from connectors.fakes import make_fake, serve_in_thread
from sync.scheduling import (
    Host,
    Kind,
    ScheduleSpec,
    crontab_line,
    detect_kind,
    install,
    installed,
    kamei_program,
    launchd_plist,
    maintenance_warning,
    plan,
    read_last_run,
    remove,
    systemd_units,
    task_xml,
)

runner = CliRunner()
PROGRAM = kamei_program()
HOME = Path("/srv/kamei home")
TOKYO = dt.timezone(dt.timedelta(hours=9))
BERLIN_WINTER = dt.timezone(dt.timedelta(hours=1))
NOW_TOKYO = dt.datetime(2026, 11, 25, 12, 0, tzinfo=TOKYO)
NOW_BERLIN = dt.datetime(2026, 11, 25, 12, 0, tzinfo=BERLIN_WINTER)


@pytest.fixture
def local_tz(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local zone is Tokyo for the CLI tests (restored afterwards)."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


class FakeScheduler:
    """Records scheduler commands; keeps a crontab; answers like the real tools."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.crontab: str | None = None
        self.crontab_l_code = 0
        self.tasks: set[str] = set()

    def __call__(self, argv: Sequence[str], stdin: str | None) -> tuple[int, str]:
        argv = list(argv)
        self.calls.append(argv)
        if argv[:2] == ["crontab", "-l"]:
            if self.crontab_l_code:
                return self.crontab_l_code, ""
            return (1, "") if self.crontab is None else (0, self.crontab)
        if argv[:2] == ["crontab", "-"]:
            self.crontab = stdin
            return 0, ""
        if argv[:2] == ["schtasks", "/Create"]:
            self.tasks.add(argv[3])
        if argv[:2] == ["schtasks", "/Query"]:
            return (0, "") if argv[3] in self.tasks else (1, "")
        if argv[:2] == ["schtasks", "/Delete"]:
            self.tasks.discard(argv[3])
        if argv[-2:] == ["is-enabled", "kamei-sync.timer"]:
            return 0, "enabled\n"
        if argv[:2] == ["loginctl", "show-user"]:
            return 0, "Linger=no\n"
        return 0, ""


def spec(*, passphrase: Path | None = None, at: str | None = None) -> ScheduleSpec:
    return plan(PROGRAM, HOME, now=NOW_TOKYO, at=at, passphrase_file=passphrase)


# --- when ---------------------------------------------------------------------------


def test_the_default_run_is_00_30_jst_whatever_the_local_zone() -> None:
    tokyo = plan(PROGRAM, HOME, now=NOW_TOKYO)
    assert (tokyo.at_jst, tokyo.at_local) == (dt.time(0, 30), dt.time(0, 30))
    berlin = plan(PROGRAM, HOME, now=NOW_BERLIN)
    assert (berlin.at_jst, berlin.at_local) == (dt.time(0, 30), dt.time(16, 30))
    assert maintenance_warning(tokyo) is None and maintenance_warning(berlin) is None


def test_at_is_local_time_and_a_time_in_shopserves_wednesday_window_is_warned() -> None:
    berlin = plan(PROGRAM, HOME, now=NOW_BERLIN, at="19:00")
    assert berlin.at_jst == dt.time(3, 0)
    assert maintenance_warning(berlin) == (
        "19:00 local is 03:00 JST, inside ShopServe's maintenance window (Wednesdays "
        "02:00-08:00 JST): ShopServe shops will fail every Wednesday; choose a time outside "
        "it, e.g. the default (--at omitted)"
    )
    for at, inside in (("01:59", False), ("02:00", True), ("07:59", True), ("08:00", False)):
        assert (maintenance_warning(spec(at=at)) is not None) is inside, at


@pytest.mark.parametrize("at", ["25:00", "7", "ab:cd", "12:60"])
def test_a_malformed_at_is_a_one_line_error(at: str) -> None:
    from kamei.errors import ConfigError

    with pytest.raises(ConfigError, match=r"--at wants a time like 00:30 \(24-hour, local\)"):
        plan(PROGRAM, HOME, now=NOW_TOKYO, at=at)


# --- systemd --------------------------------------------------------------------------

_KNOWN = {
    "Unit": {"Description"},
    "Service": {
        "Type",
        "ExecStart",
        "Environment",
        "LoadCredential",
        "LoadCredentialEncrypted",
        "UMask",
        "Nice",
        "IOSchedulingClass",
        "NoNewPrivileges",
        "TimeoutStartSec",
    },
    "Timer": {"OnCalendar", "Persistent", "AccuracySec", "Unit"},
    "Install": {"WantedBy"},
}


def parse_unit(text: str) -> dict[str, list[tuple[str, str]]]:
    """kamei's own strict reading of a unit file: sections, then Key=Value lines only."""
    sections: dict[str, list[tuple[str, str]]] = {}
    current: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith(("#", ";")):
            continue
        header = re.fullmatch(r"\[([A-Za-z]+)\]", line)
        if header:
            current = header.group(1)
            assert current in _KNOWN and current not in sections, f"line {number}: {line}"
            sections[current] = []
            continue
        assert current is not None, f"line {number}: a setting before any section"
        key, sep, value = line.partition("=")
        assert sep and key in _KNOWN[current], f"line {number}: unknown setting {key!r}"
        assert value and value == value.strip(), f"line {number}: empty or padded value"
        sections[current].append((key, value))
    return sections


def test_the_systemd_pair_is_a_oneshot_service_and_a_persistent_jst_timer() -> None:
    units = systemd_units(spec())
    assert sorted(units) == ["kamei-sync.service", "kamei-sync.timer"]
    service = dict(parse_unit(units["kamei-sync.service"])["Service"])
    assert service["Type"] == "oneshot"
    assert service["ExecStart"].endswith(' --home "/srv/kamei home" sync --scheduled')
    assert service["UMask"] == "0077"
    timer = parse_unit(units["kamei-sync.timer"])
    assert dict(timer["Timer"]) == {
        "OnCalendar": "*-*-* 00:30:00 Asia/Tokyo",
        "Persistent": "true",
        "AccuracySec": "1min",
        "Unit": "kamei-sync.service",
    }
    assert dict(timer["Install"]) == {"WantedBy": "timers.target"}


def test_with_a_passphrase_the_unit_loads_it_as_a_credential_and_picks_the_file_keyring(
    tmp_path: Path,
) -> None:
    units = systemd_units(spec(passphrase=tmp_path / "pw"))
    plain = dict(parse_unit(units["kamei-sync.service"])["Service"])
    assert plain["LoadCredential"] == f"kamei-keyring-passphrase:{tmp_path / 'pw'}"
    assert plain["Environment"] == (
        '"PYTHON_KEYRING_BACKEND=keyrings.cryptfile.cryptfile.CryptFileKeyring"'
    )
    sealed = systemd_units(spec(passphrase=tmp_path / "pw.cred"))["kamei-sync.service"]
    assert f"LoadCredentialEncrypted=kamei-keyring-passphrase:{tmp_path / 'pw.cred'}\n" in sealed
    assert "KAMEI_KEYRING_PASSPHRASE_FILE" not in sealed  # systemd hands it over itself


def _systemd_analyze(tmp_path: Path, units: dict[str, str]) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("systemd-analyze")
    if tool is None:
        if os.environ.get("KAMEI_REQUIRE_SYSTEMD") == "1":
            pytest.fail("KAMEI_REQUIRE_SYSTEMD=1 but systemd-analyze is not installed")
        pytest.skip("systemd-analyze is not installed: only kamei's own unit parser ran")
    folder = tmp_path / "units"
    folder.mkdir()
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    for name, text in units.items():
        (folder / name).write_text(text, encoding="utf-8")
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "SYSTEMD_LOG_LEVEL": "notice"}
    return subprocess.run(
        [tool, "verify", "--user", *(str(folder / name) for name in units)],
        capture_output=True,
        text=True,
        env=env,
        cwd=folder,
        timeout=60,
        check=False,
    )


def test_the_systemd_analyze_check_itself_catches_a_bad_unit(tmp_path: Path) -> None:
    units = systemd_units(spec())
    units["kamei-sync.timer"] += "OnBootSecc=5min\n"
    done = _systemd_analyze(tmp_path, units)
    assert "Unknown key 'OnBootSecc'" in done.stderr  # a warning only: stderr must be empty


@pytest.mark.parametrize("passphrase", [None, "pw", "pw.cred"])
def test_systemd_analyze_verifies_the_unit_pair_without_a_warning(
    tmp_path: Path, passphrase: str | None
) -> None:
    units = systemd_units(spec(passphrase=tmp_path / passphrase if passphrase else None))
    for text in units.values():
        parse_unit(text)
    done = _systemd_analyze(tmp_path, units)
    assert (done.returncode, done.stderr, done.stdout) == (0, "", "")


def test_odd_paths_are_quoted_for_systemd_and_still_verify(tmp_path: Path) -> None:
    program = tmp_path / "bin dir" / "kamei 100%"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\n", encoding="utf-8")
    program.chmod(0o755)
    odd = plan([str(program)], tmp_path / "a $HOME", now=NOW_TOKYO)
    units = systemd_units(odd)
    exec_start = dict(parse_unit(units["kamei-sync.service"])["Service"])["ExecStart"]
    assert exec_start == (
        f'"{tmp_path}/bin dir/kamei 100%%" --home "{tmp_path}/a $$HOME" sync --scheduled'
    )
    done = _systemd_analyze(tmp_path, units)
    assert (done.returncode, done.stderr) == (0, "")


def test_systemd_reads_the_calendar_spec_as_tokyo_time(tmp_path: Path) -> None:
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.skip("systemd-analyze is not installed")
    done = subprocess.run(
        [tool, "calendar", "*-*-* 00:30:00 Asia/Tokyo"],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Normalized form: *-*-* 00:30:00 Asia/Tokyo" in done.stdout


# --- launchd, Task Scheduler, cron ---------------------------------------------------------


def test_the_launchd_agent_round_trips_through_plistlib(tmp_path: Path) -> None:
    berlin = plan(PROGRAM, HOME, now=NOW_BERLIN, passphrase_file=tmp_path / "pw")
    job = plistlib.loads(launchd_plist(berlin))
    assert job == {
        "Label": "jp.kamei.sync",
        "ProgramArguments": [*PROGRAM, "--home", str(HOME), "sync", "--scheduled"],
        "StartCalendarInterval": {"Hour": 16, "Minute": 30},
        "StandardOutPath": f"{HOME}/logs/launchd.out.log",
        "StandardErrorPath": f"{HOME}/logs/launchd.err.log",
        "ProcessType": "Background",
        "LowPriorityIO": True,
        "Umask": 0o077,
        "RunAtLoad": False,
        "EnvironmentVariables": {
            "PYTHON_KEYRING_BACKEND": "keyrings.cryptfile.cryptfile.CryptFileKeyring",
            "KAMEI_KEYRING_PASSPHRASE_FILE": str(tmp_path / "pw"),
        },
    }


_TASK = "{http://schemas.microsoft.com/windows/2004/02/mit/task}"


def test_the_task_scheduler_xml_parses_and_keeps_the_jst_instant() -> None:
    xml = task_xml(spec())
    root = ET.fromstring(xml.encode("utf-16"))  # written UTF-16, as schtasks wants it
    assert root.tag == f"{_TASK}Task"
    trigger = root.find(f"{_TASK}Triggers/{_TASK}CalendarTrigger")
    assert trigger is not None
    assert trigger.findtext(f"{_TASK}StartBoundary") == "2025-01-01T00:30:00+09:00"
    assert trigger.findtext(f"{_TASK}ScheduleByDay/{_TASK}DaysInterval") == "1"
    assert root.findtext(f"{_TASK}Settings/{_TASK}StartWhenAvailable") == "true"
    assert root.findtext(f"{_TASK}Actions/{_TASK}Exec/{_TASK}Command") == PROGRAM[0]
    assert root.findtext(f"{_TASK}Actions/{_TASK}Exec/{_TASK}Arguments") == (
        '--home "/srv/kamei home" sync --scheduled'
    )


def test_task_scheduler_sets_the_file_keyring_through_cmd(tmp_path: Path) -> None:
    root = ET.fromstring(task_xml(spec(passphrase=tmp_path / "pw")).encode("utf-16"))
    exec_ = root.find(f"{_TASK}Actions/{_TASK}Exec")
    assert exec_ is not None and exec_.findtext(f"{_TASK}Command") == "cmd.exe"
    arguments = exec_.findtext(f"{_TASK}Arguments") or ""
    assert arguments.startswith(
        '/d /c set "PYTHON_KEYRING_BACKEND=keyrings.cryptfile.cryptfile.CryptFileKeyring" && '
        f'set "KAMEI_KEYRING_PASSPHRASE_FILE={tmp_path / "pw"}" && '
    )


def parse_crontab_line(line: str) -> tuple[list[str], list[str]]:
    """Five schedule fields and the command's words, as cron and then sh would read them."""
    fields = line.split(None, 5)
    assert len(fields) == 6, line
    minute, hour, day, month, weekday, command = fields
    assert minute.isdigit() and 0 <= int(minute) <= 59
    assert hour.isdigit() and 0 <= int(hour) <= 23
    assert (day, month, weekday) == ("*", "*", "*")
    assert re.search(r"(?<!\\)%", command) is None, "a bare % ends a cron command"
    return fields[:5], shlex.split(command.replace("\\%", "%"), comments=True)


def test_the_crontab_line_parses_and_uses_absolute_paths(tmp_path: Path) -> None:
    line = crontab_line(plan(PROGRAM, HOME, now=NOW_BERLIN))
    fields, words = parse_crontab_line(line)
    assert fields == ["30", "16", "*", "*", "*"]
    assert words == [*PROGRAM, "--home", str(HOME), "sync", "--scheduled", ">/dev/null"]
    assert Path(words[0]).is_absolute() and line.endswith("# kamei-sync (00:30 JST)")

    odd = plan(["/opt/kamei 100%/kamei"], HOME, now=NOW_TOKYO, passphrase_file=tmp_path / "p")
    fields, words = parse_crontab_line(crontab_line(odd))
    assert words[:3] == [
        "PYTHON_KEYRING_BACKEND=keyrings.cryptfile.cryptfile.CryptFileKeyring",
        f"KAMEI_KEYRING_PASSPHRASE_FILE={tmp_path / 'p'}",
        "/opt/kamei 100%/kamei",
    ]


# --- installing into a temporary root ---------------------------------------------------------


def test_systemd_install_writes_both_units_and_enables_the_timer(tmp_path: Path) -> None:
    fake = FakeScheduler()
    host = Host(Kind.systemd, tmp_path, fake, uid=1000)
    done = install(spec(), host)
    unit_dir = tmp_path / ".config" / "systemd" / "user"
    assert done == [
        f"wrote {unit_dir / 'kamei-sync.service'}",
        f"wrote {unit_dir / 'kamei-sync.timer'}",
        "enabled kamei-sync.timer (systemctl --user)",
    ]
    assert fake.calls == [
        ["systemctl", "--user", "daemon-reload"],
        ["systemctl", "--user", "enable", "--now", "kamei-sync.timer"],
    ]
    found = installed(host)
    assert found is not None and (found.when, found.enabled) == ("*-*-* 00:30:00 Asia/Tokyo", True)
    fake.calls.clear()
    assert remove(host, HOME) == [
        f"removed {unit_dir / 'kamei-sync.timer'}",
        f"removed {unit_dir / 'kamei-sync.service'}",
    ]
    assert fake.calls[0] == ["systemctl", "--user", "disable", "--now", "kamei-sync.timer"]
    assert installed(host) is None and remove(host, HOME) == []


def test_a_failing_systemctl_is_a_one_line_error_naming_the_way_out(tmp_path: Path) -> None:
    from kamei.errors import ConfigError

    host = Host(Kind.systemd, tmp_path, lambda argv, stdin: (1, ""), uid=1000)
    with pytest.raises(ConfigError) as caught:
        install(spec(), host)
    assert str(caught.value) == (
        "`systemctl --user daemon-reload` failed (exit 1); see `kamei schedule install "
        "--dry-run` to install the files by hand"
    )


def test_launchd_install_writes_the_agent_and_bootstraps_it(tmp_path: Path) -> None:
    fake = FakeScheduler()
    home = tmp_path / "kamei"
    host = Host(Kind.launchd, tmp_path, fake, uid=501)
    done = install(plan(PROGRAM, home, now=NOW_TOKYO), host)
    agent = tmp_path / "Library" / "LaunchAgents" / "jp.kamei.sync.plist"
    assert done == [f"wrote {agent}", "loaded jp.kamei.sync (launchctl)"]
    assert fake.calls == [["launchctl", "bootstrap", "gui/501", str(agent)]]
    assert (home / "logs").stat().st_mode & 0o777 == 0o700  # launchd writes its output there
    found = installed(host)
    assert found is not None and found.when == "00:30 local"
    assert remove(host, home) == [f"removed {agent}"] and not agent.exists()


def test_task_scheduler_install_creates_the_task_from_a_utf16_file(tmp_path: Path) -> None:
    fake = FakeScheduler()
    host = Host(Kind.schtasks, tmp_path, fake)
    home = tmp_path / "kamei"
    done = install(plan(PROGRAM, home, now=NOW_TOKYO), host)
    xml_file = home / "schedule" / "kamei-sync.xml"
    assert done == [f"wrote {xml_file}", "created task kamei-sync (schtasks)"]
    assert fake.calls == [["schtasks", "/Create", "/TN", "kamei-sync", "/XML", str(xml_file), "/F"]]
    assert xml_file.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")  # a BOM: UTF-16
    ET.fromstring(xml_file.read_bytes())
    assert installed(host) is not None
    assert remove(host, home) == ["deleted task kamei-sync (schtasks)"]
    assert not xml_file.exists() and installed(host) is None


def test_cron_install_keeps_other_lines_and_replaces_its_own(tmp_path: Path) -> None:
    fake = FakeScheduler()
    fake.crontab = "MAILTO=owner@example.invalid\n15 3 * * 1 /usr/bin/backup\n"
    host = Host(Kind.cron, tmp_path, fake)
    install(spec(), host)
    install(spec(at="23:10"), host)  # a second install replaces the first line
    assert fake.crontab is not None
    lines = fake.crontab.splitlines()
    assert lines[:2] == ["MAILTO=owner@example.invalid", "15 3 * * 1 /usr/bin/backup"]
    assert len(lines) == 3 and lines[2] == crontab_line(spec(at="23:10"))
    found = installed(host)
    assert found is not None and found.when == "10 23 * * *"
    assert remove(host, HOME) == ["removed the kamei-sync line from your crontab"]
    assert fake.crontab == "MAILTO=owner@example.invalid\n15 3 * * 1 /usr/bin/backup\n"


def test_a_crontab_that_cannot_be_read_is_never_rewritten(tmp_path: Path) -> None:
    from kamei.errors import ConfigError

    fake = FakeScheduler()
    fake.crontab, fake.crontab_l_code = "0 1 * * * /keep/me\n", 2
    with pytest.raises(ConfigError, match=r"`crontab -l` failed \(exit 2\)"):
        install(spec(), Host(Kind.cron, tmp_path, fake))
    assert fake.crontab == "0 1 * * * /keep/me\n"


@pytest.mark.parametrize(
    ("system", "booted", "tools", "expected"),
    [
        ("Darwin", False, set(), Kind.launchd),
        ("Windows", False, set(), Kind.schtasks),
        ("Linux", True, {"systemctl", "crontab"}, Kind.systemd),
        ("Linux", False, {"systemctl", "crontab"}, Kind.cron),  # a container: no systemd
        ("FreeBSD", False, {"crontab"}, Kind.cron),
        ("Linux", False, set(), None),
    ],
)
def test_the_scheduler_is_detected_per_platform(
    system: str, booted: bool, tools: set[str], expected: Kind | None
) -> None:
    which = {t: f"/usr/bin/{t}" for t in tools}.get
    assert detect_kind(system, which, booted) == expected


# --- the CLI ------------------------------------------------------------------------------


@pytest.fixture
def scheduler(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> FakeScheduler:
    """``kamei schedule`` installs into tmp_path/root with a recording runner."""
    fake = FakeScheduler()
    root = tmp_path / "root"

    def host_for(kind: Kind | None) -> Host:
        return Host(kind or Kind.cron, root, fake, uid=1000)

    monkeypatch.setattr(cli.schedule, "host_for", host_for)
    return fake


def test_dry_run_on_linux_prints_the_systemd_pair_and_a_crontab_line(
    local_tz: None, scheduler: FakeScheduler, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(platform, "system", lambda: "Linux")
    code, out, err = kamei("schedule", "install", "--dry-run")
    assert (code, err) == (0, "")
    units = systemd_units(plan(PROGRAM, home, now=NOW_TOKYO))
    root = home.parent / "root" / ".config" / "systemd" / "user"
    assert out == (
        "# kamei schedule install --dry-run: nothing was installed. The nightly run, at "
        "00:30 JST (00:30 local):\n"
        f"# --- systemd user unit: {root / 'kamei-sync.service'}\n"
        + units["kamei-sync.service"]
        + f"# --- systemd user unit: {root / 'kamei-sync.timer'}\n"
        + units["kamei-sync.timer"]
        + "# --- crontab line (crontab -e), where there is no systemd:\n"
        + crontab_line(plan(PROGRAM, home, now=NOW_TOKYO))
        + "\n"
    )
    assert scheduler.calls == [] and not (home.parent / "root").exists()


def test_install_status_and_remove_through_the_cli(
    local_tz: None, scheduler: FakeScheduler, home: Path
) -> None:
    code, out, err = kamei("schedule", "install", "--kind", "cron", "--at", "04:00")
    assert code == 0
    assert err == (
        "kamei: warning: 04:00 local is 04:00 JST, inside ShopServe's maintenance window "
        "(Wednesdays 02:00-08:00 JST): ShopServe shops will fail every Wednesday; choose a "
        "time outside it, e.g. the default (--at omitted)\n"
    )
    assert out == (
        "added a kamei-sync line to your crontab\n"
        f"kamei sync runs nightly at 04:00 JST (04:00 local); its log: {home}/logs/kamei.log\n"
    )
    code, out, _ = kamei("schedule", "status")
    assert (code, out) == (
        0,
        "nightly run: cron 0 4 * * *, enabled (crontab)\nlast scheduled run: none yet\n",
    )
    code, out, _ = kamei("schedule", "status", "--json")
    assert json.loads(out) == {
        "installed": {"kind": "cron", "location": "crontab", "when": "0 4 * * *", "enabled": True},
        "last_run": None,
        "shops": [],
    }
    assert kamei("schedule", "remove") == (0, "removed the kamei-sync line from your crontab\n", "")
    assert kamei("schedule", "remove") == (0, "no nightly run was installed\n", "")
    code, out, _ = kamei("schedule", "status")
    assert out.startswith("nightly run: not installed; run `kamei schedule install`\n")


def test_systemd_install_through_the_cli_mentions_lingering(
    local_tz: None, scheduler: FakeScheduler, home: Path
) -> None:
    code, out, _ = kamei("schedule", "install", "--kind", "systemd")
    assert code == 0
    assert out.endswith(
        "note: the timer runs only while you are logged in; `loginctl enable-linger` lets it "
        "run when you are not\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--at", "7pm"), "--at wants a time like 00:30 (24-hour, local), not '7pm'"),
        (("--kind", "at"), "--kind must be one of systemd, launchd, schtasks, cron, not 'at'"),
        (
            ("--keyring-passphrase-file", "/nonexistent/pw"),
            "the passphrase file /nonexistent/pw does not exist; write the keyring passphrase "
            "in it (mode 0600) first",
        ),
    ],
)
def test_bad_install_options_are_one_line_errors(
    scheduler: FakeScheduler, args: tuple[str, ...], message: str
) -> None:
    code, out, err = kamei("schedule", "install", "--dry-run", *args)
    assert (code, out, err) == (2, "", f"kamei: error: {message}\n")


def test_a_group_readable_passphrase_file_is_refused(
    scheduler: FakeScheduler, tmp_path: Path
) -> None:
    secret = tmp_path / "pw"
    secret.write_text("x", encoding="utf-8")
    secret.chmod(0o640)
    code, _, err = kamei("schedule", "install", "--keyring-passphrase-file", str(secret))
    assert (code, err) == (2, f"kamei: error: the passphrase file {secret} is readable by "
                              f"others; run `chmod 600 {secret}`\n")  # fmt: skip
    assert scheduler.calls == []


def test_every_schedule_command_has_a_summary_and_an_example() -> None:
    for command in ("install", "status", "remove"):
        code, out, _ = kamei("schedule", command, "--help")
        assert code == 0 and "Example" in out, command
    code, out, _ = kamei("schedule", "--help")
    assert "kamei schedule install --dry-run" in out


# --- the scheduled run -----------------------------------------------------------------------


def test_a_scheduled_sync_logs_to_a_private_rotating_file_and_records_its_result(
    home: Path,
) -> None:
    fake = make_fake("colorme", orders=40, seed=3, canary=True)
    with serve_in_thread(fake.app) as base_url:
        assert kamei("init")[0] == 0
        added = runner.invoke(
            app,
            ["shop", "add", "main", "--platform", "colorme", "--base-url", base_url,
             "--credential-stdin"],
            input=fake.credential,
        )  # fmt: skip
        assert added.exit_code == 0, added.stderr
        code, out, err = kamei("--debug", "sync", "--scheduled")
    assert code == 0, err
    assert out == "synced 1/1 shops: main +40 new orders\n"
    log_file = home / "logs" / "kamei.log"
    text = log_file.read_text(encoding="utf-8")
    assert "INFO kamei.scheduled: scheduled sync started (kamei " in text
    assert re.search(
        r"INFO kamei.scheduled: shop 'main' \(colorme\): ok, 40 new orders, \d+ pages", text
    )
    assert text.rstrip().endswith("INFO kamei.scheduled: scheduled sync ended with exit code 0")
    assert (home / "logs").stat().st_mode & 0o777 == 0o700
    for path in (log_file, home / "logs" / "last-run.json"):
        assert path.stat().st_mode & 0o777 == 0o600
    last = read_last_run(home)
    assert last is not None and (last.exit_code, last.shops_ok, last.error) == (0, 1, None)
    blobs = [(str(p), b) for p, b in file_bytes(home / "logs").items()]
    assert findings(blobs, digit_values(fake.dataset)) == []  # debug log included


def test_a_scheduled_sync_that_fails_exits_non_zero_and_says_why_in_the_log(home: Path) -> None:
    fake = make_fake("colorme", orders=5, seed=3, faults="revoked=1")
    with serve_in_thread(fake.app) as base_url:
        kamei("init")
        runner.invoke(
            app,
            ["shop", "add", "main", "--platform", "colorme", "--base-url", base_url,
             "--credential-stdin"],
            input=fake.credential,
        )  # fmt: skip
        code, _, err = kamei("sync", "--scheduled")
    assert code == 3
    assert err.startswith("kamei: main: ") and "kamei auth" in err
    text = (home / "logs" / "kamei.log").read_text(encoding="utf-8")
    assert "ERROR kamei.scheduled: shop 'main' (colorme): failed, 0 new orders" in text
    last = read_last_run(home)
    assert last is not None and (last.exit_code, last.shops_failed) == (3, 1)
    assert last.error == "1 of 1 shops failed"


def test_a_scheduled_sync_without_a_store_records_the_error(home: Path) -> None:
    code, out, err = kamei("sync", "--scheduled")
    assert (code, out) == (5, "")
    assert err == (
        f"kamei: error: no kamei store at {home / 'kamei.db'}; run `kamei init` to create one\n"
    )
    text = (home / "logs" / "kamei.log").read_text(encoding="utf-8")
    assert "ERROR kamei.scheduled: scheduled sync failed: no kamei store at" in text
    last = read_last_run(home)
    assert last is not None and last.exit_code == 5 and "kamei init" in (last.error or "")

"""``kamei doctor``: every check a line, every failure a fix.

Checks, in order: Python and packages; the keyring (which link of the secret
chain is in use, and whether it gives the store's keys without a prompt); the
store (opens, schema version, integrity, file permissions, size); each shop's
credential, by one real authenticated request for a ten-minute window through
the shop's own connector (no platform special cases); the nightly schedule
(installed, last run, last result); free disk space. Nothing is changed,
except that opening an old store migrates it, as any command would.
"""

from __future__ import annotations

import datetime as dt
import enum
import os
import shutil
import stat
import sys
import threading
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from connectors import Window, get_platform, make_client
from kamei import __version__
from kamei.errors import (
    AuthError,
    KameiError,
    PermissionDenied,
    PlatformUnavailable,
    RateLimited,
)
from store import Shop, Store, StorePaths, keyring_source, schema_latest_version

from .run import TransportFor
from .scheduling import Host, Installed, Kind, installed, read_last_run

__all__ = ["Check", "DoctorOptions", "Status", "run_checks"]

_PACKAGES = ("httpx", "keyring", "sqlalchemy", "sqlcipher3", "typer")
_SHOP_WINDOW = dt.timedelta(minutes=10)
_MIN_FREE = 512 << 20  # below this a sync can fail half-way: a failure
_LOW_FREE = 2 << 30  # below this: a warning
_DESKTOP_KEYRINGS = ("SecretService", "kwallet", "libsecret")


class Status(enum.StrEnum):
    ok = "ok"
    warn = "warn"
    fail = "fail"


@dataclass(frozen=True, slots=True)
class Check:
    """One line of ``kamei doctor``: a name, a status, what was found, how to fix it."""

    name: str
    status: Status
    detail: str
    fix: str | None = None


@dataclass(frozen=True, slots=True)
class DoctorOptions:
    """What the checks may reach: the scheduler host (None: no scheduler here), the
    shops' transports (tests), the clock, and how long one shop's request may take."""

    host: Host | None = None
    transport_for: TransportFor | None = None
    now: dt.datetime | None = None
    shop_timeout_s: float = 45.0


def run_checks(home: Path, options: DoctorOptions | None = None) -> list[Check]:
    """All checks for the kamei home ``home``, in the order they print."""
    options = options or DoctorOptions()
    paths = StorePaths.at(home)
    checks = [_python()]
    store: Store | None = None
    problem: KameiError | None = None
    if Store.exists(paths.home):
        try:
            store = Store.open(paths.home, readonly=True)
        except KameiError as exc:
            problem = exc
    checks.append(_keyring(store, problem))
    try:
        checks += _store(paths, store, problem)
        if store is not None:
            checks += [_shop(store, shop, options) for shop in store.list_shops()]
        checks.append(_schedule(paths.home, store, options.host))
    finally:
        if store is not None:
            store.close()
    checks.append(_disk(paths.home))
    return checks


def _python() -> Check:
    versions = []
    for name in _PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} missing")
    python = ".".join(str(part) for part in sys.version_info[:3])
    detail = f"Python {python}, kamei {__version__} ({', '.join(versions)})"
    if any(v.endswith("missing") for v in versions):
        return Check("python", Status.fail, detail, "reinstall kamei: pip install --force kamei")
    return Check("python", Status.ok, detail)


def _keyring(store: Store | None, problem: KameiError | None) -> Check:
    try:
        source, backend = keyring_source()
    except KameiError as exc:
        return Check("keyring", Status.fail, str(exc), "see docs/scheduling.md, 'Secrets'")
    detail = f"{backend} ({_SOURCES.get(source, source)})"
    if store is not None:
        try:
            store.pseudonym_key()  # the DB key already opened the store
        except KameiError as exc:
            return Check("keyring", Status.fail, f"{detail}; {exc}", _fix_for(exc))
        return Check("keyring", Status.ok, f"{detail}; reads the store's keys without a prompt")
    if problem is not None:
        return Check("keyring", Status.fail, f"{detail}; {problem}", _fix_for(problem))
    return Check("keyring", Status.ok, f"{detail}; no store yet")


_SOURCES = {
    "os-keyring": "the OS keyring",
    "explicit": "chosen by PYTHON_KEYRING_BACKEND or keyringrc.cfg",
    "systemd-credential": "encrypted file keyring, passphrase from a systemd credential",
    "passphrase-file": "encrypted file keyring, passphrase from KAMEI_KEYRING_PASSPHRASE_FILE",
    "environment": "environment variables, KAMEI_ALLOW_ENV_SECRETS=1",
}


def _fix_for(problem: KameiError) -> str:
    text = str(problem)
    for marker in ("; ", ": "):
        if marker in text:
            return text.rsplit(marker, 1)[1]
    return "run `kamei doctor` again after fixing the line above"


def _store(paths: StorePaths, store: Store | None, problem: KameiError | None) -> list[Check]:
    if store is None:
        if problem is None:
            return [Check("store", Status.fail, f"no store at {paths.db}", "run `kamei init`")]
        return [Check("store", Status.fail, str(problem), _fix_for(problem))]
    version, latest = store.schema_version(), schema_latest_version()
    size = sum(p.stat().st_size for p in (paths.db, paths.wal) if p.exists())
    try:
        shops = store.list_shops()
        orders = store.count_orders()
    except KameiError as exc:  # a damaged page under the tables: the integrity check says more
        checks = [Check("store", Status.fail, f"{paths.db}: {exc}", _fix_for(exc))]
    else:
        detail = (
            f"{paths.db}: schema v{version}, {_size(size)}, {orders} orders, "
            f"{_count(len(shops), 'shop')}"
        )
        checks = [
            Check("store", Status.ok, detail)
            if version == latest
            else Check(
                "store", Status.fail, f"{detail} (this kamei knows v{latest})", "upgrade kamei"
            )
        ]
    problems = store.verify()
    if problems:
        checks.append(
            Check(
                "integrity",
                Status.fail,
                f"{len(problems)} problems, first: {problems[0]}",
                "restore kamei.db and kamei.json from a backup",
            )
        )
    else:
        checks.append(Check("integrity", Status.ok, "every page and b-tree checks out"))
    checks.append(_permissions(paths))
    return checks


def _permissions(paths: StorePaths) -> Check:
    if os.name != "posix":
        return Check("permissions", Status.ok, "not checked on this OS (NTFS ACLs)")
    loose = []
    for path, private in ((paths.home, 0o700), (paths.db, 0o600), (paths.meta, 0o600)):
        if path.exists() and stat.S_IMODE(path.stat().st_mode) & 0o077:
            loose.append(f"{path} is {stat.S_IMODE(path.stat().st_mode):o}, not {private:o}")
    if loose:
        return Check(
            "permissions",
            Status.warn,
            "; ".join(loose),
            f"chmod 700 {paths.home} && chmod 600 {paths.home}/kamei.*",
        )
    return Check("permissions", Status.ok, f"{paths.home} 700, store files 600")


def _shop(store: Store, shop: Shop, options: DoctorOptions) -> Check:
    name = f"shop {shop.name}"
    outcome: list[Check] = []

    def probe() -> None:
        outcome.append(_probe_shop(store, shop, options))

    worker = threading.Thread(target=probe, name=f"kamei-doctor-{shop.name}", daemon=True)
    worker.start()
    worker.join(options.shop_timeout_s)
    if outcome:
        return outcome[0]
    return Check(
        name,
        Status.warn,
        f"no answer within {options.shop_timeout_s:.0f}s",
        "the platform may be slow or in maintenance; try again later",
    )


def _probe_shop(store: Store, shop: Shop, options: DoctorOptions) -> Check:
    name = f"shop {shop.name}"
    try:
        spec = get_platform(shop.platform)
    except KameiError as exc:
        return Check(name, Status.fail, str(exc), _fix_for(exc))
    try:
        credential = store.get_credential(shop.name)
        settings = dict(shop.settings)
        base_url = str(settings.get("base_url") or spec.default_base_url)
        transport = options.transport_for(shop.name) if options.transport_for else None
        now = (options.now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
        with make_client(base_url, transport=transport) as client:
            connector = spec.build(client, credential, {**settings, "shop": shop.name})
            page = connector.fetch_page(Window(now - _SHOP_WINDOW, now), 0)
    except (AuthError, PermissionDenied) as exc:
        return Check(name, Status.fail, f"{spec.label}: {exc}", _fix_for(exc))
    except (PlatformUnavailable, RateLimited) as exc:
        return Check(name, Status.warn, f"{spec.label}: {exc}", "try again later")
    except KameiError as exc:
        return Check(name, Status.fail, str(exc), _fix_for(exc))
    del page  # answered: the credential works; the orders themselves are not looked at
    return Check(name, Status.ok, f"{spec.label}: the credential works")


def _schedule(home: Path, store: Store | None, host: Host | None) -> Check:
    if host is None:
        return Check(
            "schedule",
            Status.warn,
            "no scheduler kamei knows on this machine",
            "run `kamei sync` from your own scheduler; see docs/scheduling.md",
        )
    try:
        job = installed(host)
    except KameiError as exc:
        return Check("schedule", Status.warn, str(exc), _fix_for(exc))
    if job is None:
        return Check(
            "schedule", Status.warn, f"no nightly run installed ({host.kind})", _INSTALL_FIX
        )
    detail = f"{job.kind} {job.when or ''}".rstrip()
    if job.enabled is False:
        return Check("schedule", Status.fail, f"{detail}, not enabled", _INSTALL_FIX)
    last = read_last_run(home)
    if last is None:
        detail += f"; no scheduled run yet{_last_sync(store)}"
        if _desktop_keyring(job):
            return Check("schedule", Status.warn, detail + _DESKTOP_NOTE, _DESKTOP_FIX)
        return Check("schedule", Status.ok, detail)
    when = dt.datetime.fromtimestamp(last.started_at, dt.UTC).isoformat(timespec="minutes")
    if not last.ok:
        return Check(
            "schedule",
            Status.fail,
            f"{detail}; last run {when} failed (exit {last.exit_code}): {last.error}",
            f"see {home / 'logs' / 'kamei.log'}; run `kamei sync` to retry now",
        )
    return Check("schedule", Status.ok, f"{detail}; last run {when} ok")


_INSTALL_FIX = "run `kamei schedule install`"


def _last_sync(store: Store | None) -> str:
    """The latest run of any sync, from the store's run log (", last sync ... ok")."""
    if store is None:
        return ""
    runs = [s for s in store.shop_status() if s.last_run_at is not None]
    if not runs:
        return ""
    latest = max(runs, key=lambda s: s.last_run_at or 0)
    when = dt.datetime.fromtimestamp(latest.last_run_at or 0, dt.UTC).isoformat(timespec="minutes")
    return f"; last sync {when} ({latest.name}: {latest.last_outcome})"


_DESKTOP_NOTE = "; the secrets are in a desktop keyring, which may be locked at night"
_DESKTOP_FIX = (
    "if the first night fails, use the encrypted file keyring: docs/scheduling.md, "
    "'Secrets without a desktop session'"
)


def _desktop_keyring(job: Installed) -> bool:
    """The job runs without a desktop session, yet the secrets are in a desktop keyring
    (a Linux Secret Service or KWallet): a warning until a night has gone well."""
    if job.kind not in (Kind.systemd, Kind.cron):
        return False
    try:
        _, backend = keyring_source()
    except KameiError:
        return False
    return any(word in backend for word in _DESKTOP_KEYRINGS)


def _disk(home: Path) -> Check:
    probe = home
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    free = shutil.disk_usage(probe).free
    detail = f"{_size(free)} free on the disk holding {home}"
    if free < _MIN_FREE:
        return Check("disk", Status.fail, detail, "free some space: a sync needs room to write")
    if free < _LOW_FREE:
        return Check("disk", Status.warn, detail, "free some space soon")
    return Check("disk", Status.ok, detail)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TiB"  # pragma: no cover

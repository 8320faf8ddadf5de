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

from connectors import Window, get_platform
from kamei import __version__
from kamei.errors import (
    AuthError,
    KameiError,
    PermissionDenied,
    PlatformUnavailable,
    RateLimited,
)
from kamei.i18n import t
from store import Shop, Store, StorePaths, keyring_source, schema_latest_version

from .run import TransportFor, open_connector
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
    missing = False
    for name in _PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            missing = True
            versions.append(t("doctor.package_missing", name=name))
    python = ".".join(str(part) for part in sys.version_info[:3])
    packages = ", ".join(versions)
    detail = t("doctor.python", python=python, kamei=__version__, packages=packages)
    if missing:
        return Check("python", Status.fail, detail, t("doctor.python.fix"))
    return Check("python", Status.ok, detail)


def _keyring(store: Store | None, problem: KameiError | None) -> Check:
    try:
        source, backend = keyring_source()
    except KameiError as exc:
        return Check("keyring", Status.fail, str(exc), t("doctor.keyring.fix"))
    known = f"doctor.source.{source}"
    detail = f"{backend} ({t(known) if source in _SOURCES else source})"
    if store is not None:
        try:
            store.pseudonym_key()  # the DB key already opened the store
        except KameiError as exc:
            failed = t("doctor.keyring.problem", detail=detail, problem=exc)
            return Check("keyring", Status.fail, failed, _fix_for(exc))
        return Check("keyring", Status.ok, t("doctor.keyring.ok", detail=detail))
    if problem is not None:
        failed = t("doctor.keyring.problem", detail=detail, problem=problem)
        return Check("keyring", Status.fail, failed, _fix_for(problem))
    return Check("keyring", Status.ok, t("doctor.keyring.no_store", detail=detail))


# The links of the secret chain, each described by the catalog's doctor.source.<link>.
_SOURCES = frozenset(
    ("os-keyring", "explicit", "systemd-credential", "passphrase-file", "environment")
)


def _fix_for(problem: KameiError) -> str:
    text = str(problem).rstrip("。")
    for marker in ("; ", "。", ": "):  # messages end with the next step (English, Japanese)
        if marker in text:
            return text.rsplit(marker, 1)[1]
    return t("doctor.fix_after")


def _store(paths: StorePaths, store: Store | None, problem: KameiError | None) -> list[Check]:
    if store is None:
        if problem is None:
            missing = t("doctor.store.none", path=paths.db)
            return [Check("store", Status.fail, missing, t("doctor.store.init"))]
        return [Check("store", Status.fail, str(problem), _fix_for(problem))]
    version, latest = store.schema_version(), schema_latest_version()
    size = sum(p.stat().st_size for p in (paths.db, paths.wal) if p.exists())
    try:
        shops = store.list_shops()
        orders = store.count_orders()
    except KameiError as exc:  # a damaged page under the tables: the integrity check says more
        checks = [Check("store", Status.fail, f"{paths.db}: {exc}", _fix_for(exc))]
    else:
        many = t("doctor.store.shops", count=len(shops))
        count = t("doctor.store.one_shop") if len(shops) == 1 else many
        detail = t(
            "doctor.store.detail",
            path=paths.db,
            version=version,
            size=_size(size),
            orders=orders,
            shops=count,
        )
        old = t("doctor.store.old", detail=detail, latest=latest)
        checks = [
            Check("store", Status.ok, detail)
            if version == latest
            else Check("store", Status.fail, old, t("doctor.store.upgrade"))
        ]
    problems = store.verify()
    if problems:
        checks.append(
            Check(
                "integrity",
                Status.fail,
                t("doctor.integrity.problems", count=len(problems), first=problems[0]),
                t("doctor.integrity.fix"),
            )
        )
    else:
        checks.append(Check("integrity", Status.ok, t("doctor.integrity.ok")))
    checks.append(_permissions(paths))
    return checks


def _permissions(paths: StorePaths) -> Check:
    if os.name != "posix":
        return Check("permissions", Status.ok, t("doctor.permissions.not_posix"))
    loose = []
    for path, private in ((paths.home, 0o700), (paths.db, 0o600), (paths.meta, 0o600)):
        if path.exists() and stat.S_IMODE(path.stat().st_mode) & 0o077:
            mode = f"{stat.S_IMODE(path.stat().st_mode):o}"
            loose.append(
                t("doctor.permissions.loose", path=path, mode=mode, private=f"{private:o}")
            )
    if loose:
        return Check(
            "permissions",
            Status.warn,
            "; ".join(loose),
            f"chmod 700 {paths.home} && chmod 600 {paths.home}/kamei.*",
        )
    return Check("permissions", Status.ok, t("doctor.permissions.ok", home=paths.home))


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
        t("doctor.shop.no_answer", seconds=options.shop_timeout_s),
        t("doctor.shop.slow"),
    )


def _probe_shop(store: Store, shop: Shop, options: DoctorOptions) -> Check:
    name = f"shop {shop.name}"
    try:
        spec = get_platform(shop.platform)
    except KameiError as exc:
        return Check(name, Status.fail, str(exc), _fix_for(exc))
    try:
        transport = options.transport_for(shop.name) if options.transport_for else None
        now = (options.now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
        with open_connector(store, shop, spec, transport) as connector:
            page = connector.fetch_page(Window(now - _SHOP_WINDOW, now), 0)
    except (AuthError, PermissionDenied) as exc:
        return Check(name, Status.fail, f"{spec.label}: {exc}", _fix_for(exc))
    except (PlatformUnavailable, RateLimited) as exc:
        return Check(name, Status.warn, f"{spec.label}: {exc}", t("doctor.shop.later"))
    except KameiError as exc:
        return Check(name, Status.fail, str(exc), _fix_for(exc))
    del page  # answered: the credential works; the orders themselves are not looked at
    return Check(name, Status.ok, t("doctor.shop.ok", label=spec.label))


def _schedule(home: Path, store: Store | None, host: Host | None) -> Check:
    if host is None:
        return Check(
            "schedule",
            Status.warn,
            t("doctor.schedule.no_scheduler"),
            t("doctor.schedule.own"),
        )
    try:
        job = installed(host)
    except KameiError as exc:
        return Check("schedule", Status.warn, str(exc), _fix_for(exc))
    if job is None:
        missing = t("doctor.schedule.not_installed", kind=host.kind)
        return Check("schedule", Status.warn, missing, t("doctor.schedule.install"))
    detail = f"{job.kind} {job.when or ''}".rstrip()
    if job.enabled is False:
        disabled = t("doctor.schedule.not_enabled", detail=detail)
        return Check("schedule", Status.fail, disabled, t("doctor.schedule.install"))
    last = read_last_run(home)
    if last is None:
        detail += t("doctor.schedule.no_run_yet", last=_last_sync(store))
        if _desktop_keyring(job):
            note = detail + t("doctor.schedule.desktop")
            return Check("schedule", Status.warn, note, t("doctor.schedule.desktop_fix"))
        return Check("schedule", Status.ok, detail)
    when = dt.datetime.fromtimestamp(last.started_at, dt.UTC).isoformat(timespec="minutes")
    if not last.ok:
        return Check(
            "schedule",
            Status.fail,
            t(
                "doctor.schedule.failed",
                detail=detail,
                when=when,
                code=last.exit_code,
                error=last.error,
            ),
            t("doctor.schedule.see_log", log=home / "logs" / "kamei.log"),
        )
    return Check("schedule", Status.ok, t("doctor.schedule.ok", detail=detail, when=when))


def _last_sync(store: Store | None) -> str:
    """The latest run of any sync, from the store's run log (", last sync ... ok")."""
    if store is None:
        return ""
    runs = [s for s in store.shop_status() if s.last_run_at is not None]
    if not runs:
        return ""
    latest = max(runs, key=lambda s: s.last_run_at or 0)
    when = dt.datetime.fromtimestamp(latest.last_run_at or 0, dt.UTC).isoformat(timespec="minutes")
    return t("doctor.schedule.last_sync", when=when, shop=latest.name, outcome=latest.last_outcome)


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
    detail = t("doctor.disk.free", size=_size(free), home=home)
    if free < _MIN_FREE:
        return Check("disk", Status.fail, detail, t("doctor.disk.full"))
    if free < _LOW_FREE:
        return Check("disk", Status.warn, detail, t("doctor.disk.low"))
    return Check("disk", Status.ok, detail)


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TiB"  # pragma: no cover

"""``Store``: the encrypted, pseudonymised order store of one kamei home.

It accepts only ``OrderRecord`` / ``LineRecord`` (types without contact fields),
``Checkpoint`` and ``RunStats``. Writes go through ``atomic()``: one transaction
per unit of work (a page's rows commit with its checkpoint), nested blocks are
savepoints, any exception rolls everything back. The store migrates on open, so
old and fresh files behave alike.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass, field, fields
from operator import attrgetter
from pathlib import Path
from types import TracebackType
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects.sqlite import dialect as sqlite_dialect
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql.compiler import SQLCompiler

from kamei.errors import (
    ConfigError,
    KameiError,
    StoreCorrupt,
    StoreError,
    StoreExists,
    UnknownShop,
    WrongKey,
)
from kamei.i18n import t

from . import keys, migrations, schema, secrets
from .engine import DEFAULT_CACHE_KIB, check_store_file, db_errors, make_engine
from .lock import SyncLock
from .numbers import number_of
from .paths import StoreMeta, StorePaths, create_private_file, ensure_private_dir, read_meta
from .paths import write_meta as _write_meta
from .records import Checkpoint, LineRecord, OrderRecord, RunStats

__all__ = ["Clock", "Shop", "ShopStatus", "Store"]

Clock = Callable[[], int]
"""Returns the current time in Unix seconds; injectable for tests."""


def _now() -> int:
    return int(time.time())


@dataclass(frozen=True, slots=True)
class Shop:
    """A registered shop. ``settings`` is non-secret configuration (JSON)."""

    id: int
    name: str
    platform: str
    created_at: int
    settings: Mapping[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, slots=True)
class ShopStatus:
    """One line of ``kamei status``: identifiers, counts and times only."""

    name: str
    platform: str
    orders: int
    last_success_at: int | None  # finish time of the last run that ended "ok"
    watermark: int | None
    last_run_at: int | None  # start time of the latest run, whatever its outcome
    last_outcome: str | None
    last_error: str | None
    checkpoint_error: str | None = None  # the stored checkpoint cannot be read


_FLAG_FIELDS = frozenset({"is_gift", "multi_destination", "is_member"})
_FINISHED = frozenset({"ok", "failed", "interrupted"})
_NAME_END = r"[^\s/:\\\x00-\x1f\x7f]"  # no space, separator or control character
_SHOP_NAME = re.compile(rf"{_NAME_END}(?:[^/:\\\x00-\x1f\x7f]{{0,62}}{_NAME_END})?")
_SECRET_WORDS = ("token", "secret", "password", "passwd", "api_key", "apikey", "credential")


def _upsert_orders() -> sa.Insert:
    # RETURNING gives each order's row id, new or kept, for its lines.
    stmt = sqlite_insert(schema.orders).values(
        {c.name: sa.bindparam(c.name) for c in schema.orders.c if c.name != "id"}
    )
    return stmt.on_conflict_do_update(
        index_elements=[schema.orders.c.order_key],
        set_={c.name: stmt.excluded[c.name] for c in schema.orders.c if c.name not in _KEEP},
    ).returning(schema.orders.c.id, schema.orders.c.order_key)


# Columns an upsert never writes: the row id (SQLite assigns it) and the key itself.
_KEEP = frozenset({"id", "order_key"})
# What each line copies from its order (see migration 5).
_FROM_ORDER = ("shop_id", "platform", "ordered_at", "status", "buyer_no")


@dataclass(frozen=True, slots=True)
class _Bulk:
    """A Core statement compiled once, whose VALUES row (or IN list) repeats ``n`` times.

    ``commit_page`` writes a page with one multi-row statement per table instead of
    ``executemany``, and binds plain tuples through ``exec_driver_sql``. Both matter
    on a full sync: SQLAlchemy's per-row parameter handling cost more than SQLite
    itself, and the driver releases and re-takes the GIL around every row it steps,
    so while the fetch thread parses the next page each row waited for a GIL
    switch interval (5 ms). One statement steps once. ``columns`` is the order of
    one row's values. ``limit`` (at most 256 rows, and under SQLite's variable limit)
    bounds each statement: the driver caches prepared statements, and a sync commits
    batches of up to 2,000 orders (``sync.engine``), so statements of a thousand rows
    and more, each a few MiB prepared, held a sync's peak RSS at 121 MiB at a million
    orders; with 256 it is 107 MiB, at the same speed (bench/RESULTS.md).
    """

    head: str
    group: str
    tail: str
    columns: tuple[str, ...]
    limit: int

    @classmethod
    def of(cls, stmt: sa.ClauseElement, group: str, *, after: str = "") -> _Bulk:
        """Split the compiled SQL at its only ``after + group``; ``group`` then repeats."""
        compiled = cast(SQLCompiler, stmt.compile(dialect=sqlite_dialect(paramstyle="qmark")))
        sql, columns = str(compiled), tuple(compiled.positiontup or ())
        if sql.count(after + group) != 1:  # pragma: no cover - SQLAlchemy changed its SQL
            raise AssertionError(f"cannot repeat {group!r} in {sql!r}")
        head, tail = sql.split(after + group)
        # 30,000 stays under SQLite's default limit of 32,766 variables per statement.
        return cls(head + after, group, tail, columns, limit=min(256, 30_000 // len(columns)))

    def sql(self, rows: int) -> str:
        return self.head + ", ".join([self.group] * rows) + self.tail

    def execute(
        self, conn: sa.Connection, rows: Sequence[tuple[Any, ...]]
    ) -> list[tuple[Any, ...]]:
        """Run the statement over ``rows``; the rows it returns, if any."""
        out: list[tuple[Any, ...]] = []
        for start in range(0, len(rows), self.limit):
            chunk = rows[start : start + self.limit]
            result = conn.exec_driver_sql(
                self.sql(len(chunk)), tuple(v for row in chunk for v in row)
            )
            if result.returns_rows:
                out.extend(tuple(row) for row in result)
        return out


def _values_group(columns: int) -> str:
    return "(" + ", ".join(["?"] * columns) + ")"


_UPSERT_ORDERS = _Bulk.of(
    _upsert_orders(), _values_group(len(schema.orders.c) - 1), after="VALUES "
)
_DELETE_LINES = _Bulk.of(
    schema.order_lines.delete().where(schema.order_lines.c.order_id.in_([sa.bindparam("id")])),
    "?",
)
_INSERT_LINES = _Bulk.of(
    schema.order_lines.insert(), _values_group(len(schema.order_lines.c)), after="VALUES "
)
# Rows are read off the records in the statements' own column order; what is not a
# record field (an order's shop_id, units and buyer_no; a line's order_id,
# product_no and its order's copied columns) is put in by position.
_ORDER_FIELDS = frozenset(f.name for f in fields(OrderRecord))
_LINE_FIELDS = frozenset(f.name for f in fields(LineRecord))
_ORDER_ROW = attrgetter(*(c if c in _ORDER_FIELDS else "order_key" for c in _UPSERT_ORDERS.columns))
_ORDER_SHOP_AT = _UPSERT_ORDERS.columns.index("shop_id")
_ORDER_UNITS_AT = _UPSERT_ORDERS.columns.index("units")
_ORDER_BUYER_NO_AT = _UPSERT_ORDERS.columns.index("buyer_no")
_ORDER_FLAGS_AT = tuple(_UPSERT_ORDERS.columns.index(flag) for flag in sorted(_FLAG_FIELDS))
_LINE_ROW = attrgetter(*(c if c in _LINE_FIELDS else "line_no" for c in _INSERT_LINES.columns))
_LINE_ID_AT = _INSERT_LINES.columns.index("order_id")
_LINE_PRODUCT_NO_AT = _INSERT_LINES.columns.index("product_no")
_LINE_COPIED_AT = tuple(
    (_INSERT_LINES.columns.index(c), _UPSERT_ORDERS.columns.index(c)) for c in _FROM_ORDER
)


class Store:
    """An open kamei store. Make one with ``Store.create`` or ``Store.open``."""

    def __init__(
        self,
        paths: StorePaths,
        meta: StoreMeta,
        engine: sa.Engine,
        *,
        readonly: bool,
        clock: Clock,
    ) -> None:
        self.paths = paths
        self.store_id = meta.store_id
        self.readonly = readonly
        self._engine: sa.Engine | None = engine
        self._clock = clock
        self._local = threading.local()  # the open transaction, per thread

    # --- lifecycle ----------------------------------------------------------------

    @classmethod
    def create(cls, home: str | Path | None = None, *, clock: Clock = _now) -> Store:
        """Create a new store: keys in the keyring, ``kamei.json``, the encrypted file.

        Refuses (``StoreExists``) if the home already holds a store; on any
        failure, removes what it made so ``kamei init`` can simply be retried.
        """
        paths = StorePaths.at(home)
        for existing in (paths.db, paths.meta):
            if existing.exists():
                raise StoreExists(t("store.exists", home=paths.home, file=existing.name))
        secrets.check_keyring()  # fail before anything is written
        ensure_private_dir(paths.home)
        meta = StoreMeta.new()
        made_db = made_keys = False
        try:
            try:
                create_private_file(paths.db)  # the claim: O_EXCL, 0600
            except FileExistsError as exc:
                raise StoreExists(t("store.just_created", home=paths.home)) from exc
            made_db = True
            secrets.create_store_keys(meta.store_id)
            made_keys = True
            _write_meta(paths.meta, meta)
            return cls._connect(paths, meta, readonly=False, clock=clock)
        except BaseException:
            if made_db:
                for leftover in (paths.db, paths.wal, paths.shm, paths.meta):
                    leftover.unlink(missing_ok=True)
            if made_keys:
                with suppress(KameiError):
                    secrets.delete_store_keys(meta.store_id)
            raise

    @classmethod
    def open(
        cls,
        home: str | Path | None = None,
        *,
        readonly: bool = False,
        cache_kib: int = DEFAULT_CACHE_KIB,
        clock: Clock = _now,
    ) -> Store:
        """Open the store at ``home`` and bring its schema up to date.

        Raises ``StoreMissing``, ``StoreCorrupt``, ``WrongKey`` (also for a plain
        SQLite file), ``SecretMissing`` or ``KeyringUnavailable``; the file is
        not modified unless it opens and needs a migration.
        """
        paths = StorePaths.at(home)
        check_store_file(paths.db)
        meta = read_meta(paths.meta)
        return cls._connect(paths, meta, readonly=readonly, clock=clock, cache_kib=cache_kib)

    @classmethod
    def exists(cls, home: str | Path | None = None) -> bool:
        return StorePaths.at(home).db.exists()

    @classmethod
    def _connect(
        cls,
        paths: StorePaths,
        meta: StoreMeta,
        *,
        readonly: bool,
        clock: Clock,
        cache_kib: int = DEFAULT_CACHE_KIB,
    ) -> Store:
        key = secrets.db_key(meta.store_id)
        try:
            engine = cls._engine_for(
                paths, key, readonly=readonly, clock=clock, cache_kib=cache_kib
            )
        except WrongKey:
            # An interrupted `kamei key rotate-db` may have left the working key under
            # its pending or previous name (store.keys explains the steps).
            recovered = keys.recover_key(paths, meta.store_id)
            if recovered is None:
                raise
            engine = cls._engine_for(
                paths, recovered, readonly=readonly, clock=clock, cache_kib=cache_kib
            )
        return cls(paths, meta, engine, readonly=readonly, clock=clock)

    @classmethod
    def _engine_for(
        cls, paths: StorePaths, key: bytes, *, readonly: bool, clock: Clock, cache_kib: int
    ) -> sa.Engine:
        engine = make_engine(paths.db, key, readonly=readonly, cache_kib=cache_kib)
        try:
            with db_errors(paths.db):
                if migrations.pending(engine):  # also the first read: a wrong key fails here
                    cls._migrate(paths, key, engine if not readonly else None, clock)
        except BaseException:
            engine.dispose()
            raise
        return engine

    @staticmethod
    def _migrate(paths: StorePaths, key: bytes, engine: sa.Engine | None, clock: Clock) -> None:
        if engine is not None:
            migrations.migrate(engine, clock=clock)
            return
        # A read-only open of an old file: migrate through a short-lived writer.
        writer = make_engine(paths.db, key)
        try:
            migrations.migrate(writer, clock=clock)
        finally:
            writer.dispose()

    def close(self) -> None:
        """Close every connection (idempotent); the WAL is checkpointed by SQLite."""
        engine, self._engine = self._engine, None
        if engine is not None:
            engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def path(self) -> Path:
        return self.paths.db

    @property
    def home(self) -> Path:
        return self.paths.home

    @property
    def engine(self) -> sa.Engine:
        """The SQLAlchemy engine, for read queries (reports). Writes use ``atomic``."""
        if self._engine is None:
            raise StoreError(t("store.closed"))
        return self._engine

    def connect(self) -> sa.Connection:
        """A connection for read queries: ``with store.connect() as conn: ...``."""
        with db_errors(self.path):
            return self.engine.connect()

    def db_errors(self) -> AbstractContextManager[None]:
        """Translate database errors in a block of read queries into kamei errors:
        ``with store.connect() as conn, store.db_errors(): ...`` (reports, ``kamei sql``)."""
        return db_errors(self.path)

    def sync_lock(self, *, wait: bool = False) -> SyncLock:
        """The exclusive sync lock of this home, taken on ``with``: ``wait=False``
        raises ``SyncLocked`` at once if another sync holds it."""
        return SyncLock(self.paths.lock, wait=wait)

    # --- keyring passthroughs, scoped to this store ------------------------------

    def pseudonym_key(self, version: int | None = None) -> tuple[int, bytes]:
        """``(version, key)`` of this store's pseudonym key (current if ``None``)."""
        return secrets.pseudonym_key(self.store_id, version)

    def set_credential(self, shop: str, fields: Mapping[str, str]) -> None:
        secrets.set_credential(self.store_id, shop, fields)

    def get_credential(self, shop: str) -> dict[str, str]:
        return secrets.get_credential(self.store_id, shop)

    def has_credential(self, shop: str) -> bool:
        return secrets.has_credential(self.store_id, shop)

    def delete_credential(self, shop: str) -> bool:
        return secrets.delete_credential(self.store_id, shop)

    def schema_version(self) -> int:
        with self._reading() as conn:
            return max(migrations.applied_versions(conn), default=0)

    def verify(self, *, limit: int = 20) -> list[str]:
        """Full integrity check (for ``kamei doctor``): every page's HMAC, then the
        b-trees. Reads the whole file; returns up to ``limit`` problems, none when
        healthy. Problems name pages and trees, never content."""
        problems: list[str] = []
        for pragma in ("cipher_integrity_check", "quick_check"):
            try:
                with self._reading() as conn:
                    for (text,) in conn.exec_driver_sql(f"PRAGMA {pragma}"):
                        problems.extend(
                            line for line in str(text).splitlines() if line.strip() and line != "ok"
                        )
            except StoreCorrupt:  # a damaged b-tree page can stop the check itself
                problems.append(f"{pragma} stopped: the file is malformed")
        return problems[:limit]

    # --- transactions -------------------------------------------------------------

    @contextmanager
    def atomic(self) -> Iterator[sa.Connection]:
        """One transaction; nested calls become savepoints; exceptions roll back."""
        if self.readonly:
            raise StoreError(t("store.opened_read_only"))
        current: sa.Connection | None = getattr(self._local, "conn", None)
        if current is not None:
            with db_errors(self.path), current.begin_nested():
                yield current
            return
        with db_errors(self.path), self.engine.connect() as conn:
            conn = conn.execution_options(kamei_write=True)
            with conn.begin():
                self._local.conn = conn
                try:
                    yield conn
                finally:
                    self._local.conn = None

    @contextmanager
    def _reading(self) -> Iterator[sa.Connection]:
        # Inside atomic(), read through its connection to see its own writes.
        current: sa.Connection | None = getattr(self._local, "conn", None)
        if current is not None:
            with db_errors(self.path):
                yield current
            return
        with db_errors(self.path), self.engine.connect() as conn:
            yield conn

    # --- shops --------------------------------------------------------------------

    def add_shop(self, name: str, platform: str, settings: Mapping[str, Any] | None = None) -> Shop:
        _check_shop_name(name)
        text = _settings_json(name, settings or {})
        with self.atomic() as conn:
            if _shop_row(conn, name) is not None:
                raise ConfigError(t("store.shop_exists", name=name))
            created = self._clock()
            shop_id = _inserted_id(
                conn.execute(
                    schema.shops.insert().values(
                        name=name, platform=platform, settings=text, created_at=created
                    )
                )
            )
        return Shop(shop_id, name, platform, created, json.loads(text))

    def update_shop_settings(self, name: str, settings: Mapping[str, Any]) -> Shop:
        text = _settings_json(name, settings)
        with self.atomic() as conn:
            shop = self._get_shop(conn, name)
            conn.execute(
                schema.shops.update().where(schema.shops.c.id == shop.id).values(settings=text)
            )
        return Shop(shop.id, shop.name, shop.platform, shop.created_at, json.loads(text))

    def list_shops(self) -> list[Shop]:
        with self._reading() as conn:
            rows = conn.execute(sa.select(schema.shops).order_by(schema.shops.c.name)).all()
        return [_shop(row) for row in rows]

    def get_shop(self, name: str) -> Shop:
        with self._reading() as conn:
            return self._get_shop(conn, name)

    def _get_shop(self, conn: sa.Connection, name: str) -> Shop:
        row = _shop_row(conn, name)
        if row is None:
            raise UnknownShop(t("store.unknown_shop", name=name))
        return _shop(row)

    def remove_shop(self, name: str, *, forget_credential: bool = True) -> None:
        """Remove a shop with its orders, lines, checkpoint and runs.

        Its keyring credential goes first, so an unusable keyring stops the
        removal before any data is gone.
        """
        shop = self.get_shop(name)
        if forget_credential:
            secrets.delete_credential(self.store_id, name)
        with self.atomic() as conn:
            orders, lines = schema.orders, schema.order_lines
            ids = sa.select(orders.c.id).where(orders.c.shop_id == shop.id)
            conn.execute(lines.delete().where(lines.c.order_id.in_(ids)))
            conn.execute(orders.delete().where(orders.c.shop_id == shop.id))
            conn.execute(schema.sync_state.delete().where(schema.sync_state.c.shop_id == shop.id))
            conn.execute(schema.sync_runs.delete().where(schema.sync_runs.c.shop_id == shop.id))
            conn.execute(schema.shops.delete().where(schema.shops.c.id == shop.id))

    # --- sync ---------------------------------------------------------------------

    def commit_page(
        self, shop_id: int, orders: Sequence[OrderRecord], checkpoint: Checkpoint
    ) -> int:
        """Upsert a page of orders, replace their lines and save the checkpoint, in
        ONE transaction. Returns how many distinct orders were written.

        Only exact ``OrderRecord``/``LineRecord``/``Checkpoint`` instances are
        accepted (not subclasses: a subclass could smuggle in contact fields).
        """
        if type(checkpoint) is not Checkpoint:
            raise TypeError(f"commit_page takes a Checkpoint, not {type(checkpoint).__name__}")
        latest: dict[str, OrderRecord] = {}
        for order in orders:
            if type(order) is not OrderRecord:
                raise TypeError(f"the store accepts only OrderRecord, not {type(order).__name__}")
            latest[order.order_key] = order  # the same order twice in a page: the last wins
        order_rows = {key: _order_row(shop_id, order) for key, order in latest.items()}
        for order in latest.values():  # check every line before anything is written
            for line in order.lines:
                if type(line) is not LineRecord:
                    raise TypeError(f"order lines must be LineRecord, not {type(line).__name__}")
        with self.atomic() as conn:
            _require_shop(conn, shop_id)
            if order_rows:
                ids = dict(
                    (key, order_id)
                    for order_id, key in _UPSERT_ORDERS.execute(conn, list(order_rows.values()))
                )
                # An order seen before keeps its id: replace its lines (new ids have none).
                _DELETE_LINES.execute(conn, [(order_id,) for order_id in ids.values()])
                line_rows = [
                    row
                    for key, order in latest.items()
                    for row in _line_rows(order, ids[key], order_rows[key])
                ]
                if line_rows:
                    _INSERT_LINES.execute(conn, line_rows)
            _save_checkpoint(conn, shop_id, checkpoint, self._clock())
        return len(order_rows)

    def load_checkpoint(self, shop_id: int) -> Checkpoint | None:
        """The shop's checkpoint, ``None`` before its first sync.

        Raises ``CheckpointError`` for a checkpoint this kamei cannot read."""
        state = schema.sync_state
        with self._reading() as conn:
            text = conn.execute(
                sa.select(state.c.checkpoint).where(state.c.shop_id == shop_id)
            ).scalar_one_or_none()
        return None if text is None else Checkpoint.from_json(text)

    def save_checkpoint(self, shop_id: int, checkpoint: Checkpoint) -> None:
        if type(checkpoint) is not Checkpoint:
            raise TypeError(f"save_checkpoint takes a Checkpoint, not {type(checkpoint).__name__}")
        with self.atomic() as conn:
            _require_shop(conn, shop_id)
            _save_checkpoint(conn, shop_id, checkpoint, self._clock())

    def count_orders(self, shop_id: int | None = None) -> int:
        query = sa.select(sa.func.count()).select_from(schema.orders)
        if shop_id is not None:
            query = query.where(schema.orders.c.shop_id == shop_id)
        with self._reading() as conn:
            return int(conn.execute(query).scalar_one())

    def count_in_window(self, shop_id: int, column: str, start: int, end: int) -> int:
        """Orders of a shop whose ``column`` time ("updated" or "ordered") is in
        the half-open window ``[start, end)``, for reconciliation."""
        if column not in ("updated", "ordered"):
            raise ValueError(f"column must be 'updated' or 'ordered', not {column!r}")
        orders = schema.orders
        time_col = orders.c.updated_at if column == "updated" else orders.c.ordered_at
        query = (
            sa.select(sa.func.count())
            .select_from(orders)
            .where(orders.c.shop_id == shop_id, time_col >= start, time_col < end)
        )
        with self._reading() as conn:
            return int(conn.execute(query).scalar_one())

    def order_keys(self, shop_id: int) -> set[str]:
        orders = schema.orders
        with self._reading() as conn:
            return set(
                conn.execute(sa.select(orders.c.order_key).where(orders.c.shop_id == shop_id))
                .scalars()
                .all()
            )

    # --- runs ---------------------------------------------------------------------

    def start_run(self, shop_id: int) -> int:
        """Record the start of a sync run; returns its id (outcome "running")."""
        with self.atomic() as conn:
            _require_shop(conn, shop_id)
            run_id = _inserted_id(
                conn.execute(
                    schema.sync_runs.insert().values(
                        shop_id=shop_id,
                        started_at=self._clock(),
                        outcome="running",
                        orders_written=0,
                        pages=0,
                        requests=0,
                        retries=0,
                        skipped=0,
                        mismatches=0,
                        problems="{}",
                    )
                )
            )
        return run_id

    def finish_run(self, run_id: int, stats: RunStats, duration_s: float) -> None:
        """Record how a run ended. ``stats.outcome`` must be ok, failed or interrupted."""
        if type(stats) is not RunStats:
            raise TypeError(f"finish_run takes RunStats, not {type(stats).__name__}")
        if stats.outcome not in _FINISHED:
            raise ValueError(
                f"a finished run's outcome is one of {sorted(_FINISHED)}, not {stats.outcome!r}"
            )
        runs = schema.sync_runs
        with self.atomic() as conn:
            done = conn.execute(
                runs.update()
                .where(runs.c.id == run_id)
                .values(
                    finished_at=self._clock(),
                    outcome=stats.outcome,
                    orders_written=stats.orders_written,
                    pages=stats.pages,
                    requests=stats.requests,
                    retries=stats.retries,
                    skipped=stats.skipped,
                    mismatches=stats.mismatches,
                    suppressed=stats.suppressed,
                    problems=json.dumps(dict(stats.problems), sort_keys=True),
                    error=_one_line(stats.error),
                    duration_s=float(duration_s),
                )
            )
            if done.rowcount != 1:
                raise StoreError(f"no sync run with id {run_id}; was its shop removed?")

    def mark_interrupted_runs(self, shop_id: int) -> int:
        """Runs of the shop still "running" (a crash) become "interrupted".

        Call it while holding the sync lock, so no live run is relabelled.
        """
        runs = schema.sync_runs
        with self.atomic() as conn:
            result = conn.execute(
                runs.update()
                .where(runs.c.shop_id == shop_id, runs.c.outcome == "running")
                .values(outcome="interrupted", finished_at=self._clock())
            )
        return int(result.rowcount)

    def shop_status(self) -> list[ShopStatus]:
        """Per shop: orders, last successful sync, watermark, last run's outcome."""
        runs, orders = schema.sync_runs, schema.orders
        result: list[ShopStatus] = []
        with self._reading() as conn:
            counted = conn.execute(
                sa.select(orders.c.shop_id, sa.func.count()).group_by(orders.c.shop_id)
            ).all()
            counts = {int(shop_id): int(n) for shop_id, n in counted}
            for shop in self.list_shops():
                last = conn.execute(
                    sa.select(runs.c.started_at, runs.c.outcome, runs.c.error)
                    .where(runs.c.shop_id == shop.id)
                    .order_by(runs.c.id.desc())
                    .limit(1)
                ).first()
                success = conn.execute(
                    sa.select(sa.func.max(runs.c.finished_at)).where(
                        runs.c.shop_id == shop.id, runs.c.outcome == "ok"
                    )
                ).scalar_one()
                watermark: int | None = None
                problem: str | None = None
                try:
                    checkpoint = self.load_checkpoint(shop.id)
                    watermark = checkpoint.watermark if checkpoint else None
                except KameiError as exc:
                    problem = str(exc)
                result.append(
                    ShopStatus(
                        name=shop.name,
                        platform=shop.platform,
                        orders=int(counts.get(shop.id, 0)),
                        last_success_at=success,
                        watermark=watermark,
                        last_run_at=last.started_at if last else None,
                        last_outcome=last.outcome if last else None,
                        last_error=last.error if last else None,
                        checkpoint_error=problem,
                    )
                )
        return result


# --- helpers ----------------------------------------------------------------------


def _check_shop_name(name: str) -> None:
    if not isinstance(name, str) or not _SHOP_NAME.fullmatch(name):
        raise ConfigError(
            f"{name!r} is not a usable shop name: use 1-64 characters without '/', ':', "
            "'\\' or leading/trailing spaces, e.g. `main-shop`"
        )


def _settings_json(shop: str, settings: Mapping[str, Any]) -> str:
    for key in settings:
        if not isinstance(key, str):
            raise ConfigError(f"settings of shop {shop!r} need text names")
        if any(word in key.lower() for word in _SECRET_WORDS):
            raise ConfigError(
                f"setting {key!r} of shop {shop!r} looks secret; secrets belong in the "
                f"keyring: use `kamei auth {shop}`"
            )
    try:
        return json.dumps(dict(settings), sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise ConfigError(
            f"settings of shop {shop!r} must be plain JSON values (text, numbers, lists)"
        ) from exc


def _shop_row(conn: sa.Connection, name: str) -> sa.Row[Any] | None:
    return conn.execute(sa.select(schema.shops).where(schema.shops.c.name == name)).first()


def _shop(row: sa.Row[Any]) -> Shop:
    return Shop(
        id=int(row.id),
        name=row.name,
        platform=row.platform,
        created_at=int(row.created_at),
        settings=json.loads(row.settings),
    )


def _compiled(stmt: sa.ClauseElement) -> str:
    return str(stmt.compile(dialect=sqlite_dialect(paramstyle="qmark")))


# Both run once per page of a sync: compiled once here (building the Core
# statement on every page cost ~10% of commit_page in a profile).
_SHOP_EXISTS = _compiled(
    sa.select(schema.shops.c.id).where(schema.shops.c.id == sa.bindparam("shop_id"))
)


def _upsert_checkpoint() -> sa.Insert:
    stmt = sqlite_insert(schema.sync_state).values(
        shop_id=sa.bindparam("shop_id"),
        checkpoint=sa.bindparam("checkpoint"),
        updated_at=sa.bindparam("updated_at"),
    )
    return stmt.on_conflict_do_update(
        index_elements=[schema.sync_state.c.shop_id],
        set_={"checkpoint": stmt.excluded.checkpoint, "updated_at": stmt.excluded.updated_at},
    )


_SAVE_CHECKPOINT = _compiled(_upsert_checkpoint())


def _require_shop(conn: sa.Connection, shop_id: int) -> None:
    if conn.exec_driver_sql(_SHOP_EXISTS, (shop_id,)).first() is None:
        raise UnknownShop(t("store.unknown_shop_id", id=shop_id))


def _save_checkpoint(conn: sa.Connection, shop_id: int, checkpoint: Checkpoint, now: int) -> None:
    conn.exec_driver_sql(_SAVE_CHECKPOINT, (shop_id, checkpoint.to_json(), now))


def _order_row(shop_id: int, order: OrderRecord) -> tuple[Any, ...]:
    row: list[Any] = list(_ORDER_ROW(order))
    row[_ORDER_SHOP_AT] = shop_id
    row[_ORDER_UNITS_AT] = sum(line.quantity for line in order.lines)
    row[_ORDER_BUYER_NO_AT] = number_of(order.buyer)
    for at in _ORDER_FLAGS_AT:
        row[at] = 1 if row[at] else 0
    return tuple(row)


def _line_rows(
    order: OrderRecord, order_id: int, order_row: tuple[Any, ...]
) -> Iterator[tuple[Any, ...]]:
    for line in order.lines:
        row: list[Any] = list(_LINE_ROW(line))
        row[_LINE_ID_AT] = order_id
        row[_LINE_PRODUCT_NO_AT] = number_of(line.product_id)
        for line_at, order_at in _LINE_COPIED_AT:
            row[line_at] = order_row[order_at]
        yield tuple(row)


def _inserted_id(result: sa.CursorResult[Any]) -> int:
    key = result.inserted_primary_key
    if key is None:  # pragma: no cover - SQLite always reports the rowid
        raise StoreError("the store did not report the new row's id; run `kamei doctor`")
    return int(key[0])


def _one_line(text: str | None, limit: int = 500) -> str | None:
    if text is None:
        return None
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"

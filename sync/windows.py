"""Cursor arithmetic for one run: the bounds, the lookback, the plan of windows.

Named values that stay apart (after dlt's ``Incremental``): the run's ``upper``
bound is fixed when the run starts and the watermark never passes it; the
``lookback`` is a clamped lag subtracted from the stored watermark; windows are
half-open ``[start, end)`` and never longer than the platform's ``max_window``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from connectors import Window
from store import Checkpoint

__all__ = ["HISTORY_START", "Plan", "SyncOptions", "from_ts", "plan_run", "to_ts"]

HISTORY_START = dt.datetime(2005, 1, 1, tzinfo=dt.UTC)
"""Where a first or ``--full`` sync starts: before any of the platforms' APIs existed."""

MAX_LOOKBACK = dt.timedelta(days=366)
MIN_LOOKBACK = dt.timedelta(minutes=5)
"""Even a "no lookback" shop re-reads a few minutes: platform clocks and ours disagree."""


def _ceil_second(moment: dt.datetime) -> dt.datetime:
    whole = moment.replace(microsecond=0)
    return whole if whole == moment else whole + dt.timedelta(seconds=1)


def to_ts(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def from_ts(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


@dataclass(frozen=True, slots=True)
class SyncOptions:
    """How a run chooses its start. ``since`` and ``full`` override the watermark."""

    full: bool = False
    since: dt.datetime | None = None
    lookback: dt.timedelta | None = None
    safety_lag: dt.timedelta = dt.timedelta(0)
    """How far behind "now" the run's upper bound sits. Zero by default: an order whose
    time lands behind the bound late (a platform clock behind ours) grows a window we
    are reading, which the engine notices, or is read by the next run's lookback."""


@dataclass(frozen=True, slots=True)
class Plan:
    """The windows one run will fetch, and where a crashed run's window resumes."""

    upper: dt.datetime
    windows: tuple[Window, ...]
    resume_offset: int = 0
    resume_total: int | None = None
    resumed: Window | None = None


def _chunks(start: dt.datetime, end: dt.datetime, cap: dt.timedelta | None) -> list[Window]:
    if end <= start:
        return []
    if cap is None:
        return [Window(start, end)]
    out = []
    while start < end:
        stop = min(end, start + cap)
        out.append(Window(start, stop))
        start = stop
    return out


def plan_run(
    checkpoint: Checkpoint | None,
    *,
    now: dt.datetime,
    options: SyncOptions,
    default_lookback: dt.timedelta,
    max_window: dt.timedelta | None,
    max_history: dt.timedelta | None = None,
) -> Plan:
    """Decide the run's windows from the checkpoint and the options. Pure function.

    ``max_history`` is how far back the platform serves orders at all (ShopServe:
    2 years); no window starts before ``upper - max_history``, whatever the options say.
    """
    # Whole seconds, rounded up: an order stamped in the current second is read now,
    # and one stamped later in that second is read again by the next run's lookback.
    upper = _ceil_second(now) - options.safety_lag
    checkpoint = checkpoint or Checkpoint()
    lookback = min(max(options.lookback or default_lookback, MIN_LOOKBACK), MAX_LOOKBACK)

    if options.full:
        start = HISTORY_START
    elif options.since is not None:
        start = options.since
    elif checkpoint.watermark is None:
        start = HISTORY_START
    else:
        start = from_ts(checkpoint.watermark) - lookback
    if max_history is not None:
        start = max(start, upper - max_history)
    start = min(start, upper - dt.timedelta(seconds=1))

    # A window a crashed run left half-done resumes at its next offset, provided it
    # lies inside this run's range (it always does unless --since moved past it).
    resumable = (
        checkpoint.window_start is not None
        and checkpoint.window_end is not None
        and not options.full
        and start <= from_ts(checkpoint.window_start)
        and from_ts(checkpoint.window_end) <= upper
    )
    if not resumable:
        return Plan(upper=upper, windows=tuple(_chunks(start, upper, max_window)))

    assert checkpoint.window_start is not None and checkpoint.window_end is not None
    resumed = Window(from_ts(checkpoint.window_start), from_ts(checkpoint.window_end))
    windows = [
        *_chunks(start, resumed.start, max_window),
        resumed,
        *_chunks(resumed.end, upper, max_window),
    ]
    return Plan(
        upper=upper,
        windows=tuple(windows),
        resume_offset=checkpoint.next_offset,
        resume_total=checkpoint.window_total,
        resumed=resumed,
    )

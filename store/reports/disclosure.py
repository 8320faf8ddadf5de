"""Disclosure control: no published figure describes fewer than k buyers.

Primary suppression: a group (row) with 1 to k-1 distinct buyers is withheld:
its figures become ``None`` and ``suppressed`` says ``small-group``. The row
stays, so nothing disappears silently. An empty group (0 buyers) describes
nobody and is published as zeros.

Complementary (secondary) suppression, for rows that a published total adds up
(a :class:`Line`): a reader can subtract the published parts from the total and
get the sum of the hidden parts. That remainder is harmless only if it covers
at least ``k`` buyers, so the rule is:

    In every line with a hidden part, at least one hidden part must itself have
    k or more buyers. If none has, also hide the published part with the fewest
    buyers (``complement``); if no part is left to hide, hide the total.

Then the remainder always includes a whole group of ``k`` or more buyers: it
can never be read as the figures of a small group, not even when two small
groups are hidden together (the bare "one hidden cell per line" rule lets
``total - published`` give the sum of two small groups). Lines are
one-dimensional and may not share parts (checked), so protecting one line never
exposes another; reports publish no two-way totals.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from .model import COMPLEMENT, SMALL_GROUP, Line

__all__ = ["COMPLEMENT", "SMALL_GROUP", "hide", "suppress"]


def hide(row: dict[str, Any], reason: str, keys: Iterable[str]) -> None:
    """Withhold every figure of ``row``; its key columns stay."""
    kept = set(keys)
    for column in list(row):
        if column not in kept:
            row[column] = None
    row["suppressed"] = reason


def suppress(
    rows: list[dict[str, Any]],
    *,
    k: int,
    keys: Sequence[str],
    lines: Sequence[Line] = (),
    size: str = "buyers",
) -> list[dict[str, Any]]:
    """Apply primary and complementary suppression to ``rows`` in place.

    ``size`` names the column holding each row's distinct-buyer count.
    """
    _check_lines(lines, len(rows))
    sizes = [int(row.get(size) or 0) for row in rows]
    # An empty group (no buyers) describes nobody: its zeros are published.
    reasons: list[str | None] = [SMALL_GROUP if 0 < n < k else None for n in sizes]
    for line in lines:
        _protect(line, sizes, reasons, k)
    for row, reason in zip(rows, reasons, strict=True):
        if reason is None:
            row["suppressed"] = None
        else:
            hide(row, reason, keys)
    return rows


def _protect(line: Line, sizes: list[int], reasons: list[str | None], k: int) -> None:
    if reasons[line.total] is not None:
        return  # nothing is published for this line: no equation to subtract from
    hidden = [i for i in line.parts if reasons[i] is not None]
    if not hidden or any(sizes[i] >= k for i in hidden):
        return
    # Only a part with k or more buyers protects the remainder (an empty one adds nobody).
    shown = [i for i in line.parts if reasons[i] is None and sizes[i] >= k]
    if shown:
        reasons[min(shown, key=lambda i: (sizes[i], i))] = COMPLEMENT
    else:
        reasons[line.total] = COMPLEMENT


def _check_lines(lines: Sequence[Line], count: int) -> None:
    seen: set[int] = set()
    totals = {line.total for line in lines}
    for line in lines:
        for i in (line.total, *line.parts):
            if not 0 <= i < count:
                raise ValueError(f"line refers to row {i}, but there are {count} rows")
        overlap = (seen | totals) & set(line.parts)
        if overlap:
            # Two-way totals need a different algorithm; no report publishes them.
            raise ValueError(f"rows {sorted(overlap)} belong to two lines")
        seen.update(line.parts)

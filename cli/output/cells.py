"""How one value is written: spreadsheet neutralising and human formatting."""

from __future__ import annotations

from typing import Any

__all__ = ["FORMULA_START", "SUPPRESSED_MARK", "human", "neutralise"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SUPPRESSED_MARK = "—"  # a withheld figure on screen and in HTML; blank in files


def neutralise(value: object) -> object:
    """Make a text cell inert in spreadsheets (OWASP CSV injection): a leading
    apostrophe before ``= + - @``, tab or CR. Numbers pass through untouched."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def human(value: Any, kind: str, *, withheld: bool = False) -> str:
    """A value as a person reads it: thousands separators, percentages."""
    if value is None:
        return SUPPRESSED_MARK if withheld else ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if kind == "ratio" and isinstance(value, int | float):
        return f"{value * 100:.1f}%"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)

"""Helpers for leak sweeps: every byte under a folder, and the decrypted store.

Canary mode marks every personal *text* value (names, kana, addresses,
e-mails, messages, …) with ``KNRY`` + hex, so one search for the marker covers
them all. Phones, postal codes, birthdays, member ids and slip numbers stay
digits: they are compared as whole digit runs (hyphens ignored), so a postal
code that happens to sit inside a hex pseudonym is not a false alarm.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import text

from connectors.fakes import Dataset
from store import Store

MARKER = b"knry"
# The marker with the start of its hex id: four letters alone turn up by chance in the
# random bytes of an encrypted store about once in a few hundred sweeps.
_CANARY = re.compile(rb"knry[0-9a-f]{4}", re.IGNORECASE)
_DIGIT_RUN = re.compile(rb"(?<![0-9A-Za-z])[0-9][0-9-]*[0-9](?![0-9A-Za-z])")
DIGIT_KINDS = ("phone", "postal", "birthday", "member_id", "slip_number")


def file_bytes(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def decrypted_text(home: Path) -> str:
    """Every value of every table, through SQLCipher with the key from the keyring."""
    parts: list[str] = []
    with Store.open(home, readonly=True) as store, store.connect() as conn:
        tables = [
            row[0]
            for row in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))
        ]
        for table in tables:
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                parts.extend(str(value) for value in row)
    return "\n".join(parts)


def digit_values(dataset: Dataset) -> set[bytes]:
    """The planted digit-only personal values, hyphens removed (at least 6 digits)."""
    by_kind = dataset.personal_values_by_kind()
    out = set()
    for kind in DIGIT_KINDS:
        for value in by_kind.get(kind, ()):
            digits = re.sub(r"\D", "", value)
            if len(digits) >= 6:
                out.add(digits.encode())
    return out


def findings(blobs: Iterable[tuple[str, bytes]], digits: set[bytes]) -> list[str]:
    """Where the canary marker (any case) or a planted digit value occurs."""
    found = []
    for name, blob in blobs:
        if _CANARY.search(blob):
            found.append(f"{name}: canary marker")
        runs = {run.replace(b"-", b"") for run in _DIGIT_RUN.findall(blob)}
        found.extend(f"{name}: planted digits {d.decode()}" for d in sorted(runs & digits))
    return found

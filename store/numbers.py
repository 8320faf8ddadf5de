"""Numbers for text the reports group by: buyer pseudonyms and product ids.

Reports group orders and lines by buyer and by product over millions of rows, and
SQLite sorts integers several times faster than text (bench/REPORTS.md). So the
store keeps, beside the text, a number derived from it: a keyless 63-bit hash
(BLAKE2b, 8 bytes, top bit cleared to fit SQLite's signed integer). It carries no
more than the text does, and anything that must be exact (``kamei
lookup``/``forget``, product names) matches the text as well. Two texts sharing a
number would be counted as one group; among ten million buyers the chance of any
such pair is about 1 in 200,000.
"""

from __future__ import annotations

from hashlib import blake2b

__all__ = ["number_of"]


def number_of(text: str) -> int:
    """The stored number of ``text`` (``buyer_no``, ``product_no``): the same on every
    machine and kamei version."""
    return int.from_bytes(blake2b(text.encode("utf-8"), digest_size=8).digest(), "big") >> 1

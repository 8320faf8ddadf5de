"""MakeShop's own prefecture codes (1–50) and how they map onto JIS X 0401 (1–47).

MakeShop does not use the JIS table (notes §3.8): Tokyo is split into 13
"東京(23区内)" and 14 "東京(23区外)", so every prefecture after Tokyo sits one
higher than its JIS code (15 神奈川県 … 48 沖縄県), and two codes are not
prefectures at all: 49 "離島部" (remote islands, of *some* prefecture) and
50 "海外" (overseas). kamei stores JIS codes only, so 49 and 50 become ``None``:
guessing a prefecture for an island would put buyers in the wrong region.
"""

from __future__ import annotations

import re
import unicodedata

from .prefectures import PREFECTURES, code_for_name

__all__ = [
    "ISLANDS",
    "MAKESHOP_CODES",
    "OVERSEAS",
    "TOKYO_OUTSIDE_WARDS",
    "TOKYO_WARDS",
    "jis_code",
    "jis_code_for_name",
    "makeshop_label",
]

TOKYO_WARDS = 13
TOKYO_OUTSIDE_WARDS = 14
ISLANDS = 49
OVERSEAS = 50


def _table() -> dict[int, int | None]:
    table: dict[int, int | None] = {code: code for code in range(1, TOKYO_WARDS + 1)}
    table[TOKYO_OUTSIDE_WARDS] = TOKYO_WARDS
    table.update({code: code - 1 for code in range(TOKYO_OUTSIDE_WARDS + 1, ISLANDS)})
    table[ISLANDS] = None
    table[OVERSEAS] = None
    return table


MAKESHOP_CODES: dict[int, int | None] = _table()
"""MakeShop code → JIS code (``None`` for remote islands and overseas)."""

_SPECIAL_LABELS = {
    TOKYO_WARDS: "東京(23区内)",
    TOKYO_OUTSIDE_WARDS: "東京(23区外)",
    ISLANDS: "離島部",
    OVERSEAS: "海外",
}


def jis_code(value: object) -> int | None:
    """The JIS code for a MakeShop code given as ``int`` or digit string, else ``None``.

    ``haddress1`` arrives as text (``"14"``); anything outside 1–50 is ``None``.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not text.isascii() or not text.isdigit() or len(text) > 3:
            return None
        value = int(text)
    if not isinstance(value, int):
        return None
    return MAKESHOP_CODES.get(value)


def makeshop_label(code: int) -> str:
    """The name MakeShop shows for one of its codes (``KeyError`` outside 1–50)."""
    if code in _SPECIAL_LABELS:
        return _SPECIAL_LABELS[code]
    jis = MAKESHOP_CODES[code]
    assert jis is not None  # only 49 and 50 map to None, and both have labels
    return PREFECTURES[jis - 1]


# "東京(23区内)" and the like: MakeShop's delivery-area suffix after a prefecture name.
_AREA_SUFFIX = re.compile(r"\s*\(.*\)\s*$")


def jis_code_for_name(name: object) -> int | None:
    """The JIS code for a prefecture name as MakeShop writes it, else ``None``.

    Takes plain names (``東京都``, ``東京``) and MakeShop's area labels
    (``東京(23区外)``, full-width brackets too); 離島部 and 海外 name no prefecture.
    """
    if not isinstance(name, str):
        return None
    text = _AREA_SUFFIX.sub("", unicodedata.normalize("NFKC", name))
    return code_for_name(text)

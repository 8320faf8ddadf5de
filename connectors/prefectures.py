"""Japanese prefectures by JIS X 0401 code (1 北海道 … 47 沖縄県).

kamei stores a buyer's prefecture as this code only. Platforms differ: Color Me
sends the code (plus 48 for overseas), MakeShop and ShopServe send names or whole
address strings, so the helpers here turn those into codes and nothing else.
"""

from __future__ import annotations

import unicodedata

__all__ = [
    "PREFECTURES",
    "code_for_name",
    "code_from_address",
    "name_for_code",
    "valid_code",
]

PREFECTURES: tuple[str, ...] = (
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
)
"""Names in JIS order: ``PREFECTURES[code - 1]``."""

_ROMAJI: tuple[str, ...] = (
    "hokkaido",
    "aomori",
    "iwate",
    "miyagi",
    "akita",
    "yamagata",
    "fukushima",
    "ibaraki",
    "tochigi",
    "gunma",
    "saitama",
    "chiba",
    "tokyo",
    "kanagawa",
    "niigata",
    "toyama",
    "ishikawa",
    "fukui",
    "yamanashi",
    "nagano",
    "gifu",
    "shizuoka",
    "aichi",
    "mie",
    "shiga",
    "kyoto",
    "osaka",
    "hyogo",
    "nara",
    "wakayama",
    "tottori",
    "shimane",
    "okayama",
    "hiroshima",
    "yamaguchi",
    "tokushima",
    "kagawa",
    "ehime",
    "kochi",
    "fukuoka",
    "saga",
    "nagasaki",
    "kumamoto",
    "oita",
    "miyazaki",
    "kagoshima",
    "okinawa",
)


def _short(name: str) -> str:
    # 北海道 keeps its 道: "北海" is not a form anyone writes.
    return name if name == "北海道" else name[:-1]


def _build_lookup() -> dict[str, int]:
    lookup: dict[str, int] = {}
    for code, (name, romaji) in enumerate(zip(PREFECTURES, _ROMAJI, strict=True), start=1):
        lookup[name] = code
        lookup[_short(name)] = code
        lookup[romaji] = code
        for suffix in ("-to", "-fu", "-ken", "-do", " prefecture"):
            lookup[romaji + suffix] = code
    return lookup


_LOOKUP = _build_lookup()


def valid_code(code: object) -> int | None:
    """``code`` if it is an int in 1..47, else ``None`` (48 = overseas, 0, bools, strings)."""
    if isinstance(code, int) and not isinstance(code, bool) and 1 <= code <= 47:
        return code
    return None


def name_for_code(code: int) -> str:
    """The Japanese name for a JIS code; ``ValueError`` outside 1..47."""
    if valid_code(code) is None:
        raise ValueError(f"not a prefecture code: {code!r}")
    return PREFECTURES[code - 1]


def _normalise(text: str) -> str:
    # NFKC folds full-width letters and spaces that hand-typed forms are full of.
    return unicodedata.normalize("NFKC", text).strip().lower()


def code_for_name(name: str | None) -> int | None:
    """The JIS code for a prefecture name, or ``None`` if it is not one.

    Accepts the full name (``東京都``), the short form (``東京``), and romaji
    (``Tokyo``, ``tokyo-to``), ignoring width, case and surrounding space.
    """
    if not name:
        return None
    return _LOOKUP.get(_normalise(name))


def code_from_address(address: str | None) -> int | None:
    """The JIS code from the start of a Japanese address (``大阪府大阪市…`` → 27).

    Only full names are matched: a short form at the start of an address is
    usually a city (``京都市`` is in 京都府, but ``福島区`` is in 大阪市).
    """
    if not address:
        return None
    text = _normalise(address)
    for code, name in enumerate(PREFECTURES, start=1):
        if text.startswith(name):
            return code
    return None

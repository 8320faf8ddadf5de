"""Deterministic synthetic Japanese shop data, shared by every platform fake.

Nothing here knows a wire format: each fake renders the same :class:`Dataset`
into its platform's JSON. Everything is fictional (invented towns, ``example.*``
mail domains, made-up phone numbers); names are common Japanese names combined
at random.

Determinism: all randomness comes from ``random.Random`` instances seeded from
the caller's ``seed`` (never the global RNG), so the same arguments give the
same data on every machine.

Scale: a dataset keeps only compact per-order arrays (order time, update time,
status, buyer); an order's lines, deliveries and texts are rebuilt on demand
from a per-order seed. 100,000 orders generate in under half a second and
1,000,000 in about five.

Sharing buyers across platforms: :func:`people` builds a pool whose person ``k``
depends only on ``(seed, k, canary)``. :func:`generate` with the same ``seed`` and
a different ``stream`` (the platform name) draws different orders from the same
pool, so the same people buy at two of the owner's shops.

Canary mode (``canary=True``) makes every personal *text* value unique and
greppable: it carries ``KNRY`` + 12 hex digits (``knry…`` inside e-mail
addresses). Values that are digits by nature (phones, postal codes, member ids,
slip numbers, birthdays) stay digits; phones, postal codes, member ids and slip
numbers are then unique instead.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import html
import random
import threading
import unicodedata
import zlib
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "CANARY_MARKER",
    "DELIVERY_METHODS",
    "DIGIT_KINDS",
    "PAYMENT_METHODS",
    "PERSONAL_KINDS",
    "PREFECTURES",
    "STATUSES",
    "Dataset",
    "Gender",
    "Mutation",
    "OrderView",
    "Person",
    "PersonPool",
    "Product",
    "Status",
    "SynthDelivery",
    "SynthLine",
    "SynthOrder",
    "TaxClass",
    "catalogue",
    "generate",
    "has_canary",
    "numeric_refs",
    "people",
]

Status = Literal["pending", "paid", "shipped", "cancelled", "returned"]
Gender = Literal["male", "female"]
TaxClass = Literal["standard", "reduced"]

STATUSES: tuple[Status, ...] = ("pending", "paid", "shipped", "cancelled", "returned")
CANARY_MARKER = "KNRY"

PERSONAL_KINDS: tuple[str, ...] = (
    "name",
    "kana",
    "company",
    "department",
    "email",
    "phone",
    "postal",
    "address",
    "birthday",
    "member_id",
    "gift_message",
    "noshi",
    "remark",
    "delivery_memo",
    "engraving",
    "slip_number",
    "transaction_id",
)
DIGIT_KINDS = frozenset({"phone", "postal", "birthday", "member_id", "slip_number"})
"""Kinds that stay digits in canary mode (unique, but without the marker)."""

JST = dt.timezone(dt.timedelta(hours=9), "JST")

# --- reference tables --------------------------------------------------------------------

PREFECTURES: tuple[str, ...] = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県",
    "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県",
    "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府",
    "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県",
    "鹿児島県", "沖縄県",
)  # fmt: skip
"""JIS X 0401 order: code ``n`` is ``PREFECTURES[n - 1]``."""

# Rough population weights (hundred-thousands), so Tokyo and Osaka dominate as in real shops.
_PREF_WEIGHTS = (
    51, 12, 12, 23, 9, 10, 18, 28, 19, 19, 73, 63, 140, 92, 21, 10, 11, 8, 8, 20, 20, 36, 75, 17,
    14, 25, 88, 54, 13, 9, 5, 6, 19, 28, 13, 7, 9, 13, 7, 51, 8, 13, 17, 11, 10, 16, 15,
)  # fmt: skip
# First three postal digits per prefecture (low, high), close to the real allocation.
_POSTAL = (
    (40, 99), (30, 39), (20, 29), (980, 989), (10, 19), (990, 999), (960, 979), (300, 319),
    (320, 329), (370, 379), (330, 369), (260, 299), (100, 208), (210, 259), (940, 959),
    (930, 939), (920, 929), (910, 919), (400, 409), (380, 399), (500, 509), (410, 439),
    (440, 498), (510, 519), (520, 529), (600, 629), (530, 599), (650, 679), (630, 639),
    (640, 649), (680, 689), (690, 699), (700, 719), (720, 739), (740, 759), (770, 779),
    (760, 769), (790, 799), (780, 789), (800, 839), (840, 849), (850, 859), (860, 869),
    (870, 879), (880, 889), (890, 899), (900, 909),
)  # fmt: skip
_CITIES = (
    "札幌市中央区", "青森市", "盛岡市", "仙台市青葉区", "秋田市", "山形市", "福島市", "水戸市",
    "宇都宮市", "前橋市", "さいたま市浦和区", "千葉市中央区", "世田谷区", "横浜市港北区",
    "新潟市中央区", "富山市", "金沢市", "福井市", "甲府市", "長野市", "岐阜市", "静岡市葵区",
    "名古屋市中区", "津市", "大津市", "京都市左京区", "大阪市北区", "神戸市中央区", "奈良市",
    "和歌山市", "鳥取市", "松江市", "岡山市北区", "広島市中区", "山口市", "徳島市", "高松市",
    "松山市", "高知市", "福岡市博多区", "佐賀市", "長崎市", "熊本市中央区", "大分市", "宮崎市",
    "鹿児島市", "那覇市",
)  # fmt: skip
_TOWNS = ("見本町", "架空台", "試験通", "仮名丘", "例題町", "標本坂", "模擬野", "想定浜", "空想原")
_BUILDINGS = ("メゾン見本", "架空ハイツ", "サンプルタワー", "コーポ試験", "仮名レジデンス")

# (kanji, katakana, romaji). 髙, 﨑 and 𠮷 are real surname variants that admin UIs
# often turn into HTML numeric references.
_FAMILY = (
    ("佐藤", "サトウ", "sato"), ("鈴木", "スズキ", "suzuki"), ("高橋", "タカハシ", "takahashi"),
    ("田中", "タナカ", "tanaka"), ("伊藤", "イトウ", "ito"), ("渡辺", "ワタナベ", "watanabe"),
    ("山本", "ヤマモト", "yamamoto"), ("中村", "ナカムラ", "nakamura"),
    ("小林", "コバヤシ", "kobayashi"), ("加藤", "カトウ", "kato"), ("吉田", "ヨシダ", "yoshida"),
    ("山田", "ヤマダ", "yamada"), ("佐々木", "ササキ", "sasaki"), ("山口", "ヤマグチ", "yamaguchi"),
    ("松本", "マツモト", "matsumoto"), ("井上", "イノウエ", "inoue"), ("木村", "キムラ", "kimura"),
    ("林", "ハヤシ", "hayashi"), ("斎藤", "サイトウ", "saito"), ("清水", "シミズ", "shimizu"),
    ("山崎", "ヤマザキ", "yamazaki"), ("森", "モリ", "mori"), ("池田", "イケダ", "ikeda"),
    ("橋本", "ハシモト", "hashimoto"), ("阿部", "アベ", "abe"), ("石川", "イシカワ", "ishikawa"),
    ("前田", "マエダ", "maeda"), ("藤田", "フジタ", "fujita"), ("小川", "オガワ", "ogawa"),
    ("岡田", "オカダ", "okada"), ("長谷川", "ハセガワ", "hasegawa"),
    ("村上", "ムラカミ", "murakami"), ("髙橋", "タカハシ", "takahashi"),
    ("山﨑", "ヤマザキ", "yamazaki"), ("𠮷田", "ヨシダ", "yoshida"),
)  # fmt: skip
_GIVEN_MALE = (
    ("太郎", "タロウ", "taro"), ("翔太", "ショウタ", "shota"), ("大輔", "ダイスケ", "daisuke"),
    ("健太", "ケンタ", "kenta"), ("拓也", "タクヤ", "takuya"), ("蓮", "レン", "ren"),
    ("悠真", "ユウマ", "yuma"), ("浩", "ヒロシ", "hiroshi"), ("誠", "マコト", "makoto"),
    ("直樹", "ナオキ", "naoki"), ("和也", "カズヤ", "kazuya"), ("陽斗", "ハルト", "haruto"),
)  # fmt: skip
_GIVEN_FEMALE = (
    ("花子", "ハナコ", "hanako"), ("陽子", "ヨウコ", "yoko"), ("美咲", "ミサキ", "misaki"),
    ("結衣", "ユイ", "yui"), ("彩", "アヤ", "aya"), ("恵子", "ケイコ", "keiko"),
    ("由美", "ユミ", "yumi"), ("さくら", "サクラ", "sakura"), ("真由美", "マユミ", "mayumi"),
    ("愛", "アイ", "ai"), ("陽菜", "ヒナ", "hina"), ("智子", "トモコ", "tomoko"),
)  # fmt: skip
_DOMAINS = ("example.jp", "example.com", "example.ne.jp", "example.co.jp", "example.org")
_COMPANIES = ("見本商事", "架空工業", "サンプル物産", "試験電機", "仮名製作所", "例題フーズ")
_DEPARTMENTS = ("営業部", "総務部", "経理課", "開発部", "購買課")

# (name, code, category, unit price excl. tax, tax class, variation axes, engravable)
_Axis = tuple[str, tuple[str, ...]]
_COLOURS: _Axis = ("カラー", ("ホワイト", "ブラック", "ネイビー", "黃色"))
_SIZES: _Axis = ("サイズ", ("S", "M", "L", "XL"))
_PRODUCT_TABLE: tuple[tuple[str, str, str, int, TaxClass, tuple[_Axis, ...], bool], ...] = (
    ("オーガニック緑茶 100g", "TEA-100", "food", 1200, "reduced", (), False),
    ("国産はちみつ 500g", "HNY-500", "food", 2400, "reduced", (), False),
    ("手焼きせんべい詰め合わせ", "SNB-SET", "food", 1800, "reduced", (), False),
    ("ドリップコーヒー 20袋", "CFE-20", "food", 1500, "reduced",
     (("種類", ("ブラジル", "コロンビア", "ブレンド")),), False),
    ("純米吟醸 720ml", "SKE-720", "alcohol", 2800, "standard", (), False),
    ("スパークリングワイン 750ml", "WIN-750", "alcohol", 3200, "standard", (), False),
    ("名入れマグカップ", "MUG-NM", "gift", 2200, "standard", (_COLOURS,), True),
    ("名入れボールペン", "PEN-NM", "gift", 3000, "standard", (), True),
    ("今治タオルギフトセット", "TWL-GFT", "gift", 3500, "standard", (), False),
    ("リネンシャツ", "SHT-LIN", "apparel", 6800, "standard", (_COLOURS, _SIZES), False),
    ("オーガニックコットンTシャツ", "TSH-ORG", "apparel", 3800, "standard",
     (_COLOURS, _SIZES), False),
    ("ウールソックス", "SCK-WL", "apparel", 1200, "standard", (_SIZES,), False),
    ("保湿クリーム 50g", "CRM-50", "cosmetics", 2800, "standard", (), False),
    ("薬用育毛トニック 200ml", "HGT-200", "hair-growth", 5800, "standard", (), False),
    ("スカルプシャンプー 育毛サポート", "HGS-400", "hair-growth", 3600, "standard", (), False),
    ("発毛サポートサプリ 90粒", "HGP-90", "hair-growth", 4800, "reduced", (), False),
    ("成人向けグッズ（大人のおもちゃ）", "ADT-001", "adult", 6900, "standard", (), False),
    ("成人向けランジェリー", "ADT-LNG", "adult", 4500, "standard", (_SIZES,), False),
    ("潤滑ゼリー（成人向け）", "ADT-GEL", "adult", 1800, "standard", (), False),
    ("オンライン英会話 3か月コース", "LNG-EN3", "language-course", 29800, "standard",
     (("レベル", ("初級", "中級", "上級")),), False),
    ("韓国語入門講座 テキスト付き", "LNG-KR1", "language-course", 12000, "standard", (), False),
    ("ビジネス中国語 通信講座", "LNG-ZH1", "language-course", 24000, "standard", (), False),
    ("妊娠検査薬 2回用", "HLT-PRG", "health", 1100, "standard", (), False),
    ("禁煙補助ガム", "HLT-NCG", "health", 2300, "standard", (), False),
    ("ステンレスタンブラー", "TMB-SS", "kitchen", 2600, "standard", (_COLOURS,), True),
    ("木製カッティングボード", "CTB-WD", "kitchen", 4200, "standard",
     (("サイズ", ("小", "中", "大")),), True),
    ("本革ブックカバー 文庫", "BKC-LTH", "stationery", 3300, "standard", (_COLOURS,), True),
    ("A5ノート 3冊セット", "NTE-A5", "stationery", 900, "standard", (), False),
    ("ペット用おやつ ささみ", "PET-SSM", "pet", 800, "standard", (), False),
    # Names a spreadsheet would run as formulas: exports must neutralise them.
    ("=SUM(1+1) ロゴステッカー", "STK-EQ", "novelty", 300, "standard", (), False),
    ("+81 トラベル変換プラグ", "PLG-81", "novelty", 1800, "standard", (), False),
    ("-10% お試しセット", "TRY-10", "novelty", 500, "reduced", (), False),
    ("@home ルームウェア", "RMW-AT", "apparel", 4900, "standard", (_SIZES,), False),
)  # fmt: skip
_DIGITAL = "language-course"

# (label, fee, weight, issues a provider transaction id)
_PAYMENTS = (
    ("クレジットカード決済", 0, 48, False),
    ("代金引換", 330, 10, False),
    ("銀行振込", 0, 10, False),
    ("コンビニ決済", 220, 8, False),
    ("Amazon Pay", 0, 10, True),
    ("PayPay", 0, 8, True),
    ("楽天ペイ", 0, 6, True),
)
PAYMENT_METHODS: tuple[str, ...] = tuple(p[0] for p in _PAYMENTS)
# (label, shipping fee)
_DELIVERY_METHODS = (
    ("ヤマト運輸 宅急便", 800),
    ("ゆうパック", 770),
    ("佐川急便", 750),
    ("ネコポス", 385),
)
_ONLINE_DELIVERY = ("オンライン受講（配送なし）", 0)
DELIVERY_METHODS: tuple[str, ...] = (*(d[0] for d in _DELIVERY_METHODS), _ONLINE_DELIVERY[0])
_FREE_SHIPPING_FROM = 5000
# (name, code, kind, amount)
_COUPONS = (
    ("初回購入10%OFF", "WELCOME10", "percent", 10),
    ("500円OFFクーポン", "SAVE500", "yen", 500),
    ("送料無料クーポン", "FREESHIP", "shipping", 0),
)
_PERIODS = ("午前中", "14時〜16時", "16時〜18時", "18時〜20時", "19時〜21時")

# Free-text templates. {…} fields are filled from the order; some mention personal data
# on purpose, because real customers do.
_REMARKS = (
    "{date}までに届くと助かります。",
    "領収書の宛名は「{atena}」でお願いします。",
    "不在がちなので置き配希望です。連絡先 {phone}",
    "ギフト用なので金額のわかるものは入れないでください。",
    "前回注文分と同梱できますか？",
    "いつもありがとうございます&#9825;",
    "急ぎません。よろしくお願いします。",
)
_GIFT_MESSAGES = (
    "{to}さん お誕生日おめでとう！ {fr}より",
    "いつもありがとう。これからもよろしくね。",
    "ご結婚おめでとうございます。末永くお幸せに。",
    "{to}へ 合格おめでとう！",
)
_NOSHI = ("御祝 {fam}", "内祝 {fam}", "御礼 {fam}", "寿 {fam}")
_MEMOS = (
    "宅配ボックスに入れてください",
    "インターホンが鳴らないので {phone} に電話してください",
    "管理人室に預けてください",
    "平日午前中は不在です",
)
_ENGRAVINGS = ("{ri}.{rf} {date}", "Happy Wedding {ri}&{rf}", "{fam}家", "祝 還暦 {giv}")

# Characters that Color Me's admin UI stores as HTML numeric references (notes §6).
_REF_CHARS = frozenset("髙﨑𠮷ヷ黃")


# --- small helpers -----------------------------------------------------------------------

_MASK48 = (1 << 48) - 1
_MASK64 = (1 << 64) - 1

# Canary token kinds: 4 bits each, so at most 16.
(_K_NAME, _K_KANA, _K_COMPANY, _K_DEPT, _K_EMAIL, _K_ADDR1, _K_ADDR2, _K_GIFT, _K_NOSHI,
 _K_REMARK, _K_MEMO, _K_ENGRAVE, _K_TXN) = range(13)  # fmt: skip


def _token(ns: int, kind: int, index: int) -> str:
    """``KNRY`` + 12 hex digits, distinct for distinct ``(ns, kind, index)``.

    The 48-bit value packs namespace (4 bits), kind (4 bits) and index (40 bits)
    and is scrambled by a bijection (odd multipliers and an xor-shift), so it is
    unique by construction while not looking sequential.
    """
    x = ((ns & 0xF) << 44) | ((kind & 0xF) << 40) | (index & ((1 << 40) - 1))
    x = (x * 0x9E3779B97F4B) & _MASK48
    x ^= x >> 21
    x = (x * 0xD6E8FEB86659) & _MASK48
    x ^= x >> 24  # so the low digits depend on the kind and namespace too
    return f"{CANARY_MARKER}{x:012x}"


def has_canary(text: str) -> bool:
    """Whether ``text`` carries a canary token (e-mail addresses carry it in lower case)."""
    return CANARY_MARKER.lower() in text.lower()


def numeric_refs(text: str) -> str:
    """``text`` with the characters admin UIs escape written as ``&#NNNN;`` references."""
    return "".join(f"&#{ord(ch)};" if ch in _REF_CHARS else ch for ch in text)


def _spread(index: int, modulus: int, multiplier: int = 7_654_321) -> int:
    """A bijection of ``[0, modulus)`` for a power-of-ten modulus: unique digits that
    do not look sequential. An affine map (the multiplier is coprime to 10) followed by
    a digit reversal, so nearby indexes differ in their leading digits too."""
    width = len(str(modulus)) - 1
    return int(f"{(index * multiplier + 1_234_567) % modulus:0{width}d}"[::-1])


def _mix(seed: int, index: int) -> int:
    return (seed * 0x9E3779B97F4A7C15 + (index + 1) * 0xBF58476D1CE4E5B9) & _MASK64


def _stable_seed(*parts: object) -> int:
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _weighted(rng: random.Random, weights: tuple[int, ...]) -> int:
    return rng.choices(range(len(weights)), weights)[0]


def _fmt(text: str, canary: bool, token: str) -> str:
    return f"{text} {token}" if canary else text


# --- value types -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    """A buyer (from a :class:`PersonPool`) or a gift recipient (made per order).

    ``phone`` is served exactly as written here (hyphens, full-width digits, +81
    variants). ``postal`` is 7 digits without a hyphen. ``prefecture`` is the JIS
    code 1–47, ``None`` overseas. Recipients have no e-mail or membership.
    """

    key: int
    name: str
    kana: str
    email: str | None
    phone: str
    mobile: str | None
    company: str | None
    department: str | None
    is_member: bool
    member_id: str | None
    birthday: dt.date | None
    gender: Gender | None
    postal: str
    prefecture: int | None
    address1: str
    address2: str | None
    newsletter: bool
    points: int

    @property
    def family_name(self) -> str:
        return self.name.replace("\u3000", " ").split(" ")[0]

    @property
    def prefecture_name(self) -> str | None:
        return PREFECTURES[self.prefecture - 1] if self.prefecture else None


@dataclass(frozen=True, slots=True)
class Product:
    """A catalogue item. ``unit_price`` excludes tax; ``variations`` lists option axes."""

    product_id: int
    code: str
    name: str
    category: str
    unit_price: int
    tax_class: TaxClass
    variations: tuple[tuple[str, tuple[str, ...]], ...]
    engravable: bool

    @property
    def tax_rate(self) -> int:
        """Consumption tax in percent: 10 standard, 8 reduced (food)."""
        return 8 if self.tax_class == "reduced" else 10


@dataclass(frozen=True, slots=True)
class SynthLine:
    """One order line.

    ``unit_price`` and ``subtotal`` exclude tax; the ``*_with_tax`` twins include it
    (per unit, rounded down). ``engraving`` is personal free text.
    """

    product: Product
    variation: tuple[str, ...]
    quantity: int
    unit_price: int
    unit_price_with_tax: int
    subtotal: int
    subtotal_with_tax: int
    engraving: str | None

    @property
    def sku(self) -> str:
        indexes = (
            str(axis[1].index(value) + 1)
            for axis, value in zip(self.product.variations, self.variation, strict=True)
        )
        return "-".join((self.product.code, *indexes))

    @property
    def full_name(self) -> str:
        """Name and options as at order time: ``リネンシャツ（カラー：ネイビー / サイズ：M）``."""
        if not self.variation:
            return self.product.name
        options = " / ".join(
            f"{axis[0]}：{value}"
            for axis, value in zip(self.product.variations, self.variation, strict=True)
        )
        return f"{self.product.name}（{options}）"


@dataclass(frozen=True, slots=True)
class SynthDelivery:
    """One destination. ``lines`` are indexes into the order's lines."""

    recipient: Person
    is_buyer: bool
    method: str
    shipping: int
    lines: tuple[int, ...]
    preferred_date: dt.date | None
    preferred_period: str | None
    slip_number: str | None
    gift_message: str | None
    noshi: str | None
    memo: str | None


@dataclass(frozen=True, slots=True)
class SynthOrder:
    """One order. Times are Unix seconds; money is integer yen.

    ``grand_total = goods_total + tax + shipping + fee - discount - points_used``,
    ``goods_total`` excludes tax and ``tax = tax_standard + tax_reduced``. Money
    is as ordered, also for cancelled orders (a platform may zero it when serving).
    ``split_siblings`` lists the ids of all parts of a split order (empty if unsplit).
    """

    order_id: int
    make_time: int
    update_time: int
    status: Status
    buyer: Person
    lines: tuple[SynthLine, ...]
    deliveries: tuple[SynthDelivery, ...]
    goods_total: int
    tax_standard: int
    tax_reduced: int
    shipping: int
    fee: int
    discount: int
    points_used: int
    grand_total: int
    payment_method: str
    coupon_name: str | None
    coupon_code: str | None
    remark: str | None
    transaction_id: str | None
    mobile: bool
    split_siblings: tuple[int, ...]

    @property
    def tax(self) -> int:
        return self.tax_standard + self.tax_reduced

    @property
    def made_at(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.make_time, dt.UTC)

    @property
    def updated_at(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.update_time, dt.UTC)

    @property
    def delivery_method(self) -> str:
        return self.deliveries[0].method

    @property
    def is_gift(self) -> bool:
        return any(d.gift_message or d.noshi or not d.is_buyer for d in self.deliveries)

    @property
    def multi_destination(self) -> bool:
        return len(self.deliveries) > 1


@dataclass(frozen=True, slots=True)
class Mutation:
    """What one churn step did: the id of the new order and of the updated one."""

    created: int
    updated: int | None


# --- people -------------------------------------------------------------------------------

# Phone tails (8 digits) and canary postal codes come from disjoint index ranges, so
# buyers' and recipients' numbers never collide: buyer k's phones use 2k and 2k + 1.
_PHONE_RECIPIENT_BASE = 50_000_000
_POSTAL_RECIPIENT_BASE = 5_000_000


class PersonPool:
    """Buyers ``0 … size-1``; person ``k`` depends only on ``(seed, k, canary)``.

    Persons are built on first access and cached, so a pool for a million orders
    costs nothing until its people are served.
    """

    def __init__(self, seed: int, size: int, *, canary: bool = False) -> None:
        if not 1 <= size <= _POSTAL_RECIPIENT_BASE:
            raise ValueError(f"a person pool holds 1 to {_POSTAL_RECIPIENT_BASE:,} people")
        self.seed = seed
        self.size = size
        self.canary = canary
        self._base = _stable_seed("people", seed)
        self._cache: dict[int, Person] = {}

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, key: int) -> Person:
        if not 0 <= key < self.size:
            raise IndexError(f"person {key} is not in a pool of {self.size}")
        person = self._cache.get(key)
        if person is None:
            person = _buyer(random.Random(_mix(self._base, key)), key, self.canary)
            self._cache[key] = person
        return person

    def __iter__(self) -> Iterator[Person]:
        return (self[k] for k in range(self.size))


def people(seed: int, n: int, *, canary: bool = False) -> PersonPool:
    """The shared buyer pool for ``seed``: pass it to :func:`generate` for each platform."""
    return PersonPool(seed, n, canary=canary)


def _phone(rng: random.Random, tail: int, mobile: bool) -> str:
    """A phone number served in one of the formats shops really receive."""
    digits = (
        f"{rng.choice(('090', '080', '070')) if mobile else rng.choice(('03', '06'))}{tail:08d}"
    )
    national = f"{digits[:-8]}-{digits[-8:-4]}-{digits[-4:]}"
    roll = rng.random()
    if roll < 0.45:
        return national
    if roll < 0.70:
        return digits
    if roll < 0.80:  # full-width digits and hyphen, as typed with a Japanese IME
        return national.translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))
    if roll < 0.88:
        return f"+81-{national[1:]}"
    if roll < 0.92:
        return f"+81 {national[1:].replace('-', ' ')}"
    if roll < 0.96:
        return f"({digits[:-8]}){digits[-8:-4]}-{digits[-4:]}"
    return national.replace("-", " ")


def _address(
    rng: random.Random, canary: bool, ns: int, index: int, overseas: bool
) -> tuple[int | None, str, str | None]:
    if overseas:
        street = f"{rng.randint(100, 9999)} Example Ave, Springfield, WA"
        country = _fmt("United States", canary, _token(ns, _K_ADDR2, index))
        return None, _fmt(street, canary, _token(ns, _K_ADDR1, index)), country
    pref = _weighted(rng, _PREF_WEIGHTS) + 1
    line1 = (
        f"{_CITIES[pref - 1]}{rng.choice(_TOWNS)}"
        f"{rng.randint(1, 5)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}"
    )
    line2 = None
    if rng.random() < 0.45:
        line2 = f"{rng.choice(_BUILDINGS)}{rng.randint(1, 12)}0{rng.randint(1, 9)}"
        line2 = _fmt(line2, canary, _token(ns, _K_ADDR2, index))
    return pref, _fmt(line1, canary, _token(ns, _K_ADDR1, index)), line2


def _postal(rng: random.Random, pref: int | None, canary: bool, index: int) -> str:
    if canary:  # unique instead of plausible
        return f"{_spread(index, 10_000_000, 3_141_593):07d}"
    low, high = _POSTAL[(pref or 13) - 1]
    return f"{rng.randint(low, high):03d}{rng.randint(0, 9999):04d}"


def _names(rng: random.Random) -> tuple[tuple[str, str, str], tuple[str, str, str], Gender]:
    family = rng.choice(_FAMILY)
    gender: Gender = "female" if rng.random() < 0.6 else "male"
    given = rng.choice(_GIVEN_FEMALE if gender == "female" else _GIVEN_MALE)
    return family, given, gender


def _full_name(rng: random.Random, family: str, given: str) -> str:
    roll = rng.random()
    sep = " " if roll < 0.8 else ("\u3000" if roll < 0.9 else "")
    return f"{family}{sep}{given}"


def _buyer(rng: random.Random, k: int, canary: bool) -> Person:
    (fam, fam_kana, fam_r), (giv, giv_kana, giv_r), gender = _names(rng)
    overseas = rng.random() < 0.005
    pref, line1, line2 = _address(rng, canary, 0, k, overseas)
    if canary:
        email = f"{_token(0, _K_EMAIL, k).lower()}@{rng.choice(_DOMAINS)}"
    else:
        local = f"{giv_r}.{fam_r}.{k:x}" if rng.random() < 0.6 else f"{fam_r}{giv_r[0]}{k}"
        if rng.random() < 0.05:  # some people type capitals: identity must lower-case them
            local = local.capitalize()
        email = f"{local}@{rng.choice(_DOMAINS)}"
    company = department = None
    if rng.random() < 0.12:
        company = _fmt(f"株式会社{rng.choice(_COMPANIES)}", canary, _token(0, _K_COMPANY, k))
        if rng.random() < 0.5:
            department = _fmt(rng.choice(_DEPARTMENTS), canary, _token(0, _K_DEPT, k))
    is_member = rng.random() < 0.55
    birthday = None
    if rng.random() < 0.45:
        birthday = dt.date(1945, 1, 1) + dt.timedelta(days=rng.randrange(365 * 63))
    return Person(
        key=k,
        name=_fmt(_full_name(rng, fam, giv), canary, _token(0, _K_NAME, k)),
        kana=_fmt(f"{fam_kana} {giv_kana}", canary, _token(0, _K_KANA, k)),
        email=email,
        phone=_phone(rng, _spread(2 * k, 100_000_000), mobile=rng.random() < 0.75),
        mobile=(
            _phone(rng, _spread(2 * k + 1, 100_000_000), mobile=True)
            if rng.random() < 0.2
            else None
        ),
        company=company,
        department=department,
        is_member=is_member,
        member_id=str(30_000_000 + _spread(k, 10_000_000, 1_618_033)) if is_member else None,
        birthday=birthday,
        gender=gender if rng.random() < 0.6 else None,
        postal=_postal(rng, pref, canary, k),
        prefecture=pref,
        address1=line1,
        address2=line2,
        newsletter=rng.random() < 0.4,
        points=rng.randrange(0, 3000, 10) if is_member else 0,
    )


def _recipient(rng: random.Random, index: int, ns: int, canary: bool) -> Person:
    """A gift recipient for delivery ``index`` (= order index × 4 + delivery number)."""
    (fam, fam_kana, _), (giv, giv_kana, _), _ = _names(rng)
    pref, line1, line2 = _address(rng, canary, ns, index, overseas=False)
    phone_index = _PHONE_RECIPIENT_BASE + index % _PHONE_RECIPIENT_BASE
    postal_index = _POSTAL_RECIPIENT_BASE + index % _POSTAL_RECIPIENT_BASE
    return Person(
        key=-1 - index,
        name=_fmt(_full_name(rng, fam, giv), canary, _token(ns, _K_NAME, index)),
        kana=_fmt(f"{fam_kana} {giv_kana}", canary, _token(ns, _K_KANA, index)),
        email=None,
        phone=_phone(rng, _spread(phone_index, 100_000_000), mobile=rng.random() < 0.6),
        mobile=None,
        company=None,
        department=None,
        is_member=False,
        member_id=None,
        birthday=None,
        gender=None,
        postal=_postal(rng, pref, canary, postal_index),
        prefecture=pref,
        address1=line1,
        address2=line2,
        newsletter=False,
        points=0,
    )


# --- products ----------------------------------------------------------------------------

_CATALOGUE = tuple(
    Product(
        product_id=100_001 + i * 7,
        code=code,
        name=name,
        category=category,
        unit_price=price,
        tax_class=tax,
        variations=axes,
        engravable=engravable,
    )
    for i, (name, code, category, price, tax, axes, engravable) in enumerate(_PRODUCT_TABLE)
)
# Popularity: everyday goods sell most, novelty items rarely.
_POPULARITY = tuple(
    {"food": 10, "gift": 6, "apparel": 6, "novelty": 1}.get(p.category, 4) for p in _CATALOGUE
)


def catalogue() -> tuple[Product, ...]:
    """The shop's products (the same for every seed and platform)."""
    return _CATALOGUE


# --- orders -------------------------------------------------------------------------------


class _OrderBuilder:
    """Rebuilds order ``i``'s content from its own seed; status and times come from outside."""

    def __init__(self, order_seed: int, ns: int, canary: bool) -> None:
        self.order_seed = order_seed
        self.ns = ns
        self.canary = canary

    def build(
        self,
        i: int,
        order_id: int,
        times: tuple[int, int],
        status: Status,
        buyer: Person,
        siblings: tuple[int, ...],
    ) -> SynthOrder:
        rng = random.Random(_mix(self.order_seed, i))
        lines = self._lines(rng, i)
        made = dt.datetime.fromtimestamp(times[0], JST)
        deliveries = self._deliveries(rng, i, lines, buyer, status, made)
        std = sum(line.subtotal for line in lines if line.product.tax_class == "standard")
        red = sum(line.subtotal for line in lines if line.product.tax_class == "reduced")
        tax_standard, tax_reduced = std * 10 // 100, red * 8 // 100
        shipping = sum(d.shipping for d in deliveries)
        label, fee, _, has_txn = _PAYMENTS[_weighted(rng, tuple(p[2] for p in _PAYMENTS))]
        coupon_name = coupon_code = None
        discount = 0
        if rng.random() < 0.08:
            coupon_name, coupon_code, kind, amount = rng.choice(_COUPONS)
            if kind == "percent":
                discount = (std + red) * amount // 100
            elif kind == "yen":
                discount = min(amount, std + red)
            else:
                discount = shipping
        points = 0
        if buyer.points and rng.random() < 0.15:
            points = min(buyer.points, (std + red) // 3) // 10 * 10
        txn = None
        if has_txn:
            txn_body = f"{rng.randrange(10**7):07d}-{rng.randrange(10**7):07d}"
            txn = f"P01-{_token(self.ns, _K_TXN, i)}" if self.canary else f"P01-{txn_body}"
        remark = None
        if rng.random() < 0.12:
            remark = self._text(rng, _REMARKS, _K_REMARK, i, buyer, buyer, made)
        return SynthOrder(
            order_id=order_id,
            make_time=times[0],
            update_time=times[1],
            status=status,
            buyer=buyer,
            lines=lines,
            deliveries=deliveries,
            goods_total=std + red,
            tax_standard=tax_standard,
            tax_reduced=tax_reduced,
            shipping=shipping,
            fee=fee,
            discount=discount,
            points_used=points,
            grand_total=std + red + tax_standard + tax_reduced + shipping + fee - discount - points,
            payment_method=label,
            coupon_name=coupon_name,
            coupon_code=coupon_code,
            remark=remark,
            transaction_id=txn,
            mobile=rng.random() < 0.55,
            split_siblings=siblings,
        )

    def _lines(self, rng: random.Random, i: int) -> tuple[SynthLine, ...]:
        count = _weighted(rng, (55, 25, 12, 5, 3)) + 1
        products = rng.choices(_CATALOGUE, _POPULARITY, k=count)
        lines = []
        for j, product in enumerate(products):
            quantity = _weighted(rng, (70, 20, 7, 3)) + 1
            with_tax = product.unit_price + product.unit_price * product.tax_rate // 100
            engraving = None
            if product.engravable and rng.random() < 0.7:
                engraving = self._engraving(rng, i * 8 + j)
            lines.append(
                SynthLine(
                    product=product,
                    variation=tuple(rng.choice(axis[1]) for axis in product.variations),
                    quantity=quantity,
                    unit_price=product.unit_price,
                    unit_price_with_tax=with_tax,
                    subtotal=product.unit_price * quantity,
                    subtotal_with_tax=with_tax * quantity,
                    engraving=engraving,
                )
            )
        return tuple(lines)

    def _engraving(self, rng: random.Random, index: int) -> str:
        (fam, _, fam_r), (giv, _, giv_r), _ = _names(rng)
        when = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(2500))
        text = rng.choice(_ENGRAVINGS).format(
            ri=giv_r[0].upper(),
            rf=fam_r[0].upper(),
            date=when.strftime("%Y.%m.%d"),
            fam=fam,
            giv=giv,
        )
        return _fmt(text, self.canary, _token(self.ns, _K_ENGRAVE, index))

    def _deliveries(
        self,
        rng: random.Random,
        i: int,
        lines: tuple[SynthLine, ...],
        buyer: Person,
        status: Status,
        made: dt.datetime,
    ) -> tuple[SynthDelivery, ...]:
        shipped = status in ("shipped", "returned")
        if all(line.product.category == _DIGITAL for line in lines):
            method, fee = _ONLINE_DELIVERY
            online = SynthDelivery(
                recipient=buyer,
                is_buyer=True,
                method=method,
                shipping=fee,
                lines=tuple(range(len(lines))),
                preferred_date=None,
                preferred_period=None,
                slip_number=None,
                gift_message=None,
                noshi=None,
                memo=None,
            )
            return (online,)
        count = 1
        if len(lines) >= 2 and rng.random() < 0.06:
            count = 3 if len(lines) >= 3 and rng.random() < 0.3 else 2
        method, base_fee = rng.choice(_DELIVERY_METHODS)
        free = sum(line.subtotal_with_tax for line in lines) >= _FREE_SHIPPING_FROM
        out = []
        for d in range(count):
            index = i * 4 + d
            to_buyer = d == 0 and rng.random() >= 0.1
            recipient = buyer if to_buyer else _recipient(rng, index, self.ns, self.canary)
            gift = noshi = memo = None
            if not to_buyer and rng.random() < 0.5:
                gift = self._text(rng, _GIFT_MESSAGES, _K_GIFT, index, buyer, recipient, made)
            if not to_buyer and rng.random() < 0.15:
                noshi = self._text(rng, _NOSHI, _K_NOSHI, index, buyer, recipient, made)
            if rng.random() < 0.08:
                memo = self._text(rng, _MEMOS, _K_MEMO, index, buyer, recipient, made)
            preferred = period = None
            if rng.random() < 0.25:
                preferred = made.date() + dt.timedelta(days=rng.randint(2, 10))
                period = rng.choice(_PERIODS) if rng.random() < 0.7 else None
            slip = None
            if shipped:
                slip_index = self.ns * 60_000_000_000 + index % 60_000_000_000
                slip = f"{_spread(slip_index, 10**12, 2_718_281_829):012d}"
            out.append(
                SynthDelivery(
                    recipient=recipient,
                    is_buyer=to_buyer,
                    method=method,
                    shipping=0 if free else base_fee,
                    lines=tuple(range(d, len(lines), count)),
                    preferred_date=preferred,
                    preferred_period=period,
                    slip_number=slip,
                    gift_message=gift,
                    noshi=noshi,
                    memo=memo,
                )
            )
        return tuple(out)

    def _text(
        self,
        rng: random.Random,
        templates: tuple[str, ...],
        kind: int,
        index: int,
        buyer: Person,
        other: Person,
        made: dt.datetime,
    ) -> str:
        by = made.date() + dt.timedelta(days=7)
        parts = other.name.split()  # also splits on the ideographic space
        text = rng.choice(templates).format(
            date=f"{by.month}月{by.day}日",
            atena=buyer.company or buyer.name,
            phone=other.phone,
            to=parts[1] if len(parts) > 1 else other.name,
            fr=buyer.family_name,
            fam=buyer.family_name,
        )
        return _fmt(text, self.canary, _token(self.ns, kind, index))


class OrderView:
    """The dataset's orders as a read-only sequence, built on demand."""

    def __init__(self, dataset: Dataset) -> None:
        self._dataset = dataset

    def __len__(self) -> int:
        return len(self._dataset)

    def __getitem__(self, index: int) -> SynthOrder:
        if index < 0:
            index += len(self)
        return self._dataset.order_at(index)

    def __iter__(self) -> Iterator[SynthOrder]:
        return (self._dataset.order_at(i) for i in range(len(self)))


_STREAM_NS = {"": 1, "colorme": 2, "makeshop": 3, "shopserve": 4}


class Dataset:
    """A shop's orders over ``persons`` and ``products``.

    Order ids are contiguous from ``order_id_start`` and increase with order time.
    Reads and churn (:meth:`mutate`) may come from several threads: hold
    :attr:`lock` around a sequence of reads that must see one state.
    """

    def __init__(
        self,
        *,
        seed: int,
        stream: str,
        persons: PersonPool,
        order_id_start: int,
        end: int,
        days: int,
        count: int,
    ) -> None:
        self.seed = seed
        self.stream = stream
        self.persons = persons
        self.canary = persons.canary
        self.products = _CATALOGUE
        self.order_id_start = order_id_start
        self.end = end
        self.lock = threading.RLock()
        self.ns = _STREAM_NS.get(stream, 5 + zlib.crc32(stream.encode()) % 11)
        self._order_seed = _stable_seed("orders", seed, stream)
        self._builder = _OrderBuilder(self._order_seed, self.ns, self.canary)
        self._cache: dict[int, SynthOrder] = {}
        self._make = array("q")
        self._update = array("q")
        self._status = bytearray()
        self._buyer = array("l")
        self._split_pairs: set[int] = set()
        self._fill(random.Random(self._order_seed), count, end - days * 86_400, end)
        self._sales_count = Counter(self._buyer)
        self._first_order: dict[int, int] = {}
        for i in range(len(self._buyer) - 1, -1, -1):
            self._first_order[self._buyer[i]] = i

    # -- construction --

    def _fill(self, rng: random.Random, count: int, start: int, end: int) -> None:
        span = end - start
        # u ** 0.75 leans towards ``end``: the shop grows over the period.
        self._make.extend(sorted(start + int(span * rng.random() ** 0.75) for _ in range(count)))
        self._buyer.extend(self._pick_buyer(rng) for _ in range(count))
        for i in range(0, count - 1, 2):
            if rng.random() < 0.01:  # the shop split this order into two sales
                self._split_pairs.add(i)
                self._make[i + 1] = self._make[i]
                self._buyer[i + 1] = self._buyer[i]
        for i in range(count):
            code, updated = _status_for(rng, self._make[i], end)
            if i - 1 in self._split_pairs:
                code, updated = self._status[i - 1], self._update[i - 1]
            self._status.append(code)
            self._update.append(updated)

    def _pick_buyer(self, rng: random.Random) -> int:
        # A loyal twelfth of the pool places 30% of the orders: about a third of the
        # buyers come back, as in a small shop. The loyal people lead the pool, so
        # they are the same on every platform.
        size = len(self.persons)
        if rng.random() < 0.3:
            return rng.randrange(max(1, size // 12))
        return rng.randrange(size)

    # -- reading --

    def __len__(self) -> int:
        return len(self._make)

    @property
    def orders(self) -> OrderView:
        return OrderView(self)

    def order_ids(self) -> range:
        return range(self.order_id_start, self.order_id_start + len(self))

    def index_of(self, order_id: int) -> int:
        """The index of ``order_id``; ``KeyError`` if the dataset has no such order."""
        index = order_id - self.order_id_start
        if not 0 <= index < len(self):
            raise KeyError(order_id)
        return index

    def order(self, order_id: int) -> SynthOrder:
        return self.order_at(self.index_of(order_id))

    def order_at(self, index: int) -> SynthOrder:
        with self.lock:
            if not 0 <= index < len(self):
                raise IndexError(index)
            cached = self._cache.get(index)
            if cached is not None:
                return cached
            order = self._builder.build(
                index,
                self.order_id_start + index,
                (self._make[index], self._update[index]),
                STATUSES[self._status[index]],
                self.persons[self._buyer[index]],
                self._siblings(index),
            )
            if len(self._cache) >= 20_000:  # bounded: a million-order dataset stays small
                self._cache.clear()
            self._cache[index] = order
            return order

    def _siblings(self, index: int) -> tuple[int, ...]:
        first = index if index in self._split_pairs else index - 1
        if first not in self._split_pairs:
            return ()
        return (self.order_id_start + first, self.order_id_start + first + 1)

    def make_time(self, index: int) -> int:
        return self._make[index]

    def update_time(self, index: int) -> int:
        return self._update[index]

    def status(self, index: int) -> Status:
        return STATUSES[self._status[index]]

    def buyer_key(self, index: int) -> int:
        return self._buyer[index]

    def sales_count(self, person_key: int) -> int:
        """How many orders this buyer has placed in the dataset so far."""
        return self._sales_count[person_key]

    def first_order_time(self, person_key: int) -> int | None:
        first = self._first_order.get(person_key)
        return None if first is None else self._make[first]

    def select(
        self,
        *,
        made_from: int | None = None,
        made_to: int | None = None,
        updated_from: int | None = None,
        updated_to: int | None = None,
    ) -> list[int]:
        """Indexes (ascending) of orders inside the inclusive bounds, in Unix seconds."""
        with self.lock:
            lo = 0 if made_from is None else bisect.bisect_left(self._make, made_from)
            hi = len(self) if made_to is None else bisect.bisect_right(self._make, made_to)
            if updated_from is None and updated_to is None:
                return list(range(lo, hi))
            low = updated_from if updated_from is not None else -(2**62)
            high = updated_to if updated_to is not None else 2**62
            update = self._update
            return [i for i in range(lo, hi) if low <= update[i] <= high]

    def buyers(self) -> set[int]:
        """Keys of the persons who have bought at least once."""
        return set(self._sales_count)

    # -- churn --

    def mutate(self, rng: random.Random, now: int | dt.datetime) -> Mutation:
        """One churn step at ``now``: a new order, and one existing order moved on."""
        seconds = int(now.timestamp()) if isinstance(now, dt.datetime) else int(now)
        with self.lock:
            return Mutation(self.add_order(rng, seconds), self.update_order(rng, seconds))

    def add_order(self, rng: random.Random, now: int) -> int:
        """Append an order made at ``now`` (or at the latest order time, if later)."""
        with self.lock:
            made = max(now, self._make[-1]) if len(self) else now
            buyer = self._pick_buyer(rng)
            index = len(self)
            self._make.append(made)
            self._update.append(made)
            self._status.append(STATUSES.index("paid" if rng.random() < 0.6 else "pending"))
            self._buyer.append(buyer)
            self._sales_count[buyer] += 1
            self._first_order.setdefault(buyer, index)
            return self.order_id_start + index

    def update_order(self, rng: random.Random, now: int) -> int | None:
        """Move a recent order one step on its life cycle; its update time becomes ``now``."""
        with self.lock:
            if not len(self):
                return None
            recent = max(0, len(self) - 500)
            for _ in range(20):
                index = rng.randrange(recent, len(self))
                nxt = _next_status(rng, STATUSES[self._status[index]])
                if nxt is not None:
                    self._status[index] = STATUSES.index(nxt)
                    self._update[index] = max(now, self._update[index], self._make[index])
                    self._cache.pop(index, None)
                    return self.order_id_start + index
            return None

    # -- leak scanning --

    def personal_values_by_kind(self) -> dict[str, set[str]]:
        """Every personal string in the current orders, by kind (see ``PERSONAL_KINDS``).

        Besides the values as served, it holds the obvious normal forms a leak
        would take: digits-only phones, hyphenated postal codes, lower-cased
        e-mails, names without spaces, and HTML-reference spellings.
        """
        out: dict[str, set[str]] = {kind: set() for kind in PERSONAL_KINDS}
        seen: set[int] = set()
        for order in self.orders:
            if order.buyer.key not in seen:
                seen.add(order.buyer.key)
                _person_values(order.buyer, out)
            for line in order.lines:
                _add(out, "engraving", line.engraving)
            for delivery in order.deliveries:
                if not delivery.is_buyer:
                    _person_values(delivery.recipient, out)
                _add(out, "gift_message", delivery.gift_message)
                _add(out, "noshi", delivery.noshi)
                _add(out, "delivery_memo", delivery.memo)
                _add(out, "slip_number", delivery.slip_number)
            _add(out, "remark", order.remark)
            _add(out, "transaction_id", order.transaction_id)
        return out

    def personal_values(self) -> set[str]:
        """The union of :meth:`personal_values_by_kind`."""
        return set().union(*self.personal_values_by_kind().values())


def _status_for(rng: random.Random, made: int, end: int) -> tuple[int, int]:
    """A status and update time that fit the order's age at ``end``."""
    age = end - made
    if age < 86_400:
        weights = (45, 50, 0, 5, 0)
    elif age < 4 * 86_400:
        weights = (10, 40, 45, 5, 0)
    else:
        weights = (1, 2, 89, 6, 2)
    code = _weighted(rng, weights)
    delay = {
        0: (0, 600),
        1: (60, 2 * 86_400),
        2: (86_400, 4 * 86_400),
        3: (600, 5 * 86_400),
        4: (7 * 86_400, 30 * 86_400),
    }[code]
    return code, min(end, made + rng.randint(*delay))


def _next_status(rng: random.Random, status: Status) -> Status | None:
    if status == "pending":
        return "paid" if rng.random() < 0.7 else "cancelled"
    if status == "paid":
        return "shipped" if rng.random() < 0.85 else "cancelled"
    if status == "shipped" and rng.random() < 0.1:
        return "returned"
    return None


def _add(out: dict[str, set[str]], kind: str, value: str | None) -> None:
    if value:
        bucket = out[kind]
        bucket.add(value)
        bucket.add(numeric_refs(value))
        bucket.add(html.unescape(value))


def _person_values(person: Person, out: dict[str, set[str]]) -> None:
    for kind, value in (("name", person.name), ("kana", person.kana)):
        _add(out, kind, value)
        _add(out, kind, "".join(value.split()))
    _add(out, "company", person.company)
    _add(out, "department", person.department)
    if person.email:
        _add(out, "email", person.email)
        _add(out, "email", person.email.lower())
    for phone in (person.phone, person.mobile):
        if phone:
            _add(out, "phone", phone)
            digits = "".join(ch for ch in unicodedata.normalize("NFKC", phone) if ch.isdigit())
            _add(out, "phone", digits)
            _add(out, "phone", "0" + digits[2:] if digits.startswith("81") else digits)
    _add(out, "postal", person.postal)
    if len(person.postal) == 7:
        _add(out, "postal", f"{person.postal[:3]}-{person.postal[3:]}")
    _add(out, "address", person.address1)
    _add(out, "address", person.address2)
    _add(out, "address", f"{person.prefecture_name or ''}{person.address1}")
    if person.birthday:
        _add(out, "birthday", person.birthday.isoformat())
    _add(out, "member_id", person.member_id)


def generate(
    *,
    seed: int = 0,
    orders: int = 1000,
    end: dt.datetime | None = None,
    days: int = 730,
    canary: bool = False,
    persons: PersonPool | None = None,
    stream: str = "",
    order_id_start: int = 100_001,
) -> Dataset:
    """A dataset of ``orders`` orders made over the ``days`` before ``end``.

    ``stream`` (the platform name) picks this platform's own orders; pass the same
    ``persons`` pool (or the same ``seed``, which builds the same default pool) to
    let buyers shop on several platforms. ``end`` defaults to now (whole seconds).
    """
    if orders < 0:
        raise ValueError("orders cannot be negative")
    if days < 1:
        raise ValueError("days must be at least 1")
    if end is None:
        end = dt.datetime.now(dt.UTC).replace(microsecond=0)
    if end.tzinfo is None:
        raise ValueError("end must be a timezone-aware datetime")
    if persons is None:
        size = min(_POSTAL_RECIPIENT_BASE, max(20, orders * 3 // 2))
        persons = people(seed, size, canary=canary)
    elif persons.canary != canary:
        raise ValueError("the person pool's canary setting differs from canary=")
    return Dataset(
        seed=seed,
        stream=stream,
        persons=persons,
        order_id_start=order_id_start,
        end=int(end.timestamp()),
        days=days,
        count=orders,
    )

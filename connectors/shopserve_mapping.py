"""The ShopServe mapping: every assumed part of ShopServe's wire format, as data.

ShopServe's order search (V2-M-0024) is not publicly documented: only the call,
Basic auth, the ``since`` body key, the ``basic`` part and ``serial_code`` are
confirmed (``shared/platforms/shopserve/notes.md``). Everything else kamei needs
(body keys, the date format, part names, where each stored field sits in the
response, status and tax vocabularies) lives in one JSON document per API
version, shipped as package data (``connectors/mappings/shopserve-v2.json``).

A shop owner who holds the official reference corrects it without a code change:
``kamei shop add NAME --platform shopserve --mapping FILE`` takes a file holding
only the keys to change (an *overlay*), checks it against the built-in document
and keeps it in the shop's (non-secret) settings; every sync merges it again.

Paths are dotted (``basic.orderer.mail_address``), relative to the object they
describe; a trailing ``?`` lets the field be absent from an order; ``null``
means kamei does not read the field at all. Keys starting with ``_`` are comments.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, get_args

from kamei.errors import ConfigError

from .types import Cursor, Gender, OrderStatus, TaxClass

__all__ = [
    "DEFAULT_RESOURCE",
    "DESTINATION_FIELDS",
    "LINE_FIELDS",
    "ORDER_FIELDS",
    "FieldPath",
    "RequestSpec",
    "ResponseSpec",
    "ShopServeMapping",
    "StatusRule",
    "ValueSpec",
    "build_mapping",
    "default_document",
    "parse_mapping_file",
]

DEFAULT_RESOURCE = "shopserve-v2.json"

# Logical fields, by the object their paths are relative to.
ORDER_FIELDS = (
    "serial_code",
    "ordered_at",
    "updated_at",
    "order_status",
    "payment_status",
    "shipping_status",
    "payment_method",
    "goods_total",
    "shipping",
    "fees",
    "tax",
    "discounts",
    "points_used",
    "grand_total",
    "coupon_name",
    "client_type",
    "gift",
    "buyer_name",
    "email",
    "phone",
    "member_id",
    "birthday",
    "gender",
    "prefecture",
    "destinations",
    "lines",
)
DESTINATION_FIELDS = ("recipient_name", "delivery_method", "gift", "lines")
LINE_FIELDS = (
    "product_code",
    "product_name",
    "sku",
    "unit_price",
    "quantity",
    "subtotal",
    "variations",
    "variation_value",
    "tax_rate",
)
_SUMMED = frozenset({"fees", "discounts"})  # money fields that may add up several paths
_REQUIRED = frozenset({"serial_code", "ordered_at"})  # an order without them is no order
# Maps whose keys are the user's to choose: replaced whole by an overlay, never merged.
_OPEN_MAPS = frozenset({"request.extra", "values.tax_rates", "values.genders"})
_PATH = re.compile(r"[^.?\s](?:[^.?]*[^.?\s])?(?:\.[^.?\s](?:[^.?]*[^.?\s])?)*\??")
_OFFSET = re.compile(r"([+-])(\d{2}):(\d{2})")
_DOCS = "docs/platforms.md, 'Correcting the ShopServe mapping'"


class _Invalid(Exception):
    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")
        self.where, self.problem = where, problem


# --- the compiled mapping ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldPath:
    """Where one field sits, relative to its object. ``text`` is the path as written."""

    text: str
    parts: tuple[str, ...]
    optional: bool = False

    @classmethod
    def parse(cls, text: str) -> FieldPath:
        optional = text.endswith("?")
        return cls(text.removesuffix("?"), tuple(text.removesuffix("?").split(".")), optional)

    def read(self, obj: object) -> tuple[bool, Any]:
        """``(present, value)``. A ``null`` on the way (a guest's ``member``) is present-null."""
        current = obj
        for part in self.parts:
            if current is None:
                return True, None
            if not isinstance(current, dict) or part not in current:
                return False, None
            current = current[part]
        return True, current


@dataclass(frozen=True, slots=True)
class RequestSpec:
    path: str
    parts: tuple[str, ...]
    part_separator: str
    since: str
    until: str
    offset_key: str | None
    size_key: str | None
    page_size: int
    extra: Mapping[str, Any]
    datetime_format: str
    tz: dt.timezone
    cursor: Cursor
    max_window: dt.timedelta
    max_history: dt.timedelta | None

    @property
    def url_path(self) -> str:
        return self.path.replace("{parts}", self.part_separator.join(self.parts))

    def format_time(self, when: dt.datetime) -> str:
        return when.astimezone(self.tz).strftime(self.datetime_format)

    def parse_time(self, text: str) -> dt.datetime:
        """``ValueError`` when ``text`` does not follow the format."""
        parsed = dt.datetime.strptime(text.strip(), self.datetime_format)
        return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=self.tz)


@dataclass(frozen=True, slots=True)
class ResponseSpec:
    orders: FieldPath
    total: FieldPath | None
    order: Mapping[str, tuple[FieldPath, ...]]
    destination: Mapping[str, tuple[FieldPath, ...]]
    line: Mapping[str, tuple[FieldPath, ...]]


@dataclass(frozen=True, slots=True)
class StatusRule:
    """The order takes ``status`` when every named field holds one of its values."""

    when: tuple[tuple[str, frozenset[str]], ...]
    status: OrderStatus


@dataclass(frozen=True, slots=True)
class ValueSpec:
    member_client_types: frozenset[str]
    statuses: tuple[StatusRule, ...]
    default_status: OrderStatus
    tax_rates: Mapping[str, TaxClass]
    genders: Mapping[str, Gender]


@dataclass(frozen=True, slots=True)
class ShopServeMapping:
    """A validated mapping. ``document`` is the merged JSON it was compiled from."""

    request: RequestSpec
    response: ResponseSpec
    values: ValueSpec
    document: Mapping[str, Any]

    def order_path(self, name: str) -> FieldPath | None:
        paths = self.response.order[name]
        return paths[0] if paths else None

    def destination_path(self, name: str) -> FieldPath | None:
        paths = self.response.destination[name]
        return paths[0] if paths else None

    def line_path(self, name: str) -> FieldPath | None:
        paths = self.response.line[name]
        return paths[0] if paths else None


# --- loading -------------------------------------------------------------------------


@functools.cache
def _default_text() -> str:
    return (resources.files("connectors") / "mappings" / DEFAULT_RESOURCE).read_text("utf-8")


def default_document() -> dict[str, Any]:
    """A fresh copy of the built-in mapping document."""
    document: dict[str, Any] = json.loads(_default_text())
    return document


def parse_mapping_file(text: str, source: str) -> dict[str, Any]:
    """Check the text of a user's mapping file; return the overlay to keep in settings.

    ``source`` names the file in messages. Raises :class:`ConfigError` naming the
    key and the problem: bad JSON, an unknown key (a typo would otherwise be
    silently ignored), a value of the wrong kind, or a merged mapping kamei cannot use.
    """
    try:
        overlay = json.loads(text)
    except ValueError as exc:
        raise ConfigError(
            f"ShopServe mapping {source} is not valid JSON (line {getattr(exc, 'lineno', '?')}); "
            f"fix the file and run the command again ({_DOCS})"
        ) from None
    if not isinstance(overlay, dict):
        raise _config(source, _Invalid("(top level)", "must be a JSON object"))
    build_mapping(overlay, source)
    return overlay


def build_mapping(overlay: Mapping[str, Any] | None, source: str) -> ShopServeMapping:
    """The built-in mapping with ``overlay`` (from a user file) merged over it, validated."""
    try:
        document = _merge(default_document(), overlay or {}, "")
        return _compile(document)
    except _Invalid as exc:
        raise _config(source, exc) from None


def _config(source: str, exc: _Invalid) -> ConfigError:
    return ConfigError(
        f"ShopServe mapping {source}: {exc.where}: {exc.problem}; "
        f"fix the file and run the command again ({_DOCS})"
    )


def _merge(base: dict[str, Any], overlay: Mapping[str, Any], where: str) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in overlay.items():
        here = f"{where}.{key}" if where else key
        if key.startswith("_"):
            continue  # a comment
        if key not in base:
            known = ", ".join(k for k in base if not k.startswith("_"))
            raise _Invalid(here, f"unknown key (known keys here: {known})")
        if isinstance(base[key], dict) and here not in _OPEN_MAPS:
            if not isinstance(value, dict):
                raise _Invalid(here, "must be a JSON object")
            merged[key] = _merge(base[key], value, here)
        else:
            merged[key] = value
    return merged


# --- validation ----------------------------------------------------------------------


def _compile(doc: dict[str, Any]) -> ShopServeMapping:
    if doc.get("mapping") != "shopserve":
        raise _Invalid("mapping", 'must be "shopserve" (is this file for another platform?)')
    return ShopServeMapping(
        request=_request(_object(doc, "request", "")),
        response=_response(_object(doc, "response", "")),
        values=_values(_object(doc, "values", "")),
        document=doc,
    )


def _object(doc: Mapping[str, Any], key: str, where: str) -> dict[str, Any]:
    value = doc.get(key)
    here = f"{where}.{key}" if where else key
    if not isinstance(value, dict):
        raise _Invalid(here, "must be a JSON object")
    return value


def _text(doc: Mapping[str, Any], key: str, where: str, *, null: bool = False) -> str | None:
    value = doc.get(key)
    if value is None and null:
        return None
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        allowed = " or null" if null else ""
        raise _Invalid(f"{where}.{key}", f"must be non-empty text without outer spaces{allowed}")
    return value


def _whole(doc: Mapping[str, Any], key: str, where: str, low: int, high: int) -> int:
    value = doc.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise _Invalid(f"{where}.{key}", f"must be a whole number from {low} to {high}")
    return value


def _request(doc: dict[str, Any]) -> RequestSpec:
    w = "request"
    path = _text(doc, "path", w)
    assert path is not None
    if not path.startswith("/") or "{parts}" not in path or "?" in path:
        raise _Invalid(f"{w}.path", "must start with '/', contain {parts} and no query")
    separator = _text(doc, "part_separator", w)
    assert separator is not None
    parts = doc.get("parts")
    if (
        not isinstance(parts, list)
        or not parts
        or not all(isinstance(p, str) and re.fullmatch(r"[A-Za-z0-9_-]+", p) for p in parts)
    ):
        raise _Invalid(f"{w}.parts", "must be a non-empty list of part names (letters, digits, _)")
    offset_key = _text(doc, "from", w, null=True)
    size_key = _text(doc, "size", w, null=True)
    if (offset_key is None) != (size_key is None):
        raise _Invalid(f"{w}.from", "'from' and 'size' are set together, or both null")
    extra = doc.get("extra")
    if not isinstance(extra, dict):
        raise _Invalid(f"{w}.extra", "must be a JSON object (constant body keys)")
    keys = [k for k in (doc.get("since"), doc.get("until"), offset_key, size_key) if k]
    if clash := sorted(set(extra) & set(keys)):
        raise _Invalid(f"{w}.extra", f"repeats the body key {clash[0]!r}")
    since, until = _text(doc, "since", w), _text(doc, "until", w)
    assert since is not None and until is not None
    history = doc.get("history_days")
    return RequestSpec(
        path=path,
        parts=tuple(parts),
        part_separator=separator,
        since=since,
        until=until,
        offset_key=offset_key,
        size_key=size_key,
        page_size=_whole(doc, "page_size", w, 1, 1000),
        extra=extra,
        datetime_format=_datetime_format(doc),
        tz=_utc_offset(doc),
        cursor=_choice(doc, "cursor", w, get_args(Cursor)),
        max_window=dt.timedelta(days=_whole(doc, "max_window_days", w, 1, 366)),
        max_history=(
            None
            if history is None
            else dt.timedelta(days=_whole(doc, "history_days", w, 1, 36_500))
        ),
    )


def _datetime_format(doc: Mapping[str, Any]) -> str:
    fmt = _text(doc, "datetime_format", "request")
    assert fmt is not None
    # The format must name the time to the second and read back what it writes.
    sample = dt.datetime(2024, 4, 2, 14, 5, 31, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    try:
        parsed = dt.datetime.strptime(sample.strftime(fmt), fmt)
    except ValueError:
        parsed = None
    if parsed is None or parsed.replace(tzinfo=None) != sample.replace(tzinfo=None):
        raise _Invalid(
            "request.datetime_format",
            "must be a strftime format down to the second, e.g. %Y-%m-%d %H:%M:%S",
        )
    return fmt


def _utc_offset(doc: Mapping[str, Any]) -> dt.timezone:
    value = doc.get("utc_offset")
    match = _OFFSET.fullmatch(value) if isinstance(value, str) else None
    if match is None or int(match[2]) > 14 or int(match[3]) > 59:
        raise _Invalid("request.utc_offset", 'must look like "+09:00"')
    sign = -1 if match[1] == "-" else 1
    return dt.timezone(sign * dt.timedelta(hours=int(match[2]), minutes=int(match[3])))


def _choice(doc: Mapping[str, Any], key: str, where: str, options: tuple[Any, ...]) -> Any:
    value = doc.get(key)
    if value not in options:
        raise _Invalid(f"{where}.{key}", f"must be one of: {', '.join(map(str, options))}")
    return value


def _path(value: object, where: str) -> FieldPath:
    if not isinstance(value, str) or not _PATH.fullmatch(value):
        raise _Invalid(where, 'must be a dotted path such as "basic.order_date" (or null)')
    return FieldPath.parse(value)


def _paths(section: dict[str, Any], names: tuple[str, ...], where: str) -> dict[str, Any]:
    out: dict[str, tuple[FieldPath, ...]] = {}
    for name in names:
        here = f"{where}.{name}"
        if name not in section:
            raise _Invalid(here, "is missing (use null to skip the field)")
        value = section[name]
        if value is None:
            out[name] = ()
        elif name in _SUMMED and isinstance(value, list):
            if not value:
                raise _Invalid(here, "lists at least one path (or is null)")
            out[name] = tuple(_path(v, f"{here}[{i}]") for i, v in enumerate(value))
        else:
            out[name] = (_path(value, here),)
    return out


def _response(doc: dict[str, Any]) -> ResponseSpec:
    w = "response"
    orders = _path(doc.get("orders"), f"{w}.orders")
    total = None if doc.get("total") is None else _path(doc.get("total"), f"{w}.total")
    order = _paths(_object(doc, "order", w), ORDER_FIELDS, f"{w}.order")
    for name in _REQUIRED:
        if not order[name] or order[name][0].optional:
            raise _Invalid(f"{w}.order.{name}", "is required: give its path (without '?')")
    if not order["destinations"] and not order["lines"]:
        raise _Invalid(f"{w}.order.destinations", "or response.order.lines must be given")
    return ResponseSpec(
        orders=orders,
        total=total,
        order=order,
        destination=_paths(_object(doc, "destination", w), DESTINATION_FIELDS, f"{w}.destination"),
        line=_paths(_object(doc, "line", w), LINE_FIELDS, f"{w}.line"),
    )


def _values(doc: dict[str, Any]) -> ValueSpec:
    w = "values"
    members = doc.get("member_client_types")
    if not isinstance(members, list) or not all(isinstance(m, str) for m in members):
        raise _Invalid(f"{w}.member_client_types", "must be a list of texts")
    rules = doc.get("statuses")
    if not isinstance(rules, list):
        raise _Invalid(f"{w}.statuses", "must be a list of rules")
    return ValueSpec(
        member_client_types=frozenset(members),
        statuses=tuple(_rule(rule, f"{w}.statuses[{i}]") for i, rule in enumerate(rules)),
        default_status=_choice(doc, "default_status", w, get_args(OrderStatus)),
        tax_rates=_vocabulary(doc, "tax_rates", get_args(TaxClass)),
        genders=_vocabulary(doc, "genders", get_args(Gender)),
    )


def _rule(rule: object, where: str) -> StatusRule:
    keys = {k for k in rule if not k.startswith("_")} if isinstance(rule, dict) else set()
    if not isinstance(rule, dict) or keys - {"when", "status"}:
        raise _Invalid(where, 'must be {"when": {FIELD: [VALUES]}, "status": STATUS}')
    when = rule.get("when")
    if not isinstance(when, dict) or not when:
        raise _Invalid(f"{where}.when", "must name at least one field")
    conditions = []
    for field_name, values in when.items():
        if field_name not in ORDER_FIELDS or field_name in ("destinations", "lines"):
            raise _Invalid(f"{where}.when.{field_name}", "is not a field of response.order")
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise _Invalid(f"{where}.when.{field_name}", "must be a list of texts")
        conditions.append((field_name, frozenset(values)))
    status = _choice(rule, "status", where, get_args(OrderStatus))
    return StatusRule(tuple(conditions), status)


def _vocabulary(doc: Mapping[str, Any], key: str, allowed: tuple[Any, ...]) -> dict[str, Any]:
    value = doc.get(key)
    if not isinstance(value, dict) or not all(v in allowed for v in value.values()):
        raise _Invalid(
            f"values.{key}", f"must map API values to one of: {', '.join(map(str, allowed))}"
        )
    return dict(value)

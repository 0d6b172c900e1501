"""Checking the API's input: one 400 that names every missing or invalid field.

A *spec* tells what a field holds:

- ``str``, ``int`` (what an ``integer`` column holds: -2^31 to 2^31 - 1), ``float``, ``bool``,
  ``Decimal``, ``date`` (``YYYY-MM-DD``, years 1900 to 9998), ``list``, ``dict``;
- ``Int(min, max)``: an integer in another range, e.g. ``ID`` for a database id (1 to 2^31 - 1),
  ``Int()`` for any signed 64-bit integer;
- an ``Enum`` class: one of its values, exactly (UPPER_SNAKE words); the member is returned;
- ``Object(required, optional)``: a nested JSON object checked the same way;
- ``ListOf(spec, min_items=0)``: a list whose every item matches ``spec``;
- any other callable: called with the raw value; ``ValueError``/``TypeError`` make the field
  invalid, with the exception's text as the message.

Example::

    body = json_body({"nip": str, "year": int, "rhk": ListOf(Object({"text": str, "kind": RhkKind}))},
                     optional={"note": str})

On error the request ends with ``400 {"error": ..., "details": {"rhk[0].kind": "..."}}``.
Unknown fields are ignored (clients may send more than a route reads); ``null`` counts as
absent; a required text must not be blank. Absent optional fields come back as ``None``. Text
that cannot be stored (a lone surrogate such as ``"\ud800"``) is refused wherever it sits in
a field, also inside a list or object handed to a custom parser.
"""

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from flask import abort, request

from kinerja.errors import json_error
from kinerja.inputs import INVALID_TEXT, MAX_BIGINT, MAX_INT, has_invalid_text, is_valid_text
from kinerja.rules.calendar import DATE_OUT_OF_RANGE, is_supported_date

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^[+-]?\d+$")

INVALID_INPUT = "Isian tidak valid."
MISSING = "wajib diisi"


class FieldError(ValueError):
    """A field's value does not match its spec."""


class SpecError(Exception):
    """A spec this module does not understand: a programming error, never bad input."""


@dataclass(frozen=True)
class Object:
    """A nested JSON object with its own required and optional fields."""

    required: Mapping[str, Any]
    optional: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Int:
    """An integer from ``min`` to ``max`` (both included)."""

    min: int = -MAX_BIGINT - 1
    max: int = MAX_BIGINT


INTEGER = Int(-MAX_INT - 1, MAX_INT)  # PostgreSQL binds with ::INTEGER: a larger value would fail there
ID = Int(1, MAX_INT)


@dataclass(frozen=True)
class ListOf:
    """A JSON list whose every item matches ``item``."""

    item: Any
    min_items: int = 0


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _parse_date(value) -> date:
    if not isinstance(value, str) or not _DATE.match(value):
        raise FieldError("harus berupa tanggal TTTT-BB-HH")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise FieldError("bukan tanggal yang ada") from None
    if not is_supported_date(day):
        raise FieldError(DATE_OUT_OF_RANGE)
    return day


def _parse_int(spec: Int, value, text: bool) -> int:
    if text and isinstance(value, str) and _INTEGER.match(value.strip()):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError("harus berupa bilangan bulat")
    if not spec.min <= value <= spec.max:
        raise FieldError(f"di luar rentang ({spec.min} sampai {spec.max})")
    return value


def _convert(spec, value, text: bool, path: str, errors: dict[str, str]):
    """Return ``value`` converted to ``spec``; record problems in ``errors`` under ``path``."""
    try:
        if has_invalid_text(value):
            raise FieldError(INVALID_TEXT)
        if isinstance(spec, Object):
            if not isinstance(value, Mapping):
                raise FieldError("harus berupa objek")
            return _check(value, spec.required, spec.optional, path, text, errors)
        if isinstance(spec, ListOf):
            if not isinstance(value, list):
                raise FieldError("harus berupa daftar")
            if len(value) < spec.min_items:
                raise FieldError(f"minimal {spec.min_items} butir")
            return [_convert(spec.item, item, text, f"{path}[{i}]", errors) for i, item in enumerate(value)]
        if isinstance(spec, type) and issubclass(spec, Enum):
            allowed = [str(member.value) for member in spec]
            if isinstance(value, str) and value in allowed:
                return spec(value)
            shown = value if isinstance(value, str | int | float) else type(value).__name__
            raise FieldError(f"nilai tidak dikenal: {shown} (pilih {', '.join(allowed)})")
        if spec is str:
            if not isinstance(value, str):
                raise FieldError("harus berupa teks")
            return value.strip()
        if spec is bool:
            if text and isinstance(value, str) and value.lower() in ("true", "1", "false", "0"):
                return value.lower() in ("true", "1")
            if not isinstance(value, bool):
                raise FieldError("harus berupa true atau false")
            return value
        if spec is int:
            spec = INTEGER
        if isinstance(spec, Int):
            return _parse_int(spec, value, text)
        if spec in (float, Decimal):
            number = value
            if text and isinstance(value, str):
                try:
                    number = Decimal(value.strip())
                except InvalidOperation:
                    raise FieldError("harus berupa angka") from None
            if isinstance(number, bool) or not isinstance(number, int | float | Decimal):
                raise FieldError("harus berupa angka")
            if isinstance(number, float) and not math.isfinite(number) or (
                    isinstance(number, Decimal) and not number.is_finite()):
                raise FieldError("harus berupa angka")
            return float(number) if spec is float else Decimal(str(number))
        if spec is date:
            return _parse_date(value)
        if spec is list or spec is dict:
            if not isinstance(value, spec):
                raise FieldError("harus berupa daftar" if spec is list else "harus berupa objek")
            return value
        if callable(spec):
            return spec(value)
    except (ValueError, TypeError) as exc:  # FieldError, or a custom parser's complaint
        errors[path] = str(exc) or "tidak valid"
        return None
    raise SpecError(f"unknown field spec {spec!r} at {path}")


def _check(data: Mapping, required: Mapping, optional: Mapping | None, path: str, text: bool,
           errors: dict[str, str]) -> dict:
    values = {}
    for name, spec in required.items():
        where = _join(path, name)
        value = data.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            errors[where] = MISSING
            values[name] = None
            continue
        values[name] = _convert(spec, value, text, where, errors)
    for name, spec in (optional or {}).items():
        value = data.get(name)
        if value is None or (text and isinstance(value, str) and not value.strip()):
            values[name] = None
            continue
        values[name] = _convert(spec, value, text, _join(path, name), errors)
    return values


def check(data: Mapping, required: Mapping[str, Any], optional: Mapping[str, Any] | None = None,
          *, text: bool = False) -> tuple[dict, dict[str, str]]:
    """Check ``data`` against field specs; return (converted values, {field path: problem}).

    ``text=True`` reads values that arrive as strings (query string, form): ``"2024"`` is an int.
    """
    errors: dict[str, str] = {}
    values = _check(data, required, optional, "", text, errors)
    return values, errors


def reject(details: dict[str, str], message: str = INVALID_INPUT):
    """End the request with the API's 400 naming each bad field."""
    abort(json_error(400, message, details))


def reason_from_body() -> str | None:
    """Return the optional ``reason`` of a JSON body (a return of SKP or visum); 400 when it is not text.

    A missing reason is the service's to refuse, after it has said who may act.
    """
    data = request.get_json(force=True, silent=True)
    reason = data.get("reason") if isinstance(data, dict) else None
    if reason is not None and not isinstance(reason, str):
        reject({"reason": "harus berupa teks"})
    if reason is not None and not is_valid_text(reason):
        reject({"reason": INVALID_TEXT})
    return reason


def json_body(required: Mapping[str, Any], optional: Mapping[str, Any] | None = None) -> dict:
    """Return the request's JSON object checked against field specs; 400 naming each bad field."""
    data = request.get_json(force=True, silent=True)  # None also for JSON nested too deep (kinerja.inputs)
    if not isinstance(data, dict):
        abort(json_error(400, "JSON tidak valid: badan permintaan harus berupa objek JSON."))
    values, errors = check(data, required, optional)
    if errors:
        reject(errors)
    return values


def query_args(required: Mapping[str, Any] | None = None, optional: Mapping[str, Any] | None = None) -> dict:
    """Return the query-string parameters checked against field specs; 400 naming each bad one."""
    values, errors = check(request.args, required or {}, optional, text=True)
    if errors:
        reject(errors)
    return values


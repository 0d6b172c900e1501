"""Bounds on what a request may carry before any view reads it: ids in URLs, JSON depth, text.

- ``<int:...>`` in a URL is at most 2^31 - 1, what an id column holds (PostgreSQL ``integer``;
  SQLAlchemy binds the value with an ``::INTEGER`` cast, so a larger one would fail there, and
  SQLite cannot bind one above 2^63 at all); a larger number does not match the route: 404.
- JSON too deeply nested for the parser (``RecursionError``) is invalid JSON like any other:
  ``request.get_json`` answers 400, or ``None`` when called with ``silent=True``.
- Text that cannot be stored: a lone surrogate (``"\\ud800"``, which JSON's ``\\u`` escapes can
  carry; not UTF-8) or a NUL character (PostgreSQL refuses it in any text column, also as a query
  parameter). ``has_invalid_text`` finds it in a JSON value so ``api.validation`` can refuse the
  field; ``refuse_invalid_text`` refuses a query string, form or path holding one (400) before any
  view runs. (Form bodies, query strings and paths cannot carry a surrogate: Werkzeug decodes
  them as UTF-8 with replacement; ``%00`` does decode to NUL.)

Registered by the factory with ``init_app`` before any blueprint, so every route gets the
bounded converter.
"""

from flask import abort, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.routing import IntegerConverter

MAX_BIGINT = 2**63 - 1  # a signed 64-bit integer: SQLite's INTEGER, PostgreSQL's bigint
MAX_INT = 2**31 - 1  # PostgreSQL's integer: every id and number column of the schema
INVALID_TEXT = "berisi karakter yang tidak valid"
INVALID_REQUEST_TEXT = "Permintaan berisi karakter yang tidak valid (mis. NUL)."


class BoundedIntConverter(IntegerConverter):
    """Flask's ``int`` converter, bounded to what an id column holds unless a route says otherwise."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_INT)
        super().__init__(map, *args, **kwargs)


class JSONProvider(DefaultJSONProvider):
    """The default JSON provider, reading JSON nested beyond the parser's depth as invalid JSON."""

    def loads(self, s, **kwargs):
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON terlalu dalam bersarang.") from None


def is_valid_text(text: str) -> bool:
    """Tell whether ``text`` can be stored: valid UTF-8 (no lone surrogate) and no NUL character."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def has_invalid_text(value) -> bool:
    """Tell whether a JSON value holds a string (as value or key, at any depth) that is not valid text.

    Walks iteratively: a value as deep as the parser allows must not exhaust the stack here.
    """
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if not is_valid_text(item):
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


def refuse_invalid_text() -> None:
    """Answer 400 to a request whose query string, form fields or path hold text that cannot be stored.

    One check for every page and API route, before the views (and CSRF) read anything; a JSON
    body is checked field by field by ``api.validation``.
    """
    texts = [text for pair in request.args.lists() for text in (pair[0], *pair[1])]
    texts += [value for value in (request.view_args or {}).values() if isinstance(value, str)]
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.mimetype in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        texts += [text for pair in request.form.lists() for text in (pair[0], *pair[1])]
    if not all(is_valid_text(text) for text in texts):
        abort(400, description=INVALID_REQUEST_TEXT)


def init_app(app) -> None:
    """Bound the ``int`` URL converter, make the app's JSON parsing refuse over-deep JSON, and
    refuse query strings, forms and paths holding text that cannot be stored."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.json = JSONProvider(app)
    app.before_request(refuse_invalid_text)

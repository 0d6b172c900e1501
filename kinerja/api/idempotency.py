"""``Idempotency-Key`` on the API's creates: a retry replays the first answer instead of creating twice.

A client that does not know whether its create went through (a timeout, a dropped connection)
sends it again with the same ``Idempotency-Key`` header. For one user, a key names one request:

- the same key on the same route with the same JSON body replays the first answer: the same
  status and body, with ``Idempotent-Replayed: true``; nothing new is created;
- the same key with another body or on another route answers **422** (the key names another
  request; as the IETF draft "The Idempotency-Key HTTP Header Field" says);
- a create that was refused (4xx) keeps nothing: the key is free again, so a corrected retry works.

It holds under simultaneous retries. The key is reserved by inserting its row (unique on user and
key) *before* the create's work, in the same transaction, and the answer is stored in that row
before the one commit (``commit_and_answer``). A simultaneous request with the same key blocks on
the unique index (PostgreSQL) or on the write lock (SQLite) until that commit, then fails to
insert, and reads and replays the winner's stored answer. Without the header nothing changes.
Choices and an example: ``docs/visum-api.md``.
"""

import hashlib
import json
import time
from functools import wraps

from flask import current_app, g, jsonify, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from kinerja import clock
from kinerja.api.models import IdempotencyKey
from kinerja.errors import json_error
from kinerja.extensions import db

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255
# How long a retry waits for an answer the first request has not stored yet (a fallback only:
# the answer is normally committed with the reservation).
WAIT_SECONDS = 10.0

INVALID_KEY = f"Header {HEADER} harus berupa teks ASCII yang terbaca, 1–{MAX_KEY_LENGTH} karakter."
OTHER_REQUEST = (f"{HEADER} ini sudah dipakai untuk permintaan lain (isi atau alamat berbeda); "
                 "gunakan kunci baru untuk permintaan baru.")
IN_PROGRESS = f"Permintaan dengan {HEADER} ini masih diproses; coba lagi sebentar lagi."


def _valid_key(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY_LENGTH and key.isascii() and key.isprintable()


def _route() -> str:
    return f"{request.method} {request.path}"


def _fingerprint(route: str) -> str:
    """Return the SHA-256 of the route and the body (its JSON read canonically: key order and spacing do not count)."""
    raw = request.get_data(cache=True)
    try:
        body = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    except (ValueError, RecursionError):  # not JSON: the bytes as they came
        body = raw
    return hashlib.sha256(route.encode() + b"\n" + body).hexdigest()


def _stored(user_id: int, key: str) -> IdempotencyKey | None:
    return db.session.scalar(select(IdempotencyKey).where(IdempotencyKey.user_id == user_id,
                                                          IdempotencyKey.key == key))


def _replay(row: IdempotencyKey, route: str, fingerprint: str):
    """Answer a request whose key is already stored: the first answer, or 422 for another request."""
    if row.route != route or row.fingerprint != fingerprint:
        return json_error(422, OTHER_REQUEST, {"header": HEADER})
    if row.status_code is None:  # reserved and committed without its answer: not expected
        return json_error(409, IN_PROGRESS)
    response = current_app.response_class(row.response_body, status=row.status_code, mimetype="application/json")
    response.headers[REPLAYED_HEADER] = "true"
    return response


def _wait_for_answer(user_id: int, key: str) -> IdempotencyKey | None:
    """Read the row the simultaneous winner committed, waiting briefly for its answer if need be."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        row = _stored(user_id, key)
        if row is None or row.status_code is not None or time.monotonic() > deadline:
            return row
        db.session.rollback()  # end the snapshot, so the next read sees a newer commit
        time.sleep(0.05)


def idempotent(view):
    """Honour an ``Idempotency-Key`` header on an API create (after ``token_required``).

    The view must end a successful create with ``commit_and_answer(body, status)``, so the answer is
    committed with the work and the reservation.
    """
    @wraps(view)
    def wrapped(*args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return view(*args, **kwargs)
        if not _valid_key(key):
            return json_error(400, INVALID_KEY, {"header": HEADER})
        user_id = g.api_user.id
        route = _route()
        fingerprint = _fingerprint(route)
        row = _stored(user_id, key)
        if row is not None:  # a retry after the first answer: the common case, no insert tried
            return _replay(row, route, fingerprint)
        reservation = IdempotencyKey(user_id=user_id, key=key, route=route, fingerprint=fingerprint,
                                     created_at=clock.stamp())
        db.session.add(reservation)
        try:
            db.session.flush()  # blocks while a simultaneous request holds the same key uncommitted
        except IntegrityError:
            db.session.rollback()
            row = _wait_for_answer(user_id, key)
            if row is None:  # the conflict was not the key's: let the error handlers answer it
                raise
            return _replay(row, route, fingerprint)
        g.idempotency_reservation = reservation
        try:
            response = current_app.make_response(view(*args, **kwargs))
        except BaseException:  # refused by an abort (400, 403, 404): keep nothing, the key stays free
            db.session.rollback()
            raise
        if reservation.status_code is None:
            # refused (or answered without commit_and_answer): keep nothing, the key stays free
            db.session.rollback()
        return response

    return wrapped


def commit_and_answer(body: dict, status: int = 201):
    """Commit the request's work with its answer stored under its ``Idempotency-Key`` (if any); return the answer."""
    response = jsonify(body)
    response.status_code = status
    reservation = g.pop("idempotency_reservation", None)
    if reservation is not None:
        reservation.status_code = status
        reservation.response_body = response.get_data(as_text=True)
    db.session.commit()
    return response

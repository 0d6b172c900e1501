"""Bearer-token authentication of the JSON API.

The API never reads the session cookie: it is exempt from CSRF, so a cookie must not be
enough to act through it. ``flask.g.api_user`` is what ``kinerja.auth.access.acting_user()``
returns for the rest of the request.
"""

from functools import wraps

from flask import abort, g, request

from kinerja.auth.services import user_for_token
from kinerja.errors import json_error

MISSING = "Token API tidak ada: kirim header 'Authorization: Bearer TOKEN'."
INVALID = "Token API tidak valid atau sudah dicabut."


def bearer_token() -> str | None:
    """Return the token of the request's ``Authorization: Bearer`` header, or None."""
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


def _unauthorized(message: str):
    response = json_error(401, message)
    response.headers["WWW-Authenticate"] = 'Bearer realm="kinerja"'
    return response


def token_required(*roles):
    """Let through only a request with a valid bearer token (and one of ``roles``, if given).

    Use bare (``@token_required``) or with roles (``@token_required("KEPEGAWAIAN")``);
    ADMIN holds every role. 401 JSON without a valid token, 403 JSON without the role.
    """
    if len(roles) == 1 and callable(roles[0]):
        return token_required()(roles[0])

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            token = bearer_token()
            if token is None:
                return _unauthorized(MISSING)
            user = user_for_token(token)
            if user is None:
                return _unauthorized(INVALID)
            g.api_user = user
            if roles and not user.has_role(*roles):
                abort(403, description="Peran Anda tidak mengizinkan tindakan ini.")
            return view(*args, **kwargs)

        return wrapped

    return decorator

"""HTMX-aware error pages and JSON errors for the API."""

from flask import jsonify, make_response, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict, HTTPException

MESSAGES = {
    400: "Permintaan tidak valid.",
    401: "Silakan masuk terlebih dahulu.",
    403: "Anda tidak berhak mengakses halaman ini.",
    404: "Halaman atau data tidak ditemukan.",
    405: "Metode permintaan tidak diizinkan untuk alamat ini.",
    409: "Data sedang dalam status yang tidak mengizinkan tindakan ini.",
    413: "Berkas terlalu besar.",
    422: "Isian belum benar.",
    423: "Data sudah dikunci.",
    429: "Terlalu banyak percobaan. Coba lagi nanti.",
    500: "Terjadi kesalahan pada server.",
}


def wants_json() -> bool:
    """Tell whether the caller is an API client."""
    return request.path.startswith("/api/")


def json_error(status: int, message: str | None = None, details=None):
    """Answer the API's error shape."""
    body = {"error": message or MESSAGES.get(status, "Error")}
    if details is not None:
        body["details"] = details
    return make_response(jsonify(body), status)


def handle_http_error(error: HTTPException):
    """Render an HTTP error as JSON, as a small partial for HTMX, or as a page."""
    response = _http_error_response(error)
    # keep what the exception says about the answer (Allow on 405, WWW-Authenticate on 401)
    for name in ("Allow", "WWW-Authenticate"):
        for header, value in error.get_headers():
            if header == name and name not in response.headers:
                response.headers[name] = value
    return response


def _http_error_response(error: HTTPException):
    status = error.code or 500
    # werkzeug's own descriptions are English: show ours unless the code gave a specific one
    specific = isinstance(error.description, str) and error.description != type(error).description
    message = error.description if specific and status != 500 else None
    if wants_json():
        return json_error(status, message or MESSAGES.get(status))
    if status == 401 and request.headers.get("HX-Request") == "true":
        response = make_response("", 401)
        response.headers["HX-Redirect"] = url_for("auth.login", next=request.full_path)
        return response
    template = "errors/_error.html" if request.headers.get("HX-Request") == "true" else "errors/page.html"
    default = MESSAGES.get(status, "Terjadi kesalahan.")
    return make_response(
        render_template(template, status=status, message=default if status >= 500 else (message or default)),
        status,
    )


def handle_csrf_error(error: CSRFError):
    """Make an HTMX page refresh itself to get a fresh token; others get a 400."""
    if wants_json():
        return json_error(400, "CSRF token tidak valid.")
    if request.headers.get("HX-Request") == "true":
        response = make_response("", 400)
        response.headers["HX-Refresh"] = "true"
        return response
    return make_response(
        render_template("errors/page.html", status=400, message="Sesi formulir kedaluwarsa. Muat ulang halaman."),
        400,
    )


def handle_unexpected(error: Exception):
    """Log and answer 500 in the caller's format."""
    from flask import current_app

    current_app.logger.exception("unhandled error")
    if wants_json():
        return json_error(500)
    return make_response(render_template("errors/page.html", status=500, message=MESSAGES[500]), 500)


# A write that lost a race with a simultaneous one on the same row (docs/security.md, "Concurrent writes").
CHANGED_ELSEWHERE = "Data ini baru saja diubah di tempat lain; muat ulang halaman."


def handle_concurrent_write(error: Exception):
    """Roll back a write that lost a race (StaleDataError, IntegrityError) and answer 409 "muat ulang".

    The optimistic version check (``Visum.version``) or a unique/foreign key refused the write, so
    nothing of it was stored; the session is rolled back first, so the answer (and anything the
    request still reads) runs in a fresh transaction instead of failing with PendingRollbackError.
    """
    from flask import current_app

    from kinerja.extensions import db

    db.session.rollback()
    # a constraint refusal is logged whole: a race is expected, a bug would show here
    current_app.logger.warning("write refused with 409 on %s: %s", request.path, type(error).__name__,
                               exc_info=error if isinstance(error, IntegrityError) else None)
    return handle_http_error(Conflict(description=CHANGED_ELSEWHERE))


def init_app(app) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(StaleDataError, handle_concurrent_write)
    app.register_error_handler(IntegrityError, handle_concurrent_write)
    if not app.testing:
        app.register_error_handler(Exception, handle_unexpected)

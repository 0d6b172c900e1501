"""Login, logout and the answer to an anonymous caller (page, HTMX or API)."""

import math
from urllib.parse import urlsplit

from flask import flash, make_response, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from kinerja import clock
from kinerja.auth import bp, services
from kinerja.auth.access import SESSION_VERSION_KEY
from kinerja.auth.forms import LoginForm
from kinerja.errors import json_error, wants_json
from kinerja.extensions import db, login_manager
from kinerja.htmx import hx_redirect

WRONG_LOGIN = "NIP atau kata sandi salah."


def safe_next(target: str | None) -> str | None:
    """Return ``target`` when it is a path on this site, else None (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    # browsers read "\" as "/" and drop tabs and newlines: "/\evil.org" would leave the site
    if "\\" in target or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _current_page() -> str | None:
    """Return the path of the page the caller was on, to come back to after logging in."""
    if request.headers.get("HX-Request") == "true":
        # an HTMX request targets a partial endpoint; return to the page that holds it
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        if current.netloc != request.host:
            return None
        return safe_next(current.path + (f"?{current.query}" if current.query else ""))
    if request.method not in ("GET", "HEAD"):
        return None  # a form post cannot be replayed by a redirect
    return safe_next(request.full_path.rstrip("?"))


@login_manager.unauthorized_handler
def unauthorized():
    """Send an anonymous caller to the login page: 302 for a page, 401 + HX-Redirect for HTMX, JSON for the API."""
    if wants_json():
        return json_error(401, "Token API tidak ada atau tidak valid.")
    target = url_for("auth.login", next=_current_page())
    flash("Silakan masuk terlebih dahulu.", "info")
    if request.headers.get("HX-Request") == "true":
        response = make_response("", 401)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)


def _minutes_until(until) -> int:
    """Return the whole minutes left until a naive-UTC or aware moment (at least 1)."""
    now = clock.stamp() if until.tzinfo is None else clock.now()
    return max(1, math.ceil((until - now).total_seconds() / 60))


def _login_page(form: LoginForm, error: str | None = None, status: int = 200, retry_minutes: int | None = None):
    """Render the login page with an optional error."""
    response = make_response(render_template("auth/login.html", form=form, error=error), status)
    if retry_minutes is not None:
        response.headers["Retry-After"] = str(retry_minutes * 60)
    return response


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with NIP and password; lock after repeated failures; return to a safe ``next`` page."""
    form = LoginForm()
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
        form.next.data = safe_next(request.args.get("next")) or ""
        return _login_page(form)
    if not form.validate_on_submit():
        return _login_page(form, status=422)
    try:
        user = services.authenticate_from(request.remote_addr, form.nip.data, form.password.data)
    except services.TooManyAttempts as refused:
        minutes = _minutes_until(refused.until)
        message = f"Terlalu banyak percobaan masuk yang gagal dari perangkat ini. Coba lagi dalam {minutes} menit."
        return _login_page(form, message, 429, minutes)
    except services.LoginLocked as locked:
        minutes = _minutes_until(locked.until)
        message = (f"Akun ini dikunci sementara karena terlalu banyak percobaan masuk yang gagal. "
                   f"Coba lagi dalam {minutes} menit, atau hubungi Pengelola Kepegawaian.")
        return _login_page(form, message, 429, minutes)
    if user is None:
        return _login_page(form, WRONG_LOGIN, 422)
    target = safe_next(form.next.data) or url_for("home.index")
    session.clear()  # nothing from before the login (fixation, a previous user's keys) survives it
    login_user(user, remember=False)
    session[SESSION_VERSION_KEY] = user.session_version
    return hx_redirect(target)


@bp.post("/logout")
@login_required
def logout():
    """Log out (POST with CSRF only): end every session of the user and forget this one."""
    services.end_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()
    flash("Anda telah keluar.", "success")
    return hx_redirect(url_for("auth.login"))

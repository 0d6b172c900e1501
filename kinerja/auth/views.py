"""Login and logout."""

from flask import redirect, url_for
from flask_login import logout_user

from kinerja.auth import bp


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with NIP and password."""
    return "login"


@bp.post("/logout")
def logout():
    """Log out."""
    logout_user()
    return redirect(url_for("auth.login"))

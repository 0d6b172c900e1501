"""Organisation: units, employees, positions, acting assignments and who assesses whom."""

from flask import Blueprint

bp = Blueprint("org", __name__, url_prefix="/org")

from kinerja.org import import_views, views  # noqa: E402,F401

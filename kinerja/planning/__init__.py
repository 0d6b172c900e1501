"""Planning: Perjanjian Kinerja cascaded down the organisation and every employee's SKP."""

from flask import Blueprint

bp = Blueprint("planning", __name__, url_prefix="/planning")

from kinerja.planning import changes_views, pk_views, skp_views  # noqa: E402,F401

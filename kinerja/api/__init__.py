"""JSON API /api/v1: token-authenticated faces over the same services as the pages."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from kinerja.api import pk, realisasi, skp, views, visum  # noqa: E402,F401

"""Execution: daily visum, the weekly lock, approval and HR reopening (DOMAIN.md §4, decree II.C).

Models in ``models``; state changes in ``services`` and the area modules (``evidence``, ``feedback``,
``notifications``, ``locking``, ``sync``, ``realisasi``); read-only queries in ``*_queries``; pages in
``*_views``. See docs/architecture.md.
"""

from flask import Blueprint

bp = Blueprint("execution", __name__, url_prefix="/execution")

from kinerja.execution import (  # noqa: E402,F401
    feedback_views,
    hr_views,
    inbox_views,
    notification_views,
    realisasi_views,
    visum_views,
)

"""Execution: daily visum, the weekly lock, approval and HR reopening (DOMAIN.md §4, decree II.C).

Models in ``models``, state changes in ``services``; pages and API come later.
"""

from flask import Blueprint

bp = Blueprint("execution", __name__, url_prefix="/execution")

"""The landing page: what each role should do today."""

from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    """Show the home page of the logged-in user."""
    return render_template("home/index.html")

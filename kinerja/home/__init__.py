"""The landing page: what each role should do today."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from kinerja.auth.access import can_manage_people
from kinerja.org import queries
from kinerja.org.assessors import assessees_of, resolve_for
from kinerja.org.views import import_page_url

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    """Show the home page of the logged-in user: his assessors, whom he assesses, HR's worklist."""
    me = current_user.employee
    context = {"resolved": resolve_for(me), "assessee_count": len(assessees_of(me))}
    if can_manage_people(current_user):
        context.update(without_assessor=queries.count_without_assessor(), employee_total=queries.count_employees(),
                       import_url=import_page_url())
    return render_template("home/index.html", **context)

"""The landing page: what each role should do today (visum of the week, the February gate, approvals, HR)."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from kinerja.auth.access import can_manage_people
from kinerja.execution import today as execution_today
from kinerja.org import queries
from kinerja.org.relations import assessees, resolve
from kinerja.org.views import import_page_url
from kinerja.planning.skp_queries import approval_queue_count

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    """Show the home page of the logged-in user: his week and gate, his assessors, his approvals, HR's worklist."""
    me = current_user.employee
    context = {"resolved": resolve(me), "assessee_count": len(assessees(me)),
               "mine": execution_today.employee_today(me)}
    if context["assessee_count"]:
        context.update(approvals=execution_today.assessor_today(me), skp_waiting=approval_queue_count(me))
    if can_manage_people(current_user):
        context.update(without_assessor=queries.count_without_assessor(), employee_total=queries.count_employees(),
                       import_url=import_page_url(), compliance=execution_today.hr_today())
    return render_template("home/index.html", **context)

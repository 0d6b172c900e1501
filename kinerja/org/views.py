"""HR pages: unit tree, employee list and page, acting assignments, import."""

from flask import render_template

from kinerja.auth.access import role_required
from kinerja.org import bp


@bp.get("/units")
@role_required("KEPEGAWAIAN")
def unit_tree():
    """Show the unit tree."""
    return render_template("org/placeholder.html")


@bp.get("/employees")
@role_required("KEPEGAWAIAN")
def employee_list():
    """List employees."""
    return render_template("org/placeholder.html")


@bp.get("/employees/<nip>")
@role_required("KEPEGAWAIAN")
def employee_detail(nip):
    """Show one employee."""
    return render_template("org/placeholder.html")


@bp.get("/dashboard")
@role_required("KEPEGAWAIAN")
def hr_dashboard():
    """Show HR's dashboard."""
    return render_template("org/placeholder.html")

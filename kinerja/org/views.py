"""HR pages: unit tree and unit page, employee list and page, PLT/PLH, delegation overrides,
HR's dashboard and "Pegawai yang saya nilai". Imports live in ``import_views.py``."""

from datetime import date

from flask import current_app, flash, render_template, request, url_for
from flask_login import current_user, login_required

from kinerja import clock
from kinerja.audit.services import history
from kinerja.auth.access import get_employee_or_404, role_required
from kinerja.extensions import db
from kinerja.htmx import hx_redirect, is_htmx, render_page_or_partial
from kinerja.org import bp, queries, services
from kinerja.org.forms import ActingForm, DateForm, EmployeeSearchForm, EndActingForm, OverrideForm, PageForm
from kinerja.org.models import ActingAssignment
from kinerja.org.relations import assessees, employees_without_assessor, resolve
from kinerja.rules.vocabulary import JENJANG_LABELS, TIMEZONE_LABELS, UNIT_LEVEL_LABELS

HR = "KEPEGAWAIAN"
IMPORT_ENDPOINTS = ("org.import_form", "org.import_page")
DASHBOARD_LIMIT = 500


@bp.app_context_processor
def org_labels():
    """Give every template the Bahasa labels of levels, jenjang and time zones."""
    return {"unit_level_labels": UNIT_LEVEL_LABELS, "jenjang_labels": JENJANG_LABELS,
            "timezone_labels": TIMEZONE_LABELS, "region_labels": {"PUSAT": "Pusat", "PERWAKILAN": "Perwakilan"},
            "problem_label": queries.problem_label, "rule_label": queries.rule_label}


def import_page_url() -> str | None:
    """Return the URL of the CSV import page, or None while no import page is registered."""
    endpoint = next((e for e in IMPORT_ENDPOINTS if e in current_app.view_functions), None)
    return url_for(endpoint) if endpoint else None


def _page_size() -> int:
    return current_app.config.get("PAGE_SIZE", 50)


def _page_arg() -> int:
    form = PageForm(formdata=request.args)
    return form.page.data if form.validate() and form.page.data else 1


def _unit_today(unit) -> date:
    return clock.today_in(clock.zone_of_unit(unit))


# --- units -------------------------------------------------------------------------------


@bp.get("/units")
@role_required(HR)
def unit_tree():
    """Show the whole unit tree with each unit's head or PLT/PLH."""
    today = clock.today()
    roots = queries.unit_tree(today, url_for("org.unit_tree"))
    return render_template("org/units.html", roots=roots, today=today)


def _unit_context(unit, *, acting_form=None, end_form=None, end_form_for=None, page=1) -> dict:
    """Gather what the unit page and its partials show."""
    today = _unit_today(unit)
    children = queries.children_of(unit)
    return {
        "unit": unit,
        "today": today,
        "ancestors": queries.ancestors_of(unit)[:-1],
        "head": queries.heads_by_unit([unit.id]).get(unit.id),
        "acting_list": queries.acting_of_unit(unit),
        "acting_form": acting_form or ActingForm(unit=unit, formdata=None),
        "end_form": end_form,
        "end_form_for": end_form_for,
        "employees": queries.unit_employees(unit, page, _page_size()),
        "page_url": lambda p: url_for("org.unit_employees", code=unit.code, page=p),
        "children": children,
        "child_heads": queries.heads_by_unit([c.id for c in children]),
        "child_acting": queries.acting_by_unit(today, [c.id for c in children]),
        "audit": history("unit", unit.code),
    }


@bp.get("/units/<code>")
@role_required(HR)
def unit_detail(code):
    """Show a unit: facts, head, PLT/PLH, its employees and its sub-units."""
    unit = queries.get_unit_or_404(code)
    return render_template("org/unit.html", **_unit_context(unit, page=_page_arg()))


@bp.get("/units/<code>/employees")
@role_required(HR)
def unit_employees(code):
    """Show one page of the unit's employees (partial for HTMX, the unit page otherwise)."""
    unit = queries.get_unit_or_404(code)
    return render_page_or_partial("org/unit.html", "org/_unit_employees.html",
                                  **_unit_context(unit, page=_page_arg()))


@bp.get("/units/<code>/acting")
@role_required(HR)
def unit_acting(code):
    """Show the unit's PLT/PLH list and form (partial for HTMX, the unit page otherwise)."""
    unit = queries.get_unit_or_404(code)
    return render_page_or_partial("org/unit.html", "org/_acting.html", **_unit_context(unit))


@bp.post("/units/<code>/acting")
@role_required(HR)
def acting_create(code):
    """Add a PLT/PLH to the unit's head position; 422 with the errors when the form is wrong."""
    unit = queries.get_unit_or_404(code)
    form = ActingForm(unit=unit)
    if not form.validate_on_submit():
        return render_page_or_partial("org/unit.html", "org/_acting.html", status=422,
                                      **_unit_context(unit, acting_form=form))
    services.add_acting(current_user.employee, employee=form.employee, unit=unit, kind=form.kind.data,
                        start=form.start.data, end=form.end.data)
    db.session.commit()
    flash(f"{form.kind.data} {form.employee.name} pada {unit.name} disimpan.", "success")
    if not is_htmx():
        return hx_redirect(url_for("org.unit_detail", code=unit.code))
    return render_template("org/_acting.html", oob_flash=True, **_unit_context(unit))


@bp.post("/acting/<int:acting_id>/end")
@role_required(HR)
def acting_end(acting_id):
    """End a PLT/PLH assignment early; 422 with the error when the date is wrong."""
    acting = db.get_or_404(ActingAssignment, acting_id, description="Penugasan PLT/PLH tidak ditemukan.")
    unit = acting.unit
    form = EndActingForm(acting=acting)
    if not form.validate_on_submit():
        return render_page_or_partial("org/unit.html", "org/_acting.html", status=422,
                                      **_unit_context(unit, end_form=form, end_form_for=acting.id))
    services.end_acting(current_user.employee, acting, form.end.data)
    db.session.commit()
    flash(f"{acting.kind} {acting.employee.name} berakhir pada {form.end.data:%d-%m-%Y}.", "success")
    if not is_htmx():
        return hx_redirect(url_for("org.unit_detail", code=unit.code))
    return render_template("org/_acting.html", oob_flash=True, **_unit_context(unit))


# --- employees ---------------------------------------------------------------------------


@bp.get("/employees")
@role_required(HR)
def employee_list():
    """Search employees by NIP or name, filtered by unit subtree and jenjang, a page at a time."""
    form = EmployeeSearchForm(formdata=request.args)
    if form.validate():
        valid, q, unit, jenjang = True, form.q.data or "", form.unit_obj, form.jenjang.data
    else:  # show the errors above an unfiltered list
        valid, q, unit, jenjang = False, "", None, None
    page = queries.search_employees(q, unit, jenjang, page=_page_arg(), per_page=_page_size())
    args = {k: v for k, v in (("q", form.q.data), ("unit", form.unit.data), ("jenjang", form.jenjang.data)) if v}
    return render_page_or_partial(
        "org/employees.html", "org/_employee_results.html", status=200 if valid else 422,
        form=form, results=page, links=queries.links_for(page.items),
        page_url=lambda p: url_for("org.employee_list", page=p, **args),
    )


def _assessor_context(employee, form: DateForm) -> dict:
    """Resolve the employee's assessors today and, when asked, on the chosen date."""
    today = _unit_today(employee.unit)
    chosen = form.date.data if not form.date.errors else None
    return {
        "employee": employee,
        "today": today,
        "date_form": form,
        "resolved_today": resolve(employee, today),
        "resolved_on": resolve(employee, chosen) if chosen and chosen != today else None,
    }


def _employee_context(employee, form: DateForm, override_form=None) -> dict:
    """Gather what the employee page shows."""
    context = _assessor_context(employee, form)
    context.update(
        ancestors=queries.ancestors_of(employee.unit),
        positions=queries.positions_of(employee),
        acting_held=queries.acting_held_by(employee),
        overrides=queries.overrides_of(employee),
        override_form=override_form or OverrideForm(employee=employee, formdata=None,
                                                    data={"start": context["today"]}),
        audit=history("employee", employee.nip),
    )
    return context


def _date_form() -> tuple[DateForm, bool]:
    form = DateForm(formdata=request.args)
    return form, form.validate()


@bp.get("/employees/<nip>")
@login_required
def employee_detail(nip):
    """Show an employee: identity, Pejabat Penilai today and on a chosen date, history, audit."""
    employee = get_employee_or_404(nip)
    form, valid = _date_form()
    return render_template("org/employee.html", **_employee_context(employee, form)), 200 if valid else 422


@bp.get("/employees/<nip>/assessor")
@login_required
def employee_assessor(nip):
    """Show who assesses the employee on ``?date=`` (partial for HTMX, the employee page otherwise)."""
    employee = get_employee_or_404(nip)
    form, valid = _date_form()
    if is_htmx():
        return render_template("org/_assessor_panel.html", **_assessor_context(employee, form)), 200 if valid else 422
    return render_template("org/employee.html", **_employee_context(employee, form)), 200 if valid else 422


@bp.post("/employees/<nip>/overrides")
@role_required(HR)
def override_create(nip):
    """Record HR's delegation override for an employee; 422 with the errors when the form is wrong."""
    employee = get_employee_or_404(nip)
    form = OverrideForm(employee=employee)
    date_form = DateForm(formdata=None)
    if not form.validate_on_submit():
        return render_page_or_partial("org/employee.html", "org/_overrides.html", status=422,
                                      **_employee_context(employee, date_form, override_form=form))
    services.add_override(current_user.employee, employee=employee, assessor=form.assessor,
                          assessor_superior=form.assessor_superior, reason=form.reason.data,
                          start=form.start.data, end=form.end.data)
    db.session.commit()
    flash(f"Pendelegasian penilaian {employee.name} kepada {form.assessor.name} disimpan.", "success")
    if not is_htmx():
        return hx_redirect(url_for("org.employee_detail", nip=employee.nip))
    return render_template("org/_overrides.html", oob_flash=True, oob_assessor=True,
                           **_employee_context(employee, date_form))


# --- dashboards --------------------------------------------------------------------------


@bp.get("/dashboard")
@role_required(HR)
def hr_dashboard():
    """Show HR's worklist: employees without a Pejabat Penilai, counts per region, imports."""
    problems = employees_without_assessor()
    return render_template(
        "org/dashboard.html", problems=problems[:DASHBOARD_LIMIT], problem_total=len(problems),
        regions=queries.counts_per_region(), employee_total=queries.count_employees(),
        import_url=import_page_url(),
    )


@bp.get("/my-team")
@login_required
def my_team():
    """List the employees whose Pejabat Penilai is the logged-in user (or a post he holds as PLT/PLH)."""
    team = assessees(current_user.employee)
    return render_template("org/my_team.html", assessees=team, links=queries.links_for(team))

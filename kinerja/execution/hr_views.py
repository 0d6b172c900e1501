"""HR's execution pages (KEPEGAWAIAN or ADMIN): an employee's weeks and reopening one, the list of
who is blocked by the 6 February synchronisation (with its CSV), weekly completeness per unit, and
the holidays (hari libur nasional, cuti bersama)."""

from datetime import date, timedelta

from flask import abort, current_app, flash, make_response, render_template, request, url_for
from flask_login import current_user

from kinerja import clock
from kinerja.auth.access import get_employee_or_404, role_required
from kinerja.execution import bp, holidays, hr_queries, reopen_requests, services, sync
from kinerja.execution.hr_forms import (
    BlockedFilterForm,
    ComplianceForm,
    DeclineRequestForm,
    HolidayForm,
    NipForm,
    ReopenForm,
)
from kinerja.execution.models import Holiday, WeekReopenRequest
from kinerja.exports import csv_response
from kinerja.extensions import db
from kinerja.htmx import hx_redirect, is_htmx, render_page_or_partial
from kinerja.refusals import perform
from kinerja.rules import week as week_rules

HR = "KEPEGAWAIAN"
WEEKS_SHOWN = 8


def _page_size() -> int:
    return current_app.config.get("PAGE_SIZE", 50)


def _year_today() -> int:
    return clock.today().year


@bp.app_template_global("sync_status")
def sync_status(year: int):
    """Tell any page where the 6 February synchronisation of ``year`` stands (``hr_queries.SyncStatus``)."""
    return hr_queries.sync_status(year)


# --- an employee's weeks ----------------------------------------------------------------------------


def _reopenable(rows, requests) -> list[tuple[date, str]]:
    """Return the weeks HR may reopen: the closed ones shown, and any older week the employee asked for."""
    weeks = [(row.monday, row.label) for row in rows if row.closed]
    shown = {monday for monday, _ in weeks}
    weeks += [(r.week_start, hr_queries.week_label(r.week_start)) for r in requests if r.week_start not in shown]
    return weeks


def _weeks_context(employee, *, form=None, decline_forms=None) -> dict:
    """Gather the weeks panel: the employee's recent weeks, his open requests and the reopen form."""
    now = clock.now()
    rows = hr_queries.employee_weeks(employee, now, WEEKS_SHOWN)
    requests = reopen_requests.open_requests(employee)
    if form is None:
        asked = requests[0] if requests else None  # the oldest open request is offered first
        reason = None if asked is None else f"Atas permintaan pegawai{': ' + asked.note if asked.note else ''}."
        form = ReopenForm(formdata=None, weeks=_reopenable(rows, requests),
                          week_start=asked.week_start.isoformat() if asked else None, reason=reason)
    tz = clock.zone_of(employee)
    return {"employee": employee, "weeks": rows, "reopen_form": form, "timezone": tz,
            "timezone_label": week_rules.timezone_label(tz), "requests": requests,
            "decline_forms": decline_forms or {}, "week_words": hr_queries.week_label}


@bp.get("/hr/weeks")
@role_required(HR)
def hr_weeks():
    """Find an employee by NIP and show his recent weeks (filed/expected, locked or open, reopenings)."""
    if "nip" not in request.args:
        return render_template("execution/hr_weeks.html", form=NipForm(formdata=None), employee=None,
                               all_requests=reopen_requests.open_requests(), week_words=hr_queries.week_label)
    form = NipForm(formdata=request.args)
    if not form.validate():
        return render_page_or_partial("execution/hr_weeks.html", "execution/_hr_weeks_panel.html", status=422,
                                      form=form, employee=None)
    all_requests = None if is_htmx() else reopen_requests.open_requests()
    return render_page_or_partial("execution/hr_weeks.html", "execution/_hr_weeks_panel.html", form=form,
                                  all_requests=all_requests, **_weeks_context(form.employee))


@bp.post("/hr/weeks/<nip>/reopen")
@role_required(HR)
def hr_reopen_week(nip):
    """Reopen one closed week of the employee until a deadline with a reason; 422 with the errors otherwise."""
    employee = get_employee_or_404(nip)
    search = NipForm(formdata=None, nip=nip)
    context = _weeks_context(employee)
    form = ReopenForm(weeks=_reopenable(context["weeks"], context["requests"]))
    context["reopen_form"] = form
    if not form.validate_on_submit():
        return render_page_or_partial("execution/hr_weeks.html", "execution/_hr_weeks_panel.html", status=422,
                                      form=search, **context)
    monday = date.fromisoformat(form.week_start.data)
    until = form.local_until(week_rules.zone(context["timezone"]))
    me = current_user.employee

    def reopen():  # the reopening answers the employee's open request for that week, in the same commit
        reopen_requests.grant_requests(me, services.reopen_week(me, employee, monday, until, form.reason.data))

    if perform(reopen, form):
        return render_page_or_partial("execution/hr_weeks.html", "execution/_hr_weeks_panel.html", status=422,
                                      form=search, **context)
    flash(f"Minggu {week_rules.date_label(monday)} dibuka kembali untuk {employee.name} sampai "
          f"{until:%d-%m-%Y %H.%M} {context['timezone_label']}.", "success")
    if not is_htmx():
        return hx_redirect(url_for("execution.hr_weeks", nip=employee.nip))
    return render_template("execution/_hr_weeks_panel.html", form=search, oob_flash=True,
                           **_weeks_context(employee))


@bp.post("/hr/reopen-requests/<int:request_id>/decline")
@role_required(HR)
def hr_decline_reopen_request(request_id):
    """Decline an employee's request to reopen a week with a reason (he is notified); 422 without a reason."""
    item = db.session.get(WeekReopenRequest, request_id) or abort(404, description="Permintaan tidak ditemukan.")
    employee = item.employee
    search = NipForm(formdata=None, nip=employee.nip)
    form = DeclineRequestForm()
    if not form.validate_on_submit() or perform(
            lambda: reopen_requests.decline_request(current_user.employee, item, form.reason.data), form):
        return render_page_or_partial("execution/hr_weeks.html", "execution/_hr_weeks_panel.html", status=422,
                                      form=search, **_weeks_context(employee, decline_forms={item.id: form}))
    flash(f"Permintaan {employee.name} untuk minggu {hr_queries.week_label(item.week_start)} ditolak; "
          "pegawai diberi tahu alasannya.", "success")
    if not is_htmx():
        return hx_redirect(url_for("execution.hr_weeks", nip=employee.nip))
    return render_template("execution/_hr_weeks_panel.html", form=search, oob_flash=True, **_weeks_context(employee))


# --- the blocked list -------------------------------------------------------------------------------


def _blocked_filter() -> BlockedFilterForm:
    form = BlockedFilterForm(formdata=request.args)
    form.validate()
    return form


def _blocked_args(form: BlockedFilterForm, year: int) -> dict:
    args = {"year": year}
    if form.unit_obj is not None:
        args["unit"] = form.unit_obj.code
    if form.status.data and not form.status.errors:
        args["status"] = form.status.data
    return args


@bp.get("/hr/blocked")
@role_required(HR)
def hr_blocked():
    """List who was blocked by the 6 February synchronisation of a year, by unit, still blocked or cleared since."""
    form = _blocked_filter()
    year = form.year.data if form.year.data and not form.year.errors else _year_today()
    status = form.status.data if not form.status.errors else None
    page = form.page.data if form.page.data and not form.page.errors else 1
    results = hr_queries.blocked_page(year, form.unit_obj, status or None, page, _page_size())
    args = _blocked_args(form, year)
    return render_page_or_partial(
        "execution/hr_blocked.html", "execution/_hr_blocked_results.html", status=422 if form.errors else 200,
        form=form, year=year, results=results, sync=hr_queries.sync_status(year), reason_labels=sync.REASON_LABELS,
        page_url=lambda p: url_for("execution.hr_blocked", page=p, **args),
        csv_url=url_for("execution.hr_blocked_csv", **args))


@bp.get("/hr/blocked.csv")
@role_required(HR)
def hr_blocked_csv():
    """Download the blocked list of a year as CSV (for the Tunjangan Kinerja processing)."""
    form = _blocked_filter()
    if form.errors:
        return make_response("; ".join(e for errors in form.errors.values() for e in errors) + "\n", 422,
                             {"Content-Type": "text/plain; charset=utf-8"})
    year = form.year.data or _year_today()
    rows = ([row.employee.nip, row.employee.name, row.unit.code if row.unit else "", row.unit.name if row.unit else "",
             row.block.reason, row.block.listed_at.isoformat(timespec="seconds"),
             "BLOCKED" if row.cleared_since is None else "CLEARED",
             row.cleared_since.isoformat(timespec="seconds") if row.cleared_since else ""]
            for row in hr_queries.blocked_rows(year, form.unit_obj, form.status.data or None))
    return csv_response(["nip", "name", "unit_code", "unit_name", "reason", "listed_at", "status", "cleared_at"],
                        rows, f"visum-diblokir-{year}.csv")


# --- weekly completeness per unit ----------------------------------------------------------------------


@bp.get("/hr/compliance")
@role_required(HR)
def hr_compliance():
    """Show the weekly completeness of each unit in a locked week (lowest first), or one unit's employees."""
    form = ComplianceForm(formdata=request.args)
    form.validate()
    latest = hr_queries.latest_locked_week()
    monday = (form.monday() if not form.week.errors else None) or latest
    page = form.page.data if form.page.data and not form.page.errors else 1
    unit = form.unit_obj
    # a week is closed everywhere once its Monday is a week behind the WIB calendar (WIT and WITA close earlier)
    context = {"form": form, "monday": monday, "unit": unit, "units": None, "people": None, "latest": latest,
               "week_open": monday is not None and monday + timedelta(days=7) > clock.today_in(clock.JOBS_ZONE),
               "latest_label": hr_queries.week_label(latest) if latest is not None else None}
    if monday is not None and unit is not None:
        context["people"] = hr_queries.compliance_of_unit(monday, unit)
    elif monday is not None:
        context["units"] = hr_queries.compliance_by_unit(monday, page, _page_size())
        context["page_url"] = lambda p: url_for("execution.hr_compliance", week=monday.isoformat(), page=p)
    context["week_label"] = hr_queries.week_label(monday) if monday is not None else None
    return render_page_or_partial("execution/hr_compliance.html", "execution/_hr_compliance_results.html",
                                  status=422 if form.errors else 200, **context)


# --- holidays ----------------------------------------------------------------------------------------

HOLIDAYS_PAGE, HOLIDAYS_PANEL = "execution/hr_holidays.html", "execution/_hr_holidays.html"


def _holidays_answer(year: int, *, form=None, message=None, status=200):
    """Render the year's holidays with the add form (fresh unless ``form`` carries errors)."""
    year = min(max(year, 2000), 2100)
    return render_page_or_partial(HOLIDAYS_PAGE, HOLIDAYS_PANEL, status=status, year=year,
                                  holidays=holidays.holidays_of(year), configured=sorted(
                                      day for day in holidays.configured() if day.year == year),
                                  form=form or HolidayForm(formdata=None), message=message,
                                  date_label=week_rules.date_label)


def _holidays_done(year: int, message: str):
    if not is_htmx():
        flash(message, "success")
        return hx_redirect(url_for("execution.hr_holidays", year=year))
    return _holidays_answer(year, message=message)


@bp.get("/hr/holidays")
@role_required(HR)
def hr_holidays():
    """List a year's holidays (HR's and the configured ones) with the form to add one."""
    return _holidays_answer(request.args.get("year", type=int) or _year_today())


@bp.post("/hr/holidays")
@role_required(HR)
def hr_add_holiday():
    """Add a holiday; 422 with the errors (weekend, already a holiday, week closed) otherwise."""
    form = HolidayForm()
    year = request.args.get("year", type=int) or _year_today()
    if not form.validate_on_submit() or perform(
            lambda: holidays.add_holiday(current_user.employee, form.day.data, form.name.data), form):
        return _holidays_answer(year, form=form, status=422)
    return _holidays_done(form.day.data.year, f"{week_rules.date_label(form.day.data)} ({form.name.data}) "
                                              "dicatat sebagai hari libur.")


@bp.post("/hr/holidays/<int:holiday_id>/delete")
@role_required(HR)
def hr_remove_holiday(holiday_id):
    """Remove a holiday of a week not yet closed (422 with the reason otherwise)."""
    holiday = db.session.get(Holiday, holiday_id) or abort(404, description="Hari libur tidak ditemukan.")
    day, name = holiday.day, holiday.name
    perform(lambda: holidays.remove_holiday(current_user.employee, holiday))
    return _holidays_done(day.year, f"{week_rules.date_label(day)} ({name}) dihapus dari hari libur.")

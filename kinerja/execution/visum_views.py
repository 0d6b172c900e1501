"""Visum pages of the employee: his week (add, edit, delete, copy yesterday, evidence) and a read-only week
for his assessor chain and HR, and the evidence files.

Every change answers an HTMX request with the day's partial (``day-YYYY-MM-DD``, swapped outerHTML)
plus the week summary out of band; a plain POST is redirected to the week (303); bad input
re-renders with 422; a closed week answers 423, an approved visum 409, someone else's visum 403
(``kinerja.refusals``). Choices: ``docs/visum-pages.md``.
"""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from kinerja import clock
from kinerja.auth.access import can_view_employee, get_employee_or_404
from kinerja.execution import bp, evidence, feedback, reopen_requests, services, visum_copy, visum_queries
from kinerja.execution.visum_forms import (
    CopyForm,
    EditVisumForm,
    EvidenceForm,
    ReopenRequestForm,
    VisumForm,
    WeekForm,
)
from kinerja.extensions import db
from kinerja.htmx import is_htmx, render_page_or_partial
from kinerja.refusals import perform, refuse
from kinerja.rules import week as week_rules
from kinerja.rules.calendar import DATE_OUT_OF_RANGE, is_supported_date
from kinerja.rules.planning import NotAllowed, PlanningRuleError
from kinerja.rules.visum import (
    VISUM_STATUS_LABELS,
    VisumAction,
    VisumStatus,
    allowed_visum_actions,
    visum_transition,
)

# Gate refusals about one field of the form: shown on the form (422) rather than as an error page.
FIELD_GATE_CODES = frozenset({"IKI_REQUIRED", "IKI_NOT_IN_SKP", "OUTSIDE_SKP_PERIOD"})
STATUS_BADGES = {"SUBMITTED": "badge-warn", "APPROVED": "badge-ok", "RETURNED": "badge-err"}
# the statuses whose visum its owner may still edit, delete or add evidence to (the rule's EDIT step)
EDITABLE_STATUSES = frozenset(str(status) for status in VisumStatus
                              if VisumAction.EDIT in allowed_visum_actions(status))


@bp.app_context_processor
def visum_labels():
    """Give the visum templates their labels."""
    return {"visum_status_labels": {str(k): v for k, v in VISUM_STATUS_LABELS.items()},
            "visum_status_badges": STATUS_BADGES, "visum_editable_statuses": EDITABLE_STATUSES}


@bp.app_template_test("web_url")
def web_url(value) -> bool:
    """Tell a template whether a stored value may be rendered as a link (a complete http/https address)."""
    return evidence.is_web_url(value)


# --- loading and access --------------------------------------------------------------------------

def _me():
    return current_user.employee


def _now():
    return clock.now()


def _day_arg(value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        abort(404, description="Tanggal tidak valid.")
    if not is_supported_date(day):
        abort(404, description=DATE_OUT_OF_RANGE)
    return day


def _week_arg(employee) -> date:
    form = WeekForm(formdata=request.args)
    if form.validate() and form.week.data:
        return form.week.data
    return clock.today_for(employee)


def _own_visum_or_403(visum_id: int):
    """Load a visum only its employee may change; 404 when unknown, 403 for anyone else."""
    visum = visum_queries.load_visum(visum_id)
    if visum is None:
        abort(404, description="Visum tidak ditemukan.")
    if visum.employee_id != _me().id:
        abort(403)
    return visum


def _own_evidence_or_403(evidence_id: int):
    item = visum_queries.load_evidence(evidence_id)
    if item is None:
        abort(404, description="Bukti dukung tidak ditemukan.")
    if item.visum.employee_id != _me().id:
        abort(403)
    return item


def _field_errors(call):
    """Run a service call, turning the gate's refusals about one field into bad input (422 on the form)."""
    def run():
        try:
            return call()
        except NotAllowed as error:
            if error.code in FIELD_GATE_CODES:
                raise PlanningRuleError(error.message, error.field, code=error.code) from error
            raise
    return run


# --- rendering -----------------------------------------------------------------------------------

def _add_form(entry) -> VisumForm:
    return VisumForm(formdata=None, iki_choices=entry.iki_choices)


def _context(week, *, read_only: bool, state: dict | None = None) -> dict:
    """Gather the page's context: the week and, unless read-only, a form per open day."""
    state = state or {}
    add_forms, copy_forms = {}, {}
    if not read_only:
        for entry in week.days:
            if entry.can_add:
                add_forms[entry.day] = _add_form(entry)
                copy_forms[entry.day] = CopyForm(formdata=None)
        add_forms.update(state.get("add", {}))  # a refused form shows on its day, even a future one
    evidence_forms = state.get("evidence", {})
    counts = feedback.feedback_counts([v.id for entry in week.days for v in entry.visum])
    return {"week": week, "feedback_counts": counts, "employee": week.employee, "read_only": read_only,
            "reopen": None if read_only else _reopen_context(week, state.get("reopen_form")),
            "add_forms": add_forms,
            "copy_forms": copy_forms, "copy_errors": state.get("copy_errors", {}), "edit": state.get("edit", {}),
            "evidence_forms": evidence_forms, "open_days": state.get("open_days", set()),
            "evidence_accept": evidence.accept_attribute(), "evidence_types": evidence.allowed_label(),
            "evidence_max": evidence.max_bytes_label(), "evidence_form": EvidenceForm(formdata=None)}


def _reopen_context(week, form=None) -> dict | None:
    """Gather what a closed week tells its employee: his returned visum, his request to HR and the form.

    None while the week is writable (open, or reopened by HR): then there is nothing to ask for.
    """
    if week.writable:  # nothing to ask for; a refused request (the week is open) still shows why
        return {"request": None, "returned": 0, "form": form, "open_week": True} if form is not None else None
    returned = sum(1 for entry in week.days for v in entry.visum if v.status == VisumStatus.RETURNED.value)
    return {"request": reopen_requests.latest_request(week.employee, week.monday), "returned": returned,
            "form": form or ReopenRequestForm(formdata=None, week=week.monday)}


def _render_day(employee, day: date, *, status: int = 200, state: dict | None = None, also: tuple = ()):
    """Answer a change to a day: its partial (and the summary, and ``also`` days, out of band) for HTMX,
    else the week page (after bad input) or a redirect to it (after success)."""
    if not is_htmx() and status < 400:
        return redirect(url_for("execution.week", week=day.isoformat()) + f"#day-{day.isoformat()}", 303)
    week = visum_queries.week_of(employee, day)
    context = _context(week, read_only=False, state=state)
    if not is_htmx():
        return render_template("execution/visum_week.html", **context), status
    extra = [entry for entry in (week.day(d) for d in also) if entry is not None and entry.day != day]
    return render_template("execution/_visum_day_response.html", entry=week.day(day), extra_days=extra,
                           **context), status


def _show_day(employee, day: date, state: dict | None = None):
    """Render one day's partial for HTMX, else the week page showing it."""
    week_data = visum_queries.week_of(employee, day)
    context = _context(week_data, read_only=False, state=state)
    if is_htmx():
        return render_template("execution/_visum_day.html", entry=week_data.day(day), **context)
    return render_template("execution/visum_week.html", **context)


# --- the week --------------------------------------------------------------------------------------

@bp.get("/visum")
@login_required
def week():
    """Show the logged-in employee's visum week (``?week=`` any day of it) with a form per open day."""
    me = _me()
    week_data = visum_queries.week_of(me, _week_arg(me))
    return render_page_or_partial("execution/visum_week.html", "execution/_visum_week.html",
                                  **_context(week_data, read_only=False))


@bp.post("/visum/reopen-request")
@login_required
def week_reopen_request():
    """Ask HR to reopen one of the employee's own closed weeks (optional note); 422 on bad input, 409 if asked."""
    me = _me()
    form = ReopenRequestForm()
    valid = form.validate_on_submit()
    monday = week_rules.week_start(form.week.data or _week_arg(me))
    state = {"reopen_form": form}
    if valid:
        try:
            if perform(lambda: reopen_requests.request_reopening(me, me, monday, form.note.data), form) is None:
                state = {}
        except IntegrityError:  # a simultaneous request for the same week won: it is the open one
            db.session.rollback()
            state = {}
    if not is_htmx():
        if not state:
            flash("Permintaan pembukaan minggu dikirim ke Kepegawaian. Anda akan mendapat notifikasi jawabannya.",
                  "success")
            return redirect(url_for("execution.week", week=monday.isoformat()), 303)
        return render_template("execution/visum_week.html",
                               **_context(visum_queries.week_of(me, monday), read_only=False, state=state)), 422
    context = _context(visum_queries.week_of(me, monday), read_only=False, state=state)
    return render_template("execution/_visum_reopen.html", **context), 422 if state else 200


@bp.get("/visum/<nip>")
@login_required
def employee_week(nip):
    """Show someone's visum week read-only (himself, his assessor chain, HR); 403 for anyone else."""
    employee = get_employee_or_404(nip)
    week_data = visum_queries.week_of(employee, _week_arg(employee))
    return render_page_or_partial("execution/visum_week.html", "execution/_visum_week.html",
                                  **_context(week_data, read_only=True))


@bp.get("/visum/day/<day>")
@login_required
def day_partial(day):
    """Show one day of the employee's week (the partial for HTMX, e.g. after "Batal"; else the week page)."""
    return _show_day(_me(), _day_arg(day))


@bp.post("/visum/day/<day>")
@login_required
def visum_add(day):
    """File a visum on a day; 422 with the errors on bad input, 423 when the week has closed."""
    me, the_day = _me(), _day_arg(day)
    form = VisumForm(iki_choices=visum_queries.week_of(me, the_day).day(the_day).iki_choices)
    state = {"add": {the_day: form}, "open_days": {the_day}}
    if not form.validate_on_submit():
        return _render_day(me, the_day, status=422, state=state)
    call = _field_errors(lambda: services.file_visum(me, me, day=the_day, client_token=form.client_token.data,
                                                     **form.service_kwargs()))
    try:
        if perform(call, form) is not None:
            return _render_day(me, the_day, status=422, state=state)
    except IntegrityError:  # two truly simultaneous requests with one token: the first one won
        db.session.rollback()
    return _render_day(me, the_day)


@bp.post("/visum/day/<day>/copy")
@login_required
def visum_copy_day(day):
    """Copy the previous day's visum (or the last filed day's) into a day; 422 when there is nothing to copy."""
    me, the_day = _me(), _day_arg(day)
    form = CopyForm()
    if not form.validate_on_submit():
        abort(400)
    call = _field_errors(lambda: visum_copy.copy_previous_day(me, me, the_day, client_token=form.client_token.data))
    try:
        error = perform(call, form)
    except IntegrityError:
        db.session.rollback()
        error = None
    if error is not None:
        return _render_day(me, the_day, status=422, state={"copy_errors": {the_day: error.message}})
    return _render_day(me, the_day)


@bp.route("/visum/<int:visum_id>/edit", methods=["GET", "POST"])
@login_required
def visum_edit(visum_id):
    """Show (GET) or save (POST) the edit form of the employee's own visum; 409 approved, 423 closed week."""
    visum = _own_visum_or_403(visum_id)
    me, old_day = _me(), visum.day
    try:
        services.ensure_writable(me, visum.day)
        visum_transition(visum.status, VisumAction.EDIT)
    except PlanningRuleError as error:
        refuse(error)
    choices = visum_queries.iki_choices(me, visum.day.year)
    if request.method == "GET":
        data = {"date": visum.day, "iki_id": str(visum.iki_id or ""), "activity": visum.activity,
                "output_quantity": f"{visum.output_quantity:g}" if visum.output_quantity is not None else "",
                "output_unit": visum.output_unit or ""}
        form = EditVisumForm(formdata=None, data=data, iki_choices=choices)
        return _show_day(me, old_day, state={"edit": {visum.id: form}})
    form = EditVisumForm(iki_choices=choices)
    state = {"edit": {visum.id: form}}
    if not form.validate_on_submit():
        return _render_day(me, old_day, status=422, state=state)
    kwargs = form.service_kwargs()
    if perform(_field_errors(lambda: services.update_visum(me, visum, **kwargs)), form) is not None:
        return _render_day(me, old_day, status=422, state=state)
    return _render_day(me, old_day, also=(kwargs["day"],))


@bp.post("/visum/<int:visum_id>/delete")
@login_required
def visum_delete(visum_id):
    """Delete the employee's own visum and its evidence files; 409 approved, 423 closed week."""
    visum = _own_visum_or_403(visum_id)
    me, day = _me(), visum.day
    files: list[str] = []
    perform(lambda: files.extend(services.delete_visum(me, visum)))
    evidence.remove_stored(files)
    return _render_day(me, day)


# --- evidence --------------------------------------------------------------------------------------

@bp.post("/visum/<int:visum_id>/evidence")
@login_required
def evidence_add(visum_id):
    """Attach a file, a camera photo or a link to the employee's own visum; 422 for a refused file or link."""
    visum = _own_visum_or_403(visum_id)
    me, day = _me(), visum.day
    form = EvidenceForm()
    state = {"evidence": {visum.id: form}, "open_days": {day}}
    if not form.validate_on_submit():
        return _render_day(me, day, status=422, state=state)
    upload = form.upload()
    if form.url.data:
        call = lambda: evidence.add_link_evidence(me, visum, form.url.data)  # noqa: E731
    elif upload is not None:
        call = lambda: evidence.add_file_evidence(me, visum, upload)  # noqa: E731
    else:
        form.file.errors = ["Pilih berkas, ambil foto, atau isi tautan."]
        return _render_day(me, day, status=422, state=state)
    if perform(call, form) is not None:
        return _render_day(me, day, status=422, state=state)
    return _render_day(me, day)


@bp.post("/evidence/<int:evidence_id>/delete")
@login_required
def evidence_remove(evidence_id):
    """Remove one evidence of the employee's own visum (and its file after the commit)."""
    item = _own_evidence_or_403(evidence_id)
    me, day = _me(), item.visum.day
    removed: list[str | None] = []
    perform(lambda: removed.append(evidence.remove_evidence(me, item)))
    evidence.remove_stored([name for name in removed if name])
    return _render_day(me, day)


@bp.get("/evidence/<int:evidence_id>")
@login_required
def evidence_file(evidence_id):
    """Send an evidence file to its employee, his assessor chain or HR (403 for anyone else)."""
    item = visum_queries.load_evidence(evidence_id)
    if item is None:
        abort(404, description="Bukti dukung tidak ditemukan.")
    if not can_view_employee(current_user, item.visum.employee):
        abort(403)
    if item.kind != "FILE":
        abort(404, description="Bukti dukung ini berupa tautan.")
    return evidence.send_stored(item.stored_name, item.content_type, item.original_name)

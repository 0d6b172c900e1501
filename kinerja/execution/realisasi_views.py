"""Pages of realisation: the monthly realisation grid of a PK (inline entry with evidence), Monev RAPK
(realisation against the trajectory, IKU behind target, rencana aksi progress), Dialog Penilaian
Kinerja Organisasi records of a unit, and the employee's realisation of his approved SKP.

Who reads: the organisation pages follow the PK's own rule (``pk_queries.can_view_unit_pk``:
planners, HR, admin, and whoever is placed in the unit, above it or below it); an SKP's realisation
follows ``can_view_employee`` (himself, his assessor chain, HR). Who writes is the services' rule
(``kinerja.execution.realisasi``); refusals go through ``kinerja.refusals``.

Views stay thin: load or 404 -> access -> form -> service -> render. A change answers an HTMX request
with the partial it changed (422 with the form's errors when invalid); a plain post is redirected back
to its page (303).
"""

from datetime import date

from flask import abort, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_required

from kinerja import clock
from kinerja.auth.access import can_view_employee
from kinerja.execution import bp, evidence
from kinerja.execution import realisasi as services
from kinerja.execution import realisasi_queries as queries
from kinerja.execution.realisasi_forms import (
    DialogOrganisasiForm,
    IkiRealisasiForm,
    IkuRealisasiForm,
    ProgressForm,
)
from kinerja.forms import YearForm
from kinerja.htmx import is_htmx, render_page_or_partial
from kinerja.org import queries as org_queries
from kinerja.planning import charts, pk_queries, skp_queries
from kinerja.planning.models import PerjanjianKinerja
from kinerja.refusals import perform
from kinerja.rules.capaian import DEFAULT_CAP, open_periods, period_label
from kinerja.rules.planning import format_number


def _me():
    return current_user.employee


def _cap() -> float:
    return float(current_app.config.get("CAPAIAN_CAP", DEFAULT_CAP))


def _percent(value) -> str:
    return "—" if value is None else f"{format_number(round(value, 2))}%"


def _render(page: str, partial: str, status: int = 200, **context):
    """Render a page or its partial with the helpers every realisation template uses."""
    return render_page_or_partial(page, partial, status=status, period_label=period_label, percent=_percent,
                                  evidence_accept=evidence.accept_attribute(),
                                  evidence_limit=evidence.max_bytes_label(), **context)


def _today(unit) -> date:
    return clock.today_in(clock.zone_of_unit(unit))


def _pk_or_404(pk_id: int) -> PerjanjianKinerja:
    """Load a PK the user may read (404 unknown, 403 another branch)."""
    return pk_queries.get_pk_or_404(pk_id, current_user)


def _in_force(pk: PerjanjianKinerja) -> PerjanjianKinerja | None:
    """Return the PK version in force when ``pk`` is not it (a superseded or draft version), else None."""
    current = pk_queries.current_pk(pk.unit, pk.year)
    return current if current is not None and current.id != pk.id else None


# --- realisation of a PK's IKU ------------------------------------------------------------------

def _realisasi_context(pk: PerjanjianKinerja, *, open_iku_id: int | None = None, form=None) -> dict:
    """Gather the realisation grid: every IKU month by month, with the entry form of the IKU opened."""
    can_edit = pk.status == "SIGNED" and services.can_record_realisasi(_me())
    periods = open_periods(pk.year, _today(pk.unit)) if can_edit else []
    items = queries.iku_monev(pk, cap=_cap())
    forms = (_entry_forms(IkuRealisasiForm, "r", {item.iku.id: item.rows for item in items}, periods, open_iku_id,
                          form) if can_edit else {})
    return {"pk": pk, "items": items, "can_edit": can_edit, "forms": forms, "open_iku_id": open_iku_id,
            "periods": periods, "in_force": _in_force(pk)}


def _asked_period(prefix: str) -> str | None:
    """Return the period a cell link (``?period=``) or the form's own select (``?<prefix>-period=``) asked for."""
    return request.args.get("period") or request.args.get(f"{prefix}-period")


def _entry_forms(form_class, letter: str, rows_by_id: dict, periods: list[str], open_id: int | None, form) -> dict:
    """Build the entry form of each IKU or IKI (``{id: its saved rows}``); the opened one keeps ``form`` when given."""
    forms = {}
    for item_id, rows in rows_by_id.items():
        prefix = f"{letter}{item_id}"
        if form is not None and item_id == open_id:
            forms[item_id] = form
        else:
            asked = _asked_period(prefix) if item_id == open_id else None
            forms[item_id] = _entry_form(form_class, prefix, rows, periods, asked)
    return forms


def _entry_form(form_class, prefix: str, rows: dict, periods: list[str], period: str | None):
    """Build an IKU or IKI entry form prefilled with a period's saved value (the latest open month by default)."""
    if period not in periods:
        months = [p for p in periods if len(p) == 7]
        period = months[-1] if months else (periods[0] if periods else None)
    row = rows.get(period) if period else None
    data = {"period": period}
    if row is not None:
        data.update(value=row.value, note=row.note)  # evidence: kept unless new one is given
    return form_class(formdata=None, data=data, periods=periods, prefix=prefix)


@bp.get("/pk/<int:pk_id>/realisasi")
@login_required
def realisasi(pk_id):
    """Show the monthly realisation grid of a PK; ``?iku=ID&period=`` opens one cell's entry form."""
    pk = _pk_or_404(pk_id)
    open_iku_id = request.args.get("iku", type=int)
    context = _realisasi_context(pk, open_iku_id=open_iku_id)
    item = next((i for i in context["items"] if i.iku.id == open_iku_id), None)
    return _page_or_opened("execution/realisasi.html", "execution/_realisasi_grid.html",
                           "execution/_realisasi_iku.html", context, item=item)


def _page_or_opened(page: str, grid: str, opened_partial: str, context: dict, **opened):
    """Render a grid page; an HTMX request that opened one row (an IKU or IKI found) gets that row's partial."""
    if is_htmx() and all(value is not None for value in opened.values()):
        return _render(page, opened_partial, **opened, **context)
    return _render(page, grid, **context)


@bp.post("/pk/<int:pk_id>/realisasi")
@login_required
def realisasi_save(pk_id):
    """Save one period's realisation of an IKU (``iku_id``) with its evidence; 422 with the form's errors."""
    pk = _pk_or_404(pk_id)
    iku = next((i for i in pk.iku if i.id == request.form.get("iku_id", type=int)), None)
    if iku is None:
        abort(404, description="IKU tidak ditemukan pada Perjanjian Kinerja ini.")
    if not services.can_record_realisasi(_me()):
        abort(403)
    form = IkuRealisasiForm(periods=open_periods(pk.year, _today(pk.unit)), prefix=f"r{iku.id}")

    def again(status):
        context = _realisasi_context(pk, open_iku_id=iku.id, form=form)
        item = next(i for i in context["items"] if i.iku.id == iku.id)
        return _render("execution/realisasi.html", "execution/_realisasi_iku.html", status, item=item, **context)

    if not form.validate_on_submit():
        return again(422)
    error = perform(lambda: services.record_iku_realisasi(
        _me(), pk, iku.code, form.period.data, float(form.value.data), note=form.note.data,
        evidence_url=form.evidence_url.data or None, upload=form.upload()), form)
    if error is not None:
        return again(422)
    flash(f"Realisasi {iku.code} {period_label(form.period.data)} disimpan.", "success")
    if not is_htmx():
        return redirect(url_for("execution.realisasi", pk_id=pk.id) + f"#realisasi-iku-{iku.id}", 303)
    context = _realisasi_context(pk, open_iku_id=iku.id)
    item = next(i for i in context["items"] if i.iku.id == iku.id)
    return _render("execution/realisasi.html", "execution/_realisasi_iku.html", item=item, oob_flash=True,
                   **context)


@bp.get("/realisasi/<int:realisasi_id>/evidence")
@login_required
def realisasi_evidence(realisasi_id):
    """Send the evidence file of an IKU realisation to someone who may read the unit's PK."""
    row = queries.get_iku_realisasi(realisasi_id)
    if row is None or not row.stored_name:
        abort(404, description="Bukti dukung tidak ditemukan.")
    if not pk_queries.can_view_unit_pk(current_user, row.unit):
        abort(403)
    return evidence.send_stored(row.stored_name, row.content_type, row.original_name)


# --- Monev RAPK ----------------------------------------------------------------------------------

def _chart(item):
    """Draw an IKU's target to date against its realisation to date (up to the latest month measured)."""
    latest = item.latest.period if item.latest is not None else None
    targets = [row.target for row in item.progress]
    real = [row.realisation_to_date if latest is not None and row.period <= latest else None
            for row in item.progress]
    return charts.trajectory_svg(item.periods, targets, item.iku.target, realisation=real,
                                 title=f"{item.iku.code}: realisasi dan trajektori", width=480, height=170)


def _monev_context(pk: PerjanjianKinerja, **overrides) -> dict:
    data = queries.monev(pk, cap=_cap())
    can_manage = pk.status == "SIGNED" and services.can_manage_unit_monev(_me(), pk.unit)
    progress_forms = {action.id: ProgressForm(formdata=None, data={"progress": action.progress},
                                              prefix=f"ra{action.id}") for _, action in data.actions}
    progress_forms.update(overrides.pop("progress_forms", {}))
    return {"pk": pk, "monev": data, "charts": {item.iku.id: _chart(item) for item in data.items},
            "can_manage": can_manage, "progress_forms": progress_forms, "in_force": _in_force(pk), **overrides}


@bp.get("/pk/<int:pk_id>/monev")
@login_required
def monev(pk_id):
    """Show Monev RAPK: each IKU's realisation against its trajectory, IKU behind target, rencana aksi."""
    pk = _pk_or_404(pk_id)
    return _render("execution/monev.html", "execution/_monev.html", **_monev_context(pk))


@bp.post("/rencana-aksi/<int:action_id>/progress")
@login_required
def rencana_aksi_progress(action_id):
    """Update the progress of a rencana aksi inline; 422 with the error in the row."""
    action = queries.rencana_aksi(action_id)
    if action is None:
        abort(404)
    pk = _pk_or_404(action.iku.pk_id)
    if not services.can_manage_unit_monev(_me(), pk.unit):
        abort(403)
    form = ProgressForm(prefix=f"ra{action.id}")
    status = 200
    if not form.validate_on_submit():
        status = 422
    elif perform(lambda: services.update_rencana_aksi_progress(_me(), action, form.progress.data), form):
        status = 422
    elif not is_htmx():
        flash("Progres rencana aksi disimpan.", "success")
        return redirect(url_for("execution.monev", pk_id=pk.id) + f"#ra-{action.id}", 303)
    context = _monev_context(pk, progress_forms={action.id: form} if status == 422 else {})
    return _render("execution/monev.html", "execution/_monev_action.html", status,
                   iku=action.iku, action=action, **context)


# --- Dialog Penilaian Kinerja Organisasi -----------------------------------------------------------

def _unit_or_404(code: str):
    unit = org_queries.get_unit_or_404(code)
    if not pk_queries.can_view_unit_pk(current_user, unit):
        abort(403)
    return unit


def _year() -> int:
    form = YearForm(formdata=request.args)
    if form.validate() and form.year.data:
        return form.year.data
    return clock.today().year


def _dialog_context(unit, year: int, form=None) -> dict:
    can_record = services.can_manage_unit_monev(_me(), unit)
    pk = pk_queries.current_pk(unit, year)  # the signed version, else the newest draft
    return {"unit": unit, "year": year, "dialogs": queries.dialogs_of(unit.id, year), "can_record": can_record,
            "pk": pk, "form": form if form is not None else DialogOrganisasiForm(formdata=None)}


@bp.get("/units/<code>/dialog")
@login_required
def dialog_organisasi(code):
    """List the Dialog Penilaian Kinerja Organisasi records of a unit's year (``?year=``) and the form."""
    unit = _unit_or_404(code)
    return _render("execution/dialog.html", "execution/_dialog.html", **_dialog_context(unit, _year()))


@bp.post("/units/<code>/dialog")
@login_required
def dialog_organisasi_create(code):
    """Record a Dialog Penilaian Kinerja Organisasi forum of a unit; 422 with the form's errors."""
    unit = _unit_or_404(code)
    year = _year()
    if not services.can_manage_unit_monev(_me(), unit):
        abort(403)
    form = DialogOrganisasiForm()
    if not form.validate_on_submit() or perform(lambda: services.record_dialog_organisasi(
            _me(), unit, year=year, held_on=form.held_on.data, period=form.period.data,
            participants=form.participants.data, summary=form.summary.data,
            follow_up=form.follow_up.data or None), form):
        return _render("execution/dialog.html", "execution/_dialog.html", 422, **_dialog_context(unit, year, form))
    flash("Dialog Penilaian Kinerja Organisasi dicatat.", "success")
    if not is_htmx():
        return redirect(url_for("execution.dialog_organisasi", code=unit.code, year=year), 303)
    return _render("execution/dialog.html", "execution/_dialog.html", oob_flash=True,
                   **_dialog_context(unit, year))


# --- realisation of an SKP -----------------------------------------------------------------------

def _skp_or_404(skp_id: int):
    skp = skp_queries.load_skp(skp_id)
    if skp is None:
        abort(404, description="SKP tidak ditemukan.")
    if not can_view_employee(current_user, skp.employee):
        abort(403)
    return skp


def _skp_context(skp, *, open_iki_id: int | None = None, form=None) -> dict:
    can_edit = skp.status == "APPROVED" and services.can_record_iki_realisasi(_me(), skp)
    months = queries.skp_months(skp)
    periods = open_periods(skp.year, _today(skp.employee.unit or skp.unit), months) if can_edit else []
    found = queries.skp_realisations(skp)
    ikis = queries.skp_ikis(skp)
    forms = (_entry_forms(IkiRealisasiForm, "i", {iki.id: found.get(iki.id, {}) for iki in ikis}, periods,
                          open_iki_id, form) if can_edit else {})
    return {"skp": skp, "ikis": ikis, "months": months, "found": found, "can_edit": can_edit, "forms": forms,
            "periods": periods,
            "open_iki_id": open_iki_id, "is_owner": _me().id == skp.employee_id}


@bp.get("/skp/<int:skp_id>/realisasi")
@login_required
def skp_realisasi(skp_id):
    """Show the realisation of an SKP per IKI and month; its owner enters it when the SKP is approved."""
    skp = _skp_or_404(skp_id)
    open_iki_id = request.args.get("iki", type=int)
    context = _skp_context(skp, open_iki_id=open_iki_id)
    iki = next((i for i in context["ikis"] if i.id == open_iki_id), None)
    return _page_or_opened("execution/skp_realisasi.html", "execution/_skp_realisasi.html",
                           "execution/_skp_realisasi_iki.html", context, iki=iki)


@bp.post("/skp/<int:skp_id>/realisasi")
@login_required
def skp_realisasi_save(skp_id):
    """Save the employee's realisation of one IKI (``iki_id``) for a period; 403 unless his SKP is approved."""
    skp = _skp_or_404(skp_id)
    iki = next((i for i in queries.skp_ikis(skp) if i.id == request.form.get("iki_id", type=int)), None)
    if iki is None:
        abort(404, description="IKI tidak ditemukan pada SKP ini.")
    if not services.can_record_iki_realisasi(_me(), skp) or skp.status != "APPROVED":
        abort(403, description="Realisasi hanya dicatat oleh pegawai yang bersangkutan pada SKP yang sudah "
                               "disetujui.")
    months = queries.skp_months(skp)
    form = IkiRealisasiForm(periods=open_periods(skp.year, _today(skp.employee.unit or skp.unit), months),
                            prefix=f"i{iki.id}")
    if not form.validate_on_submit() or perform(lambda: services.record_iki_realisasi(
            _me(), skp, iki.id, form.period.data, float(form.value.data), note=form.note.data), form):
        context = _skp_context(skp, open_iki_id=iki.id, form=form)
        return _render("execution/skp_realisasi.html", "execution/_skp_realisasi_iki.html", 422, iki=iki,
                       **context)
    flash(f"Realisasi {period_label(form.period.data)} disimpan.", "success")
    if not is_htmx():
        return redirect(url_for("execution.skp_realisasi", skp_id=skp.id) + f"#skp-realisasi-iki-{iki.id}", 303)
    context = _skp_context(skp, open_iki_id=iki.id)
    return _render("execution/skp_realisasi.html", "execution/_skp_realisasi_iki.html", iki=iki, oob_flash=True,
                   **context)

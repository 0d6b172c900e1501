"""Pages of the Perjanjian Kinerja (organisation planning): the list of a year, the PK page with
inline editing of SS, IKU, trajectory (checked as you type), rencana aksi, anggaran and penugasan,
signing, Perubahan PK with history and diff, and the cascade tree of the agency.

Views stay thin: load or 404 -> access -> form -> service (``kinerja.planning.pk``) -> render.
A ``PlanningError`` re-renders the partial with 422, ``NotAllowed`` answers 403, ``WrongState`` 409.
A change answers an HTMX request with the partial it changed (and the PK header out of band, as
signatures and the list of what blocks signing follow every change); a plain form post is redirected
back to the PK page (303).
"""

from flask import abort, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_required

from kinerja import clock
from kinerja.audit.services import history
from kinerja.extensions import db
from kinerja.htmx import hx_redirect, is_htmx, render_page_or_partial
from kinerja.org import queries as org_queries
from kinerja.planning import bp, charts, pk, pk_queries
from kinerja.planning.errors import NotAllowed, PlanningError
from kinerja.planning.models import Anggaran, Iku, PenugasanTambahan, PerjanjianKinerja, RencanaAksi, SasaranStrategis
from kinerja.planning.pk_forms import (
    ACTION_KIND_LABELS,
    INPUT_LABELS,
    PK_STATUS_BADGES,
    PK_STATUS_LABELS,
    ActionForm,
    AmendForm,
    AnggaranForm,
    CreatePkForm,
    DiffForm,
    IkuForm,
    PenugasanForm,
    PkInputsForm,
    SasaranForm,
    SignForm,
    YearUnitForm,
    trajectory_from_form,
)
from kinerja.refusals import attach, refuse
from kinerja.rules.planning import (
    AGGREGATION_LABELS,
    CONSOLIDATION_LABELS,
    PK_AMENDMENT_REASON_LABELS,
    POLARITY_LABELS,
    TARGET_KIND_LABELS,
    format_number,
)
from kinerja.rules.trajectory import expected_periods, trajectory_summary

PAGE = "planning/pk.html"


@bp.app_context_processor
def pk_labels():
    """Give the PK templates their Bahasa labels."""
    return {"pk_status_labels": PK_STATUS_LABELS, "pk_status_badges": PK_STATUS_BADGES,
            "polarity_labels": POLARITY_LABELS, "consolidation_labels": CONSOLIDATION_LABELS,
            "aggregation_labels": AGGREGATION_LABELS, "target_kind_labels": TARGET_KIND_LABELS,
            "action_kind_labels": ACTION_KIND_LABELS, "amendment_reason_labels": PK_AMENDMENT_REASON_LABELS,
            "pk_input_labels": INPUT_LABELS, "fmt_number": format_number}


# --- loading and access ------------------------------------------------------------------------

def _me():
    return current_user.employee


def _this_year() -> int:
    return clock.today().year


def _load_or_404(pk_id: int) -> PerjanjianKinerja:
    return pk_queries.get_pk_or_404(pk_id, current_user)


def _editable_or_403(pk_id: int) -> PerjanjianKinerja:
    """Load a PK the user may edit; 403 otherwise, 409 when it is no longer a draft."""
    item = _load_or_404(pk_id)
    if not pk.can_edit_pk(_me(), item):
        abort(403)
    if item.status != "DRAFT":
        abort(409, description="Perjanjian Kinerja yang sudah ditandatangani tidak dapat diubah; ajukan Perubahan PK.")
    return item


def _child_or_404(model, object_id: int):
    """Load an SS, IKU, action, anggaran or penugasan row and its editable PK (404/403/409)."""
    row = db.session.get(model, object_id)
    if row is None:
        abort(404)
    pk_id = row.iku.pk_id if isinstance(row, RencanaAksi) else row.pk_id
    return row, _editable_or_403(pk_id)


def _reload(item: PerjanjianKinerja) -> PerjanjianKinerja:
    pk_id = item.id
    db.session.expire_all()
    return pk_queries.load_pk(pk_id)


def _refuse(error: PlanningError) -> None:
    """Roll back; abort when no form can carry the refusal (403, 409), else return for ``attach``."""
    db.session.rollback()
    if error.http_status != 400:
        refuse(error)


# --- the page context --------------------------------------------------------------------------

def trajectory_view(iku: Iku, values: dict | None = None, problems=()) -> dict:
    """Gather what the trajectory editor of an IKU shows: inputs, running summary, chart, problems."""
    year = iku.pk.year
    periods = expected_periods(year, iku.consolidation)
    saved = iku.trajectory_dict()
    values = saved if values is None else values
    summary = trajectory_summary(year, iku.consolidation, iku.aggregation, iku.target, values)
    numbers = [values.get(p) if isinstance(values.get(p), int | float) else None for p in periods]
    shown = {p: (format_number(v).replace(".", "") if isinstance(v, int | float) else v) for p, v in values.items()}
    chart = charts.trajectory_svg(periods, numbers, iku.target, title=f"Trajektori {iku.code}")
    return {"periods": periods, "values": shown, "summary": summary, "chart": chart, "problems": list(problems),
            "saved": values == saved}


def _pk_context(item: PerjanjianKinerja, **overrides) -> dict:
    """Gather what the PK page and its partials show, with forms in their current state."""
    me = _me()
    can_edit = item.status == "DRAFT" and pk.can_edit_pk(me, item)
    newest = pk_queries.latest_pk(item.unit, item.year)
    parents = pk_queries.parent_iku_choices(item) if can_edit else []
    context = {
        "pk": item, "can_edit": can_edit,
        "is_head_party": pk.is_head_party(me, item), "is_superior_party": pk.is_superior_party(me, item),
        "can_amend": item.status == "SIGNED" and newest is not None and newest.id == item.id
        and pk.can_edit_pk(me, item),
        "newest": newest, "parent_pk": pk.parent_pk(item), "parents": parents,
        "signing_problems": pk.signing_problems(item) if item.status == "DRAFT" else [],
        "weight_total": sum(i.weight for i in item.iku),
        "trajectories": {i.id: trajectory_view(i) for i in item.iku},
        "sign_form": SignForm(formdata=None), "action_error": None, "editing_iku_id": None, "oob_header": False,
    }
    if can_edit:
        context.update(
            inputs_form=PkInputsForm(formdata=None, data={
                **{name: getattr(item, name) for name in INPUT_LABELS},
                "head_nip": item.head.nip if item.head else "",
                "superior_nip": item.superior.nip if item.superior else ""}),
            sasaran_form=SasaranForm(formdata=None),
            iku_form=IkuForm(formdata=None, sasaran=item.sasaran, parents=parents, prefix="new",
                             data={"sasaran_id": str(item.sasaran[-1].id) if item.sasaran else ""}),
            action_forms={i.id: ActionForm(formdata=None, prefix=f"a{i.id}") for i in item.iku},
            anggaran_form=AnggaranForm(formdata=None), penugasan_form=PenugasanForm(formdata=None),
        )
    if context["can_amend"]:
        context["amend_form"] = AmendForm(formdata=None)
    action_forms = overrides.pop("action_forms", None)
    if action_forms:
        context["action_forms"].update(action_forms)
    trajectories = overrides.pop("trajectories", None)
    if trajectories:
        context["trajectories"].update(trajectories)
    context.update(overrides)
    return context


def _render(item: PerjanjianKinerja, partial: str, status: int = 200, **overrides):
    """Render the PK page, or the partial an HTMX request asked for."""
    return render_page_or_partial(PAGE, partial, status=status, **_pk_context(item, **overrides))


def _done(item: PerjanjianKinerja, partial: str, message: str | None = None, anchor: str = "", **overrides):
    """Commit a change and answer: the changed partial (+ header and flash out of band) for HTMX, a 303
    back to the PK page otherwise."""
    db.session.commit()
    if message:
        flash(message, "success")
    if not is_htmx():
        return redirect(url_for("planning.pk_page", pk_id=item.id) + anchor, 303)
    return _render(_reload(item), partial, oob_header=True, oob_flash=bool(message), **overrides)


# --- list, create, page ------------------------------------------------------------------------

@bp.get("/pk")
@login_required
def pk_list():
    """List the PKs of a year the user may see (his branch; planners and HR: any unit by code)."""
    form = YearUnitForm(formdata=request.args)
    year = form.year.data if form.validate() and form.year.data else _this_year()
    me = _me()
    units = pk_queries.unit_path(me.unit)
    if form.unit.data and pk_queries.sees_everything(current_user):
        chosen = org_queries.unit_by_code(form.unit.data)
        if chosen is not None:
            units = pk_queries.unit_path(chosen) + org_queries.children_of(chosen)
    found = pk_queries.pks_of_units(units, year)
    rows = [(u, found.get(u.id)) for u in units if pk_queries.can_view_unit_pk(current_user, u)]
    create_form = CreatePkForm(formdata=None, data={"year": year, "unit": me.unit.code if me.is_head else ""})
    return render_page_or_partial("planning/pk_list.html", "planning/_pk_list.html", year=year, rows=rows,
                                  filter_form=form, create_form=create_form, action_error=None,
                                  to_sign=pk_queries.awaiting_signature(me, year))


@bp.post("/pk")
@login_required
def pk_create():
    """Start the PK of a unit for a year; 422 when the unit or year is wrong or a PK exists already."""
    form = CreatePkForm()
    year = form.year.data if isinstance(form.year.data, int) else _this_year()

    def again(status, error=None):
        me = _me()
        units = pk_queries.unit_path(me.unit)
        found = pk_queries.pks_of_units(units, year)
        return render_page_or_partial("planning/pk_list.html", "planning/_pk_create.html", status=status,
                                      year=year, rows=[(u, found.get(u.id)) for u in units],
                                      filter_form=YearUnitForm(formdata=None, data={"year": year}),
                                      create_form=form, action_error=error)

    if not form.validate_on_submit():
        return again(422)
    try:
        item = pk.create_pk(_me(), form.unit_obj, form.year.data)
    except NotAllowed as error:
        _refuse(error)
    except PlanningError as error:  # WrongState too: the form says a PK exists, with a link to it
        db.session.rollback()
        return again(422, error.message)
    db.session.commit()
    flash(f"Draf Perjanjian Kinerja {item.unit.name} {item.year} dibuat.", "success")
    return hx_redirect(url_for("planning.pk_page", pk_id=item.id))


@bp.get("/pk/<int:pk_id>")
@login_required
def pk_page(pk_id):
    """Show a PK: parties and signatures, inputs, SS and IKU with trajectory, anggaran, penugasan."""
    return _render(_load_or_404(pk_id), "planning/_pk_sasaran.html")


@bp.post("/pk/<int:pk_id>/inputs")
@login_required
def pk_inputs(pk_id):
    """Save the parties and the drafting inputs of a draft PK."""
    item = _editable_or_403(pk_id)
    form = PkInputsForm()
    if not form.validate_on_submit():
        return _render(item, "planning/_pk_inputs.html", 422, inputs_form=form)
    try:
        pk.update_pk(_me(), item, head=form.head_obj, superior=form.superior_obj, **form.inputs())
    except PlanningError as error:
        _refuse(error)
        attach(form, error)
        return _render(_reload(item), "planning/_pk_inputs.html", 422, inputs_form=form)
    return _done(item, "planning/_pk_inputs.html", "Masukan PK disimpan.", "#pk-inputs")


# --- sasaran strategis and IKU -----------------------------------------------------------------

@bp.post("/pk/<int:pk_id>/sasaran")
@login_required
def pk_sasaran_create(pk_id):
    """Add a Sasaran Strategis to a draft PK."""
    item = _editable_or_403(pk_id)
    form = SasaranForm()
    if not form.validate_on_submit():
        return _render(item, "planning/_pk_sasaran.html", 422, sasaran_form=form)
    try:
        pk.add_sasaran(_me(), item, form.name.data)
    except PlanningError as error:
        _refuse(error)
        attach(form, error)
        return _render(_reload(item), "planning/_pk_sasaran.html", 422, sasaran_form=form)
    return _done(item, "planning/_pk_sasaran.html", anchor="#pk-sasaran")


@bp.post("/pk/sasaran/<int:sasaran_id>/delete")
@login_required
def pk_sasaran_delete(sasaran_id):
    """Remove a Sasaran Strategis and its IKU from a draft PK."""
    sasaran, item = _child_or_404(SasaranStrategis, sasaran_id)
    try:
        pk.delete_sasaran(_me(), sasaran)
    except PlanningError as error:
        _refuse(error)
        abort(422, description=error.message)
    return _done(item, "planning/_pk_sasaran.html", "Sasaran strategis dihapus.", "#pk-sasaran")


def _iku_form(item, formdata=None, data=None, prefix="new") -> IkuForm:
    return IkuForm(formdata=formdata, data=data, sasaran=item.sasaran, parents=pk_queries.parent_iku_choices(item),
                   prefix=prefix)


@bp.post("/pk/<int:pk_id>/iku")
@login_required
def pk_iku_create(pk_id):
    """Add an IKU to a Sasaran Strategis of a draft PK."""
    item = _editable_or_403(pk_id)
    form = _iku_form(item, formdata=request.form)
    if not form.validate_on_submit():
        return _render(item, "planning/_pk_sasaran.html", 422, iku_form=form)
    sasaran = next((s for s in item.sasaran if s.id == form.sasaran_id.id_value), None)
    if sasaran is None:
        form.sasaran_id.errors = ["Sasaran strategis tidak ditemukan pada PK ini."]
        return _render(item, "planning/_pk_sasaran.html", 422, iku_form=form)
    try:
        pk.add_iku(_me(), sasaran, **form.values())
    except PlanningError as error:
        _refuse(error)
        attach(form, error)
        return _render(_reload(item), "planning/_pk_sasaran.html", 422, iku_form=_with_errors(item, form))
    return _done(item, "planning/_pk_sasaran.html", anchor="#pk-sasaran")


def _with_errors(item, form: IkuForm) -> IkuForm:
    """Rebuild a submitted IKU form over the reloaded PK, keeping the user's input and its errors."""
    again = _iku_form(item, formdata=request.form, prefix=form._prefix.rstrip("-"))
    for name, field in form._fields.items():
        again[name].errors = list(field.errors)
    again.form_errors = list(form.form_errors)
    return again


def _iku_edit_data(iku: Iku) -> dict:
    return {"sasaran_id": str(iku.sasaran_id), "code": iku.code, "name": iku.name, "polarity": iku.polarity,
            "weight": iku.weight, "target": iku.target, "unit_of_measure": iku.unit_of_measure,
            "consolidation": iku.consolidation, "aggregation": iku.aggregation, "target_kind": iku.target_kind,
            "parent_iku_id": str(iku.parent_iku_id or "")}


@bp.get("/pk/iku/<int:iku_id>/edit")
@login_required
def pk_iku_edit(iku_id):
    """Show the edit form of an IKU in place (the PK page with it open for a plain request)."""
    iku, item = _child_or_404(Iku, iku_id)
    form = _iku_form(item, data=_iku_edit_data(iku), prefix=f"e{iku.id}")
    return _render(item, "planning/_pk_iku.html", iku=iku, editing_iku_id=iku.id, edit_iku_form=form)


@bp.get("/pk/iku/<int:iku_id>")
@login_required
def pk_iku(iku_id):
    """Show one IKU block (closes its edit form)."""
    iku = db.session.get(Iku, iku_id)
    if iku is None:
        abort(404)
    item = _load_or_404(iku.pk_id)
    iku = next(i for i in item.iku if i.id == iku_id)
    return _render(item, "planning/_pk_iku.html", iku=iku)


@bp.post("/pk/iku/<int:iku_id>")
@login_required
def pk_iku_update(iku_id):
    """Save an IKU of a draft PK (a change of weight, target or consolidation is checked at signing)."""
    iku, item = _child_or_404(Iku, iku_id)
    form = _iku_form(item, formdata=request.form, prefix=f"e{iku.id}")
    if not form.validate_on_submit():
        return _render(item, "planning/_pk_sasaran.html", 422, editing_iku_id=iku.id, edit_iku_form=form)
    sasaran = next((s for s in item.sasaran if s.id == form.sasaran_id.id_value), None)
    try:
        pk.update_iku(_me(), iku, sasaran=sasaran, **form.values())
    except PlanningError as error:
        _refuse(error)
        attach(form, error)
        item = _reload(item)
        return _render(item, "planning/_pk_sasaran.html", 422, editing_iku_id=iku_id,
                       edit_iku_form=_with_errors(item, form))
    return _done(item, "planning/_pk_sasaran.html", "IKU disimpan.", "#pk-sasaran")


@bp.post("/pk/iku/<int:iku_id>/delete")
@login_required
def pk_iku_delete(iku_id):
    """Remove an IKU from a draft PK."""
    iku, item = _child_or_404(Iku, iku_id)
    try:
        pk.delete_iku(_me(), iku)
    except PlanningError as error:
        _refuse(error)
        abort(422, description=error.message)
    return _done(item, "planning/_pk_sasaran.html", "IKU dihapus.", "#pk-sasaran")


# --- trajectory ------------------------------------------------------------------------------

def _iku_in(item: PerjanjianKinerja, iku_id: int) -> Iku:
    return next(i for i in item.iku if i.id == iku_id)


@bp.post("/pk/iku/<int:iku_id>/trajectory/check")
@login_required
def pk_trajectory_check(iku_id):
    """Answer the running sum / average / last value of the typed trajectory and its gap to the target
    (HTMX, as the user types); a plain post shows the PK page with the typed values and the summary."""
    iku = db.session.get(Iku, iku_id)
    if iku is None:
        abort(404)
    item = _load_or_404(iku.pk_id)
    iku = _iku_in(item, iku_id)
    values = trajectory_from_form(request.form, expected_periods(item.year, iku.consolidation))
    problems = [p for p in pk.trajectory_problems(iku, values) if p.code != "PERIOD_MISSING"] if values else []
    view = trajectory_view(iku, values, problems)
    return render_page_or_partial(PAGE, "planning/_pk_trajectory_summary.html",
                                  **_pk_context(item, iku=iku, traj=view, trajectories={iku.id: view}))


@bp.post("/pk/iku/<int:iku_id>/trajectory")
@login_required
def pk_trajectory_save(iku_id):
    """Save the trajectory of an IKU; 422 with every problem when it does not reach the target."""
    iku, item = _child_or_404(Iku, iku_id)
    iku = _iku_in(item, iku_id)
    values = trajectory_from_form(request.form, expected_periods(item.year, iku.consolidation))
    try:
        pk.set_trajectory(_me(), iku, values)
    except PlanningError as error:
        _refuse(error)
        item = _reload(item)
        iku = _iku_in(item, iku_id)
        view = trajectory_view(iku, values, error.problems)
        return _render(item, "planning/_pk_trajectory.html", 422, iku=iku, traj=view, trajectories={iku.id: view})
    item = _reload(item) if is_htmx() else item
    iku = _iku_in(item, iku_id) if is_htmx() else iku
    return _done(item, "planning/_pk_trajectory.html", f"Trajektori {iku.code} disimpan.", f"#traj-{iku_id}",
                 iku=iku, traj=trajectory_view(iku) if is_htmx() else None)


@bp.get("/pk/iku/<int:iku_id>/chart.svg")
@login_required
def pk_trajectory_chart(iku_id):
    """Answer the trajectory chart of an IKU as an SVG image."""
    iku = db.session.get(Iku, iku_id)
    if iku is None:
        abort(404)
    _load_or_404(iku.pk_id)
    view = trajectory_view(iku)
    return current_app.response_class(str(view["chart"]), mimetype="image/svg+xml")


# --- rencana aksi, anggaran, penugasan ---------------------------------------------------------

@bp.post("/pk/iku/<int:iku_id>/actions")
@login_required
def pk_action_create(iku_id):
    """Add a rencana aksi, inisiatif strategis or mitigasi risiko to an IKU of a draft PK."""
    iku, item = _child_or_404(Iku, iku_id)
    form = ActionForm(prefix=f"a{iku_id}")
    if not form.validate_on_submit():
        return _render(item, "planning/_pk_actions.html", 422, iku=_iku_in(item, iku_id),
                       action_forms={iku_id: form})
    try:
        pk.add_action(_me(), iku, kind=form.kind.data, description=form.description.data,
                      period=form.period.data or None)
    except PlanningError as error:
        _refuse(error)
        attach(form, error)
        item = _reload(item)
        return _render(item, "planning/_pk_actions.html", 422, iku=_iku_in(item, iku_id),
                       action_forms={iku_id: form})
    item = _reload(item) if is_htmx() else item
    return _done(item, "planning/_pk_actions.html", anchor=f"#actions-{iku_id}",
                 iku=_iku_in(item, iku_id) if is_htmx() else None)


@bp.post("/pk/action/<int:action_id>/delete")
@login_required
def pk_action_delete(action_id):
    """Remove a rencana aksi / inisiatif strategis / mitigasi risiko from a draft PK."""
    action, item = _child_or_404(RencanaAksi, action_id)
    iku_id = action.iku_id
    try:
        pk.delete_action(_me(), action)
    except PlanningError as error:
        _refuse(error)
        abort(422, description=error.message)
    item = _reload(item) if is_htmx() else item
    return _done(item, "planning/_pk_actions.html", anchor=f"#actions-{iku_id}",
                 iku=_iku_in(item, iku_id) if is_htmx() else None)


@bp.post("/pk/<int:pk_id>/anggaran")
@login_required
def pk_anggaran_create(pk_id):
    """Add a budget line (DIPA) to a draft PK."""
    item = _editable_or_403(pk_id)
    form = AnggaranForm()
    if not form.validate_on_submit():
        return _render(item, "planning/_pk_anggaran.html", 422, anggaran_form=form)
    try:
        pk.add_anggaran(_me(), item, program=form.program.data, kegiatan=form.kegiatan.data,
                        amount=form.amount.data, dipa_ref=form.dipa_ref.data)
    except PlanningError as error:
        _refuse(error)
        attach(form, error)
        return _render(_reload(item), "planning/_pk_anggaran.html", 422, anggaran_form=form)
    return _done(item, "planning/_pk_anggaran.html", anchor="#pk-anggaran")


@bp.post("/pk/anggaran/<int:line_id>/delete")
@login_required
def pk_anggaran_delete(line_id):
    """Remove a budget line from a draft PK."""
    line, item = _child_or_404(Anggaran, line_id)
    try:
        pk.delete_anggaran(_me(), line)
    except PlanningError as error:
        _refuse(error)
        abort(422, description=error.message)
    return _done(item, "planning/_pk_anggaran.html", anchor="#pk-anggaran")


@bp.post("/pk/<int:pk_id>/penugasan")
@login_required
def pk_penugasan_create(pk_id):
    """Add an additional assignment to a draft PK."""
    item = _editable_or_403(pk_id)
    form = PenugasanForm()
    if not form.validate_on_submit():
        return _render(item, "planning/_pk_penugasan.html", 422, penugasan_form=form)
    try:
        pk.add_penugasan(_me(), item, form.description.data)
    except PlanningError as error:
        _refuse(error)
        attach(form, error)
        return _render(_reload(item), "planning/_pk_penugasan.html", 422, penugasan_form=form)
    return _done(item, "planning/_pk_penugasan.html", anchor="#pk-penugasan")


@bp.post("/pk/penugasan/<int:item_id>/delete")
@login_required
def pk_penugasan_delete(item_id):
    """Remove an additional assignment from a draft PK."""
    row, item = _child_or_404(PenugasanTambahan, item_id)
    try:
        pk.delete_penugasan(_me(), row)
    except PlanningError as error:
        _refuse(error)
        abort(422, description=error.message)
    return _done(item, "planning/_pk_penugasan.html", anchor="#pk-penugasan")


# --- signing and Perubahan PK ------------------------------------------------------------------

@bp.post("/pk/<int:pk_id>/sign")
@login_required
def pk_sign(pk_id):
    """Sign a draft PK as pihak pertama or pihak kedua; 422 listing what is missing when incomplete."""
    item = _load_or_404(pk_id)
    form = SignForm()
    if not form.validate_on_submit():
        abort(400)
    party = request.form.get("party") if request.form.get("party") in ("HEAD", "SUPERIOR") else None
    try:
        pk.sign_pk(_me(), item, as_party=party)
    except PlanningError as error:
        _refuse(error)
        return _render(_reload(item), "planning/_pk_header.html", 422, action_error=error.message,
                       signing_problems=list(error.problems))
    message = ("Perjanjian Kinerja ditandatangani kedua pihak dan berlaku."
               if item.status == "SIGNED" else "Tanda tangan Anda tercatat; menunggu pihak lain.")
    db.session.commit()
    flash(message, "success")
    return hx_redirect(url_for("planning.pk_page", pk_id=item.id))


@bp.post("/pk/<int:pk_id>/amend")
@login_required
def pk_amend(pk_id):
    """Start a Perubahan PK: a new draft version with its reason, note and approving official."""
    item = _load_or_404(pk_id)
    if not pk.can_edit_pk(_me(), item):
        abort(403)
    form = AmendForm()
    if not form.validate_on_submit():
        return _render(item, "planning/_pk_header.html", 422, amend_form=form)
    try:
        new = pk.amend_pk(_me(), item, form.reason.data, form.note.data, form.approved_by_obj)
    except PlanningError as error:
        _refuse(error)
        attach(form, error)
        return _render(_reload(item), "planning/_pk_header.html", 422, amend_form=form)
    db.session.commit()
    flash(f"Perubahan PK versi {new.version} dibuat sebagai draf. Versi {item.version} tetap berlaku sampai "
          "perubahan ditandatangani.", "success")
    return hx_redirect(url_for("planning.pk_page", pk_id=new.id))


@bp.get("/pk/<int:pk_id>/history")
@login_required
def pk_history(pk_id):
    """Show every version of a PK with its reason and approval, and the diff of two versions (?a=&b=)."""
    item = _load_or_404(pk_id)
    versions = pk_queries.pk_versions(item)
    by_version = {v.version: v for v in versions}
    form = DiffForm(formdata=request.args)
    form.validate()
    new_v = form.b.data if form.b.data in by_version else item.version
    old_v = form.a.data if form.a.data in by_version else (new_v - 1 if new_v - 1 in by_version else None)
    diff = None
    if old_v is not None and old_v != new_v:
        diff = pk_queries.diff_pk(pk_queries.load_pk(by_version[old_v].id), pk_queries.load_pk(by_version[new_v].id))
    return render_page_or_partial("planning/pk_history.html", "planning/_pk_diff.html", pk=item, versions=versions,
                                  diff=diff, old_v=old_v, new_v=new_v,
                                  audit=history("pk", [v.id for v in versions]))


# --- cascade tree ------------------------------------------------------------------------------

@bp.get("/cascade")
@login_required
def cascade():
    """Show the cascade tree of a year from a unit (``?unit=CODE``, default the root) down: each unit's
    current PK with its IKU, unaligned IKU and IKU nobody below supports."""
    form = YearUnitForm(formdata=request.args)
    year = form.year.data if form.validate() and form.year.data else _this_year()
    if form.unit.data:
        top = org_queries.get_unit_or_404(form.unit.data)
    else:
        top = pk_queries.default_tree_unit(current_user)
    if top is None:
        return render_page_or_partial("planning/cascade.html", "planning/cascade_tree.html", tree=None, year=year,
                                      top=None, path=[], filter_form=form)
    if not pk_queries.can_view_subtree(current_user, top):
        abort(403)
    tree = pk_queries.cascade_tree(top, year)
    return render_page_or_partial("planning/cascade.html", "planning/cascade_tree.html", tree=tree, year=year,
                                  top=top, path=pk_queries.unit_path(top)[:-1], filter_form=form,
                                  pk_base=url_for("planning.pk_list").rstrip("/"))

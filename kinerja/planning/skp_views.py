"""Pages of the SKP (employee planning): "SKP saya" and any SKP the user may see, inline RHK/IKI
editing, perilaku, lampiran, dialog kinerja, the workflow, the assessor's approval queue, the
Matrik Peran Hasil and the planning dashboard.

Views stay thin: load or 404 -> access -> form -> service (``kinerja.planning.skp``) -> render.
A ``PlanningError`` from a service re-renders the form with 422, ``NotAllowed`` answers 403 and
``WrongState`` 409.
"""

from flask import abort, flash, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from kinerja import clock
from kinerja.audit.services import history
from kinerja.auth.access import can_view_employee
from kinerja.extensions import db
from kinerja.forms import YearForm
from kinerja.htmx import hx_redirect, is_htmx, render_page_or_partial
from kinerja.org import queries as org_queries
from kinerja.org import relations
from kinerja.org.models import Employee, Unit
from kinerja.planning import bp, skp, skp_queries
from kinerja.planning.errors import NotAllowed, PlanningError, WrongState
from kinerja.planning.models import DialogKinerja, Iki, PeranHasil, RencanaHasilKerja, Skp
from kinerja.planning.pk_queries import current_pk
from kinerja.planning.skp_forms import (
    STATUS_BADGES,
    CreateSkpForm,
    DashboardForm,
    DialogForm,
    IkiForm,
    LampiranForm,
    PerilakuForm,
    ReturnForm,
    ReviseForm,
    RhkForm,
    ShareForm,
)
from kinerja.refusals import attach, perform, refuse
from kinerja.rules import skp as skp_rules
from kinerja.rules.berakhlak import CORE_VALUES
from kinerja.rules.planning import (
    ASPEK_LABELS,
    DIALOG_MEDIUM_LABELS,
    RHK_KIND_LABELS,
    RHK_SOURCE_LABELS,
    SKP_STATUS_LABELS,
    TASK_ORIGIN_LABELS,
    RhkSource,
    TaskOrigin,
)

PLANNING_VIEWERS = ("PENGELOLA_KINERJA", "KEPEGAWAIAN")



@bp.app_context_processor
def skp_labels():
    """Give the planning templates the Bahasa labels of statuses, sources, aspek and media."""
    return {"status_labels": SKP_STATUS_LABELS, "status_badges": STATUS_BADGES, "source_labels": RHK_SOURCE_LABELS,
            "aspek_labels": ASPEK_LABELS, "medium_labels": DIALOG_MEDIUM_LABELS, "rhk_kind_labels": RHK_KIND_LABELS,
            "task_origin_labels": TASK_ORIGIN_LABELS, "status_order": skp_queries.STATUS_ORDER,
            "scaled_target": skp.scaled_target, "rhk_missing_link": skp.missing_link, "unlinked_rhk": skp.unlinked_rhk}


# --- loading and access ------------------------------------------------------------------------


def _me():
    return current_user.employee


def _this_year() -> int:
    return clock.today().year


def _year_arg() -> int:
    form = YearForm(formdata=request.args)
    if form.validate() and form.year.data:
        return form.year.data
    return _this_year()


def _load_skp(skp_id: int) -> Skp:
    stmt = (
        select(Skp).where(Skp.id == skp_id)
        .options(selectinload(Skp.employee).selectinload(Employee.unit), selectinload(Skp.unit),
                 selectinload(Skp.assessor).selectinload(Employee.unit),
                 selectinload(Skp.rhk).selectinload(RencanaHasilKerja.iki),
                 selectinload(Skp.rhk).selectinload(RencanaHasilKerja.parent),
                 selectinload(Skp.rhk).selectinload(RencanaHasilKerja.iku),
                 selectinload(Skp.rhk).selectinload(RencanaHasilKerja.rencana_aksi),
                 selectinload(Skp.perilaku), selectinload(Skp.dialogs))
    )
    found = db.session.scalar(stmt)
    if found is None:
        abort(404, description="SKP tidak ditemukan.")
    return found


def _may_view(item: Skp) -> bool:
    me = _me()
    return (can_view_employee(current_user, item.employee)
            or relations.is_assessor(me, item.employee, recorded=item.assessor_id))


def get_skp_or_404(skp_id: int) -> Skp:
    """Load an SKP with its RHK and IKI; 404 when unknown, 403 when the user may not see it."""
    item = _load_skp(skp_id)
    if not _may_view(item):
        abort(403)
    return item


def _own_skp_or_403(skp_id: int) -> Skp:
    """Load an SKP only its employee may act on (submit, take a share); 403 for anyone else."""
    item = get_skp_or_404(skp_id)
    if item.employee_id != _me().id:
        abort(403)
    return item


def _editable_skp_or_403(skp_id: int) -> Skp:
    """Load an SKP the user may plan (its employee, his assessor, HR); 403 for anyone else."""
    item = get_skp_or_404(skp_id)
    if not skp.can_plan_for(_me(), item.employee):
        abort(403)
    return item


def _assessed_skp_or_403(skp_id: int) -> Skp:
    """Load an SKP only its Pejabat Penilai may act on; 403 for anyone else (its employee too)."""
    item = get_skp_or_404(skp_id)
    if not relations.is_assessor(_me(), item.employee, recorded=item.assessor_id):
        abort(403)
    return item


def _rhk_or_404(rhk_id: int) -> RencanaHasilKerja:
    rhk = db.get_or_404(RencanaHasilKerja, rhk_id, description="RHK tidak ditemukan.")
    _editable_skp_or_403(rhk.skp_id)
    return rhk


def _editable_rhk_or_409(rhk_id: int) -> RencanaHasilKerja:
    """Load an RHK to add to; 409 once its SKP is no longer editable (approved, superseded, closed)."""
    rhk = _rhk_or_404(rhk_id)
    if not rhk.skp.is_editable:
        abort(409, description="SKP ini sudah tidak dapat diubah.")
    return rhk


def _iki_or_404(iki_id: int) -> Iki:
    iki = db.get_or_404(Iki, iki_id, description="IKI tidak ditemukan.")
    _editable_skp_or_403(iki.rhk.skp_id)
    return iki


# --- the page context --------------------------------------------------------------------------


def _sources(item: Skp) -> list[str]:
    """Return the RHK sources the SKP's jenjang allows (utama and tambahan), in the decree's order."""
    allowed = skp_rules.allowed_rhk_sources(item.jenjang, "UTAMA") | skp_rules.allowed_rhk_sources(
        item.jenjang, "TAMBAHAN")
    return [str(s) for s in RhkSource if s in allowed]


def _task_origins(item: Skp) -> list[str]:
    allowed = skp_rules.allowed_task_origins(item.jenjang)
    return [str(o) for o in TaskOrigin if o in allowed]


def _assessor_rhks(item: Skp) -> list[RencanaHasilKerja]:
    if item.assessor is None:
        return []
    leader_skp = skp_queries.current_skp(item.assessor, item.year)
    return list(leader_skp.rhk) if leader_skp is not None else []


def _unit_pk(item: Skp):
    """Return the PK in force of the SKP's unit, else of the nearest unit above that has one."""
    unit = item.unit
    while unit is not None:
        pk = current_pk(unit, item.year)
        if pk is not None:
            return pk
        unit = unit.parent
    return None


def _pk_choices(pk) -> tuple[list, list]:
    if pk is None:
        return [], []
    ikus = list(pk.iku)
    return ikus, [a for iku in ikus for a in iku.actions if a.kind == "RENCANA_AKSI"]


def _rhk_form(item: Skp, helper: dict, *, formdata=None, obj=None, prefix="", data=None) -> RhkForm:
    kwargs = {"sources": _sources(item), "task_origins": _task_origins(item), "parent_rhks": helper["assessor_rhks"],
              "ikus": helper["ikus"], "actions": helper["actions"], "prefix": prefix}
    if formdata is not None:
        return RhkForm(formdata=formdata, **kwargs)
    return RhkForm(formdata=None, obj=obj, data=data, **kwargs)


def _rhk_form_for_edit(item: Skp, helper: dict, rhk: RencanaHasilKerja) -> RhkForm:
    data = {"kind": rhk.kind, "source": rhk.source, "text": rhk.text,
            "parent_rhk_id": str(rhk.parent_rhk_id or ""), "iku_id": str(rhk.iku_id or ""),
            "rencana_aksi_id": str(rhk.rencana_aksi_id or ""), "task_origin": rhk.task_origin or "",
            "task_origin_note": rhk.task_origin_note or ""}
    return _rhk_form(item, helper, prefix="edit", data=data)


def _iki_form(rhk_id: int, formdata=None, data=None, prefix=None) -> IkiForm:
    return IkiForm(formdata=formdata, data=data, prefix=prefix or f"iki{rhk_id}")


def _helper(item: Skp, can_edit: bool) -> dict:
    """Gather the cascading helper: the assessor's RHK and the unit's PK (only while editable)."""
    if not can_edit:
        return {"assessor_rhks": [], "pk": None, "ikus": [], "actions": []}
    pk = _unit_pk(item)
    ikus, actions = _pk_choices(pk)
    return {"assessor_rhks": _assessor_rhks(item), "pk": pk, "ikus": ikus, "actions": actions}


def _perilaku_rows(item: Skp) -> list[dict]:
    ekspektasi = {p.value: p.ekspektasi_khusus for p in item.perilaku}
    return [{"value": v.code, "label": v.name, "indicators": v.indicators, "ekspektasi": ekspektasi.get(v.code)}
            for v in CORE_VALUES]


def _offered_shares(item: Skp) -> list[PeranHasil]:
    """Return the shares of leaders' RHK of the SKP's year offered to its employee and not yet taken."""
    stmt = (
        select(PeranHasil)
        .join(RencanaHasilKerja, RencanaHasilKerja.id == PeranHasil.leader_rhk_id)
        .join(Skp, Skp.id == RencanaHasilKerja.skp_id)
        .where(PeranHasil.employee_id == item.employee_id, PeranHasil.taken_rhk_id.is_(None), Skp.year == item.year)
        .options(selectinload(PeranHasil.leader_rhk).selectinload(RencanaHasilKerja.skp).selectinload(Skp.employee))
        .order_by(PeranHasil.id)
    )
    return list(db.session.scalars(stmt))


def _shares_by_rhk(rhk_ids: list[int]) -> dict[int, list[PeranHasil]]:
    """Return the shares given of each of these RHK, with their members, by RHK id."""
    if not rhk_ids:
        return {}
    stmt = (select(PeranHasil).where(PeranHasil.leader_rhk_id.in_(rhk_ids))
            .options(selectinload(PeranHasil.employee)).order_by(PeranHasil.id))
    shares: dict[int, list[PeranHasil]] = {}
    for share in db.session.scalars(stmt):
        shares.setdefault(share.leader_rhk_id, []).append(share)
    return shares


def _root_unit() -> Unit | None:
    """Return the top of the unit tree."""
    return db.session.scalar(select(Unit).where(Unit.parent_id.is_(None)).order_by(Unit.id).limit(1))


def _skp_context(item: Skp, **overrides) -> dict:
    """Gather what the SKP page and its partials show, with forms in their current state."""
    me = _me()
    is_owner = item.employee_id == me.id
    is_assessor = relations.is_assessor(me, item.employee, recorded=item.assessor_id)
    can_edit = item.is_editable and (is_owner or is_assessor or skp.is_hr(me))
    helper = overrides.pop("helper", None) or _helper(item, can_edit)
    rhk_sorted = sorted(item.rhk, key=lambda r: (r.position, r.id))
    context = {
        "skp": item, "year": item.year, "is_owner": is_owner, "own_page": False, "can_edit": can_edit,
        "is_assessor": is_assessor,
        "can_set_expectation": is_assessor and item.is_editable,
        "can_record_dialog": (is_owner or is_assessor) and item.status not in ("SUPERSEDED", "CLOSED"),
        "rhk_utama": [r for r in rhk_sorted if r.kind == "UTAMA"],
        "rhk_tambahan": [r for r in rhk_sorted if r.kind == "TAMBAHAN"],
        "show_pk": bool({"PK", "RENCANA_AKSI"} & set(_sources(item))),
        **helper,
        "editing_rhk_id": None, "edit_rhk_form": None, "editing_iki_id": None, "edit_iki_form": None,
        "iki_open": None,
        "perilaku_rows": _perilaku_rows(item),
        "dialogs": sorted(item.dialogs, key=lambda d: (d.held_on, d.id)),
        "versions": skp_queries.skp_versions(item),
        "shares": _offered_shares(item) if is_owner else [],
        "return_form": ReturnForm(formdata=None), "revise_form": ReviseForm(formdata=None, dialogs=item.dialogs),
        "action_error": None,
    }
    if can_edit:
        context["rhk_form"] = _rhk_form(item, helper, data={"kind": "UTAMA"})
        # the "Tambah IKI" forms are drawn on demand (iki_new): fifteen hidden forms cost more than the page
        context["iki_forms"] = {}
        context["lampiran_form"] = LampiranForm(formdata=None, data={
            "sumber_daya": item.sumber_daya, "skema": item.skema_pertanggungjawaban, "konsekuensi": item.konsekuensi})
    if context["can_set_expectation"]:
        context["perilaku_forms"] = {row["value"]: PerilakuForm(formdata=None, prefix=row["value"].lower(),
                                                                data={"text": row["ekspektasi"]})
                                     for row in context["perilaku_rows"]}
    if context["can_record_dialog"]:
        context["dialog_form"] = DialogForm(formdata=None, data={"held_on": clock.today(), "medium": "TATAP_MUKA"})
    iki_overrides = overrides.pop("iki_forms", None)
    if iki_overrides:
        context["iki_forms"].update(iki_overrides)
    perilaku_overrides = overrides.pop("perilaku_forms", None)
    if perilaku_overrides:
        context["perilaku_forms"].update(perilaku_overrides)
    context.update(overrides)
    return context


def _render_skp(item: Skp, partial: str | None = None, status: int = 200, **overrides):
    """Render the SKP page, or the partial an HTMX request asked for."""
    context = _skp_context(item, **overrides)
    if partial is None:
        return render_template("planning/skp.html", **context), status
    return render_page_or_partial("planning/skp.html", partial, status=status, **context)


def _reload(item: Skp) -> Skp:
    db.session.expire_all()
    return _load_skp(item.id)


def _rhk_item(rhk: RencanaHasilKerja, status: int = 200, **overrides):
    """Render one RHK block (its tbody) for HTMX, or the whole SKP page."""
    item = _load_skp(rhk.skp_id)
    rows = [r for r in sorted(item.rhk, key=lambda r: (r.position, r.id)) if r.kind == rhk.kind]
    number = next((i for i, r in enumerate(rows, 1) if r.id == rhk.id), 1)
    rhk = next((r for r in item.rhk if r.id == rhk.id), rhk)
    return _render_skp(item, "planning/_skp_rhk_item.html", status=status, rhk=rhk, number=number, **overrides)


# --- SKP saya and any SKP ------------------------------------------------------------------------


@bp.get("/skp")
@login_required
def my_skp():
    """Show the logged-in employee's SKP of the year (``?year=``), or the button that creates it."""
    year = _year_arg()
    item = skp_queries.current_skp(_me(), year)
    if item is None:
        return render_template("planning/skp.html", skp=None, year=year, own_page=True, can_create=True,
                               create_form=CreateSkpForm(formdata=None, data={"year": year}), action_error=None)
    return _render_skp(_load_skp(item.id), own_page=True)


@bp.post("/skp")
@login_required
def skp_create():
    """Create the logged-in employee's SKP of a year; 422 when the year is wrong or a rule refuses."""
    form = CreateSkpForm()
    year = form.year.data if isinstance(form.year.data, int) else _this_year()
    if not form.validate_on_submit():
        return render_template("planning/skp.html", skp=None, year=year, own_page=True, can_create=True,
                               create_form=form, action_error=None), 422
    try:
        item = skp.create_skp(_me(), _me(), form.year.data)
    except (NotAllowed, WrongState) as error:
        refuse(error)
    except PlanningError as error:
        db.session.rollback()
        return render_template("planning/skp.html", skp=None, year=year, own_page=True, can_create=True,
                               create_form=form, action_error=error.message), 422
    db.session.commit()
    flash(f"SKP {item.year} dibuat. Tambahkan RHK dan IKI, lalu ajukan kepada Pejabat Penilai.", "success")
    return hx_redirect(url_for("planning.skp_detail", skp_id=item.id))


@bp.get("/skp/<int:skp_id>")
@login_required
def skp_detail(skp_id):
    """Show an SKP the user may see: the employee's own, one he assesses, or any for HR."""
    return _render_skp(get_skp_or_404(skp_id))


# --- RHK ------------------------------------------------------------------------------------------


@bp.get("/skp/<int:skp_id>/rhk/new")
@login_required
def rhk_new(skp_id):
    """Show the add-RHK form filled from the cascading helper (``?source=&parent_rhk_id=&iku_id=``)."""
    item = _editable_skp_or_403(skp_id)
    if not item.is_editable:
        abort(409, description="SKP ini tidak sedang dapat diubah.")
    helper = _helper(item, True)
    data = {"kind": "UTAMA"}
    for key in ("source", "parent_rhk_id", "iku_id", "rencana_aksi_id"):
        if request.args.get(key):
            data[key] = request.args[key]
    chosen = {"parent_rhk_id": helper["assessor_rhks"], "iku_id": helper["ikus"], "rencana_aksi_id": helper["actions"]}
    for key, rows in chosen.items():  # prefill the text with what was picked
        picked = next((r for r in rows if str(r.id) == data.get(key)), None)
        if picked is not None and "text" not in data:
            data["text"] = getattr(picked, "text", None) or getattr(picked, "name", None) or picked.description
    if data.get("source") not in _sources(item):
        data.pop("source", None)
    form = _rhk_form(item, helper, data=data)
    return _render_skp(item, "planning/_skp_rhk_form.html", helper=helper, rhk_form=form)


@bp.post("/skp/<int:skp_id>/rhk")
@login_required
def rhk_create(skp_id):
    """Add an RHK to the employee's SKP; 422 with the errors when the form or a rule refuses it."""
    item = _editable_skp_or_403(skp_id)
    helper = _helper(item, True)
    form = _rhk_form(item, helper, formdata=request.form)
    if not form.validate_on_submit():
        return _render_skp(item, "planning/_skp_rhk.html", status=422, helper=helper, rhk_form=form)
    if perform(lambda: skp.add_rhk(_me(), item, **form.service_kwargs()), form):
        return _render_skp(_reload(item), "planning/_skp_rhk.html", status=422, rhk_form=form)
    flash("RHK ditambahkan.", "success")
    return _render_skp(_reload(item), "planning/_skp_rhk.html", oob_flash=True)


@bp.get("/rhk/<int:rhk_id>")
@login_required
def rhk_item(rhk_id):
    """Show one RHK with its IKI (partial for HTMX, the SKP page otherwise)."""
    rhk = _rhk_or_404(rhk_id)
    return _rhk_item(rhk)


@bp.get("/rhk/<int:rhk_id>/edit")
@login_required
def rhk_edit(rhk_id):
    """Show one RHK in edit mode (partial for HTMX, the SKP page otherwise)."""
    rhk = _rhk_or_404(rhk_id)
    item = _load_skp(rhk.skp_id)
    helper = _helper(item, item.is_editable)
    return _rhk_item(rhk, helper=helper, editing_rhk_id=rhk.id, edit_rhk_form=_rhk_form_for_edit(item, helper, rhk))


@bp.post("/rhk/<int:rhk_id>")
@login_required
def rhk_update(rhk_id):
    """Change an RHK; 422 with the errors when the form or a rule refuses it."""
    rhk = _rhk_or_404(rhk_id)
    item = _load_skp(rhk.skp_id)
    helper = _helper(item, item.is_editable)
    form = _rhk_form(item, helper, formdata=request.form, prefix="edit")
    if not form.validate_on_submit():
        return _rhk_item(rhk, status=422, helper=helper, editing_rhk_id=rhk.id, edit_rhk_form=form)
    if perform(lambda: skp.update_rhk(_me(), rhk, **form.service_kwargs()), form):
        db.session.expire_all()
        return _rhk_item(db.session.get(RencanaHasilKerja, rhk_id), status=422, helper=helper,
                         editing_rhk_id=rhk_id, edit_rhk_form=form)
    db.session.expire_all()
    return _rhk_item(db.session.get(RencanaHasilKerja, rhk_id))


@bp.post("/rhk/<int:rhk_id>/delete")
@login_required
def rhk_delete(rhk_id):
    """Delete an RHK and its IKI; answer the RHK section."""
    rhk = _rhk_or_404(rhk_id)
    skp_id = rhk.skp_id
    perform(lambda: skp.delete_rhk(_me(), rhk))  # without a form, any refusal aborts
    flash("RHK dihapus.", "success")
    db.session.expire_all()
    return _render_skp(_load_skp(skp_id), "planning/_skp_rhk.html", oob_flash=True)


# --- IKI ------------------------------------------------------------------------------------------


@bp.get("/rhk/<int:rhk_id>/iki/new")
@login_required
def iki_new(rhk_id):
    """Show an RHK block with its "Tambah IKI" form open (partial for HTMX, the SKP page otherwise)."""
    rhk = _editable_rhk_or_409(rhk_id)
    return _rhk_item(rhk, iki_forms={rhk.id: _iki_form(rhk.id)}, iki_open=rhk.id)


@bp.post("/rhk/<int:rhk_id>/iki")
@login_required
def iki_create(rhk_id):
    """Add an IKI to an RHK; 422 with the errors when the form or a rule refuses it."""
    rhk = _editable_rhk_or_409(rhk_id)
    form = _iki_form(rhk.id, formdata=request.form)
    if not form.validate_on_submit():
        return _rhk_item(rhk, status=422, iki_forms={rhk.id: form})
    if perform(lambda: skp.add_iki(_me(), rhk, **form.service_kwargs()), form):
        db.session.expire_all()
        return _rhk_item(db.session.get(RencanaHasilKerja, rhk_id), status=422, iki_forms={rhk_id: form})
    db.session.expire_all()
    return _rhk_item(db.session.get(RencanaHasilKerja, rhk_id))


@bp.get("/iki/<int:iki_id>/edit")
@login_required
def iki_edit(iki_id):
    """Show an IKI in edit mode inside its RHK (partial for HTMX, the SKP page otherwise)."""
    iki = _iki_or_404(iki_id)
    form = _iki_form(iki.rhk_id, prefix="edit", data={"text": iki.text, "aspek": iki.aspek, "target": iki.target,
                                                       "unit_of_measure": iki.unit_of_measure})
    return _rhk_item(iki.rhk, editing_iki_id=iki.id, edit_iki_form=form)


@bp.post("/iki/<int:iki_id>")
@login_required
def iki_update(iki_id):
    """Change an IKI; 422 with the errors when the form or a rule refuses it."""
    iki = _iki_or_404(iki_id)
    rhk_id = iki.rhk_id
    form = _iki_form(rhk_id, formdata=request.form, prefix="edit")
    if not form.validate_on_submit():
        return _rhk_item(iki.rhk, status=422, editing_iki_id=iki.id, edit_iki_form=form)
    if perform(lambda: skp.update_iki(_me(), iki, **form.service_kwargs()), form):
        db.session.expire_all()
        return _rhk_item(db.session.get(RencanaHasilKerja, rhk_id), status=422, editing_iki_id=iki_id,
                         edit_iki_form=form)
    db.session.expire_all()
    return _rhk_item(db.session.get(RencanaHasilKerja, rhk_id))


@bp.post("/iki/<int:iki_id>/delete")
@login_required
def iki_delete(iki_id):
    """Delete an IKI; answer its RHK block."""
    iki = _iki_or_404(iki_id)
    rhk_id = iki.rhk_id
    perform(lambda: skp.delete_iki(_me(), iki))  # without a form, any refusal aborts
    db.session.expire_all()
    return _rhk_item(db.session.get(RencanaHasilKerja, rhk_id))


# --- perilaku, lampiran, dialog -------------------------------------------------------------------


@bp.post("/skp/<int:skp_id>/perilaku/<value>")
@login_required
def perilaku_update(skp_id, value):
    """Set the assessor's ekspektasi khusus for one BerAKHLAK value; answer the perilaku section."""
    item = _assessed_skp_or_403(skp_id)
    if value not in {v.code for v in CORE_VALUES}:
        abort(404, description="Nilai perilaku tidak dikenal.")
    form = PerilakuForm(prefix=value.lower())
    if not form.validate_on_submit():
        return _render_skp(item, "planning/_skp_perilaku.html", status=422, perilaku_forms={value: form})
    if perform(lambda: skp.set_perilaku_expectation(_me(), item, value, form.text.data or None), form):
        return _render_skp(_reload(item), "planning/_skp_perilaku.html", status=422, perilaku_forms={value: form})
    flash("Ekspektasi khusus pimpinan disimpan.", "success")
    return _render_skp(_reload(item), "planning/_skp_perilaku.html", oob_flash=True)


@bp.post("/skp/<int:skp_id>/lampiran")
@login_required
def lampiran_update(skp_id):
    """Save the lampiran (sumber daya, skema pertanggungjawaban, konsekuensi); answer its section."""
    item = _editable_skp_or_403(skp_id)
    form = LampiranForm()
    if not form.validate_on_submit():
        return _render_skp(item, "planning/_skp_lampiran.html", status=422, lampiran_form=form)
    if perform(lambda: skp.set_lampiran(_me(), item, form.sumber_daya.data or None, form.skema.data or None,
                             form.konsekuensi.data or None), form):
        return _render_skp(_reload(item), "planning/_skp_lampiran.html", status=422, lampiran_form=form)
    flash("Lampiran disimpan.", "success")
    return _render_skp(_reload(item), "planning/_skp_lampiran.html", oob_flash=True)


@bp.post("/skp/<int:skp_id>/dialogs")
@login_required
def dialog_create(skp_id):
    """Record a dialog kinerja on the SKP (employee or his assessor); answer the dialog section."""
    item = get_skp_or_404(skp_id)
    if item.employee_id != _me().id and not relations.is_assessor(_me(), item.employee, recorded=item.assessor_id):
        abort(403)
    form = DialogForm()
    if not form.validate_on_submit():
        return _render_skp(item, "planning/_dialog_list.html", status=422, dialog_form=form)
    def record():
        skp.record_dialog(_me(), item.employee, held_on=form.held_on.data, medium=form.medium.data,
                          summary=form.summary.data, agreed_points=form.agreed_points.data or None, skp=item)

    if perform(record, form):
        return _render_skp(_reload(item), "planning/_dialog_list.html", status=422, dialog_form=form)
    flash("Dialog kinerja dicatat.", "success")
    return _render_skp(_reload(item), "planning/_dialog_list.html", oob_flash=True)


# --- workflow -------------------------------------------------------------------------------------


def _workflow(item: Skp, action, *args, success: str):
    """Run a workflow service, commit and go back to the SKP page; a rule's refusal answers 403/409/422."""
    try:
        result = action(_me(), item, *args)
    except PlanningError as error:
        db.session.rollback()
        if isinstance(error, (NotAllowed, WrongState)):
            refuse(error)
        return _render_skp(_reload(item), "planning/_skp_header.html", status=422, action_error=error.message)
    db.session.commit()
    flash(success, "success")
    target = result if isinstance(result, Skp) else item
    return hx_redirect(url_for("planning.skp_detail", skp_id=target.id))


@bp.post("/skp/<int:skp_id>/submit")
@login_required
def skp_submit(skp_id):
    """Submit the employee's SKP to his Pejabat Penilai."""
    item = _own_skp_or_403(skp_id)
    return _workflow(item, skp.submit_skp, success="SKP diajukan kepada Pejabat Penilai.")


@bp.post("/skp/<int:skp_id>/approve")
@login_required
def skp_approve(skp_id):
    """Approve a submitted SKP as its Pejabat Penilai (never one's own)."""
    item = _assessed_skp_or_403(skp_id)
    return _workflow(item, skp.approve_skp, success="SKP disetujui.")


@bp.post("/skp/<int:skp_id>/return")
@login_required
def skp_return(skp_id):
    """Return a submitted SKP to its employee with a reason; 422 without one."""
    item = _assessed_skp_or_403(skp_id)
    form = ReturnForm()
    if not form.validate_on_submit():
        return _render_skp(item, "planning/_skp_header.html", status=422, return_form=form)
    return _workflow(item, skp.return_skp, form.reason.data, success="SKP dikembalikan kepada pegawai.")


@bp.post("/skp/<int:skp_id>/revise")
@login_required
def skp_revise(skp_id):
    """Open a new version of an approved SKP, agreed in a recorded dialog kinerja."""
    item = get_skp_or_404(skp_id)
    if item.employee_id != _me().id and not relations.is_assessor(_me(), item.employee, recorded=item.assessor_id):
        abort(403)
    form = ReviseForm(dialogs=item.dialogs)
    if not form.validate_on_submit():
        return _render_skp(item, "planning/_skp_header.html", status=422, revise_form=form)
    dialog = db.session.get(DialogKinerja, form.dialog_id.id_value)
    return _workflow(item, skp.revise_skp, dialog, success="Versi revisi SKP dibuat; ubah lalu ajukan kembali.")


@bp.post("/skp/<int:skp_id>/shares/<int:share_id>/take")
@login_required
def share_take(skp_id, share_id):
    """Take a share of the leader's RHK offered through the Matrik Peran Hasil as one's own RHK."""
    item = _own_skp_or_403(skp_id)
    share = db.get_or_404(PeranHasil, share_id, description="Peran hasil tidak ditemukan.")
    if share.employee_id != item.employee_id:
        abort(403)
    perform(lambda: skp.take_share(_me(), item, share))  # without a form, any refusal aborts
    flash("Peran hasil dijadikan RHK Anda.", "success")
    return hx_redirect(url_for("planning.skp_detail", skp_id=item.id))


# --- the assessor's approval queue ----------------------------------------------------------------


def _queue_context(year: int | None) -> dict:
    queue = skp_queries.approval_queue(_me(), year=year)
    return {"queue": queue, "pending_count": len(queue), "year": year}


def _pending_count() -> int:
    return skp_queries.approval_queue_count(_me())


def _queue_row(item: Skp, status: int = 200, **context):
    context.setdefault("return_form", ReturnForm(formdata=None))
    if is_htmx():
        return render_template("planning/_queue_row.html", item=skp_queries.queue_item(item), **context), status
    return render_template("planning/queue.html", **_queue_context(None)), status


@bp.get("/approvals")
@login_required
def approvals():
    """Show the SKPs waiting for the user's approval (as Pejabat Penilai, PLT or PLH)."""
    form = YearForm(formdata=request.args)
    year = form.year.data if form.validate() else None
    return render_template("planning/queue.html", **_queue_context(year))


@bp.get("/approvals/<int:skp_id>")
@login_required
def queue_row(skp_id):
    """Show one row of the approval queue (partial for HTMX, the queue page otherwise)."""
    return _queue_row(_assessed_skp_or_403(skp_id))


@bp.post("/approvals/<int:skp_id>/approve")
@login_required
def queue_approve(skp_id):
    """Approve an SKP from the queue with one click; the row says "Disetujui" and the counter updates."""
    item = _assessed_skp_or_403(skp_id)
    try:
        skp.approve_skp(_me(), item)
    except (NotAllowed, WrongState) as error:
        refuse(error)
    except PlanningError as error:
        db.session.rollback()
        return _queue_row(item, status=422, error=error.message)
    db.session.commit()
    if not is_htmx():
        flash(f"SKP {item.employee.name} disetujui.", "success")
        return hx_redirect(url_for("planning.approvals"))
    return _queue_row(item, done="APPROVED", counter_oob=True, pending_count=_pending_count())


@bp.get("/approvals/<int:skp_id>/return")
@login_required
def queue_return_form(skp_id):
    """Show the small return form in the queue row (partial for HTMX, the queue page otherwise)."""
    return _queue_row(_assessed_skp_or_403(skp_id), returning=True)


@bp.post("/approvals/<int:skp_id>/return")
@login_required
def queue_return(skp_id):
    """Return an SKP from the queue with a required reason; 422 without one."""
    item = _assessed_skp_or_403(skp_id)
    form = ReturnForm()
    if not form.validate_on_submit():
        if not is_htmx():
            return render_template("planning/queue.html", **_queue_context(None)), 422
        return _queue_row(item, status=422, returning=True, return_form=form)
    try:
        skp.return_skp(_me(), item, form.reason.data)
    except (NotAllowed, WrongState) as error:
        refuse(error)
    except PlanningError as error:
        db.session.rollback()
        return _queue_row(item, status=422, returning=True, return_form=form, error=error.message)
    db.session.commit()
    if not is_htmx():
        flash(f"SKP {item.employee.name} dikembalikan.", "success")
        return hx_redirect(url_for("planning.approvals"))
    return _queue_row(item, done="RETURNED", counter_oob=True, pending_count=_pending_count())


# --- Matrik Peran Hasil ---------------------------------------------------------------------------


def _matrik_context(year: int, share_forms: dict | None = None) -> dict:
    me = _me()
    leader_skp = skp_queries.current_skp(me, year)
    members = relations.assessees(me)
    rhks = list(leader_skp.rhk) if leader_skp is not None else []
    forms = {r.id: ShareForm(formdata=None, members=members, prefix=f"share{r.id}") for r in rhks}
    forms.update(share_forms or {})
    return {"year": year, "leader_skp": leader_skp, "members": members, "share_forms": forms,
            "shares_by_rhk": _shares_by_rhk([r.id for r in rhks])}


@bp.get("/matrik")
@login_required
def matrik():
    """Show the leader's RHK and the shares he gave each team member (Matrik Peran Hasil)."""
    return render_template("planning/matrik.html", **_matrik_context(_year_arg()))


@bp.post("/matrik/rhk/<int:rhk_id>/shares")
@login_required
def share_create(rhk_id):
    """Give a share of the leader's RHK to a member of his team; answer that RHK's block."""
    rhk = db.get_or_404(RencanaHasilKerja, rhk_id, description="RHK tidak ditemukan.")
    if rhk.skp.employee_id != _me().id:
        abort(403)
    members = relations.assessees(_me())
    form = ShareForm(members=members, prefix=f"share{rhk.id}")
    status = 200
    if not form.validate_on_submit():
        status = 422
    else:
        member = next(m for m in members if m.id == form.member_id.id_value)
        try:
            skp.share_rhk(_me(), rhk, member, form.text.data)
        except (NotAllowed, WrongState) as error:
            refuse(error)
        except PlanningError as error:
            db.session.rollback()
            attach(form, error)
            status = 422
        else:
            db.session.commit()
            flash(f"Peran hasil dibagikan kepada {member.name}.", "success")
            form = None
    context = _matrik_context(rhk.skp.year, {rhk.id: form} if form is not None else None)
    rhk = next(r for r in context["leader_skp"].rhk if r.id == rhk_id)
    return render_page_or_partial("planning/matrik.html", "planning/_matrik_rhk.html", status=status, rhk=rhk,
                                  oob_flash=status == 200, **context)


# --- planning dashboard ---------------------------------------------------------------------------


def _dashboard_unit(form: DashboardForm):
    """Return the unit the user asked for and may see, defaulting to his own headed unit."""
    me = _me()
    wide = current_user.has_role(*PLANNING_VIEWERS)
    own = relations.headed_units(me, acting=False)  # his own post first, then those he holds as PLT/PLH
    headed = own + [u for u in relations.headed_units(me, definitive=False) if u not in own]
    code = form.unit.data
    if code:
        unit = org_queries.get_unit_or_404(code)
        if wide or any(unit.path.startswith(h.path) for h in headed):
            return unit
        abort(403)
    if headed:
        return headed[0]
    if wide:
        return _root_unit()
    abort(403)


@bp.get("/dashboard")
@login_required
def dashboard():
    """Show per unit who has no SKP, who waits for approval, counts per status, days to 6 February."""
    form = DashboardForm(formdata=request.args)
    valid = form.validate()
    if not valid:
        form.unit.data = None
    year = form.year.data if valid and form.year.data else _this_year()
    unit = _dashboard_unit(form)
    today = clock.today()
    context = {"form": form, "year": year, "unit": unit,
               "planning": skp_queries.unit_planning_status(unit, year) if unit is not None else None,
               "days_left": skp_queries.days_until_sync(today, year)}
    return render_page_or_partial("planning/dashboard.html", "planning/_dashboard.html",
                                  status=200 if valid else 422, **context)


@bp.get("/skp/<int:skp_id>/audit")
@login_required
def skp_audit(skp_id):
    """Show the audit trail of every version of an SKP (loaded on demand on the SKP page)."""
    item = get_skp_or_404(skp_id)
    versions = skp_queries.skp_versions(item)
    return render_page_or_partial("planning/skp_audit.html", "planning/_skp_audit.html", skp=item,
                                  audit=history("skp", [v.id for v in versions] or [item.id]))

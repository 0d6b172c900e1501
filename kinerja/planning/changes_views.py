"""HR pages for the mid-year cases of decree I.B, I.C and the cuti paragraph of III:
"Perubahan di tengah tahun" of one employee, reached from his page in the HR section.

Four small forms — mutasi (another unit, same position), perubahan jabatan, tugas belajar, cuti —
each telling what it will do before it is saved (a preview read from the employee's SKP and the
pure rules, never a dry run of the service), and the employee's cuti, tugas belajar and SKP
versions. Views stay thin: role check -> load or 404 -> form (422) -> service
(``kinerja.planning.skp``) -> commit -> the form's partial with a confirmation, the list swapped
out of band. A service's refusal shows on the form with 422 and nothing is saved.
"""

import json
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import abort, flash, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from kinerja import clock
from kinerja.auth.access import get_employee_or_404, role_required
from kinerja.extensions import db
from kinerja.htmx import hx_redirect, is_htmx, render_page_or_partial
from kinerja.org.models import Employee, Unit
from kinerja.planning import bp, skp
from kinerja.planning.changes_forms import change_form
from kinerja.planning.errors import NotAllowed, PlanningError
from kinerja.planning.models import Leave, RencanaHasilKerja, Skp, StudyLeave
from kinerja.refusals import attach, refuse
from kinerja.rules import calendar as calendar_rules
from kinerja.rules import skp as skp_rules
from kinerja.rules.planning import (
    ASPEK_LABELS,
    MID_YEAR_CHANGE_LABELS,
    SKP_STATUS_LABELS,
    STUDY_LEAVE_KIND_LABELS,
    STUDY_LEAVE_PLAN_LABELS,
    MidYearChange,
    PlanningRuleError,
    Problem,
    StudyLeavePlan,
    format_number,
)
from kinerja.rules.vocabulary import JENJANG_LABELS

HR = "KEPEGAWAIAN"
CHANGE_KINDS = ("transfer", "position", "study", "leave")
# Fields a service names that the form calls otherwise.
FIELD_ALIASES = {"transfer": {}, "position": {"period_start": "on"}, "study": {"period_start": "start"},
                 "leave": {"period_start": "start"}}
UPDATED_EVENT = "changes-updated"  # the other forms refresh their preview on it


# --- small helpers -----------------------------------------------------------------------------


def _today() -> date:
    return clock.today()


def _d(day: date | None) -> str:
    return day.strftime("%d-%m-%Y") if day else "—"


def percent(fraction: float) -> str:
    """Write a working-time fraction as an Indonesian percentage (``75,1 %``)."""
    return f"{format_number(round(fraction * 100, 2))} %"


def _status(item: Skp) -> str:
    return SKP_STATUS_LABELS.get(item.status, item.status).lower()


def _skp_name(item: Skp) -> str:
    return f"SKP {item.year} versi {item.version} ({_status(item)})"


def _position_name(jenjang: str, jf_name: str | None, is_head: bool) -> str:
    name = JENJANG_LABELS.get(jenjang, jenjang)
    if jf_name:
        name += f" – {jf_name}"
    return name + (", kepala unit" if is_head else "")


# --- what a change will do (reads and pure rules; nothing is written) ---------------------------


@dataclass
class TargetRow:
    rhk: str
    iki: str
    aspek: str
    full: float
    scaled: float
    unit_of_measure: str


@dataclass
class FractionRow:
    skp: Skp
    before: float
    after: float
    targets: list[TargetRow] = field(default_factory=list)


@dataclass
class Preview:
    """What a change will do: sentences in order, the refusal to expect, and for cuti the new fractions."""

    lines: list[str] = field(default_factory=list)
    problem: str | None = None
    fractions: list[FractionRow] = field(default_factory=list)
    no_skp: bool = False  # a cuti of a year or more: no SKP until he is back


def preview_transfer(employee: Employee, unit: Unit, on: date) -> Preview:
    """Tell what a mutasi to ``unit`` from ``on`` will do to the employee's position and SKP."""
    preview = Preview()
    position = (employee.jenjang, employee.jf_name or None, bool(employee.is_head))
    change = skp_rules.mid_year_change(employee.unit_id, unit.id, position, position)
    if change == MidYearChange.NONE:
        preview.problem = "Unit kerja baru sama dengan unit kerja sekarang."
        return preview
    preview.lines.append(MID_YEAR_CHANGE_LABELS[change] + ".")
    preview.lines.append(f"Riwayat jabatan: {employee.unit.name} sampai {_d(on - timedelta(days=1))}, "
                         f"{unit.name} mulai {_d(on)}; jenjang tetap "
                         f"{_position_name(employee.jenjang, employee.jf_name, False)}.")
    if employee.is_head:
        preview.lines.append("Pegawai tidak lagi menjabat kepala unit kerja.")
    current = skp.open_skp_on(employee, on)
    if current is None:
        preview.lines.append(f"Belum ada SKP yang mencakup {_d(on)}; tidak ada SKP yang diubah.")
    elif current.status == "SUBMITTED":
        preview.lines.append(f"{_skp_name(current)} kembali menjadi draf dan dipindahkan ke {unit.name}; "
                             "pegawai mengajukannya lagi kepada Pejabat Penilai yang baru.")
    elif current.is_editable:
        preview.lines.append(f"{_skp_name(current)} dipindahkan ke {unit.name}; Pejabat Penilai ditentukan "
                             "ulang untuk unit baru.")
    else:
        revision = skp.open_revision(current)
        if revision is not None:
            preview.lines.append(f"Revisi yang sedang dibuka (versi {revision.version}) dipindahkan ke {unit.name} "
                                 "untuk disetujui Pejabat Penilai yang baru.")
        else:
            preview.lines.append(f"SKP direvisi: versi {current.version + 1} (draf, RHK dan IKI disalin) dibuat di "
                                 f"{unit.name} untuk disetujui Pejabat Penilai yang baru; versi {current.version} "
                                 "tetap berlaku sampai revisi disetujui.")
    return preview


def preview_position(employee: Employee, unit: Unit, jenjang: str, on: date, *, is_head: bool,
                     jf_name: str | None) -> Preview:
    """Tell what a change of position will do: the old SKP closed at ``on - 1``, a new SKP from ``on``."""
    preview = Preview()
    change = skp_rules.mid_year_change(employee.unit_id, unit.id,
                                       (employee.jenjang, employee.jf_name or None, bool(employee.is_head)),
                                       (jenjang, jf_name or None, bool(is_head)))
    if change != MidYearChange.CLOSE_AND_NEW:
        preview.problem = ("Jabatan tidak berubah; perpindahan unit tanpa perubahan jabatan dicatat sebagai mutasi "
                           "(SKP direvisi).")
        return preview
    preview.lines.append(MID_YEAR_CHANGE_LABELS[change] + ".")
    old = skp.open_skp_on(employee, on)
    closed_end = on - timedelta(days=1)
    if old is not None and old.period_start >= on:
        preview.problem = "Tanggal perubahan jabatan harus sesudah awal periode SKP lama."
        return preview
    if old is None:
        preview.lines.append(f"Belum ada SKP yang mencakup {_d(on)}; tidak ada SKP yang ditutup.")
    else:
        preview.lines.append(f"SKP lama ({_skp_name(old)}) ditutup per tanggal {_d(closed_end)} dan dinilai di unit "
                             f"lama ({old.unit.name}); porsi waktu kerja efektifnya dihitung untuk "
                             f"{_d(old.period_start)} – {_d(closed_end)}.")
        if old.status == "APPROVED" and skp.open_revision(old) is not None:
            preview.lines.append("Revisi SKP lama yang sedang dibuka ikut ditutup.")
    year_end = date(on.year, 12, 31)
    leaves = skp.leaves_of(employee, date(on.year, 1, 1), year_end)
    allowed = calendar_rules.skp_period(leaves, on.year)
    start, end = (max(on, allowed[0]), min(year_end, allowed[1])) if allowed else (on, year_end)
    if allowed is None or start > end:
        preview.problem = ("Pegawai menjalani cuti satu tahun atau lebih pada periode ini; SKP disusun setelah "
                           "yang bersangkutan kembali bekerja.")
        return preview
    preview.lines.append(f"SKP baru dibuat untuk jabatan baru ({_position_name(jenjang, jf_name, is_head)}) di "
                         f"{unit.name}: periode {_d(start)} – {_d(end)}, status draf, dengan Pejabat Penilai "
                         f"pada {_d(start)}.")
    return preview


def preview_study(employee: Employee, kind: str, start: date, end: date | None) -> Preview:
    """Tell what a tugas belajar of ``kind`` from ``start`` will do to the SKP of that year (decree I.C)."""
    preview = Preview()
    try:
        plan = skp_rules.study_leave_plan(kind, start, start.year)
    except PlanningRuleError as error:
        preview.problem = error.message
        return preview
    preview.lines.append(f"{STUDY_LEAVE_KIND_LABELS.get(kind, kind)}, {_d(start)} – "
                         f"{_d(end) if end else 'belum ditentukan'}: {STUDY_LEAVE_PLAN_LABELS[plan].lower()}.")
    current = skp.open_skp_on(employee, start)
    keep_rhk = plan != StudyLeavePlan.ONLY_STUDY_EXPECTATIONS
    if current is None:
        if keep_rhk:
            preview.lines.append(f"Belum ada SKP yang mencakup {_d(start)}; tugas belajar dicatat dan ekspektasinya "
                                 "ditambahkan ketika SKP disusun.")
        else:
            preview.lines.append(f"SKP {start.year} baru (draf) dibuat untuk {_d(start)} – "
                                 f"{_d(date(start.year, 12, 31))}, berisi hanya ekspektasi Pejabat Penilai selama "
                                 "tugas belajar.")
        return preview
    target = current
    if not current.is_editable and current.status != "SUBMITTED":
        target = skp.open_revision(current) or current
    if target.status == "SUBMITTED":
        preview.lines.append(f"{_skp_name(target)} sedang diajukan: kembali menjadi draf.")
    if target.is_editable or target.status == "SUBMITTED":
        if keep_rhk:
            preview.lines.append(f"{_skp_name(target)} tetap; Pejabat Penilai menambahkan ekspektasi selama tugas "
                                 "belajar pada SKP ini (tidak dibuat SKP baru).")
        else:
            preview.lines.append(f"{len(target.rhk)} RHK jabatan pada {_skp_name(target)} dihapus; SKP berisi hanya "
                                 "ekspektasi Pejabat Penilai selama tugas belajar.")
    elif keep_rhk:
        preview.lines.append(f"SKP direvisi: versi {current.version + 1} (draf) dengan RHK yang sama dibuat; Pejabat "
                             f"Penilai menambahkan ekspektasi tugas belajar. Versi {current.version} tetap berlaku "
                             "sampai revisi disetujui; tidak dibuat SKP baru.")
    else:
        preview.lines.append(f"SKP direvisi: versi {current.version + 1} (draf) tanpa RHK jabatan dibuat untuk "
                             f"ekspektasi selama tugas belajar; versi {current.version} tetap berlaku sampai revisi "
                             "disetujui.")
    return preview


def _affected_skps(employee: Employee, start: date, end: date) -> list[Skp]:
    """Return the current SKP whose period overlaps a cuti, with their RHK and IKI."""
    return list(db.session.scalars(
        select(Skp).where(Skp.employee_id == employee.id, Skp.status.in_(skp.CURRENT_STATUSES),
                          Skp.period_start <= end, Skp.period_end >= start)
        .options(selectinload(Skp.rhk).selectinload(RencanaHasilKerja.iki))
        .order_by(Skp.period_start, Skp.version)))


def _fraction_row(employee: Employee, item: Skp, extra: tuple[date, date] | None) -> FractionRow:
    leaves = skp.leaves_of(employee, item.period_start, item.period_end)
    if extra is not None:
        leaves.append(extra)
    after = calendar_rules.effective_fraction(item.period_start, item.period_end, leaves)
    row = FractionRow(skp=item, before=item.effective_fraction, after=after)
    for rhk in sorted(item.rhk, key=lambda r: (r.position, r.id)):
        for iki in sorted(rhk.iki, key=lambda i: (i.position, i.id)):
            row.targets.append(TargetRow(rhk.text, iki.text, ASPEK_LABELS.get(iki.aspek, iki.aspek), iki.target,
                                         skp_rules.scale_target(iki.target, after, iki.aspek), iki.unit_of_measure))
    return row


def _known_leaves(employee: Employee, start: date, end: date) -> list[tuple[date, date]]:
    """Return the employee's recorded cuti near a period (a year either side: enough to merge with)."""
    return skp.leaves_of(employee, date(start.year - 1, 1, 1), date(end.year + 1, 12, 31))


def _long_leave_span(known: list[tuple[date, date]], start: date, end: date) -> tuple[date, date] | None:
    """Return the continuous cuti (this one merged with those it touches) when it lasts a year or more."""
    span = next(((a, b) for a, b in calendar_rules.merge_leaves([*known, (start, end)]) if a <= start <= b),
                (start, end))
    return span if calendar_rules.is_long_leave(*span) else None


def preview_leave(employee: Employee, kind: str, start: date, end: date) -> Preview:
    """Tell what a cuti will do: the working days it takes, the new effective fraction and scaled targets
    of each SKP it overlaps, or "no SKP until he is back" for a cuti of a year or more (with earlier cuti
    it touches)."""
    preview = Preview()
    days = calendar_rules.working_days(start, end)
    preview.lines.append(f"{kind} {_d(start)} – {_d(end)}: {days} hari kerja.")
    known = _known_leaves(employee, start, end)
    for a, b in known:
        if a <= end and b >= start:
            preview.lines.append(f"Tumpang tindih dengan cuti yang sudah dicatat ({_d(a)} – {_d(b)}); hari yang sama "
                                 "dihitung sekali.")
    span = _long_leave_span(known, start, end)
    if span is not None:
        preview.no_skp = True
        preview.lines.append(f"Cuti satu tahun atau lebih ({_d(span[0])} – {_d(span[1])}): tidak ada SKP sampai "
                             f"yang bersangkutan kembali bekerja (mulai {_d(span[1] + timedelta(days=1))}).")
        for year in range(span[0].year, span[1].year + 1):
            period = calendar_rules.skp_period([*known, (start, end)], year)
            if period is None:
                preview.lines.append(f"Tahun {year}: tidak ada SKP.")
            else:
                preview.lines.append(f"Tahun {year}: SKP hanya untuk {_d(period[0])} – {_d(period[1])}.")
        preview.lines.append("SKP yang sudah ada tidak ditutup otomatis; bila pegawai dibebaskan dari jabatannya, "
                             "catat perubahan jabatan.")
    else:
        preview.lines.append("Cuti kurang dari satu tahun: target kuantitas dan biaya mengikuti porsi waktu kerja "
                             "efektif; target kualitas dan waktu tetap.")
    preview.fractions = [_fraction_row(employee, item, (start, end)) for item in _affected_skps(employee, start, end)]
    if not preview.fractions:
        preview.lines.append("Tidak ada SKP yang periodenya mencakup cuti ini; porsi waktu kerja efektif dihitung "
                             "ketika SKP disusun.")
    return preview


def _preview(kind: str, employee: Employee, form) -> Preview:
    """Compute the preview of a validated form."""
    if kind == "transfer":
        return preview_transfer(employee, form.unit_obj, form.on.data)
    if kind == "position":
        return preview_position(employee, form.unit_obj, form.jenjang.data, form.on.data,
                                is_head=bool(form.is_head.data), jf_name=form.jf_name.data or None)
    if kind == "study":
        return preview_study(employee, form.kind.data, form.start.data, form.end.data)
    return preview_leave(employee, form.kind.data, form.start.data, form.end.data)


# --- the page ------------------------------------------------------------------------------------


def _records(employee: Employee) -> dict:
    """Gather the employee's cuti, tugas belajar and SKP rows (every year, newest first)."""
    study_leaves = list(db.session.scalars(select(StudyLeave).where(StudyLeave.employee_id == employee.id)
                                           .order_by(StudyLeave.start.desc(), StudyLeave.id.desc())))
    return {
        "skps": list(db.session.scalars(
            select(Skp).where(Skp.employee_id == employee.id).options(selectinload(Skp.unit))
            .order_by(Skp.year.desc(), Skp.period_start.desc(), Skp.version.desc(), Skp.id.desc()))),
        "leaves": list(db.session.scalars(select(Leave).where(Leave.employee_id == employee.id)
                                          .order_by(Leave.start.desc(), Leave.id.desc()))),
        "study_leaves": study_leaves,
        "study_by_id": {s.id: s for s in study_leaves},
    }


def _initial(kind: str, employee: Employee) -> dict:
    """Return the values an empty form starts with (today; the position form: his current position)."""
    today = _today()
    if kind == "transfer":
        return {"on": today}
    if kind == "position":
        return {"on": today, "jenjang": employee.jenjang, "jf_name": employee.jf_name, "is_head": employee.is_head}
    return {"start": today}


def _context(employee: Employee, *, kind: str | None = None, form=None, valid: bool = False,
             done: str | None = None, records_oob: bool = False) -> dict:
    """Gather the page: the four forms (``form`` for ``kind`` as given), previews, confirmation, records."""
    forms = {k: change_form(k, data=_initial(k, employee)) for k in CHANGE_KINDS}
    previews = dict.fromkeys(CHANGE_KINDS)
    if kind is not None and form is not None:
        forms[kind] = form
        if valid:
            previews[kind] = _preview(kind, employee, form)
    records = _records(employee)
    return {"employee": employee, "forms": forms, "previews": previews, "done": {kind: done} if done else {},
            "records_oob": records_oob, "study_kind_labels": STUDY_LEAVE_KIND_LABELS, "percent": percent,
            "working_days": calendar_rules.working_days, **records}


def _attach(form, error: PlanningError, aliases: dict) -> None:
    """Put a service's refusal on the fields it names (renamed by ``aliases``), or on the form as a whole."""
    attach(form, PlanningError(error.message, problems=[
        Problem(p.code, p.message, aliases.get(p.field, p.field) if p.field else None) for p in error.problems]))


def _render_form(employee: Employee, kind: str, form, *, status: int = 200, valid: bool = False,
                 done: str | None = None, records_oob: bool = False):
    """Render one form's section (HTMX) or the whole page."""
    context = _context(employee, kind=kind, form=form, valid=valid, done=done, records_oob=records_oob)
    return render_page_or_partial("planning/changes.html", f"planning/_changes_{kind}.html", status=status,
                                  **context)


def _submit(employee: Employee, kind: str, perform):
    """Validate the form of ``kind``, run ``perform(form) -> confirmation``, commit and answer.

    Invalid input or a refusal re-renders the form with 422 and nothing saved (``NotAllowed``: 403).
    """
    form = change_form(kind, request.form)
    if not form.validate_on_submit():
        return _render_form(employee, kind, form, status=422)
    try:
        message = perform(form)
    except NotAllowed as error:
        refuse(error)
    except PlanningError as error:
        db.session.rollback()
        _attach(form, error, FIELD_ALIASES[kind])
        return _render_form(employee, kind, form, status=422, valid=True)
    db.session.commit()
    if not is_htmx():
        flash(message, "success")
        return hx_redirect(url_for("planning.employee_changes", nip=employee.nip))
    fresh = change_form(kind, data=_initial(kind, employee))
    response = _render_form(employee, kind, fresh, done=message, records_oob=True)
    response.headers["HX-Trigger-After-Settle"] = json.dumps({UPDATED_EVENT: {"kind": kind}})
    return response


def _me() -> Employee:
    return current_user.employee


def _assessor_name(item: Skp | None) -> str:
    return item.assessor.name if item is not None and item.assessor is not None else "belum ada"


# --- routes --------------------------------------------------------------------------------------


@bp.get("/employees/<nip>/changes")
@role_required(HR)
def employee_changes(nip):
    """Show an employee's mid-year changes: the four forms, what each does, his cuti, tugas belajar and SKP."""
    employee = get_employee_or_404(nip)
    return render_template("planning/changes.html", **_context(employee))


@bp.get("/employees/<nip>/changes/<kind>/preview")
@role_required(HR)
def change_preview(nip, kind):
    """Show what a change would do with the values typed so far (the preview for HTMX, the page otherwise)."""
    employee = get_employee_or_404(nip)
    if kind not in CHANGE_KINDS:
        abort(404)
    form = change_form(kind, request.args, with_csrf=False)
    valid = form.validate()
    context = _context(employee, kind=kind, form=form, valid=valid)
    status = 200 if valid else 422
    if is_htmx():
        return render_template("planning/_changes_preview.html", change_kind=kind, preview=context["previews"][kind],
                               preview_check=True, **context), status
    return render_template("planning/changes.html", **context), status


@bp.post("/employees/<nip>/changes/transfer")
@role_required(HR)
def change_transfer(nip):
    """Record a mutasi (another unit, same position); the SKP is revised in the new unit."""
    employee = get_employee_or_404(nip)

    def perform(form):
        result = skp.transfer_employee(_me(), employee, form.unit_obj, form.on.data)
        message = f"Mutasi {employee.name} ke {form.unit_obj.name} mulai {_d(form.on.data)} dicatat."
        if result is None:
            return message + " Belum ada SKP yang perlu diubah."
        return message + (f" {_skp_name(result)} kini di {form.unit_obj.name}; Pejabat Penilai: "
                          f"{_assessor_name(result)}.")

    return _submit(employee, "transfer", perform)


@bp.post("/employees/<nip>/changes/position")
@role_required(HR)
def change_position(nip):
    """Record a change of position: the old SKP is closed at the day before, a new SKP starts."""
    employee = get_employee_or_404(nip)

    def perform(form):
        closed = skp.open_skp_on(employee, form.on.data)
        closed_version = (closed.year, closed.version) if closed is not None else None
        new = skp.change_position(_me(), employee, form.unit_obj, form.jenjang.data, form.on.data,
                                  is_head=bool(form.is_head.data), jf_name=form.jf_name.data or None)
        message = "Perubahan jabatan dicatat."
        if closed_version is not None:
            message += (f" SKP {closed_version[0]} versi {closed_version[1]} ditutup per tanggal "
                        f"{_d(form.on.data - timedelta(days=1))}.")
        return message + (f" SKP baru {_d(new.period_start)} – {_d(new.period_end)} (draf) dibuat untuk jabatan "
                          f"baru di {form.unit_obj.name}; Pejabat Penilai: {_assessor_name(new)}.")

    return _submit(employee, "position", perform)


@bp.post("/employees/<nip>/changes/study-leave")
@role_required(HR)
def change_study_leave(nip):
    """Record a tugas belajar and shape the SKP of its year per its kind (decree I.C)."""
    employee = get_employee_or_404(nip)

    def perform(form):
        leave, result = skp.start_study_leave(_me(), employee, form.kind.data, form.start.data, form.end.data)
        label = STUDY_LEAVE_KIND_LABELS.get(leave.kind, leave.kind)
        message = f"Tugas belajar ({label}) mulai {_d(leave.start)} dicatat."
        if result is None:
            return message + " Belum ada SKP yang perlu diubah."
        return message + f" {_skp_name(result)}: Pejabat Penilai mengisi ekspektasi selama tugas belajar."

    return _submit(employee, "study", perform)


@bp.post("/employees/<nip>/changes/leave")
@role_required(HR)
def change_leave(nip):
    """Record a cuti; the effective working fraction of the SKP it falls in is recomputed."""
    employee = get_employee_or_404(nip)

    def perform(form):
        long_leave = _long_leave_span(_known_leaves(employee, form.start.data, form.end.data), form.start.data,
                                      form.end.data)
        leave = skp.add_leave(_me(), employee, form.kind.data, form.start.data, form.end.data)
        message = f"{leave.kind} {_d(leave.start)} – {_d(leave.end)} dicatat."
        if long_leave is not None:
            message += " Cuti satu tahun atau lebih: tidak ada SKP sampai yang bersangkutan kembali bekerja."
        db.session.flush()
        for item in _affected_skps(employee, leave.start, leave.end):
            message += f" {_skp_name(item)}: porsi waktu kerja efektif {percent(item.effective_fraction)}."
        return message

    return _submit(employee, "leave", perform)

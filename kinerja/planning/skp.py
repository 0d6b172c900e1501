"""State changes of employee planning: the SKP, its RHK and IKI, perilaku, lampiran, dialog kinerja,
the approval flow, revisions, the Matrik Peran Hasil and the mid-year cases (decree I.B, I.C).

Every function takes the acting ``Employee`` (``None`` for the CLI and jobs, which may do anything),
checks who may act, changes rows, writes an audit row (object_type ``"skp"``) and returns the object.
None commits: the view or API commits once, so a refused call leaves nothing half-saved.
Refusals raise ``PlanningError`` (bad input), ``NotAllowed`` (403) or ``WrongState`` (409).
"""

from datetime import date, timedelta

from sqlalchemy import func, or_, select, update

from kinerja import clock
from kinerja.audit.services import record, snapshot
from kinerja.auth.access import HR_ROLES, employee_has_role
from kinerja.extensions import db
from kinerja.org import relations
from kinerja.org.models import Employee, Position, Unit
from kinerja.planning.errors import NotAllowed, PlanningError, WrongState
from kinerja.planning.models import (
    ASPEK,
    DIALOG_MEDIUM,
    DialogKinerja,
    Iki,
    Iku,
    Leave,
    PeranHasil,
    RencanaAksi,
    RencanaHasilKerja,
    Skp,
    SkpPerilaku,
    StudyLeave,
)
from kinerja.rules import berakhlak
from kinerja.rules import calendar as calendar_rules
from kinerja.rules import skp as skp_rules
from kinerja.rules.planning import MidYearChange, Problem, SkpAction, StudyLeavePlan

SKP_FIELDS = ("employee_id", "year", "version", "status", "period_start", "period_end", "unit_id", "jenjang",
              "position_id", "assessor_id", "previous_id", "revision_dialog_id", "return_reason", "closed_on",
              "effective_fraction", "study_leave_id")
RHK_FIELDS = ("skp_id", "kind", "source", "text", "parent_rhk_id", "iku_id", "rencana_aksi_id", "task_origin",
              "task_origin_note")
IKI_FIELDS = ("rhk_id", "text", "aspek", "target", "unit_of_measure")
LAMPIRAN_FIELDS = ("sumber_daya", "skema_pertanggungjawaban", "konsekuensi")
CURRENT_STATUSES = ("DRAFT", "SUBMITTED", "APPROVED", "RETURNED")  # not SUPERSEDED, not CLOSED
MAX_TEXT = 2000


# --- who may act -------------------------------------------------------------------------------

def is_hr(actor: Employee | None) -> bool:
    """Tell whether an employee holds the KEPEGAWAIAN (or ADMIN) role."""
    return employee_has_role(actor, *HR_ROLES)


def can_plan_for(actor: Employee | None, employee: Employee) -> bool:
    """Tell whether ``actor`` may create or edit the employee's SKP (himself, his assessor, HR)."""
    return actor is None or actor.id == employee.id or relations.is_assessor(actor, employee) or is_hr(actor)


def _require_planner(actor, employee: Employee) -> None:
    if not can_plan_for(actor, employee):
        raise NotAllowed("Hanya pegawai yang bersangkutan, Pejabat Penilainya, atau Kepegawaian yang dapat "
                         "menyusun SKP ini.")


def _require_editable(skp: Skp) -> None:
    """Refuse changes to an SKP that is not a draft or returned (approved ones go through a revision)."""
    if skp.is_editable:
        return
    messages = {
        "SUBMITTED": "SKP sedang diajukan dan menunggu persetujuan; tidak dapat diubah.",
        "APPROVED": "SKP yang sudah disetujui hanya dapat diubah melalui revisi (setelah dialog kinerja).",
        "SUPERSEDED": "Versi SKP ini sudah digantikan versi baru; tidak dapat diubah.",
        "CLOSED": "SKP ini sudah ditutup; tidak dapat diubah.",
    }
    raise WrongState(messages.get(skp.status, "SKP tidak dapat diubah pada status ini."), code="SKP_NOT_EDITABLE")


def _text(value, field: str, label: str, max_length: int = MAX_TEXT) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else None
    if not text:
        raise PlanningError(f"{label} wajib diisi.", field, code="REQUIRED")
    if len(text) > max_length:
        raise PlanningError(f"{label} terlalu panjang (paling banyak {max_length} karakter).", field,
                            code="TOO_LONG")
    return text


def _optional_text(value, max_length: int = 4000) -> str | None:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value)
    return text[:max_length] or None


def _skp_record(actor, action: str, skp: Skp, before=None, after=None, reason=None):
    return record(actor, action, "skp", skp.id, before, after, reason)


# --- the SKP -----------------------------------------------------------------------------------

def _position_on(employee: Employee, on: date, until: date) -> tuple[Position | None, date]:
    """Return the employee's position on ``on`` (or the first one starting before ``until``) and its start."""
    covering = db.session.scalar(
        select(Position).where(Position.employee_id == employee.id, Position.start <= on,
                               or_(Position.end.is_(None), Position.end >= on))
        .order_by(Position.start.desc(), Position.id.desc()).limit(1))
    if covering is not None:
        return covering, on
    later = db.session.scalar(
        select(Position).where(Position.employee_id == employee.id, Position.start > on, Position.start <= until)
        .order_by(Position.start, Position.id).limit(1))
    if later is not None:
        return later, later.start
    return None, on


def leaves_of(employee: Employee, start: date, end: date) -> list[tuple[date, date]]:
    """Return the cuti periods of an employee that overlap ``start``–``end``."""
    rows = db.session.execute(
        select(Leave.start, Leave.end).where(Leave.employee_id == employee.id, Leave.start <= end,
                                             Leave.end >= start))
    return [(row.start, row.end) for row in rows]


def _skp_range(employee: Employee, year: int, start: date, end: date) -> tuple[date, date]:
    """Clip a period to the part of the year not under a cuti of a year or more (decree III, cuti 2).

    :raise PlanningError: ``LONG_LEAVE`` when such a cuti covers the whole period (no SKP until he is back)
    """
    first, last = date(year, 1, 1), date(year, 12, 31)
    allowed = calendar_rules.skp_period(leaves_of(employee, first, last), year)
    if allowed is not None:
        start, end = max(start, allowed[0]), min(end, allowed[1])
    if allowed is None or start > end:
        raise PlanningError("Pegawai menjalani cuti satu tahun atau lebih pada periode ini; SKP disusun setelah "
                            "yang bersangkutan kembali bekerja.", "period_start", code="LONG_LEAVE")
    return start, end


def _fraction(employee: Employee, start: date, end: date) -> float:
    """Return the share of working time left after cuti in a period (1.0 without cuti)."""
    return calendar_rules.effective_fraction(start, end, leaves_of(employee, start, end))


def _overlapping_current(employee: Employee, start: date, end: date, exclude_id: int | None = None) -> Skp | None:
    stmt = select(Skp).where(Skp.employee_id == employee.id, Skp.status.in_(CURRENT_STATUSES),
                             Skp.period_start <= end, Skp.period_end >= start)
    if exclude_id is not None:
        stmt = stmt.where(Skp.id != exclude_id)
    return db.session.scalar(stmt.limit(1))


def _new_skp(employee: Employee, year: int, start: date, end: date, position: Position | None,
             unit_id: int | None = None, jenjang: str | None = None) -> Skp:
    """Build (not yet audited) a DRAFT SKP with its 7 perilaku rows for a period."""
    resolved = relations.resolve(employee, start)
    skp = Skp(
        employee_id=employee.id, year=year, version=1, status="DRAFT", period_start=start, period_end=end,
        unit_id=unit_id or (position.unit_id if position else employee.unit_id),
        jenjang=jenjang or (position.jenjang if position else employee.jenjang),
        position_id=position.id if position else None,
        assessor_id=resolved.assessor.id if resolved.assessor else None,
        effective_fraction=_fraction(employee, start, end), created_at=clock.stamp(),
    )
    skp.employee = employee
    skp.perilaku = [SkpPerilaku(value=code) for code in berakhlak.CODES]
    db.session.add(skp)
    db.session.flush()
    return skp


def create_skp(actor, employee: Employee, year: int, *, period_start: date | None = None,
               period_end: date | None = None) -> Skp:
    """Create a DRAFT SKP of an employee for a year (his position, assessor and perilaku filled in).

    :raise NotAllowed: the actor is not the employee, his assessor, or HR
    :raise PlanningError: bad year or period, or a cuti of a year or more covering it
    :raise WrongState: a current SKP already covers the period
    """
    _require_planner(actor, employee)
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise PlanningError("Tahun tidak valid.", "year", code="INVALID_YEAR")
    first, last = date(year, 1, 1), date(year, 12, 31)
    start = period_start or first
    end = period_end or last
    if not (first <= start <= end <= last):
        raise PlanningError("Periode SKP harus berada di dalam tahun yang sama dan berurutan.", "period_start",
                            code="INVALID_PERIOD")
    position, position_start = _position_on(employee, start, end)
    if period_start is None:
        start = position_start
    start, end = _skp_range(employee, year, start, end)
    existing = _overlapping_current(employee, start, end)
    if existing is not None:
        raise WrongState(f"Pegawai sudah memiliki SKP tahun {existing.year} untuk periode ini "
                         f"(status {existing.status}); ubah atau revisi SKP tersebut.", "year", code="SKP_EXISTS")
    skp = _new_skp(employee, year, start, end, position)
    _skp_record(actor, "skp.create", skp, None, snapshot(skp, SKP_FIELDS))
    return skp


# --- RHK ---------------------------------------------------------------------------------------

def _load(model, value, field: str, label: str):
    """Accept a row or its id; ``None`` stays ``None``; an unknown id is bad input."""
    if value is None or value == "":
        return None
    if isinstance(value, model):
        return value
    try:
        row = db.session.get(model, int(value))
    except (TypeError, ValueError):
        row = None
    if row is None:
        raise PlanningError(f"{label} tidak ditemukan.", field, code="NOT_FOUND")
    return row


def assessor_skp(skp: Skp) -> Skp | None:
    """Return the current SKP of the same year of this SKP's assessor (the RHK it may cascade from)."""
    if skp.assessor_id is None:
        return None
    return db.session.scalar(
        select(Skp).where(Skp.employee_id == skp.assessor_id, Skp.year == skp.year,
                          Skp.status.in_(CURRENT_STATUSES))
        .order_by(Skp.period_start.desc(), Skp.version.desc()).limit(1))


def _assessor_ids(skp: Skp) -> set[int]:
    """Return the employees whose RHK this SKP may cascade from: the recorded and today's assessor."""
    ids = {skp.assessor_id} - {None}
    link = relations.link_of(skp.employee_id)
    if link is not None and link.assessor_id is not None:
        ids.add(link.assessor_id)
    return ids


def _check_rhk(skp: Skp, *, kind, source, parent, iku, rencana_aksi, task_origin) -> None:
    """Apply the jenjang's source table and check the links given; raise on the first problem.

    A link left out (IKU, rencana aksi, the assessor's RHK, the origin of a tugas tambahan) is no
    refusal: the RHK is stored and shown as not yet linked (``missing_link``).
    """
    problems = skp_rules.check_rhk(skp.jenjang, kind, source, task_origin)
    if problems:
        first = problems[0]
        raise PlanningError(first.message, first.field or "source", code=first.code, problems=problems)
    if parent is not None:
        parent_skp = parent.skp
        if parent_skp.employee_id not in _assessor_ids(skp) or parent_skp.year != skp.year:
            raise PlanningError("RHK yang diintervensi harus RHK dari SKP Pejabat Penilai pada tahun yang sama.",
                                "parent_rhk", code="PARENT_NOT_ASSESSOR")
        if parent_skp.status in ("SUPERSEDED",):
            raise PlanningError("RHK yang diintervensi berasal dari versi SKP yang sudah digantikan.",
                                "parent_rhk", code="PARENT_SUPERSEDED")
    if rencana_aksi is not None and iku is not None and rencana_aksi.iku_id != iku.id:
        raise PlanningError("Rencana aksi tidak termasuk IKU yang dipilih.", "rencana_aksi", code="RA_MISMATCH")


def _rhk_values(skp, *, text, kind, source, parent_rhk, iku, rencana_aksi, task_origin, task_origin_note) -> dict:
    text = _text(text, "text", "Rencana hasil kerja")
    parent = _load(RencanaHasilKerja, parent_rhk, "parent_rhk", "RHK Pejabat Penilai")
    iku_row = _load(Iku, iku, "iku", "IKU")
    action = _load(RencanaAksi, rencana_aksi, "rencana_aksi", "Rencana aksi")
    if action is not None and iku_row is None:
        iku_row = action.iku
    task_origin = task_origin or None
    _check_rhk(skp, kind=kind, source=source, parent=parent, iku=iku_row, rencana_aksi=action,
               task_origin=task_origin)
    return {
        "text": text, "kind": kind, "source": source,
        "parent_rhk_id": parent.id if parent else None, "iku_id": iku_row.id if iku_row else None,
        "rencana_aksi_id": action.id if action else None,
        "task_origin": task_origin if kind == "TAMBAHAN" else None,
        "task_origin_note": _optional_text(task_origin_note, 255) if kind == "TAMBAHAN" else None,
    }


def missing_link(rhk: RencanaHasilKerja) -> Problem | None:
    """Tell which link an RHK still lacks ("Belum ditautkan ke IKU"...), or None (the pure rule on its row)."""
    return skp_rules.missing_rhk_link(rhk.kind, rhk.source, parent_rhk_id=rhk.parent_rhk_id, iku_id=rhk.iku_id,
                                      rencana_aksi_id=rhk.rencana_aksi_id, task_origin=rhk.task_origin)


def unlinked_rhk(skp: Skp) -> list[tuple[RencanaHasilKerja, Problem]]:
    """Return the RHK of an SKP that still lack a link, each with what it lacks (for the pages' warnings)."""
    return [(rhk, problem) for rhk in skp.rhk if (problem := missing_link(rhk)) is not None]


def add_rhk(actor, skp: Skp, *, text: str, kind: str, source: str, parent_rhk=None, iku=None, rencana_aksi=None,
            task_origin: str | None = None, task_origin_note: str | None = None) -> RencanaHasilKerja:
    """Add an RHK to a draft or returned SKP, with a source the jenjang allows.

    ``parent_rhk``, ``iku`` and ``rencana_aksi`` take a row or its id; each is optional (an RHK without
    its link is stored and shown as not yet linked) and checked when given.
    :raise PlanningError: empty text, a source the jenjang does not allow, an unknown or wrong link
    """
    _require_planner(actor, skp.employee)
    _require_editable(skp)
    values = _rhk_values(skp, text=text, kind=kind, source=source, parent_rhk=parent_rhk, iku=iku,
                         rencana_aksi=rencana_aksi, task_origin=task_origin, task_origin_note=task_origin_note)
    position = (db.session.scalar(select(func.max(RencanaHasilKerja.position))
                                  .where(RencanaHasilKerja.skp_id == skp.id)) or 0) + 1
    rhk = RencanaHasilKerja(skp_id=skp.id, position=position, **values)
    skp.rhk.append(rhk)
    db.session.flush()
    _skp_record(actor, "skp.rhk.add", skp, None, {"rhk_id": rhk.id, **snapshot(rhk, RHK_FIELDS)})
    return rhk


def update_rhk(actor, rhk: RencanaHasilKerja, *, text: str, kind: str, source: str, parent_rhk=None, iku=None,
               rencana_aksi=None, task_origin: str | None = None,
               task_origin_note: str | None = None) -> RencanaHasilKerja:
    """Change an RHK of a draft or returned SKP (same checks as ``add_rhk``)."""
    skp = rhk.skp
    _require_planner(actor, skp.employee)
    _require_editable(skp)
    values = _rhk_values(skp, text=text, kind=kind, source=source, parent_rhk=parent_rhk, iku=iku,
                         rencana_aksi=rencana_aksi, task_origin=task_origin, task_origin_note=task_origin_note)
    before = snapshot(rhk, RHK_FIELDS)
    for field, value in values.items():
        setattr(rhk, field, value)
    after = snapshot(rhk, RHK_FIELDS)
    if before != after:
        _skp_record(actor, "skp.rhk.update", skp, {"rhk_id": rhk.id, **before}, {"rhk_id": rhk.id, **after})
    return rhk


def delete_rhk(actor, rhk: RencanaHasilKerja) -> None:
    """Remove an RHK (and its IKI) from a draft or returned SKP."""
    skp = rhk.skp
    _require_planner(actor, skp.employee)
    _require_editable(skp)
    before = {"rhk_id": rhk.id, **snapshot(rhk, RHK_FIELDS), "iki": [snapshot(i, IKI_FIELDS) for i in rhk.iki]}
    for share in db.session.scalars(select(PeranHasil).where(PeranHasil.taken_rhk_id == rhk.id)):
        share.taken_rhk_id = None
    skp.rhk.remove(rhk)
    db.session.flush()
    _skp_record(actor, "skp.rhk.delete", skp, before, None)


# --- IKI ---------------------------------------------------------------------------------------

def _iki_values(*, text, aspek, target, unit_of_measure) -> dict:
    text = _text(text, "text", "Indikator kinerja individu")
    if aspek not in ASPEK:
        raise PlanningError(f"Aspek {aspek!r} tidak dikenal; pilih salah satu dari: {', '.join(ASPEK)}.", "aspek",
                            code="UNKNOWN_VALUE")
    if isinstance(target, bool):
        target = None
    try:
        number = float(target)
    except (TypeError, ValueError):
        raise PlanningError("Target harus berupa angka.", "target", code="NOT_A_NUMBER") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise PlanningError("Target harus berupa angka.", "target", code="NOT_A_NUMBER")
    if number < 0:
        raise PlanningError("Target tidak boleh negatif.", "target", code="NEGATIVE")
    unit = _text(unit_of_measure, "unit_of_measure", "Satuan", 60)
    return {"text": text, "aspek": aspek, "target": number, "unit_of_measure": unit}


def add_iki(actor, rhk: RencanaHasilKerja, *, text: str, aspek: str, target, unit_of_measure: str) -> Iki:
    """Add an IKI (measure and target) to an RHK of a draft or returned SKP."""
    skp = rhk.skp
    _require_planner(actor, skp.employee)
    _require_editable(skp)
    values = _iki_values(text=text, aspek=aspek, target=target, unit_of_measure=unit_of_measure)
    position = (db.session.scalar(select(func.max(Iki.position)).where(Iki.rhk_id == rhk.id)) or 0) + 1
    iki = Iki(position=position, **values)
    rhk.iki.append(iki)
    db.session.flush()
    _skp_record(actor, "skp.iki.add", skp, None, {"iki_id": iki.id, **snapshot(iki, IKI_FIELDS)})
    return iki


def update_iki(actor, iki: Iki, *, text: str, aspek: str, target, unit_of_measure: str) -> Iki:
    """Change an IKI of a draft or returned SKP."""
    skp = iki.rhk.skp
    _require_planner(actor, skp.employee)
    _require_editable(skp)
    values = _iki_values(text=text, aspek=aspek, target=target, unit_of_measure=unit_of_measure)
    before = snapshot(iki, IKI_FIELDS)
    for field, value in values.items():
        setattr(iki, field, value)
    after = snapshot(iki, IKI_FIELDS)
    if before != after:
        _skp_record(actor, "skp.iki.update", skp, {"iki_id": iki.id, **before}, {"iki_id": iki.id, **after})
    return iki


def delete_iki(actor, iki: Iki) -> None:
    """Remove an IKI from a draft or returned SKP."""
    rhk = iki.rhk
    skp = rhk.skp
    _require_planner(actor, skp.employee)
    _require_editable(skp)
    before = {"iki_id": iki.id, **snapshot(iki, IKI_FIELDS)}
    rhk.iki.remove(iki)
    db.session.flush()
    _skp_record(actor, "skp.iki.delete", skp, before, None)


# --- perilaku and lampiran ---------------------------------------------------------------------

def set_perilaku_expectation(actor, skp: Skp, value: str, text: str | None) -> SkpPerilaku:
    """Set (or clear) the ekspektasi khusus pimpinan of one BerAKHLAK value.

    Allowed on a draft or returned SKP, and on a submitted one for the assessor reviewing it
    (the expectation is his to state).
    """
    _require_planner(actor, skp.employee)
    if not (skp.status == "SUBMITTED" and (actor is None or relations.is_assessor(actor, skp.employee))):
        _require_editable(skp)
    if value not in berakhlak.BY_CODE:
        raise PlanningError(f"Nilai perilaku {value!r} tidak dikenal.", "value", code="UNKNOWN_VALUE")
    row = next((p for p in skp.perilaku if p.value == value), None)
    if row is None:  # an SKP made before the rows existed: add the missing one
        row = SkpPerilaku(value=value)
        skp.perilaku.append(row)
    before = row.ekspektasi_khusus
    row.ekspektasi_khusus = _optional_text(text)
    db.session.flush()
    if before != row.ekspektasi_khusus:
        _skp_record(actor, "skp.perilaku", skp, {"value": value, "ekspektasi_khusus": before},
                    {"value": value, "ekspektasi_khusus": row.ekspektasi_khusus})
    return row


def set_lampiran(actor, skp: Skp, sumber_daya: str | None, skema: str | None, konsekuensi: str | None) -> Skp:
    """Set the lampiran of a draft or returned SKP: resources, accountability scheme, consequences."""
    _require_planner(actor, skp.employee)
    _require_editable(skp)
    before = snapshot(skp, LAMPIRAN_FIELDS)
    skp.sumber_daya = _optional_text(sumber_daya)
    skp.skema_pertanggungjawaban = _optional_text(skema)
    skp.konsekuensi = _optional_text(konsekuensi)
    after = snapshot(skp, LAMPIRAN_FIELDS)
    if before != after:
        _skp_record(actor, "skp.lampiran", skp, before, after)
    return skp


# --- dialog kinerja ----------------------------------------------------------------------------

def record_dialog(actor, employee: Employee, *, held_on: date, medium: str, summary: str,
                  agreed_points: str | None = None, skp: Skp | None = None) -> DialogKinerja:
    """Record a dialog kinerja between an employee and his assessor, optionally linked to an SKP.

    The employee, his assessor or HR may record it; any state of the SKP is fine (the dialog is
    what agrees a revision of an approved SKP).
    """
    _require_planner(actor, employee)
    if skp is not None and skp.employee_id != employee.id:
        raise PlanningError("SKP bukan milik pegawai ini.", "skp", code="SKP_MISMATCH")
    if not isinstance(held_on, date):
        raise PlanningError("Tanggal dialog wajib diisi.", "held_on", code="REQUIRED")
    if held_on > clock.today():
        raise PlanningError("Tanggal dialog tidak boleh di masa depan.", "held_on", code="FUTURE_DATE")
    if medium not in DIALOG_MEDIUM:
        raise PlanningError(f"Media {medium!r} tidak dikenal; pilih salah satu dari: {', '.join(DIALOG_MEDIUM)}.",
                            "medium", code="UNKNOWN_VALUE")
    summary = _text(summary, "summary", "Ringkasan dialog", 4000)
    assessor_id = skp.assessor_id if skp is not None else None
    if assessor_id is None:
        resolved = relations.resolve(employee, held_on)
        assessor_id = resolved.assessor.id if resolved.assessor else None
    dialog = DialogKinerja(
        skp_id=skp.id if skp is not None else None, employee_id=employee.id, assessor_id=assessor_id,
        held_on=held_on, medium=medium, summary=summary, agreed_points=_optional_text(agreed_points),
        created_by_id=actor.id if actor is not None else None, created_at=clock.stamp(),
    )
    db.session.add(dialog)
    db.session.flush()
    after = {"dialog_id": dialog.id, "employee": employee.nip, "held_on": held_on, "medium": medium,
             "summary": summary, "agreed_points": dialog.agreed_points}
    record(actor, "skp.dialog", "skp" if skp is not None else "employee",
           skp.id if skp is not None else employee.nip, None, after)
    return dialog


# --- workflow ----------------------------------------------------------------------------------

def _check_complete(skp: Skp) -> None:
    """Refuse submitting an SKP without an RHK UTAMA or with an RHK without IKI."""
    if not any(rhk.kind == "UTAMA" for rhk in skp.rhk):
        raise PlanningError("SKP belum memiliki RHK utama; tambahkan paling sedikit satu RHK utama.", "rhk",
                            code="NO_RHK_UTAMA")
    missing = [rhk for rhk in skp.rhk if not rhk.iki]
    if missing:
        raise PlanningError(f"RHK \u201c{missing[0].text[:60]}\u201d belum memiliki IKI; setiap RHK memerlukan "
                            "paling sedikit satu IKI.", "iki", code="RHK_WITHOUT_IKI")


def _apply(actor, skp: Skp, action: SkpAction, **kwargs) -> str:
    """Ask the status-flow rule where ``action`` takes the SKP (who first: 403, then state: 409).

    The CLI and jobs (``actor`` None) act as both parties.
    """
    is_owner = actor is None or actor.id == skp.employee_id
    if action in (SkpAction.APPROVE, SkpAction.RETURN):
        is_owner = actor is not None and actor.id == skp.employee_id
    is_assessor = actor is None or (not is_owner and relations.is_assessor(actor, skp.employee))
    return str(skp_rules.transition(skp.status, action, actor_is_owner=is_owner, actor_is_assessor=is_assessor,
                                    **kwargs))


def submit_skp(actor, skp: Skp) -> Skp:
    """Submit a draft or returned SKP to the assessor (only its owner may).

    :raise PlanningError: no RHK UTAMA, or an RHK without IKI
    """
    new_status = _apply(actor, skp, SkpAction.SUBMIT)
    _check_complete(skp)
    before = {"status": skp.status, "assessor_id": skp.assessor_id}
    skp.status, skp.submitted_at, skp.return_reason = new_status, clock.stamp(), None
    resolved = relations.resolve(skp.employee)
    if resolved.assessor is not None:
        skp.assessor_id = resolved.assessor.id  # it lands in the queue of today's assessor
    _skp_record(actor, "skp.submit", skp, before, {"status": skp.status, "assessor_id": skp.assessor_id})
    return skp


def approve_skp(actor, skp: Skp) -> Skp:
    """Approve a submitted SKP as its current assessor (or PLT/PLH); an approved revision supersedes the
    version before it. Records who approved, when, and the assessor and his superior as resolved now."""
    new_status = _apply(actor, skp, SkpAction.APPROVE)
    before = {"status": skp.status, "assessor_id": skp.assessor_id}
    resolved = relations.resolve(skp.employee)
    skp.status, skp.approved_at = new_status, clock.stamp()
    skp.approved_by_id = actor.id if actor is not None else None
    if resolved.assessor is not None:
        skp.assessor_id = resolved.assessor.id
    superior = resolved.assessor_superior
    after = {
        "status": skp.status, "assessor_id": skp.assessor_id,
        "approved_by": actor.nip if actor is not None else None,
        "assessor": _person(resolved.assessor), "assessor_acting": resolved.assessor_acting,
        "assessor_superior": _person(superior), "assessor_superior_acting": resolved.assessor_superior_acting,
        "rule": resolved.rule,
    }
    _skp_record(actor, "skp.approve", skp, before, after)
    previous = skp.previous
    if previous is not None and previous.status == "APPROVED":
        previous.status = "SUPERSEDED"
        _repoint_cascades(previous, skp)
        _skp_record(actor, "skp.supersede", previous, {"status": "APPROVED"},
                    {"status": "SUPERSEDED", "by_skp_id": skp.id})
    return skp


def _person(employee: Employee | None) -> dict | None:
    return {"id": employee.id, "nip": employee.nip, "name": employee.name} if employee is not None else None


def return_skp(actor, skp: Skp, reason: str) -> Skp:
    """Return a submitted SKP to its owner with a reason, as its current assessor (or PLT/PLH)."""
    new_status = _apply(actor, skp, SkpAction.RETURN, reason=reason if isinstance(reason, str) else None)
    reason = _text(reason, "reason", "Alasan pengembalian")
    before = {"status": skp.status}
    skp.status, skp.return_reason = new_status, reason
    _skp_record(actor, "skp.return", skp, before, {"status": skp.status, "return_reason": reason},
                reason=reason[:500])
    return skp


# --- revisions ---------------------------------------------------------------------------------

def _copy_contents(old: Skp, new: Skp, *, with_rhk: bool = True) -> None:
    """Copy RHK/IKI, perilaku expectations and lampiran from one version into another."""
    new.sumber_daya, new.skema_pertanggungjawaban, new.konsekuensi = (
        old.sumber_daya, old.skema_pertanggungjawaban, old.konsekuensi)
    expectations = {p.value: p.ekspektasi_khusus for p in old.perilaku}
    for row in new.perilaku:
        row.ekspektasi_khusus = expectations.get(row.value)
    if not with_rhk:
        return
    for rhk in old.rhk:
        copy = RencanaHasilKerja(
            kind=rhk.kind, source=rhk.source, text=rhk.text, parent_rhk_id=rhk.parent_rhk_id, iku_id=rhk.iku_id,
            rencana_aksi_id=rhk.rencana_aksi_id, task_origin=rhk.task_origin,
            task_origin_note=rhk.task_origin_note, position=rhk.position)
        copy.iki = [Iki(text=i.text, aspek=i.aspek, target=i.target, unit_of_measure=i.unit_of_measure,
                        position=i.position) for i in rhk.iki]
        new.rhk.append(copy)


def _next_version(old: Skp, *, dialog: DialogKinerja | None, unit_id: int | None = None,
                  assessor_id: int | None = None, with_rhk: bool = True) -> Skp:
    """Build a DRAFT copy of ``old`` as its next version (not yet audited)."""
    version = (db.session.scalar(select(func.max(Skp.version)).where(
        Skp.employee_id == old.employee_id, Skp.year == old.year, Skp.period_start == old.period_start)) or 0) + 1
    new = Skp(
        employee_id=old.employee_id, year=old.year, version=version, status="DRAFT",
        period_start=old.period_start, period_end=old.period_end, unit_id=unit_id or old.unit_id,
        jenjang=old.jenjang, position_id=old.position_id, assessor_id=assessor_id or old.assessor_id,
        previous_id=old.id, revision_dialog_id=dialog.id if dialog is not None else None,
        effective_fraction=old.effective_fraction, study_leave_id=old.study_leave_id, created_at=clock.stamp(),
    )
    new.employee = old.employee
    new.perilaku = [SkpPerilaku(value=code) for code in berakhlak.CODES]
    _copy_contents(old, new, with_rhk=with_rhk)
    db.session.add(new)
    db.session.flush()
    return new


def _repoint_cascades(old: Skp, new: Skp) -> None:
    """Point the team's RHK and Matrik Peran Hasil shares that hang on the old version's RHK at their
    copies in the new version (matched by position; an RHK the revision dropped leaves them as they are)."""
    copies = {rhk.position: rhk.id for rhk in new.rhk}
    for rhk in old.rhk:
        copy_id = copies.get(rhk.position)
        if copy_id is None:
            continue
        db.session.execute(update(RencanaHasilKerja).where(RencanaHasilKerja.parent_rhk_id == rhk.id)
                           .values(parent_rhk_id=copy_id))
        db.session.execute(update(PeranHasil).where(PeranHasil.leader_rhk_id == rhk.id)
                           .values(leader_rhk_id=copy_id))


def open_revision(old: Skp) -> Skp | None:
    """Return a revision of ``old`` still in progress (not yet approved), if any."""
    return db.session.scalar(select(Skp).where(Skp.previous_id == old.id,
                                               Skp.status.in_(("DRAFT", "SUBMITTED", "RETURNED"))).limit(1))


def revise_skp(actor, skp: Skp, dialog: DialogKinerja) -> Skp:
    """Open a revision of an approved SKP agreed in a dialog kinerja: a new DRAFT version with the same contents.

    The approved version stays in force (visum keeps using it) until the revision is approved,
    which marks it SUPERSEDED.
    :raise WrongState: the SKP is not approved, or a revision is already open
    :raise PlanningError: the dialog is not this employee's
    """
    _apply(actor, skp, SkpAction.REVISE, dialog_id=dialog.id if dialog is not None else None)
    if dialog is None or dialog.employee_id != skp.employee_id:
        raise PlanningError("Pilih dialog kinerja pegawai ini yang menyepakati revisi.", "dialog",
                            code="DIALOG_REQUIRED")
    if open_revision(skp) is not None:
        raise WrongState("Revisi SKP ini sudah dibuka dan belum disetujui.", code="REVISION_OPEN")
    new = _next_version(skp, dialog=dialog)
    if dialog.skp_id is None:
        dialog.skp_id = skp.id
    _skp_record(actor, "skp.revise", new, {"skp_id": skp.id, "version": skp.version},
                {"skp_id": new.id, "version": new.version, "dialog_id": dialog.id})
    return new


# --- Matrik Peran Hasil ------------------------------------------------------------------------

def share_rhk(actor, leader_rhk: RencanaHasilKerja, member: Employee, text: str) -> PeranHasil:
    """Give a share of a leader's RHK to a member of his team (Matrik Peran Hasil).

    :raise NotAllowed: the actor is not the RHK's owner, or the member is not someone he assesses
    """
    leader_skp = leader_rhk.skp
    leader = leader_skp.employee
    if actor is not None and actor.id != leader.id:
        raise NotAllowed("Hanya pemilik RHK yang dapat membaginya dalam Matrik Peran Hasil.", code="NOT_OWNER")
    if leader_skp.status in ("SUPERSEDED", "CLOSED"):
        raise WrongState("RHK ini berasal dari SKP yang sudah digantikan atau ditutup.", code="SKP_NOT_CURRENT")
    if member.id == leader.id or not relations.is_assessor(leader, member):
        raise NotAllowed("Peran hasil hanya dapat dibagikan kepada pegawai yang dinilai oleh pemilik RHK.",
                         code="NOT_TEAM_MEMBER")
    text = _text(text, "text", "Uraian peran hasil")
    duplicate = db.session.scalar(select(PeranHasil.id).where(
        PeranHasil.leader_rhk_id == leader_rhk.id, PeranHasil.employee_id == member.id, PeranHasil.text == text))
    if duplicate is not None:
        raise PlanningError("Peran hasil yang sama sudah dibagikan kepada pegawai ini.", "text", code="DUPLICATE")
    share = PeranHasil(leader_rhk_id=leader_rhk.id, employee_id=member.id, text=text)
    db.session.add(share)
    db.session.flush()
    _skp_record(actor, "skp.share", leader_skp, None,
                {"share_id": share.id, "leader_rhk_id": leader_rhk.id, "member": member.nip, "text": text})
    return share


def take_share(actor, skp: Skp, share: PeranHasil) -> RencanaHasilKerja:
    """Turn a Matrik Peran Hasil share into an RHK UTAMA of the member's SKP (source MATRIK_PERAN_HASIL)."""
    if share.employee_id != skp.employee_id:
        raise NotAllowed("Peran hasil ini dibagikan kepada pegawai lain.", code="NOT_YOUR_SHARE")
    if share.taken_rhk_id is not None:
        taken = db.session.get(RencanaHasilKerja, share.taken_rhk_id)
        if taken is not None and taken.skp_id == skp.id:
            raise WrongState("Peran hasil ini sudah dimasukkan ke SKP.", code="SHARE_TAKEN")
    rhk = add_rhk(actor, skp, text=share.text, kind="UTAMA", source="MATRIK_PERAN_HASIL",
                  parent_rhk=share.leader_rhk)
    share.taken_rhk_id = rhk.id
    return rhk


# --- mid-year cases ----------------------------------------------------------------------------

def _require_hr_or_system(actor) -> None:
    if actor is not None and not is_hr(actor):
        raise NotAllowed("Hanya Kepegawaian yang dapat mencatat perubahan ini.", code="NOT_HR")


def open_skp_on(employee: Employee, on: date) -> Skp | None:
    """Return the current SKP whose period covers a date (the newest version)."""
    return db.session.scalar(
        select(Skp).where(Skp.employee_id == employee.id, Skp.status.in_(CURRENT_STATUSES),
                          Skp.period_start <= on, Skp.period_end >= on)
        .order_by(Skp.version.desc(), Skp.id.desc()).limit(1))


def _save_position(actor, employee: Employee, *, unit: Unit, jenjang: str, on: date, is_head: bool | None = None,
                   jf_name: str | None = ..., golongan: str | None = ...) -> Employee:
    from kinerja.org.services import save_employee

    employee = save_employee(
        actor, nip=employee.nip, name=employee.name, status=employee.status, jenjang=jenjang, unit=unit,
        jf_name=employee.jf_name if jf_name is ... else jf_name,
        golongan=employee.golongan if golongan is ... else golongan,
        is_head=employee.is_head if is_head is None else is_head, email=employee.email, effective=on)
    db.session.flush()
    relations.refresh_assessor_links()  # a dated change too: the links carry their validity
    return employee


def transfer_employee(actor, employee: Employee, new_unit: Unit, on: date) -> Skp | None:
    """Move an employee to another unit without a change of position; his SKP is revised (decree I.B.1).

    The position history changes from ``on``; the current SKP (if any) gets a new version in the
    new unit with the new assessor: a DRAFT to be approved by him. A draft or returned SKP is
    simply moved. Returns the SKP to work on, or None when he had none.
    """
    _require_hr_or_system(actor)
    if new_unit.id == employee.unit_id:
        raise PlanningError("Unit kerja baru sama dengan unit kerja sekarang.", "unit", code="SAME_UNIT")
    _save_position(actor, employee, unit=new_unit, jenjang=employee.jenjang, on=on, is_head=False)
    skp = open_skp_on(employee, on)
    if skp is None:
        return None
    resolved = relations.resolve(employee, on)
    assessor_id = resolved.assessor.id if resolved.assessor else None
    reason = f"Pindah ke {new_unit.name} mulai {on.isoformat()} tanpa perubahan jabatan."
    if skp.is_editable:
        before = snapshot(skp, ("unit_id", "assessor_id"))
        skp.unit_id, skp.assessor_id = new_unit.id, assessor_id
        _skp_record(actor, "skp.transfer", skp, before, snapshot(skp, ("unit_id", "assessor_id")), reason=reason)
        return skp
    if skp.status == "SUBMITTED":
        skp.status, skp.unit_id, skp.assessor_id = "DRAFT", new_unit.id, assessor_id
        _skp_record(actor, "skp.transfer", skp, {"status": "SUBMITTED"},
                    {"status": "DRAFT", "unit_id": new_unit.id, "assessor_id": assessor_id}, reason=reason)
        return skp
    existing = open_revision(skp)
    if existing is not None:
        existing.unit_id, existing.assessor_id = new_unit.id, assessor_id
        if existing.status == "SUBMITTED":
            existing.status = "DRAFT"
        _skp_record(actor, "skp.transfer", existing, None,
                    {"unit_id": new_unit.id, "assessor_id": assessor_id}, reason=reason)
        return existing
    new = _next_version(skp, dialog=None, unit_id=new_unit.id, assessor_id=assessor_id)
    _skp_record(actor, "skp.transfer", new, {"skp_id": skp.id, "unit_id": skp.unit_id},
                {"skp_id": new.id, "version": new.version, "unit_id": new_unit.id, "assessor_id": assessor_id},
                reason=reason)
    return new


def change_position(actor, employee: Employee, new_unit: Unit, new_jenjang: str, on: date, *,
                    is_head: bool = False, jf_name: str | None = None) -> Skp:
    """Record a change of position: the old SKP closes on ``on - 1`` (assessed in the old unit) and a new
    DRAFT SKP starts on ``on`` for the new position (decree I.B.2)."""
    _require_hr_or_system(actor)
    from kinerja.org.models import JENJANG

    if new_jenjang not in JENJANG:
        raise PlanningError(f"Jenjang {new_jenjang!r} tidak dikenal.", "jenjang", code="UNKNOWN_VALUE")
    change = skp_rules.mid_year_change(employee.unit_id, new_unit.id,
                                       (employee.jenjang, employee.jf_name or None, bool(employee.is_head)),
                                       (new_jenjang, jf_name or None, bool(is_head)))
    if change != MidYearChange.CLOSE_AND_NEW:
        raise PlanningError("Jabatan tidak berubah; perpindahan unit tanpa perubahan jabatan dicatat sebagai "
                            "mutasi (SKP direvisi).", "jenjang", code="SAME_POSITION")
    old = open_skp_on(employee, on)
    if old is not None and old.period_start >= on:
        raise PlanningError("Tanggal perubahan jabatan harus sesudah awal periode SKP lama.", "on",
                            code="INVALID_DATE")
    _save_position(actor, employee, unit=new_unit, jenjang=new_jenjang, on=on, is_head=is_head, jf_name=jf_name)
    closed_end = on - timedelta(days=1)
    if old is not None:
        before = snapshot(old, ("status", "period_end", "closed_on"))
        old.period_end, old.closed_on = closed_end, closed_end
        old.effective_fraction = _fraction(employee, old.period_start, closed_end)
        old.status = "CLOSED"
        revision = open_revision(old)
        if revision is not None:
            revision.status, revision.period_end, revision.closed_on = "CLOSED", closed_end, closed_end
        _skp_record(actor, "skp.close", old, before, snapshot(old, ("status", "period_end", "closed_on")),
                    reason=f"Perubahan jabatan mulai {on.isoformat()}.")
    year = on.year
    start, end = _skp_range(employee, year, on, date(year, 12, 31))
    position, _ = _position_on(employee, start, end)
    new = _new_skp(employee, year, start, end, position)
    _skp_record(actor, "skp.create", new, None, {**snapshot(new, SKP_FIELDS), "after_position_change": True})
    return new


def start_study_leave(actor, employee: Employee, kind: str, start: date, end: date | None = None,
                      dialog: DialogKinerja | None = None) -> tuple[StudyLeave, Skp | None]:
    """Record a tugas belajar and shape the SKP of its year per the rule (decree I.C).

    ``ADD_TO_EXISTING``: the current SKP stays; the assessor adds the study expectations to it (a
    revision is opened when it was approved). ``ONLY_STUDY_EXPECTATIONS``: the SKP of the year holds
    only the study expectations (position RHK are dropped from a draft; an approved one is replaced
    by a revision without them). Returns the leave and the SKP to work on (None when none exists yet
    and the rule keeps the existing one).
    """
    _require_hr_or_system(actor)
    plan = skp_rules.study_leave_plan(kind, start, start.year)
    if end is not None and end < start:
        raise PlanningError("Tanggal selesai tugas belajar sebelum tanggal mulai.", "end", code="INVALID_PERIOD")
    leave = StudyLeave(employee_id=employee.id, kind=kind, start=start, end=end)
    db.session.add(leave)
    db.session.flush()
    record(actor, "study_leave.create", "employee", employee.nip, None,
           {"kind": kind, "start": start, "end": end, "plan": str(plan)})
    skp = open_skp_on(employee, start)
    if plan == StudyLeavePlan.ONLY_STUDY_EXPECTATIONS:
        if skp is None:
            position, _ = _position_on(employee, start, date(start.year, 12, 31))
            skp = _new_skp(employee, start.year, start, date(start.year, 12, 31), position)
            skp.study_leave_id = leave.id
            _skp_record(actor, "skp.create", skp, None, {**snapshot(skp, SKP_FIELDS), "study_leave": kind})
            return leave, skp
        return leave, _attach_study(actor, skp, leave, keep_rhk=False, dialog=dialog)
    if skp is None:
        return leave, None
    return leave, _attach_study(actor, skp, leave, keep_rhk=True, dialog=dialog)


def _attach_study(actor, skp: Skp, leave: StudyLeave, *, keep_rhk: bool, dialog) -> Skp:
    """Link a study leave to an SKP, opening a revision when the SKP is approved."""
    if skp.status == "SUBMITTED":
        skp.status = "DRAFT"  # back to the employee: its contents are about to change
    if skp.is_editable:
        before = {"study_leave_id": skp.study_leave_id, "rhk": len(skp.rhk)}
        skp.study_leave_id = leave.id
        if not keep_rhk:
            skp.rhk.clear()
            db.session.flush()
        _skp_record(actor, "skp.study_leave", skp, before, {"study_leave_id": leave.id, "rhk": len(skp.rhk)})
        return skp
    existing = open_revision(skp)
    if existing is not None:
        return _attach_study(actor, existing, leave, keep_rhk=keep_rhk, dialog=dialog)
    new = _next_version(skp, dialog=dialog, with_rhk=keep_rhk)
    new.study_leave_id = leave.id
    _skp_record(actor, "skp.study_leave", new, {"skp_id": skp.id},
                {"skp_id": new.id, "version": new.version, "study_leave_id": leave.id, "rhk": len(new.rhk)})
    return new


def add_leave(actor, employee: Employee, kind: str, start: date, end: date) -> Leave:
    """Record a cuti and recompute the effective working fraction of the SKP it falls in.

    A cuti of a year or more closes nothing by itself; the next ``create_skp`` is refused until he
    is back (decree III, cuti).
    """
    _require_hr_or_system(actor)
    kind = _text(kind, "kind", "Jenis cuti", 40)
    if not isinstance(start, date) or not isinstance(end, date) or end < start:
        raise PlanningError("Tanggal cuti tidak valid (selesai sebelum mulai).", "end", code="INVALID_PERIOD")
    leave = Leave(employee_id=employee.id, kind=kind, start=start, end=end)
    db.session.add(leave)
    db.session.flush()
    record(actor, "leave.create", "employee", employee.nip, None, {"kind": kind, "start": start, "end": end})
    for skp in db.session.scalars(select(Skp).where(
            Skp.employee_id == employee.id, Skp.status.in_(CURRENT_STATUSES),
            Skp.period_start <= end, Skp.period_end >= start)):
        before = skp.effective_fraction
        skp.effective_fraction = _fraction(employee, skp.period_start, skp.period_end)
        if before != skp.effective_fraction:
            _skp_record(actor, "skp.effective_fraction", skp, {"effective_fraction": before},
                        {"effective_fraction": skp.effective_fraction}, reason=f"Cuti {kind}")
    return leave


def scaled_target(iki: Iki, skp: Skp) -> float:
    """Return an IKI target as it applies after cuti (target × the SKP's effective fraction)."""
    return skp_rules.scale_target(iki.target, skp.effective_fraction, iki.aspek)

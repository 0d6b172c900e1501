"""Organisation and SKP realisation: monthly realisation per IKU (with evidence), per IKI of an approved
SKP, progress of rencana aksi and records of the Dialog Penilaian Kinerja Organisasi (DOMAIN.md §3.1, §4).

Each service checks who (``NotAllowed``, 403), the state (``WrongState`` 409, or ``NotAllowed`` 403 for
an SKP that is not approved, as the API contract says), then the fields (``PlanningRuleError``, 400),
writes an audit row and never commits (the caller commits once). ``actor`` is the acting ``Employee``,
or None for the CLI, jobs and the demo seed (which may do anything). ``now`` is an aware datetime
(default ``clock.now()``); "this month" is read in the unit's (or employee's) time zone.

Entries are upserts: a second entry for the same period changes the row and the audit row keeps the
value before and after. Realisation of an IKU is keyed by unit, year, IKU code and period, so it
survives a Perubahan PK. Choices: ``docs/realisasi.md``.
"""

from datetime import date, datetime

from sqlalchemy import select

from kinerja import clock
from kinerja.audit.services import record, snapshot
from kinerja.execution.models import DialogOrganisasi, IkiRealisasi, IkuRealisasi
from kinerja.extensions import db
from kinerja.org import relations
from kinerja.org.models import Employee, Unit
from kinerja.planning.models import Iki, PerjanjianKinerja, RencanaAksi, RencanaHasilKerja, Skp
from kinerja.planning.pk import is_planner
from kinerja.rules.capaian import non_negative, parse_period
from kinerja.rules.planning import NotAllowed, PlanningRuleError, WrongState, as_number
from kinerja.rules.week import local_date

IKU_REALISASI_FIELDS = ("unit_id", "year", "iku_code", "period", "value", "note", "pk_id", "evidence_url",
                        "stored_name", "original_name", "content_type", "entered_by_id")
IKI_REALISASI_FIELDS = ("skp_id", "iki_id", "period", "value", "note", "entered_by_id")
DIALOG_FIELDS = ("unit_id", "year", "held_on", "period", "participants", "summary", "follow_up", "recorded_by_id")
MAX_TEXT = 4000
MAX_URL = 2000


# --- who ---------------------------------------------------------------------------------------

def heads_unit(actor: Employee | None, unit: Unit) -> bool:
    """Tell whether ``actor`` heads the unit today, definitively or as PLT/PLH."""
    return actor is not None and relations.heads_unit(actor, unit.id)  # the PK pages' own rule


def can_record_realisasi(actor: Employee | None) -> bool:
    """Tell whether ``actor`` may enter the realisation of an IKU: a planner (or the system)."""
    return actor is None or is_planner(actor)


def can_manage_unit_monev(actor: Employee | None, unit: Unit) -> bool:
    """Tell whether ``actor`` may update rencana aksi progress and record dialogs of a unit: planner or head."""
    return actor is None or is_planner(actor) or heads_unit(actor, unit)


def can_record_iki_realisasi(actor: Employee | None, skp: Skp) -> bool:
    """Tell whether ``actor`` may enter the realisation of an SKP: the employee himself (or the system)."""
    return actor is None or actor.id == skp.employee_id


# --- input values ------------------------------------------------------------------------------

def _value(value) -> float:
    return non_negative(value, "value", "Nilai realisasi")


def _optional_text(value, field: str, label: str, max_length: int = MAX_TEXT) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise PlanningRuleError(f"{label} harus berupa teks.", field, code="INVALID")
    text = value.strip()
    if len(text) > max_length:
        raise PlanningRuleError(f"{label} terlalu panjang (paling banyak {max_length} karakter).", field,
                                code="TOO_LONG")
    return text or None


def _text(value, field: str, label: str) -> str:
    text = _optional_text(value, field, label)
    if text is None:
        raise PlanningRuleError(f"{label} wajib diisi.", field, code="REQUIRED")
    return text


def _period(value, year: int, today: date, *, start: date | None = None, end: date | None = None) -> str:
    """Check a period ``YYYY-MM`` or ``YYYY`` of ``year`` that has begun by ``today`` (and lies in start..end)."""
    parsed = parse_period(value)
    if parsed is None:
        raise PlanningRuleError("Periode ditulis TTTT-BB (bulanan) atau TTTT (tahunan).", "period", code="INVALID")
    period_year, month = parsed
    if period_year != year:
        raise PlanningRuleError(f"Periode {value} bukan tahun {year}.", "period", code="PERIOD_OTHER_YEAR")
    first = date(year, month or 1, 1)
    if first > today:
        raise PlanningRuleError(f"Periode {value} belum berjalan; realisasi dicatat mulai bulannya.", "period",
                                code="PERIOD_FUTURE")
    if month is not None and start is not None and end is not None:
        last = date(year + (month == 12), month % 12 + 1, 1)
        if not (first <= end and last > start):
            raise PlanningRuleError(f"Periode {value} di luar masa SKP ({start:%d-%m-%Y} s.d. {end:%d-%m-%Y}).",
                                    "period", code="PERIOD_OUTSIDE_SKP")
    return value


def _evidence_url(value) -> str | None:
    url = _optional_text(value, "evidence_url", "Tautan bukti dukung", MAX_URL)
    if url is None:
        return None
    from kinerja.execution.evidence import check_web_url

    return check_web_url(url, "evidence_url", "Tautan bukti dukung harus alamat http:// atau https:// yang lengkap; "
                                              "alamat lain (javascript:, data:, file:, ftp: …) tidak diterima.")


# --- realisation of an IKU ---------------------------------------------------------------------

def find_iku_realisasi(unit_id: int, year: int, iku_code: str, period: str) -> IkuRealisasi | None:
    """Return the realisation of one IKU code of a unit's year for a period, if entered."""
    return db.session.scalar(select(IkuRealisasi).where(
        IkuRealisasi.unit_id == unit_id, IkuRealisasi.year == year, IkuRealisasi.iku_code == iku_code,
        IkuRealisasi.period == period))


def record_iku_realisasi(actor: Employee | None, pk: PerjanjianKinerja, iku_code: str, period: str, value,
                         note: str | None = None, evidence_url: str | None = None, upload=None,
                         now: datetime | None = None) -> IkuRealisasi:
    """Enter (or correct) the realisation of an IKU of a signed PK for a month or the year, with evidence.

    Evidence is a link (``evidence_url``) or a file (``upload``, stored by
    ``kinerja.execution.evidence.store_upload``), not both; without new evidence a correction keeps the
    evidence already given.

    :raise NotAllowed: the actor is not a planner.
    :raise WrongState: the PK is not the signed version in force.
    :raise PlanningRuleError: unknown IKU code, bad period (format, other year, not begun), value, note,
        link, or a file the evidence store refuses.
    """
    if not can_record_realisasi(actor):
        raise NotAllowed("Hanya Pengelola Kinerja yang dapat mencatat realisasi IKU.", code="NOT_PLANNER")
    if pk.status != "SIGNED":
        message = ("Versi Perjanjian Kinerja ini sudah digantikan; catat realisasi pada versi yang berlaku."
                   if pk.status == "SUPERSEDED" else
                   "Realisasi dicatat setelah Perjanjian Kinerja ditandatangani kedua pihak.")
        raise WrongState(message, code="PK_NOT_SIGNED")
    now = now or clock.now()
    code = iku_code.strip() if isinstance(iku_code, str) else iku_code
    if code not in {iku.code for iku in pk.iku}:
        raise PlanningRuleError(f"IKU {iku_code!r} tidak ada pada Perjanjian Kinerja ini.", "iku_code",
                                code="UNKNOWN_IKU")
    period = _period(period, pk.year, local_date(now, clock.zone_of_unit(pk.unit)))
    number = _value(value)
    note = _optional_text(note, "note", "Catatan")
    url = _evidence_url(evidence_url)
    if url is not None and upload is not None:
        raise PlanningRuleError("Pilih salah satu bukti dukung: tautan atau berkas.", "evidence_url",
                                code="TWO_EVIDENCE")
    stored = None
    if upload is not None:  # last: nothing is stored when the rest is refused
        from kinerja.execution.evidence import store_upload

        try:
            stored = store_upload(upload)
        except PlanningRuleError as error:  # its field is "file": name the form's
            raise PlanningRuleError(error.message, "evidence_file", code=error.code) from error

    row = find_iku_realisasi(pk.unit_id, pk.year, code, period)
    before = snapshot(row, IKU_REALISASI_FIELDS) if row is not None else None
    if row is None:
        row = IkuRealisasi(unit_id=pk.unit_id, year=pk.year, iku_code=code, period=period, created_at=clock.stamp(now))
        db.session.add(row)
    row.pk_id = pk.id
    if url is not None:
        row.evidence_url, row.stored_name, row.original_name, row.content_type = url, None, None, None
    elif stored is not None:
        row.evidence_url = None
        row.stored_name, row.original_name, row.content_type = (stored.stored_name, stored.original_name,
                                                                stored.content_type)
    return _save(actor, row, before, number, note, now, IKU_REALISASI_FIELDS, "iku")


def _save(actor, row, before: dict | None, value: float, note: str | None, now: datetime, fields: tuple[str, ...],
          kind: str):
    """Set a realisation row's value, note and author, flush, and audit the change (create or update)."""
    row.value = value
    row.note = note
    row.entered_by_id = actor.id if actor is not None else None
    row.updated_at = clock.stamp(now)
    db.session.flush()
    after = snapshot(row, fields)
    if before != after:
        record(actor, f"realisasi.{kind}.{'update' if before else 'create'}", f"{kind}_realisasi", row.id,
               before, after)
    return row


# --- realisation of an IKI ---------------------------------------------------------------------

def record_iki_realisasi(actor: Employee | None, skp: Skp, iki_id, period: str, value, note: str | None = None,
                         now: datetime | None = None) -> IkiRealisasi:
    """Enter (or correct) the employee's realisation of an IKI of his approved SKP for a month or the year.

    :raise NotAllowed: the actor is not the employee, or the SKP is not approved.
    :raise PlanningRuleError: the IKI is not in this SKP; bad period (format, other year, not begun,
        outside the SKP's period), value or note.
    """
    if not can_record_iki_realisasi(actor, skp):
        raise NotAllowed("Hanya pegawai yang bersangkutan yang dapat mencatat realisasi SKP-nya.", code="NOT_OWNER")
    if skp.status != "APPROVED":
        raise NotAllowed("Realisasi hanya dapat dicatat pada SKP yang sudah disetujui.", code="SKP_NOT_APPROVED")
    now = now or clock.now()
    iki = None
    if isinstance(iki_id, int) and not isinstance(iki_id, bool):
        iki = db.session.scalar(select(Iki).join(RencanaHasilKerja, RencanaHasilKerja.id == Iki.rhk_id)
                                .where(Iki.id == iki_id, RencanaHasilKerja.skp_id == skp.id))
    if iki is None:
        raise PlanningRuleError("IKI tidak ada pada SKP ini.", "iki_id", code="UNKNOWN_IKI")
    employee = db.session.get(Employee, skp.employee_id)
    period = _period(period, skp.year, local_date(now, clock.zone_of_unit(employee.unit if employee else skp.unit)),
                     start=skp.period_start, end=skp.period_end)
    number = _value(value)
    note = _optional_text(note, "note", "Catatan")

    row = db.session.scalar(select(IkiRealisasi).where(IkiRealisasi.iki_id == iki.id,
                                                       IkiRealisasi.period == period))
    before = snapshot(row, IKI_REALISASI_FIELDS) if row is not None else None
    if row is None:
        row = IkiRealisasi(skp_id=skp.id, iki_id=iki.id, period=period, created_at=clock.stamp(now))
        db.session.add(row)
    return _save(actor, row, before, number, note, now, IKI_REALISASI_FIELDS, "iki")


# --- rencana aksi and dialog -------------------------------------------------------------------

def update_rencana_aksi_progress(actor: Employee | None, rencana_aksi: RencanaAksi, percent,
                                 now: datetime | None = None) -> RencanaAksi:
    """Set the progress (0–100 %) of a rencana aksi of a signed PK; audited on the PK.

    :raise NotAllowed: the actor is neither a planner nor the head of the PK's unit.
    :raise WrongState: the PK is not signed (a draft plans, it is not monitored).
    :raise PlanningRuleError: not a whole number from 0 to 100.
    """
    pk = rencana_aksi.iku.pk
    if not can_manage_unit_monev(actor, pk.unit):
        raise NotAllowed("Hanya Pengelola Kinerja atau kepala unit yang dapat memperbarui progres rencana aksi.",
                         code="NOT_ALLOWED")
    if pk.status != "SIGNED":
        raise WrongState("Progres rencana aksi dicatat pada Perjanjian Kinerja yang berlaku (sudah "
                         "ditandatangani).", code="PK_NOT_SIGNED")
    number = as_number(percent)
    if number is None or number != int(number) or not 0 <= number <= 100:
        raise PlanningRuleError("Progres berupa bilangan bulat 0 sampai 100.", "progress", code="INVALID")
    before = rencana_aksi.progress
    if before == int(number):
        return rencana_aksi
    rencana_aksi.progress = int(number)
    db.session.flush()
    record(actor, "pk.action.progress", "pk", pk.id, {"action_id": rencana_aksi.id, "progress": before},
           {"action_id": rencana_aksi.id, "progress": rencana_aksi.progress})
    return rencana_aksi


def record_dialog_organisasi(actor: Employee | None, unit: Unit, *, year: int, held_on: date, period: str,
                             participants: str, summary: str, follow_up: str | None = None,
                             now: datetime | None = None) -> DialogOrganisasi:
    """Record a Dialog Penilaian Kinerja Organisasi forum of a unit: when, which period, who, what, follow-up.

    :raise NotAllowed: the actor is neither a planner nor the head of the unit.
    :raise PlanningRuleError: bad year, a date in the future or outside the year's reach, a bad period,
        missing participants or summary.
    """
    if not can_manage_unit_monev(actor, unit):
        raise NotAllowed("Hanya Pengelola Kinerja atau kepala unit yang dapat mencatat Dialog Penilaian Kinerja "
                         "Organisasi.", code="NOT_ALLOWED")
    now = now or clock.now()
    today = local_date(now, clock.zone_of_unit(unit))
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        raise PlanningRuleError("Tahun tidak valid.", "year", code="INVALID")
    if not isinstance(held_on, date):
        raise PlanningRuleError("Tanggal dialog wajib diisi.", "held_on", code="REQUIRED")
    if held_on > today:
        raise PlanningRuleError("Tanggal dialog tidak boleh di masa depan.", "held_on", code="FUTURE")
    if held_on.year < year:
        raise PlanningRuleError(f"Dialog kinerja tahun {year} tidak mungkin diadakan sebelum tahun itu.", "held_on",
                                code="TOO_EARLY")
    period = _period(period, year, today)
    dialog = DialogOrganisasi(
        unit_id=unit.id, year=year, held_on=held_on, period=period,
        participants=_text(participants, "participants", "Peserta"),
        summary=_text(summary, "summary", "Ringkasan pembahasan"),
        follow_up=_optional_text(follow_up, "follow_up", "Tindak lanjut"),
        recorded_by_id=actor.id if actor is not None else None, created_at=clock.stamp(now))
    db.session.add(dialog)
    db.session.flush()
    record(actor, "dialog_organisasi.create", "dialog_organisasi", dialog.id, None, snapshot(dialog, DIALOG_FIELDS))
    return dialog

"""State changes of organisation planning: the Perjanjian Kinerja (PK) of a unit head, its Sasaran
Strategis, IKU, trajectory, anggaran, penugasan tambahan and rencana aksi, signing, and Perubahan PK
(DOMAIN.md §3.1, decree I.A).

Every function takes the acting ``Employee`` (``None`` for the CLI, jobs and the demo seed, which may
do anything), checks who may act, validates everything *before* writing, changes rows, writes an
audit row (object_type ``"pk"``, object_id the PK's id) and returns the object. None commits: the view
or API commits once, so a refused call leaves nothing half-saved. Refusals raise ``PlanningError``
(bad input, 400/422), ``NotAllowed`` (403) or ``WrongState`` (409) with a Bahasa Indonesia message.

Who may do what (see ``docs/pk.md``):

- edit a draft: the unit head (or his PLT/PLH), the superior (pihak kedua, or his PLT/PLH), or a
  ``PENGELOLA_KINERJA`` (``ADMIN`` holds every role);
- sign: the head as pihak pertama, the superior as pihak kedua (each himself or his PLT/PLH);
- a signed or superseded PK is never edited: ``amend_pk`` copies it into a new draft version.
"""

from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select

from kinerja import clock
from kinerja.audit.services import record, snapshot
from kinerja.auth.access import PLANNING_ROLES, employee_has_role
from kinerja.extensions import db
from kinerja.org import relations
from kinerja.org.models import Employee, Unit
from kinerja.planning.errors import NotAllowed, PlanningError, WrongState
from kinerja.planning.models import (
    ACTION_KIND,
    AGGREGATION,
    AMENDMENT_REASONS,
    CONSOLIDATION,
    POLARITY,
    TARGET_KIND,
    Anggaran,
    Iku,
    PenugasanTambahan,
    PerjanjianKinerja,
    RencanaAksi,
    SasaranStrategis,
    TargetPeriodik,
)
from kinerja.rules.planning import Problem, as_number, check_weights, raise_for
from kinerja.rules.trajectory import check_trajectory, expected_periods

PK_FIELDS = ("unit_id", "year", "version", "status", "head_id", "superior_id", "signed_by_head_at",
             "signed_by_superior_at", "signed_on_paper", "previous_id", "amendment_reason", "amendment_note",
             "amendment_approved_by_id")
INPUT_FIELDS = ("input_renstra", "input_renja", "input_tugas_fungsi", "input_ekspektasi_pimpinan",
                "input_hasil_evaluasi", "input_tugas_mandatory")
IKU_FIELDS = ("code", "name", "polarity", "weight", "unit_of_measure", "target", "consolidation", "aggregation",
              "target_kind", "parent_iku_id")
ANGGARAN_FIELDS = ("program", "kegiatan", "amount", "dipa_ref")
ACTION_FIELDS = ("kind", "description", "period", "progress")
MAX_TEXT = 4000


# --- who ---------------------------------------------------------------------------------------

def is_planner(actor: Employee | None) -> bool:
    """Tell whether an employee holds PENGELOLA_KINERJA (or ADMIN)."""
    return employee_has_role(actor, *PLANNING_ROLES)


def unit_head(unit: Unit, on: date | None = None) -> Employee | None:
    """Return who holds the head post of a unit on a date: the definitive head, else a PLT, else a PLH."""
    return relations.unit_head(unit.id, on)


def resolve_superior(unit: Unit, on: date | None = None) -> Employee | None:
    """Return the pihak kedua of a unit's PK: the head of the nearest unit above that has one.

    Kepala BKKBN (the root) has no superior inside the system: ``None``.
    """
    ids = unit.ancestor_ids()[:-1]
    if not ids:
        return None
    units = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(ids)))}
    for unit_id in reversed(ids):
        if unit_id in units:
            head = unit_head(units[unit_id], on)
            if head is not None:
                return head
    return None


def is_head_party(actor: Employee | None, pk: PerjanjianKinerja) -> bool:
    """Tell whether ``actor`` is (or acts for) the pihak pertama of a PK."""
    if actor is None:
        return False
    if pk.head_id is not None and pk.head_id in relations.stands_for(actor):
        return True
    return pk.head_id is None and relations.heads_unit(actor, pk.unit_id)


def is_superior_party(actor: Employee | None, pk: PerjanjianKinerja) -> bool:
    """Tell whether ``actor`` is (or acts for) the pihak kedua of a PK."""
    return actor is not None and pk.superior_id is not None and pk.superior_id in relations.stands_for(actor)


def can_edit_pk(actor: Employee | None, pk: PerjanjianKinerja) -> bool:
    """Tell whether ``actor`` may change a PK (its state aside): head, superior, planner, or the CLI."""
    if actor is None or is_planner(actor):
        return True
    return (is_head_party(actor, pk) or is_superior_party(actor, pk)
            or relations.heads_unit(actor, pk.unit_id))


def can_create_pk(actor: Employee | None, unit: Unit) -> bool:
    """Tell whether ``actor`` may start a unit's PK: its head (or PLT/PLH), the head above, or a planner."""
    if actor is None or is_planner(actor) or relations.heads_unit(actor, unit.id):
        return True
    superior = resolve_superior(unit)
    return superior is not None and superior.id in relations.stands_for(actor)


def _require_edit(actor, pk: PerjanjianKinerja) -> None:
    """Refuse a change to a PK that is not a draft, or by someone who may not edit it."""
    if not can_edit_pk(actor, pk):
        raise NotAllowed("Hanya kepala unit (atau PLT/PLH-nya), atasannya, atau Pengelola Kinerja yang dapat "
                         "mengubah Perjanjian Kinerja ini.", code="PK_NOT_ALLOWED")
    if pk.status == "SIGNED":
        raise WrongState("Perjanjian Kinerja yang sudah ditandatangani tidak dapat diubah; ajukan Perubahan PK.",
                         code="PK_SIGNED")
    if pk.status == "SUPERSEDED":
        raise WrongState("Versi Perjanjian Kinerja ini sudah digantikan versi baru; tidak dapat diubah.",
                         code="PK_SUPERSEDED")


def _touch(actor, pk: PerjanjianKinerja, action: str, before=None, after=None, reason=None) -> None:
    """Write the audit row of a change to a draft and drop signatures given to its earlier content."""
    if pk.signed_by_head_at is not None or pk.signed_by_superior_at is not None:
        pk.signed_by_head_at = pk.signed_by_superior_at = None
        reason = ((reason + "; ") if reason else "") + "tanda tangan sebelumnya dibatalkan karena isi berubah"
    record(actor, action, "pk", pk.id, before, after, reason)


# --- input values ------------------------------------------------------------------------------

def _text(value, field: str, label: str, max_length: int = MAX_TEXT) -> str:
    text = value.strip() if isinstance(value, str) else ("" if value is None else None)
    if text is None:
        raise PlanningError(f"{label} harus berupa teks.", field, code="INVALID")
    if not text:
        raise PlanningError(f"{label} wajib diisi.", field, code="REQUIRED")
    if len(text) > max_length:
        raise PlanningError(f"{label} terlalu panjang (paling banyak {max_length} karakter).", field,
                            code="TOO_LONG")
    return text


def _optional_text(value, max_length: int = MAX_TEXT) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text[:max_length] or None


def _choice(value, allowed, field: str, label: str) -> str:
    if value not in allowed:
        raise PlanningError(f"{label} {value!r} tidak dikenal; pilih salah satu dari: {', '.join(allowed)}.",
                            field, code="UNKNOWN_VALUE")
    return value


def _number(value, field: str, label: str) -> float:
    number = as_number(value)
    if number is None:
        raise PlanningError(f"{label} harus berupa angka.", field, code="INVALID")
    return number


# --- the PK ------------------------------------------------------------------------------------

def _pk_versions_stmt(unit_id: int, year: int):
    return select(PerjanjianKinerja).where(PerjanjianKinerja.unit_id == unit_id, PerjanjianKinerja.year == year)


def create_pk(actor, unit: Unit, year: int, *, head: Employee | None = None,
              superior: Employee | None = None) -> PerjanjianKinerja:
    """Start the draft PK (version 1) of a unit for a year, with its head and his superior resolved.

    :raise WrongState: a PK of this unit and year exists already (change it, or amend it).
    """
    if not can_create_pk(actor, unit):
        raise NotAllowed("Hanya kepala unit (atau PLT/PLH-nya), atasannya, atau Pengelola Kinerja yang dapat "
                         "menyusun Perjanjian Kinerja unit ini.", code="PK_NOT_ALLOWED")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise PlanningError("Tahun tidak valid.", "year", code="INVALID")
    if db.session.scalar(_pk_versions_stmt(unit.id, year).limit(1)) is not None:
        raise WrongState(f"Perjanjian Kinerja {unit.name} tahun {year} sudah ada; ubah drafnya atau ajukan "
                         "Perubahan PK.", "year", code="PK_EXISTS")
    on = date(year, 1, 1) if year > clock.today().year else None
    head = head or unit_head(unit, on)
    superior = superior or resolve_superior(unit, on)
    pk = PerjanjianKinerja(unit=unit, unit_id=unit.id, year=year, version=1, status="DRAFT",
                           head_id=head.id if head else None, superior_id=superior.id if superior else None,
                           created_at=clock.stamp())
    db.session.add(pk)
    db.session.flush()
    record(actor, "pk.create", "pk", pk.id, None, snapshot(pk, PK_FIELDS))
    return pk


def update_pk(actor, pk: PerjanjianKinerja, *, head: Employee | None = None, superior: Employee | None = None,
              **inputs) -> PerjanjianKinerja:
    """Change the officials and the drafting inputs (Renstra, Renja, tugas & fungsi, ...) of a draft PK.

    ``inputs`` are keyword arguments named as ``INPUT_FIELDS``; a missing one is left as it is.
    """
    _require_edit(actor, pk)
    unknown = set(inputs) - set(INPUT_FIELDS)
    if unknown:
        raise PlanningError(f"Isian tidak dikenal: {', '.join(sorted(unknown))}.", code="UNKNOWN_FIELD")
    if head is not None and superior is not None and head.id == superior.id:
        raise PlanningError("Pihak pertama dan pihak kedua tidak boleh orang yang sama.", "superior",
                            code="SAME_PARTY")
    fields = INPUT_FIELDS + ("head_id", "superior_id")
    before = snapshot(pk, fields)
    for name, value in inputs.items():
        setattr(pk, name, _optional_text(value))
    if head is not None:
        pk.head_id = head.id
    if superior is not None:
        pk.superior_id = superior.id
    after = snapshot(pk, fields)
    if before != after:
        _touch(actor, pk, "pk.update", before, after)
    return pk


# --- sasaran strategis -------------------------------------------------------------------------

def add_sasaran(actor, pk: PerjanjianKinerja, name: str) -> SasaranStrategis:
    """Add a Sasaran Strategis to a draft PK."""
    _require_edit(actor, pk)
    name = _text(name, "name", "Nama sasaran strategis")
    position = max((s.position for s in pk.sasaran), default=-1) + 1
    sasaran = SasaranStrategis(pk=pk, name=name, position=position)
    db.session.add(sasaran)
    db.session.flush()
    _touch(actor, pk, "pk.sasaran.add", None, {"sasaran_id": sasaran.id, "name": name})
    return sasaran


def update_sasaran(actor, sasaran: SasaranStrategis, name: str) -> SasaranStrategis:
    """Rename a Sasaran Strategis of a draft PK."""
    _require_edit(actor, sasaran.pk)
    name = _text(name, "name", "Nama sasaran strategis")
    if name != sasaran.name:
        before = {"sasaran_id": sasaran.id, "name": sasaran.name}
        sasaran.name = name
        _touch(actor, sasaran.pk, "pk.sasaran.update", before, {"sasaran_id": sasaran.id, "name": name})
    return sasaran


def delete_sasaran(actor, sasaran: SasaranStrategis) -> None:
    """Remove a Sasaran Strategis (and its IKU) from a draft PK."""
    pk = sasaran.pk
    _require_edit(actor, pk)
    before = {"sasaran_id": sasaran.id, "name": sasaran.name, "iku": [i.code for i in sasaran.iku]}
    pk.sasaran.remove(sasaran)
    db.session.flush()
    _touch(actor, pk, "pk.sasaran.delete", before, None)


# --- IKU ---------------------------------------------------------------------------------------

def parent_pk(pk: PerjanjianKinerja) -> PerjanjianKinerja | None:
    """Return the current PK of the unit above, the same year (the one this PK cascades from)."""
    from kinerja.planning.pk_queries import current_pk

    parent_unit = pk.unit.parent
    return current_pk(parent_unit, pk.year) if parent_unit is not None else None


def _check_parent_iku(pk: PerjanjianKinerja, parent_iku: Iku | None) -> None:
    """Refuse an IKU link that is not to an IKU of the current PK of the unit above, same year."""
    if parent_iku is None:
        return
    above = parent_pk(pk)
    if above is None or parent_iku.pk_id != above.id:
        raise PlanningError("IKU yang didukung harus IKU dari Perjanjian Kinerja unit di atasnya (tahun yang sama, "
                            "versi yang berlaku).", "parent_iku_id", code="PARENT_IKU_INVALID")


def _iku_values(pk: PerjanjianKinerja, *, code, name, polarity, weight, unit_of_measure, target, consolidation,
                aggregation, target_kind, parent_iku, exclude: Iku | None = None) -> dict:
    code = _text(code, "code", "Kode IKU", 40)
    if any(i.code == code and i is not exclude for i in pk.iku):
        raise PlanningError(f"Kode IKU {code} sudah dipakai di PK ini.", "code", code="DUPLICATE_CODE")
    values = {
        "code": code,
        "name": _text(name, "name", "Nama IKU"),
        "polarity": _choice(polarity, POLARITY, "polarity", "Polaritas"),
        "unit_of_measure": _text(unit_of_measure, "unit_of_measure", "Satuan", 60),
        "consolidation": _choice(consolidation, CONSOLIDATION, "consolidation", "Konsolidasi"),
        "aggregation": _choice(aggregation, AGGREGATION, "aggregation", "Agregasi"),
        "target_kind": _choice(target_kind, TARGET_KIND, "target_kind", "Jenis target"),
    }
    weight = _number(weight, "weight", "Bobot")
    if not 0 < weight <= 100:
        raise PlanningError("Bobot harus lebih dari 0 dan paling besar 100.", "weight", code="WEIGHT_RANGE")
    target = _number(target, "target", "Target tahunan")
    if target < 0:
        raise PlanningError("Target tahunan tidak boleh negatif.", "target", code="TARGET_NEGATIVE")
    _check_parent_iku(pk, parent_iku)
    values.update(weight=weight, target=target, parent_iku_id=parent_iku.id if parent_iku else None)
    return values


def add_iku(actor, sasaran: SasaranStrategis, *, code: str, name: str, polarity: str, weight, unit_of_measure: str,
            target, consolidation: str = "MONTHLY", aggregation: str = "KUMULATIF", target_kind: str = "OUTCOME",
            parent_iku: Iku | None = None) -> Iku:
    """Add an IKU to a Sasaran Strategis of a draft PK (its trajectory is set with ``set_trajectory``)."""
    pk = sasaran.pk
    _require_edit(actor, pk)
    values = _iku_values(pk, code=code, name=name, polarity=polarity, weight=weight,
                         unit_of_measure=unit_of_measure, target=target, consolidation=consolidation,
                         aggregation=aggregation, target_kind=target_kind, parent_iku=parent_iku)
    position = max((i.position for i in sasaran.iku), default=-1) + 1
    iku = Iku(pk_id=pk.id, sasaran=sasaran, position=position, **values)
    db.session.add(iku)
    db.session.flush()
    _touch(actor, pk, "pk.iku.add", None, {"iku_id": iku.id, **snapshot(iku, IKU_FIELDS)})
    return iku


def update_iku(actor, iku: Iku, *, code: str, name: str, polarity: str, weight, unit_of_measure: str, target,
               consolidation: str, aggregation: str, target_kind: str, parent_iku: Iku | None = None,
               sasaran: SasaranStrategis | None = None) -> Iku:
    """Change an IKU of a draft PK (or move it to another SS of the same PK); a change of consolidation
    drops the periods it no longer uses."""
    pk = iku.pk
    _require_edit(actor, pk)
    if sasaran is not None and sasaran.pk_id != pk.id:
        raise PlanningError("Sasaran strategis tidak ditemukan pada PK ini.", "sasaran_id", code="INVALID")
    values = _iku_values(pk, code=code, name=name, polarity=polarity, weight=weight,
                         unit_of_measure=unit_of_measure, target=target, consolidation=consolidation,
                         aggregation=aggregation, target_kind=target_kind, parent_iku=parent_iku, exclude=iku)
    before = {"iku_id": iku.id, "sasaran_id": iku.sasaran_id, **snapshot(iku, IKU_FIELDS),
              "trajectory": iku.trajectory_dict()}
    for name_, value in values.items():
        setattr(iku, name_, value)
    if sasaran is not None and sasaran.id != iku.sasaran_id:
        iku.sasaran = sasaran
    keep = set(expected_periods(pk.year, iku.consolidation))
    for point in [t for t in iku.trajectory if t.period not in keep]:
        iku.trajectory.remove(point)
    db.session.flush()
    after = {"iku_id": iku.id, "sasaran_id": iku.sasaran_id, **snapshot(iku, IKU_FIELDS),
             "trajectory": iku.trajectory_dict()}
    if before != after:
        _touch(actor, pk, "pk.iku.update", before, after)
    return iku


def delete_iku(actor, iku: Iku) -> None:
    """Remove an IKU (with its trajectory and actions) from a draft PK."""
    pk = iku.pk
    _require_edit(actor, pk)
    before = {"iku_id": iku.id, **snapshot(iku, IKU_FIELDS)}
    iku.sasaran.iku.remove(iku)
    db.session.flush()
    _touch(actor, pk, "pk.iku.delete", before, None)


def trajectory_problems(iku: Iku, values: Mapping[str, object]) -> list[Problem]:
    """Check a trajectory for an IKU against its consolidation, aggregation, polarity and target."""
    return check_trajectory(iku.pk.year, iku.consolidation, iku.aggregation, iku.polarity, iku.target, values)


def set_trajectory(actor, iku: Iku, values: Mapping[str, object]) -> Iku:
    """Replace the trajectory of an IKU; refused unless it is complete and reaches the yearly target.

    :raise PlanningError: carrying every problem ``check_trajectory`` found; nothing is written.
    """
    _require_edit(actor, iku.pk)
    raise_for(trajectory_problems(iku, values))
    before = iku.trajectory_dict()
    new = {period: float(value) for period, value in values.items()}
    if before == new:
        return iku
    existing = {t.period: t for t in iku.trajectory}
    for period, point in existing.items():
        if period not in new:
            iku.trajectory.remove(point)
    for period, value in new.items():
        if period in existing:
            existing[period].value = value
        else:
            iku.trajectory.append(TargetPeriodik(period=period, value=value))
    db.session.flush()
    _touch(actor, iku.pk, "pk.trajectory.set", {"iku_id": iku.id, "trajectory": before},
           {"iku_id": iku.id, "trajectory": new})
    return iku


# --- rencana aksi, inisiatif strategis, mitigasi risiko ---------------------------------------

def add_action(actor, iku: Iku, *, kind: str, description: str, period: str | None = None) -> RencanaAksi:
    """Record a rencana aksi, inisiatif strategis or mitigasi risiko of an IKU of a draft PK."""
    _require_edit(actor, iku.pk)
    kind = _choice(kind, ACTION_KIND, "kind", "Jenis")
    description = _text(description, "description", "Uraian")
    period = _optional_text(period)
    if period is not None and period not in expected_periods(iku.pk.year, "MONTHLY"):
        raise PlanningError(f"Periode harus bulan pada tahun {iku.pk.year} (TTTT-BB).", "period", code="INVALID")
    action = RencanaAksi(iku=iku, kind=kind, description=description, period=period)
    db.session.add(action)
    db.session.flush()
    _touch(actor, iku.pk, "pk.action.add", None, {"iku_id": iku.id, "action_id": action.id,
                                                    **snapshot(action, ACTION_FIELDS)})
    return action


def delete_action(actor, action: RencanaAksi) -> None:
    """Remove a rencana aksi / inisiatif strategis / mitigasi risiko from a draft PK."""
    iku = action.iku
    _require_edit(actor, iku.pk)
    before = {"iku_id": iku.id, "action_id": action.id, **snapshot(action, ACTION_FIELDS)}
    iku.actions.remove(action)
    db.session.flush()
    _touch(actor, iku.pk, "pk.action.delete", before, None)


# --- anggaran and penugasan tambahan ---------------------------------------------------------

def add_anggaran(actor, pk: PerjanjianKinerja, *, program: str, kegiatan: str, amount,
                 dipa_ref: str | None = None) -> Anggaran:
    """Add a budget line (program, kegiatan, amount, DIPA reference) to a draft PK."""
    _require_edit(actor, pk)
    program = _text(program, "program", "Program", 255)
    kegiatan = _text(kegiatan, "kegiatan", "Kegiatan", 255)
    try:
        money = Decimal(str(amount)) if not isinstance(amount, bool) and amount not in (None, "") else None
    except InvalidOperation:
        money = None
    if money is None or not money.is_finite():
        raise PlanningError("Jumlah anggaran harus berupa angka.", "amount", code="INVALID")
    if money < 0:
        raise PlanningError("Jumlah anggaran tidak boleh negatif.", "amount", code="INVALID")
    line = Anggaran(pk=pk, program=program, kegiatan=kegiatan, amount=money.quantize(Decimal("0.01")),
                    dipa_ref=_optional_text(dipa_ref, 80))
    db.session.add(line)
    db.session.flush()
    _touch(actor, pk, "pk.anggaran.add", None, {"anggaran_id": line.id, **_anggaran_snapshot(line)})
    return line


def _anggaran_snapshot(line: Anggaran) -> dict:
    return {**snapshot(line, ANGGARAN_FIELDS), "amount": str(line.amount)}


def delete_anggaran(actor, line: Anggaran) -> None:
    """Remove a budget line from a draft PK."""
    pk = line.pk
    _require_edit(actor, pk)
    before = {"anggaran_id": line.id, **_anggaran_snapshot(line)}
    pk.anggaran.remove(line)
    db.session.flush()
    _touch(actor, pk, "pk.anggaran.delete", before, None)


def add_penugasan(actor, pk: PerjanjianKinerja, description: str) -> PenugasanTambahan:
    """Add an additional assignment from the leadership to a draft PK."""
    _require_edit(actor, pk)
    item = PenugasanTambahan(pk=pk, description=_text(description, "description", "Uraian penugasan"))
    db.session.add(item)
    db.session.flush()
    _touch(actor, pk, "pk.penugasan.add", None, {"penugasan_id": item.id, "description": item.description})
    return item


def delete_penugasan(actor, item: PenugasanTambahan) -> None:
    """Remove an additional assignment from a draft PK."""
    pk = item.pk
    _require_edit(actor, pk)
    before = {"penugasan_id": item.id, "description": item.description}
    pk.penugasan.remove(item)
    db.session.flush()
    _touch(actor, pk, "pk.penugasan.delete", before, None)


# --- signing -----------------------------------------------------------------------------------

def signing_problems(pk: PerjanjianKinerja) -> list[Problem]:
    """List what keeps a PK from being signed: parties, SS with IKU, weights making 100, trajectories."""
    problems: list[Problem] = []
    if pk.head_id is None:
        problems.append(Problem("HEAD_MISSING", "Pihak pertama (kepala unit) belum ditetapkan.", "head"))
    if not pk.sasaran:
        problems.append(Problem("SASARAN_MISSING", "PK belum memiliki sasaran strategis.", "sasaran"))
    for sasaran in pk.sasaran:
        if not sasaran.iku:
            problems.append(Problem("IKU_MISSING", f"Sasaran strategis “{sasaran.name}” belum memiliki IKU.",
                                    f"sasaran[{sasaran.id}]"))
    ikus = pk.iku
    if ikus:
        problems += check_weights([i.weight for i in ikus])
    for iku in ikus:
        for problem in trajectory_problems(iku, iku.trajectory_dict()):
            problems.append(Problem(problem.code, f"IKU {iku.code}: {problem.message}",
                                    f"iku[{iku.code}].{problem.field or 'trajectory'}"))
    return problems


def sign_pk(actor, pk: PerjanjianKinerja, as_party: str | None = None) -> PerjanjianKinerja:
    """Sign a draft PK as pihak pertama (head) or pihak kedua (superior); both make it SIGNED.

    When it becomes SIGNED, the version it amends becomes SUPERSEDED. ``as_party`` (``"HEAD"`` /
    ``"SUPERIOR"``) chooses when the actor could sign as either.

    :raise WrongState: the PK is not a draft, or this party has signed already.
    :raise NotAllowed: the actor is neither party (nor acting for one).
    :raise PlanningError: the PK is not complete (every problem of ``signing_problems``).
    """
    if pk.status != "DRAFT":
        raise WrongState("Hanya draf Perjanjian Kinerja yang dapat ditandatangani.", code="PK_NOT_DRAFT")
    can_head = actor is not None and is_head_party(actor, pk) and pk.head_id is not None
    can_superior = is_superior_party(actor, pk)
    if as_party == "HEAD":
        can_superior = False
    elif as_party == "SUPERIOR":
        can_head = False
    if can_head and can_superior:  # one person on both sides: sign whichever side is missing
        can_head = pk.signed_by_head_at is None
        can_superior = not can_head
    if not can_head and not can_superior:
        raise NotAllowed("Hanya pihak pertama (kepala unit) dan pihak kedua (atasannya), atau PLT/PLH mereka, yang "
                         "dapat menandatangani Perjanjian Kinerja.", code="NOT_A_PARTY")
    if (can_head and pk.signed_by_head_at is not None) or (can_superior and pk.signed_by_superior_at is not None):
        raise WrongState("Anda sudah menandatangani Perjanjian Kinerja ini.", code="ALREADY_SIGNED")
    raise_for(signing_problems(pk))
    before = snapshot(pk, PK_FIELDS)
    now = clock.stamp()
    if can_head:
        pk.signed_by_head_at = now
    else:
        pk.signed_by_superior_at = now
    both = pk.signed_by_head_at is not None and (pk.superior_id is None or pk.signed_by_superior_at is not None)
    if both:
        _put_in_force(actor, pk)
    record(actor, "pk.sign", "pk", pk.id, before, snapshot(pk, PK_FIELDS),
           "pihak pertama" if can_head else "pihak kedua")
    return pk


def _put_in_force(actor, pk: PerjanjianKinerja) -> None:
    """Mark a PK SIGNED; the version it amends, if signed, becomes SUPERSEDED (audited)."""
    pk.status = "SIGNED"
    previous = pk.previous
    if previous is not None and previous.status == "SIGNED":
        previous_before = snapshot(previous, PK_FIELDS)
        previous.status = "SUPERSEDED"
        record(actor, "pk.supersede", "pk", previous.id, previous_before, snapshot(previous, PK_FIELDS),
               f"digantikan versi {pk.version}")


def record_signed_on_paper(actor, pk: PerjanjianKinerja, signed_on: date) -> PerjanjianKinerja:
    """Record a draft PK as an agreement both parties already signed on paper on ``signed_on``: it becomes SIGNED.

    For bulk loading (``POST /api/v1/pk`` with ``signed_on``): a Pengelola Kinerja (or the CLI) loads
    what was signed outside the system. The PK must be as complete as for signing on its page; both
    signatures are dated ``signed_on`` (00:00 UTC) and ``signed_on_paper`` keeps the date.

    :raise NotAllowed: the actor is not a Pengelola Kinerja.
    :raise WrongState: the PK is not a draft.
    :raise PlanningError: ``signed_on`` in the future (in the unit's time zone), or the PK is not complete
        (every problem of ``signing_problems``).
    """
    if actor is not None and not is_planner(actor):
        raise NotAllowed("Hanya Pengelola Kinerja yang dapat mencatat Perjanjian Kinerja yang ditandatangani di "
                         "atas kertas.", code="NOT_PLANNER")
    if pk.status != "DRAFT":
        raise WrongState("Hanya draf Perjanjian Kinerja yang dapat dicatat sebagai sudah ditandatangani.",
                         code="PK_NOT_DRAFT")
    if not isinstance(signed_on, date):
        raise PlanningError("Tanggal penandatanganan harus berupa tanggal TTTT-BB-HH.", "signed_on", code="INVALID")
    if signed_on > clock.today_in(clock.zone_of_unit(pk.unit)):
        raise PlanningError("Tanggal penandatanganan tidak boleh di masa depan.", "signed_on", code="DATE_IN_FUTURE")
    raise_for(signing_problems(pk))
    before = snapshot(pk, PK_FIELDS)
    signed_at = datetime.combine(signed_on, time())
    pk.signed_by_head_at = signed_at
    pk.signed_by_superior_at = signed_at if pk.superior_id is not None else None
    pk.signed_on_paper = signed_on
    _put_in_force(actor, pk)
    record(actor, "pk.sign_on_paper", "pk", pk.id, before, snapshot(pk, PK_FIELDS),
           f"ditandatangani di atas kertas {signed_on.isoformat()}")
    return pk


# --- Perubahan PK ------------------------------------------------------------------------------

def amend_pk(actor, pk: PerjanjianKinerja, reason: str, note: str, approved_by: Employee | None) -> PerjanjianKinerja:
    """Start a Perubahan PK: copy a signed PK whole into version + 1 (DRAFT, ``previous_id``).

    The signed version stays in force until the amendment is signed (``sign_pk`` then supersedes it).

    :raise WrongState: the PK is not the signed, newest version, or an amendment draft exists already.
    """
    if not can_edit_pk(actor, pk):
        raise NotAllowed("Hanya kepala unit (atau PLT/PLH-nya), atasannya, atau Pengelola Kinerja yang dapat "
                         "mengajukan Perubahan PK.", code="PK_NOT_ALLOWED")
    if pk.status != "SIGNED":
        raise WrongState("Perubahan PK hanya dapat dibuat dari Perjanjian Kinerja yang sudah ditandatangani.",
                         code="PK_NOT_SIGNED")
    newest = db.session.scalar(select(func.max(PerjanjianKinerja.version))
                               .where(PerjanjianKinerja.unit_id == pk.unit_id, PerjanjianKinerja.year == pk.year))
    if newest != pk.version:
        raise WrongState("Sudah ada Perubahan PK yang sedang disusun untuk unit dan tahun ini.",
                         code="AMENDMENT_EXISTS")
    reason = _choice(reason, AMENDMENT_REASONS, "reason", "Alasan perubahan")
    note = _text(note, "note", "Uraian perubahan")
    if approved_by is None:
        raise PlanningError("Pejabat yang menyetujui perubahan wajib diisi.", "approved_by", code="REQUIRED")
    new = PerjanjianKinerja(
        unit_id=pk.unit_id, year=pk.year, version=pk.version + 1, status="DRAFT", head_id=pk.head_id,
        superior_id=pk.superior_id, previous_id=pk.id, amendment_reason=reason, amendment_note=note,
        amendment_approved_by_id=approved_by.id, created_at=clock.stamp(),
        **{name: getattr(pk, name) for name in INPUT_FIELDS},
    )
    db.session.add(new)
    db.session.flush()
    _copy_contents(pk, new)
    db.session.flush()
    record(actor, "pk.amend", "pk", new.id, {"previous_id": pk.id, "version": pk.version},
           snapshot(new, PK_FIELDS), note)
    return new


def _copy_contents(old: PerjanjianKinerja, new: PerjanjianKinerja) -> None:
    """Copy SS, IKU (with trajectory and actions), anggaran and penugasan of one version into another.

    Links to the unit above follow its current version: an IKU that supported a now superseded
    version of the parent PK links to the IKU of the same code in the current one (or to none).
    """
    above = parent_pk(new)
    above_by_code = {i.code: i.id for i in above.iku} if above is not None else {}
    above_ids = set(above_by_code.values())
    old_parent_codes = {}
    stale = [i.parent_iku_id for i in old.iku if i.parent_iku_id is not None and i.parent_iku_id not in above_ids]
    if stale:
        old_parent_codes = dict(db.session.execute(select(Iku.id, Iku.code).where(Iku.id.in_(stale))).all())
    for sasaran in old.sasaran:
        copy = SasaranStrategis(pk=new, name=sasaran.name, position=sasaran.position)
        db.session.add(copy)
        for iku in sasaran.iku:
            parent_id = iku.parent_iku_id
            if parent_id is not None and parent_id not in above_ids:
                parent_id = above_by_code.get(old_parent_codes.get(parent_id))
            iku_copy = Iku(pk_id=new.id, position=iku.position, parent_iku_id=parent_id,
                           **{f: getattr(iku, f) for f in IKU_FIELDS if f != "parent_iku_id"})
            iku_copy.trajectory = [TargetPeriodik(period=t.period, value=t.value) for t in iku.trajectory]
            iku_copy.actions = [RencanaAksi(kind=a.kind, description=a.description, period=a.period,
                                            progress=a.progress) for a in iku.actions]
            copy.iku.append(iku_copy)
    for line in old.anggaran:
        db.session.add(Anggaran(pk=new, program=line.program, kegiatan=line.kegiatan, amount=line.amount,
                                dipa_ref=line.dipa_ref))
    for item in old.penugasan:
        db.session.add(PenugasanTambahan(pk=new, description=item.description))


# --- bulk content (API) -----------------------------------------------------------------------

def replace_contents(actor, pk: PerjanjianKinerja, sasaran: list[dict]) -> PerjanjianKinerja:
    """Replace every SS and IKU of a draft PK by validated plain data (the bulk API).

    ``sasaran`` is ``[{"name", "iku": [{"code", "name", "polarity", "weight", "target",
    "unit_of_measure", "consolidation", "aggregation", "target_kind", "parent_iku" (Iku | None),
    "trajectory" (dict | None)}]}]``, already checked by the caller; each IKU and trajectory is
    still checked by ``add_iku`` and ``set_trajectory``.
    """
    _require_edit(actor, pk)
    before = [{"name": s.name, "iku": [i.code for i in s.iku]} for s in pk.sasaran]
    pk.sasaran.clear()
    db.session.flush()
    for data in sasaran:
        ss = add_sasaran(actor, pk, data["name"])
        for item in data["iku"]:
            iku = add_iku(actor, ss, code=item["code"], name=item["name"], polarity=item["polarity"],
                          weight=item["weight"], unit_of_measure=item["unit_of_measure"], target=item["target"],
                          consolidation=item.get("consolidation") or "MONTHLY",
                          aggregation=item.get("aggregation") or "KUMULATIF",
                          target_kind=item.get("target_kind") or "OUTCOME", parent_iku=item.get("parent_iku"))
            if item.get("trajectory"):
                set_trajectory(actor, iku, item["trajectory"])
    if before:
        _touch(actor, pk, "pk.replace", {"sasaran": before}, {"sasaran": [
            {"name": s.name, "iku": [i.code for i in s.iku]} for s in pk.sasaran]})
    return pk

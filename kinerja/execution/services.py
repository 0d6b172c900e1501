"""Visum services: file, edit, delete, approve, return, approve many, HR week reopening.

Each service checks, in the order of ``kinerja.rules.visum``: who (403), the week lock (423),
the state (409), the February gate (400/403), then the fields (400); it writes an audit row
and never commits (the caller commits once). ``actor`` is the acting ``Employee``, or None for
the CLI and jobs (the system may file and edit, never approve). The employee's writes (file,
edit, delete, evidence) take no "now": the week lock, the gate and their timestamps use
``clock.now()``, in his unit's time zone (``docs/week-lock.md``); a back-dated import is the
separate, audited ``visum_import.import_past_visum``. The assessor's and HR's services still take
an optional aware ``now`` (default ``clock.now()``) for their timestamps; they are not bound by
the lock. Choices: ``docs/visum.md``.
"""

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import bindparam, func, select, true, union, update
from sqlalchemy.orm.attributes import set_committed_value

from kinerja import clock
from kinerja.audit.services import insert_record, record, snapshot
from kinerja.auth.access import employee_has_role
from kinerja.errors import CHANGED_ELSEWHERE
from kinerja.execution.models import Visum, WeekLock, WeekReopening
from kinerja.execution.notifications import notify_visum_returned
from kinerja.extensions import db
from kinerja.org import relations
from kinerja.org.models import AssessorLink, Employee
from kinerja.planning.models import Iki, RencanaHasilKerja, Skp
from kinerja.planning.skp_queries import approved_skp
from kinerja.rules import week as week_rules
from kinerja.rules.calendar import SYNC_DAY
from kinerja.rules.planning import NotAllowed, PlanningRuleError, WrongState, required_text
from kinerja.rules.visum import (
    VisumAction,
    VisumStatus,
    ensure_can_approve_visum,
    ensure_visum_deletable,
    ensure_visum_gate,
    visum_channel,
    visum_transition,
)

VISUM_FIELDS = ("employee_id", "day", "iki_id", "skp_id", "activity", "output_quantity", "output_unit", "output_text",
                "status",
                "channel", "return_reason", "approved_by_id", "approved_at")
MAX_ACTIVITY = 4000
MAX_UNIT = 60
MAX_TOKEN = 64
MAX_REASON = 500  # the audit row keeps the reason (String(500))
HR_ROLES = ("KEPEGAWAIAN",)

_UNSET = object()


# --- the week ----------------------------------------------------------------------------------

def _recorded_weeks(employee_id: int, mondays: set[date]) -> set[date]:
    """Return those of ``mondays`` whose week ``lock-week`` has recorded for the employee (one query).

    Recorded: his ``week_lock`` row of the week, or one of his visum of the week marked ``locked``
    (the job marks every visum of the zone, also of someone with no position that week).
    """
    first, last = min(mondays), max(mondays) + timedelta(days=6)
    days = db.session.scalars(union(
        select(WeekLock.week_start).where(WeekLock.employee_id == employee_id, WeekLock.week_start.in_(mondays)),
        select(Visum.day).where(Visum.employee_id == employee_id, Visum.locked == true(), Visum.day >= first,
                                Visum.day <= last)))
    return {week_rules.week_start(day) for day in days} & mondays


def _reopenings(employee_id: int, mondays: set[date]) -> dict[date, datetime]:
    """Return the latest HR reopening deadline (aware UTC) of each of the employee's weeks that has one."""
    rows = db.session.execute(
        select(WeekReopening.week_start, func.max(WeekReopening.until))
        .where(WeekReopening.employee_id == employee_id, WeekReopening.week_start.in_(mondays))
        .group_by(WeekReopening.week_start))
    return {monday: until.replace(tzinfo=UTC) for monday, until in rows}


@dataclass(frozen=True)
class WeekState:
    """What decides whether one employee's week is writable, besides the calendar."""

    recorded_closed: bool  # lock-week recorded it (it stays closed whatever the zone says since)
    reopened_until: datetime | None  # aware UTC: the latest HR reopening of the week, if any


def week_states(employee: Employee, mondays, now: datetime, tz: str) -> dict[date, WeekState]:
    """Gather for each Monday the lock record and the HR reopening of the employee's week: at most two queries."""
    mondays = set(mondays)
    if not mondays:
        return {}
    recorded = _recorded_weeks(employee.id, mondays)
    closed = {monday for monday in mondays if monday in recorded or week_rules.is_week_closed(monday, now, tz)}
    reopened = _reopenings(employee.id, closed) if closed else {}  # the common case (an open week): no query
    return {monday: WeekState(monday in recorded, reopened.get(monday)) for monday in mondays}


def writable_days(employee: Employee, days) -> dict[date, bool]:
    """Tell for each day whether the employee may create, edit or delete a visum dated so now.

    The one answer of every path (page, API, services, CLI, jobs), always at ``clock.now()``: a
    week is closed once the calendar closed it in his unit's zone *or* ``lock-week`` recorded it
    (whatever the zone says since), and a closed week is writable only while an HR reopening runs.
    """
    now, tz = clock.now(), clock.zone_of(employee)
    days = set(days)
    states = week_states(employee, {week_rules.week_start(day) for day in days}, now, tz)
    answers = {}
    for day in days:
        state = states[week_rules.week_start(day)]
        answers[day] = week_rules.is_visum_writable(day, now, tz, reopened_until=state.reopened_until,
                                                    recorded_closed=state.recorded_closed)
    return answers


def is_writable(employee: Employee, day: date) -> bool:
    """Tell whether the employee may create, edit or delete a visum dated ``day`` now (``writable_days``)."""
    return writable_days(employee, [day])[day]


def ensure_writable(employee: Employee, day: date) -> None:
    """Refuse a write, now, to a visum dated ``day`` whose week is closed or recorded locked and not reopened.

    :raise VisumLocked: ``WEEK_CLOSED`` (423).
    """
    now, tz = clock.now(), clock.zone_of(employee)
    state = week_states(employee, [week_rules.week_start(day)], now, tz)[week_rules.week_start(day)]
    week_rules.ensure_visum_writable(day, now, tz, reopened_until=state.reopened_until,
                                     recorded_closed=state.recorded_closed)


# --- checks ------------------------------------------------------------------------------------

def _require_owner(actor: Employee | None, employee_id: int) -> None:
    if actor is not None and actor.id != employee_id:
        raise NotAllowed("Hanya pegawai yang bersangkutan yang dapat mengisi, mengubah atau menghapus visumnya.",
                         code="NOT_OWNER")


def configured_sync_day() -> tuple[int, int]:
    """Return the (month, day) of the yearly SKP synchronisation: ``VISUM_SYNC_DAY``, else 6 February."""
    return tuple(current_app.config.get("VISUM_SYNC_DAY") or SYNC_DAY)


def _resolve_skp(employee: Employee, day: date, iki_id: int | None) -> tuple[Skp | None, bool | None]:
    """Return the approved SKP the visum hangs on and whether the given IKI belongs to it (None: no IKI)."""
    if iki_id is None:
        return approved_skp(employee, day.year, on=day) or approved_skp(employee, day.year), None
    iki_skp = db.session.scalar(
        select(Skp).join(RencanaHasilKerja, RencanaHasilKerja.skp_id == Skp.id)
        .join(Iki, Iki.rhk_id == RencanaHasilKerja.id)
        .where(Iki.id == iki_id, Skp.employee_id == employee.id, Skp.year == day.year, Skp.status == "APPROVED"))
    if iki_skp is not None:
        return iki_skp, True
    return approved_skp(employee, day.year, on=day) or approved_skp(employee, day.year), False


def _check_gate(employee: Employee, day: date, iki_id: int | None, now: datetime) -> Skp | None:
    today = week_rules.local_date(now, clock.zone_of(employee))
    skp, iki_in_skp = _resolve_skp(employee, day, iki_id)
    period = (skp.period_start, skp.period_end) if skp is not None and iki_in_skp else None
    ensure_visum_gate(day, today, has_approved_skp=skp is not None, iki_in_skp=iki_in_skp, skp_period=period,
                      sync_day=configured_sync_day())
    return skp


def _day(value) -> date:
    if isinstance(value, datetime) or not isinstance(value, date):
        raise PlanningRuleError("Tanggal visum tidak valid.", "date", code="INVALID_DATE")
    return value


def _iki_id(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise PlanningRuleError("IKI tidak valid.", "iki_id", code="INVALID_IKI")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise PlanningRuleError("IKI tidak valid.", "iki_id", code="INVALID_IKI") from None


def _activity(value) -> str:
    return required_text(value, "activity", "Uraian kegiatan", MAX_ACTIVITY, "Uraian kegiatan wajib diisi.",
                         "ACTIVITY_REQUIRED")


def _quantity(value) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise PlanningRuleError("Jumlah output harus berupa angka.", "output_quantity", code="INVALID_NUMBER")
    try:
        number = float(str(value).replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        raise PlanningRuleError("Jumlah output harus berupa angka.", "output_quantity", code="INVALID_NUMBER") from None
    if not math.isfinite(number) or number < 0:
        raise PlanningRuleError("Jumlah output harus angka nol atau lebih.", "output_quantity", code="INVALID_NUMBER")
    return number


def _unit(value) -> str | None:
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > MAX_UNIT:
        raise PlanningRuleError(f"Satuan output paling panjang {MAX_UNIT} karakter.", "output_unit", code="TOO_LONG")
    return text or None


def _output(quantity, unit, iki_id: int | None) -> tuple[float | None, str | None]:
    number, text = _quantity(quantity), _unit(unit)
    if number is not None and text is None and iki_id is not None:
        text = db.session.scalar(select(Iki.unit_of_measure).where(Iki.id == iki_id))  # the IKI's own unit
    if number is None and text is not None:
        raise PlanningRuleError("Isi jumlah output untuk satuan yang diberikan.", "output_quantity",
                                code="QUANTITY_REQUIRED")
    return number, text


def _output_text(value) -> str | None:
    """Return the free-text output (the API's ``output``) as given, None when empty; refuse one too long."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise PlanningRuleError("Output harus berupa teks.", "output_text", code="INVALID")
    if len(value) > MAX_ACTIVITY:
        raise PlanningRuleError(f"Output paling panjang {MAX_ACTIVITY} karakter.", "output_text", code="TOO_LONG")
    return value


def _token(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if len(text) > MAX_TOKEN:
        raise PlanningRuleError("Token pengiriman tidak valid.", "client_token", code="INVALID_TOKEN")
    return text or None


def _visum_record(actor, action: str, visum: Visum, before=None, after=None, reason=None):
    return record(actor, f"visum.{action}", "visum", visum.id, before, after, reason)


# --- the employee ------------------------------------------------------------------------------

def _by_token(employee: Employee, token: str | None) -> Visum | None:
    if token is None:
        return None
    return db.session.scalar(select(Visum).where(Visum.employee_id == employee.id, Visum.client_token == token))


def file_visum(actor: Employee | None, employee: Employee, *, day: date, activity: str, iki_id: int | None = None,
               output_quantity=None, output_unit: str | None = None, client_token: str | None = None,
               output_text: str | None = None) -> Visum:
    """File a visum for a day now (the employee himself); the same ``client_token`` again returns the first one.

    There is no "now" to pass: the week lock, the gate and the timestamps use ``clock.now()``
    (a back-dated import is ``kinerja.execution.visum_import.import_past_visum``).

    :raise NotAllowed: not the employee (``NOT_OWNER``); the February gate (``NO_APPROVED_SKP``,
        ``IKI_REQUIRED``, ``IKI_NOT_IN_SKP``, ``OUTSIDE_SKP_PERIOD``)
    :raise VisumLocked: ``WEEK_CLOSED`` (423)
    :raise PlanningRuleError: ``DATE_IN_FUTURE``, bad fields (400)
    """
    _require_owner(actor, employee.id)
    token = _token(client_token)
    existing = _by_token(employee, token)
    if existing is not None:
        return existing  # a double click: nothing new is stored
    day, iki = _day(day), _iki_id(iki_id)
    ensure_writable(employee, day)
    visum = new_visum(employee, day=day, iki=iki, activity=activity, output_quantity=output_quantity,
                      output_unit=output_unit, token=token, filed_at=clock.now(), output_text=output_text)
    _visum_record(actor, "create", visum, None, snapshot(visum, VISUM_FIELDS))
    return visum


def new_visum(employee: Employee, *, day: date, iki: int | None, activity, output_quantity, output_unit,
              token: str | None, filed_at: datetime, locked: bool = False, output_text: str | None = None) -> Visum:
    """Check the gate (at ``clock.now()``) and the fields, and add a SUBMITTED visum stamped ``filed_at``; no audit.

    For ``file_visum`` and the back-dated import, which check the week and write their own audit row.
    """
    skp = _check_gate(employee, day, iki, clock.now())
    text = _activity(activity)
    quantity, unit = _output(output_quantity, output_unit, iki)
    stamp = clock.stamp(filed_at)
    visum = Visum(employee_id=employee.id, day=day, iki_id=iki, skp_id=skp.id if skp is not None else None,
                  activity=text, output_quantity=quantity, output_unit=unit, status=VisumStatus.SUBMITTED.value,
                  channel=visum_channel(employee.jenjang, employee.jf_name).value, created_at=stamp,
                  updated_at=stamp, client_token=token, locked=locked, output_text=_output_text(output_text))
    db.session.add(visum)
    db.session.flush()
    return visum


def reload_visum(visum: Visum) -> Visum:
    """Read the visum's row again as it is now (an approval or another tab may have changed it).

    :raise WrongState: ``CHANGED_ELSEWHERE`` (409) when the row was deleted meanwhile.
    """
    if db.session.get(Visum, visum.id, populate_existing=True) is None:
        raise WrongState(CHANGED_ELSEWHERE, "visum", code="CHANGED_ELSEWHERE")
    return visum


def update_visum(actor: Employee | None, visum: Visum, *, day=_UNSET, activity=_UNSET, iki_id=_UNSET,
                 output_quantity=_UNSET, output_unit=_UNSET) -> Visum:
    """Edit a submitted or returned visum (its owner, while its week is open); a returned one goes back to SUBMITTED.

    Only the fields given change. A new date must be in a writable week too; the gate applies
    to the resulting date and IKI.

    :raise NotAllowed: not the owner, the gate; :raise VisumLocked: week closed;
    :raise WrongState: approved (final), deleted meanwhile; :raise PlanningRuleError: bad fields
    """
    _require_owner(actor, visum.employee_id)
    now = clock.now()
    reload_visum(visum)  # the state as it is now, not as loaded (an approval may have landed)
    employee = visum.employee
    ensure_writable(employee, visum.day)
    new_status = visum_transition(visum.status, VisumAction.EDIT)
    new_day = visum.day if day is _UNSET else _day(day)
    if new_day != visum.day:
        ensure_writable(employee, new_day)
    new_iki = visum.iki_id if iki_id is _UNSET else _iki_id(iki_id)
    skp = visum.skp
    if new_day != visum.day or new_iki != visum.iki_id:
        skp = _check_gate(employee, new_day, new_iki, now)
    text = visum.activity if activity is _UNSET else _activity(activity)
    quantity, unit = _output(visum.output_quantity if output_quantity is _UNSET else output_quantity,
                             visum.output_unit if output_unit is _UNSET else output_unit, new_iki)
    before = snapshot(visum, VISUM_FIELDS)
    visum.day, visum.iki_id, visum.skp_id = new_day, new_iki, skp.id if skp is not None else None
    if (quantity, unit) != (visum.output_quantity, visum.output_unit):
        visum.output_text = None  # the page's quantity and unit replace the API's free text
    visum.activity, visum.output_quantity, visum.output_unit = text, quantity, unit
    visum.status, visum.return_reason = new_status.value, None
    visum.updated_at = clock.stamp(now)
    after = snapshot(visum, VISUM_FIELDS)
    changed = {k: v for k, v in after.items() if before[k] != v}
    _visum_record(actor, "update", visum, {k: before[k] for k in changed}, changed)
    return visum


def delete_visum(actor: Employee | None, visum: Visum) -> list[str]:
    """Delete a submitted or returned visum (its owner, while its week is open) with its evidence rows.

    Returns the evidence ``stored_name`` of files the caller removes from storage after commit.

    :raise NotAllowed: not the owner; :raise VisumLocked: week closed;
    :raise WrongState: approved, deleted meanwhile
    """
    _require_owner(actor, visum.employee_id)
    reload_visum(visum)
    ensure_writable(visum.employee, visum.day)
    ensure_visum_deletable(visum.status)
    files = [e.stored_name for e in visum.evidence if e.kind == "FILE" and e.stored_name]
    _visum_record(actor, "delete", visum, snapshot(visum, VISUM_FIELDS), None)
    db.session.delete(visum)
    db.session.flush()
    return files


# --- the assessor ------------------------------------------------------------------------------

def _require_assessor(actor: Employee | None, visum: Visum) -> None:
    if actor is None:
        raise NotAllowed("Persetujuan visum memerlukan Pejabat Penilai Kinerja.", code="NOT_ASSESSOR")
    allowed = relations.is_assessor(actor, visum.employee)
    ensure_can_approve_visum(actor.id, visum.employee_id, {actor.id} if allowed else set())


def _decide(actor: Employee, visum: Visum, action: VisumAction, reason: str | None, now: datetime | None) -> Visum:
    """Move a visum from SUBMITTED with a conditional UPDATE: the first of two concurrent deciders wins.

    The winner's UPDATE returns the new version and the object takes the written values as loaded
    (no reload); a loser reloads the row to tell "already done" (quiet success) from a conflict.
    """
    _require_assessor(actor, visum)
    target = visum_transition(VisumStatus.SUBMITTED, action, reason)  # validates the reason first (400)
    stamp = clock.stamp(now)
    approve = action is VisumAction.APPROVE
    values = {"status": target.value, "updated_at": stamp, "return_reason": None if approve else reason.strip()}
    if approve:
        values.update(approved_at=stamp, approved_by_id=actor.id)
    version = db.session.scalar(_decide_stmt(approve), {"visum_id": visum.id, **values})
    if version is None:
        reload_visum(visum)  # deleted meanwhile: 409 CHANGED_ELSEWHERE
        if visum.status == target.value:
            return visum  # someone (another tab, another assessor) already did it: success, nothing to record
        visum_transition(visum.status, action, reason)  # raises WrongState with the current status
        raise WrongState("Visum sudah berubah; muat ulang halaman.", "status", code="WRONG_STATE")  # pragma: no cover
    for key, value in {**values, "version": version}.items():
        set_committed_value(visum, key, value)
    db.session.expire(visum, ["approved_by"])  # follows approved_by_id on its next read (no query now)
    after = {"status": target.value}
    if approve:
        after["approved_by_id"] = actor.id
    insert_record(actor, "visum.approve" if approve else "visum.return", "visum", visum.id,
                  {"status": VisumStatus.SUBMITTED.value}, after, reason.strip() if reason else None)
    return visum


@cache
def _decide_stmt(approve: bool):
    """Build once the conditional UPDATE of ``_decide`` (SUBMITTED -> target), returning the new version.

    A Core UPDATE on the table: ``_decide`` sets the written values on the object itself, so the
    ORM's bulk-update path (session synchronisation) would only add cost to every approval.
    """
    table = Visum.__table__
    names = ("status", "updated_at", "return_reason") + (("approved_at", "approved_by_id") if approve else ())
    return (update(table).where(table.c.id == bindparam("visum_id"), table.c.status == VisumStatus.SUBMITTED.value)
            .values({**{name: bindparam(name, type_=table.c[name].type) for name in names},
                     "version": table.c.version + 1})
            .returning(table.c.version))


def approve_visum(actor: Employee, visum: Visum, now: datetime | None = None) -> Visum:
    """Approve a submitted visum as the employee's current assessor (or his PLT/PLH); already approved is a no-op.

    Not bound by the week lock. :raise NotAllowed: ``OWN_VISUM``, ``NOT_ASSESSOR``;
    :raise WrongState: the visum was returned meanwhile
    """
    return _decide(actor, visum, VisumAction.APPROVE, None, now)


def return_visum(actor: Employee, visum: Visum, reason: str, now: datetime | None = None) -> Visum:
    """Return a submitted visum with a reason (current assessor or PLT/PLH); already returned is a no-op.

    :raise NotAllowed: ``OWN_VISUM``, ``NOT_ASSESSOR``; :raise WrongState: approved (final);
    :raise PlanningRuleError: ``REASON_REQUIRED``
    """
    if isinstance(reason, str) and len(reason.strip()) > MAX_REASON:
        raise PlanningRuleError(f"Alasan paling panjang {MAX_REASON} karakter.", "reason", code="TOO_LONG")
    visum = _decide(actor, visum, VisumAction.RETURN, reason if isinstance(reason, str) else None, now)
    notify_visum_returned(visum, now)  # once per return (kinerja.execution.notifications)
    return visum


@dataclass
class ApproveManyResult:
    """What ``approve_many`` did with each asked id."""

    approved: list[int] = field(default_factory=list)  # approved now
    already_approved: list[int] = field(default_factory=list)  # no-op success
    not_allowed: list[int] = field(default_factory=list)  # own visum or not his assessor
    wrong_state: list[int] = field(default_factory=list)  # returned: the employee must edit first
    not_found: list[int] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Return the number of ids in each outcome."""
        return {name: len(getattr(self, name))
                for name in ("approved", "already_approved", "not_allowed", "wrong_state", "not_found")}


def approve_many(actor: Employee, visum_ids, now: datetime | None = None) -> ApproveManyResult:
    """Approve a selection of visum in one SELECT and one UPDATE; ids the actor may not approve are skipped.

    Refuses nothing as a whole: each id lands in one list of the result (``.counts()`` for the page).
    """
    result = ApproveManyResult()
    ids = []
    for value in visum_ids:
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if number not in ids:
            ids.append(number)
    if not ids:
        return result
    if actor is None:
        result.not_allowed = ids
        return result
    rows = db.session.execute(
        select(Visum.id, Visum.employee_id, Visum.status, AssessorLink.assessor_id, AssessorLink.employee_id)
        .outerjoin(AssessorLink, (AssessorLink.employee_id == Visum.employee_id)
                   & relations.link_covers(clock.today()))
        .where(Visum.id.in_(ids))).all()
    found = {row[0] for row in rows}
    result.not_found = [i for i in ids if i not in found]
    mine = relations.stands_for(actor)
    decided: dict[int, bool] = {}
    todo = []
    for visum_id, employee_id, status, assessor_id, link_employee in rows:
        if employee_id not in decided:
            if employee_id == actor.id:
                decided[employee_id] = False
            elif link_employee is not None:
                decided[employee_id] = assessor_id is not None and assessor_id in mine
            else:  # no snapshot row yet: ask the engine (rare)
                decided[employee_id] = relations.is_assessor(actor, db.session.get(Employee, employee_id))
        if not decided[employee_id]:
            result.not_allowed.append(visum_id)
        elif status == VisumStatus.APPROVED.value:
            result.already_approved.append(visum_id)
        elif status != VisumStatus.SUBMITTED.value:
            result.wrong_state.append(visum_id)
        else:
            todo.append(visum_id)
    if not todo:
        return result
    stamp = clock.stamp(now)
    updated = set(db.session.scalars(
        update(Visum).where(Visum.id.in_(todo), Visum.status == VisumStatus.SUBMITTED.value)
        .values(status=VisumStatus.APPROVED.value, approved_at=stamp, approved_by_id=actor.id, updated_at=stamp,
                return_reason=None, version=Visum.version + 1)
        .returning(Visum.id).execution_options(synchronize_session=False)))
    for visum_id in todo:
        if visum_id in updated:
            result.approved.append(visum_id)
            record(actor, "visum.approve", "visum", visum_id, {"status": "SUBMITTED"},
                   {"status": "APPROVED", "approved_by_id": actor.id})
        else:
            result.already_approved.append(visum_id)  # approved (or returned) by someone else meanwhile
    for visum in db.session.identity_map.values():  # objects loaded earlier in this session are stale now
        if isinstance(visum, Visum) and visum.id in updated:
            db.session.expire(visum)
    return result


# --- HR ----------------------------------------------------------------------------------------

def reopen_week(actor: Employee | None, employee: Employee, week_start: date, until: datetime, reason: str,
                now: datetime | None = None) -> WeekReopening:
    """Reopen one employee's week until an instant, with a reason (KEPEGAWAIAN; None = CLI).

    :raise NotAllowed: not HR; :raise PlanningRuleError: not a Monday (``NOT_A_MONDAY``), a deadline
        not in the future or not aware (``INVALID_UNTIL``), no reason (``REASON_REQUIRED``)
    """
    if actor is not None and not employee_has_role(actor, *HR_ROLES):
        raise NotAllowed("Hanya Kepegawaian yang dapat membuka kembali minggu visum.", code="NOT_HR")
    if isinstance(week_start, datetime) or not isinstance(week_start, date) or week_start.weekday() != 0:
        raise PlanningRuleError("Awal minggu harus hari Senin.", "week_start", code="NOT_A_MONDAY")
    now = now or clock.now()
    if not isinstance(until, datetime) or until.tzinfo is None or until.utcoffset() is None or until <= now:
        raise PlanningRuleError("Batas waktu pembukaan harus waktu di masa depan.", "until", code="INVALID_UNTIL")
    text = reason.strip() if isinstance(reason, str) else ""
    if not text:
        raise PlanningRuleError("Alasan pembukaan kembali wajib diisi.", "reason", code="REASON_REQUIRED")
    if len(text) > MAX_REASON:
        raise PlanningRuleError(f"Alasan paling panjang {MAX_REASON} karakter.", "reason", code="TOO_LONG")
    reopening = WeekReopening(employee_id=employee.id, week_start=week_start,
                              until=clock.stamp(until), reason=text,
                              created_by_id=actor.id if actor is not None else None,
                              created_at=clock.stamp(now))
    db.session.add(reopening)
    db.session.flush()
    record(actor, "visum.reopen_week", "week_reopening", reopening.id, None,
           {"employee_id": employee.id, "week_start": week_start, "until": reopening.until}, text)
    return reopening

"""The ``lock-week`` job: record the close of every visum week, zone by zone, with its completeness.

Writability does not wait for this job (``services.ensure_writable`` applies the calendar rule at
write time); the job *records* what the rule already decided, and from then on the record also
holds: a recorded week stays closed until HR reopens it, even if the unit's zone changes later
(``services.writable_days``). So the job never records the future: a ``now`` later than
``clock.now()`` is refused. It records ``Visum.locked`` for every visum of a
closed week, and one ``WeekLock`` row per employee and closed week with the week's completeness
(``rules.visum.weekly_completeness``: Monday–Friday, minus holidays, cuti days and days outside
his positions). It is set-based — per closed week, ``INSERT … SELECT`` statements and one
``UPDATE … WHERE`` covering the zones that closed it, never a Python loop over employees — and
idempotent: the weeks to lock are the ones closed since the zone's latest ``WeekLock``
(``rules.week.weeks_closed_between``, so it catches up after downtime), and ``WeekLock`` rows
are only inserted where none exist. Choices: ``docs/week-lock.md``.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import and_, delete, exists, func, literal, or_, select, true, union_all, update

from kinerja import clock
from kinerja.audit.services import record
from kinerja.execution.holidays import holidays
from kinerja.execution.models import Visum, WeekLock, WeekReopening
from kinerja.extensions import db
from kinerja.org.models import Employee, Position, Unit
from kinerja.planning.models import Leave
from kinerja.rules import week as week_rules
from kinerja.rules.calendar import is_working_day
from kinerja.rules.planning import PlanningRuleError

SIX_DAYS = timedelta(days=6)


@dataclass
class LockResult:
    """What one ``lock_week`` run did (all zero when there was nothing to do)."""

    now: datetime
    weeks: list[tuple[str, date]] = field(default_factory=list)  # (zone, Monday) closed by this run
    week_locks: int = 0  # WeekLock rows written for newly closed weeks
    recomputed: int = 0  # WeekLock rows rewritten after an HR reopening ended
    visum_locked: int = 0  # visum rows marked locked

    @property
    def changed(self) -> bool:
        """Tell whether the run wrote anything."""
        return bool(self.week_locks or self.recomputed or self.visum_locked)

    def as_dict(self) -> dict:
        """Return the counts as plain values (the job's result and the audit row)."""
        return {"now": self.now.isoformat(), "weeks": [[tz, monday.isoformat()] for tz, monday in self.weeks],
                "week_locks": self.week_locks, "recomputed": self.recomputed, "visum_locked": self.visum_locked}

    def summary(self) -> str:
        """Write the run in one line of Bahasa Indonesia (the CLI prints it)."""
        at = self.now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        if not self.changed:
            return f"lock-week {at}: tidak ada minggu baru yang ditutup."
        weeks = ", ".join(f"{week_rules.timezone_label(tz)} {monday.isoformat()}" for tz, monday in self.weeks) or "-"
        return (f"lock-week {at}: {len(self.weeks)} minggu ditutup ({weeks}); {self.visum_locked} visum dikunci; "
                f"{self.week_locks} rekap kelengkapan dicatat; {self.recomputed} dihitung ulang.")


def lock_week(now: datetime | None = None) -> LockResult:
    """Record the close of every visum week closed at ``now`` in each unit's zone; idempotent, catches up.

    Does not commit (the CLI and the job commit once). Writes one summary audit row
    (object type ``week_lock``) when something changed.

    :raise PlanningRuleError: ``NOW_IN_FUTURE`` for a ``now`` after ``clock.now()``: a recorded week
        is closed for good, so recording one the calendar has not closed yet would close it early.
    """
    real_now = clock.now()
    now = (now or real_now).astimezone(UTC)
    if now > real_now:
        raise PlanningRuleError(f"Waktu acuan {now:%Y-%m-%dT%H:%M:%SZ} masih di masa depan; lock-week hanya "
                                "mencatat minggu yang sudah ditutup.", "now", code="NOW_IN_FUTURE")
    stamp = clock.stamp(now)
    result = LockResult(now)
    free_days = holidays()
    active = _active_reopenings(stamp)
    closing: dict[date, list[str]] = defaultdict(list)  # Monday -> zones whose week closed since
    for tz in _zones_in_use():
        for monday in week_rules.weeks_closed_between(_since(tz, now), now, tz):
            result.weeks.append((tz, monday))
            closing[monday].append(tz)
    for monday, zones in sorted(closing.items()):  # one INSERT and one UPDATE per week, for all its zones
        result.week_locks += _insert_week_locks(monday, stamp, free_days, zones=zones)
        result.visum_locked += _lock_visum(monday, zones=zones, keep_open=active)
    recomputed, relocked = _after_reopenings(stamp, free_days)
    result.recomputed, result.visum_locked = recomputed, result.visum_locked + relocked
    if result.visum_locked:
        for item in list(db.session.identity_map.values()):  # loaded visum are stale now
            if isinstance(item, Visum):
                db.session.expire(item)
    if result.changed:
        record(None, "week_lock.run", "week_lock", now.strftime("%Y-%m-%dT%H:%M:%SZ"), None, result.as_dict())
    return result


# --- which weeks ----------------------------------------------------------------------------------

def _zones_in_use() -> list[str]:
    return sorted(db.session.scalars(
        select(Unit.effective_timezone).where(exists().where(Employee.unit_id == Unit.id)).distinct()))


def _zone_employees(zones: list[str]):
    """Return a SELECT of the ids of the employees whose unit is in one of ``zones``."""
    return select(Employee.id).join(Unit, Unit.id == Employee.unit_id).where(Unit.effective_timezone.in_(zones))


def _since(tz: str, now: datetime) -> datetime:
    """Return the instant after which closes are new for the zone: its latest recorded close.

    Without any record: the close before the oldest unlocked visum of the zone, else one week
    before ``now`` (so a first run on an empty database locks the last closed week only).
    """
    latest = db.session.scalar(
        select(func.max(WeekLock.week_start)).join(Unit, Unit.id == WeekLock.unit_id)
        .where(Unit.effective_timezone == tz))
    if latest is not None:
        return week_rules.visum_week_closes_at(latest, tz)
    oldest = db.session.scalar(
        select(func.min(Visum.day)).where(~Visum.locked, Visum.employee_id.in_(_zone_employees([tz]))))
    if oldest is not None:
        return week_rules.visum_week_closes_at(oldest - timedelta(days=7), tz)
    return now - timedelta(days=7)


def _active_reopenings(stamp: datetime) -> list[tuple[int, date]]:
    return [(row.employee_id, row.week_start) for row in db.session.execute(
        select(WeekReopening.employee_id, WeekReopening.week_start).where(WeekReopening.until > stamp).distinct())]


# --- the two statements ---------------------------------------------------------------------------

def _working_days(monday: date, free_days: frozenset[date]) -> list[date]:
    return [day for day in week_rules.week_days(monday) if is_working_day(day, free_days)]


def _employed(monday: date, *, zones: list[str] | None, employee_ids):
    """Return a SELECT of the employees (of the zones, or the given ids) with a position in the week."""
    sunday = monday + SIX_DAYS
    stmt = select(Employee.unit_id, Employee.id).where(
        exists().where(Position.employee_id == Employee.id, Position.start <= sunday,
                       or_(Position.end.is_(None), Position.end >= monday)),
        ~exists().where(WeekLock.employee_id == Employee.id, WeekLock.week_start == monday))
    if zones is not None:
        stmt = stmt.join(Unit, Unit.id == Employee.unit_id).where(Unit.effective_timezone.in_(zones))
    if employee_ids is not None:
        stmt = stmt.where(Employee.id.in_(employee_ids))
    return stmt


def _completeness_select(monday: date, stamp: datetime, free_days: frozenset[date], *, zones: list[str] | None = None,
                         employee_ids=None):
    """Return SELECT (unit_id, employee_id, week_start, filed, expected, percent, locked_at) per employee.

    The SQL twin of ``rules.visum.weekly_completeness`` for a whole zone: the week's working days
    (the rule's calendar) joined to the employees, kept where one of his positions covers the day
    and no cuti does (expected), counted as filed where he has a visum (any status) that day.
    Employees with no expected day are left to ``_nothing_expected_select``. None when the week
    has no working day.
    """
    days = _working_days(monday, free_days)
    if not days:
        return None
    calendar = union_all(*(select(literal(day).label("day")) for day in days)).subquery("calendar")
    filed_days = (select(Visum.employee_id, Visum.day)
                  .where(Visum.day >= monday, Visum.day <= monday + SIX_DAYS).distinct().subquery("filed_days"))
    staff = _employed(monday, zones=zones, employee_ids=employee_ids).subquery("staff")
    filed, expected = func.count(filed_days.c.day), func.count()
    return (
        select(staff.c.unit_id, staff.c.id, literal(monday).label("week_start"), filed.label("filed"),
               expected.label("expected"), (filed * literal(100.0) / expected).label("percent"),
               literal(stamp).label("locked_at"))
        .select_from(staff.join(calendar, true()))
        .outerjoin(filed_days, and_(filed_days.c.employee_id == staff.c.id, filed_days.c.day == calendar.c.day))
        .where(exists().where(Position.employee_id == staff.c.id, Position.start <= calendar.c.day,
                              or_(Position.end.is_(None), Position.end >= calendar.c.day)),
               ~exists().where(Leave.employee_id == staff.c.id, Leave.start <= calendar.c.day,
                               Leave.end >= calendar.c.day))
        .group_by(staff.c.unit_id, staff.c.id))


def _nothing_expected_select(monday: date, stamp: datetime, *, zones: list[str] | None = None, employee_ids=None):
    """Return the WeekLock rows of employees in post that week with no expected day (cuti, holidays): 100%."""
    staff = _employed(monday, zones=zones, employee_ids=employee_ids).subquery("staff")
    return select(staff.c.unit_id, staff.c.id, literal(monday), literal(0), literal(0), literal(100.0),
                  literal(stamp))


WEEK_LOCK_COLUMNS = ["unit_id", "employee_id", "week_start", "filed", "expected", "percent", "locked_at"]


def _insert_week_locks(monday: date, stamp: datetime, free_days: frozenset[date], *, zones: list[str] | None = None,
                       employee_ids=None) -> int:
    """Insert the missing WeekLock rows of one week (two INSERT … SELECT); return how many."""
    inserted = 0
    for source in (_completeness_select(monday, stamp, free_days, zones=zones, employee_ids=employee_ids),
                   _nothing_expected_select(monday, stamp, zones=zones, employee_ids=employee_ids)):
        if source is None:
            continue
        statement = WeekLock.__table__.insert().from_select(WEEK_LOCK_COLUMNS, source)
        # SQLAlchemy keeps an INSERT's rowcount only when asked (UPDATE and DELETE always).
        inserted += db.session.execute(statement.execution_options(preserve_rowcount=True)).rowcount or 0
    return inserted


def _lock_visum(monday: date, *, zones: list[str] | None = None, employee_ids=None, keep_open=()) -> int:
    """Mark the visum of one week locked in one UPDATE, except weeks HR has reopened until later."""
    sunday = monday + SIX_DAYS
    statement = update(Visum).where(~Visum.locked, Visum.day >= monday, Visum.day <= sunday)
    if zones is not None:
        statement = statement.where(Visum.employee_id.in_(_zone_employees(zones)))
    if employee_ids is not None:
        statement = statement.where(Visum.employee_id.in_(employee_ids))
    still_open = [employee for employee, week in keep_open if week == monday]
    if still_open:
        statement = statement.where(Visum.employee_id.not_in(still_open))
    statement = statement.values(locked=True).execution_options(synchronize_session=False)
    return db.session.execute(statement).rowcount or 0


def _after_reopenings(stamp: datetime, free_days: frozenset[date]) -> tuple[int, int]:
    """Re-record weeks whose HR reopening has ended since their lock: completeness again, visum locked.

    Returns (WeekLock rows rewritten, visum locked). A week is taken once: the rewritten row's
    ``locked_at`` is after the reopening's deadline.
    """
    ended = db.session.execute(
        select(WeekReopening.employee_id, WeekReopening.week_start).join(
            WeekLock, and_(WeekLock.employee_id == WeekReopening.employee_id,
                           WeekLock.week_start == WeekReopening.week_start))
        .where(WeekReopening.until <= stamp, WeekLock.locked_at < WeekReopening.until).distinct()).all()
    still_open = set(_active_reopenings(stamp))
    pairs = [(employee, week) for employee, week in ended if (employee, week) not in still_open]
    rewritten = relocked = 0
    for monday in sorted({week for _, week in pairs}):
        ids = [employee for employee, week in pairs if week == monday]
        db.session.execute(delete(WeekLock).where(WeekLock.week_start == monday, WeekLock.employee_id.in_(ids))
                           .execution_options(synchronize_session=False))
        rewritten += _insert_week_locks(monday, stamp, free_days, employee_ids=ids)
        relocked += _lock_visum(monday, employee_ids=ids)
    return rewritten, relocked


def locked_weeks(employee_id: int, mondays) -> dict[date, WeekLock]:
    """Return the employee's WeekLock rows of the given Mondays, by Monday."""
    mondays = list(mondays)
    if not mondays:
        return {}
    rows = db.session.scalars(select(WeekLock).where(WeekLock.employee_id == employee_id,
                                                     WeekLock.week_start.in_(mondays)))
    return {row.week_start: row for row in rows}


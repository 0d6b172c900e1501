"""Read-only queries behind HR's execution pages: an employee's recent weeks, the blocked list of
the 6 February synchronisation, weekly completeness per unit. A few statements per page."""

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import case, func, literal, select

from kinerja import clock
from kinerja.execution import locking
from kinerja.execution.holidays import holidays
from kinerja.execution.models import SkpSync, Visum, VisumBlock, WeekLock, WeekReopening
from kinerja.execution.services import configured_sync_day
from kinerja.execution.sync import latest_sync
from kinerja.execution.visum_queries import leave_days
from kinerja.extensions import db
from kinerja.org.models import Employee, Position, Unit
from kinerja.org.queries import Page
from kinerja.planning.models import Skp
from kinerja.rules import week as week_rules
from kinerja.rules.visum import sync_date, weekly_completeness

ONE_WEEK = timedelta(days=7)


def week_label(monday: date) -> str:
    """Write a week as "12 Januari 2026 – 18 Januari 2026"."""
    return f"{week_rules.date_label(monday)} – {week_rules.date_label(week_rules.week_end(monday))}"


# --- one employee's weeks -------------------------------------------------------------------------

@dataclass
class WeekRow:
    """One week of an employee as HR sees it."""

    monday: date
    closes_label: str
    closed: bool
    filed: int
    expected: int
    percent: float
    recorded: bool  # from the lock-week record (else computed now)
    reopened_until: datetime | None = None  # aware, in the employee's zone, while a reopening runs
    reopenings: list[WeekReopening] = field(default_factory=list)

    @property
    def label(self) -> str:
        return week_label(self.monday)


def _days_outside(positions, first: date, last: date) -> set[date]:
    """Return the days of [first, last] no position of the employee covers."""
    days, day = set(), first
    while day <= last:
        if not any(p.start <= day and (p.end is None or p.end >= day) for p in positions):
            days.add(day)
        day += timedelta(days=1)
    return days


def employee_weeks(employee: Employee, now: datetime, count: int = 8) -> list[WeekRow]:
    """Return the employee's last ``count`` weeks, newest first: completeness, state and reopenings."""
    tz = clock.zone_of(employee)
    today = week_rules.local_date(now, tz)
    mondays = [week_rules.week_start(today) - ONE_WEEK * n for n in range(count)]
    first, last = mondays[-1], mondays[0] + timedelta(days=6)
    recorded = locking.locked_weeks(employee.id, mondays)
    visum_days = set(db.session.scalars(select(Visum.day).where(
        Visum.employee_id == employee.id, Visum.day >= first, Visum.day <= last).distinct()))
    positions = list(db.session.scalars(select(Position).where(Position.employee_id == employee.id)))
    not_expected = leave_days(employee, first, last) | _days_outside(positions, first, last)
    reopenings = list(db.session.scalars(select(WeekReopening).where(
        WeekReopening.employee_id == employee.id, WeekReopening.week_start.in_(mondays))
        .order_by(WeekReopening.created_at.desc())))
    free_days = holidays()
    rows = []
    for monday in mondays:
        lock = recorded.get(monday)
        # a week lock-week recorded stays closed even if the unit's zone changed since (services.writable_days)
        closed = week_rules.is_week_closed(monday, now, tz) or lock is not None
        mine = [r for r in reopenings if r.week_start == monday]
        until = max((r.until.replace(tzinfo=UTC) for r in mine), default=None)
        running = until is not None and until > now
        if lock is not None and not running:
            counts = (lock.filed, lock.expected, lock.percent)
        else:
            live = weekly_completeness(monday, visum_days, free_days, not_expected, until=None if closed else today)
            counts = (live.filed, live.expected, live.percent)
        rows.append(WeekRow(monday, week_rules.closes_at_label(monday, tz), closed, *counts,
                            recorded=lock is not None and not running,
                            reopened_until=until.astimezone(week_rules.zone(tz)) if running else None,
                            reopenings=mine))
    return rows


# --- the blocked list -------------------------------------------------------------------------------

@dataclass
class BlockedRow:
    """An employee on the blocked list of a year, with whether he is still blocked."""

    block: VisumBlock
    employee: Employee
    unit: Unit | None
    approved_at: datetime | None  # his first approved SKP of the year, if any

    @property
    def cleared_since(self) -> datetime | None:
        """Return when he could file visum again (cleared by a re-run, or his SKP approved), or None."""
        moments = [m for m in (self.block.cleared_at, self.approved_at) if m is not None]
        return min(moments) if moments else None

    @property
    def blocked(self) -> bool:
        return self.cleared_since is None


def _blocked_stmt(year: int, unit: Unit | None, status: str | None):
    approved = (select(Skp.employee_id, func.min(Skp.approved_at).label("approved_at"))
                .where(Skp.year == year, Skp.status == "APPROVED").group_by(Skp.employee_id).subquery())
    stmt = (select(VisumBlock, Employee, Unit, approved.c.approved_at)
            .join(Employee, Employee.id == VisumBlock.employee_id)
            .outerjoin(Unit, Unit.id == VisumBlock.unit_id)
            .outerjoin(approved, approved.c.employee_id == VisumBlock.employee_id)
            .where(VisumBlock.year == year))
    if unit is not None:
        stmt = stmt.where(Unit.path.like(f"{unit.path}%"))
    still_blocked = VisumBlock.cleared_at.is_(None) & approved.c.approved_at.is_(None)
    if status == "BLOCKED":
        stmt = stmt.where(still_blocked)
    elif status == "CLEARED":
        stmt = stmt.where(~still_blocked)
    return stmt, still_blocked


def blocked_page(year: int, unit: Unit | None, status: str | None, page: int, per_page: int) -> Page:
    """Return one page of the blocked list of a year: still blocked first, then by unit and name."""
    stmt, still_blocked = _blocked_stmt(year, unit, status)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = min(max(1, page), max(1, math.ceil(total / per_page)))
    rows = db.session.execute(stmt.order_by(case((still_blocked, 0), else_=1), Unit.path, Employee.name_key,
                                            Employee.nip).limit(per_page).offset((page - 1) * per_page))
    return Page([BlockedRow(*row) for row in rows], total, page, per_page)


def blocked_count(year: int, unit: Unit | None = None) -> int:
    """Count who is still blocked by the synchronisation of a year (as the blocked page counts them)."""
    stmt, _ = _blocked_stmt(year, unit, "BLOCKED")
    return db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0


def blocked_rows(year: int, unit: Unit | None, status: str | None = None) -> list[BlockedRow]:
    """Return the whole blocked list of a year (for the CSV), by unit and name."""
    stmt, _ = _blocked_stmt(year, unit, status)
    return [BlockedRow(*row) for row in db.session.execute(stmt.order_by(Unit.path, Employee.name_key, Employee.nip))]


# --- weekly completeness per unit --------------------------------------------------------------------

@dataclass
class UnitCompliance:
    """The completeness of one unit's employees in a locked week."""

    unit: Unit
    employees: int
    filed: int
    expected: int
    complete: int  # employees at 100%

    @property
    def percent(self) -> float:
        return self.filed / self.expected * 100 if self.expected else 100.0


def latest_locked_week() -> date | None:
    """Return the Monday of the latest week the lock-week job recorded, if any."""
    return db.session.scalar(select(func.max(WeekLock.week_start)))


def compliance_by_unit(monday: date, page: int, per_page: int) -> Page:
    """Return one page of units with their completeness in the week, lowest first (from WeekLock)."""
    filed, expected = func.sum(WeekLock.filed), func.sum(WeekLock.expected)
    ratio = case((expected == 0, literal(100.0)), else_=filed * literal(100.0) / expected)
    grouped = (select(WeekLock.unit_id, func.count().label("employees"), filed.label("filed"),
                      expected.label("expected"),
                      func.sum(case((WeekLock.filed >= WeekLock.expected, 1), else_=0)).label("complete"),
                      ratio.label("ratio"))
               .where(WeekLock.week_start == monday, WeekLock.unit_id.is_not(None)).group_by(WeekLock.unit_id)
               .subquery())
    total = db.session.scalar(select(func.count()).select_from(grouped)) or 0
    page = min(max(1, page), max(1, math.ceil(total / per_page)))
    rows = db.session.execute(
        select(Unit, grouped.c.employees, grouped.c.filed, grouped.c.expected, grouped.c.complete)
        .join(grouped, grouped.c.unit_id == Unit.id)
        .order_by(grouped.c.ratio, Unit.code).limit(per_page).offset((page - 1) * per_page))
    return Page([UnitCompliance(*row) for row in rows], total, page, per_page)


def compliance_of_unit(monday: date, unit: Unit) -> list[tuple[WeekLock, Employee]]:
    """Return the unit's employees' records of the week, lowest completeness first."""
    return [(lock, employee) for lock, employee in db.session.execute(
        select(WeekLock, Employee).join(Employee, Employee.id == WeekLock.employee_id)
        .where(WeekLock.week_start == monday, WeekLock.unit_id == unit.id)
        .order_by(WeekLock.percent, Employee.name_key, Employee.nip))]


# --- what the scheduled jobs have recorded -------------------------------------------------------------

SYNC_TIMEZONE = clock.JOBS_ZONE  # the sync job runs on the WIB calendar (kinerja/jobs/cron.py)


@dataclass
class SyncStatus:
    """Where the 6 February synchronisation of a year stands: not due yet, run, or due and not run yet.

    The one answer every page reporting on the synchronisation uses (the planning dashboard, HR's
    blocked list, the home page), so they never disagree.
    """

    year: int
    day: date  # the synchronisation day of the year (``VISUM_SYNC_DAY``, 6 February)
    today: date  # WIB
    last_run: SkpSync | None

    @property
    def due(self) -> bool:
        """Tell whether the synchronisation day has come (from then on visum need an approved SKP)."""
        return self.today >= self.day

    @property
    def ran(self) -> bool:
        return self.last_run is not None

    @property
    def day_label(self) -> str:
        """Write the synchronisation day: ``6 Februari 2026``."""
        return f"{self.day.day} {week_rules.MONTH_NAMES[self.day.month - 1]} {self.day.year}"

    @property
    def days_left(self) -> int:
        """Return the days to the synchronisation day (negative after it)."""
        return (self.day - self.today).days

    @property
    def ran_at_label(self) -> str | None:
        """Write when the last run happened, in WIB: ``06-02-2026 00.30 WIB``."""
        if self.last_run is None:
            return None
        moment = clock.local(self.last_run.ran_at, SYNC_TIMEZONE)
        return f"{moment:%d-%m-%Y %H.%M} WIB"


def sync_status(year: int, now: datetime | None = None) -> SyncStatus:
    """Return where the synchronisation of ``year`` stands today (one query: its latest run)."""
    today = week_rules.local_date(now or clock.now(), SYNC_TIMEZONE)
    return SyncStatus(year, sync_date(year, configured_sync_day()), today, latest_sync(year))

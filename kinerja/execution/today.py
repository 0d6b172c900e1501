"""What each role has to do today, for the home page: a few cheap queries each.

- every employee: this week's working days without visum (until today, in his unit's zone) and
  when the week closes, his returned visum, and the February gate (blocked? why?);
- an assessor: the visum waiting for him (himself or as PLT/PLH) and how many are overdue;
- HR: last week's completeness from the ``lock-week`` records, who is blocked by the sync, and whether
  those jobs have run yet.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import ClassVar

from sqlalchemy import case, func, select

from kinerja import clock
from kinerja.execution.holidays import holidays
from kinerja.execution.hr_queries import SyncStatus, blocked_count, latest_locked_week, sync_status
from kinerja.execution.inbox_queries import pending_count
from kinerja.execution.models import Visum, VisumBlock, WeekLock
from kinerja.execution.notifications import waiting_counts, week_link
from kinerja.execution.services import configured_sync_day, is_writable
from kinerja.execution.visum_queries import leave_days
from kinerja.extensions import db
from kinerja.org import relations
from kinerja.org.models import Employee
from kinerja.planning.skp_queries import approved_skp, current_skp
from kinerja.rules import week as week_rules
from kinerja.rules.visum import APPROVAL_LIMIT, VisumStatus, sync_date, visum_gate, weekly_completeness

RETURNED_SHOWN = 5
BLOCK_REASON_LABELS = {"NO_SKP": "Belum membuat SKP", "SKP_NOT_APPROVED": "SKP belum disetujui"}


@dataclass
class Gate:
    """The February gate for one employee: blocked from filing visum, and why."""

    blocked: bool
    sync_day: date
    message: str | None = None  # why he is blocked, or a warning before the sync day
    skp_status: str | None = None  # his SKP of the year, if any
    listed: str | None = None  # the reason HR's list (VisumBlock) gives, when he is on it


@dataclass
class EmployeeToday:
    """The employee's week and returned visum."""

    timezone: str
    today: date
    week_start: date
    missing: list[date]
    filed: int
    expected: int
    closes_label: str
    closing_in_label: str
    week_link: str
    returned: list[Visum] = field(default_factory=list)
    returned_count: int = 0
    gate: Gate | None = None
    returned_closed: frozenset[int] = frozenset()  # shown returned visum whose week is closed: HR must reopen it


@dataclass
class AssessorToday:
    """The visum waiting for an assessor's approval."""

    pending: int
    overdue: int
    approval_limit: ClassVar[int] = APPROVAL_LIMIT  # working days before a visum is overdue


@dataclass
class HrToday:
    """Last week's completeness (from ``WeekLock``) and the employees blocked by the synchronisation."""

    week_start: date
    recorded: int
    average: float | None
    incomplete: int
    blocked: int
    sync: SyncStatus | None = None  # this year's synchronisation: run, due, or not yet
    any_close: bool = True  # the weekly close has recorded some week (else it never ran)


def gate_for(employee: Employee, today: date) -> Gate:
    """Tell whether the February gate blocks the employee from filing visum this year, and why."""
    year, sync_day = today.year, configured_sync_day()
    gate = Gate(False, sync_date(year, sync_day))
    if approved_skp(employee, year) is not None:
        return gate
    skp = current_skp(employee, year)
    gate.skp_status = skp.status if skp is not None else None
    refusal = visum_gate(today, today, has_approved_skp=False, iki_in_skp=None, sync_day=sync_day)
    if refusal is not None and refusal.code == "NO_APPROVED_SKP":
        gate.blocked, gate.message = True, refusal.message
        reason = db.session.scalar(select(VisumBlock.reason).where(
            VisumBlock.year == year, VisumBlock.employee_id == employee.id, VisumBlock.cleared_at.is_(None)))
        gate.listed = BLOCK_REASON_LABELS.get(reason, reason) if reason else None
    else:
        gate.message = (f"SKP tahun {year} Anda belum disetujui. Mulai {week_rules.date_label(gate.sync_day)} visum "
                        "hanya dapat diisi dengan SKP yang sudah disetujui Pejabat Penilai.")
    return gate


def employee_today(employee: Employee, now: datetime | None = None) -> EmployeeToday:
    """Return the employee's missing days this week (until today), the week's close, returned visum and the gate."""
    now = (now or clock.now()).astimezone(UTC)
    tz = clock.zone_of(employee)
    today = week_rules.local_date(now, tz)
    monday = week_rules.week_start(today)
    sunday = week_rules.week_end(today)
    filed_days = set(db.session.scalars(select(Visum.day).where(
        Visum.employee_id == employee.id, Visum.day >= monday, Visum.day <= sunday).distinct()))
    week = weekly_completeness(monday, filed_days, holidays(), leave_days(employee, monday, sunday), until=today)
    returned = list(db.session.scalars(
        select(Visum).where(Visum.employee_id == employee.id, Visum.status == VisumStatus.RETURNED.value)
        .order_by(Visum.day.desc(), Visum.id.desc()).limit(RETURNED_SHOWN + 1)))
    count = len(returned)
    if count > RETURNED_SHOWN:
        count = db.session.scalar(select(func.count(Visum.id)).where(
            Visum.employee_id == employee.id, Visum.status == VisumStatus.RETURNED.value))
    shown = returned[:RETURNED_SHOWN]
    writable = {day: is_writable(employee, day) for day in {week_rules.week_start(visum.day) for visum in shown}}
    return EmployeeToday(tz, today, monday, week.missing, week.filed, week.expected,
                         week_rules.closes_at_label(today, tz),
                         week_rules.closing_in_label(week_rules.closing_in(today, now, tz)), week_link(today),
                         shown, count, gate_for(employee, today),
                         frozenset(visum.id for visum in shown if not writable[week_rules.week_start(visum.day)]))


def assessor_today(employee: Employee, now: datetime | None = None) -> AssessorToday:
    """Count the visum waiting for the employee as assessor (himself or as PLT/PLH) and the overdue ones.

    The pending number is the inbox counter's (``inbox_queries.pending_count``), so both always agree.
    """
    pending = pending_count(employee)
    if not pending:
        return AssessorToday(0, 0)
    overdue = waiting_counts(relations.stands_for(employee), now=now, overdue=True,
                             exclude_employee_id=employee.id)
    return AssessorToday(pending, sum(overdue.values()))


def hr_today(now: datetime | None = None) -> HrToday:
    """Summarise last week's recorded completeness and this year's blocked list for HR."""
    now = (now or clock.now()).astimezone(UTC)
    today = week_rules.local_date(now, clock.default_zone())
    last_monday = week_rules.week_start(today) - timedelta(days=7)
    recorded, average, incomplete = db.session.execute(
        select(func.count(WeekLock.id), func.avg(WeekLock.percent),
               func.coalesce(func.sum(case((WeekLock.percent < 100, 1), else_=0)), 0))
        .where(WeekLock.week_start == last_monday)).one()
    blocked = blocked_count(today.year)  # an SKP approved since the sync clears him, as on the blocked page
    any_close = bool(recorded) or latest_locked_week() is not None
    return HrToday(last_monday, recorded or 0, float(average) if average is not None else None, int(incomplete or 0),
                   blocked, sync_status(today.year, now), any_close)

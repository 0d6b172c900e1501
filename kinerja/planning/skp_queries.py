"""Read helpers of employee planning: an employee's SKP of a year, its versions, the assessor's
approval queue and the planning dashboard of a unit. Nothing here changes a row."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from kinerja import clock
from kinerja.extensions import db
from kinerja.org import relations
from kinerja.org.models import AssessorLink, Employee, Unit
from kinerja.planning.models import Iki, RencanaHasilKerja, Skp
from kinerja.rules import calendar as calendar_rules
from kinerja.rules import skp as skp_rules

STATUS_ORDER = ("DRAFT", "SUBMITTED", "RETURNED", "APPROVED", "CLOSED")


def current_skp(employee: Employee, year: int) -> Skp | None:
    """Return the employee's SKP of a year to work on: the latest period, its newest non-superseded version.

    While a revision is open this is the revision (DRAFT/SUBMITTED/RETURNED); ``approved_skp``
    gives the version in force.
    """
    return db.session.scalar(
        select(Skp).where(Skp.employee_id == employee.id, Skp.year == year, Skp.status != "SUPERSEDED")
        .order_by(Skp.period_start.desc(), Skp.version.desc(), Skp.id.desc()).limit(1))


def approved_skp(employee: Employee, year: int, on: date | None = None) -> Skp | None:
    """Return the approved SKP in force for a year (the one covering ``on`` when given)."""
    stmt = select(Skp).where(Skp.employee_id == employee.id, Skp.year == year, Skp.status == "APPROVED")
    if on is not None:
        stmt = stmt.where(Skp.period_start <= on, Skp.period_end >= on)
    return db.session.scalar(stmt.order_by(Skp.period_start.desc(), Skp.version.desc()).limit(1))


def skps_of_year(employee: Employee, year: int) -> list[Skp]:
    """Return every SKP row of an employee in a year (all periods and versions), oldest first."""
    return list(db.session.scalars(
        select(Skp).where(Skp.employee_id == employee.id, Skp.year == year)
        .order_by(Skp.period_start, Skp.version, Skp.id)))


def skp_versions(skp: Skp) -> list[Skp]:
    """Return the versions of an SKP (same employee, year and period start), oldest first."""
    return list(db.session.scalars(
        select(Skp).where(Skp.employee_id == skp.employee_id, Skp.year == skp.year,
                          Skp.period_start == skp.period_start)
        .order_by(Skp.version, Skp.id)))


def load_skp(skp_id: int) -> Skp | None:
    """Load an SKP with everything its page shows (RHK with IKI and parent, perilaku, employee, unit)
    in a fixed handful of queries, whatever the number of RHK and IKI."""
    return db.session.scalar(
        select(Skp).where(Skp.id == skp_id).options(
            selectinload(Skp.employee).selectinload(Employee.unit),
            selectinload(Skp.unit), selectinload(Skp.assessor),
            selectinload(Skp.rhk).selectinload(RencanaHasilKerja.iki),
            selectinload(Skp.rhk).selectinload(RencanaHasilKerja.parent),
            selectinload(Skp.perilaku), selectinload(Skp.dialogs),
        ))


# --- the approval queue --------------------------------------------------------------------------

@dataclass
class QueueItem:
    """One SKP waiting for approval, with what the queue row shows; other attributes read through to
    the ``Skp`` (``item.employee``, ``item.status``...)."""

    skp: Skp
    rhk_count: int = 0
    iki_count: int = 0
    unlinked_count: int = 0  # RHK not yet linked to their source (rules.skp.missing_rhk_link)

    def __getattr__(self, name):
        if name.startswith("__") or name == "skp":
            raise AttributeError(name)
        return getattr(self.skp, name)

    @property
    def skp_id(self) -> int:
        return self.skp.id

    @property
    def employee_name(self) -> str:
        return self.skp.employee.name

    @property
    def employee_nip(self) -> str:
        return self.skp.employee.nip

    @property
    def unit_name(self) -> str:
        return self.skp.unit.name


def _queue_stmt(assessor: Employee, year: int | None):
    """Return the SUBMITTED SKP of the people he assesses today (himself or as PLT/PLH; never his own).

    Today's assessor links decide (``relations.assessees_select``); an employee without a link yet
    falls back on the SKP's recorded assessor.
    """
    today = clock.today()
    linked = select(AssessorLink.employee_id).where(AssessorLink.employee_id == Skp.employee_id,
                                                    relations.link_covers(today)).exists()
    stmt = select(Skp).where(
        Skp.status == "SUBMITTED", Skp.employee_id != assessor.id,
        or_(Skp.employee_id.in_(relations.assessees_select(assessor.id, today)),
            and_(~linked, Skp.assessor_id.in_(relations.stands_for_select(assessor.id, today)))))
    if year is not None:
        stmt = stmt.where(Skp.year == year)
    return stmt


def _counts(skp_ids: list[int]) -> dict[int, tuple[int, int, int]]:
    """Return {skp id: (RHK count, IKI count, RHK not yet linked)} in one query grouped by RHK."""
    if not skp_ids:
        return {}
    rhk = RencanaHasilKerja
    rows = db.session.execute(
        select(rhk.skp_id, rhk.kind, rhk.source, rhk.parent_rhk_id, rhk.iku_id, rhk.rencana_aksi_id, rhk.task_origin,
               func.count(Iki.id))
        .outerjoin(Iki, Iki.rhk_id == rhk.id)
        .where(rhk.skp_id.in_(skp_ids))
        .group_by(rhk.id, rhk.skp_id, rhk.kind, rhk.source, rhk.parent_rhk_id, rhk.iku_id, rhk.rencana_aksi_id,
                  rhk.task_origin))
    counts: dict[int, list[int]] = {}
    for skp_id, kind, source, parent_id, iku_id, action_id, origin, iki in rows:
        total = counts.setdefault(skp_id, [0, 0, 0])
        total[0] += 1
        total[1] += iki
        if skp_rules.missing_rhk_link(kind, source, parent_rhk_id=parent_id, iku_id=iku_id,
                                      rencana_aksi_id=action_id, task_origin=origin) is not None:
            total[2] += 1
    return {skp_id: tuple(total) for skp_id, total in counts.items()}


def approval_queue(assessor: Employee, year: int | None = None) -> list[QueueItem]:
    """Return the submitted SKPs the assessor (himself or as PLT/PLH) must approve, oldest submission
    first, with employee and unit loaded and RHK/IKI (and RHK not yet linked) counted: three queries in all."""
    skps = list(db.session.scalars(
        _queue_stmt(assessor, year)
        .options(selectinload(Skp.employee), selectinload(Skp.unit))
        .order_by(Skp.submitted_at, Skp.id)))
    counts = _counts([s.id for s in skps])
    return [QueueItem(s, *counts.get(s.id, (0, 0, 0))) for s in skps]


def approval_queue_count(assessor: Employee, year: int | None = None) -> int:
    """Count the submitted SKPs waiting for this assessor."""
    return db.session.scalar(select(func.count()).select_from(_queue_stmt(assessor, year).subquery())) or 0


def queue_item(skp: Skp) -> QueueItem:
    """Return one SKP in the shape ``approval_queue`` gives (for re-rendering a single row)."""
    return QueueItem(skp, *_counts([skp.id]).get(skp.id, (0, 0, 0)))


# --- the planning dashboard ----------------------------------------------------------------------

@dataclass
class PersonRow:
    """An employee of the dashboard with his SKP status of the year (None: no SKP)."""

    employee: Employee
    status: str | None
    skp_id: int | None = None
    submitted_at: datetime | None = None
    assessor_name: str | None = None

    @property
    def name(self) -> str:
        return self.employee.name

    @property
    def nip(self) -> str:
        return self.employee.nip

    @property
    def unit_name(self) -> str:
        return self.employee.unit.name


@dataclass
class UnitRow:
    """Counts of one sub-unit (with everything below it)."""

    unit: Unit
    employee_count: int = 0
    without_skp_count: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return self.unit.code

    @property
    def name(self) -> str:
        return self.unit.name


@dataclass
class UnitPlanningStatus:
    """The planning dashboard of a unit and everything below it for one year."""

    unit: Unit
    year: int
    rows: list[PersonRow]
    units: list[UnitRow]

    @property
    def unit_name(self) -> str:
        return self.unit.name

    @property
    def employee_count(self) -> int:
        return len(self.rows)

    @property
    def without_skp(self) -> list[PersonRow]:
        return [row for row in self.rows if row.status is None]

    @property
    def waiting(self) -> list[PersonRow]:
        return [row for row in self.rows if row.status == "SUBMITTED"]

    @property
    def counts(self) -> dict[str, int]:
        found = Counter(row.status for row in self.rows if row.status is not None)
        return {status: found[status] for status in STATUS_ORDER if found[status]}


def unit_planning_status(unit: Unit, year: int) -> UnitPlanningStatus:
    """Return, for a unit and its sub-units, each employee with the status of his current SKP of the year
    (None when he has none), and the counts per direct sub-unit. Four queries, whatever the size."""
    employees = list(db.session.scalars(
        select(Employee).join(Unit, Unit.id == Employee.unit_id)
        .where(Unit.path.like(f"{unit.path}%"))
        .options(selectinload(Employee.unit))
        .order_by(Unit.path, Employee.name_key, Employee.nip)))
    ids = [e.id for e in employees]
    latest: dict[int, Skp] = {}
    if ids:
        skps = db.session.scalars(
            select(Skp).where(Skp.year == year, Skp.status != "SUPERSEDED", Skp.employee_id.in_(ids))
            .options(selectinload(Skp.assessor))
            .order_by(Skp.employee_id, Skp.period_start, Skp.version, Skp.id))
        for skp in skps:
            latest[skp.employee_id] = skp  # the latest period's newest version wins
    rows = []
    for employee in employees:
        skp = latest.get(employee.id)
        rows.append(PersonRow(
            employee, skp.status if skp else None, skp.id if skp else None,
            skp.submitted_at if skp else None, skp.assessor.name if skp is not None and skp.assessor else None))
    children = list(db.session.scalars(select(Unit).where(Unit.parent_id == unit.id).order_by(Unit.code)))
    units = []
    for child in children:
        inside = [row for row in rows if row.employee.unit.path.startswith(child.path)]
        found = Counter(row.status for row in inside if row.status is not None)
        units.append(UnitRow(child, len(inside), sum(1 for row in inside if row.status is None),
                             {s: found[s] for s in STATUS_ORDER if found[s]}))
    return UnitPlanningStatus(unit, year, rows, units)


def days_until_sync(today: date, year: int) -> int:
    """Return the days from ``today`` to the 6 February synchronisation of ``year`` (negative after)."""
    return calendar_rules.days_until_sync(today, year)

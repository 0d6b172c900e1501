"""State changes of the organisation: units, employees, positions, acting, overrides.

Every function here writes an audit row for what it changes. None commits: the caller
(a view, a CLI command, an import) commits once, so an import is all-or-nothing.
"""

from datetime import date, timedelta

from sqlalchemy import select

from kinerja import clock
from kinerja.audit.services import record, snapshot
from kinerja.extensions import db
from kinerja.org.models import ActingAssignment, DelegationOverride, Employee, Position, Unit
from kinerja.org.relations import refresh_assessor_links

UNIT_FIELDS = ("code", "name", "parent_id", "level", "region", "kind", "timezone")
EMPLOYEE_FIELDS = ("nip", "name", "status", "jenjang", "jf_name", "golongan", "unit_id", "is_head", "email")
POSITION_FIELDS = ("unit_id", "jenjang", "jf_name", "is_head")


def refresh_unit_tree() -> None:
    """Recompute path, depth and the inherited kind, region and time zone of every unit.

    Two thousand units fit in memory; one pass from the roots keeps the rule simple.
    """
    units = list(db.session.scalars(select(Unit)))
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    stack = [(root, None) for root in children.get(None, [])]
    while stack:
        unit, parent = stack.pop()
        if parent is None:
            unit.path, unit.depth = f"/{unit.id}/", 0
            unit.effective_kind = unit.kind
            unit.effective_region = unit.region
            unit.effective_timezone = unit.timezone or clock.default_zone()
        else:
            unit.path, unit.depth = f"{parent.path}{unit.id}/", parent.depth + 1
            unit.effective_kind = unit.kind or parent.effective_kind
            unit.effective_region = "PERWAKILAN" if parent.effective_region == "PERWAKILAN" else unit.region
            unit.effective_timezone = unit.timezone or parent.effective_timezone
        stack.extend((child, unit) for child in children.get(unit.id, []))


def save_unit(actor, *, code: str, name: str, parent: Unit | None, level: str, region: str = "PUSAT",
              kind: str | None = None, timezone: str | None = None, refresh: bool = True) -> Unit:
    """Create or update the unit keyed by ``code``."""
    unit = db.session.scalar(select(Unit).where(Unit.code == code))
    before = snapshot(unit, UNIT_FIELDS) if unit else None
    if unit is None:
        unit = Unit(code=code)
        db.session.add(unit)
    unit.name, unit.level, unit.region = name, level, region
    unit.parent = parent
    unit.parent_id = parent.id if parent is not None else None
    unit.kind, unit.timezone = kind or None, timezone or None
    db.session.flush()
    after = snapshot(unit, UNIT_FIELDS)
    if before != after:
        record(actor, "unit.create" if before is None else "unit.update", "unit", unit.code, before, after)
    if refresh:
        refresh_unit_tree()
    return unit


def _move_position(employee: Employee, start: date) -> None:
    """Close the open position and open one matching the employee's current fields."""
    current = db.session.scalar(
        select(Position).where(Position.employee_id == employee.id, Position.end.is_(None))
    )
    if current is not None and snapshot(current, POSITION_FIELDS) == snapshot(employee, POSITION_FIELDS):
        return
    if current is not None:
        if current.start >= start:
            # changed again on the day it started: correct it rather than keep a zero-length row
            for field in POSITION_FIELDS:
                setattr(current, field, getattr(employee, field))
            return
        current.end = start - timedelta(days=1)
    db.session.add(
        Position(employee_id=employee.id, unit_id=employee.unit_id, jenjang=employee.jenjang,
                 jf_name=employee.jf_name, is_head=employee.is_head, start=start)
    )


def save_employee(actor, *, nip: str, name: str, status: str, jenjang: str, unit: Unit,
                  jf_name: str | None = None, golongan: str | None = None, is_head: bool = False,
                  email: str | None = None, effective: date | None = None) -> Employee:
    """Create or update the employee keyed by ``nip``; a change of unit, jenjang or headship
    closes the old ``Position`` the day before ``effective`` (default today) and opens a new one.
    A new employee's first position starts on 1 January of the year so the whole year resolves."""
    unit_id = unit.id  # read first: refreshing an expired unit would autoflush a half-filled new employee
    employee = db.session.scalar(select(Employee).where(Employee.nip == nip))
    before = snapshot(employee, EMPLOYEE_FIELDS) if employee else None
    is_new = employee is None
    if is_new:
        employee = Employee(nip=nip)
        db.session.add(employee)
    employee.name, employee.name_key = name, name.lower()
    employee.status, employee.jenjang = status, jenjang
    employee.jf_name, employee.golongan = jf_name or None, golongan or None
    employee.unit, employee.unit_id = unit, unit_id
    employee.is_head, employee.email = bool(is_head), email or None
    db.session.flush()
    today = effective or clock.today()
    _move_position(employee, date(today.year, 1, 1) if is_new and effective is None else today)
    after = snapshot(employee, EMPLOYEE_FIELDS)
    if before != after:
        record(actor, "employee.create" if is_new else "employee.update", "employee", nip, before, after)
    return employee


def add_acting(actor, *, employee: Employee, unit: Unit, kind: str, start: date, end: date,
               refresh: bool = True) -> ActingAssignment:
    """Record a PLT/PLH assignment and rewrite the assessor links in the same transaction
    (``refresh=False``: the caller rewrites them once after a batch, as an import does)."""
    acting = ActingAssignment(employee_id=employee.id, unit_id=unit.id, kind=kind, start=start, end=end)
    db.session.add(acting)
    db.session.flush()
    record(actor, "acting.create", "employee", employee.nip, None,
           {"unit": unit.code, "kind": kind, "start": start, "end": end})
    if refresh:
        refresh_assessor_links()
    return acting


def end_acting(actor, acting: ActingAssignment, end: date, refresh: bool = True) -> ActingAssignment:
    """End a PLT/PLH assignment early (or extend it) and rewrite the assessor links (see ``add_acting``)."""
    before = {"unit": acting.unit.code, "kind": acting.kind, "start": acting.start, "end": acting.end}
    acting.end = end
    record(actor, "acting.update", "employee", acting.employee.nip, before, {**before, "end": end})
    if refresh:
        db.session.flush()
        refresh_assessor_links()
    return acting


def add_override(actor, *, employee: Employee, assessor: Employee, reason: str, start: date,
                 end: date | None = None, assessor_superior: Employee | None = None,
                 refresh: bool = True) -> DelegationOverride:
    """Record HR's delegation override, which wins over the table, and rewrite the assessor links
    (see ``add_acting``)."""
    override = DelegationOverride(
        employee_id=employee.id, assessor_id=assessor.id,
        assessor_superior_id=assessor_superior.id if assessor_superior else None,
        reason=reason, start=start, end=end, created_at=clock.stamp(),
    )
    db.session.add(override)
    db.session.flush()
    record(actor, "override.create", "employee", employee.nip, None,
           {"assessor": assessor.nip, "assessor_superior": assessor_superior.nip if assessor_superior else None,
            "start": start, "end": end}, reason=reason)
    if refresh:
        refresh_assessor_links()
    return override

"""Read-only queries behind the HR pages: few statements per page, no N+1.

Nothing here changes state; the state changes live in ``services.py`` and the assessor
engine in ``assessors.py``.
"""

import math
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import quote

from flask import abort
from sqlalchemy import Row, and_, func, select
from sqlalchemy.orm import joinedload

from kinerja import clock
from kinerja.extensions import db
from kinerja.org.models import ActingAssignment, AssessorLink, DelegationOverride, Employee, Position, Unit
from kinerja.org.relations import link_covers
from kinerja.rules.assessor import PROBLEM_LABELS, RULE_LABELS


def problem_label(code: str | None) -> str | None:
    """Return the Bahasa text of an assessor-engine problem code (the code itself when unknown)."""
    if code is None:
        return None
    return PROBLEM_LABELS.get(code, code)


def rule_label(code: str | None) -> str:
    """Return the Bahasa text of the assessor table row that decided a resolution."""
    return RULE_LABELS.get(code, code or "")


@dataclass
class Page:
    """One page of a list: its rows, the total count and the page numbers."""

    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.per_page)


def paginate(stmt, count_stmt, page: int, per_page: int, unique: bool = False) -> Page:
    """Run a COUNT and a LIMIT/OFFSET query; a page past the end shows the last page."""
    total = db.session.scalar(count_stmt) or 0
    pages = max(1, math.ceil(total / per_page))
    page = min(max(1, page), pages)
    result = db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page))
    items = list(result.unique() if unique else result)
    return Page(items=items, total=total, page=page, per_page=per_page)


# --- units -------------------------------------------------------------------------------


@dataclass
class UnitNode:
    """A unit in the tree (plain rows, not ORM objects: the tree has ~2,000 of them), with its
    head, today's PLT/PLH (rows with ``nip``, ``name`` and, for acting, ``kind``) and children."""

    unit: Row
    href: str
    head: Row | None = None
    acting: list[Row] = field(default_factory=list)
    children: list["UnitNode"] = field(default_factory=list)


def unit_by_code(code: str) -> Unit | None:
    """Return the unit with this code, or None."""
    return db.session.scalar(select(Unit).where(Unit.code == code))


def get_unit_or_404(code: str) -> Unit:
    """Load a unit by code; 404 when unknown."""
    unit = unit_by_code(code)
    if unit is None:
        abort(404, description="Unit kerja tidak ditemukan.")
    return unit


def heads_by_unit(unit_ids=None) -> dict[int, Row]:
    """Return the current head of each unit (all units, or the given ones) by unit id, as rows
    with ``nip`` and ``name``."""
    stmt = select(Employee.unit_id, Employee.nip, Employee.name).where(Employee.is_head.is_(True))
    if unit_ids is not None:
        stmt = stmt.where(Employee.unit_id.in_(list(unit_ids)))
    heads: dict[int, Row] = {}
    for row in db.session.execute(stmt.order_by(Employee.id)):
        heads.setdefault(row.unit_id, row)
    return heads


def acting_by_unit(on: date, unit_ids=None) -> dict[int, list[Row]]:
    """Return the PLT/PLH running on ``on`` by unit id, as rows with ``kind``, ``nip`` and ``name``."""
    stmt = (
        select(ActingAssignment.unit_id, ActingAssignment.kind, Employee.nip, Employee.name)
        .join(Employee, Employee.id == ActingAssignment.employee_id)
        .where(ActingAssignment.start <= on, ActingAssignment.end >= on)
        .order_by(ActingAssignment.kind, ActingAssignment.start)
    )
    if unit_ids is not None:
        stmt = stmt.where(ActingAssignment.unit_id.in_(list(unit_ids)))
    acting: dict[int, list[Row]] = {}
    for row in db.session.execute(stmt):
        acting.setdefault(row.unit_id, []).append(row)
    return acting


def unit_tree(on: date, unit_url: str) -> list[UnitNode]:
    """Return the root nodes of the whole unit tree: three column queries, nesting built in Python.

    :param unit_url: the unit page's URL prefix; each node's ``href`` is it plus the quoted code
    """
    units = db.session.execute(
        select(Unit.id, Unit.parent_id, Unit.code, Unit.name, Unit.level, Unit.depth, Unit.effective_region,
               Unit.effective_kind, Unit.effective_timezone).order_by(Unit.depth, Unit.code)
    ).all()
    heads, acting = heads_by_unit(), acting_by_unit(on)
    nodes = {
        unit.id: UnitNode(unit, f"{unit_url}/{quote(unit.code, safe='')}", heads.get(unit.id), acting.get(unit.id, []))
        for unit in units
    }
    roots: list[UnitNode] = []
    for unit in units:  # ordered by depth, then code: children come out sorted by code
        parent = nodes.get(unit.parent_id) if unit.parent_id is not None else None
        (parent.children if parent is not None else roots).append(nodes[unit.id])
    return roots


def children_of(unit: Unit) -> list[Unit]:
    """Return the direct sub-units of a unit, ordered by code."""
    return list(db.session.scalars(select(Unit).where(Unit.parent_id == unit.id).order_by(Unit.code)))


def ancestors_of(unit: Unit) -> list[Unit]:
    """Return the units from the root down to ``unit`` (inclusive), in one query."""
    ids = unit.ancestor_ids() or [unit.id]
    by_id = {u.id: u for u in db.session.scalars(select(Unit).where(Unit.id.in_(ids)))}
    return [by_id[i] for i in ids if i in by_id]


def unit_employees(unit: Unit, page: int, per_page: int) -> Page:
    """Return one page of the employees placed in the unit itself, heads first."""
    where = Employee.unit_id == unit.id
    stmt = select(Employee).where(where).order_by(Employee.is_head.desc(), Employee.name_key, Employee.nip)
    return paginate(stmt, select(func.count(Employee.id)).where(where), page, per_page)


def acting_of_unit(unit: Unit) -> list[ActingAssignment]:
    """Return every PLT/PLH assignment of a unit, newest first, with its employee."""
    stmt = (
        select(ActingAssignment)
        .options(joinedload(ActingAssignment.employee))
        .where(ActingAssignment.unit_id == unit.id)
        .order_by(ActingAssignment.start.desc(), ActingAssignment.id.desc())
    )
    return list(db.session.scalars(stmt))


def acting_overlaps(unit: Unit, kind: str, start: date, end: date, exclude_id: int | None = None) -> bool:
    """Tell whether another assignment of the same kind on the unit overlaps ``start``–``end``."""
    stmt = select(ActingAssignment.id).where(
        ActingAssignment.unit_id == unit.id,
        ActingAssignment.kind == kind,
        ActingAssignment.start <= end,
        ActingAssignment.end >= start,
    )
    if exclude_id is not None:
        stmt = stmt.where(ActingAssignment.id != exclude_id)
    return db.session.scalar(stmt.limit(1)) is not None


# --- employees ---------------------------------------------------------------------------


def employee_by_nip(nip: str) -> Employee | None:
    """Return the employee with this NIP, or None."""
    return db.session.scalar(select(Employee).where(Employee.nip == nip.strip()))


def search_employees(q: str = "", unit: Unit | None = None, jenjang: str | None = None, *,
                     page: int = 1, per_page: int = 50) -> Page:
    """Return one page of employees matching a NIP prefix or a name fragment, a unit subtree
    and a jenjang, ordered by name; a COUNT, one page query with the unit joined.

    An all-digit ``q`` is a NIP prefix, asked as a range (``nip >= q AND nip < q + ':'``) so the
    unique index on ``nip`` answers it in SQLite and PostgreSQL alike (``:`` follows ``9``);
    any other ``q`` is a substring of the lower-cased name (``name_key``).
    """
    conditions = []
    q = (q or "").strip()
    if q:
        if q.isdigit():
            conditions.append(and_(Employee.nip >= q, Employee.nip < q + ":"))
        else:
            conditions.append(Employee.name_key.contains(q.lower(), autoescape=True))
    if unit is not None:
        subtree = select(Unit.id).where(Unit.path.startswith(unit.path))  # the unit and everything below
        conditions.append(Employee.unit_id.in_(subtree))
    if jenjang:
        conditions.append(Employee.jenjang == jenjang)
    stmt = (
        select(Employee)
        .options(joinedload(Employee.unit))
        .where(*conditions)
        .order_by(Employee.name_key, Employee.nip)
    )
    return paginate(stmt, select(func.count(Employee.id)).where(*conditions), page, per_page)


def links_for(employees) -> dict[int, AssessorLink]:
    """Return today's assessor snapshot of the given employees, with the assessors, by employee id."""
    ids = [employee.id for employee in employees]
    if not ids:
        return {}
    stmt = (
        select(AssessorLink)
        .options(joinedload(AssessorLink.assessor), joinedload(AssessorLink.assessor_superior))
        .where(AssessorLink.employee_id.in_(ids), link_covers(clock.today()))
    )
    return {link.employee_id: link for link in db.session.scalars(stmt)}


def positions_of(employee: Employee) -> list[Position]:
    """Return an employee's position history, newest first, with units."""
    stmt = (
        select(Position)
        .options(joinedload(Position.unit))
        .where(Position.employee_id == employee.id)
        .order_by(Position.start.desc(), Position.id.desc())
    )
    return list(db.session.scalars(stmt))


def acting_held_by(employee: Employee) -> list[ActingAssignment]:
    """Return the PLT/PLH assignments an employee holds, newest first, with units."""
    stmt = (
        select(ActingAssignment)
        .options(joinedload(ActingAssignment.unit))
        .where(ActingAssignment.employee_id == employee.id)
        .order_by(ActingAssignment.start.desc(), ActingAssignment.id.desc())
    )
    return list(db.session.scalars(stmt))


def overrides_of(employee: Employee) -> list[DelegationOverride]:
    """Return HR's delegation overrides for an employee, newest first, with the people named."""
    stmt = (
        select(DelegationOverride)
        .options(joinedload(DelegationOverride.assessor), joinedload(DelegationOverride.assessor_superior))
        .where(DelegationOverride.employee_id == employee.id)
        .order_by(DelegationOverride.start.desc(), DelegationOverride.id.desc())
    )
    return list(db.session.scalars(stmt))


# --- dashboard ---------------------------------------------------------------------------


def count_without_assessor() -> int:
    """Count the employees whose snapshot reports a problem (no Pejabat Penilai)."""
    return db.session.scalar(select(func.count()).select_from(AssessorLink).where(
        AssessorLink.problem.is_not(None), link_covers(clock.today())))


def count_employees() -> int:
    """Count every employee."""
    return db.session.scalar(select(func.count(Employee.id))) or 0


def counts_per_region() -> list[dict]:
    """Return, per region (Pusat, Perwakilan), the number of units, employees and employees
    whose snapshot reports a problem; three grouped queries."""
    units = dict(
        db.session.execute(select(Unit.effective_region, func.count(Unit.id)).group_by(Unit.effective_region)).all()
    )
    employees = dict(
        db.session.execute(
            select(Unit.effective_region, func.count(Employee.id)).join(Employee.unit).group_by(Unit.effective_region)
        ).all()
    )
    problems = dict(
        db.session.execute(
            select(Unit.effective_region, func.count(AssessorLink.employee_id))
            .join(Employee, Employee.id == AssessorLink.employee_id)
            .join(Unit, Unit.id == Employee.unit_id)
            .where(AssessorLink.problem.is_not(None), link_covers(clock.today()))
            .group_by(Unit.effective_region)
        ).all()
    )
    regions = sorted(set(units) | set(employees), key=lambda r: (r != "PUSAT", r))
    return [
        {"region": region, "units": units.get(region, 0), "employees": employees.get(region, 0),
         "without_assessor": problems.get(region, 0)}
        for region in regions
    ]

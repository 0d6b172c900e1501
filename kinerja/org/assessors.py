"""The Pejabat Penilai engine over the database: who assesses an employee on a date.

The rules live in ``kinerja.rules.assessor``; this module only loads what they need:
the employee's ``Position`` on the date, his chain of units (one query through
``Unit.path``), the heads of those units on the date (definitive heads from ``Position``,
PLT/PLH from ``ActingAssignment``) and HR's ``DelegationOverride``. ``resolve_all`` loads
the same things once for the whole agency; ``refresh_assessor_links`` stores its answers from
today on, with their validity, in ``AssessorLink``. Callers ask ``kinerja.org.relations``.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import delete, insert, or_, select, union
from sqlalchemy import inspect as sa_inspect

from kinerja import clock
from kinerja.extensions import db
from kinerja.org.models import ActingAssignment, AssessorLink, DelegationOverride, Employee, Position, Unit
from kinerja.rules.assessor import (
    PROBLEM_LABELS,
    RULE_LABELS,
    Official,
    Override,
    Resolution,
    Subject,
    UnitNode,
    choose_head,
    resolve,
)
from kinerja.rules.vocabulary import Region, UnitKind, UnitLevel

_SPECIAL_KINDS = (UnitKind.SESTAMA.value, UnitKind.SEKRETARIAT_PERWAKILAN.value)


@dataclass(frozen=True)
class Resolved:
    """The engine's answer for one employee on one date, with people as ``Employee`` rows."""

    employee: Employee
    on: date
    assessor: Employee | None
    assessor_superior: Employee | None
    rule: str
    problem: str | None = None
    assessor_acting: str | None = None  # "PLT" / "PLH" when the assessor holds the post acting
    assessor_superior_acting: str | None = None

    @property
    def rule_label(self) -> str:
        """Return the Bahasa Indonesia label of the table row."""
        return RULE_LABELS.get(self.rule, self.rule)

    @property
    def problem_label(self) -> str | None:
        """Return the Bahasa Indonesia label of the problem, if any."""
        return PROBLEM_LABELS.get(self.problem, self.problem) if self.problem else None


class _UnitRow(NamedTuple):
    id: int
    code: str
    level: str
    region: str  # effective
    kind: str | None  # effective
    own_kind: str | None
    path: str
    depth: int


class _EmployeeRow(NamedTuple):
    id: int
    nip: str
    name: str
    status: str
    jenjang: str
    jf_name: str | None
    golongan: str | None
    unit_id: int
    is_head: bool


_UNIT_COLUMNS = (Unit.id, Unit.code, Unit.level, Unit.effective_region, Unit.effective_kind, Unit.kind,
                 Unit.path, Unit.depth)
_EMPLOYEE_COLUMNS = (Employee.id, Employee.nip, Employee.name, Employee.status, Employee.jenjang,
                     Employee.jf_name, Employee.golongan, Employee.unit_id, Employee.is_head)


def _covering(model, on: date):
    """Return the filter "valid on ``on``" for a model with ``start`` and an optional ``end``."""
    return (model.start <= on, or_(model.end.is_(None), model.end >= on))


def _ancestor_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


class _OrgView:
    """The part of the organisation the rules need on one date, with per-unit caches."""

    def __init__(self, units: Iterable[_UnitRow], definitive: dict[int, list[Official]],
                 acting: dict[int, list[Official]]):
        self.units = {row.id: row for row in units}
        self.definitive = definitive
        self.acting = acting
        specials = sorted((row for row in self.units.values() if row.own_kind in _SPECIAL_KINDS),
                          key=lambda row: (row.depth, row.id))
        self.sekretariats = [row for row in specials if row.own_kind == UnitKind.SEKRETARIAT_PERWAKILAN]
        sestama = next((row for row in specials if row.own_kind == UnitKind.SESTAMA), None)
        self.sestama_id = sestama.id if sestama else None
        self._nodes: dict[int, UnitNode] = {}
        self._context: dict[int, tuple[tuple[UnitNode, ...], UnitNode | None, UnitNode | None]] = {}

    def node(self, unit_id: int) -> UnitNode:
        """Return the unit as the rules see it, with its head on the date."""
        node = self._nodes.get(unit_id)
        if node is None:
            row = self.units[unit_id]
            head = choose_head(self.definitive.get(unit_id, ()), self.acting.get(unit_id, ()))
            node = UnitNode(row.id, row.code, row.level, row.region, row.kind, head)
            self._nodes[unit_id] = node
        return node

    def context(self, unit_id: int) -> tuple[tuple[UnitNode, ...], UnitNode | None, UnitNode | None]:
        """Return (chain from the unit up to the root, Sestama, Sekretariat of its Perwakilan)."""
        cached = self._context.get(unit_id)
        if cached is not None:
            return cached
        row = self.units[unit_id]
        ids = [i for i in reversed(_ancestor_ids(row.path)) if i in self.units]
        chain = tuple(self.node(i) for i in ids)
        sestama = sekretariat = None
        if row.region == Region.PERWAKILAN:
            if self.sestama_id is not None:
                sestama = self.node(self.sestama_id)
            found = self.sekretariat_for(chain)
            sekretariat = self.node(found.id) if found else None
        cached = (chain, sestama, sekretariat)
        self._context[unit_id] = cached
        return cached

    def sekretariat_for(self, chain: Sequence[UnitNode | _UnitRow]) -> _UnitRow | None:
        """Return the SEKRETARIAT_PERWAKILAN unit under the Perwakilan of a chain (own unit first)."""
        perwakilan = next((n for n in chain if n.level == UnitLevel.ESELON_II and n.region == Region.PERWAKILAN),
                          None)
        if perwakilan is None:
            perwakilan = next((n for n in reversed(chain) if n.region == Region.PERWAKILAN), None)
        if perwakilan is None:
            return None
        prefix = self.units[perwakilan.id].path
        return next((row for row in self.sekretariats if row.path.startswith(prefix)), None)

    def resolve(self, subject: Subject, unit_id: int, override: Override | None) -> Resolution:
        """Resolve one subject placed in ``unit_id``."""
        chain, sestama, sekretariat = self.context(unit_id)
        return resolve(subject, chain, sestama, sekretariat, override)


def _definitive_heads(rows) -> dict[int, list[Official]]:
    """Group rows (unit_id, start, employee id, nip, name, jenjang) newest appointment first."""
    heads: dict[int, list[tuple]] = {}
    for unit_id, start, emp_id, nip, name, jenjang in rows:
        heads.setdefault(unit_id, []).append((start, emp_id, nip, name, jenjang))
    return {
        unit_id: [Official(e, n, nm, j) for _, e, n, nm, j in sorted(items, key=lambda t: (-t[0].toordinal(), t[1]))]
        for unit_id, items in heads.items()
    }


def _acting_heads(rows) -> dict[int, list[Official]]:
    """Group rows (unit_id, kind, start, employee id, nip, name, jenjang) newest first."""
    acting: dict[int, list[tuple]] = {}
    for unit_id, kind, start, emp_id, nip, name, jenjang in rows:
        acting.setdefault(unit_id, []).append((start, emp_id, nip, name, jenjang, kind))
    return {
        unit_id: [Official(e, n, nm, j, k) for _, e, n, nm, j, k in sorted(items, key=lambda t: (-t[0].toordinal(),
                                                                                              t[1]))]
        for unit_id, items in acting.items()
    }


def _head_queries(on: date, unit_ids: list[int] | None):
    """Return the statements for definitive and acting heads on a date (all units when None)."""
    definitive = (
        select(Position.unit_id, Position.start, Employee.id, Employee.nip, Employee.name, Position.jenjang)
        .join(Employee, Employee.id == Position.employee_id)
        .where(Position.is_head.is_(True), *_covering(Position, on))
    )
    acting = (
        select(ActingAssignment.unit_id, ActingAssignment.kind, ActingAssignment.start, Employee.id, Employee.nip,
               Employee.name, Employee.jenjang)
        .join(Employee, Employee.id == ActingAssignment.employee_id)
        .where(*_covering(ActingAssignment, on))
    )
    if unit_ids is not None:
        definitive = definitive.where(Position.unit_id.in_(unit_ids))
        acting = acting.where(ActingAssignment.unit_id.in_(unit_ids))
    return definitive, acting


def _official(employee: Employee | _EmployeeRow) -> Official:
    return Official(employee.id, employee.nip, employee.name, employee.jenjang)


def _subject(employee: Employee | _EmployeeRow, position: tuple | None) -> tuple[Subject, int]:
    """Return the subject as of his position (unit_id, jenjang, jf_name, is_head) and his unit id.

    Without a position on the date (before his first one), his current fields stand in."""
    unit_id, jenjang, jf_name, is_head = position or (
        employee.unit_id, employee.jenjang, employee.jf_name, employee.is_head)
    subject = Subject(employee.id, employee.nip, employee.status, jenjang, jf_name, employee.golongan, bool(is_head))
    return subject, unit_id


def _override_query(on: date):
    return (
        select(DelegationOverride)
        .where(*_covering(DelegationOverride, on))
        .order_by(DelegationOverride.start.desc(), DelegationOverride.created_at.desc(), DelegationOverride.id.desc())
    )


def resolve_for(employee: Employee, on: date | None = None) -> Resolved:
    """Resolve one employee's Pejabat Penilai and Atasan Pejabat Penilai on a date (default today).

    A handful of indexed queries: his position, his chain of units, their heads, acting
    officials and an override; the rest of the organisation is never loaded.
    """
    on = on or clock.today()
    # his position on the date and the unit it is in, in one round trip
    has_override = (
        select(DelegationOverride.id)
        .where(DelegationOverride.employee_id == employee.id, *_covering(DelegationOverride, on))
        .exists()
    )
    row = db.session.execute(
        select(Position.unit_id, Position.jenjang, Position.jf_name, Position.is_head,
               Unit.path, Unit.effective_region, has_override.label("has_override"))
        .join(Unit, Unit.id == Position.unit_id)
        .where(Position.employee_id == employee.id, *_covering(Position, on))
        .order_by(Position.start.desc(), Position.id.desc())
        .limit(1)
    ).first()
    subject, unit_id = _subject(employee, tuple(row[:4]) if row else None)
    if row is not None:
        own = (row.path, row.effective_region)
    else:  # before his first position: his current unit stands in
        own = db.session.execute(select(Unit.path, Unit.effective_region).where(Unit.id == unit_id)).first()
    ids = _ancestor_ids(own[0]) if own else [unit_id]
    in_perwakilan = own is not None and own[1] == Region.PERWAKILAN
    units_stmt = select(*_UNIT_COLUMNS)
    if in_perwakilan:
        # the Sestama and the Sekretariat units are a few dozen rows: fetch them with the chain
        units_stmt = units_stmt.where(or_(Unit.id.in_(ids), Unit.kind.in_(_SPECIAL_KINDS)))
    else:
        units_stmt = units_stmt.where(Unit.id.in_(ids))
    view = _OrgView((_UnitRow(*row) for row in db.session.execute(units_stmt)), {}, {})

    wanted = set(ids)
    if in_perwakilan:
        sekretariat = view.sekretariat_for([view.units[i] for i in reversed(ids) if i in view.units])
        wanted |= {i for i in (view.sestama_id, sekretariat.id if sekretariat else None) if i is not None}
    definitive_stmt, acting_stmt = _head_queries(on, sorted(wanted))
    view.definitive = _definitive_heads(db.session.execute(definitive_stmt))
    view.acting = _acting_heads(db.session.execute(acting_stmt))

    # the override is asked for in the first query: most employees have none, so skip a round trip
    override = _override_for(employee.id, on) if row is None or row.has_override else None
    resolution = view.resolve(subject, unit_id, override)
    return _to_resolved(employee, on, resolution)


def _override_for(employee_id: int, on: date) -> Override | None:
    """Return HR's override for an employee valid on a date (the newest wins)."""
    row = db.session.scalar(_override_query(on).where(DelegationOverride.employee_id == employee_id).limit(1))
    if row is None:
        return None
    superior = row.assessor_superior
    return Override(_official(row.assessor), _official(superior) if superior is not None else None)


def _needs_loading(employee_id: int) -> bool:
    """Tell whether ``session.get`` would query for this employee (absent or expired)."""
    obj = db.session.identity_map.get(db.session.identity_key(Employee, employee_id))
    return obj is None or bool(sa_inspect(obj).expired_attributes)


def _to_resolved(employee: Employee, on: date, resolution: Resolution) -> Resolved:
    """Turn the rules' answer into ``Employee`` rows (one query at most for both people)."""
    wanted = {o.id for o in (resolution.assessor, resolution.assessor_superior) if o is not None}
    # hold the rows: the identity map only keeps them while something refers to them
    loaded = {}
    if any(_needs_loading(i) for i in wanted):
        loaded = {e.id: e for e in db.session.scalars(select(Employee).where(Employee.id.in_(wanted)))}

    def load(official: Official | None) -> Employee | None:
        if official is None:
            return None
        return loaded.get(official.id) or db.session.get(Employee, official.id)

    return Resolved(
        employee=employee, on=on,
        assessor=load(resolution.assessor), assessor_superior=load(resolution.assessor_superior),
        rule=str(resolution.rule), problem=str(resolution.problem) if resolution.problem else None,
        assessor_acting=resolution.assessor.acting if resolution.assessor else None,
        assessor_superior_acting=resolution.assessor_superior.acting if resolution.assessor_superior else None,
    )


def resolve_all(on: date | None = None, only=None) -> dict[int, Resolution]:
    """Resolve every employee on a date (default today), loading the organisation once.

    :param only: a SELECT of employee ids: resolve just those (the others are left out).
    """
    on = on or clock.today()
    wanted = set(db.session.scalars(only)) if only is not None else None
    units = [_UnitRow(*row) for row in db.session.execute(select(*_UNIT_COLUMNS))]
    definitive_stmt, acting_stmt = _head_queries(on, None)
    view = _OrgView(units, _definitive_heads(db.session.execute(definitive_stmt)),
                    _acting_heads(db.session.execute(acting_stmt)))

    positions: dict[int, tuple] = {}
    for emp_id, unit_id, jenjang, jf_name, is_head, _start in db.session.execute(
        select(Position.employee_id, Position.unit_id, Position.jenjang, Position.jf_name, Position.is_head,
               Position.start)
        .where(*_covering(Position, on), *((Position.employee_id.in_(only),) if only is not None else ()))
        .order_by(Position.employee_id, Position.start, Position.id)
    ):
        positions[emp_id] = (unit_id, jenjang, jf_name, is_head)  # the latest start wins

    employees = {row[0]: _EmployeeRow(*row) for row in db.session.execute(select(*_EMPLOYEE_COLUMNS))}
    overrides: dict[int, Override] = {}
    for row in db.session.execute(
        select(DelegationOverride.employee_id, DelegationOverride.assessor_id,
               DelegationOverride.assessor_superior_id).where(*_covering(DelegationOverride, on))
        .order_by(DelegationOverride.start.desc(), DelegationOverride.created_at.desc(),
                  DelegationOverride.id.desc())
    ):
        emp_id, assessor_id, superior_id = row
        if emp_id in overrides or assessor_id not in employees:
            continue
        superior = _official(employees[superior_id]) if superior_id in employees else None
        overrides[emp_id] = Override(_official(employees[assessor_id]), superior)

    results: dict[int, Resolution] = {}
    for emp_id, employee in employees.items():
        if wanted is not None and emp_id not in wanted:
            continue
        subject, unit_id = _subject(employee, positions.get(emp_id))
        if unit_id not in view.units:
            continue  # cannot happen with the foreign key; keeps a broken row from stopping the batch
        results[emp_id] = view.resolve(subject, unit_id, overrides.get(emp_id))
    return results


# A refresh stores the answers from its day up to this many days ahead (dated facts beyond
# it are picked up by the daily job) and resolves at most this many days of change.
LINK_HORIZON_DAYS = 400
MAX_CHANGE_DAYS = 60


def change_days(on: date) -> list[date]:
    """Return the days after ``on`` (within the horizon) on which a dated fact starts or stops:
    a position, a PLT/PLH or an override. Between two of them every answer stays the same."""
    last = on + timedelta(days=LINK_HORIZON_DAYS)
    days: set[date] = set()
    for model in (Position, ActingAssignment, DelegationOverride):
        days.update(db.session.scalars(select(model.start).where(model.start > on, model.start <= last)
                                       .distinct()))
        days.update(end + timedelta(days=1) for end in db.session.scalars(
            select(model.end).where(model.end >= on, model.end < last).distinct()))
    return sorted(day for day in days if on < day <= last)[:MAX_CHANGE_DAYS]


def _starts_or_ends(model, day: date):
    return or_(model.start == day, model.end == day - timedelta(days=1))


def _touched_on(day: date):
    """Return the SELECT of the ids of the employees whose answer a fact starting or ending on ``day``
    may change: his own position or override, or a head post (definitive or PLT/PLH) of a unit in
    his chain. A Sestama or a Sekretariat Perwakilan post touches every Perwakilan employee."""
    changed = set(db.session.scalars(select(Position.unit_id).where(Position.is_head.is_(True),
                                                                    _starts_or_ends(Position, day))))
    changed |= set(db.session.scalars(select(ActingAssignment.unit_id).where(_starts_or_ends(ActingAssignment, day))))
    parts = [select(Position.employee_id).where(_starts_or_ends(Position, day)),
             select(DelegationOverride.employee_id).where(_starts_or_ends(DelegationOverride, day))]
    if changed:
        units = db.session.execute(select(Unit.path, Unit.kind).where(Unit.id.in_(sorted(changed)))).all()
        inside = [Unit.path.startswith(path, autoescape=True) for path, _ in units]
        if any(kind in _SPECIAL_KINDS for _, kind in units):
            inside.append(Unit.effective_region == Region.PERWAKILAN)
        in_units = select(Unit.id).where(or_(*inside))
        parts.append(select(Employee.id).where(Employee.unit_id.in_(in_units)))
        parts.append(select(Position.employee_id).where(Position.unit_id.in_(in_units), *_covering(Position, day)))
    return union(*parts)


def _link_key(resolution: Resolution) -> tuple:
    return (resolution.assessor.id if resolution.assessor else None,
            resolution.assessor_superior.id if resolution.assessor_superior else None,
            str(resolution.rule), str(resolution.problem) if resolution.problem else None)


def refresh_assessor_links(on: date | None = None) -> int:
    """Rewrite the ``AssessorLink`` rows from ``on`` (default today) on and return how many
    employees were linked. The engine answers for ``on`` and for every later day a dated fact
    changes (``change_days``); an employee gets a new row only where his answer changes, so a
    PLT starting tomorrow is tomorrow's assessor without any job run in between.
    No commit, no audit row (a derived table): the caller commits."""
    on = on or clock.today()
    rows: list[dict] = []
    current: dict[int, dict] = {}
    for day in [on, *change_days(on)]:
        # after the first day, only the employees a fact of that day can touch are resolved again
        for emp_id, r in resolve_all(day, None if day == on else _touched_on(day)).items():
            key = _link_key(r)
            row = current.get(emp_id)
            if row is not None and row["key"] == key:
                continue
            if row is not None:
                row["valid_to"] = day - timedelta(days=1)
            row = {"key": key, "employee_id": emp_id, "valid_from": day, "valid_to": None}
            current[emp_id] = row
            rows.append(row)
    values = [
        {"employee_id": row["employee_id"], "valid_from": row["valid_from"], "valid_to": row["valid_to"],
         "assessor_id": row["key"][0], "assessor_superior_id": row["key"][1], "rule": row["key"][2],
         "problem": row["key"][3], "on_date": on}
        for row in rows
    ]
    db.session.execute(delete(AssessorLink), execution_options={"synchronize_session": False})
    if values:
        db.session.execute(insert(AssessorLink), values)
    # links already loaded in this session must show the new rows, not the deleted ones
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, AssessorLink):
            db.session.expunge(obj)
    return len(current)

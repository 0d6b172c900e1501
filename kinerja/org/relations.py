"""Who assesses whom and who heads what, on any date: the one place that answers it.

Every caller (access checks, the SKP and PK services and pages, the inbox, notifications, the
API) asks here; nobody else joins ``AssessorLink``, ``ActingAssignment`` or head positions to
decide a relation.

- The assessor and the assessor's superior of an employee on a date: ``resolve`` (the engine of
  ``kinerja.org.assessors`` over the decree table of ``kinerja.rules.assessor``).
- The stored answer: ``AssessorLink`` rows with a validity (``valid_from``..``valid_to``),
  written by ``refresh_assessor_links`` inside the services that change a fact. A date is a
  range lookup (``link_covers``), so a dated change takes effect on its day without a job.
- Whom an official assesses: ``assessees_select`` (a SELECT of employee ids that pages and
  counts join) and ``assessees``; he assesses as himself and as PLT/PLH of the heads whose post
  he holds on the date (``stands_for_select``).
- Whether an actor is an employee's assessor (``is_assessor``) or in his chain (assessor,
  superior and their PLT/PLH on the date: ``in_chain``).
- Who heads a unit on a date (``unit_heads``, ``unit_head``) and which units an official heads
  (``headed_units``), definitively (``Position.is_head`` on the date) or as PLT/PLH.

``resolve`` answers for today in the employee's zone; link lookups default to ``clock.today()``
(the default zone), the day the links and the daily job use: one date per statement keeps the
lookups indexed (docs/assessor-rules.md, "One relation").
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, literal, or_, select, union
from sqlalchemy.orm import contains_eager, joinedload

from kinerja import clock
from kinerja.extensions import db
from kinerja.org.assessors import Resolved, refresh_assessor_links, resolve_for
from kinerja.org.models import ActingAssignment, AssessorLink, Employee, Position, Unit

__all__ = [
    "Resolved", "refresh_assessor_links", "resolve", "link_covers", "link_of", "stands_for_select", "stands_for",
    "assessees_select", "assessees", "is_assessor", "in_chain", "unit_heads", "unit_head", "headed_units",
    "heads_unit", "acting_for_heads", "acting_heads_for", "employees_without_assessor",
]


def _on(on) -> date:
    return clock.today() if on is None else on


def resolve(employee: Employee, on: date | None = None) -> Resolved:
    """Return the employee's Pejabat Penilai and Atasan Pejabat Penilai on a date (default: today in his zone)."""
    return resolve_for(employee, on if on is not None else clock.today_for(employee))


# --- the stored links ----------------------------------------------------------------------------

def link_covers(on) -> ColumnElement[bool]:
    """Return the condition "this ``AssessorLink`` row is the answer on ``on``" (a date or a bind parameter)."""
    return (AssessorLink.valid_from <= on) & or_(AssessorLink.valid_to.is_(None), AssessorLink.valid_to >= on)


def _covers(link: AssessorLink, on: date) -> bool:
    return link.valid_from <= on and (link.valid_to is None or link.valid_to >= on)


def _held_link(employee_id: int, on: date) -> AssessorLink | None:
    """Return a link of the employee covering ``on`` already loaded in the session (no query)."""
    for key, obj in list(db.session.identity_map.items()):
        if key[0] is AssessorLink and key[1][0] == employee_id and _covers(obj, on):
            return obj
    return None


def link_of(employee_id: int, on: date | None = None) -> AssessorLink | None:
    """Return the stored answer for an employee on a date: a held row costs nothing, else one indexed query."""
    on = _on(on)
    held = _held_link(employee_id, on)
    if held is not None:
        return held
    return db.session.scalar(select(AssessorLink).where(AssessorLink.employee_id == employee_id, link_covers(on))
                             .limit(1))


def employees_without_assessor(on: date | None = None) -> list[AssessorLink]:
    """Return the links of a date (default today) that carry a problem (vacant post, missing unit, …)
    for HR's dashboard, with the employee and his unit loaded, ordered by name."""
    stmt = (
        select(AssessorLink)
        .join(Employee, Employee.id == AssessorLink.employee_id)
        .where(link_covers(_on(on)), AssessorLink.problem.is_not(None))
        .options(contains_eager(AssessorLink.employee).selectinload(Employee.unit))
        .order_by(Employee.name_key, Employee.nip)
    )
    return list(db.session.scalars(stmt))


# --- whom an official assesses -------------------------------------------------------------------

def _acting_heads_select(official_id, on):
    """SELECT of the definitive heads (on ``on``) of the units ``official_id`` holds as PLT/PLH on ``on``."""
    return (
        select(Position.employee_id)
        .join(ActingAssignment, ActingAssignment.unit_id == Position.unit_id)
        .where(ActingAssignment.employee_id == official_id, ActingAssignment.start <= on,
               ActingAssignment.end >= on, Position.is_head.is_(True), Position.start <= on,
               or_(Position.end.is_(None), Position.end >= on), Position.employee_id != official_id)
    )


def stands_for_select(official_id, on=None):
    """Return the SELECT of the ids an official acts as on a date: himself and the heads whose post he
    holds as PLT/PLH. ``official_id`` and ``on`` may be bind parameters of a statement built once."""
    on = _on(on)
    return union(select(literal(official_id) if isinstance(official_id, int) else official_id),
                 _acting_heads_select(official_id, on))


def acting_heads_for(official: Employee, on: date | None = None) -> list[int]:
    """Return the ids of the definitive heads of the units an official holds as PLT/PLH on a date."""
    return sorted(set(db.session.scalars(_acting_heads_select(official.id, _on(on)))))


def stands_for(official: Employee, on: date | None = None) -> set[int]:
    """Return the ids an official acts as on a date: himself and the heads he is PLT/PLH for."""
    return {official.id, *acting_heads_for(official, on)}


def assessees_select(official_id, on=None):
    """Return the SELECT of the ids of the employees an official assesses on a date (never himself),
    himself or as PLT/PLH; bind parameters welcome. A join or an ``IN`` for pages and counts."""
    on = _on(on)
    return (select(AssessorLink.employee_id)
            .where(link_covers(on), AssessorLink.assessor_id.in_(stands_for_select(official_id, on)),
                   AssessorLink.employee_id != official_id))


def assessees(official: Employee | None, on: date | None = None) -> list[Employee]:
    """Return the employees an official assesses on a date (default today), units loaded, by name."""
    if official is None:
        return []
    ids = list(stands_for(official, on))
    return list(db.session.scalars(
        select(Employee).join(AssessorLink, AssessorLink.employee_id == Employee.id)
        .where(link_covers(_on(on)), AssessorLink.assessor_id.in_(ids), Employee.id != official.id)
        .options(joinedload(Employee.unit))
        .order_by(Employee.name_key, Employee.nip)))


# --- is he the assessor ------------------------------------------------------------------------

def _chain(employee: Employee, on: date, superior: bool) -> set[int]:
    """Return the assessor (and his superior if asked) of an employee on a date: the stored link,
    else (no link yet, or a date before the last refresh) the engine."""
    link = link_of(employee.id, on)
    if link is not None:
        ids = {link.assessor_id, link.assessor_superior_id if superior else None}
    else:
        resolved = resolve_for(employee, on)
        ids = {getattr(resolved.assessor, "id", None),
               getattr(resolved.assessor_superior, "id", None) if superior else None}
    return ids - {None}


def is_assessor(actor: Employee | None, employee: Employee, on: date | None = None, *,
                recorded: int | None = None) -> bool:
    """Tell whether ``actor`` is the employee's Pejabat Penilai on a date, himself or as PLT/PLH (never his own).

    :param recorded: an assessor recorded on a document (an SKP's): he and his PLT/PLH count too.
    """
    if actor is None or actor.id == employee.id:
        return False
    on = _on(on)
    if recorded is not None and recorded == actor.id:
        return True
    chain = _chain(employee, on, superior=False) | ({recorded} if recorded is not None else set())
    return bool(chain) and (actor.id in chain or bool(chain & stands_for(actor, on)))


def in_chain(actor: Employee | None, employee: Employee, on: date | None = None) -> bool:
    """Tell whether ``actor`` is the employee's assessor or the assessor's superior on a date, or
    holds one of their posts as PLT/PLH on it."""
    if actor is None:
        return False
    on = _on(on)
    chain = _chain(employee, on, superior=True)
    return bool(chain) and (actor.id in chain or bool(chain & stands_for(actor, on)))


# --- who heads what ------------------------------------------------------------------------------

@dataclass
class UnitHeads:
    """Who holds a unit's head post on a date: definitive heads (newest first) and PLT/PLH."""

    definitive: list[Employee] = field(default_factory=list)
    acting: list[tuple[Employee, str]] = field(default_factory=list)  # (official, "PLT"/"PLH"), PLT first

    @property
    def head(self) -> Employee | None:
        """Return who fills the post: the definitive head, else a PLT, else a PLH."""
        if self.definitive:
            return self.definitive[0]
        return self.acting[0][0] if self.acting else None


def unit_heads(unit_id: int, on: date | None = None) -> UnitHeads:
    """Return who heads a unit on a date, definitively and as PLT/PLH."""
    on = _on(on)
    definitive = db.session.scalars(
        select(Employee).join(Position, Position.employee_id == Employee.id)
        .where(Position.unit_id == unit_id, Position.is_head.is_(True), Position.start <= on,
               or_(Position.end.is_(None), Position.end >= on))
        .order_by(Position.start.desc(), Employee.id)).unique().all()
    acting = db.session.execute(
        select(Employee, ActingAssignment.kind).join(ActingAssignment, ActingAssignment.employee_id == Employee.id)
        .where(ActingAssignment.unit_id == unit_id, ActingAssignment.start <= on, ActingAssignment.end >= on)
        .order_by(ActingAssignment.kind.desc(), ActingAssignment.start.desc(), ActingAssignment.id)).all()
    return UnitHeads(list(definitive), [(e, kind) for e, kind in acting])


def unit_head(unit_id: int, on: date | None = None) -> Employee | None:
    """Return who holds a unit's head post on a date: the definitive head, else a PLT, else a PLH."""
    return unit_heads(unit_id, on).head


def _headed_ids_select(official_id: int, on: date, *, definitive: bool = True, acting: bool = True):
    parts = []
    if definitive:
        parts.append(select(Position.unit_id).where(
            Position.employee_id == official_id, Position.is_head.is_(True), Position.start <= on,
            or_(Position.end.is_(None), Position.end >= on)))
    if acting:
        parts.append(select(ActingAssignment.unit_id).where(
            ActingAssignment.employee_id == official_id, ActingAssignment.start <= on, ActingAssignment.end >= on))
    return parts[0] if len(parts) == 1 else union(*parts)


def headed_units(official: Employee, on: date | None = None, *, definitive: bool = True,
                 acting: bool = True) -> list[Unit]:
    """Return the units an official heads on a date (definitively and/or as PLT/PLH), by path."""
    ids = _headed_ids_select(official.id, _on(on), definitive=definitive, acting=acting)
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(ids)).order_by(Unit.path)))


def heads_unit(official: Employee, unit_id: int, on: date | None = None) -> bool:
    """Tell whether an official heads a unit on a date, definitively or as PLT/PLH (one query)."""
    ids = _headed_ids_select(official.id, _on(on))
    return db.session.scalar(select(literal(True)).where(literal(unit_id).in_(ids))) is not None


def acting_for_heads(on: date | None = None) -> dict[int, list[int]]:
    """Return {definitive head's id: ids of the PLT/PLH holding his post on ``on``} for the whole agency."""
    on = _on(on)
    rows = db.session.execute(
        select(Position.employee_id, ActingAssignment.employee_id)
        .join(ActingAssignment, ActingAssignment.unit_id == Position.unit_id)
        .where(Position.is_head.is_(True), Position.start <= on, or_(Position.end.is_(None), Position.end >= on),
               ActingAssignment.start <= on, ActingAssignment.end >= on,
               ActingAssignment.employee_id != Position.employee_id))
    acting: dict[int, set[int]] = {}
    for head_id, acting_id in rows:
        acting.setdefault(head_id, set()).add(acting_id)
    return {head: sorted(ids) for head, ids in acting.items()}

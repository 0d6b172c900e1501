"""Read side of the assessor's inbox: the submitted visum of the people he assesses today.

"The people he assesses" is ``kinerja.org.relations.assessees_select``: today's assessor links whose
assessor is the actor or a head whose post he holds as PLT/PLH — the same answer the
approval services use, so the inbox never lists a visum its reader may not approve. His own
visum is never listed. A page costs a fixed handful of queries whatever the size of the visum
table: the PLT/PLH posts, the assessees (with units), one grouped count, one page of rows (with
the IKI) and their evidence. Choices: ``docs/inbox.md``.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from typing import ClassVar

from sqlalchemy import Date, Integer, bindparam, case, func, select
from sqlalchemy.orm import joinedload, selectinload

from kinerja import clock
from kinerja.execution.holidays import holidays
from kinerja.execution.models import Evidence, Feedback, Visum
from kinerja.extensions import db
from kinerja.org import relations
from kinerja.org.models import AssessorLink, Employee
from kinerja.rules import week as week_rules
from kinerja.rules.visum import APPROVAL_LIMIT, VisumStatus, approval_overdue, approval_waiting_days

PER_PAGE = 50
PENDING = VisumStatus.SUBMITTED.value


# --- one row -------------------------------------------------------------------------------------

@dataclass
class InboxItem:
    """One visum of the inbox with what its row shows."""

    visum: Visum
    waiting_days: int = 0
    overdue: bool = False
    approval_limit: ClassVar[int] = APPROVAL_LIMIT  # working days before a visum is overdue

    @property
    def id(self) -> int:
        return self.visum.id

    @property
    def employee(self) -> Employee:
        return self.visum.employee

    @property
    def day_label(self) -> str:
        return week_rules.date_label(self.visum.day)

    @property
    def iki_text(self) -> str | None:
        return self.visum.iki.text if self.visum.iki is not None else None

    @property
    def output(self) -> str | None:
        """Write the output as given through the API, else as ``3 dokumen`` (no ``.0``); None when not given."""
        if self.visum.output_text:
            return self.visum.output_text
        quantity, unit = self.visum.output_quantity, self.visum.output_unit
        if quantity is None:
            return None
        number = f"{quantity:g}".replace(".", ",")
        return f"{number} {unit}" if unit else number

    @property
    def evidence(self) -> list[Evidence]:
        return list(self.visum.evidence)

    @staticmethod
    def evidence_name(evidence: Evidence) -> str:
        """Name a piece of evidence for the row: the uploaded file's name, or the link."""
        if evidence.kind == "LINK":
            return evidence.url or "tautan"
        return evidence.original_name or evidence.stored_name or "berkas"


def waiting_since(visum: Visum) -> datetime:
    """Return the naive UTC instant the visum's current content went to the assessor.

    ``updated_at``: filing, or the employee's last edit (an edit of a returned visum is its
    resubmission); the assessor is asked to approve that content.
    """
    return visum.updated_at or visum.created_at


def inbox_item(visum: Visum, now: datetime | None = None, free_days: frozenset[date] | None = None) -> InboxItem:
    """Return one visum in the shape the inbox row shows, with its waiting days and overdue flag."""
    if visum.status != PENDING:
        return InboxItem(visum)  # a decided row shows no waiting time (and needs no unit)
    now = now or clock.now()
    free_days = holidays() if free_days is None else free_days
    tz = clock.zone_of(visum.employee)
    since = week_rules.local_date(waiting_since(visum).replace(tzinfo=UTC), tz)
    today = week_rules.local_date(now, tz)
    return InboxItem(visum, approval_waiting_days(since, today, free_days),
                     approval_overdue(since, today, free_days, APPROVAL_LIMIT))


# --- the page ------------------------------------------------------------------------------------

@dataclass
class DayCount:
    day: date
    count: int

    @property
    def label(self) -> str:
        return week_rules.date_label(self.day)


@dataclass
class PersonCount:
    employee: Employee
    count: int

    @property
    def nip(self) -> str:
        return self.employee.nip


@dataclass
class InboxSummary:
    """The counts of the inbox: all pending, and per day / per person for the filter bar.

    Day counts follow the person filter and person counts follow the day filter, so each list
    says what choosing an entry would show.
    """

    total: int = 0
    filtered: int = 0
    days: list[DayCount] = field(default_factory=list)
    people: list[PersonCount] = field(default_factory=list)
    day: date | None = None
    nip: str | None = None
    employee_ids: list[int] = field(default_factory=list)  # every assessee
    selected_ids: list[int] = field(default_factory=list)  # the assessees the person filter keeps

    @property
    def is_assessor(self) -> bool:
        return bool(self.employee_ids)

    @property
    def day_counts(self) -> dict[date, int]:
        return {entry.day: entry.count for entry in self.days}


@dataclass
class InboxPage:
    """One page of the inbox: the rows and the summary, with paging."""

    summary: InboxSummary
    items: list[InboxItem]
    page: int = 1
    pages: int = 1
    per_page: int = PER_PAGE

    def __getattr__(self, name):
        if name.startswith("__") or name == "summary":
            raise AttributeError(name)
        return getattr(self.summary, name)


def _grouped_counts(employee_ids: list[int]) -> list[tuple[int, date, int]]:
    if not employee_ids:
        return []
    return list(db.session.execute(
        select(Visum.employee_id, Visum.day, func.count())
        .where(Visum.status == PENDING, Visum.employee_id.in_(employee_ids))
        .group_by(Visum.employee_id, Visum.day)))


def inbox_summary(actor: Employee | None, *, day: date | None = None, nip: str | None = None,
                  people: list[Employee] | None = None) -> InboxSummary:
    """Count the actor's pending visum: in all, per day (for ``nip``) and per person (for ``day``)."""
    people = relations.assessees(actor) if people is None else people
    by_id = {e.id: e for e in people}
    selected = [e.id for e in people if nip is None or e.nip == nip]
    summary = InboxSummary(day=day, nip=nip, employee_ids=list(by_id), selected_ids=selected)
    per_day: dict[date, int] = {}
    per_person: dict[int, int] = {}
    chosen = set(selected)
    for employee_id, visum_day, count in _grouped_counts(list(by_id)):
        summary.total += count
        if employee_id in chosen:
            per_day[visum_day] = per_day.get(visum_day, 0) + count
            if day is None or visum_day == day:
                summary.filtered += count
        if day is None or visum_day == day:
            per_person[employee_id] = per_person.get(employee_id, 0) + count
    summary.days = [DayCount(d, per_day[d]) for d in sorted(per_day)]
    if day is not None and day not in per_day:
        summary.days.append(DayCount(day, 0))  # keep the chosen day in the list
        summary.days.sort(key=lambda c: c.day)
    summary.people = [PersonCount(e, per_person.get(e.id, 0)) for e in people
                      if per_person.get(e.id) or e.nip == nip]
    return summary


def _pending_stmt(employee_ids: list[int], day: date | None):
    stmt = select(Visum).where(Visum.status == PENDING, Visum.employee_id.in_(employee_ids))
    if day is not None:
        stmt = stmt.where(Visum.day == day)
    return stmt


def inbox_page(actor: Employee | None, *, day: date | None = None, nip: str | None = None, page: int = 1,
               per_page: int = PER_PAGE, now: datetime | None = None) -> InboxPage:
    """Return one page of the actor's pending visum, oldest day first (then by name), with the counts.

    A page beyond the last shows the last one; an unknown or foreign ``nip`` shows nothing.
    """
    people = relations.assessees(actor)
    summary = inbox_summary(actor, day=day, nip=nip, people=people)
    pages = max(1, -(-summary.filtered // per_page))
    page = min(max(1, page), pages)
    if not summary.filtered:
        return InboxPage(summary, [], page, pages, per_page)
    visums = db.session.scalars(
        _pending_stmt(summary.selected_ids, day)
        .join(Employee, Employee.id == Visum.employee_id)
        .options(joinedload(Visum.iki), selectinload(Visum.evidence))
        .order_by(Visum.day, Employee.name_key, Visum.id)
        .limit(per_page).offset((page - 1) * per_page)).all()
    now, free_days = now or clock.now(), holidays()
    return InboxPage(summary, [inbox_item(v, now, free_days) for v in visums], page, pages, per_page)


def _assessed():
    """Return the CTE of the ids of the people ``:actor_id`` approves for on ``:on`` (never himself).

    ``relations.assessees_select``: today's assessor links whose assessor is the actor or a head he
    stands in for as PLT/PLH. A CTE: the counts of one statement share it (PostgreSQL computes it once).
    """
    return relations.assessees_select(bindparam("actor_id", type_=Integer), bindparam("on", type_=Date)).cte(
        "assessed")


def _count_pending(assessed, day=None, person=None):
    """Return a scalar subquery counting the pending visum of the ``assessed`` people.

    ``employee_id IN (assessed)`` rather than a join: SQLite then walks the short list of
    assessees through ``visum(status, employee_id)`` instead of every pending visum of the agency.
    For one ``day`` (a bind parameter) the status is tested inside the count, so the index used is
    ``visum(employee_id, day)`` (a few rows). ``person``: an employee id expression (person filter).
    """
    if day is None:
        stmt = select(func.count()).where(Visum.status == PENDING)
    else:
        stmt = select(func.coalesce(func.sum(case((Visum.status == PENDING, 1), else_=0)), 0)).where(Visum.day == day)
    stmt = stmt.select_from(Visum).where(Visum.employee_id.in_(select(assessed.c.employee_id)))
    if person is not None:
        stmt = stmt.where(Visum.employee_id == person)
    return stmt.scalar_subquery()


@cache
def _pending_count_stmt():
    return select(_count_pending(_assessed()))


def pending_count(actor: Employee | None) -> int:
    """Count every visum waiting for the actor's approval (the inbox counter, the home page): one query."""
    if actor is None:
        return 0
    return db.session.scalar(_pending_count_stmt(), {"actor_id": actor.id, "on": clock.today()}) or 0


@dataclass
class RowCounts:
    """The counts a single-row answer refreshes out of band (the same names as ``InboxSummary``)."""

    total: int  # the counter: every pending visum of the actor
    filtered: int  # what the list's filters show ("Ditampilkan N dari M")
    day: date
    day_count: int  # the pending of the row's day (of the filtered person), for its day header
    feedback: int  # comments on the row's visum (its feedback button)

    @property
    def day_counts(self) -> dict[date, int]:
        return {self.day: self.day_count}


def row_counts(actor: Employee, visum: Visum, *, day: date | None = None, nip: str | None = None) -> RowCounts:
    """Count, in one query, what a row action refreshes: the total, the filtered number, the row's day, its feedback.

    ``day``/``nip`` are the list's filters. Counted in SQL over today's ``AssessorLink``
    (indexed), never by loading the assessees: the answer of a one-click approval stays cheap.
    """
    shown = "total" if day is None and nip is None else "day_count" if day == visum.day else "filtered"
    values = db.session.execute(_row_counts_stmt(shown, day is not None, nip is not None), {
        "actor_id": actor.id, "on": clock.today(), "row_day": visum.day, "day": day, "nip": nip,
        "visum_id": visum.id}).one()
    return RowCounts(values.total, getattr(values, shown), visum.day, values.day_count, values.feedback)


@cache
def _row_counts_stmt(shown: str, by_day: bool, by_person: bool):
    """Build (once per shape) the statement of ``row_counts``: only its parameters change per request."""
    person = select(Employee.id).where(Employee.nip == bindparam("nip")).scalar_subquery() if by_person else None
    assessed = _assessed()
    columns = [_count_pending(assessed).label("total"),
               _count_pending(assessed, bindparam("row_day", type_=Date), person).label("day_count"),
               select(func.count(Feedback.id)).where(Feedback.visum_id == bindparam("visum_id"))
               .scalar_subquery().label("feedback")]
    if shown == "filtered":
        columns.append(_count_pending(assessed, bindparam("day", type_=Date) if by_day else None, person)
                       .label("filtered"))
    return select(*columns)


def pending_ids_of_day(actor: Employee | None, day: date, nip: str | None = None) -> list[int]:
    """Return the ids of the pending visum of a day among the actor's assessees (one person if ``nip``)."""
    ids = [e.id for e in relations.assessees(actor) if nip is None or e.nip == nip]
    if not ids:
        return []
    return list(db.session.scalars(_pending_stmt(ids, day).with_only_columns(Visum.id).order_by(Visum.id)))


def load_visum(visum_id: int) -> tuple[Visum, AssessorLink | None] | None:
    """Load a visum for a row action in one query, with its employee and his ``AssessorLink`` row.

    While the caller holds the returned link, it stays in the session's identity map, so the
    approval's "is he the current assessor" check (``relations.is_assessor``) reads it without another
    query. The IKI, the evidence and the unit load lazily: only a row still pending (a refused or
    polite answer) shows them.
    """
    row = db.session.execute(_load_visum_stmt(), {"visum_id": visum_id, "on": clock.today()}).first()
    return (row[0], row[1]) if row is not None else None


@cache
def _load_visum_stmt():
    """Build once the statement of ``load_visum`` (building it costs more than running it)."""
    return (select(Visum, AssessorLink).where(Visum.id == bindparam("visum_id"))
            .outerjoin(AssessorLink, (AssessorLink.employee_id == Visum.employee_id)
                       & relations.link_covers(bindparam("on", type_=Date)))
            .options(joinedload(Visum.employee)))

"""The 6 February synchronisation (``sync-skp YEAR``): approved SKP into visum, and HR's blocked list.

The IKI of an approved SKP are usable in visum as soon as the SKP is approved (the services
read them live); the synchronisation *records* the state of a year: how many approved SKP and
IKI there are (a ``SkpSync`` row per run) and who may not file visum because he has no approved
SKP (a ``VisumBlock`` row per employee and year, for HR and the Tunjangan Kinerja). A re-run
updates the list: new blocked employees are added, those whose SKP has been approved since are
marked ``cleared_at``, nobody is listed twice. A few bulk queries, whatever the size of the
agency. Choices: ``docs/week-lock.md``.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, insert, or_, select, update

from kinerja import clock
from kinerja.audit.services import record
from kinerja.execution.models import SkpSync, VisumBlock
from kinerja.extensions import db
from kinerja.org.models import Employee, Position
from kinerja.planning.models import Iki, Leave, RencanaHasilKerja, Skp
from kinerja.rules import week as week_rules
from kinerja.rules.calendar import needs_skp
from kinerja.rules.planning import PlanningRuleError

FIRST_YEAR, LAST_YEAR = 2000, 2100
NOT_LISTED_JENJANG = ("KEPALA",)  # Kepala BKKBN has no assessor inside the system (DOMAIN.md §2.2)
REASON_LABELS = {"NO_SKP": "Belum membuat SKP", "SKP_NOT_APPROVED": "SKP belum disetujui"}


@dataclass
class SyncResult:
    """What one ``sync_skp`` run found and changed."""

    year: int
    skp_count: int = 0  # approved SKP of the year
    iki_count: int = 0  # their IKI, available to visum
    blocked: int = 0  # employees on the list now (not cleared)
    listed: int = 0  # added to the list by this run
    cleared: int = 0  # cleared by this run (their SKP was approved since)
    sync_id: int | None = None

    def as_dict(self) -> dict:
        """Return the counts as plain values (the job's result and the audit row)."""
        return {"year": self.year, "skp_count": self.skp_count, "iki_count": self.iki_count, "blocked": self.blocked,
                "listed": self.listed, "cleared": self.cleared, "sync_id": self.sync_id}

    def summary(self) -> str:
        """Write the run in one line of Bahasa Indonesia (the CLI prints it)."""
        return (f"sync-skp {self.year}: {self.skp_count} SKP disetujui, {self.iki_count} IKI tersedia untuk visum; "
                f"{self.blocked} pegawai diblokir ({self.listed} baru), {self.cleared} dibuka karena SKP disetujui.")


def parse_year(value) -> int:
    """Read a year given on the command line or to a job.

    :raise PlanningRuleError: ``INVALID_YEAR`` for anything but a year from 2000 to 2100.
    """
    text = str(value).strip() if value is not None else ""
    if not text.isdigit() or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise PlanningRuleError(f"Tahun {value!r} tidak valid; tulis tahun empat angka ({FIRST_YEAR}–{LAST_YEAR}).",
                                "year", code="INVALID_YEAR")
    return int(text)


def _day_of_record(year: int, now: datetime) -> date:
    """Return the day whose staff the run looks at: today (WIB), kept inside ``year``."""
    today = week_rules.local_date(now, clock.JOBS_ZONE)
    return min(max(today, date(year, 1, 1)), date(year, 12, 31))


def _active_employees(on: date) -> dict[int, int]:
    """Return {employee id: unit id} of everyone holding a position on ``on`` (Kepala BKKBN aside)."""
    in_post = select(Position.employee_id).where(Position.start <= on,
                                                 or_(Position.end.is_(None), Position.end >= on))
    rows = db.session.execute(select(Employee.id, Employee.unit_id).where(
        Employee.id.in_(in_post), Employee.jenjang.not_in(NOT_LISTED_JENJANG)))
    return {employee_id: unit_id for employee_id, unit_id in rows}


def _on_long_leave(year: int, employee_ids) -> set[int]:
    """Return the employees a cuti of a year or more excuses from an SKP for the whole ``year``."""
    leaves: dict[int, list[tuple[date, date]]] = defaultdict(list)
    for employee_id, start, end in db.session.execute(
            select(Leave.employee_id, Leave.start, Leave.end)
            .where(Leave.start <= date(year, 12, 31), Leave.end >= date(year, 1, 1))):
        if employee_id in employee_ids:
            leaves[employee_id].append((start, end))
    return {employee_id for employee_id, spans in leaves.items() if not needs_skp(spans, year)}


def sync_skp(year, now: datetime | None = None) -> SyncResult:
    """Synchronise the approved SKP of ``year`` into visum and refresh HR's list of who is blocked.

    Does not commit (the CLI and the job commit once); writes a ``SkpSync`` row and one summary
    audit row (object type ``skp_sync``).

    :raise PlanningRuleError: ``INVALID_YEAR``.
    """
    year = parse_year(year)
    now = (now or clock.now()).astimezone(UTC)
    stamp = clock.stamp(now)
    result = SyncResult(year)

    approved = select(Skp.id).where(Skp.year == year, Skp.status == "APPROVED")
    approved_ids = set(db.session.scalars(approved.with_only_columns(Skp.employee_id)))
    result.skp_count = db.session.scalar(approved.with_only_columns(func.count())) or 0
    result.iki_count = db.session.scalar(
        select(func.count(Iki.id)).join(RencanaHasilKerja, RencanaHasilKerja.id == Iki.rhk_id)
        .where(RencanaHasilKerja.skp_id.in_(approved))) or 0
    with_skp = set(db.session.scalars(select(Skp.employee_id).where(Skp.year == year).distinct()))

    active = _active_employees(_day_of_record(year, now))
    excused = _on_long_leave(year, active.keys() - approved_ids)
    blocked = {employee_id: ("SKP_NOT_APPROVED" if employee_id in with_skp else "NO_SKP")
               for employee_id in active.keys() - approved_ids - excused}

    existing = {row.employee_id: row for row in db.session.execute(
        select(VisumBlock.id, VisumBlock.employee_id, VisumBlock.reason, VisumBlock.unit_id, VisumBlock.cleared_at)
        .where(VisumBlock.year == year))}
    new_rows = [{"year": year, "employee_id": employee_id, "unit_id": active[employee_id], "reason": reason,
                 "listed_at": stamp, "cleared_at": None}
                for employee_id, reason in blocked.items() if employee_id not in existing]
    changed_rows = [{"id": row.id, "reason": blocked[employee_id], "unit_id": active[employee_id], "cleared_at": None}
                    for employee_id, row in existing.items()
                    if employee_id in blocked and (row.reason, row.unit_id, row.cleared_at)
                    != (blocked[employee_id], active[employee_id], None)]
    cleared_rows = [{"id": row.id, "cleared_at": stamp} for employee_id, row in existing.items()
                    if employee_id not in blocked and row.cleared_at is None and employee_id in approved_ids]
    if new_rows:
        db.session.execute(insert(VisumBlock), new_rows)
    for rows in (changed_rows, cleared_rows):  # ORM bulk UPDATE by primary key, one executemany each
        if rows:
            db.session.execute(update(VisumBlock), rows)
    result.blocked, result.listed, result.cleared = len(blocked), len(new_rows), len(cleared_rows)

    sync = SkpSync(year=year, ran_at=stamp, skp_count=result.skp_count, iki_count=result.iki_count,
                   blocked_count=result.blocked)
    db.session.add(sync)
    db.session.flush()
    result.sync_id = sync.id
    record(None, "skp.sync", "skp_sync", sync.id, None, result.as_dict())
    return result


def latest_sync(year: int) -> SkpSync | None:
    """Return the latest synchronisation run of a year, if any."""
    return db.session.scalar(select(SkpSync).where(SkpSync.year == year).order_by(SkpSync.id.desc()).limit(1))

"""Read side of the visum pages: one employee's week (days, visum, missing days, close, IKI, gate, channel).

``week_of`` costs a fixed handful of queries whatever the table size: the week's visum through
the ``(employee_id, day)`` index with their evidence and IKI (select-in), the IKI of the year's
approved SKP, the SKP state for the February gate, cuti days, and the HR reopening only when the
week has already closed.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from kinerja import clock
from kinerja.execution.holidays import holidays
from kinerja.execution.models import Evidence, Visum, VisumBlock
from kinerja.execution.services import configured_sync_day, is_writable
from kinerja.extensions import db
from kinerja.org.models import Employee
from kinerja.planning.models import Iki, RencanaHasilKerja, Skp
from kinerja.planning.skp import leaves_of
from kinerja.planning.skp_queries import approved_skp, current_skp
from kinerja.rules import week as week_rules
from kinerja.rules.calendar import is_working_day
from kinerja.rules.planning import SKP_STATUS_LABELS
from kinerja.rules.visum import VisumChannel, gate_in_force, visum_channel, visum_gate, weekly_completeness


@dataclass(frozen=True)
class ChannelWords:
    """The words a channel uses on the pages (the decree names two applications; the rules are shared)."""

    code: str
    name: str
    title: str
    activity: str
    activity_hint: str
    output: str
    evidence: str
    evidence_hint: str


CHANNEL_WORDS = {
    VisumChannel.SIVIKA: ChannelWords(
        "SIVIKA", "SIVIKA", "Visum harian (SIVIKA)", "Uraian kegiatan",
        "Apa yang Anda kerjakan hari ini untuk IKI ini.", "Output", "Bukti dukung",
        "Dokumen, foto atau tautan hasil kerja."),
    VisumChannel.E_VISUM: ChannelWords(
        "E-VISUM", "E-Visum", "E-Visum Penyuluh KB / PLKB", "Uraian kegiatan lapangan",
        "Kegiatan lapangan dan lokasinya (desa/kelurahan, kecamatan), mis. penyuluhan di Balai Desa Sukamaju.",
        "Hasil kegiatan", "Bukti kegiatan lapangan",
        "Foto kegiatan di lokasi (langsung dari kamera ponsel), daftar hadir atau tautan."),
}


def channel_words(employee: Employee) -> ChannelWords:
    """Return the words of the employee's visum channel (E-Visum for Penyuluh KB and PLKB)."""
    return CHANNEL_WORDS[visum_channel(employee.jenjang, employee.jf_name)]


@dataclass(frozen=True)
class IkiChoice:
    """An IKI the employee may link a visum to, with the RHK it measures."""

    id: int
    label: str
    unit_of_measure: str
    period: tuple[date, date]


@dataclass(frozen=True)
class GateState:
    """The February gate for one year of the week, as the employee must see it."""

    year: int
    in_force: bool
    blocked: bool
    code: str | None
    reason: str | None
    skp_status: str | None  # the status label of his current SKP of the year, if any
    listed: bool  # on HR's blocked list (Tunjangan Kinerja)


@dataclass
class WeekDay:
    """One day of the week with the employee's visum."""

    day: date
    label: str
    visum: list[Visum]
    working: bool
    future: bool
    today: bool
    missing: bool
    can_add: bool  # the week is writable, the day is not in the future and the gate lets him file
    iki_choices: list[IkiChoice] = field(default_factory=list)

    @property
    def dom_id(self) -> str:
        """Return the stable id of the day's partial: ``day-YYYY-MM-DD``."""
        return f"day-{self.day.isoformat()}"


@dataclass
class VisumWeek:
    """Everything the week page shows."""

    employee: Employee
    monday: date
    sunday: date
    today: date
    timezone: str
    timezone_label: str
    days: list[WeekDay]
    missing: list[date]
    writable: bool
    closed: bool
    closes_at: datetime
    closes_at_label: str
    closing_in_label: str
    channel: ChannelWords
    gates: list[GateState]
    previous_week: date
    next_week: date | None  # None when the next week is in the future
    filed_days: int
    expected_days: int

    @property
    def is_current(self) -> bool:
        """Tell whether this is the week of the employee's today."""
        return self.monday <= self.today <= self.sunday

    @property
    def blocked_gate(self) -> GateState | None:
        """Return the gate blocking filing this week, if any."""
        return next((gate for gate in self.gates if gate.blocked), None)

    def day(self, day: date) -> WeekDay | None:
        """Return the entry of a date of this week."""
        return next((entry for entry in self.days if entry.day == day), None)


def week_visum(employee: Employee, monday: date) -> list[Visum]:
    """Return the employee's visum of the week starting ``monday`` with evidence and IKI, by day and id."""
    return list(db.session.scalars(
        select(Visum).where(Visum.employee_id == employee.id, Visum.day >= monday,
                            Visum.day <= monday + timedelta(days=6))
        .options(selectinload(Visum.evidence), selectinload(Visum.iki))
        .order_by(Visum.day, Visum.id)))


def iki_choices(employee: Employee, year: int) -> list[IkiChoice]:
    """Return the IKI of the employee's approved SKP of a year (every approved period), in SKP order."""
    rows = db.session.execute(
        select(Iki.id, Iki.text, Iki.unit_of_measure, RencanaHasilKerja.text, Skp.period_start, Skp.period_end)
        .join(RencanaHasilKerja, RencanaHasilKerja.id == Iki.rhk_id)
        .join(Skp, Skp.id == RencanaHasilKerja.skp_id)
        .where(Skp.employee_id == employee.id, Skp.year == year, Skp.status == "APPROVED")
        .order_by(Skp.period_start, RencanaHasilKerja.kind.desc(), RencanaHasilKerja.position, RencanaHasilKerja.id,
                  Iki.position, Iki.id))
    return [IkiChoice(iki_id, f"{_short(rhk_text)} — {iki_text} ({unit})", unit, (start, end))
            for iki_id, iki_text, unit, rhk_text, start, end in rows]


def _short(text: str, limit: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def gate_state(employee: Employee, year: int, today: date) -> GateState:
    """Tell whether the February gate lets the employee file visum of ``year`` today, and why not."""
    in_force = gate_in_force(date(year, 1, 1), today, configured_sync_day())
    has_skp = approved_skp(employee, year) is not None
    refusal = None
    if in_force and not has_skp:
        refusal = visum_gate(min(today, date(year, 12, 31)), today, has_approved_skp=False, iki_in_skp=None,
                             sync_day=configured_sync_day())
    listed = False
    current = None
    if refusal is not None:
        current = current_skp(employee, year)
        listed = db.session.scalar(select(VisumBlock.id).where(
            VisumBlock.employee_id == employee.id, VisumBlock.year == year,
            VisumBlock.cleared_at.is_(None)).limit(1)) is not None
    return GateState(year, in_force, refusal is not None, refusal.code if refusal else None,
                     refusal.message if refusal else None,
                     SKP_STATUS_LABELS.get(current.status, current.status) if current is not None else None, listed)


def leave_days(employee: Employee, monday: date, sunday: date) -> set[date]:
    """Return the employee's cuti dates between two dates (both included)."""
    days: set[date] = set()
    for start, end in leaves_of(employee, monday, sunday):
        day = max(start, monday)
        while day <= min(end, sunday):
            days.add(day)
            day += timedelta(days=1)
    return days


def week_of(employee: Employee, any_day: date) -> VisumWeek:
    """Gather the employee's week containing ``any_day`` now: visum per day, missing days, close, IKI and gate.

    Always at ``clock.now()``, as the writes are: ``writable`` is ``services.is_writable``.
    """
    now = clock.now()
    tz = clock.zone_of(employee)
    today = week_rules.local_date(now, tz)
    monday, sunday = week_rules.week_start(any_day), week_rules.week_end(any_day)
    visum = week_visum(employee, monday)
    by_day: dict[date, list[Visum]] = {}
    for item in visum:
        by_day.setdefault(item.day, []).append(item)
    free_days = holidays()
    leave = leave_days(employee, monday, sunday)
    until = min(today, sunday)
    completeness = weekly_completeness(monday, by_day.keys(), free_days, leave, until=until) if monday <= today \
        else None
    missing = completeness.missing if completeness else []
    writable = is_writable(employee, monday)
    closes_at = week_rules.visum_week_closes_at(monday, tz)
    years = sorted({monday.year, sunday.year})
    gates = [gate_state(employee, year, today) for year in years]
    blocked_years = {gate.year for gate in gates if gate.blocked}
    choices = {year: iki_choices(employee, year) for year in years if year not in blocked_years}
    days = []
    for day in week_rules.week_days(monday):
        can_add = writable and day <= today and day.year not in blocked_years
        offered = [c for c in choices.get(day.year, []) if c.period[0] <= day <= c.period[1]] if can_add else []
        days.append(WeekDay(day, week_rules.date_label(day), by_day.get(day, []),
                            is_working_day(day, free_days) and day not in leave, day > today, day == today,
                            day in missing, can_add, offered))
    next_monday = monday + timedelta(days=7)
    return VisumWeek(
        employee=employee, monday=monday, sunday=sunday, today=today, timezone=tz,
        timezone_label=week_rules.timezone_label(tz, closes_at), days=days, missing=missing, writable=writable,
        closed=not writable or week_rules.is_week_closed(monday, now, tz), closes_at=closes_at,
        closes_at_label=week_rules.closes_at_label(monday, tz),
        closing_in_label=week_rules.closing_in_label(week_rules.closing_in(monday, now, tz)),
        channel=channel_words(employee), gates=gates, previous_week=monday - timedelta(days=7),
        next_week=next_monday if next_monday <= today else None,
        filed_days=completeness.filed if completeness else 0,
        expected_days=completeness.expected if completeness else 0)


def last_filed_day(employee: Employee, before: date) -> date | None:
    """Return the latest day before ``before`` on which the employee filed a visum (for "copy yesterday")."""
    return db.session.scalar(select(Visum.day).where(Visum.employee_id == employee.id, Visum.day < before)
                             .order_by(Visum.day.desc()).limit(1))


def visum_of_day(employee: Employee, day: date) -> list[Visum]:
    """Return the employee's visum of one day, oldest first."""
    return list(db.session.scalars(select(Visum).where(Visum.employee_id == employee.id, Visum.day == day)
                                   .order_by(Visum.id)))


def load_evidence(evidence_id: int) -> Evidence | None:
    """Load one evidence with its visum and the visum's employee."""
    return db.session.scalar(select(Evidence).where(Evidence.id == evidence_id)
                             .options(selectinload(Evidence.visum).selectinload(Visum.employee)))


def load_visum(visum_id: int) -> Visum | None:
    """Load one visum with its employee."""
    return db.session.scalar(select(Visum).where(Visum.id == visum_id).options(selectinload(Visum.employee)))

"""Holidays (hari libur nasional and cuti bersama) kept by HR, with those of ``app.config["HOLIDAYS"]``.

A holiday is not a working day: no visum is expected, it does not count in the weekly
completeness nor in an approval's waiting days. A week already closed in some zone keeps what
``lock-week`` recorded, so its holidays are no longer added or removed (``WEEK_CLOSED``).
Services add an audit row and do not commit. Choices: ``docs/holidays.md``.
"""

from datetime import date, datetime

from flask import current_app
from sqlalchemy import extract, select

from kinerja import clock
from kinerja.audit.services import record, snapshot
from kinerja.execution.models import Holiday
from kinerja.extensions import db
from kinerja.rules import week as week_rules
from kinerja.rules.planning import PlanningRuleError, required_text

FIRST_TO_CLOSE = "Asia/Jayapura"  # WIT: its Sunday 23:59 comes first
MAX_NAME = 120
FIELDS = ("day", "name")


def configured() -> frozenset[date]:
    """Return the holidays of ``app.config["HOLIDAYS"]`` (dates or ISO strings; none by default)."""
    values = current_app.config.get("HOLIDAYS") or ()
    return frozenset(v if isinstance(v, date) else date.fromisoformat(str(v)) for v in values)


def holidays() -> frozenset[date]:
    """Return every holiday: HR's list and the configured ones (one small query)."""
    return configured() | frozenset(db.session.scalars(select(Holiday.day)))


def holidays_of(year: int) -> list[Holiday]:
    """Return HR's holidays of a year, in date order."""
    return list(db.session.scalars(select(Holiday).where(extract("year", Holiday.day) == year).order_by(Holiday.day)))


def _ensure_week_open(day: date, now: datetime) -> None:
    if week_rules.is_week_closed(day, now, FIRST_TO_CLOSE):
        raise PlanningRuleError("Minggu tanggal ini sudah ditutup dan kelengkapan visumnya sudah dicatat; hari libur "
                                "hanya dapat diubah untuk minggu yang belum ditutup.", "day", code="WEEK_CLOSED")


def add_holiday(actor, day: date, name: str, now: datetime | None = None) -> Holiday:
    """Add a holiday on a weekday of a week not yet closed, with its name; audited.

    :raise PlanningRuleError: field ``day``: ``WEEKEND``, ``HOLIDAY_EXISTS``, ``WEEK_CLOSED``;
        field ``name``: ``NAME_REQUIRED``, ``TOO_LONG``
    """
    now = now or clock.now()
    name = required_text(name, "name", "Nama hari libur", MAX_NAME, "Nama hari libur wajib diisi.", "NAME_REQUIRED")
    if day.weekday() >= 5:
        raise PlanningRuleError("Sabtu dan Minggu sudah bukan hari kerja.", "day", code="WEEKEND")
    if day in configured() or db.session.scalar(select(Holiday.id).where(Holiday.day == day)) is not None:
        raise PlanningRuleError(f"{week_rules.date_label(day)} sudah tercatat sebagai hari libur.", "day",
                                code="HOLIDAY_EXISTS")
    _ensure_week_open(day, now)
    holiday = Holiday(day=day, name=name, created_by_id=actor.id if actor else None, created_at=clock.stamp())
    db.session.add(holiday)
    db.session.flush()
    record(actor, "holiday.add", "holiday", holiday.id, None, snapshot(holiday, FIELDS))
    return holiday


def remove_holiday(actor, holiday: Holiday, now: datetime | None = None) -> None:
    """Remove a holiday of a week not yet closed; audited. :raise PlanningRuleError: ``WEEK_CLOSED``"""
    _ensure_week_open(holiday.day, now or clock.now())
    record(actor, "holiday.remove", "holiday", holiday.id, snapshot(holiday, FIELDS), None)
    db.session.delete(holiday)
    db.session.flush()

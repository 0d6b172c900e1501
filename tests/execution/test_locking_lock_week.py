"""lock_week: per zone (WIT closes before WITA before WIB), idempotence, catch-up after downtime,
completeness numbers (start mid-week, cuti, holidays, weekend visum), HR reopening, the audit row."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from kinerja.audit.models import AuditEntry
from kinerja.execution import services
from kinerja.execution.locking import lock_week
from kinerja.execution.models import Visum, WeekLock
from kinerja.extensions import db
from kinerja.planning.models import Leave
from kinerja.rules.visum import weekly_completeness
from tests.execution.fixtures import NOW, at, file

MONDAY = date(2026, 1, 12)
WEEK = [MONDAY + timedelta(days=n) for n in range(7)]
WIT_CLOSE = datetime(2026, 1, 18, 14, 59, tzinfo=UTC)  # Sunday 23:59 WIT
WITA_CLOSE = datetime(2026, 1, 18, 15, 59, tzinfo=UTC)
WIB_CLOSE = datetime(2026, 1, 18, 16, 59, tzinfo=UTC)
WIT, WITA = "Asia/Jayapura", "Asia/Makassar"


def lock_at(moment):
    """Run lock-week with the clock at ``moment`` (it refuses a ``now`` in the future)."""
    with at(moment):
        return lock_week(moment)


def week_lock(employee, monday=MONDAY):
    return db.session.scalar(select(WeekLock).where(WeekLock.employee_id == employee.id,
                                                    WeekLock.week_start == monday))


def locked_flags(employee):
    db.session.expire_all()
    return {v.day: v.locked for v in db.session.scalars(select(Visum).where(Visum.employee_id == employee.id))}


def lock_count():
    return db.session.scalar(select(func.count(WeekLock.id)))


SUNDAY_NOON = datetime(2026, 1, 18, 5, 0, tzinfo=UTC)  # 12:00 WIB: the weekend can be filed too


def file_days(employee, days, now=NOW):
    for day in days:
        file(employee, day, now=now if day <= WEEK[3] else SUNDAY_NOON, activity=f"Kegiatan {day}")


@pytest.fixture
def filed(people, zoned):
    """Monday to Thursday filed by a WIT, a WITA and a WIB (pelaksana) employee."""
    for employee in (zoned[WIT], zoned[WITA], people["pelaksana"]):
        file_days(employee, WEEK[:4])
    return {"wit": zoned[WIT], "wita": zoned[WITA], "wib": people["pelaksana"]}


def test_a_wit_week_is_locked_at_1459_utc_sunday_and_a_wib_one_is_not_yet(filed):
    result = lock_at(WIT_CLOSE)
    db.session.commit()

    assert result.weeks == [(WIT, MONDAY)]
    assert set(locked_flags(filed["wit"]).values()) == {True}
    assert set(locked_flags(filed["wita"]).values()) == {False}
    assert set(locked_flags(filed["wib"]).values()) == {False}
    row = week_lock(filed["wit"])
    assert (row.filed, row.expected, row.percent) == (4, 5, 80.0)
    assert row.unit_id == filed["wit"].unit_id and row.locked_at == datetime(2026, 1, 18, 14, 59)
    assert week_lock(filed["wita"]) is None and week_lock(filed["wib"]) is None
    assert result.visum_locked == 4 and result.week_locks == 1


def test_one_second_before_the_wit_close_nothing_is_locked(filed):
    result = lock_at(WIT_CLOSE - timedelta(seconds=1))
    assert not result.changed and result.weeks == []
    assert lock_count() == 0


def test_each_zone_closes_at_its_own_instant(filed, people):
    lock_at(WITA_CLOSE)
    assert week_lock(filed["wita"]) is not None and week_lock(filed["wib"]) is None
    result = lock_at(WIB_CLOSE)
    db.session.commit()
    assert result.weeks == [("Asia/Jakarta", MONDAY)]
    assert set(locked_flags(filed["wib"]).values()) == {True}
    # every WIB employee gets a row, with or without visum
    analis = week_lock(people["analis"])
    assert (analis.filed, analis.expected, analis.percent) == (0, 5, 0.0)


def test_running_twice_changes_nothing(filed):
    first = lock_at(WIB_CLOSE + timedelta(hours=1))
    db.session.commit()
    rows = lock_count()
    again = lock_at(WIB_CLOSE + timedelta(hours=2))
    db.session.commit()
    assert first.changed and not again.changed
    assert (again.week_locks, again.visum_locked, again.recomputed, again.weeks) == (0, 0, 0, [])
    assert lock_count() == rows
    runs = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "week_lock")).all()
    assert len(runs) == 1 and runs[0].action == "week_lock.run" and runs[0].after["week_locks"] == rows


def test_only_one_summary_audit_row_per_run_not_one_per_visum(filed):
    before = db.session.scalar(select(func.count(AuditEntry.id)))
    lock_at(WIB_CLOSE)
    db.session.commit()
    assert db.session.scalar(select(func.count(AuditEntry.id))) == before + 1


def test_it_catches_up_weeks_missed_while_the_server_was_down(filed, people):
    lock_at(WIB_CLOSE)
    db.session.commit()
    # down for three weeks: the weeks of 19 and 26 January and 2 February have closed since
    result = lock_at(datetime(2026, 2, 9, 1, 0, tzinfo=UTC))
    db.session.commit()
    wib = [monday for tz, monday in result.weeks if tz == "Asia/Jakarta"]
    assert wib == [date(2026, 1, 19), date(2026, 1, 26), date(2026, 2, 2)]
    assert [monday for tz, monday in result.weeks if tz == WIT] == wib
    for monday in wib:
        assert week_lock(people["analis"], monday).expected == 5
    weeks_per_employee = db.session.scalars(
        select(func.count()).select_from(WeekLock).where(WeekLock.employee_id == people["analis"].id)).one()
    assert weeks_per_employee == 4


def test_a_first_run_catches_up_from_the_oldest_unlocked_visum(people):
    file_days(people["pelaksana"], WEEK[:1])
    result = lock_at(datetime(2026, 2, 2, 1, 0, tzinfo=UTC))
    assert [m for tz, m in result.weeks if tz == "Asia/Jakarta"] == [MONDAY, date(2026, 1, 19), date(2026, 1, 26)]


# --- completeness ---------------------------------------------------------------------------------

def test_completeness_counts_working_days_of_his_positions_minus_cuti_and_holidays(app, people, make_employee,
                                                                                  org, monkeypatch):
    newcomer = make_employee(org["units"]["DIT"], "PELAKSANA", effective=date(2026, 1, 14))  # starts Wednesday
    file_days(newcomer, [WEEK[2], WEEK[3], WEEK[5]])  # Wednesday, Thursday, and a Saturday (not expected)
    pelaksana = people["pelaksana"]
    file_days(pelaksana, [WEEK[0], WEEK[1], WEEK[3], WEEK[6]])
    db.session.add(Leave(employee_id=pelaksana.id, kind="CUTI_TAHUNAN", start=WEEK[2], end=WEEK[2]))  # Wednesday
    db.session.commit()
    monkeypatch.setitem(app.config, "HOLIDAYS", ["2026-01-16"])  # Friday a holiday

    lock_at(WIB_CLOSE)
    db.session.commit()

    row = week_lock(newcomer)
    rule = weekly_completeness(MONDAY, [WEEK[2], WEEK[3], WEEK[5]], [WEEK[4]], leave_days=[WEEK[0], WEEK[1]])
    assert (row.filed, row.expected, row.percent) == (rule.filed, rule.expected, rule.percent) == (2, 2, 100.0)
    row = week_lock(pelaksana)
    rule = weekly_completeness(MONDAY, [WEEK[0], WEEK[1], WEEK[3], WEEK[6]], [WEEK[4]], leave_days=[WEEK[2]])
    assert (row.filed, row.expected) == (rule.filed, rule.expected) == (3, 3)
    analis = week_lock(people["analis"])
    assert (analis.filed, analis.expected, analis.percent) == (0, 4, 0.0)


def test_a_week_with_nothing_expected_is_complete_and_someone_not_yet_employed_gets_no_row(app, people, org,
                                                                                           make_employee):
    later = make_employee(org["units"]["DIT"], "PELAKSANA", effective=date(2026, 1, 19))
    pelaksana = people["pelaksana"]
    db.session.add(Leave(employee_id=pelaksana.id, kind="CUTI_SAKIT", start=WEEK[0], end=WEEK[6]))
    db.session.commit()
    lock_at(WIB_CLOSE)
    row = week_lock(pelaksana)
    assert (row.filed, row.expected, row.percent) == (0, 0, 100.0)
    assert week_lock(later) is None


# --- HR reopening ---------------------------------------------------------------------------------

def test_a_reopened_week_is_rerecorded_once_the_reopening_ends(filed, people):
    employee = filed["wib"]
    lock_at(WIB_CLOSE)
    db.session.commit()
    assert week_lock(employee).filed == 4
    after_close = WIB_CLOSE + timedelta(hours=10)
    until = after_close + timedelta(days=2)
    services.reopen_week(people["hr"], employee, MONDAY, until, "Sakit, lupa mengisi", now=after_close)
    db.session.commit()
    with at(after_close):
        assert services.is_writable(employee, WEEK[4])
    file(employee, WEEK[4], now=after_close + timedelta(hours=1))

    during = lock_at(after_close + timedelta(days=1))  # still reopened: the new visum stays open
    db.session.commit()
    assert not during.changed and locked_flags(employee)[WEEK[4]] is False

    ended = lock_at(until + timedelta(minutes=5))
    db.session.commit()
    assert (ended.recomputed, ended.visum_locked) == (1, 1)
    row = week_lock(employee)
    assert (row.filed, row.expected, row.percent) == (5, 5, 100.0)
    assert locked_flags(employee)[WEEK[4]] is True
    assert not lock_at(until + timedelta(hours=1)).changed
    assert db.session.scalar(select(func.count()).select_from(WeekLock)
                             .where(WeekLock.employee_id == employee.id)) == 1


def test_the_calendar_closes_a_week_before_the_job_records_it(filed):
    # the job has not run, yet the closed week refuses writes (the record holds too: test_lock_integrity.py)
    with at(WIB_CLOSE):
        assert not services.is_writable(filed["wib"], WEEK[0])
    with at(WIB_CLOSE - timedelta(seconds=1)):
        assert services.is_writable(filed["wib"], WEEK[0])

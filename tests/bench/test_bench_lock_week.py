"""Weekly lock benchmark (issue: Execution). Figures go in the closing note.

Goal: ``lock-week`` over one week of the whole agency (25,000 employees, ~125,000 visum of the
previous week among the 6 million of ``tests/bench/visumdata.py``) < 5 s on SQLite and
PostgreSQL. Steady state: the week before was recorded by last Monday's run (its WeekLock rows
are put in place here), so each round locks exactly one week in every zone — 25,000 WeekLock
rows and the ``locked`` flag of ~125,000 visum. Between rounds the week is unlocked again and, on
PostgreSQL, ``visum`` is vacuumed (not timed): a real week is locked once, while each round here
would otherwise scan the dead versions of every round before it (docs/week-lock.md gives the
figure with one dead version per visum, as approvals leave). Run with ``scripts/bench``.
"""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import delete, func, insert, literal, select, text, update

from kinerja.audit.models import AuditEntry
from kinerja.execution.locking import lock_week
from kinerja.execution.models import Visum, WeekLock
from kinerja.extensions import db
from kinerja.org.models import Employee

SIX_DAYS = timedelta(days=6)


def _unlock(monday: date) -> None:
    """Put the week back as visumdata built it: not recorded, its visum unlocked."""
    db.session.rollback()
    db.session.execute(delete(WeekLock).where(WeekLock.week_start == monday))
    db.session.execute(update(Visum).where(Visum.day >= monday, Visum.day <= monday + SIX_DAYS,
                                           Visum.locked.is_(True)).values(locked=False))
    db.session.execute(delete(AuditEntry).where(AuditEntry.object_type == "week_lock"))
    db.session.commit()
    db.session.expunge_all()
    if db.engine.dialect.name == "postgresql":  # forget the versions the previous rounds left
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE visum"))


@pytest.fixture(scope="module")
def lock_data(bench_app, bench_visum):
    """The previous week of visumdata to lock; the week before it already recorded."""
    monday = date.fromisoformat(bench_visum["visum_submitted_from"])  # the previous week: closed, not recorded
    before = monday - timedelta(days=7)
    with bench_app.app_context():
        _unlock(monday)
        db.session.execute(delete(WeekLock))
        stamp = datetime.combine(monday, time(0, 0))
        db.session.execute(insert(WeekLock).from_select(
            ["unit_id", "employee_id", "week_start", "filed", "expected", "percent", "locked_at"],
            select(Employee.unit_id, Employee.id, literal(before), literal(5), literal(5), literal(100.0),
                   literal(stamp))))
        db.session.commit()
        visum = db.session.scalar(select(func.count()).select_from(Visum)
                                  .where(Visum.day >= monday, Visum.day <= monday + SIX_DAYS))
        employees = db.session.scalar(select(func.count(Employee.id)))
        data = {"monday": monday, "visum": visum, "employees": employees,
                "now": datetime.combine(monday + timedelta(days=7), time(3, 0), tzinfo=UTC)}  # Monday 10:00 WIB
    yield data
    with bench_app.app_context():
        _unlock(monday)
        db.session.execute(delete(WeekLock))
        db.session.commit()


def test_bench_lock_week_whole_agency(bench_ctx, lock_data, benchmark):
    """Lock one week of the whole agency: 25,000 WeekLock rows and ~125,000 visum flags (goal < 5 s)."""
    monday = lock_data["monday"]

    def run():
        result = lock_week(lock_data["now"])
        db.session.commit()
        return result

    result = benchmark.pedantic(run, setup=lambda: _unlock(monday), rounds=3, iterations=1)
    assert {week for _, week in result.weeks} == {monday}
    assert result.visum_locked == lock_data["visum"] > 100_000
    assert result.week_locks == lock_data["employees"]
    filed = db.session.scalar(select(func.sum(WeekLock.filed)).where(WeekLock.week_start == monday))
    assert filed == lock_data["visum"]

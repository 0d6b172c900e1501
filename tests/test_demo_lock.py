"""seed-demo run later never writes into a week lock-week has recorded (issue 10, item 5): its history
goes through the explicit, audited back-dated import, which refuses a recorded week."""

from datetime import UTC, date, datetime

import time_machine
from sqlalchemy import func, select

from kinerja import demo
from kinerja.audit.models import AuditEntry
from kinerja.execution import locking
from kinerja.execution.models import Visum
from kinerja.extensions import db
from tests.test_demo_planning import _cheap_password_hash  # noqa: F401  (autouse)

FIRST_RUN = datetime(2026, 11, 22, 15, 30, tzinfo=UTC)  # Sunday evening
TWO_WEEKS_ON = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # Tuesday 1 December, 10:00 WIB
SKIPPED_WEEK = [date(2026, 11, 23 + i) for i in range(5)]  # closed Sunday 29 November, recorded by lock-week


def _visum_of(days) -> set[int]:
    return set(db.session.scalars(select(Visum.id).where(Visum.day.in_(days))))


def test_a_later_run_leaves_the_weeks_lock_week_recorded_alone(app):
    with time_machine.travel(FIRST_RUN, tick=False):
        demo.build_demo()
    with time_machine.travel(TWO_WEEKS_ON, tick=False):
        locking.lock_week()  # the schedule ran while nobody used the demo
        db.session.commit()
        before = db.session.scalar(select(func.count(Visum.id)))
        in_the_week = _visum_of(SKIPPED_WEEK)  # only WIT's Monday: it was already Monday there at the first run
        demo.build_demo()
    assert _visum_of(SKIPPED_WEEK) == in_the_week
    days = set(db.session.scalars(select(Visum.day)))
    assert {date(2026, 11, 30), date(2026, 12, 1)} <= days  # the open week is filled
    total = db.session.scalar(select(func.count(Visum.id)))
    assert total > before
    imports = db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "visum.import_past"))
    assert imports == total  # every demo visum is a back-dated import, audited as one

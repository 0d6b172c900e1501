"""Constants and helpers of the execution tests (their fixtures are in ``conftest.py``)."""

from datetime import UTC, date, datetime

import time_machine

from kinerja.execution import services
from kinerja.extensions import db

# Frozen clock: Thursday 15 January 2026 10:00 WIB. Its week (12-18 January) closes on Sunday
# 18 January 23:59 local: 16:59 UTC in WIB, 15:59 UTC in WITA, 14:59 UTC in WIT.
NOW = datetime(2026, 1, 15, 3, 0, tzinfo=UTC)
FRIDAY = date(2026, 1, 16)
THURSDAY = date(2026, 1, 15)
AFTER_SYNC = datetime(2026, 2, 10, 3, 0, tzinfo=UTC)  # Tuesday 10 February, gate in force
FEB_DAY = date(2026, 2, 9)


def iki_of(skp):
    return skp.rhk[0].iki[0]


def at(moment: datetime):
    """Move the clock to ``moment`` for a ``with`` block (the services read ``clock.now()``, never a parameter)."""
    return time_machine.travel(moment, tick=False)


def file(employee, day=THURSDAY, *, now=NOW, **kwargs):
    """File a visum as the employee himself at ``now`` (the clock moved there meanwhile) and commit."""
    kwargs.setdefault("activity", "Menyusun laporan")
    with at(now):
        visum = services.file_visum(employee, employee, day=day, **kwargs)
        db.session.commit()
    return visum

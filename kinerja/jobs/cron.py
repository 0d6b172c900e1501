"""Recurring jobs for RQ's built-in scheduler::

    TZ=Asia/Jakarta rq cron --url "$REDIS_URL" kinerja.jobs.cron

RQ 3 reads cron fields in the process's local time, so this module pins the process to
Western Indonesia Time (WIB, UTC+7, no daylight saving) before anything is registered.
Jobs that depend on a unit's own zone (e.g. the week lock at Sunday 23:59 WIB/WITA/WIT)
are scheduled early enough in WIB and decide per unit themselves.
"""

import os
import time

from rq import cron

from kinerja.jobs import tasks
from kinerja.jobs.queue import QUEUE_NAME

TIMEZONE = "Asia/Jakarta"
_WIB_OFFSET = -7 * 3600  # time.timezone counts seconds west of UTC


def pin_local_time() -> None:
    """Make this process's local time WIB, even where the zone database is missing."""
    os.environ["TZ"] = TIMEZONE
    time.tzset()
    if time.timezone != _WIB_OFFSET:  # no tzdata: a POSIX rule says the same thing
        os.environ["TZ"] = "WIB-7"
        time.tzset()


pin_local_time()

# minute hour day-of-month month day-of-week, in WIB
cron.register(tasks.refresh_assessors, QUEUE_NAME, cron="5 0 * * *", name="refresh_assessors")

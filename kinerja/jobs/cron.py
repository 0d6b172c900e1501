"""Recurring jobs for RQ's built-in scheduler::

    rq cron --url "$REDIS_URL" kinerja.jobs.cron

RQ 3 reads cron fields in the process's local time, so this module pins the process to
Western Indonesia Time (WIB, UTC+7, no daylight saving; ``clock.JOBS_ZONE``) before anything is
registered.
Jobs that depend on a unit's own zone (e.g. the week lock at Sunday 23:59 WIB/WITA/WIT)
are scheduled early enough in WIB and decide per unit themselves.
"""

import os
import time

from rq import cron

from kinerja import clock
from kinerja.jobs import tasks
from kinerja.jobs.queue import QUEUE_NAME

TIMEZONE = clock.JOBS_ZONE
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

# The visum week closes on Sunday 23:59 local: 21:59 WIB in WIT, 22:59 WIB in WITA, 23:59 WIB in WIB.
# lock-week runs a minute after each close, and daily as a catch-up; it is idempotent and decides
# per zone (docs/week-lock.md).
cron.register(tasks.lock_week, QUEUE_NAME, cron="0 22 * * 0", name="lock_week_wit")
cron.register(tasks.lock_week, QUEUE_NAME, cron="0 23 * * 0", name="lock_week_wita")
cron.register(tasks.lock_week, QUEUE_NAME, cron="0 0 * * 1", name="lock_week_wib")
cron.register(tasks.lock_week, QUEUE_NAME, cron="15 1 * * *", name="lock_week_catch_up")
# The 6 February synchronisation (VISUM_SYNC_DAY): checked daily at 00:30 WIB, runs once a year.
cron.register(tasks.sync_skp_when_due, QUEUE_NAME, cron="30 0 * * *", name="sync_skp")
# Reminders (docs/feedback-notifications.md). The week-closing reminder must run inside the 24 hours
# before each zone's close (Sunday 21:59 WIB for WIT, 22:59 WIB for WITA, 23:59 WIB for WIB): Sunday
# 07:00 and 12:00 WIB are inside all three windows; the second run only catches up (it dedupes).
cron.register(tasks.remind_week_closing, QUEUE_NAME, cron="0 7 * * 0", name="remind_week_closing")
cron.register(tasks.remind_week_closing, QUEUE_NAME, cron="0 12 * * 0", name="remind_week_closing_catch_up")
# Visum waiting more than 3 working days: every working day at 07:00 WIB (the task skips holidays).
cron.register(tasks.remind_overdue_approvals, QUEUE_NAME, cron="0 7 * * 1-5", name="remind_overdue_approvals")
# Email of notifications: the outbox is drained after each commit when Redis is up; this run catches up
# what waited (Redis was down, the server did not answer, a sender was killed mid-send).
cron.register(tasks.send_mail, QUEUE_NAME, cron="*/5 * * * *", name="send_mail")

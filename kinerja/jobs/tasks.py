"""Background tasks: module-level functions of ids and plain values, idempotent.

Each runs inside an app context (the RQ worker pushes one; in-process runs use the caller's),
and commits its own work. Enqueue them with ``kinerja.jobs.queue.enqueue``; recurring ones are
listed in ``kinerja.jobs.cron``. Later tasks (``lock_week``, ``sync_skp``, ``compute_predikat``)
follow the same shape: parse plain arguments, call one service, commit, return a small summary.
"""

from datetime import date

from kinerja.extensions import db


def refresh_assessors(on: str | None = None):
    """Recompute every employee's assessor link for a day (ISO date; default today)."""
    from kinerja.org.assessors import refresh_assessor_links  # written alongside; import lazily

    result = refresh_assessor_links(date.fromisoformat(on)) if on else refresh_assessor_links()
    db.session.commit()
    return result


# --- execution: the weekly lock and the 6 February synchronisation -------------------------

LOCK_WEEK_JOB_ID = "lock-week"


def sync_skp_job_id(year: int) -> str:
    """Return the job id of the synchronisation of a year (one queued run per year at a time)."""
    return f"sync-skp-{year}"


def lock_week(now: str | None = None) -> dict:
    """Record the close of every visum week closed at ``now`` (ISO 8601, no offset = UTC; default now)."""
    from kinerja.execution.locking import lock_week as run_lock_week
    from kinerja.rules.week import parse_now

    result = run_lock_week(parse_now(now) if now else None)
    db.session.commit()
    return result.as_dict()


def sync_skp(year: int | str | None = None) -> dict:
    """Synchronise the approved SKP of a year (default this year, WIB) and refresh HR's blocked list."""
    from kinerja import clock
    from kinerja.execution.sync import sync_skp as run_sync_skp

    result = run_sync_skp(year if year is not None else clock.today().year)
    db.session.commit()
    return result.as_dict()


def sync_skp_when_due() -> dict | None:
    """Run this year's synchronisation on its day (``VISUM_SYNC_DAY``, 6 February), or later if it was missed.

    The daily cron entry calls this; it does nothing before the day or once the year has a run.
    """
    from flask import current_app

    from kinerja import clock
    from kinerja.execution.sync import latest_sync
    from kinerja.rules.calendar import SYNC_DAY
    from kinerja.rules.visum import sync_date

    today = clock.today()
    day = sync_date(today.year, tuple(current_app.config.get("VISUM_SYNC_DAY") or SYNC_DAY))
    if today < day or latest_sync(today.year) is not None:
        return None
    return sync_skp(today.year)


# --- execution: reminders (docs/feedback-notifications.md) -----------------------------------

def remind_week_closing(now: str | None = None) -> dict:
    """Notify every employee whose week closes within 24 hours with working days still without visum."""
    from kinerja.execution.notifications import remind_week_closing as run_reminder
    from kinerja.rules.week import parse_now

    created = run_reminder(parse_now(now) if now else None)
    db.session.commit()
    return {"created": created}


def remind_overdue_approvals(now: str | None = None) -> dict:
    """Notify every assessor with visum waiting more than 3 working days (once a day; nothing on a holiday)."""

    from kinerja import clock
    from kinerja.execution.holidays import holidays
    from kinerja.execution.notifications import remind_overdue_approvals as run_reminder
    from kinerja.rules.calendar import is_working_day
    from kinerja.rules.week import local_date, parse_now

    moment = parse_now(now) if now else clock.now()
    if not is_working_day(local_date(moment, clock.default_zone()),
                          holidays()):
        return {"created": 0, "skipped": "not a working day"}
    created = run_reminder(moment)
    db.session.commit()
    return {"created": created}


# --- execution: email of notifications (the outbox, docs/feedback-notifications.md) ----------

def send_mail() -> dict:
    """Send the emails waiting in the outbox (queued after a commit when Redis is up, and every 5 minutes)."""
    from kinerja.execution.notifications import send_pending_mail

    return send_pending_mail().as_dict()

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

"""In-app notifications (and email when SMTP is configured): week closing, visum returned, approval overdue.

``notify`` inserts one row unless the employee already has one with the same ``key``
(``uq_notification_key``): reminders that run twice, or a job that is retried, notify once.
The reminders are set-based — one SELECT per zone and one multi-row ``INSERT … ON CONFLICT DO
NOTHING`` — whatever the number of employees. Nothing here commits; the caller commits once.

Email: when ``MAIL_SERVER`` is set, the ids of the notifications created in a transaction are
handed, after that transaction commits, to the ``send_notification_emails`` job
(``kinerja.jobs.queue.enqueue``: RQ, or in-process without Redis). The job claims each row by
setting ``emailed_at`` before sending, so a row is emailed at most once. Choices:
``docs/feedback-notifications.md``.
"""

import logging
import smtplib
from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage

from flask import current_app, has_app_context
from sqlalchemy import and_, case, event, exists, func, literal, or_, select, update
from sqlalchemy.orm import Session

from kinerja import clock
from kinerja.execution.holidays import holidays
from kinerja.execution.models import Notification, Visum
from kinerja.extensions import db
from kinerja.org.models import ActingAssignment, AssessorLink, Employee, Position, Unit
from kinerja.org.queries import paginate
from kinerja.planning.models import Leave
from kinerja.rules import week as week_rules
from kinerja.rules.calendar import is_working_day
from kinerja.rules.visum import APPROVAL_LIMIT, VisumStatus, approval_overdue

log = logging.getLogger(__name__)

KIND_LABELS = {
    "WEEK_CLOSING": "Minggu visum segera ditutup",
    "VISUM_RETURNED": "Visum dikembalikan",
    "APPROVAL_OVERDUE": "Visum menunggu persetujuan",
    "FEEDBACK": "Umpan balik",
    "REOPEN_REQUEST": "Permintaan pembukaan minggu",
    "REOPEN_ANSWER": "Jawaban permintaan pembukaan minggu",
}
WEEK_LINK = "/execution/visum"  # execution.week (the week page); built as text so jobs need no request
INBOX_LINK = "/execution/inbox"  # execution.inbox
EMAIL_BATCH = 200  # notification ids per email job
SMTP_TIMEOUT = 10  # seconds
_PENDING_EMAIL = "kinerja.notifications_to_email"  # Session.info key: ids created in this transaction


def _stamp(now: datetime | None) -> datetime:
    return (now or clock.now()).astimezone(UTC).replace(tzinfo=None)


def _insert_new(rows: list[dict]) -> list[int]:
    """Insert notification rows, skipping any whose (employee, key) exists; return the new ids."""
    if not rows:
        return []
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = (insert(Notification.__table__)
                 .on_conflict_do_nothing(index_elements=["employee_id", "key"])
                 .returning(Notification.__table__.c.id))
    ids = list(db.session.scalars(statement, rows))
    if ids and _mail_configured():
        db.session.info.setdefault(_PENDING_EMAIL, []).extend(ids)
    return ids


def notify(employee: Employee, kind: str, key: str, message: str, link: str | None = None,
           now: datetime | None = None) -> Notification | None:
    """Give an employee an in-app notification once per ``key``; return it, or None when he already has that key."""
    if kind not in KIND_LABELS:
        raise ValueError(f"unknown notification kind {kind!r}")
    ids = _insert_new([{"employee_id": employee.id, "kind": kind, "key": key[:120], "message": message,
                        "link": link, "created_at": _stamp(now)}])
    return db.session.get(Notification, ids[0]) if ids else None


# --- the three reminders -----------------------------------------------------------------------

def week_link(day: date) -> str:
    """Return the link to the employee's week page of ``day`` (``execution.week``)."""
    return f"{WEEK_LINK}?week={week_rules.week_start(day).isoformat()}"


def notify_visum_returned(visum: Visum, now: datetime | None = None) -> Notification | None:
    """Tell the owner of a returned visum why it came back (once per return: the key holds the version)."""
    if visum.status != VisumStatus.RETURNED.value:
        return None
    message = f"Visum {week_rules.date_label(visum.day)} dikembalikan: {visum.return_reason or '-'}"
    return notify(visum.employee, "VISUM_RETURNED", f"returned:{visum.id}:{visum.version}", message,
                  week_link(visum.day), now)


def _zones_in_use() -> list[str]:
    return sorted(db.session.scalars(
        select(Unit.effective_timezone).where(exists().where(Employee.unit_id == Unit.id)).distinct()))


def _missing_days_select(monday: date, free_days, tz: str, key: str):
    """Return SELECT (employee id, working days without visum) of the zone's employees not yet reminded by ``key``.

    A working day counts when one of his positions covers it and no cuti does (as the week's lock
    counts it); days he filed a visum for (any status) are not missing. One statement per zone.
    """
    missing = literal(0)
    for day in week_rules.week_days(monday):
        if not is_working_day(day, free_days):
            continue
        in_post = exists().where(Position.employee_id == Employee.id, Position.start <= day,
                                 or_(Position.end.is_(None), Position.end >= day))
        on_leave = exists().where(Leave.employee_id == Employee.id, Leave.start <= day, Leave.end >= day)
        filed = exists().where(Visum.employee_id == Employee.id, Visum.day == day)
        missing = missing + case((and_(in_post, ~on_leave, ~filed), 1), else_=0)
    counted = (select(Employee.id.label("employee_id"), missing.label("missing"))
               .join(Unit, Unit.id == Employee.unit_id)
               .where(Unit.effective_timezone == tz,
                      ~exists().where(Notification.employee_id == Employee.id, Notification.key == key))
               .subquery())
    return select(counted.c.employee_id, counted.c.missing).where(counted.c.missing > 0)


def remind_week_closing(now: datetime | None = None) -> int:
    """Remind every employee whose unit's week closes within 24 hours and who has working days without visum.

    One ``WEEK_CLOSING`` notification per employee and week (key ``week:<monday>``); return how
    many were created. Working days, cuti and days outside his positions count as in the week's
    lock (``kinerja.execution.locking``); one SELECT and one multi-row INSERT per zone.
    """
    now = (now or clock.now()).astimezone(UTC)
    stamp, free_days, created = _stamp(now), holidays(), 0
    for tz in _zones_in_use():
        today = week_rules.local_date(now, tz)
        if not week_rules.week_closing_soon(today, now, tz):
            continue
        monday = week_rules.week_start(today)
        key = f"week:{monday.isoformat()}"
        rows = db.session.execute(_missing_days_select(monday, free_days, tz, key)).all()
        closes = week_rules.closes_at_label(today, tz)
        link = week_link(today)
        created += len(_insert_new([
            {"employee_id": employee_id, "kind": "WEEK_CLOSING", "key": key, "link": link, "created_at": stamp,
             "message": f"{missing} hari kerja minggu ini belum diisi visum. Visum minggu ini ditutup "
                        f"{closes}."}
            for employee_id, missing in rows]))
    return created


def overdue_cutoff(today: date, holidays=frozenset()) -> date:
    """Return the latest submission date whose visum is overdue on ``today`` (waited more than 3 working days)."""
    day = today
    while not approval_overdue(day, today, holidays):
        day -= timedelta(days=1)
    return day


def _overdue_condition(now: datetime, holidays):
    """Return a SQL condition "this visum (joined to its owner's Unit) waits too long", zone by zone.

    A visum waits since its last submission (``updated_at``; an edit resubmits it), counted in
    working days in the owner's unit zone (``rules.visum.approval_overdue``).
    """
    conditions = []
    for tz in _zones_in_use():
        cutoff = overdue_cutoff(week_rules.local_date(now, tz), holidays)
        midnight = datetime.combine(cutoff + timedelta(days=1), time(0), tzinfo=week_rules.zone(tz))
        conditions.append((Unit.effective_timezone == tz)
                          & (Visum.updated_at < midnight.astimezone(UTC).replace(tzinfo=None)))
    return or_(*conditions) if conditions else None


def waiting_counts(assessor_ids=None, *, now: datetime | None = None, overdue: bool = False,
                   exclude_employee_id: int | None = None) -> dict[int, int]:
    """Count the submitted visum waiting for each assessor (today's ``AssessorLink``); only overdue ones if asked.

    :param assessor_ids: limit to these assessors (None: every assessor, one grouped query).
    :param exclude_employee_id: leave out this employee's own visum (a PLT is never his own approver).
    """
    stmt = (select(AssessorLink.assessor_id, func.count(Visum.id))
            .join(AssessorLink, AssessorLink.employee_id == Visum.employee_id)
            .where(Visum.status == VisumStatus.SUBMITTED.value, AssessorLink.assessor_id.is_not(None),
                   AssessorLink.assessor_id != Visum.employee_id)
            .group_by(AssessorLink.assessor_id))
    if assessor_ids is not None:
        stmt = stmt.where(AssessorLink.assessor_id.in_(list(assessor_ids)))
    if exclude_employee_id is not None:
        stmt = stmt.where(Visum.employee_id != exclude_employee_id)
    if overdue:
        condition = _overdue_condition((now or clock.now()).astimezone(UTC), holidays())
        if condition is None:
            return {}
        stmt = (stmt.join(Employee, Employee.id == Visum.employee_id).join(Unit, Unit.id == Employee.unit_id)
                .where(condition))
    return dict(db.session.execute(stmt).all())


def _acting_for_heads(on: date) -> dict[int, list[int]]:
    """Return {head's id: ids of the PLT/PLH holding his unit's head position on ``on``}."""
    rows = db.session.execute(
        select(Employee.id, ActingAssignment.employee_id)
        .join(ActingAssignment, ActingAssignment.unit_id == Employee.unit_id)
        .where(Employee.is_head.is_(True), ActingAssignment.start <= on, ActingAssignment.end >= on,
               ActingAssignment.employee_id != Employee.id))
    acting: dict[int, list[int]] = defaultdict(list)
    for head_id, acting_id in rows:
        acting[head_id].append(acting_id)
    return acting


def remind_overdue_approvals(now: datetime | None = None) -> int:
    """Remind every assessor (and his PLT/PLH) with visum waiting more than 3 working days, once a day.

    One ``APPROVAL_OVERDUE`` notification per person and day (key ``overdue:<date>``, the date in
    ``DEFAULT_TIMEZONE``) with the count; return how many were created.
    """
    now = (now or clock.now()).astimezone(UTC)
    counts = waiting_counts(now=now, overdue=True)
    if not counts:
        return 0
    today = week_rules.local_date(now, current_app.config.get("DEFAULT_TIMEZONE") or "Asia/Jakarta")
    per_person: dict[int, int] = defaultdict(int)
    acting = _acting_for_heads(today)
    for assessor_id, count in counts.items():
        for person in {assessor_id, *acting.get(assessor_id, ())}:
            per_person[person] += count
    key, stamp = f"overdue:{today.isoformat()}", _stamp(now)
    return len(_insert_new([
        {"employee_id": person, "kind": "APPROVAL_OVERDUE", "key": key, "link": INBOX_LINK, "created_at": stamp,
         "message": f"{count} visum menunggu persetujuan Anda lebih dari {APPROVAL_LIMIT} hari kerja."}
        for person, count in sorted(per_person.items())]))


# --- reading and marking -----------------------------------------------------------------------

def unread_count(employee_id: int) -> int:
    """Count an employee's unread notifications (one COUNT on ``ix_notification_employee_read``)."""
    return db.session.scalar(select(func.count()).select_from(Notification)
                             .where(Notification.employee_id == employee_id, Notification.read_at.is_(None))) or 0


def notifications_of(employee_id: int, page: int = 1, per_page: int = 50) -> tuple[list[Notification], int]:
    """Return one page of an employee's notifications, newest first, and the number of pages."""
    mine = Notification.employee_id == employee_id
    found = paginate(select(Notification).where(mine).order_by(Notification.created_at.desc(), Notification.id.desc()),
                  select(func.count()).select_from(Notification).where(mine), page, per_page)
    return found.items, found.pages


def mark_read(employee: Employee, notification_id: int | None = None, now: datetime | None = None) -> int:
    """Mark one of the employee's notifications read (or all of them when no id is given); return how many changed.

    Another employee's notification is never touched (it simply does not match).
    """
    stmt = update(Notification).where(Notification.employee_id == employee.id, Notification.read_at.is_(None))
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    result = db.session.execute(stmt.values(read_at=_stamp(now)).execution_options(synchronize_session=False))
    for item in db.session.identity_map.values():
        if isinstance(item, Notification) and item.employee_id == employee.id:
            db.session.expire(item)
    return result.rowcount or 0


# --- email -------------------------------------------------------------------------------------

def _mail_configured() -> bool:
    return has_app_context() and bool(current_app.config.get("MAIL_SERVER"))


def _message(email: str, name: str, kind: str, text: str, link: str | None) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    message["Subject"] = f"[Kinerja] {KIND_LABELS.get(kind, kind)}"
    message["From"] = config.get("MAIL_FROM") or config.get("MAIL_USERNAME") or "kinerja@localhost"
    message["To"] = email
    lines = [f"Yth. {name},", "", text]
    if link:
        lines += ["", f"Buka: {(config.get('BASE_URL') or '').rstrip('/')}{link}"]
    lines += ["", "Pesan ini dikirim otomatis oleh aplikasi Kinerja BKKBN."]
    message.set_content("\n".join(lines))
    return message


def _smtp() -> smtplib.SMTP:
    config = current_app.config
    use_tls = bool(config.get("MAIL_USE_TLS"))
    smtp = smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT") or (587 if use_tls else 25)),
                        timeout=SMTP_TIMEOUT)
    if use_tls:
        smtp.starttls()
    if config.get("MAIL_USERNAME"):
        smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    return smtp


def send_notification_emails(notification_ids: list[int]) -> int:
    """Email the given notifications not emailed yet to employees with an address; return how many were sent.

    A job (ids only). Works in its own database session, so it may run in-process right after
    the caller's commit. Each row is claimed (``emailed_at`` set and committed) before it is
    sent, and released when the server refuses it; an unreachable server fails the job untouched.
    """
    if not _mail_configured() or not notification_ids:
        return 0
    sent = 0
    with Session(db.engine) as session:
        rows = session.execute(
            select(Notification.id, Notification.kind, Notification.message, Notification.link, Employee.email,
                   Employee.name)
            .join(Employee, Employee.id == Notification.employee_id)
            .where(Notification.id.in_([int(i) for i in notification_ids]), Notification.emailed_at.is_(None),
                   Employee.email.is_not(None), Employee.email != "")
            .order_by(Notification.id)).all()
        if not rows:
            return 0
        with _smtp() as smtp:
            for row in rows:
                claim = session.execute(update(Notification).where(Notification.id == row.id,
                                                                   Notification.emailed_at.is_(None))
                                        .values(emailed_at=clock.stamp()))
                session.commit()
                if not claim.rowcount:
                    continue  # another run took it
                try:
                    smtp.send_message(_message(row.email, row.name, row.kind, row.message, row.link))
                    sent += 1
                except smtplib.SMTPException:
                    log.exception("email of notification %s refused", row.id)
                    session.execute(update(Notification).where(Notification.id == row.id).values(emailed_at=None))
                    session.commit()
    return sent


def _enqueue_emails(ids: list[int]) -> None:
    from kinerja.jobs.queue import enqueue

    for start in range(0, len(ids), EMAIL_BATCH):
        try:
            enqueue("kinerja.execution.notifications.send_notification_emails", ids[start:start + EMAIL_BATCH])
        except Exception:  # an email problem never undoes or breaks the committed work
            log.exception("could not email notifications %s", ids[start:start + EMAIL_BATCH])


@event.listens_for(Session, "after_commit")
def _email_after_commit(session: Session) -> None:
    ids = session.info.pop(_PENDING_EMAIL, None)
    if ids and _mail_configured():
        _enqueue_emails(sorted(set(ids)))


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_PENDING_EMAIL, None)

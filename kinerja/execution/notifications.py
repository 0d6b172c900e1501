"""In-app notifications (and email when SMTP is configured): week closing, visum returned, approval overdue.

``notify`` inserts one row unless the employee already has one with the same ``key``
(``uq_notification_key``): reminders that run twice, or a job that is retried, notify once.
The reminders are set-based — one SELECT per zone and one multi-row ``INSERT … ON CONFLICT DO
NOTHING`` — whatever the number of employees. Nothing here commits; the caller commits once.

Email: when ``MAIL_SERVER`` is set, each new notification of an employee with an address gets a
``MailOutbox`` row in the same transaction; after the commit the ``send_mail`` job is queued on
RQ when Redis is up. The job (or the cron run, or ``flask --app app send-mail``) claims rows,
sends them and marks them sent only once the server accepted them. A web request never waits
on the SMTP server. Choices: ``docs/feedback-notifications.md``.
"""

import logging
import secrets
import smtplib
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage

from flask import current_app, has_app_context
from sqlalchemy import and_, case, event, exists, func, literal, or_, select, update
from sqlalchemy.orm import Session

from kinerja import clock
from kinerja.execution.holidays import holidays
from kinerja.execution.models import MailOutbox, Notification, Visum
from kinerja.extensions import db
from kinerja.org import relations
from kinerja.org.models import AssessorLink, Employee, Position, Unit
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
_MAIL_WAITING = "kinerja.mail_waiting"  # Session.info key: this transaction wrote outbox rows


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
        _queue_mail(ids)
    return ids


def notify(employee: Employee, kind: str, key: str, message: str, link: str | None = None,
           now: datetime | None = None) -> Notification | None:
    """Give an employee an in-app notification once per ``key``; return it, or None when he already has that key."""
    if kind not in KIND_LABELS:
        raise ValueError(f"unknown notification kind {kind!r}")
    ids = _insert_new([{"employee_id": employee.id, "kind": kind, "key": key[:120], "message": message,
                        "link": link, "created_at": clock.stamp(now)}])
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
    stamp, free_days, created = clock.stamp(now), holidays(), 0
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
                          & (Visum.updated_at < clock.stamp(midnight)))
    return or_(*conditions) if conditions else None


def waiting_counts(assessor_ids=None, *, now: datetime | None = None, overdue: bool = False,
                   exclude_employee_id: int | None = None) -> dict[int, int]:
    """Count the submitted visum waiting for each assessor (today's ``AssessorLink``); only overdue ones if asked.

    :param assessor_ids: limit to these assessors (None: every assessor, one grouped query).
    :param exclude_employee_id: leave out this employee's own visum (a PLT is never his own approver).
    """
    stmt = (select(AssessorLink.assessor_id, func.count(Visum.id))
            .join(AssessorLink, (AssessorLink.employee_id == Visum.employee_id)
                  & relations.link_covers(clock.today()))
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


def remind_overdue_approvals(now: datetime | None = None) -> int:
    """Remind every assessor (and his PLT/PLH) with visum waiting more than 3 working days, once a day.

    One ``APPROVAL_OVERDUE`` notification per person and day (key ``overdue:<date>``, the date in
    the default zone, ``clock.default_zone()``) with the count; return how many were created.
    """
    now = (now or clock.now()).astimezone(UTC)
    counts = waiting_counts(now=now, overdue=True)
    if not counts:
        return 0
    today = week_rules.local_date(now, clock.default_zone())
    per_person: dict[int, int] = defaultdict(int)
    acting = relations.acting_for_heads(today)
    for assessor_id, count in counts.items():
        for person in {assessor_id, *acting.get(assessor_id, ())}:
            per_person[person] += count
    key, stamp = f"overdue:{today.isoformat()}", clock.stamp(now)
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
    result = db.session.execute(stmt.values(read_at=clock.stamp(now)).execution_options(synchronize_session=False))
    for item in db.session.identity_map.values():
        if isinstance(item, Notification) and item.employee_id == employee.id:
            db.session.expire(item)
    return result.rowcount or 0


# --- email -------------------------------------------------------------------------------------
# The outbox (docs/feedback-notifications.md, "Email"): a notification's email is a ``MailOutbox``
# row written in the same transaction; after the commit the ``send_mail`` job is queued when Redis
# is up. A web request never talks to the SMTP server: without Redis the cron run, the worker or
# ``flask --app app send-mail`` drains the outbox.

MAIL_BATCH = 50  # rows claimed at a time
MAIL_LEASE = timedelta(minutes=15)  # a claim older than this was lost (a killed sender): sent again
MAIL_RUN_LIMIT = 1000  # rows one run sends at most; the next run takes the rest
SEND_MAIL_JOB_ID = "send-mail"


@dataclass
class MailRun:
    """What one drain of the outbox did."""

    sent: int = 0
    failed: int = 0
    waiting: int = 0
    unreachable: str | None = None  # why the server could not be reached, if it could not

    def as_dict(self) -> dict:
        return {"sent": self.sent, "failed": self.failed, "waiting": self.waiting, "unreachable": self.unreachable}

    def summary(self) -> str:
        """Describe the run in one Indonesian line."""
        text = f"Email: {self.sent} terkirim, {self.failed} gagal, {self.waiting} menunggu."
        return text + (f" Server SMTP tidak dapat dihubungi: {self.unreachable}" if self.unreachable else "")


def _mail_configured() -> bool:
    return has_app_context() and bool(current_app.config.get("MAIL_SERVER"))


def _queue_mail(notification_ids: list[int]) -> None:
    """Write the outbox rows of new notifications whose employee has an address (one INSERT … SELECT)."""
    outbox = MailOutbox.__table__
    chosen = (select(Notification.id, literal("PENDING"), literal(0), literal(clock.stamp()))
              .join(Employee, Employee.id == Notification.employee_id)
              .where(Notification.id.in_(notification_ids), Employee.email.is_not(None), Employee.email != ""))
    result = db.session.execute(outbox.insert().from_select(
        ["notification_id", "status", "attempts", "created_at"], chosen))
    if result.rowcount:
        db.session.info[_MAIL_WAITING] = True


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
                        timeout=float(config.get("MAIL_TIMEOUT") or 5))
    try:
        if use_tls:
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def _claimable(now: datetime):
    """Rows waiting to be sent: pending, or claimed by a sender whose lease ran out (it was killed)."""
    return or_(MailOutbox.status == "PENDING",
               and_(MailOutbox.status == "SENDING", MailOutbox.claimed_until < now))


def _claim(session: Session, limit: int) -> tuple[str, list]:
    """Claim up to ``limit`` rows for this sender with one conditional UPDATE; return its token and the rows.

    Another sender's UPDATE of the same row waits for this one and then no longer matches, so a
    row is claimed by one sender at a time.
    """
    now, token = clock.stamp(), secrets.token_hex(16)
    ids = select(MailOutbox.id).where(_claimable(now)).order_by(MailOutbox.id).limit(limit)
    session.execute(update(MailOutbox).where(MailOutbox.id.in_(ids), _claimable(now))
                    .values(status="SENDING", claim_token=token, claimed_until=now + MAIL_LEASE,
                            attempts=MailOutbox.attempts + 1)
                    .execution_options(synchronize_session=False))
    session.commit()
    rows = session.execute(
        select(MailOutbox.id, MailOutbox.attempts, Notification.id.label("notification_id"), Notification.kind,
               Notification.message, Notification.link, Employee.email, Employee.name)
        .join(Notification, Notification.id == MailOutbox.notification_id)
        .join(Employee, Employee.id == Notification.employee_id)
        .where(MailOutbox.claim_token == token).order_by(MailOutbox.id)).all()
    return token, rows


def _release(session: Session, token: str, rows, error: str, *, give_up: bool = False) -> int:
    """Give claimed rows back (``PENDING``, or ``FAILED`` after ``MAIL_MAX_ATTEMPTS`` or with ``give_up``);
    return how many failed."""
    limit = int(current_app.config.get("MAIL_MAX_ATTEMPTS") or 10)
    failed = 0
    for row in rows:
        gone = give_up or row.attempts >= limit
        failed += gone
        session.execute(update(MailOutbox).where(MailOutbox.id == row.id, MailOutbox.claim_token == token)
                        .values(status="FAILED" if gone else "PENDING", last_error=error[:500], claim_token=None,
                                claimed_until=None))
    session.commit()
    return failed


def _mark_sent(session: Session, token: str, row) -> None:
    now = clock.stamp()
    session.execute(update(MailOutbox).where(MailOutbox.id == row.id, MailOutbox.claim_token == token)
                    .values(status="SENT", sent_at=now, last_error=None, claim_token=None, claimed_until=None))
    session.execute(update(Notification).where(Notification.id == row.notification_id).values(emailed_at=now))
    session.commit()


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def send_pending_mail(limit: int = MAIL_RUN_LIMIT) -> MailRun:
    """Send the outbox's waiting emails (at most ``limit``); a job, the ``send-mail`` command.

    Works in its own database session and commits as it goes: each row is claimed before the
    server is contacted and marked ``SENT`` only after the server accepted it, so a run killed
    mid-send leaves its rows claimed until the lease ends, then they are sent again (at least
    once, never lost). A server that cannot be reached (or answers nothing within
    ``MAIL_TIMEOUT``) gives the claimed rows back with the error and ends the run.
    """
    run = MailRun()
    if not _mail_configured():
        return run
    with Session(db.engine) as session:
        while run.sent + run.failed < limit:
            token, rows = _claim(session, min(MAIL_BATCH, limit - run.sent - run.failed))
            if not rows:
                break
            try:
                smtp = _smtp()
            except (OSError, smtplib.SMTPException) as error:
                run.unreachable = _describe(error)
                log.warning("SMTP server unreachable, %d emails wait: %s", len(rows), run.unreachable)
                run.failed += _release(session, token, rows, run.unreachable)
                break
            with smtp:
                for index, row in enumerate(rows):
                    if not row.email:
                        run.failed += _release(session, token, [row], "pegawai tidak lagi punya alamat email",
                                               give_up=True)
                        continue
                    try:
                        smtp.send_message(_message(row.email, row.name, row.kind, row.message, row.link))
                    except smtplib.SMTPServerDisconnected as error:
                        run.unreachable = _describe(error)
                        run.failed += _release(session, token, rows[index:], run.unreachable)
                        break
                    except smtplib.SMTPException as error:  # this message refused (e.g. the address)
                        log.warning("email of notification %s refused: %s", row.notification_id, error)
                        run.failed += _release(session, token, [row], _describe(error))
                        continue
                    except OSError as error:  # the connection broke or timed out mid-send
                        run.unreachable = _describe(error)
                        run.failed += _release(session, token, rows[index:], run.unreachable)
                        break
                    _mark_sent(session, token, row)
                    run.sent += 1
            if run.unreachable:
                break
        run.waiting = session.scalar(select(func.count(MailOutbox.id)).where(MailOutbox.status != "SENT",
                                                                             MailOutbox.status != "FAILED"))
    return run


def retry_failed_mail() -> int:
    """Put the outbox's ``FAILED`` rows back in the queue with their attempts reset; return how many."""
    result = db.session.execute(update(MailOutbox).where(MailOutbox.status == "FAILED")
                                .values(status="PENDING", attempts=0))
    return result.rowcount or 0


def _start_sending() -> None:
    """Queue the ``send_mail`` job when Redis is up; otherwise leave the outbox to the cron or the CLI."""
    from kinerja.jobs.queue import queue_if_available

    try:
        queue_if_available("kinerja.jobs.tasks.send_mail", job_id=SEND_MAIL_JOB_ID)
    except Exception:  # an email problem never undoes or breaks the committed work
        log.exception("could not queue the send_mail job; the outbox waits for the next run")


@event.listens_for(Session, "after_commit")
def _send_after_commit(session: Session) -> None:
    if session.info.pop(_MAIL_WAITING, None) and _mail_configured():
        _start_sending()


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    session.info.pop(_MAIL_WAITING, None)

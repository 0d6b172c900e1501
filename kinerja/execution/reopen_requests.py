"""Requests to reopen a closed visum week: the employee asks, HR reopens (which grants it) or declines.

A visum returned after its week closed cannot be fixed until HR reopens the week
(``services.reopen_week``); the week page says so and lets the employee ask from there. One open
request per employee and week (``uq_week_reopen_request_open``). Each change writes an audit row
(object type ``week_reopen_request``) and an in-app notification (``execution.notifications``):
to every HR officer when asked, to the employee when answered. Nothing here commits. Choices:
``docs/hr-pages.md``, "Requests to reopen a week".
"""

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from kinerja import clock
from kinerja.audit.services import record
from kinerja.auth.access import employee_has_role
from kinerja.auth.models import RoleGrant, User
from kinerja.execution.hr_queries import week_label
from kinerja.execution.models import WeekReopening, WeekReopenRequest
from kinerja.execution.notifications import notify, week_link
from kinerja.execution.services import HR_ROLES, is_writable
from kinerja.extensions import db
from kinerja.org.models import Employee
from kinerja.rules import week as week_rules
from kinerja.rules.planning import NotAllowed, PlanningRuleError, WrongState

MAX_NOTE = 500
OPEN, GRANTED, DECLINED = "OPEN", "GRANTED", "DECLINED"
HR_WEEKS_LINK = "/execution/hr/weeks?nip={nip}"  # execution.hr_weeks; text, so no request is needed


def _optional_text(value, field: str, label: str) -> str | None:
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > MAX_NOTE:
        raise PlanningRuleError(f"{label} paling panjang {MAX_NOTE} karakter.", field, code="TOO_LONG")
    return text or None


def _facts(item: WeekReopenRequest) -> dict:
    return {"employee_id": item.employee_id, "week_start": item.week_start, "status": item.status,
            "note": item.note, "decline_reason": item.decline_reason, "reopening_id": item.reopening_id}


def hr_officers() -> list[Employee]:
    """Return the employees whose account holds the HR role (KEPEGAWAIAN), active accounts only.

    Admins hold every role but are told only when nobody holds KEPEGAWAIAN itself.
    """
    def holders(role: str) -> list[Employee]:
        return list(db.session.scalars(
            select(Employee).join(User, User.employee_id == Employee.id).join(RoleGrant, RoleGrant.user_id == User.id)
            .where(RoleGrant.role == role, User.active.is_(True)).order_by(Employee.id).distinct()))

    return holders(HR_ROLES[0]) or holders("ADMIN")


def open_request(employee: Employee, monday: date) -> WeekReopenRequest | None:
    """Return the employee's open request for the week of ``monday``, if any."""
    return db.session.scalar(select(WeekReopenRequest).where(
        WeekReopenRequest.employee_id == employee.id, WeekReopenRequest.week_start == monday,
        WeekReopenRequest.status == OPEN))


def latest_request(employee: Employee, monday: date) -> WeekReopenRequest | None:
    """Return the employee's latest request for the week of ``monday`` (open or answered), if any."""
    return db.session.scalar(
        select(WeekReopenRequest).where(WeekReopenRequest.employee_id == employee.id,
                                        WeekReopenRequest.week_start == monday)
        .order_by(WeekReopenRequest.created_at.desc(), WeekReopenRequest.id.desc()).limit(1))


def open_requests(employee: Employee | None = None) -> list[WeekReopenRequest]:
    """Return the open requests, oldest first (of one employee, or of everybody), employees and units loaded."""
    stmt = (select(WeekReopenRequest).where(WeekReopenRequest.status == OPEN)
            .options(selectinload(WeekReopenRequest.employee).selectinload(Employee.unit))
            .order_by(WeekReopenRequest.created_at, WeekReopenRequest.id))
    if employee is not None:
        stmt = stmt.where(WeekReopenRequest.employee_id == employee.id)
    return list(db.session.scalars(stmt))


def request_reopening(actor: Employee, employee: Employee, week_start: date, note: str | None = None,
                      now: datetime | None = None) -> WeekReopenRequest:
    """Ask HR to reopen one of the employee's own closed weeks, with an optional note; tell every HR officer.

    :raise NotAllowed: not his own week (``NOT_OWNER``);
    :raise PlanningRuleError: not a Monday (``NOT_A_MONDAY``), the week is open (``WEEK_OPEN``), a note over
        500 characters (``TOO_LONG``);
    :raise WrongState: a request for that week is already open (``REQUEST_OPEN``)
    """
    if actor is None or actor.id != employee.id:
        raise NotAllowed("Hanya pegawai yang bersangkutan yang dapat meminta pembukaan minggunya.", code="NOT_OWNER")
    if isinstance(week_start, datetime) or not isinstance(week_start, date) or week_start.weekday() != 0:
        raise PlanningRuleError("Awal minggu harus hari Senin.", "week", code="NOT_A_MONDAY")
    now = now or clock.now()
    if is_writable(employee, week_start):  # at clock.now(), with the lock record (services.writable_days)
        raise PlanningRuleError("Minggu ini masih terbuka: visum dapat diisi dan diperbaiki langsung.", "week",
                                code="WEEK_OPEN")
    text = _optional_text(note, "note", "Catatan")
    if open_request(employee, week_start) is not None:
        raise WrongState("Permintaan pembukaan minggu ini sudah dikirim dan menunggu Kepegawaian.",
                         code="REQUEST_OPEN")
    item = WeekReopenRequest(employee_id=employee.id, week_start=week_start, note=text, status=OPEN,
                             created_at=clock.stamp(now))
    db.session.add(item)
    db.session.flush()
    record(actor, "week_reopen_request.create", "week_reopen_request", item.id, None, _facts(item))
    message = f"{employee.name} (NIP {employee.nip}) meminta pembukaan kembali minggu {week_label(week_start)}"
    message += f": {text}" if text else "."
    for officer in hr_officers():
        notify(officer, "REOPEN_REQUEST", f"reopen_request:{item.id}", message,
               HR_WEEKS_LINK.format(nip=employee.nip), now)
    return item


def _require_hr(actor: Employee | None) -> None:
    if actor is not None and not employee_has_role(actor, *HR_ROLES):
        raise NotAllowed("Hanya Kepegawaian yang dapat menjawab permintaan pembukaan minggu.", code="NOT_HR")


def decline_request(actor: Employee | None, item: WeekReopenRequest, reason: str,
                    now: datetime | None = None) -> WeekReopenRequest:
    """Decline an open request with a reason (KEPEGAWAIAN; None = CLI) and tell the employee why.

    :raise NotAllowed: not HR; :raise WrongState: already answered (``REQUEST_ANSWERED``);
    :raise PlanningRuleError: no reason (``REASON_REQUIRED``), over 500 characters (``TOO_LONG``)
    """
    _require_hr(actor)
    if item.status != OPEN:
        raise WrongState("Permintaan ini sudah dijawab.", code="REQUEST_ANSWERED")
    text = _optional_text(reason, "reason", "Alasan")
    if text is None:
        raise PlanningRuleError("Alasan penolakan wajib diisi.", "reason", code="REASON_REQUIRED")
    now = now or clock.now()
    before = _facts(item)
    item.status, item.decline_reason = DECLINED, text
    item.decided_at, item.decided_by_id = clock.stamp(now), actor.id if actor is not None else None
    record(actor, "week_reopen_request.decline", "week_reopen_request", item.id, before, _facts(item), text)
    notify(item.employee, "REOPEN_ANSWER", f"reopen_request:{item.id}:declined",
           f"Permintaan pembukaan minggu {week_label(item.week_start)} ditolak Kepegawaian: {text}",
           week_link(item.week_start), now)
    return item


def grant_requests(actor: Employee | None, reopening: WeekReopening,
                   now: datetime | None = None) -> list[WeekReopenRequest]:
    """Close the open request of the reopened week as granted, and tell the employee until when he may write.

    Called after ``services.reopen_week``; a reopening nobody asked for closes nothing.
    """
    now = now or clock.now()
    employee = db.session.get(Employee, reopening.employee_id)
    item = open_request(employee, reopening.week_start)
    if item is None:
        return []
    before = _facts(item)
    item.status, item.reopening_id = GRANTED, reopening.id
    item.decided_at, item.decided_by_id = clock.stamp(now), actor.id if actor is not None else None
    record(actor, "week_reopen_request.grant", "week_reopen_request", item.id, before, _facts(item))
    tz = clock.zone_of(employee)
    until = clock.local(reopening.until, tz)
    notify(employee, "REOPEN_ANSWER", f"reopen_request:{item.id}:granted",
           f"Kepegawaian membuka kembali minggu {week_label(item.week_start)} sampai {until:%d-%m-%Y %H.%M} "
           f"{week_rules.timezone_label(tz)}: perbaiki visum Anda sebelum waktu itu.", week_link(item.week_start), now)
    return [item]

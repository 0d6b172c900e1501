"""Visum (daily activity), its evidence, HR week reopenings and the weekly lock record.

Writability is never read from ``Visum.locked``: services compute it from the week rule
(``kinerja.rules.week``) and any active ``WeekReopening``; ``locked`` is only what the
``lock-week`` job recorded. Timestamps are naive UTC (``clock.stamp()``).
"""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kinerja.extensions import db
from kinerja.org.models import Employee, Unit, _enum_check
from kinerja.planning.models import Iki, Skp

VISUM_STATUS = ("SUBMITTED", "APPROVED", "RETURNED")
VISUM_CHANNEL = ("SIVIKA", "E-VISUM")
EVIDENCE_KIND = ("FILE", "LINK")


class Visum(db.Model):
    """One activity an employee did on a day, with the IKI of his approved SKP it serves."""

    __tablename__ = "visum"
    __table_args__ = (
        _enum_check("status", VISUM_STATUS),
        _enum_check("channel", VISUM_CHANNEL),
        CheckConstraint("output_quantity IS NULL OR output_quantity >= 0", name="output_quantity_positive"),
        UniqueConstraint("employee_id", "client_token", name="uq_visum_client_token"),
        Index("ix_visum_employee_day", "employee_id", "day"),
        Index("ix_visum_status_employee", "status", "employee_id"),
        Index("ix_visum_approved_by", "approved_by_id"),
        # lock-week finds the visum not yet recorded as locked (the last week or two) without scanning
        # the year; the predicate is what ``~Visum.locked`` renders on each database.
        Index("ix_visum_unlocked_day", "day", postgresql_where=text("NOT locked"), sqlite_where=text("locked = 0")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column()
    iki_id: Mapped[int | None] = mapped_column(ForeignKey("iki.id", ondelete="SET NULL"), index=True)
    skp_id: Mapped[int | None] = mapped_column(ForeignKey("skp.id", ondelete="SET NULL"), index=True)
    activity: Mapped[str] = mapped_column(Text)
    output_quantity: Mapped[float | None] = mapped_column()
    output_unit: Mapped[str | None] = mapped_column(String(60))
    output_text: Mapped[str | None] = mapped_column(Text)  # the API's free-text output, kept as given
    status: Mapped[str] = mapped_column(String(12), default="SUBMITTED")
    channel: Mapped[str] = mapped_column(String(8), default="SIVIKA")
    return_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()
    approved_at: Mapped[datetime | None] = mapped_column()
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    client_token: Mapped[str | None] = mapped_column(String(64))  # dedupes a double-click submission
    locked: Mapped[bool] = mapped_column(default=False)  # recorded by lock-week; never the write check
    version: Mapped[int] = mapped_column(default=1)  # optimistic concurrency (version_id_col)

    __mapper_args__ = {"version_id_col": version}

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    approved_by: Mapped[Employee | None] = relationship(foreign_keys=[approved_by_id])
    iki: Mapped[Iki | None] = relationship()
    skp: Mapped[Skp | None] = relationship()
    evidence: Mapped[list["Evidence"]] = relationship(back_populates="visum", cascade="all, delete-orphan",
                                                      passive_deletes=True, order_by="Evidence.id")

    def __repr__(self) -> str:
        return f"<Visum {self.id} {self.employee_id} {self.day} {self.status}>"


class Evidence(db.Model):
    """A file or a link supporting a visum (the upload code stores the file; this is its row)."""

    __tablename__ = "visum_evidence"
    __table_args__ = (
        _enum_check("kind", EVIDENCE_KIND),
        CheckConstraint("(kind = 'FILE' AND stored_name IS NOT NULL) OR (kind = 'LINK' AND url IS NOT NULL)",
                        name="evidence_kind_fields"),
        CheckConstraint("size IS NULL OR size >= 0", name="size_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    visum_id: Mapped[int] = mapped_column(ForeignKey("visum.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(4))
    stored_name: Mapped[str | None] = mapped_column(String(255))  # server-chosen name, never the client's
    original_name: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(120))
    size: Mapped[int | None] = mapped_column()
    url: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column()

    visum: Mapped[Visum] = relationship(back_populates="evidence")


class WeekReopening(db.Model):
    """HR reopened one employee's closed week until a UTC instant, with a reason."""

    __tablename__ = "week_reopening"
    __table_args__ = (Index("ix_week_reopening_employee_week", "employee_id", "week_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    week_start: Mapped[date] = mapped_column()  # the Monday
    until: Mapped[datetime] = mapped_column()  # naive UTC
    reason: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column()

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    created_by: Mapped[Employee | None] = relationship(foreign_keys=[created_by_id])


REOPEN_REQUEST_STATUS = ("OPEN", "GRANTED", "DECLINED")


class WeekReopenRequest(db.Model):
    """An employee asks HR to reopen one of his closed weeks (e.g. to fix a visum returned after the close).

    One open request per employee and week (a partial unique index); HR grants it by reopening the
    week (``reopening_id``) or declines it with a reason. The row stays as the record.
    """

    __tablename__ = "week_reopen_request"
    __table_args__ = (
        _enum_check("status", REOPEN_REQUEST_STATUS),
        Index("uq_week_reopen_request_open", "employee_id", "week_start", unique=True,
              postgresql_where=text("status = 'OPEN'"), sqlite_where=text("status = 'OPEN'")),
        Index("ix_week_reopen_request_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    week_start: Mapped[date] = mapped_column()  # the Monday
    note: Mapped[str | None] = mapped_column(Text)  # the employee's optional note
    status: Mapped[str] = mapped_column(String(8), default="OPEN")
    created_at: Mapped[datetime] = mapped_column()  # naive UTC
    decided_at: Mapped[datetime | None] = mapped_column()
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    decline_reason: Mapped[str | None] = mapped_column(Text)
    reopening_id: Mapped[int | None] = mapped_column(ForeignKey("week_reopening.id", ondelete="SET NULL"))

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    decided_by: Mapped[Employee | None] = relationship(foreign_keys=[decided_by_id])
    reopening: Mapped[WeekReopening | None] = relationship()


class WeekLock(db.Model):
    """What the lock-week job recorded for one employee's closed week (completeness at the close)."""

    __tablename__ = "week_lock"
    __table_args__ = (
        UniqueConstraint("employee_id", "week_start", name="uq_week_lock_employee_week"),
        Index("ix_week_lock_week_unit", "week_start", "unit_id"),
        CheckConstraint("filed >= 0 AND expected >= 0", name="counts_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    week_start: Mapped[date] = mapped_column()
    filed: Mapped[int] = mapped_column(default=0)
    expected: Mapped[int] = mapped_column(default=0)
    percent: Mapped[float] = mapped_column(default=0.0)
    locked_at: Mapped[datetime] = mapped_column()

    unit: Mapped[Unit | None] = relationship()
    employee: Mapped[Employee] = relationship()


# --- Synchronisation of 6 February ---------------------------------------------------------------

SYNC_BLOCK_REASON = ("NO_SKP", "SKP_NOT_APPROVED")


class SkpSync(db.Model):
    """One run of ``sync-skp YEAR``: how many approved SKP and IKI became available for visum."""

    __tablename__ = "skp_sync"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    ran_at: Mapped[datetime] = mapped_column()
    skp_count: Mapped[int] = mapped_column(default=0)
    iki_count: Mapped[int] = mapped_column(default=0)
    blocked_count: Mapped[int] = mapped_column(default=0)


class VisumBlock(db.Model):
    """HR's list: an employee who had no approved SKP at the synchronisation (Tunjangan Kinerja).

    ``cleared_at`` is set when his SKP is approved later; the row stays as the record.
    """

    __tablename__ = "visum_block"
    __table_args__ = (
        _enum_check("reason", SYNC_BLOCK_REASON),
        UniqueConstraint("year", "employee_id", name="uq_visum_block_year_employee"),
        Index("ix_visum_block_year_unit", "year", "unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column()
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(20))
    listed_at: Mapped[datetime] = mapped_column()
    cleared_at: Mapped[datetime | None] = mapped_column()

    employee: Mapped[Employee] = relationship()
    unit: Mapped[Unit | None] = relationship()


# --- Continuous feedback and notifications -------------------------------------------------------

FEEDBACK_TOPIC = ("VISUM", "EVIDENCE", "PERILAKU")


class Feedback(db.Model):
    """A comment in a thread about an employee's visum, one of its evidence, or his behaviour."""

    __tablename__ = "feedback"
    __table_args__ = (
        _enum_check("topic", FEEDBACK_TOPIC),
        Index("ix_feedback_employee_created", "employee_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))  # whose work
    topic: Mapped[str] = mapped_column(String(10))
    visum_id: Mapped[int | None] = mapped_column(ForeignKey("visum.id", ondelete="CASCADE"), index=True)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("visum_evidence.id", ondelete="CASCADE"))
    perilaku: Mapped[str | None] = mapped_column(String(24))  # a BERAKHLAK value for topic PERILAKU
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("feedback.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column()

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    author: Mapped[Employee | None] = relationship(foreign_keys=[author_id])
    visum: Mapped[Visum | None] = relationship()
    evidence: Mapped[Evidence | None] = relationship()
    replies: Mapped[list["Feedback"]] = relationship(order_by="Feedback.id", cascade="all, delete-orphan",
                                                     passive_deletes=True)


NOTIFICATION_KIND = ("WEEK_CLOSING", "VISUM_RETURNED", "APPROVAL_OVERDUE", "FEEDBACK", "REOPEN_REQUEST",
                     "REOPEN_ANSWER")


class Notification(db.Model):
    """An in-app message to one employee; ``key`` makes each reminder arrive once."""

    __tablename__ = "notification"
    __table_args__ = (
        _enum_check("kind", NOTIFICATION_KIND),
        UniqueConstraint("employee_id", "key", name="uq_notification_key"),
        Index("ix_notification_employee_read", "employee_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(120))  # e.g. "week:2026-11-23" — dedupes reminders
    message: Mapped[str] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column()
    read_at: Mapped[datetime | None] = mapped_column()
    emailed_at: Mapped[datetime | None] = mapped_column()

    employee: Mapped[Employee] = relationship()


MAIL_STATUS = ("PENDING", "SENDING", "SENT", "FAILED")


class MailOutbox(db.Model):
    """The email of one notification: written with the notification, sent later by the ``send_mail``
    job or the ``send-mail`` command, never by a web request (docs/feedback-notifications.md, "Email").

    A sender claims a row (``SENDING`` with its ``claim_token`` until ``claimed_until``) before it
    talks to the server and marks it ``SENT`` only once the server accepted the message; a sender
    killed mid-send leaves the claim to expire, and the row is sent again. ``attempts`` counts
    claims; a row that failed ``MAIL_MAX_ATTEMPTS`` times is ``FAILED`` with its ``last_error``.
    """

    __tablename__ = "mail_outbox"
    __table_args__ = (
        _enum_check("status", MAIL_STATUS),
        UniqueConstraint("notification_id", name="uq_mail_outbox_notification"),
        Index("ix_mail_outbox_status", "status", "claimed_until"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notification.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(8), default="PENDING", server_default="PENDING")
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(String(500))
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column()
    sent_at: Mapped[datetime | None] = mapped_column()

    notification: Mapped[Notification] = relationship()


# --- Organisation: realisation, realisation of IKI, Dialog Penilaian Kinerja Organisasi ----------

class IkuRealisasi(db.Model):
    """The realisation of one IKU of a unit's PK for a period ``YYYY-MM`` (or ``YYYY``), with evidence.

    Keyed by unit, year and IKU code rather than the IKU row, so it survives a Perubahan PK
    (a new PK version copies its IKU into new rows with the same codes).
    """

    __tablename__ = "iku_realisasi"
    __table_args__ = (
        UniqueConstraint("unit_id", "year", "iku_code", "period", name="uq_iku_realisasi_period"),
        CheckConstraint("evidence_url IS NULL OR stored_name IS NULL", name="one_evidence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column()
    iku_code: Mapped[str] = mapped_column(String(40))
    period: Mapped[str] = mapped_column(String(7))
    value: Mapped[float] = mapped_column()
    note: Mapped[str | None] = mapped_column(Text)
    pk_id: Mapped[int | None] = mapped_column(ForeignKey("perjanjian_kinerja.id", ondelete="SET NULL"))
    evidence_url: Mapped[str | None] = mapped_column(String(2000))
    stored_name: Mapped[str | None] = mapped_column(String(255))
    original_name: Mapped[str | None] = mapped_column(String(255))
    content_type: Mapped[str | None] = mapped_column(String(120))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()

    unit: Mapped[Unit] = relationship()
    entered_by: Mapped[Employee | None] = relationship()


class IkiRealisasi(db.Model):
    """The realisation of one IKI of an employee's SKP for a period ``YYYY-MM`` (or ``YYYY``)."""

    __tablename__ = "iki_realisasi"
    __table_args__ = (UniqueConstraint("iki_id", "period", name="uq_iki_realisasi_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    skp_id: Mapped[int] = mapped_column(ForeignKey("skp.id", ondelete="CASCADE"), index=True)
    iki_id: Mapped[int] = mapped_column(ForeignKey("iki.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(7))
    value: Mapped[float] = mapped_column()
    note: Mapped[str | None] = mapped_column(Text)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()

    skp: Mapped[Skp] = relationship()
    iki: Mapped[Iki] = relationship()


class DialogOrganisasi(db.Model):
    """A record of a Dialog Penilaian Kinerja Organisasi forum of a unit."""

    __tablename__ = "dialog_organisasi"
    __table_args__ = (Index("ix_dialog_organisasi_unit_year", "unit_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column()
    held_on: Mapped[date] = mapped_column()
    period: Mapped[str] = mapped_column(String(7))  # the realisation period discussed
    participants: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    follow_up: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column()

    unit: Mapped[Unit] = relationship()
    recorded_by: Mapped[Employee | None] = relationship()


class Holiday(db.Model):
    """A national holiday or cuti bersama: not a working day for visum, completeness and waiting times.

    Kept by HR (``execution.holidays``); the days of ``app.config["HOLIDAYS"]`` count as well.
    """

    __tablename__ = "holiday"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(120))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column()

"""Visum (daily activity), its evidence, HR week reopenings and the weekly lock record.

Writability is never read from ``Visum.locked``: services compute it from the week rule
(``kinerja.rules.week``) and any active ``WeekReopening``; ``locked`` is only what the
``lock-week`` job recorded. Timestamps are naive UTC (``clock.stamp()``).
"""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
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
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column()
    iki_id: Mapped[int | None] = mapped_column(ForeignKey("iki.id", ondelete="SET NULL"), index=True)
    skp_id: Mapped[int | None] = mapped_column(ForeignKey("skp.id", ondelete="SET NULL"), index=True)
    activity: Mapped[str] = mapped_column(Text)
    output_quantity: Mapped[float | None] = mapped_column()
    output_unit: Mapped[str | None] = mapped_column(String(60))
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

"""Units, employees and their positions over time."""

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kinerja import clock
from kinerja.extensions import db


def _enum_check(column: str, values) -> CheckConstraint:
    allowed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({allowed})", name=f"{column}_valid")


LEVELS = ("BADAN", "ESELON_I", "ESELON_II", "ESELON_III", "ESELON_IV")
JENJANG = (
    "KEPALA", "JPT_MADYA", "JPT_PRATAMA", "KEPALA_PERWAKILAN", "ADMINISTRATOR", "PENGAWAS",
    "JF_UTAMA", "JF", "PELAKSANA", "PPPK_PENYULUH_KB", "PLKB",
)


class Unit(db.Model):
    """A unit kerja. ``kind`` and ``timezone`` are as imported; ``effective_*`` hold what
    the unit inherits from its ancestors, recomputed by the unit service on every change.
    ``path`` lists the ids from the root (``/1/5/23/``) so a subtree is one LIKE query."""

    __tablename__ = "unit"
    __table_args__ = (
        _enum_check("level", LEVELS),
        _enum_check("region", ("PUSAT", "PERWAKILAN")),
        Index("ix_unit_path", "path"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    level: Mapped[str] = mapped_column(String(16))
    region: Mapped[str] = mapped_column(String(16), default="PUSAT")
    kind: Mapped[str | None] = mapped_column(String(32))
    timezone: Mapped[str | None] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(String(400), default="/")
    depth: Mapped[int] = mapped_column(default=0)
    effective_kind: Mapped[str | None] = mapped_column(String(32))
    effective_region: Mapped[str] = mapped_column(String(16), default="PUSAT")
    effective_timezone: Mapped[str] = mapped_column(String(64), default=clock.default_zone)

    parent: Mapped["Unit | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Unit"]] = relationship(back_populates="parent", order_by="Unit.code")

    def ancestor_ids(self) -> list[int]:
        """Return the ids from the root down to this unit (inclusive)."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def __repr__(self) -> str:
        return f"<Unit {self.code}>"


class Employee(db.Model):
    """A pegawai. The current unit, jenjang and headship are kept here for fast lists;
    their history over the year lives in ``Position``."""

    __tablename__ = "employee"
    __table_args__ = (
        _enum_check("status", ("PNS", "CPNS", "PPPK")),
        _enum_check("jenjang", JENJANG),
        CheckConstraint("length(nip) = 18", name="nip_length"),
        Index("ix_employee_unit_head", "unit_id", "is_head"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nip: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    name_key: Mapped[str] = mapped_column(String(255), index=True)  # lower-case, for search
    status: Mapped[str] = mapped_column(String(8))
    jenjang: Mapped[str] = mapped_column(String(24))
    jf_name: Mapped[str | None] = mapped_column(String(120))
    golongan: Mapped[str | None] = mapped_column(String(8))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    is_head: Mapped[bool] = mapped_column(default=False)
    email: Mapped[str | None] = mapped_column(String(255))

    unit: Mapped[Unit] = relationship()

    def __repr__(self) -> str:
        return f"<Employee {self.nip}>"


class Position(db.Model):
    """A jabatan held by an employee from ``start`` to ``end`` (inclusive, open when None)."""

    __tablename__ = "position"
    __table_args__ = (
        _enum_check("jenjang", JENJANG),
        Index("ix_position_unit_head", "unit_id", "is_head"),
        CheckConstraint('"end" IS NULL OR "end" >= start', name="dates_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    jenjang: Mapped[str] = mapped_column(String(24))
    jf_name: Mapped[str | None] = mapped_column(String(120))
    is_head: Mapped[bool] = mapped_column(default=False)
    start: Mapped[date] = mapped_column()
    end: Mapped[date | None] = mapped_column()

    employee: Mapped[Employee] = relationship()
    unit: Mapped[Unit] = relationship()


class ActingAssignment(db.Model):
    """A PLT or PLH holding a unit's head position over a period."""

    __tablename__ = "acting_assignment"
    __table_args__ = (
        _enum_check("kind", ("PLT", "PLH")),
        CheckConstraint('"end" >= start', name="dates_ordered"),
        UniqueConstraint("employee_id", "unit_id", "kind", "start", name="uq_acting_once"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    kind: Mapped[str] = mapped_column(String(4))
    start: Mapped[date] = mapped_column()
    end: Mapped[date] = mapped_column()

    employee: Mapped[Employee] = relationship()
    unit: Mapped[Unit] = relationship()


class DelegationOverride(db.Model):
    """HR's recorded delegation: wins over the table for one employee over a period."""

    __tablename__ = "delegation_override"
    __table_args__ = (CheckConstraint("length(reason) > 0", name="reason_given"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), index=True)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    assessor_superior_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    reason: Mapped[str] = mapped_column(String(500))
    start: Mapped[date] = mapped_column()
    end: Mapped[date | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column()

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    assessor: Mapped[Employee] = relationship(foreign_keys=[assessor_id])
    assessor_superior: Mapped[Employee | None] = relationship(foreign_keys=[assessor_superior_id])


class AssessorLink(db.Model):
    """The resolved Pejabat Penilai of each employee over a period (``valid_from`` to
    ``valid_to`` inclusive, open when None): the engine's answer from the day of the last
    refresh (``on_date``) on, cut where a dated fact (position, PLT/PLH, override) changes it.
    Rewritten by the services that change the organisation, in their transaction, so that
    "whom do I assess today" is an indexed range lookup (``kinerja.org.relations``). The
    engine itself answers for any other date."""

    __tablename__ = "assessor_link"
    __table_args__ = (CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_ordered"),)

    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), primary_key=True)
    valid_from: Mapped[date] = mapped_column(primary_key=True)
    valid_to: Mapped[date | None] = mapped_column()
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"), index=True)
    assessor_superior_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id", ondelete="SET NULL"), index=True
    )
    rule: Mapped[str] = mapped_column(String(40))
    problem: Mapped[str | None] = mapped_column(String(40), index=True)
    on_date: Mapped[date] = mapped_column()

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    assessor: Mapped[Employee | None] = relationship(foreign_keys=[assessor_id])
    assessor_superior: Mapped[Employee | None] = relationship(foreign_keys=[assessor_superior_id])

"""Planning: Perjanjian Kinerja of units and SKP of employees (DOMAIN.md §3).

Versioned documents: a signed PK or an approved SKP is never edited in place; an amendment or
revision copies it into a new row with ``version + 1`` and ``previous_id`` pointing back, and
the old row becomes ``SUPERSEDED``.
"""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kinerja.extensions import db
from kinerja.org.models import Employee, Unit, _enum_check

PK_STATUS = ("DRAFT", "SIGNED", "SUPERSEDED")
AMENDMENT_REASONS = ("REGULATION", "LEADERSHIP_POLICY")  # law/APBN change or reorganisation; leadership policy
POLARITY = ("MAX", "MIN", "STABIL")
CONSOLIDATION = ("MONTHLY", "QUARTERLY", "SEMESTER", "YEARLY")
AGGREGATION = ("KUMULATIF", "JUMLAH", "RATA_RATA", "NILAI_AKHIR")
TARGET_KIND = ("OUTCOME", "OUTCOME_ANTARA", "OUTPUT", "OUTPUT_ANTARA")
ACTION_KIND = ("RENCANA_AKSI", "INISIATIF_STRATEGIS", "MITIGASI_RISIKO")
SKP_STATUS = ("DRAFT", "SUBMITTED", "APPROVED", "RETURNED", "SUPERSEDED", "CLOSED")
RHK_KIND = ("UTAMA", "TAMBAHAN")
RHK_SOURCE = ("PK", "RENCANA_AKSI", "CASCADING", "TIM_KERJA", "MATRIK_PERAN_HASIL", "JF_SCOPE", "TUGAS_TAMBAHAN")
ASPEK = ("KUANTITAS", "KUALITAS", "WAKTU", "BIAYA")
DIALOG_MEDIUM = ("TELEPON", "PESAN", "DARING", "TATAP_MUKA")
STUDY_LEAVE_KIND = ("MANDIRI_DIBERHENTIKAN", "MANDIRI_TIDAK_DIBERHENTIKAN",
                    "NEGARA_DIBERHENTIKAN", "NEGARA_TIDAK_DIBERHENTIKAN")
BERAKHLAK = ("BERORIENTASI_PELAYANAN", "AKUNTABEL", "KOMPETEN", "HARMONIS", "LOYAL", "ADAPTIF", "KOLABORATIF")


# --- Perjanjian Kinerja ------------------------------------------------------------------------

class PerjanjianKinerja(db.Model):
    """The yearly performance agreement of a unit head with his superior (one version)."""

    __tablename__ = "perjanjian_kinerja"
    __table_args__ = (
        _enum_check("status", PK_STATUS),
        CheckConstraint("amendment_reason IS NULL OR amendment_reason IN ('REGULATION', 'LEADERSHIP_POLICY')",
                        name="amendment_reason_valid"),
        UniqueConstraint("unit_id", "year", "version", name="uq_pk_version"),
        Index("ix_pk_unit_year", "unit_id", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    year: Mapped[int] = mapped_column()
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(12), default="DRAFT")
    head_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))  # pihak pertama
    superior_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))  # pihak kedua
    signed_by_head_at: Mapped[datetime | None] = mapped_column()
    signed_by_superior_at: Mapped[datetime | None] = mapped_column()
    signed_on_paper: Mapped[date | None] = mapped_column()  # an agreement signed on paper, loaded as SIGNED
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("perjanjian_kinerja.id"))
    amendment_reason: Mapped[str | None] = mapped_column(String(24))
    amendment_note: Mapped[str | None] = mapped_column(Text)
    amendment_approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    # the inputs the decree lists for drafting a PK (I.A, last list)
    input_renstra: Mapped[str | None] = mapped_column(Text)
    input_renja: Mapped[str | None] = mapped_column(Text)
    input_tugas_fungsi: Mapped[str | None] = mapped_column(Text)
    input_ekspektasi_pimpinan: Mapped[str | None] = mapped_column(Text)
    input_hasil_evaluasi: Mapped[str | None] = mapped_column(Text)
    input_tugas_mandatory: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column()

    unit: Mapped[Unit] = relationship()
    head: Mapped[Employee | None] = relationship(foreign_keys=[head_id])
    superior: Mapped[Employee | None] = relationship(foreign_keys=[superior_id])
    amendment_approved_by: Mapped[Employee | None] = relationship(foreign_keys=[amendment_approved_by_id])
    previous: Mapped["PerjanjianKinerja | None"] = relationship(remote_side=[id])
    sasaran: Mapped[list["SasaranStrategis"]] = relationship(
        back_populates="pk", cascade="all, delete-orphan", order_by="SasaranStrategis.position"
    )
    anggaran: Mapped[list["Anggaran"]] = relationship(
        back_populates="pk", cascade="all, delete-orphan", order_by="Anggaran.id"
    )
    penugasan: Mapped[list["PenugasanTambahan"]] = relationship(
        back_populates="pk", cascade="all, delete-orphan", order_by="PenugasanTambahan.id"
    )

    @property
    def is_signed(self) -> bool:
        return self.status == "SIGNED"

    @property
    def iku(self) -> list["Iku"]:
        return [iku for ss in self.sasaran for iku in ss.iku]


class SasaranStrategis(db.Model):
    __tablename__ = "sasaran_strategis"

    id: Mapped[int] = mapped_column(primary_key=True)
    pk_id: Mapped[int] = mapped_column(ForeignKey("perjanjian_kinerja.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(default=0)

    pk: Mapped[PerjanjianKinerja] = relationship(back_populates="sasaran")
    iku: Mapped[list["Iku"]] = relationship(back_populates="sasaran", cascade="all, delete-orphan",
                                            order_by="Iku.position")


class Iku(db.Model):
    """An Indikator Kinerja Utama with its yearly target and trajectory."""

    __tablename__ = "iku"
    __table_args__ = (
        _enum_check("polarity", POLARITY),
        _enum_check("consolidation", CONSOLIDATION),
        _enum_check("aggregation", AGGREGATION),
        _enum_check("target_kind", TARGET_KIND),
        CheckConstraint("weight > 0 AND weight <= 100", name="weight_range"),
        UniqueConstraint("pk_id", "code", name="uq_iku_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pk_id: Mapped[int] = mapped_column(ForeignKey("perjanjian_kinerja.id", ondelete="CASCADE"), index=True)
    sasaran_id: Mapped[int] = mapped_column(ForeignKey("sasaran_strategis.id", ondelete="CASCADE"), index=True)
    parent_iku_id: Mapped[int | None] = mapped_column(ForeignKey("iku.id", ondelete="SET NULL"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(Text)
    polarity: Mapped[str] = mapped_column(String(8), default="MAX")
    weight: Mapped[float] = mapped_column()
    unit_of_measure: Mapped[str] = mapped_column(String(60))
    target: Mapped[float] = mapped_column()
    consolidation: Mapped[str] = mapped_column(String(12), default="MONTHLY")
    aggregation: Mapped[str] = mapped_column(String(12), default="KUMULATIF")
    target_kind: Mapped[str] = mapped_column(String(16), default="OUTCOME")
    position: Mapped[int] = mapped_column(default=0)

    pk: Mapped[PerjanjianKinerja] = relationship(foreign_keys=[pk_id])
    sasaran: Mapped[SasaranStrategis] = relationship(back_populates="iku")
    parent: Mapped["Iku | None"] = relationship(remote_side=[id])
    trajectory: Mapped[list["TargetPeriodik"]] = relationship(
        back_populates="iku", cascade="all, delete-orphan", order_by="TargetPeriodik.period"
    )
    actions: Mapped[list["RencanaAksi"]] = relationship(
        back_populates="iku", cascade="all, delete-orphan", order_by="RencanaAksi.id"
    )

    def trajectory_dict(self) -> dict[str, float]:
        return {t.period: t.value for t in self.trajectory}


class TargetPeriodik(db.Model):
    """One point of an IKU's trajectory: the target of period ``YYYY-MM``."""

    __tablename__ = "target_periodik"
    __table_args__ = (UniqueConstraint("iku_id", "period", name="uq_target_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    iku_id: Mapped[int] = mapped_column(ForeignKey("iku.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(7))
    value: Mapped[float] = mapped_column()

    iku: Mapped[Iku] = relationship(back_populates="trajectory")


class Anggaran(db.Model):
    """A budget line of the PK, from the unit's DIPA."""

    __tablename__ = "anggaran"

    id: Mapped[int] = mapped_column(primary_key=True)
    pk_id: Mapped[int] = mapped_column(ForeignKey("perjanjian_kinerja.id", ondelete="CASCADE"), index=True)
    program: Mapped[str] = mapped_column(String(255))
    kegiatan: Mapped[str] = mapped_column(String(255))
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    dipa_ref: Mapped[str | None] = mapped_column(String(80))

    pk: Mapped[PerjanjianKinerja] = relationship(back_populates="anggaran")


class PenugasanTambahan(db.Model):
    """An additional assignment from the leadership written into the PK."""

    __tablename__ = "penugasan_tambahan"

    id: Mapped[int] = mapped_column(primary_key=True)
    pk_id: Mapped[int] = mapped_column(ForeignKey("perjanjian_kinerja.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(Text)

    pk: Mapped[PerjanjianKinerja] = relationship(back_populates="penugasan")


class RencanaAksi(db.Model):
    """A rencana aksi, inisiatif strategis or mitigasi risiko of an IKU."""

    __tablename__ = "rencana_aksi"
    __table_args__ = (_enum_check("kind", ACTION_KIND),)

    id: Mapped[int] = mapped_column(primary_key=True)
    iku_id: Mapped[int] = mapped_column(ForeignKey("iku.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24), default="RENCANA_AKSI")
    description: Mapped[str] = mapped_column(Text)
    period: Mapped[str | None] = mapped_column(String(7))  # YYYY-MM it is due, when it has one
    progress: Mapped[int] = mapped_column(default=0)  # percent, updated during execution

    iku: Mapped[Iku] = relationship(back_populates="actions")


# --- SKP ---------------------------------------------------------------------------------------

class Skp(db.Model):
    """An employee's Sasaran Kinerja Pegawai for one position over a period of a year."""

    __tablename__ = "skp"
    __table_args__ = (
        _enum_check("status", SKP_STATUS),
        UniqueConstraint("employee_id", "year", "period_start", "version", name="uq_skp_version"),
        Index("ix_skp_employee_year", "employee_id", "year"),
        Index("ix_skp_assessor_status", "assessor_id", "status"),
        CheckConstraint("period_end >= period_start", name="period_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column()
    version: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(12), default="DRAFT")
    period_start: Mapped[date] = mapped_column()
    period_end: Mapped[date] = mapped_column()
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))  # the unit it is assessed in
    jenjang: Mapped[str] = mapped_column(String(24))  # the position it plans for
    position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id", ondelete="SET NULL"))
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("skp.id"))
    revision_dialog_id: Mapped[int | None] = mapped_column(ForeignKey("dialog_kinerja.id", use_alter=True,
                                                                         ondelete="SET NULL"))
    return_reason: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None] = mapped_column()
    approved_at: Mapped[datetime | None] = mapped_column()
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    closed_on: Mapped[date | None] = mapped_column()  # change of position: closed at that date
    effective_fraction: Mapped[float] = mapped_column(default=1.0)  # cuti < 1 year scales targets
    study_leave_id: Mapped[int | None] = mapped_column(ForeignKey("study_leave.id", ondelete="SET NULL"))
    # lampiran
    sumber_daya: Mapped[str | None] = mapped_column(Text)
    skema_pertanggungjawaban: Mapped[str | None] = mapped_column(Text)
    konsekuensi: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column()

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    assessor: Mapped[Employee | None] = relationship(foreign_keys=[assessor_id])
    approved_by: Mapped[Employee | None] = relationship(foreign_keys=[approved_by_id])
    unit: Mapped[Unit] = relationship()
    previous: Mapped["Skp | None"] = relationship(remote_side=[id], foreign_keys=[previous_id])
    rhk: Mapped[list["RencanaHasilKerja"]] = relationship(
        back_populates="skp", cascade="all, delete-orphan", order_by="RencanaHasilKerja.position"
    )
    perilaku: Mapped[list["SkpPerilaku"]] = relationship(
        back_populates="skp", cascade="all, delete-orphan", order_by="SkpPerilaku.id"
    )
    dialogs: Mapped[list["DialogKinerja"]] = relationship(
        back_populates="skp", foreign_keys="DialogKinerja.skp_id", order_by="DialogKinerja.held_on"
    )

    @property
    def is_editable(self) -> bool:
        return self.status in ("DRAFT", "RETURNED")


class RencanaHasilKerja(db.Model):
    """An RHK of an SKP, with the assessor's RHK it supports (cascading)."""

    __tablename__ = "rencana_hasil_kerja"
    __table_args__ = (
        _enum_check("kind", RHK_KIND),
        _enum_check("source", RHK_SOURCE),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    skp_id: Mapped[int] = mapped_column(ForeignKey("skp.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default="UTAMA")
    source: Mapped[str] = mapped_column(String(24))
    text: Mapped[str] = mapped_column(Text)
    parent_rhk_id: Mapped[int | None] = mapped_column(ForeignKey("rencana_hasil_kerja.id", ondelete="SET NULL"),
                                                      index=True)
    iku_id: Mapped[int | None] = mapped_column(ForeignKey("iku.id", ondelete="SET NULL"), index=True)
    rencana_aksi_id: Mapped[int | None] = mapped_column(ForeignKey("rencana_aksi.id", ondelete="SET NULL"))
    task_origin: Mapped[str | None] = mapped_column(String(40))  # TAMBAHAN: where the task came from
    task_origin_note: Mapped[str | None] = mapped_column(String(255))
    position: Mapped[int] = mapped_column(default=0)

    skp: Mapped[Skp] = relationship(back_populates="rhk")
    parent: Mapped["RencanaHasilKerja | None"] = relationship(remote_side=[id])
    iku: Mapped[Iku | None] = relationship()
    rencana_aksi: Mapped[RencanaAksi | None] = relationship()
    iki: Mapped[list["Iki"]] = relationship(back_populates="rhk", cascade="all, delete-orphan",
                                            order_by="Iki.position")


class Iki(db.Model):
    """An Indikator Kinerja Individu: the measure and target of an RHK."""

    __tablename__ = "iki"
    __table_args__ = (_enum_check("aspek", ASPEK),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rhk_id: Mapped[int] = mapped_column(ForeignKey("rencana_hasil_kerja.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    aspek: Mapped[str] = mapped_column(String(10), default="KUANTITAS")
    target: Mapped[float] = mapped_column()
    unit_of_measure: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(default=0)

    rhk: Mapped[RencanaHasilKerja] = relationship(back_populates="iki")


class SkpPerilaku(db.Model):
    """One BerAKHLAK value of an SKP with the leader's specific expectation."""

    __tablename__ = "skp_perilaku"
    __table_args__ = (
        _enum_check("value", BERAKHLAK),
        UniqueConstraint("skp_id", "value", name="uq_skp_perilaku_value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    skp_id: Mapped[int] = mapped_column(ForeignKey("skp.id", ondelete="CASCADE"))
    value: Mapped[str] = mapped_column(String(24))
    ekspektasi_khusus: Mapped[str | None] = mapped_column(Text)

    skp: Mapped[Skp] = relationship(back_populates="perilaku")


class DialogKinerja(db.Model):
    """A recorded performance conversation between an employee and his assessor."""

    __tablename__ = "dialog_kinerja"
    __table_args__ = (_enum_check("medium", DIALOG_MEDIUM),)

    id: Mapped[int] = mapped_column(primary_key=True)
    skp_id: Mapped[int | None] = mapped_column(ForeignKey("skp.id", ondelete="CASCADE"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), index=True)
    assessor_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    held_on: Mapped[date] = mapped_column()
    medium: Mapped[str] = mapped_column(String(12))
    summary: Mapped[str] = mapped_column(Text)
    agreed_points: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column()

    skp: Mapped[Skp | None] = relationship(back_populates="dialogs", foreign_keys=[skp_id])
    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id])
    assessor: Mapped[Employee | None] = relationship(foreign_keys=[assessor_id])


class PeranHasil(db.Model):
    """A share of a leader's RHK given to a team member (Matrik Peran Hasil); it becomes the
    member's RHK with source MATRIK_PERAN_HASIL when his SKP takes it."""

    __tablename__ = "peran_hasil"
    __table_args__ = (UniqueConstraint("leader_rhk_id", "employee_id", "text", name="uq_peran_hasil"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    leader_rhk_id: Mapped[int] = mapped_column(ForeignKey("rencana_hasil_kerja.id", ondelete="CASCADE"),
                                               index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    taken_rhk_id: Mapped[int | None] = mapped_column(ForeignKey("rencana_hasil_kerja.id", ondelete="SET NULL"))

    leader_rhk: Mapped[RencanaHasilKerja] = relationship(foreign_keys=[leader_rhk_id])
    employee: Mapped[Employee] = relationship()


class StudyLeave(db.Model):
    """Tugas belajar of an employee (decree I.C, four kinds)."""

    __tablename__ = "study_leave"
    __table_args__ = (_enum_check("kind", STUDY_LEAVE_KIND),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    start: Mapped[date] = mapped_column()
    end: Mapped[date | None] = mapped_column()

    employee: Mapped[Employee] = relationship()


class Leave(db.Model):
    """A cuti of an employee; under a year it scales SKP targets, a year or more suspends the SKP."""

    __tablename__ = "leave"
    __table_args__ = (CheckConstraint('"end" >= start', name="dates_ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # cuti tahunan, besar, sakit, melahirkan, CLTN, ...
    start: Mapped[date] = mapped_column()
    end: Mapped[date] = mapped_column()

    employee: Mapped[Employee] = relationship()

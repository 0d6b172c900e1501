"""Planning (perencanaan kinerja): its words, its error style and the IKU weight rule.

The pure rules of decree section I (A, B, C) and DOMAIN.md §3 live in four modules:

- ``kinerja.rules.planning`` (this one): the enumerated words of planning, their Bahasa
  Indonesia labels, ``Problem`` / ``PlanningRuleError`` and ``check_weights``.
- ``kinerja.rules.trajectory``: periodic targets of an IKU (``expected_periods``,
  ``check_trajectory``, ``trajectory_summary``).
- ``kinerja.rules.skp``: RHK sources and tugas tambahan origins per jenjang, the SKP status
  flow, target scaling under cuti, tugas belajar and mid-year changes.
- ``kinerja.rules.calendar``: working days, effective working time under cuti, whether an SKP
  is needed at all in a year, and the days left until the 6 February synchronisation.

One error style for all of them:

- ``check_*`` functions validate input and **return** a list of ``Problem`` (empty when all is
  well); they never raise for bad data, so a form can show every problem at once (422) and the
  API can answer 400 with ``details``. ``raise_for(problems)`` turns a non-empty list into a
  ``PlanningRuleError`` for a service that wants to stop.
- Functions that **compute or decide** something (``transition``, ``study_leave_plan``,
  ``working_days`` ...) raise ``PlanningRuleError`` when they cannot: ``NotAllowed`` (answer
  403), ``WrongState`` (answer 409), the base class for bad input (answer 400). Each error
  carries ``http_status``, ``code``, ``message`` (Bahasa Indonesia), ``field`` and ``problems``.

Every choice the decree leaves open is written down in ``docs/planning-rules.md``.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

# --- words ------------------------------------------------------------------------------------


class RhkKind(StrEnum):
    UTAMA = "UTAMA"
    TAMBAHAN = "TAMBAHAN"


class RhkSource(StrEnum):
    PK = "PK"
    RENCANA_AKSI = "RENCANA_AKSI"
    CASCADING = "CASCADING"
    TIM_KERJA = "TIM_KERJA"
    MATRIK_PERAN_HASIL = "MATRIK_PERAN_HASIL"
    JF_SCOPE = "JF_SCOPE"
    TUGAS_TAMBAHAN = "TUGAS_TAMBAHAN"


class TaskOrigin(StrEnum):
    """Where a tugas tambahan came from (third column of the decree I.B table)."""

    LUAR_INSTANSI = "LUAR_INSTANSI"  # outside BKKBN
    JPT_MADYA_BUKAN_PENILAI = "JPT_MADYA_BUKAN_PENILAI"  # a JPT Madya who is not the assessor
    JPT_PRATAMA_LAIN_BUKAN_PENILAI = "JPT_PRATAMA_LAIN_BUKAN_PENILAI"  # another JPT Pratama, not the assessor


class Aspek(StrEnum):
    KUANTITAS = "KUANTITAS"
    KUALITAS = "KUALITAS"
    WAKTU = "WAKTU"
    BIAYA = "BIAYA"


class Polarity(StrEnum):
    MAX = "MAX"  # higher is better
    MIN = "MIN"  # lower is better
    STABIL = "STABIL"  # on target


class SkpStatus(StrEnum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    APPROVED = "APPROVED"
    RETURNED = "RETURNED"
    # Set by services, never reached by ``transition``: an approved version replaced by its
    # revision, and an SKP closed at a change of position. No action leaves them.
    SUPERSEDED = "SUPERSEDED"
    CLOSED = "CLOSED"


class SkpAction(StrEnum):
    SUBMIT = "SUBMIT"
    APPROVE = "APPROVE"
    RETURN = "RETURN"
    REVISE = "REVISE"


class Consolidation(StrEnum):
    """How often an IKU reports: the periods of its trajectory."""

    MONTHLY = "MONTHLY"
    QUARTERLY = "QUARTERLY"
    SEMESTER = "SEMESTER"
    YEARLY = "YEARLY"


class Aggregation(StrEnum):
    """How the periodic targets of a trajectory make the yearly target."""

    KUMULATIF = "KUMULATIF"  # each value is the running total so far; the last is the year's
    JUMLAH = "JUMLAH"  # the periods add up to the year's
    RATA_RATA = "RATA_RATA"  # the periods average to the year's
    NILAI_AKHIR = "NILAI_AKHIR"  # the last period is the year's; no path required


class TargetKind(StrEnum):
    OUTCOME = "OUTCOME"
    OUTCOME_ANTARA = "OUTCOME_ANTARA"
    OUTPUT = "OUTPUT"
    OUTPUT_ANTARA = "OUTPUT_ANTARA"


class DialogMedium(StrEnum):
    TELEPON = "TELEPON"
    PESAN = "PESAN"  # pesan elektronik
    DARING = "DARING"  # pertemuan daring
    TATAP_MUKA = "TATAP_MUKA"


class PkAmendmentReason(StrEnum):
    """Grounds for a Perubahan PK (decree I.A.4)."""

    REGULATION = "REGULATION"  # change of law, APBN, or reorganisation
    LEADERSHIP_POLICY = "LEADERSHIP_POLICY"  # kebijakan atau arahan pimpinan


class StudyLeaveKind(StrEnum):
    """The four kinds of tugas belajar (decree I.C)."""

    MANDIRI_DIBERHENTIKAN = "MANDIRI_DIBERHENTIKAN"
    MANDIRI_TIDAK_DIBERHENTIKAN = "MANDIRI_TIDAK_DIBERHENTIKAN"
    NEGARA_DIBERHENTIKAN = "NEGARA_DIBERHENTIKAN"
    NEGARA_TIDAK_DIBERHENTIKAN = "NEGARA_TIDAK_DIBERHENTIKAN"


class StudyLeavePlan(StrEnum):
    """What tugas belajar does to the SKP of a year."""

    ADD_TO_EXISTING = "ADD_TO_EXISTING"  # study expectations added to the existing SKP
    ONLY_STUDY_EXPECTATIONS = "ONLY_STUDY_EXPECTATIONS"  # the SKP holds only study expectations
    UNCHANGED_PLUS_STUDY = "UNCHANGED_PLUS_STUDY"  # position SKP goes on, study expectations added


class MidYearChange(StrEnum):
    NONE = "NONE"
    REVISE_SKP = "REVISE_SKP"  # transfer to another unit, same position
    CLOSE_AND_NEW = "CLOSE_AND_NEW"  # change of position: close the old SKP, start a new one


RHK_KIND_LABELS = {RhkKind.UTAMA: "Utama", RhkKind.TAMBAHAN: "Tambahan"}

RHK_SOURCE_LABELS = {
    RhkSource.PK: "Perjanjian Kinerja yang ditetapkan",
    RhkSource.RENCANA_AKSI: "Rencana Aksi (penugasan pimpinan)",
    RhkSource.CASCADING: "Turunan pekerjaan (cascading) dari Pejabat Penilai",
    RhkSource.TIM_KERJA: "Output yang disusun dalam Tim Kerja",
    RhkSource.MATRIK_PERAN_HASIL: "Matrik Peran Hasil",
    RhkSource.JF_SCOPE: "Indikator/ruang lingkup jenjang Jabatan Fungsional",
    RhkSource.TUGAS_TAMBAHAN: "Tugas tambahan",
}

TASK_ORIGIN_LABELS = {
    TaskOrigin.LUAR_INSTANSI: "Dari luar instansi",
    TaskOrigin.JPT_MADYA_BUKAN_PENILAI: "Dari Pejabat Tinggi Madya yang bukan Pejabat Penilai",
    TaskOrigin.JPT_PRATAMA_LAIN_BUKAN_PENILAI: "Dari Pejabat Tinggi Pratama lain yang bukan Pejabat Penilai",
}

ASPEK_LABELS = {
    Aspek.KUANTITAS: "Kuantitas",
    Aspek.KUALITAS: "Kualitas",
    Aspek.WAKTU: "Waktu",
    Aspek.BIAYA: "Biaya",
}

POLARITY_LABELS = {
    Polarity.MAX: "Maksimal (makin tinggi makin baik)",
    Polarity.MIN: "Minimal (makin rendah makin baik)",
    Polarity.STABIL: "Stabil (tepat pada target)",
}

SKP_STATUS_LABELS = {
    SkpStatus.DRAFT: "Draf",
    SkpStatus.SUBMITTED: "Diajukan",
    SkpStatus.APPROVED: "Disetujui",
    SkpStatus.RETURNED: "Dikembalikan",
    SkpStatus.SUPERSEDED: "Digantikan versi baru",
    SkpStatus.CLOSED: "Ditutup",
}

SKP_ACTION_LABELS = {
    SkpAction.SUBMIT: "Ajukan",
    SkpAction.APPROVE: "Setujui",
    SkpAction.RETURN: "Kembalikan",
    SkpAction.REVISE: "Revisi",
}

CONSOLIDATION_LABELS = {
    Consolidation.MONTHLY: "Bulanan",
    Consolidation.QUARTERLY: "Triwulanan",
    Consolidation.SEMESTER: "Semesteran",
    Consolidation.YEARLY: "Tahunan",
}

AGGREGATION_LABELS = {
    Aggregation.KUMULATIF: "Kumulatif",
    Aggregation.JUMLAH: "Jumlah",
    Aggregation.RATA_RATA: "Rata-rata",
    Aggregation.NILAI_AKHIR: "Nilai akhir",
}

TARGET_KIND_LABELS = {
    TargetKind.OUTCOME: "Outcome",
    TargetKind.OUTCOME_ANTARA: "Outcome antara",
    TargetKind.OUTPUT: "Output",
    TargetKind.OUTPUT_ANTARA: "Output antara (tahapan)",
}

DIALOG_MEDIUM_LABELS = {
    DialogMedium.TELEPON: "Telepon",
    DialogMedium.PESAN: "Pesan elektronik",
    DialogMedium.DARING: "Pertemuan daring",
    DialogMedium.TATAP_MUKA: "Tatap muka",
}

PK_AMENDMENT_REASON_LABELS = {
    PkAmendmentReason.REGULATION: "Perubahan peraturan perundang-undangan (APBN, reorganisasi)",
    PkAmendmentReason.LEADERSHIP_POLICY: "Kebijakan atau arahan pimpinan",
}

STUDY_LEAVE_KIND_LABELS = {
    StudyLeaveKind.MANDIRI_DIBERHENTIKAN: "Biaya mandiri, diberhentikan dari jabatan",
    StudyLeaveKind.MANDIRI_TIDAK_DIBERHENTIKAN: "Biaya mandiri, tidak diberhentikan dari jabatan",
    StudyLeaveKind.NEGARA_DIBERHENTIKAN: "Beasiswa/dibiayai negara, diberhentikan dari jabatan",
    StudyLeaveKind.NEGARA_TIDAK_DIBERHENTIKAN: "Beasiswa/dibiayai negara, tidak diberhentikan dari jabatan",
}

STUDY_LEAVE_PLAN_LABELS = {
    StudyLeavePlan.ADD_TO_EXISTING: "Ekspektasi selama tugas belajar ditambahkan pada SKP yang sudah ada",
    StudyLeavePlan.ONLY_STUDY_EXPECTATIONS: "SKP berisi ekspektasi Pejabat Penilai selama tugas belajar",
    StudyLeavePlan.UNCHANGED_PLUS_STUDY: "SKP jabatan tetap berjalan, ditambah ekspektasi selama tugas belajar",
}

MID_YEAR_CHANGE_LABELS = {
    MidYearChange.NONE: "Tidak ada perubahan",
    MidYearChange.REVISE_SKP: "Pindah unit kerja tanpa perubahan jabatan: SKP diubah",
    MidYearChange.CLOSE_AND_NEW: "Perubahan jabatan: SKP lama ditutup dan dinilai, SKP baru disusun",
}


# --- problems and errors ----------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: a stable code, a message for users, the field concerned."""

    code: str
    message: str
    field: str | None = None


class PlanningRuleError(ValueError):
    """A planning rule refused its input (answer 400 unless a subclass says otherwise)."""

    http_status = 400

    def __init__(self, message: str, field: str | None = None, *, code: str = "INVALID",
                 problems: Sequence[Problem] = ()):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code
        self.problems: tuple[Problem, ...] = tuple(problems) or (Problem(code, message, field),)


def required_text(value, field: str, label: str, max_length: int, missing: str, missing_code: str) -> str:
    """Return ``value`` stripped; refuse it empty (``missing``, ``missing_code``) or longer than ``max_length``."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise PlanningRuleError(missing, field, code=missing_code)
    if len(text) > max_length:
        raise PlanningRuleError(f"{label} paling panjang {max_length} karakter.", field, code="TOO_LONG")
    return text


class NotAllowed(PlanningRuleError):
    """The actor may not do this (answer 403)."""

    http_status = 403


class WrongState(PlanningRuleError):
    """The object is not in a state where this is possible (answer 409)."""

    http_status = 409


def raise_for(problems: Iterable[Problem]) -> None:
    """Raise a ``PlanningRuleError`` carrying every problem, when there is any.

    :raise PlanningRuleError: its ``message``/``code``/``field`` are the first problem's.
    """
    problems = list(problems)
    if problems:
        first = problems[0]
        raise PlanningRuleError(first.message, first.field, code=first.code, problems=problems)


def coerce(enum_cls: type[StrEnum], value: object, field: str) -> tuple[StrEnum | None, list[Problem]]:
    """Read ``value`` as a member of ``enum_cls``; an unknown word is a problem, not a crash."""
    try:
        return enum_cls(value), []
    except ValueError:
        allowed = ", ".join(member.value for member in enum_cls)
        return None, [Problem("UNKNOWN_VALUE", f"Nilai {value!r} tidak dikenal; pilih salah satu dari: {allowed}.",
                              field)]


def require(enum_cls: type[StrEnum], value: object, field: str):
    """Read ``value`` as a member of ``enum_cls`` for a function that computes with it.

    :raise PlanningRuleError: ``UNKNOWN_VALUE`` for an unknown word.
    """
    member, problems = coerce(enum_cls, value, field)
    raise_for(problems)
    return member


# --- weights ----------------------------------------------------------------------------------

WEIGHT_TOTAL = 100.0
WEIGHT_TOLERANCE = 0.01


def check_weights(weights: Sequence[float], *, field: str = "weight") -> list[Problem]:
    """Check that every weight is a positive number and that together they make 100 (± 0.01).

    Problems name the field ``f"{field}[i]"`` for a single weight, ``field`` for the total.
    """
    problems: list[Problem] = []
    if not weights:
        return [Problem("WEIGHTS_EMPTY", "Belum ada bobot; jumlah bobot harus 100.", field)]
    total = 0.0
    for index, weight in enumerate(weights):
        number = as_number(weight)
        if number is None:
            problems.append(Problem("WEIGHT_INVALID", f"Bobot ke-{index + 1} bukan angka.", f"{field}[{index}]"))
            continue
        if number <= 0:
            problems.append(Problem("WEIGHT_NOT_POSITIVE", f"Bobot ke-{index + 1} harus lebih dari 0.",
                                    f"{field}[{index}]"))
        total += number
    if not problems and abs(total - WEIGHT_TOTAL) > WEIGHT_TOLERANCE + 1e-9:  # 100.01 is in, float noise aside
        problems.append(Problem("WEIGHTS_SUM", f"Jumlah bobot {format_number(total)}, seharusnya 100.", field))
    return problems


def as_number(value: object) -> float | None:
    """Return ``value`` as a finite float, or None (bools and NaN/infinity are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    try:
        number = float(value)
    except ValueError:  # Decimal("sNaN")
        return None
    return number if math.isfinite(number) else None


def format_number(value: float) -> str:
    """Write a number the Indonesian way for messages: ``1.234,5`` (at most 4 decimals)."""
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")

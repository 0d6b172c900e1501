"""SKP rules: RHK sources per jenjang, tugas tambahan, status flow, cuti, tugas belajar, transfers.

The table of decree I.B ("Penyusunan SKP berdasarkan jenjang jabatan"), row by row as
"jabatan: RHK utama from | tugas tambahan from" (the data is ``RHK_UTAMA_SOURCES``,
``TASK_ORIGINS`` and ``RENCANA_AKSI_ASSIGNERS`` below):

1. JPT Madya: PK; Rencana Aksi of Kepala BKKBN | outside the agency.
2. JPT Pratama: PK; Rencana Aksi of Kepala BKKBN or a JPT Madya | outside; a JPT Madya who is
   not the assessor.
3. Administrator: PK; Rencana Aksi of a JPT Pratama | outside; a JPT Madya or another JPT
   Pratama, not the assessor.
4. Pengawas: cascading, Tim Kerja, Matrik Peran Hasil; Rencana Aksi of a JPT Pratama or an
   Administrator | outside; another JPT Pratama, not the assessor.
5. JF: as Pengawas (Rencana Aksi also of a JPT Madya), and the JF's own scope (``JF_SCOPE``) |
   as Administrator.
6. Pelaksana: as Pengawas ("rencana aksi yang ditetapkan") | as Administrator.
7. PPPK Penyuluh KB: the PK signed with the authorised official | as Administrator.

DOMAIN.md adds: Kepala Perwakilan as JPT Pratama (an eselon II head), JF Utama as JF, PLKB as
Pelaksana. Kepala BKKBN has no SKP in the system (no assessor inside it). Where the decree is
silent the choice is written down in ``docs/planning-rules.md``.
"""

from collections.abc import Collection, Hashable
from datetime import date

from kinerja.rules.calendar import first_working_day
from kinerja.rules.planning import (
    RHK_SOURCE_LABELS,
    SKP_STATUS_LABELS,
    TASK_ORIGIN_LABELS,
    Aspek,
    MidYearChange,
    NotAllowed,
    PlanningRuleError,
    Problem,
    RhkKind,
    RhkSource,
    SkpAction,
    SkpStatus,
    StudyLeaveKind,
    StudyLeavePlan,
    TaskOrigin,
    WrongState,
    as_number,
    coerce,
    require,
)
from kinerja.rules.vocabulary import JENJANG_LABELS, Jenjang

# --- RHK sources and tugas tambahan origins (decree I.B) ----------------------------------------

_PIMPINAN = frozenset({RhkSource.PK, RhkSource.RENCANA_AKSI})
_KERJA = frozenset({RhkSource.CASCADING, RhkSource.TIM_KERJA, RhkSource.MATRIK_PERAN_HASIL, RhkSource.RENCANA_AKSI})

RHK_UTAMA_SOURCES: dict[Jenjang, frozenset[RhkSource]] = {
    Jenjang.KEPALA: frozenset(),
    Jenjang.JPT_MADYA: _PIMPINAN,
    Jenjang.JPT_PRATAMA: _PIMPINAN,
    Jenjang.KEPALA_PERWAKILAN: _PIMPINAN,
    Jenjang.ADMINISTRATOR: _PIMPINAN,
    Jenjang.PENGAWAS: _KERJA,
    Jenjang.JF_UTAMA: _KERJA | {RhkSource.JF_SCOPE},
    Jenjang.JF: _KERJA | {RhkSource.JF_SCOPE},
    Jenjang.PELAKSANA: _KERJA,
    Jenjang.PLKB: _KERJA,
    Jenjang.PPPK_PENYULUH_KB: frozenset({RhkSource.PK}),
}

_LUAR = frozenset({TaskOrigin.LUAR_INSTANSI})
_LUAR_MADYA = _LUAR | {TaskOrigin.JPT_MADYA_BUKAN_PENILAI}
_LUAR_PRATAMA = _LUAR | {TaskOrigin.JPT_PRATAMA_LAIN_BUKAN_PENILAI}
_SEMUA = _LUAR_MADYA | _LUAR_PRATAMA

TASK_ORIGINS: dict[Jenjang, frozenset[TaskOrigin]] = {
    Jenjang.KEPALA: frozenset(),
    Jenjang.JPT_MADYA: _LUAR,
    Jenjang.JPT_PRATAMA: _LUAR_MADYA,
    Jenjang.KEPALA_PERWAKILAN: _LUAR_MADYA,
    Jenjang.ADMINISTRATOR: _SEMUA,
    Jenjang.PENGAWAS: _LUAR_PRATAMA,
    Jenjang.JF_UTAMA: _SEMUA,
    Jenjang.JF: _SEMUA,
    Jenjang.PELAKSANA: _SEMUA,
    Jenjang.PLKB: _SEMUA,
    Jenjang.PPPK_PENYULUH_KB: _SEMUA,
}

# Who may give a Rencana Aksi that becomes an RHK (the bullets of the decree's second column).
# Kepala Perwakilan stands wherever "Pejabat Tinggi Pratama" does: he is the Perwakilan's JPT Pratama.
_PRATAMA = frozenset({Jenjang.JPT_PRATAMA, Jenjang.KEPALA_PERWAKILAN})
RENCANA_AKSI_ASSIGNERS: dict[Jenjang, frozenset[Jenjang]] = {
    Jenjang.KEPALA: frozenset(),
    Jenjang.JPT_MADYA: frozenset({Jenjang.KEPALA}),
    Jenjang.JPT_PRATAMA: frozenset({Jenjang.KEPALA, Jenjang.JPT_MADYA}),
    Jenjang.KEPALA_PERWAKILAN: frozenset({Jenjang.KEPALA, Jenjang.JPT_MADYA}),
    Jenjang.ADMINISTRATOR: _PRATAMA,
    Jenjang.PENGAWAS: _PRATAMA | {Jenjang.ADMINISTRATOR},
    Jenjang.JF_UTAMA: _PRATAMA | {Jenjang.JPT_MADYA, Jenjang.ADMINISTRATOR},
    Jenjang.JF: _PRATAMA | {Jenjang.JPT_MADYA, Jenjang.ADMINISTRATOR},
    Jenjang.PELAKSANA: _PRATAMA | {Jenjang.JPT_MADYA, Jenjang.ADMINISTRATOR, Jenjang.PENGAWAS},
    Jenjang.PLKB: _PRATAMA | {Jenjang.JPT_MADYA, Jenjang.ADMINISTRATOR, Jenjang.PENGAWAS},
    Jenjang.PPPK_PENYULUH_KB: frozenset(),
}


def allowed_rhk_sources(jenjang: Jenjang | str, kind: RhkKind | str) -> frozenset[RhkSource]:
    """Return the sources an RHK of this kind may have for this jenjang (empty for Kepala BKKBN).

    :raise PlanningRuleError: ``UNKNOWN_VALUE`` for an unknown jenjang or kind.
    """
    level = require(Jenjang, jenjang, "jenjang")
    if require(RhkKind, kind, "kind") is RhkKind.TAMBAHAN:
        return frozenset({RhkSource.TUGAS_TAMBAHAN}) if RHK_UTAMA_SOURCES[level] else frozenset()
    return RHK_UTAMA_SOURCES[level]


def allowed_task_origins(jenjang: Jenjang | str) -> frozenset[TaskOrigin]:
    """Return where a tugas tambahan of this jenjang may come from.

    :raise PlanningRuleError: ``UNKNOWN_VALUE`` for an unknown jenjang.
    """
    return TASK_ORIGINS[require(Jenjang, jenjang, "jenjang")]


def rencana_aksi_assigners(jenjang: Jenjang | str) -> frozenset[Jenjang]:
    """Return the jenjang whose Rencana Aksi may become an RHK of this jenjang.

    :raise PlanningRuleError: ``UNKNOWN_VALUE`` for an unknown jenjang.
    """
    return RENCANA_AKSI_ASSIGNERS[require(Jenjang, jenjang, "jenjang")]


def check_rhk_source(jenjang: Jenjang | str, kind: RhkKind | str, source: RhkSource | str) -> list[Problem]:
    """Check that an RHK of this kind may take this source for this jenjang.

    Codes: ``UNKNOWN_VALUE``, ``NO_SKP`` (Kepala BKKBN), ``SOURCE_NOT_ALLOWED`` (field ``source``).
    """
    level, problems = coerce(Jenjang, jenjang, "jenjang")
    rhk_kind, found = coerce(RhkKind, kind, "kind")
    problems += found
    origin, found = coerce(RhkSource, source, "source")
    problems += found
    if problems:
        return problems
    allowed = allowed_rhk_sources(level, rhk_kind)
    if not allowed:
        return [Problem("NO_SKP", f"{JENJANG_LABELS[level]} tidak menyusun SKP di aplikasi ini.", "jenjang")]
    if origin in allowed:
        return []
    if rhk_kind is RhkKind.TAMBAHAN:
        message = "RHK tambahan harus bersumber dari tugas tambahan."
    elif origin is RhkSource.TUGAS_TAMBAHAN:
        message = "Tugas tambahan dicatat sebagai RHK tambahan, bukan RHK utama."
    else:
        names = "; ".join(RHK_SOURCE_LABELS[s] for s in RhkSource if s in allowed)
        message = (f"Sumber RHK utama \u201c{RHK_SOURCE_LABELS[origin]}\u201d tidak berlaku untuk "
                   f"{JENJANG_LABELS[level]}. Sumber yang berlaku: {names}.")
    return [Problem("SOURCE_NOT_ALLOWED", message, "source")]


def check_task_origin(jenjang: Jenjang | str, origin: TaskOrigin | str | None, *,
                      origin_is_assessor: bool = False) -> list[Problem]:
    """Check where a tugas tambahan came from against the decree's third column.

    ``origin_is_assessor`` says the official who gave the task is the employee's own assessor:
    such a task is not tugas tambahan (it belongs in the RHK utama as cascading or rencana aksi).
    An origin left out is no problem here: the RHK is stored and shown as not yet linked
    (``missing_rhk_link``). Codes: ``UNKNOWN_VALUE``, ``NO_SKP``, ``TASK_ORIGIN_NOT_ALLOWED``,
    ``TASK_FROM_ASSESSOR`` (field ``task_origin``).
    """
    level, problems = coerce(Jenjang, jenjang, "jenjang")
    if origin is None or origin == "":
        return problems
    source, found = coerce(TaskOrigin, origin, "task_origin")
    problems += found
    if problems:
        return problems
    allowed = TASK_ORIGINS[level]
    if not allowed:
        return [Problem("NO_SKP", f"{JENJANG_LABELS[level]} tidak menyusun SKP di aplikasi ini.", "jenjang")]
    if source not in allowed:
        names = "; ".join(TASK_ORIGIN_LABELS[o] for o in TaskOrigin if o in allowed)
        return [Problem("TASK_ORIGIN_NOT_ALLOWED",
                        f"Asal tugas tambahan \u201c{TASK_ORIGIN_LABELS[source]}\u201d tidak berlaku untuk "
                        f"{JENJANG_LABELS[level]}. Asal yang berlaku: {names}.", "task_origin")]
    if origin_is_assessor and source is not TaskOrigin.LUAR_INSTANSI:
        return [Problem("TASK_FROM_ASSESSOR",
                        "Tugas dari Pejabat Penilai sendiri bukan tugas tambahan; catat sebagai RHK utama.",
                        "task_origin")]
    return []


def check_rhk(jenjang: Jenjang | str, kind: RhkKind | str, source: RhkSource | str,
              task_origin: TaskOrigin | str | None = None, *, origin_is_assessor: bool = False) -> list[Problem]:
    """Check an RHK's source and, for a tugas tambahan, its origin (an RHK utama has no origin)."""
    problems = check_rhk_source(jenjang, kind, source)
    rhk_kind, _ = coerce(RhkKind, kind, "kind")
    if rhk_kind is RhkKind.TAMBAHAN:
        problems += [p for p in check_task_origin(jenjang, task_origin, origin_is_assessor=origin_is_assessor)
                     if p not in problems]
    elif rhk_kind is RhkKind.UTAMA and task_origin not in (None, ""):
        problems.append(Problem("TASK_ORIGIN_UNEXPECTED", "Asal tugas hanya diisi untuk RHK tambahan.",
                                "task_origin"))
    return problems


# What each source links to (the link an RHK of that source should name), as (field, code, message).
_LINK_OF_SOURCE: dict[RhkSource, tuple[str, str, str]] = {
    RhkSource.PK: ("iku", "IKU_NOT_LINKED", "Belum ditautkan ke IKU"),
    RhkSource.RENCANA_AKSI: ("rencana_aksi", "RENCANA_AKSI_NOT_LINKED", "Belum ditautkan ke rencana aksi"),
    RhkSource.CASCADING: ("parent_rhk", "PARENT_NOT_LINKED", "Belum ditautkan ke RHK Pejabat Penilai"),
    RhkSource.MATRIK_PERAN_HASIL: ("parent_rhk", "PARENT_NOT_LINKED", "Belum ditautkan ke RHK Pejabat Penilai"),
}
_TASK_ORIGIN_MISSING = Problem("TASK_ORIGIN_MISSING", "Asal tugas tambahan belum diisi", "task_origin")


def missing_rhk_link(kind: RhkKind | str, source: RhkSource | str, *, parent_rhk_id=None, iku_id=None,
                     rencana_aksi_id=None, task_origin=None) -> Problem | None:
    """Tell which link an RHK still lacks (None when it lacks none), to show it as "not yet linked".

    The links are optional (an RHK is stored without them, INTERFACES.md ``POST /api/v1/skp``), but
    the assessor should see the gap before approving: an RHK from the PK names the IKU it supports,
    one from a Rencana Aksi the action, a cascading or Matrik Peran Hasil RHK the assessor's RHK,
    and a tugas tambahan where it came from. Unknown words lack nothing here (``check_rhk`` says so).
    """
    if str(kind) == RhkKind.TAMBAHAN:
        return _TASK_ORIGIN_MISSING if task_origin in (None, "") else None
    link = _LINK_OF_SOURCE.get(str(source))
    if link is None:
        return None
    field, code, message = link
    given = {"iku": iku_id, "rencana_aksi": rencana_aksi_id, "parent_rhk": parent_rhk_id}[field]
    return Problem(code, message, field) if given in (None, "") else None


# --- status flow --------------------------------------------------------------------------------

# action -> (states it leaves from, state it reaches); REVISE reaches the *new version's* state.
SKP_FLOW: dict[SkpAction, tuple[frozenset[SkpStatus], SkpStatus]] = {
    SkpAction.SUBMIT: (frozenset({SkpStatus.DRAFT, SkpStatus.RETURNED}), SkpStatus.SUBMITTED),
    SkpAction.APPROVE: (frozenset({SkpStatus.SUBMITTED}), SkpStatus.APPROVED),
    SkpAction.RETURN: (frozenset({SkpStatus.SUBMITTED}), SkpStatus.RETURNED),
    SkpAction.REVISE: (frozenset({SkpStatus.APPROVED}), SkpStatus.DRAFT),
}


def transition(status: SkpStatus | str, action: SkpAction | str, *, actor_is_owner: bool, actor_is_assessor: bool,
               reason: str | None = None, dialog_id: int | None = None) -> SkpStatus:
    """Return the status an SKP reaches when the actor takes the action.

    - ``SUBMIT``: the owner, from ``DRAFT`` or ``RETURNED``, to ``SUBMITTED``.
    - ``APPROVE``: the assessor (never the owner himself), from ``SUBMITTED``, to ``APPROVED``.
    - ``RETURN``: the assessor (never the owner), from ``SUBMITTED``, to ``RETURNED``; needs ``reason``.
    - ``REVISE``: the owner or the assessor, from ``APPROVED``; the answer ``DRAFT`` is the status
      of the *new version* (the service marks the approved one ``SUPERSEDED``); needs the
      ``dialog_id`` of the dialog kinerja that agreed the change.

    Checks run in this order: who (403), then state (409), then input (400).

    :raise NotAllowed: the actor may not take this action on this SKP.
    :raise WrongState: the SKP's status does not allow the action.
    :raise PlanningRuleError: unknown status or action, missing reason or dialog.
    """
    current = require(SkpStatus, status, "status")
    step = require(SkpAction, action, "action")
    _check_actor(step, actor_is_owner, actor_is_assessor)
    sources, target = SKP_FLOW[step]
    if current not in sources:
        raise WrongState(f"SKP berstatus {SKP_STATUS_LABELS[current].lower()}; tindakan ini tidak dapat dilakukan.",
                         "status", code="WRONG_STATE")
    if step is SkpAction.RETURN and not (reason or "").strip():
        raise PlanningRuleError("Alasan pengembalian wajib diisi.", "reason", code="REASON_REQUIRED")
    if step is SkpAction.REVISE and dialog_id is None:
        raise PlanningRuleError("Revisi SKP harus didahului dialog kinerja; pilih dialognya.", "dialog_id",
                                code="DIALOG_REQUIRED")
    return target


def allowed_actions(status: SkpStatus | str, *, actor_is_owner: bool, actor_is_assessor: bool) -> frozenset[SkpAction]:
    """Return the actions this actor may take on an SKP in this status (for the page's buttons)."""
    current = require(SkpStatus, status, "status")
    actions = set()
    for step, (sources, _) in SKP_FLOW.items():
        try:
            _check_actor(step, actor_is_owner, actor_is_assessor)
        except NotAllowed:
            continue
        if current in sources:
            actions.add(step)
    return frozenset(actions)


def _check_actor(step: SkpAction, is_owner: bool, is_assessor: bool) -> None:
    if step is SkpAction.SUBMIT and not is_owner:
        raise NotAllowed("Hanya pegawai pemilik SKP yang dapat mengajukan SKP.", code="NOT_OWNER")
    if step in (SkpAction.APPROVE, SkpAction.RETURN):
        if is_owner:
            raise NotAllowed("Pegawai tidak dapat menyetujui atau mengembalikan SKP-nya sendiri.", code="OWN_SKP")
        if not is_assessor:
            raise NotAllowed("Hanya Pejabat Penilai Kinerja yang dapat menyetujui atau mengembalikan SKP.",
                             code="NOT_ASSESSOR")
    if step is SkpAction.REVISE and not (is_owner or is_assessor):
        raise NotAllowed("Hanya pegawai atau Pejabat Penilai Kinerja yang dapat merevisi SKP.",
                         code="NOT_PARTY")


# --- cuti, tugas belajar, mid-year changes -------------------------------------------------------

SCALED_ASPEK = frozenset({Aspek.KUANTITAS, Aspek.BIAYA})


def scale_target(target: float, fraction: float, aspek: Aspek | str, *, places: int = 2) -> float:
    """Scale an IKI target to the effective working time (cuti under a year).

    ``KUANTITAS`` and ``BIAYA`` targets are amounts produced or spent over the time worked and
    scale with ``fraction``; ``KUALITAS`` and ``WAKTU`` targets (a level, a deadline or duration
    per output) do not. The result is rounded to ``places`` decimals.

    :raise PlanningRuleError: unknown aspek, a target that is not a number, a fraction outside [0, 1].
    """
    kind = require(Aspek, aspek, "aspek")
    value, share = as_number(target), as_number(fraction)
    if value is None:
        raise PlanningRuleError("Target harus berupa angka.", "target", code="TARGET_INVALID")
    if share is None or not 0.0 <= share <= 1.0:
        raise PlanningRuleError("Porsi waktu kerja efektif harus antara 0 dan 1.", "fraction", code="FRACTION_INVALID")
    return round(value * share, places) if kind in SCALED_ASPEK else value


REMOVED_FROM_POSITION = frozenset({StudyLeaveKind.MANDIRI_DIBERHENTIKAN, StudyLeaveKind.NEGARA_DIBERHENTIKAN})


def study_leave_plan(kind: StudyLeaveKind | str, start: date, year: int,
                     holidays: Collection[date] = ()) -> StudyLeavePlan:
    """Decide what a tugas belajar does to the SKP of ``year`` (decree I.C).

    Removed from position, starting on or before the first working day of January of ``year``
    (or in an earlier year): the SKP holds only the assessor's study expectations. Removed,
    starting later in ``year``: those expectations are added to the existing SKP. Not removed
    from position: the position's SKP goes on and the study expectations are added to it,
    whenever it starts. Pass the national holidays (with 1 January) as ``holidays``.

    :raise PlanningRuleError: unknown kind; ``STUDY_NOT_STARTED`` when ``start`` is after ``year``.
    """
    study = require(StudyLeaveKind, kind, "kind")
    if start.year > year:
        raise PlanningRuleError(f"Tugas belajar dimulai {start.isoformat()}, setelah tahun {year}.", "start",
                                code="STUDY_NOT_STARTED")
    if study not in REMOVED_FROM_POSITION:
        return StudyLeavePlan.UNCHANGED_PLUS_STUDY
    if start <= first_working_day(year, holidays):
        return StudyLeavePlan.ONLY_STUDY_EXPECTATIONS
    return StudyLeavePlan.ADD_TO_EXISTING


def mid_year_change(old_unit: Hashable, new_unit: Hashable, old_position: Hashable,
                    new_position: Hashable) -> MidYearChange:
    """Decide what a mid-year move does to the SKP (decree I.B, the two numbered cases).

    Compare whatever identifies a unit and a position for the caller (ids, or a tuple such as
    ``(jenjang, jf_name, is_head)``): a new position closes the old SKP and starts a new one,
    whatever the unit; the same position in another unit revises the SKP.
    """
    if old_position != new_position:
        return MidYearChange.CLOSE_AND_NEW
    if old_unit != new_unit:
        return MidYearChange.REVISE_SKP
    return MidYearChange.NONE

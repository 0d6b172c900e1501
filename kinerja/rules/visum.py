"""Visum (decree II.C, DOMAIN.md §4): channel, February gate, completeness, approval, reminders.

The week calendar and the weekly lock live in ``kinerja.rules.week``; working days in
``kinerja.rules.calendar``. Errors follow ``kinerja.rules.planning``: ``NotAllowed`` (403),
``WrongState`` (409), ``PlanningRuleError`` (400), and ``week.VisumLocked`` (423). A service
writing a visum checks, in this order:

1. who: the employee himself (the service; ``ensure_can_approve_visum`` for approve/return);
2. the week: ``week.ensure_visum_writable`` (423);
3. the state: ``visum_transition`` / ``ensure_visum_deletable`` (409);
4. the gate: ``visum_gate`` (400 for a future date, 403 for a missing SKP or IKI);
5. the fields (activity, output, evidence) — 400.

Every choice the decree leaves open: ``docs/visum-rules.md``.
"""

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import NamedTuple

from kinerja.rules.calendar import SYNC_DAY, is_working_day, working_days
from kinerja.rules.planning import NotAllowed, PlanningRuleError, WrongState, require
from kinerja.rules.vocabulary import Jenjang
from kinerja.rules.week import MONTH_NAMES, date_label, week_days

# --- words ------------------------------------------------------------------------------------


class VisumStatus(StrEnum):
    """A visum starts ``SUBMITTED``; the SKP's ``DRAFT`` is never used for a visum."""

    SUBMITTED = "SUBMITTED"
    APPROVED = "APPROVED"
    RETURNED = "RETURNED"


class VisumAction(StrEnum):
    APPROVE = "APPROVE"  # the assessor (or his PLT/PLH)
    RETURN = "RETURN"  # the assessor, with a reason
    EDIT = "EDIT"  # the employee


class VisumChannel(StrEnum):
    SIVIKA = "SIVIKA"  # non-Penyuluh employees
    E_VISUM = "E-VISUM"  # Penyuluh KB and PLKB


VISUM_STATUS_LABELS = {
    VisumStatus.SUBMITTED: "Menunggu persetujuan",
    VisumStatus.APPROVED: "Disetujui",
    VisumStatus.RETURNED: "Dikembalikan",
}

VISUM_ACTION_LABELS = {
    VisumAction.APPROVE: "Setujui",
    VisumAction.RETURN: "Kembalikan",
    VisumAction.EDIT: "Ubah",
}

VISUM_CHANNEL_LABELS = {VisumChannel.SIVIKA: "SIVIKA", VisumChannel.E_VISUM: "E-Visum"}


# --- channel (decree II.A, II.C.1) ----------------------------------------------------------------

_E_VISUM_JENJANG = frozenset({Jenjang.PPPK_PENYULUH_KB, Jenjang.PLKB})
_JF_JENJANG = frozenset({Jenjang.JF, Jenjang.JF_UTAMA})
_PENYULUH_KB = re.compile(r"\bpenyuluh (kb|keluarga berencana)\b")


def is_penyuluh_kb_name(jf_name: str | None) -> bool:
    """Tell whether a JF name is Penyuluh KB, whatever the level wording (``Penyuluh KB Ahli Muda``)."""
    if not jf_name:
        return False
    text = " ".join(jf_name.lower().replace(".", "").split())  # "Penyuluh  K.B." -> "penyuluh kb"
    return _PENYULUH_KB.search(text) is not None


def visum_channel(jenjang: Jenjang | str, jf_name: str | None = None) -> VisumChannel:
    """Return the visum channel: ``E-VISUM`` for Penyuluh KB (JF), PPPK Penyuluh KB and PLKB, else ``SIVIKA``.

    ``jf_name`` counts only for ``JF`` and ``JF_UTAMA`` (it is empty for other jenjang).

    :raise PlanningRuleError: ``UNKNOWN_VALUE`` for an unknown jenjang.
    """
    level = require(Jenjang, jenjang, "jenjang")
    if level in _E_VISUM_JENJANG or (level in _JF_JENJANG and is_penyuluh_kb_name(jf_name)):
        return VisumChannel.E_VISUM
    return VisumChannel.SIVIKA


# --- February gate and date refusals (INTERFACES "February gate") --------------------------------


@dataclass(frozen=True)
class GateRefusal:
    """Why a visum may not be filed: a stable code, a Bahasa message, the field, the HTTP answer."""

    code: str
    message: str
    field: str | None
    http_status: int

    def as_error(self) -> PlanningRuleError:
        """Return the matching error to raise (``NotAllowed`` for 403, else ``PlanningRuleError``)."""
        cls = NotAllowed if self.http_status == 403 else PlanningRuleError
        return cls(self.message, self.field, code=self.code)


def sync_date(year: int, sync_day: Sequence[int] = SYNC_DAY) -> date:
    """Return the day the February gate starts for visum of ``year`` (6 February by default)."""
    month, day = sync_day
    return date(year, month, day)


def gate_in_force(day: date, today: date, sync_day: Sequence[int] = SYNC_DAY) -> bool:
    """Tell whether filing a visum dated ``day`` on ``today`` needs an approved SKP and an IKI.

    It depends on the *filing* date: from the sync day of the visum's year on, every visum of
    that year — a January one too — needs them.
    """
    return today >= sync_date(day.year, sync_day)


def visum_gate(day: date, today: date, *, has_approved_skp: bool, iki_in_skp: bool | None,
               skp_period: tuple[date, date] | None = None,
               sync_day: Sequence[int] = SYNC_DAY) -> GateRefusal | None:
    """Return why a visum dated ``day`` may not be filed on ``today``, or None when it may.

    :param today: the employee's local date (``week.local_date(now, unit_tz)``).
    :param has_approved_skp: the employee has an approved SKP of ``day.year`` now.
    :param iki_in_skp: None when no ``iki_id`` is given; else whether that IKI belongs to that
        approved SKP.
    :param skp_period: the approved SKP's period (first, last day), when known; a visum the SKP
        does not cover is refused.

    Checks in order: ``DATE_IN_FUTURE`` (400); then, from the sync day (``gate_in_force``),
    ``NO_APPROVED_SKP`` and ``IKI_REQUIRED`` (403); at any time an IKI given must be in the
    approved SKP (``IKI_NOT_IN_SKP``, 403) and the SKP must cover the day
    (``OUTSIDE_SKP_PERIOD``, 403). Before the sync day a visum may be filed with no IKI.
    """
    if day > today:
        return GateRefusal("DATE_IN_FUTURE", f"Visum untuk {date_label(day)} belum dapat diisi: tanggalnya belum tiba.",
                           "date", 400)
    gated = gate_in_force(day, today, sync_day)
    if gated and not has_approved_skp:
        return GateRefusal(
            "NO_APPROVED_SKP",
            f"Sejak {_day_month(sync_date(day.year, sync_day))} visum tahun {day.year} hanya dapat diisi dengan SKP "
            f"tahun {day.year} yang sudah disetujui. Selesaikan SKP Anda dan mintalah persetujuan Pejabat Penilai.",
            "date", 403)
    if gated and iki_in_skp is None:
        return GateRefusal("IKI_REQUIRED", "Pilih Indikator Kinerja Individu (IKI) dari SKP Anda yang disetujui.",
                           "iki_id", 403)
    if iki_in_skp is None:
        return None  # before the sync day: a visum without an IKI, while SKPs are made
    if not has_approved_skp or not iki_in_skp:
        return GateRefusal("IKI_NOT_IN_SKP", "IKI yang dipilih bukan bagian dari SKP Anda yang disetujui.",
                           "iki_id", 403)
    if skp_period is not None and not skp_period[0] <= day <= skp_period[1]:
        first, last = skp_period
        return GateRefusal("OUTSIDE_SKP_PERIOD",
                           f"Tanggal visum di luar periode SKP Anda ({first:%d-%m-%Y} s.d. {last:%d-%m-%Y}).",
                           "date", 403)
    return None


def ensure_visum_gate(day: date, today: date, *, has_approved_skp: bool, iki_in_skp: bool | None,
                      skp_period: tuple[date, date] | None = None, sync_day: Sequence[int] = SYNC_DAY) -> None:
    """Refuse a visum the February gate or its date does not allow.

    :raise NotAllowed: ``NO_APPROVED_SKP``, ``IKI_REQUIRED``, ``IKI_NOT_IN_SKP``, ``OUTSIDE_SKP_PERIOD``.
    :raise PlanningRuleError: ``DATE_IN_FUTURE``.
    """
    refusal = visum_gate(day, today, has_approved_skp=has_approved_skp, iki_in_skp=iki_in_skp,
                         skp_period=skp_period, sync_day=sync_day)
    if refusal is not None:
        raise refusal.as_error()


# --- weekly completeness --------------------------------------------------------------------------


class WeeklyCompleteness(NamedTuple):
    filed: int  # expected working days that have a visum
    expected: int  # working days of the week (Mon-Fri, minus holidays and cuti)
    missing: list[date]  # expected days without a visum, in order
    percent: float  # filed / expected x 100; 100.0 when nothing is expected


def weekly_completeness(week_start: date, visum_days: Collection[date], holidays: Collection[date] = (),
                        leave_days: Collection[date] = (), *, until: date | None = None) -> WeeklyCompleteness:
    """Count a week's filed and missing working days (weekend and holiday visum are allowed, not expected).

    :param week_start: the Monday of the week.
    :param visum_days: the dates the employee has a visum for (any status).
    :param leave_days: the cuti dates (ranges expanded by the caller).
    :param until: count only days up to this date (the running week's "today"); None = the whole week.
    :raise PlanningRuleError: ``NOT_A_MONDAY`` when ``week_start`` is not a Monday.
    """
    if week_start.weekday() != 0:
        raise PlanningRuleError(f"Awal minggu harus hari Senin, bukan {date_label(week_start)}.",
                                "week_start", code="NOT_A_MONDAY")
    filed_days, leave = frozenset(visum_days), frozenset(leave_days)
    expected = [day for day in week_days(week_start)
                if is_working_day(day, holidays) and day not in leave and (until is None or day <= until)]
    missing = [day for day in expected if day not in filed_days]
    filed = len(expected) - len(missing)
    percent = filed / len(expected) * 100 if expected else 100.0
    return WeeklyCompleteness(filed, len(expected), missing, percent)


# --- approval -----------------------------------------------------------------------------------

# action -> (states it leaves from, state it reaches)
VISUM_FLOW: dict[VisumAction, tuple[frozenset[VisumStatus], VisumStatus]] = {
    VisumAction.APPROVE: (frozenset({VisumStatus.SUBMITTED}), VisumStatus.APPROVED),
    VisumAction.RETURN: (frozenset({VisumStatus.SUBMITTED}), VisumStatus.RETURNED),
    VisumAction.EDIT: (frozenset({VisumStatus.SUBMITTED, VisumStatus.RETURNED}), VisumStatus.SUBMITTED),
}

DELETABLE = frozenset({VisumStatus.SUBMITTED, VisumStatus.RETURNED})


def can_approve_visum(actor_id: int, owner_id: int, current_assessor_ids: Collection[int]) -> bool:
    """Tell whether the actor may approve or return this visum: never his own, only as current assessor.

    ``current_assessor_ids``: the employee's assessor today and the PLT/PLH standing in for him.
    """
    return actor_id != owner_id and actor_id in current_assessor_ids


def ensure_can_approve_visum(actor_id: int, owner_id: int, current_assessor_ids: Collection[int]) -> None:
    """Refuse an actor who may not approve or return this visum.

    :raise NotAllowed: ``OWN_VISUM`` or ``NOT_ASSESSOR``.
    """
    if actor_id == owner_id:
        raise NotAllowed("Pegawai tidak dapat menyetujui atau mengembalikan visumnya sendiri.", code="OWN_VISUM")
    if actor_id not in current_assessor_ids:
        raise NotAllowed("Hanya Pejabat Penilai Kinerja saat ini (atau PLT/PLH-nya) yang dapat menyetujui "
                         "atau mengembalikan visum ini.", code="NOT_ASSESSOR")


def visum_transition(status: VisumStatus | str, action: VisumAction | str, reason: str | None = None) -> VisumStatus:
    """Return the status a visum reaches by the action.

    - ``APPROVE``: from ``SUBMITTED`` to ``APPROVED``.
    - ``RETURN``: from ``SUBMITTED`` to ``RETURNED``; needs a non-blank ``reason``.
    - ``EDIT``: from ``SUBMITTED`` (stays) or ``RETURNED`` (goes back) to ``SUBMITTED``.

    An ``APPROVED`` visum is final: not edited, returned or approved again. Who may act is
    checked before (``ensure_can_approve_visum``; the owner edits); the week lock too.
    Checks run state (409), then input (400).

    :raise WrongState: the status does not allow the action (``WRONG_STATE``).
    :raise PlanningRuleError: unknown status or action, missing reason (``REASON_REQUIRED``).
    """
    current = require(VisumStatus, status, "status")
    step = require(VisumAction, action, "action")
    sources, target = VISUM_FLOW[step]
    if current not in sources:
        raise WrongState(f"Visum berstatus {VISUM_STATUS_LABELS[current].lower()}; "
                         f"tindakan {VISUM_ACTION_LABELS[step].lower()} tidak dapat dilakukan.",
                         "status", code="WRONG_STATE")
    if step is VisumAction.RETURN and not (reason or "").strip():
        raise PlanningRuleError("Alasan pengembalian wajib diisi.", "reason", code="REASON_REQUIRED")
    return target


def allowed_visum_actions(status: VisumStatus | str) -> frozenset[VisumAction]:
    """Return the actions the status allows (for the page's buttons; who may act is checked apart)."""
    current = require(VisumStatus, status, "status")
    return frozenset(step for step, (sources, _) in VISUM_FLOW.items() if current in sources)


def ensure_visum_deletable(status: VisumStatus | str) -> None:
    """Refuse deleting an approved visum (a submitted or returned one may be deleted while its week is open).

    :raise WrongState: ``WRONG_STATE`` for an approved visum.
    """
    current = require(VisumStatus, status, "status")
    if current not in DELETABLE:
        raise WrongState("Visum yang sudah disetujui tidak dapat dihapus.", "status", code="WRONG_STATE")


# --- reminders ----------------------------------------------------------------------------------

APPROVAL_LIMIT = 3  # working days a visum may wait for approval before the assessor is reminded


def approval_waiting_days(submitted_on: date, today: date, holidays: Collection[date] = ()) -> int:
    """Count the working days a visum submitted on ``submitted_on`` has waited by ``today``.

    The day of submission does not count; ``today`` does. 0 when ``today`` is not after it.
    """
    if today <= submitted_on:
        return 0
    return working_days(submitted_on + timedelta(days=1), today, holidays)


def approval_overdue(submitted_at_local_date: date, today: date, holidays: Collection[date] = (),
                     limit: int = APPROVAL_LIMIT) -> bool:
    """Tell whether a visum has waited more than ``limit`` working days for approval.

    Submitted on a Monday (no holiday): waiting 3 days on Thursday (not overdue), overdue on Friday.
    Both dates are local dates in the unit's zone.
    """
    return approval_waiting_days(submitted_at_local_date, today, holidays) > limit


def _day_month(day: date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1]}"  # "6 Februari"

"""Capaian (achievement) of an IKU, the yearly capaian, NKO, and "behind target" for Monev RAPK.

The formulas are INTERFACES.md "Capaian" (PermenPANRB 8/2021), with ``r`` the realisation and ``t``
the target, as percentages:

==========  ==========================  =====================================================
polarity    capaian                     ``t = 0`` (the formula divides by ``t``)
==========  ==========================  =====================================================
``MAX``     ``r / t × 100``             ``r = 0``: 100 (a zero target reached); ``r > 0``: the cap
``MIN``     ``(2 − r / t) × 100``       ``r = 0``: 100; ``r > 0``: 0 (a "zero cases" target missed)
``STABIL``  ``100 − |r − t| / t × 100`` ``r = 0``: 100; ``r > 0``: 0
==========  ==========================  =====================================================

Each result is capped (``cap``, default ``DEFAULT_CAP`` = 120) and never below 0. The ``t = 0`` column
is the limit of the formula as ``t`` falls to 0 (then capped or floored), and 100 when ``r = t = 0``:
no division by zero, and the answer a planner expects. Negative realisations or targets are bad
input (``PlanningRuleError``): IKU values are counts, percentages, indices, amounts.

The yearly capaian uses the realisation of period ``YYYY`` when one is given, else that of the latest
month (``yearly_realisation``). NKO is ``Σ weight × capaian / Σ weight`` (``nko``).

"Behind target" (``monthly_progress``): for a month with a realisation, the realisation *to date* is
compared with the trajectory's target *to date*, both combined by the IKU's own aggregation rule
(``kinerja.rules.trajectory.aggregate``): ``KUMULATIF`` and ``NILAI_AKHIR`` take the latest value up to
that month, ``JUMLAH`` the sum, ``RATA_RATA`` the average. A quarterly trajectory thus has no target
in January and February (not behind yet) and its Q1 target in March. The IKU is behind when the
capaian to date is below 100 (within ``TOLERANCE`` of the values): ``MAX`` below the target, ``MIN``
above it, ``STABIL`` off it. Choices are written down in ``docs/realisasi.md``.
"""

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from kinerja.rules.planning import Aggregation, Consolidation, PlanningRuleError, Polarity, as_number, require
from kinerja.rules.trajectory import TOLERANCE, aggregate, expected_periods
from kinerja.rules.week import MONTH_NAMES

DEFAULT_CAP = 120.0
FLOOR = 0.0

_PERIOD = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2]))?$")  # TTTT-BB (a trajectory's month) or TTTT


# --- periods ----------------------------------------------------------------------------------

def parse_period(text: object) -> tuple[int, int | None] | None:
    """Read a realisation period: ``"2026-03"`` -> ``(2026, 3)``, ``"2026"`` -> ``(2026, None)``, else None."""
    match = _PERIOD.match(text) if isinstance(text, str) else None
    if match is None:
        return None
    return int(match.group(1)), int(match.group(2)) if match.group(2) else None


def months_of(year: int) -> tuple[str, ...]:
    """Return the twelve monthly periods of a year, in order."""
    return expected_periods(year, Consolidation.MONTHLY)


def period_label(period: str) -> str:
    """Name a period in Bahasa Indonesia: ``"2026-03"`` -> ``Maret 2026``, ``"2026"`` -> ``Tahun 2026``."""
    parsed = parse_period(period)
    if parsed is None:
        return str(period)
    year, month = parsed
    return f"Tahun {year}" if month is None else f"{MONTH_NAMES[month - 1]} {year}"


def open_periods(year: int, today: date, months: Sequence[str] | None = None) -> list[str]:
    """Return the periods of ``year`` open for realisation on ``today``: begun months (of ``months``, default
    all twelve), then the year ``YYYY`` itself once it has begun."""
    if today.year < year:
        return []
    begun = [p for p in (months if months is not None else months_of(year))
             if today.year > year or int(p[5:7]) <= today.month]
    return [*begun, f"{year:04d}"]


# --- capaian ----------------------------------------------------------------------------------

def non_negative(value: object, field: str, label: str) -> float:
    """Read a number that is not negative, or raise ``PlanningRuleError`` naming ``field``."""
    number = as_number(value)
    if number is None:
        raise PlanningRuleError(f"{label} harus berupa angka.", field, code="INVALID")
    if number < 0:
        raise PlanningRuleError(f"{label} tidak boleh negatif.", field, code="NEGATIVE")
    return number


def _check_cap(cap: object) -> float:
    number = as_number(cap)
    if number is None or number <= 0:
        raise PlanningRuleError("Batas atas capaian harus berupa angka positif.", "cap", code="INVALID")
    return number


def capaian(realisation: float, target: float, polarity: Polarity | str, *, cap: float = DEFAULT_CAP) -> float:
    """Compute the capaian (percent) of a realisation against a target by polarity, capped and floored at 0.

    :raise PlanningRuleError: a negative or non-numeric realisation or target, an unknown polarity,
        a cap that is not a positive number.
    """
    r = non_negative(realisation, "realisation", "Realisasi")
    t = non_negative(target, "target", "Target")
    kind = require(Polarity, polarity, "polarity")
    limit = _check_cap(cap)
    if t == 0:
        if r == 0:
            raw = 100.0
        else:
            raw = math.inf if kind is Polarity.MAX else -math.inf
    elif kind is Polarity.MAX:
        raw = r / t * 100
    elif kind is Polarity.MIN:
        raw = (2 - r / t) * 100
    else:
        raw = 100 - abs(r - t) / t * 100
    return min(max(raw, FLOOR), limit)


def yearly_realisation(realisations: Mapping[str, float], year: int) -> float | None:
    """Return the realisation the yearly capaian uses: that of period ``YYYY``, else the latest month's."""
    yearly = realisations.get(f"{year:04d}")
    if yearly is not None:
        return yearly
    months = [period for period in months_of(year) if realisations.get(period) is not None]
    return realisations[months[-1]] if months else None


def yearly_capaian(realisations: Mapping[str, float], target: float, polarity: Polarity | str, year: int, *,
                   cap: float = DEFAULT_CAP) -> float | None:
    """Compute an IKU's capaian of a year (``yearly_realisation`` against the yearly target); None without any."""
    value = yearly_realisation(realisations, year)
    return None if value is None else capaian(value, target, polarity, cap=cap)


def nko(items: Iterable[tuple[float, float]]) -> float | None:
    """Compute the Nilai Kinerja Organisasi: Σ weight × capaian / Σ weight over ``(weight, capaian)`` pairs.

    Returns None when the weights add up to 0 (nothing to average). The caller decides what an IKU
    without a realisation counts as (evaluation passes 0).

    :raise PlanningRuleError: a negative or non-numeric weight or capaian.
    """
    total_weight = 0.0
    weighted = 0.0
    for index, (weight, value) in enumerate(items):
        w = non_negative(weight, f"weight[{index}]", f"Bobot ke-{index + 1}")
        c = non_negative(value, f"capaian[{index}]", f"Capaian ke-{index + 1}")
        total_weight += w
        weighted += w * c
    if total_weight == 0:
        return None
    return weighted / total_weight


# --- behind target (Monev RAPK) ---------------------------------------------------------------

def to_date(aggregation: Aggregation | str, values: Mapping[str, float], period: str) -> float | None:
    """Combine the monthly values of ``period``'s year up to and including it by an aggregation rule."""
    parsed = parse_period(period)
    if parsed is None or parsed[1] is None:
        raise PlanningRuleError(f"Periode {period!r} bukan bulan (TTTT-BB).", "period", code="INVALID")
    keys = [p for p in months_of(parsed[0]) if p <= period and values.get(p) is not None]
    return aggregate(aggregation, [values[p] for p in keys])


def is_behind(polarity: Polarity | str, realisation: float, target: float, *, tolerance: float = TOLERANCE) -> bool:
    """Tell whether a realisation is behind its target: capaian below 100, values compared within ``tolerance``."""
    kind = require(Polarity, polarity, "polarity")
    if kind is Polarity.MAX:
        return realisation < target - tolerance
    if kind is Polarity.MIN:
        return realisation > target + tolerance
    return abs(realisation - target) > tolerance


@dataclass(frozen=True)
class MonthProgress:
    """One month of an IKU on the Monev RAPK page."""

    period: str
    target: float | None  # the trajectory's target to date; None before its first period
    realisation: float | None  # the realisation recorded for this month
    realisation_to_date: float | None  # the realisations up to this month, by the IKU's aggregation
    capaian: float | None  # realisation to date against target to date; None unless both and a realisation
    behind: bool | None  # None unless this month has a realisation and a target to date


def monthly_progress(year: int, aggregation: Aggregation | str, polarity: Polarity | str,
                     trajectory: Mapping[str, float], realisations: Mapping[str, float], *,
                     cap: float = DEFAULT_CAP, tolerance: float = TOLERANCE) -> list[MonthProgress]:
    """Compare, for each month of a year, the realisation to date with the trajectory's target to date.

    Only monthly periods of ``year`` count (a yearly ``YYYY`` realisation is for ``yearly_capaian``).
    """
    rule = require(Aggregation, aggregation, "aggregation")
    kind = require(Polarity, polarity, "polarity")
    rows = []
    for period in months_of(year):
        target = to_date(rule, trajectory, period)
        own = realisations.get(period)
        so_far = to_date(rule, realisations, period)
        measured = own is not None and target is not None and so_far is not None
        rows.append(MonthProgress(
            period=period, target=target, realisation=own, realisation_to_date=so_far,
            capaian=capaian(so_far, target, kind, cap=cap) if measured else None,
            behind=is_behind(kind, so_far, target, tolerance=tolerance) if measured else None,
        ))
    return rows


def latest_measured(progress: Iterable[MonthProgress]) -> MonthProgress | None:
    """Return the latest month that has a realisation (whether or not it has a target yet)."""
    found = None
    for row in progress:
        if row.realisation is not None:
            found = row
    return found

"""Trajectory targets of an IKU: the periodic path to its yearly target (decree I.A.1.c, I.A.2).

A trajectory is a mapping ``{"YYYY-MM": value}`` (INTERFACES.md). Which months it holds
follows the IKU's consolidation kind; how its values make the yearly target follows the
IKU's aggregation rule. The decree fixes neither the months nor the arithmetic; the rules
below follow SIPPUJA practice and are written down in ``docs/planning-rules.md`` §2:

===============  ====================================================================
aggregation      the trajectory reaches the yearly target when
===============  ====================================================================
``KUMULATIF``    each value is the running total so far: the path never goes down
                 (``MAX``, ``STABIL``) or never goes up (``MIN``, approaching the target
                 from above), and the last period equals the target
``JUMLAH``       the periods add up to the target
``RATA_RATA``    the periods average to the target
``NILAI_AKHIR``  the last period equals the target; the path is free
===============  ====================================================================

"Equals" allows ``TOLERANCE`` (half of 0.01, the precision the pages show), so that
``33.333 + 33.333 + 33.334`` is 100 and ``33.33 × 3`` is not.
"""

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from kinerja.rules.planning import (
    AGGREGATION_LABELS,
    CONSOLIDATION_LABELS,
    Aggregation,
    Consolidation,
    PlanningRuleError,
    Polarity,
    Problem,
    as_number,
    coerce,
    format_number,
    require,
)

TOLERANCE = 0.005

PERIOD_MONTHS: dict[Consolidation, tuple[int, ...]] = {
    Consolidation.MONTHLY: tuple(range(1, 13)),
    Consolidation.QUARTERLY: (3, 6, 9, 12),
    Consolidation.SEMESTER: (6, 12),
    Consolidation.YEARLY: (12,),
}

_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")

# how the message of TARGET_NOT_REACHED names the value it compared
_REACHED_LABELS = {
    Aggregation.KUMULATIF: "Nilai kumulatif periode terakhir",
    Aggregation.JUMLAH: "Jumlah target periodik",
    Aggregation.RATA_RATA: "Rata-rata target periodik",
    Aggregation.NILAI_AKHIR: "Target periode terakhir",
}


def period_key(year: int, month: int) -> str:
    """Return the trajectory key of a month: ``period_key(2026, 3) == "2026-03"``."""
    return f"{year:04d}-{month:02d}"


def expected_periods(year: int, consolidation: Consolidation | str) -> tuple[str, ...]:
    """Return the periods, in order, a trajectory of this consolidation holds in ``year``.

    :raise PlanningRuleError: for an unknown consolidation.
    """
    kind = require(Consolidation, consolidation, "consolidation")
    return tuple(period_key(year, month) for month in PERIOD_MONTHS[kind])


def check_trajectory(year: int, consolidation: Consolidation | str, aggregation: Aggregation | str,
                     polarity: Polarity | str, yearly_target: float, values: Mapping[str, float], *,
                     tolerance: float = TOLERANCE) -> list[Problem]:
    """Check a trajectory's periods and values, then that it reaches the yearly target.

    Problem codes: ``UNKNOWN_VALUE`` (consolidation, aggregation, polarity), ``TARGET_INVALID``,
    ``TARGET_NEGATIVE``, ``PERIOD_INVALID``, ``PERIOD_OTHER_YEAR``, ``PERIOD_EXTRA``,
    ``PERIOD_MISSING``, ``VALUE_INVALID``, ``VALUE_NEGATIVE``; only when none of those is found:
    ``PATH_NOT_MONOTONIC`` (``KUMULATIF``) and ``TARGET_NOT_REACHED``. A period's problem names
    the field ``trajectory[YYYY-MM]``; a problem of the whole path names ``trajectory``.
    """
    problems: list[Problem] = []
    kind, found = coerce(Consolidation, consolidation, "consolidation")
    problems += found
    rule, found = coerce(Aggregation, aggregation, "aggregation")
    problems += found
    direction, found = coerce(Polarity, polarity, "polarity")
    problems += found

    target = as_number(yearly_target)
    if target is None:
        problems.append(Problem("TARGET_INVALID", "Target tahunan harus berupa angka.", "target"))
    elif target < 0:
        problems.append(Problem("TARGET_NEGATIVE", "Target tahunan tidak boleh negatif.", "target"))
    if kind is None:
        return problems

    periods = expected_periods(year, kind)
    numbers: dict[str, float] = {}
    for key, value in values.items():
        field = f"trajectory[{key}]"
        match = _PERIOD.match(key) if isinstance(key, str) else None
        if match is None:
            problems.append(Problem("PERIOD_INVALID", f"Periode {key!r} tidak sah; tulis sebagai TTTT-BB.", field))
            continue
        if int(match.group(1)) != year:
            problems.append(Problem("PERIOD_OTHER_YEAR", f"Periode {key} bukan tahun {year}.", field))
            continue
        if key not in periods:
            months = ", ".join(period[5:] for period in periods)
            problems.append(Problem(
                "PERIOD_EXTRA",
                f"Periode {key} tidak dipakai pada konsolidasi {CONSOLIDATION_LABELS[kind].lower()} "
                f"(bulan yang dipakai: {months}).",
                field,
            ))
            continue
        number = as_number(value)
        if number is None:
            problems.append(Problem("VALUE_INVALID", f"Target periode {key} harus berupa angka.", field))
        elif number < 0:
            problems.append(Problem("VALUE_NEGATIVE", f"Target periode {key} tidak boleh negatif.", field))
        else:
            numbers[key] = number
    for period in periods:
        if period not in values:
            problems.append(Problem("PERIOD_MISSING", f"Target periode {period} belum diisi.", f"trajectory[{period}]"))
    if problems:
        return problems

    path = [numbers[period] for period in periods]
    if rule is Aggregation.KUMULATIF:
        problems += _monotonic_breaks(periods, path, direction, tolerance)
    reached = _aggregate(rule, path)
    if not _close(reached, target, tolerance):
        problems.append(Problem(
            "TARGET_NOT_REACHED",
            f"{_REACHED_LABELS[rule]} ({format_number(reached)}) tidak sama dengan target tahunan "
            f"{format_number(target)}.",
            "trajectory",
        ))
    return problems


@dataclass(frozen=True)
class TrajectorySummary:
    """What a trajectory editor shows while the user types."""

    aggregation: Aggregation
    periods: tuple[str, ...]  # every period the trajectory should hold, in order
    filled: tuple[str, ...]  # those with a usable value so far, in order
    running: float | None  # sum / average / latest value of the filled periods; None when empty
    target: float
    gap: float | None  # target - running: positive means still short of the target
    complete: bool  # every period filled
    matches_target: bool  # complete and the aggregate equals the target (path rules aside)

    @property
    def label(self) -> str:
        """Describe the running value in Bahasa Indonesia, e.g. ``Jumlah: 75 dari target 100 (kurang 25)``."""
        if self.running is None:
            return f"Belum ada target periodik; target tahunan {format_number(self.target)}."
        text = f"{AGGREGATION_LABELS[self.aggregation]}: {format_number(self.running)} " \
               f"dari target {format_number(self.target)}"
        if self.gap is None or _close(self.gap, 0.0, TOLERANCE):
            return text + " (sesuai)"
        word = "kurang" if self.gap > 0 else "lebih"
        return text + f" ({word} {format_number(abs(self.gap))})"


def trajectory_summary(year: int, consolidation: Consolidation | str, aggregation: Aggregation | str,
                       yearly_target: float, values: Mapping[str, object], *,
                       tolerance: float = TOLERANCE) -> TrajectorySummary:
    """Compute the running value of a (possibly unfinished) trajectory and its gap to the target.

    Unknown periods and unusable values are skipped: ``check_trajectory`` reports them.
    ``KUMULATIF`` and ``NILAI_AKHIR`` run at the latest filled period's value.

    :raise PlanningRuleError: for an unknown consolidation or aggregation, or a target that is
        not a number.
    """
    rule = require(Aggregation, aggregation, "aggregation")
    periods = expected_periods(year, consolidation)
    target = as_number(yearly_target)
    if target is None:
        raise PlanningRuleError("Target tahunan harus berupa angka.", "target", code="TARGET_INVALID")
    usable = {period: as_number(values.get(period)) for period in periods}
    filled = tuple(period for period in periods if usable[period] is not None)
    path = [usable[period] for period in filled]
    running = _aggregate(rule, path) if path else None
    complete = len(filled) == len(periods)
    return TrajectorySummary(
        aggregation=rule,
        periods=periods,
        filled=filled,
        running=running,
        target=target,
        gap=None if running is None else target - running,
        complete=complete,
        matches_target=complete and _close(running, target, tolerance),
    )


def aggregate(rule: Aggregation | str, path: list[float]) -> float | None:
    """Combine consecutive period values by an aggregation rule (sum, average, latest); None when empty."""
    return _aggregate(require(Aggregation, rule, "aggregation"), list(path)) if path else None


def _aggregate(rule: Aggregation, path: list[float]) -> float:
    if rule is Aggregation.JUMLAH:
        return math.fsum(path)
    if rule is Aggregation.RATA_RATA:
        return math.fsum(path) / len(path)
    return path[-1]  # KUMULATIF, NILAI_AKHIR


def _monotonic_breaks(periods: tuple[str, ...], path: list[float], direction: Polarity,
                      tolerance: float) -> list[Problem]:
    """List each period where a cumulative path turns the wrong way."""
    falling = direction is Polarity.MIN
    problems = []
    for index in range(1, len(path)):
        before, now = path[index - 1], path[index]
        wrong = now > before + tolerance if falling else now < before - tolerance
        if wrong:
            expect = "tidak boleh naik (polaritas minimal)" if falling else "tidak boleh turun"
            problems.append(Problem(
                "PATH_NOT_MONOTONIC",
                f"Target kumulatif {periods[index]} ({format_number(now)}) {expect} dari periode "
                f"{periods[index - 1]} ({format_number(before)}).",
                f"trajectory[{periods[index]}]",
            ))
    return problems


def _close(a: float, b: float, tolerance: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=tolerance)


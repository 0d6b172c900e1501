"""Working time for planning: working days, cuti, whether an SKP is due, the February sync.

A working day is Monday to Friday and not in ``holidays`` (the national holidays and cuti
bersama the caller loads; nothing is hard-coded here, not even 1 January). Every date range
is inclusive at both ends. Decisions the decree leaves open: ``docs/planning-rules.md`` §5, §8.
"""

from collections.abc import Collection, Iterable, Sequence
from datetime import date, timedelta

from kinerja.rules.planning import PlanningRuleError

ONE_DAY = timedelta(days=1)
SYNC_DAY = (2, 6)  # 6 February: approved SKP are synchronised into the visum module

Leave = tuple[date, date]

# The dates the application reads at all: far wider than any plan or visum, narrow enough that a
# week, a year or a range around any of them stays inside what ``datetime.date`` can hold.
FIRST_SUPPORTED_DATE = date(1900, 1, 1)
LAST_SUPPORTED_DATE = date(9998, 12, 31)
DATE_OUT_OF_RANGE = "Tanggal di luar rentang yang didukung (tahun 1900 sampai 9998)."


def is_supported_date(day: date) -> bool:
    """Tell whether ``day`` lies in the range the application reads (years 1900 to 9998)."""
    return FIRST_SUPPORTED_DATE <= day <= LAST_SUPPORTED_DATE


def is_working_day(day: date, holidays: Collection[date] = ()) -> bool:
    """Tell whether ``day`` is Monday to Friday and not a holiday."""
    return day.weekday() < 5 and day not in holidays


def working_days(start: date, end: date, holidays: Collection[date] = ()) -> int:
    """Count the working days from ``start`` to ``end``, both included.

    :raise PlanningRuleError: ``DATES_REVERSED`` when ``end`` is before ``start``.
    """
    _ordered(start, end, "end")
    holidays = frozenset(holidays)
    weeks, rest = divmod((end - start).days + 1, 7)
    count = weeks * 5 + sum(1 for offset in range(rest) if (start.weekday() + offset) % 7 < 5)
    return count - sum(1 for day in holidays if start <= day <= end and day.weekday() < 5)


def first_working_day(year: int, holidays: Collection[date] = ()) -> date:
    """Return the first working day of January of ``year`` (pass 1 January in ``holidays``)."""
    day = date(year, 1, 1)
    while not is_working_day(day, holidays):
        day += ONE_DAY
    return day


def effective_fraction(period_start: date, period_end: date, leaves: Iterable[Leave],
                       holidays: Collection[date] = ()) -> float:
    """Return the share of the period's working days not spent on cuti, in [0, 1].

    Overlapping cuti count once; cuti outside the period are ignored. A period without any
    working day gives 0.0 (there is no working time to plan).

    :raise PlanningRuleError: ``DATES_REVERSED`` for a reversed period or cuti.
    """
    _ordered(period_start, period_end, "period_end")
    holidays = frozenset(holidays)
    total = working_days(period_start, period_end, holidays)
    if total == 0:
        return 0.0
    away: set[date] = set()
    for index, (start, end) in enumerate(leaves):
        _ordered(start, end, f"leaves[{index}]")
        day, last = max(start, period_start), min(end, period_end)
        while day <= last:
            if is_working_day(day, holidays):
                away.add(day)
            day += ONE_DAY
    return (total - len(away)) / total


def merge_leaves(leaves: Iterable[Leave], holidays: Collection[date] = ()) -> list[Leave]:
    """Join cuti that overlap or follow each other with no working day between them.

    :raise PlanningRuleError: ``DATES_REVERSED`` for a reversed cuti.
    """
    spans = []
    for index, (start, end) in enumerate(leaves):
        _ordered(start, end, f"leaves[{index}]")
        spans.append((start, end))
    spans.sort()
    merged: list[Leave] = []
    for start, end in spans:
        if merged:
            last_start, last_end = merged[-1]
            touching = start <= last_end + ONE_DAY or working_days(last_end + ONE_DAY, start - ONE_DAY, holidays) == 0
            if touching:
                merged[-1] = (last_start, max(last_end, end))
                continue
        merged.append((start, end))
    return merged


def is_long_leave(start: date, end: date) -> bool:
    """Tell whether a continuous cuti lasts a year or more (e.g. 1 March 2026 to 28 February 2027)."""
    _ordered(start, end, "end")
    return end >= _anniversary(start) - ONE_DAY


def skp_period(leaves: Iterable[Leave], year: int, holidays: Collection[date] = ()) -> Leave | None:
    """Return the part of ``year`` an SKP must cover around cuti of a year or more, or None.

    "No SKP until the employee is back": a continuous cuti (after ``merge_leaves``) of at least a
    year removes its days from the SKP of every year it touches. Such a cuti can only cover the
    start or the end of a calendar year (or all of it), so what remains is one range, returned
    whole (it may begin on a weekend). None when that range has no working day. Shorter cuti do
    not shorten the period: they scale targets through ``effective_fraction``.
    """
    holidays = frozenset(holidays)
    first, last = date(year, 1, 1), date(year, 12, 31)
    for start, end in merge_leaves(leaves, holidays):
        if end < first or start > last or not is_long_leave(start, end):
            continue
        if start <= first:
            first = max(first, end + ONE_DAY)
        if end >= last:
            last = min(last, start - ONE_DAY)
    if first > last or working_days(first, last, holidays) == 0:
        return None
    return first, last


def needs_skp(leaves: Iterable[Leave], year: int, holidays: Collection[date] = ()) -> bool:
    """Tell whether an SKP is due in ``year``: False while a cuti of a year or more covers it all."""
    return skp_period(leaves, year, holidays) is not None


def days_until_sync(today: date, year: int, sync_day: Sequence[int] = SYNC_DAY) -> int:
    """Return the days from ``today`` to the SKP synchronisation of ``year`` (0 on the day, negative after)."""
    month, day = sync_day
    return (date(year, month, day) - today).days


def _anniversary(start: date) -> date:
    """Return the same day a year later; 29 February goes to 1 March."""
    try:
        return start.replace(year=start.year + 1)
    except ValueError:
        return date(start.year + 1, 3, 1)


def _ordered(start: date, end: date, field: str) -> None:
    if end < start:
        raise PlanningRuleError(f"Tanggal akhir ({end.isoformat()}) sebelum tanggal mulai ({start.isoformat()}).",
                                field, code="DATES_REVERSED")

"""Working time for planning (kinerja.rules.calendar) on concrete calendars.

2026 begins on a Thursday: 365 days are 52 weeks and a Thursday, so 261 weekdays.
"""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.calendar import (
    days_until_sync,
    effective_fraction,
    first_working_day,
    is_long_leave,
    is_working_day,
    merge_leaves,
    needs_skp,
    skp_period,
    working_days,
)
from kinerja.rules.planning import PlanningRuleError
from kinerja.rules.skp import scale_target

D = date.fromisoformat

# A sample of 2026 national holidays (illustrative, not the official SKB list): 17 dates,
# of which 21 March, 5 April and 31 May fall on a weekend, so 14 are working days lost.
HOLIDAYS_2026 = frozenset(D(d) for d in [
    "2026-01-01", "2026-01-16", "2026-02-17", "2026-03-19", "2026-03-20", "2026-03-21", "2026-04-03",
    "2026-04-05", "2026-05-01", "2026-05-14", "2026-05-27", "2026-05-31", "2026-06-01", "2026-06-16",
    "2026-08-17", "2026-08-25", "2026-12-25",
])
YEAR_START, YEAR_END = D("2026-01-01"), D("2026-12-31")


# --- working days -------------------------------------------------------------------------------

@pytest.mark.parametrize(("start", "end", "holidays", "expected"), [
    ("2026-01-01", "2026-12-31", (), 261),
    ("2026-01-01", "2026-12-31", HOLIDAYS_2026, 247),
    ("2026-01-01", "2026-01-31", (), 22),
    ("2026-01-01", "2026-01-31", HOLIDAYS_2026, 20),
    ("2026-02-01", "2026-02-28", (), 20),
    ("2026-02-01", "2026-02-28", HOLIDAYS_2026, 19),
    ("2026-03-02", "2026-03-13", HOLIDAYS_2026, 10),  # two full weeks
    ("2026-03-16", "2026-03-27", HOLIDAYS_2026, 8),  # Nyepi and Idul Fitri inside
    ("2026-04-01", "2026-06-30", (), 65),  # 22 + 21 + 22
    ("2026-01-05", "2026-01-05", (), 1),  # a Monday
    ("2026-01-03", "2026-01-04", (), 0),  # a weekend
    ("2026-03-21", "2026-03-22", HOLIDAYS_2026, 0),  # a holiday on Saturday counts once, as a weekend
    ("2028-01-01", "2028-12-31", (), 260),  # a leap year beginning on Saturday
])
def test_working_days(start, end, holidays, expected):
    assert working_days(D(start), D(end), holidays) == expected


def test_working_days_refuses_a_reversed_range():
    with pytest.raises(PlanningRuleError) as caught:
        working_days(D("2026-02-02"), D("2026-02-01"))
    assert caught.value.code == "DATES_REVERSED"


@given(st.dates(min_value=D("2020-01-01"), max_value=D("2030-12-31")), st.integers(0, 800),
       st.sets(st.dates(min_value=D("2020-01-01"), max_value=D("2030-12-31")), max_size=30))
def test_working_days_agrees_with_counting_day_by_day(start, length, holidays):
    end = start + timedelta(days=length)
    counted = sum(1 for i in range(length + 1) if is_working_day(start + timedelta(days=i), holidays))
    assert working_days(start, end, holidays) == counted


def test_is_working_day():
    assert is_working_day(D("2026-01-02"))
    assert not is_working_day(D("2026-01-03"))
    assert not is_working_day(D("2026-01-01"), HOLIDAYS_2026)


@pytest.mark.parametrize(("year", "holidays", "expected"), [
    (2026, (), "2026-01-01"),
    (2026, HOLIDAYS_2026, "2026-01-02"),
    (2028, (D("2028-01-01"),), "2028-01-03"),
    (2027, (D("2027-01-01"),), "2027-01-04"),  # 1 January 2027 is a Friday
])
def test_first_working_day(year, holidays, expected):
    assert first_working_day(year, holidays) == D(expected)


# --- effective working time under cuti ----------------------------------------------------------

def test_no_cuti_is_full_time():
    assert effective_fraction(YEAR_START, YEAR_END, []) == 1.0


def test_two_weeks_of_cuti_in_2026():
    assert effective_fraction(YEAR_START, YEAR_END, [(D("2026-03-02"), D("2026-03-13"))]) == 251 / 261
    assert effective_fraction(YEAR_START, YEAR_END, [(D("2026-03-02"), D("2026-03-13"))], HOLIDAYS_2026) \
        == 237 / 247


def test_holidays_inside_a_cuti_are_not_counted_as_cuti():
    fraction = effective_fraction(YEAR_START, YEAR_END, [(D("2026-03-16"), D("2026-03-27"))], HOLIDAYS_2026)
    assert fraction == 239 / 247


def test_three_months_maternity_leave_scales_a_quantity_target():
    fraction = effective_fraction(YEAR_START, YEAR_END, [(D("2026-04-01"), D("2026-06-30"))])
    assert fraction == 196 / 261
    assert scale_target(12, fraction, "KUANTITAS") == 9.01
    assert scale_target(95, fraction, "KUALITAS") == 95


def test_overlapping_cuti_count_once_and_outside_cuti_are_ignored():
    leaves = [(D("2026-03-02"), D("2026-03-13")), (D("2026-03-09"), D("2026-03-20")),
              (D("2025-06-01"), D("2025-06-30"))]
    assert effective_fraction(YEAR_START, YEAR_END, leaves) == (261 - 15) / 261


def test_cuti_across_the_period_edge_is_clipped():
    leaves = [(D("2025-12-15"), D("2026-01-09"))]  # 2026 part: 1-2 and 5-9 January
    assert effective_fraction(YEAR_START, YEAR_END, leaves) == 254 / 261
    assert effective_fraction(D("2026-01-01"), D("2026-01-31"), leaves) == 15 / 22


def test_cuti_covering_the_whole_period_leaves_nothing():
    assert effective_fraction(D("2026-02-01"), D("2026-02-28"), [(D("2026-01-01"), D("2026-03-31"))]) == 0.0


def test_a_period_without_working_days_has_no_effective_time():
    assert effective_fraction(D("2026-01-03"), D("2026-01-04"), []) == 0.0


def test_reversed_dates_are_refused():
    with pytest.raises(PlanningRuleError) as caught:
        effective_fraction(YEAR_START, YEAR_END, [(D("2026-03-13"), D("2026-03-02"))])
    assert (caught.value.code, caught.value.field) == ("DATES_REVERSED", "leaves[0]")
    with pytest.raises(PlanningRuleError):
        effective_fraction(YEAR_END, YEAR_START, [])


@given(st.lists(st.tuples(st.dates(min_value=D("2025-10-01"), max_value=D("2027-03-31")),
                          st.integers(0, 120)), max_size=6))
def test_effective_fraction_stays_between_0_and_1_and_more_cuti_never_adds_time(raw):
    leaves = [(start, start + timedelta(days=days)) for start, days in raw]
    fraction = effective_fraction(YEAR_START, YEAR_END, leaves, HOLIDAYS_2026)
    assert 0.0 <= fraction <= 1.0
    if leaves:
        assert fraction <= effective_fraction(YEAR_START, YEAR_END, leaves[:-1], HOLIDAYS_2026)


# --- cuti of a year or more ---------------------------------------------------------------------

@pytest.mark.parametrize(("start", "end", "expected"), [
    ("2026-03-01", "2027-02-28", True),  # exactly a year
    ("2026-03-01", "2027-02-27", False),  # a day short
    ("2026-01-01", "2026-12-31", True),
    ("2028-01-01", "2028-12-30", False),  # leap year: 365 days are not a year
    ("2028-01-01", "2028-12-31", True),
    ("2028-02-29", "2029-02-28", True),  # from 29 February, the year ends 28 February
    ("2028-02-29", "2029-02-27", False),
    ("2025-07-01", "2028-06-30", True),  # three years of CLTN
])
def test_is_long_leave(start, end, expected):
    assert is_long_leave(D(start), D(end)) is expected


def test_merge_leaves_joins_overlaps_and_weekend_gaps_only():
    leaves = [
        (D("2026-06-29"), D("2026-07-10")),  # starts Monday after the first ends Friday
        (D("2026-01-05"), D("2026-06-26")),
        (D("2026-07-08"), D("2026-07-15")),  # overlaps the second
        (D("2026-07-17"), D("2026-07-20")),  # a working day (Thursday 16) between: separate
    ]
    assert merge_leaves(leaves) == [(D("2026-01-05"), D("2026-07-15")), (D("2026-07-17"), D("2026-07-20"))]


def test_merge_leaves_bridges_holidays():
    leaves = [(D("2026-03-02"), D("2026-03-18")), (D("2026-03-23"), D("2026-03-31"))]
    assert len(merge_leaves(leaves)) == 2
    assert merge_leaves(leaves, HOLIDAYS_2026) == [(D("2026-03-02"), D("2026-03-31"))]  # 19-20 holidays, 21-22 weekend


CLTN = [(D("2025-07-01"), D("2027-06-30"))]


@pytest.mark.parametrize(("year", "expected"), [
    (2025, ("2025-01-01", "2025-06-30")),  # worked until the cuti began
    (2026, None),  # the whole year on cuti: no SKP
    (2027, ("2027-07-01", "2027-12-31")),  # back on 1 July: SKP from then
    (2028, ("2028-01-01", "2028-12-31")),
])
def test_skp_period_around_a_two_year_cltn(year, expected):
    period = skp_period(CLTN, year)
    assert period == (None if expected is None else (D(expected[0]), D(expected[1])))
    assert needs_skp(CLTN, year) is (expected is not None)


def test_short_cuti_do_not_shorten_the_skp_period():
    leaves = [(D("2026-04-01"), D("2026-06-30")), (D("2026-09-01"), D("2027-08-30"))]  # the second a day short
    assert skp_period(leaves, 2026) == (YEAR_START, YEAR_END)
    assert needs_skp(leaves, 2026)


def test_adjacent_cuti_adding_up_to_a_year_count_as_one():
    leaves = [(D("2025-12-01"), D("2026-05-29")), (D("2026-06-01"), D("2026-12-31"))]  # Friday, then Monday
    assert needs_skp(leaves, 2026) is False
    assert skp_period(leaves, 2025) == (D("2025-01-01"), D("2025-11-30"))


def test_a_year_of_cuti_inside_the_calendar_year_removes_it_all():
    assert needs_skp([(YEAR_START, YEAR_END)], 2026) is False


def test_only_holidays_left_means_no_skp():
    leaves = [(D("2026-01-02"), D("2027-01-01"))]
    assert skp_period(leaves, 2026) == (D("2026-01-01"), D("2026-01-01"))  # a working Thursday
    assert needs_skp(leaves, 2026) is True
    assert needs_skp(leaves, 2026, HOLIDAYS_2026) is False  # 1 January is a holiday


def test_back_on_new_years_eve_needs_an_skp_for_one_day():
    leaves = [(D("2025-12-15"), D("2026-12-30"))]
    assert skp_period(leaves, 2026) == (YEAR_END, YEAR_END)


def test_two_long_cuti_leave_the_middle_of_the_year():
    leaves = [(D("2025-03-01"), D("2026-03-31")), (D("2026-10-01"), D("2027-10-31"))]
    assert skp_period(leaves, 2026) == (D("2026-04-01"), D("2026-09-30"))


def test_no_cuti_needs_a_full_skp():
    assert skp_period([], 2026) == (YEAR_START, YEAR_END)


# --- the 6 February synchronisation -------------------------------------------------------------

@pytest.mark.parametrize(("today", "expected"), [
    ("2026-01-01", 36), ("2026-02-05", 1), ("2026-02-06", 0), ("2026-02-07", -1), ("2026-12-31", -328),
    ("2025-12-31", 37),
])
def test_days_until_sync(today, expected):
    assert days_until_sync(D(today), 2026) == expected


def test_days_until_a_configured_sync_day():
    assert days_until_sync(D("2026-02-06"), 2026, sync_day=(2, 10)) == 4
    assert days_until_sync(D("2028-02-28"), 2028, sync_day=(3, 1)) == 2  # over 29 February

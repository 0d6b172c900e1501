"""Capaian, yearly capaian, NKO and "behind target" (kinerja.rules.capaian): hand-computed values."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.capaian import (
    DEFAULT_CAP,
    capaian,
    is_behind,
    latest_measured,
    monthly_progress,
    months_of,
    nko,
    parse_period,
    to_date,
    yearly_capaian,
    yearly_realisation,
)
from kinerja.rules.planning import PlanningRuleError

YEAR = 2026


# --- capaian by polarity ----------------------------------------------------------------------

@pytest.mark.parametrize(("r", "t", "expected"), [
    (80, 100, 80.0), (100, 100, 100.0), (110, 100, 110.0), (150, 100, 120.0), (0, 100, 0.0), (3, 4, 75.0),
])
def test_max_is_r_over_t(r, t, expected):
    assert capaian(r, t, "MAX") == pytest.approx(expected)


@pytest.mark.parametrize(("r", "t", "expected"), [
    (80, 100, 120.0),  # (2 - 0.8) * 100 = 120: at the cap exactly
    (90, 100, 110.0), (100, 100, 100.0), (150, 100, 50.0), (200, 100, 0.0), (250, 100, 0.0),  # floored
    (0, 100, 120.0),  # 200 capped
    (5, 4, 75.0),
])
def test_min_is_two_minus_r_over_t(r, t, expected):
    assert capaian(r, t, "MIN") == pytest.approx(expected)


@pytest.mark.parametrize(("r", "t", "expected"), [
    (100, 100, 100.0), (90, 100, 90.0), (110, 100, 90.0), (50, 100, 50.0), (250, 100, 0.0), (0, 100, 0.0),
    (3, 4, 75.0), (5, 4, 75.0),
])
def test_stabil_loses_the_relative_distance(r, t, expected):
    assert capaian(r, t, "STABIL") == pytest.approx(expected)


def test_cap_is_a_parameter():
    assert capaian(150, 100, "MAX", cap=100) == 100.0
    assert capaian(150, 100, "MAX", cap=200) == pytest.approx(150.0)
    assert capaian(130, 100, "MAX") == DEFAULT_CAP == 120.0
    with pytest.raises(PlanningRuleError):
        capaian(1, 1, "MAX", cap=0)
    with pytest.raises(PlanningRuleError):
        capaian(1, 1, "MAX", cap="120")


@pytest.mark.parametrize(("polarity", "r", "expected"), [
    ("MAX", 0, 100.0), ("MAX", 3, 120.0),
    ("MIN", 0, 100.0), ("MIN", 3, 0.0),
    ("STABIL", 0, 100.0), ("STABIL", 3, 0.0),
])
def test_zero_target_takes_the_limit(polarity, r, expected):
    assert capaian(r, 0, polarity) == expected


def test_zero_target_max_follows_the_cap():
    assert capaian(5, 0, "MAX", cap=150) == 150.0


@pytest.mark.parametrize(("r", "t", "polarity"), [(-1, 10, "MAX"), (1, -10, "MIN"), ("5", 10, "MAX"),
                                                  (1, None, "MAX"), (1, 1, "HIGHER"), (math.nan, 1, "MAX"),
                                                  (True, 1, "MAX")])
def test_bad_input_is_refused(r, t, polarity):
    with pytest.raises(PlanningRuleError):
        capaian(r, t, polarity)


@given(r=st.floats(0, 1e6), t=st.floats(0, 1e6), polarity=st.sampled_from(["MAX", "MIN", "STABIL"]),
       cap=st.floats(1, 500))
def test_capaian_stays_between_floor_and_cap(r, t, polarity, cap):
    assert 0.0 <= capaian(r, t, polarity, cap=cap) <= cap


@given(t=st.floats(0.001, 1e6), polarity=st.sampled_from(["MAX", "MIN", "STABIL"]))
def test_realisation_on_target_is_100(t, polarity):
    assert capaian(t, t, polarity) == pytest.approx(100.0)


@given(t=st.floats(0.01, 1e4), a=st.floats(0, 1e4), b=st.floats(0, 1e4))
def test_max_rises_and_min_falls_with_the_realisation(t, a, b):
    low, high = sorted((a, b))
    assert capaian(low, t, "MAX") <= capaian(high, t, "MAX")
    assert capaian(low, t, "MIN") >= capaian(high, t, "MIN")


@given(t=st.floats(1, 1e4), d=st.floats(0, 1))
def test_stabil_is_symmetric_around_the_target(t, d):
    assert capaian(t - d * t, t, "STABIL") == pytest.approx(capaian(t + d * t, t, "STABIL"))


# --- periods and the yearly rule ----------------------------------------------------------------

def test_parse_period():
    assert parse_period("2026-03") == (2026, 3)
    assert parse_period("2026") == (2026, None)
    for bad in ("2026-13", "2026-1", "26", "2026-00", "", None, 2026, "2026-03-01"):
        assert parse_period(bad) is None, bad


def test_yearly_realisation_prefers_the_yearly_period():
    values = {"2026-03": 40.0, "2026-06": 55.0, "2026": 70.0}
    assert yearly_realisation(values, YEAR) == 70.0


def test_yearly_realisation_else_takes_the_latest_month():
    assert yearly_realisation({"2026-03": 40.0, "2026-06": 55.0, "2026-02": 90.0}, YEAR) == 55.0
    assert yearly_realisation({"2025-12": 9.0, "2025": 9.0}, YEAR) is None  # another year counts not
    assert yearly_realisation({}, YEAR) is None


def test_yearly_capaian():
    assert yearly_capaian({"2026-03": 40.0, "2026-06": 55.0}, 100, "MAX", YEAR) == pytest.approx(55.0)
    assert yearly_capaian({"2026-06": 55.0, "2026": 90.0}, 100, "MIN", YEAR) == pytest.approx(110.0)
    assert yearly_capaian({}, 100, "MAX", YEAR) is None


# --- NKO ----------------------------------------------------------------------------------------

def test_nko_weights_the_capaian():
    # (60 × 80 + 40 × 110) / 100 = (4800 + 4400) / 100 = 92
    assert nko([(60, 80.0), (40, 110.0)]) == pytest.approx(92.0)
    # weights need not add up to 100: (1 × 100 + 3 × 60) / 4 = 70
    assert nko([(1, 100.0), (3, 60.0)]) == pytest.approx(70.0)
    assert nko([(25, 120.0)]) == pytest.approx(120.0)


def test_nko_without_weight_is_none_and_bad_weights_are_refused():
    assert nko([]) is None
    assert nko([(0, 90.0)]) is None
    with pytest.raises(PlanningRuleError):
        nko([(-5, 90.0)])
    with pytest.raises(PlanningRuleError):
        nko([(5, None)])


@given(st.lists(st.tuples(st.floats(0.01, 100), st.floats(0, 120)), min_size=1, max_size=12))
def test_nko_lies_between_the_lowest_and_highest_capaian(items):
    values = [c for _, c in items]
    assert min(values) - 1e-6 <= nko(items) <= max(values) + 1e-6


# --- behind target ------------------------------------------------------------------------------

def test_to_date_follows_the_aggregation():
    values = {"2026-01": 10.0, "2026-02": 30.0, "2026-04": 20.0}
    assert to_date("KUMULATIF", values, "2026-03") == 30.0
    assert to_date("NILAI_AKHIR", values, "2026-04") == 20.0
    assert to_date("JUMLAH", values, "2026-04") == 60.0
    assert to_date("RATA_RATA", values, "2026-02") == 20.0
    assert to_date("JUMLAH", values, "2025-12") is None
    with pytest.raises(PlanningRuleError):
        to_date("JUMLAH", values, "2026")


@pytest.mark.parametrize(("polarity", "r", "t", "behind"), [
    ("MAX", 9.99, 10, True), ("MAX", 10, 10, False), ("MAX", 9.996, 10, False), ("MAX", 11, 10, False),
    ("MIN", 11, 10, True), ("MIN", 10, 10, False), ("MIN", 8, 10, False),
    ("STABIL", 11, 10, True), ("STABIL", 9, 10, True), ("STABIL", 10.001, 10, False),
    ("MAX", 0, 0, False), ("MIN", 1, 0, True),
])
def test_is_behind(polarity, r, t, behind):
    assert is_behind(polarity, r, t) is behind


def _monthly(target=120.0):
    return {p: target * (i + 1) / 12 for i, p in enumerate(months_of(YEAR))}  # 10, 20, ... 120


def test_cumulative_month_compares_running_totals():
    rows = monthly_progress(YEAR, "KUMULATIF", "MAX", _monthly(), {"2026-01": 12.0, "2026-03": 25.0})
    jan, feb, mar = rows[0], rows[1], rows[2]
    assert (jan.target, jan.realisation, jan.capaian, jan.behind) == (10.0, 12.0, pytest.approx(120.0), False)
    assert (feb.realisation, feb.realisation_to_date, feb.behind, feb.capaian) == (None, 12.0, None, None)
    assert (mar.target, mar.realisation_to_date, mar.behind) == (30.0, 25.0, True)
    assert mar.capaian == pytest.approx(25 / 30 * 100)
    assert latest_measured(rows) is mar


def test_sum_month_adds_realisations_against_a_quarterly_path():
    trajectory = {"2026-03": 30.0, "2026-06": 30.0, "2026-09": 30.0, "2026-12": 30.0}  # JUMLAH: 120 a year
    realisations = {"2026-01": 10.0, "2026-02": 10.0, "2026-03": 5.0, "2026-04": 20.0}
    rows = {r.period: r for r in monthly_progress(YEAR, "JUMLAH", "MAX", trajectory, realisations)}
    assert rows["2026-01"].target is None and rows["2026-01"].behind is None  # no target yet
    assert (rows["2026-03"].target, rows["2026-03"].realisation_to_date, rows["2026-03"].behind) == (30.0, 25.0, True)
    assert (rows["2026-04"].target, rows["2026-04"].realisation_to_date, rows["2026-04"].behind) == (30.0, 45.0, False)
    assert rows["2026-04"].capaian == pytest.approx(120.0)  # 150 capped


def test_min_polarity_is_behind_above_the_path():
    trajectory = {p: 100.0 - 5 * i for i, p in enumerate(months_of(YEAR))}  # 100, 95, ... falling
    rows = monthly_progress(YEAR, "NILAI_AKHIR", "MIN", trajectory, {"2026-02": 97.0, "2026-03": 88.0})
    assert rows[1].behind is True and rows[1].capaian == pytest.approx((2 - 97 / 95) * 100)
    assert rows[2].behind is False


def test_yearly_and_other_year_realisations_do_not_enter_the_months():
    rows = monthly_progress(YEAR, "KUMULATIF", "MAX", _monthly(), {"2026": 50.0, "2025-12": 1.0})
    assert all(r.realisation is None and r.behind is None for r in rows)
    assert latest_measured(rows) is None


def test_period_labels_and_open_periods():
    from datetime import date

    from kinerja.rules.capaian import open_periods, period_label

    assert period_label("2026-03") == "Maret 2026"
    assert period_label("2026") == "Tahun 2026"
    assert open_periods(YEAR, date(2026, 3, 31)) == ["2026-01", "2026-02", "2026-03", "2026"]
    assert open_periods(YEAR, date(2027, 1, 1))[-2:] == ["2026-12", "2026"]
    assert open_periods(YEAR, date(2025, 12, 31)) == []
    assert open_periods(YEAR, date(2026, 9, 1), months=["2026-07", "2026-08", "2026-09", "2026-10"]) == [
        "2026-07", "2026-08", "2026-09", "2026"]

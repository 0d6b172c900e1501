"""Trajectory targets (kinerja.rules.trajectory): periods, values, and reaching the yearly target."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kinerja.rules.planning import Aggregation, Consolidation, PlanningRuleError, Polarity
from kinerja.rules.trajectory import (
    TOLERANCE,
    check_trajectory,
    expected_periods,
    period_key,
    trajectory_summary,
)

YEAR = 2026
MONTHS = {
    Consolidation.MONTHLY: ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"],
    Consolidation.QUARTERLY: ["03", "06", "09", "12"],
    Consolidation.SEMESTER: ["06", "12"],
    Consolidation.YEARLY: ["12"],
}


def codes(problems):
    return [p.code for p in problems]


@pytest.mark.parametrize("consolidation", list(Consolidation))
def test_expected_periods(consolidation):
    assert expected_periods(YEAR, consolidation) == tuple(f"2026-{m}" for m in MONTHS[consolidation])
    assert expected_periods(YEAR, consolidation.value) == expected_periods(YEAR, consolidation)


def test_expected_periods_refuses_unknown_consolidation():
    with pytest.raises(PlanningRuleError) as caught:
        expected_periods(YEAR, "WEEKLY")
    assert (caught.value.code, caught.value.field) == ("UNKNOWN_VALUE", "consolidation")


def test_period_key():
    assert period_key(2026, 3) == "2026-03"
    assert period_key(2026, 12) == "2026-12"


# --- every consolidation x aggregation x polarity ------------------------------------------------

TARGET = 60.0


def valid_path(n: int, aggregation: Aggregation, polarity: Polarity) -> list[float]:
    """A trajectory of n periods that reaches TARGET under the rule, written out by hand."""
    if aggregation is Aggregation.KUMULATIF:
        if polarity is Polarity.MIN:  # from above, never rising: ..., 62, 61, 60
            return [TARGET + (n - 1 - i) for i in range(n)]
        return [TARGET * (i + 1) / n for i in range(n)]  # 5, 10, ..., 60
    if aggregation is Aggregation.JUMLAH:
        return [TARGET / n] * n
    if aggregation is Aggregation.RATA_RATA:  # around the target: 50, 70, 50, 70 ... averages 60
        return [TARGET + (10 if i % 2 else -10) for i in range(n)] if n % 2 == 0 else [TARGET] * n
    return [TARGET + (7 if i % 2 else -7) for i in range(n - 1)] + [TARGET]  # NILAI_AKHIR: any path


COMBOS = [
    pytest.param(c, a, p, id=f"{c}-{a}-{p}") for c in Consolidation for a in Aggregation for p in Polarity
]


def as_values(consolidation, path):
    return dict(zip(expected_periods(YEAR, consolidation), path, strict=True))


@pytest.mark.parametrize(("consolidation", "aggregation", "polarity"), COMBOS)
def test_a_trajectory_that_reaches_the_target_passes(consolidation, aggregation, polarity):
    path = valid_path(len(MONTHS[consolidation]), aggregation, polarity)
    assert check_trajectory(YEAR, consolidation, aggregation, polarity, TARGET, as_values(consolidation, path)) == []
    summary = trajectory_summary(YEAR, consolidation, aggregation, TARGET, as_values(consolidation, path))
    assert summary.complete and summary.matches_target
    assert summary.running == pytest.approx(TARGET)
    assert summary.gap == pytest.approx(0, abs=1e-9)
    assert summary.label.endswith("(sesuai)")


@pytest.mark.parametrize(("consolidation", "aggregation", "polarity"), COMBOS)
def test_a_trajectory_one_off_the_target_is_refused(consolidation, aggregation, polarity):
    path = valid_path(len(MONTHS[consolidation]), aggregation, polarity)
    if aggregation is Aggregation.KUMULATIF and polarity is Polarity.MIN:
        path[-1] -= 1  # still never rising, but ends below the target
    else:
        path[-1] += 1  # still never falling where that matters, but the aggregate is off
    problems = check_trajectory(YEAR, consolidation, aggregation, polarity, TARGET, as_values(consolidation, path))
    assert [(p.code, p.field) for p in problems] == [("TARGET_NOT_REACHED", "trajectory")]
    assert "target tahunan 60" in problems[0].message
    assert not trajectory_summary(YEAR, consolidation, aggregation, TARGET, as_values(consolidation, path)) \
        .matches_target


@pytest.mark.parametrize(("consolidation", "polarity"), [
    pytest.param(c, p, id=f"{c}-{p}") for c in Consolidation if c is not Consolidation.YEARLY for p in Polarity
])
def test_a_cumulative_path_turning_the_wrong_way_is_refused(consolidation, polarity):
    n = len(MONTHS[consolidation])
    path = valid_path(n, Aggregation.KUMULATIF, polarity)
    # first value on the wrong side of the second one; the last still equals the target
    path[0] = path[1] - 1 if polarity is Polarity.MIN else path[1] + 1
    values = as_values(consolidation, path)
    problems = check_trajectory(YEAR, consolidation, "KUMULATIF", polarity, TARGET, values)
    second = f"2026-{MONTHS[consolidation][1]}"
    assert [(p.code, p.field) for p in problems] == [("PATH_NOT_MONOTONIC", f"trajectory[{second}]")]


def test_cumulative_min_path_must_not_rise_but_a_max_one_may():
    values = as_values(Consolidation.QUARTERLY, [20, 18, 16, 14])
    assert check_trajectory(YEAR, "QUARTERLY", "KUMULATIF", "MIN", 14, values) == []
    assert codes(check_trajectory(YEAR, "QUARTERLY", "KUMULATIF", "MAX", 14, values)) == [
        "PATH_NOT_MONOTONIC", "PATH_NOT_MONOTONIC", "PATH_NOT_MONOTONIC"]
    assert codes(check_trajectory(YEAR, "QUARTERLY", "KUMULATIF", "STABIL", 14, values)) == [
        "PATH_NOT_MONOTONIC"] * 3


def test_flat_cumulative_stretches_are_fine_both_ways():
    values = as_values(Consolidation.QUARTERLY, [50, 50, 100, 100])
    assert check_trajectory(YEAR, "QUARTERLY", "KUMULATIF", "MAX", 100, values) == []
    values = as_values(Consolidation.QUARTERLY, [100, 100, 80, 80])
    assert check_trajectory(YEAR, "QUARTERLY", "KUMULATIF", "MIN", 80, values) == []


@pytest.mark.parametrize("aggregation", ["JUMLAH", "RATA_RATA", "NILAI_AKHIR"])
@pytest.mark.parametrize("polarity", list(Polarity))
def test_non_cumulative_rules_have_no_path_requirement(aggregation, polarity):
    path = {"JUMLAH": [40, 10, 30, 20], "RATA_RATA": [40, 10, 30, 20], "NILAI_AKHIR": [90, 10, 60, 25]}[aggregation]
    target = {"JUMLAH": 100, "RATA_RATA": 25, "NILAI_AKHIR": 25}[aggregation]
    assert check_trajectory(YEAR, "QUARTERLY", aggregation, polarity, target,
                            as_values(Consolidation.QUARTERLY, path)) == []


def test_the_target_not_reached_message_names_the_rule():
    values = as_values(Consolidation.SEMESTER, [40, 50])
    messages = {a: check_trajectory(YEAR, "SEMESTER", a, "MAX", 100, values)[0].message for a in Aggregation}
    assert messages["JUMLAH"].startswith("Jumlah target periodik (90)")
    assert messages["RATA_RATA"].startswith("Rata-rata target periodik (45)")
    assert messages["NILAI_AKHIR"].startswith("Target periode terakhir (50)")
    assert messages["KUMULATIF"].startswith("Nilai kumulatif periode terakhir (50)")


# --- tolerance ----------------------------------------------------------------------------------

def test_tolerance_accepts_rounding_at_three_decimals_not_two():
    thirds = {"2026-06": 33.333, "2026-12": 66.667}
    assert check_trajectory(YEAR, "SEMESTER", "JUMLAH", "MAX", 100, thirds) == []
    monthly = as_values(Consolidation.QUARTERLY, [33.333, 33.333, 33.333, 0.0])
    assert check_trajectory(YEAR, "QUARTERLY", "JUMLAH", "MAX", 100, monthly) == []  # 99.999
    monthly = as_values(Consolidation.QUARTERLY, [33.33, 33.33, 33.33, 0.0])
    assert codes(check_trajectory(YEAR, "QUARTERLY", "JUMLAH", "MAX", 100, monthly)) == ["TARGET_NOT_REACHED"]


def test_tolerance_can_be_tightened():
    values = {"2026-12": 100.001}
    assert check_trajectory(YEAR, "YEARLY", "NILAI_AKHIR", "MAX", 100, values) == []
    assert codes(check_trajectory(YEAR, "YEARLY", "NILAI_AKHIR", "MAX", 100, values, tolerance=1e-6)) == [
        "TARGET_NOT_REACHED"]


def test_large_targets_compare_relatively():
    budget = 12_345_678_901.0
    assert check_trajectory(YEAR, "SEMESTER", "JUMLAH", "MAX", budget,
                            {"2026-06": budget / 3, "2026-12": budget * 2 / 3}) == []


# --- periods and values -------------------------------------------------------------------------

def full(consolidation, value=10.0):
    return {p: value for p in expected_periods(YEAR, consolidation)}


def test_missing_periods_are_listed_one_by_one():
    values = full(Consolidation.QUARTERLY)
    del values["2026-06"], values["2026-12"]
    problems = check_trajectory(YEAR, "QUARTERLY", "JUMLAH", "MAX", 40, values)
    assert [(p.code, p.field) for p in problems] == [
        ("PERIOD_MISSING", "trajectory[2026-06]"), ("PERIOD_MISSING", "trajectory[2026-12]")]


def test_an_empty_trajectory_misses_every_period():
    assert codes(check_trajectory(YEAR, "MONTHLY", "JUMLAH", "MAX", 40, {})) == ["PERIOD_MISSING"] * 12


@pytest.mark.parametrize(("consolidation", "extra"), [
    ("QUARTERLY", "2026-01"), ("QUARTERLY", "2026-05"), ("SEMESTER", "2026-03"), ("YEARLY", "2026-06"),
])
def test_months_outside_the_consolidation_are_extra(consolidation, extra):
    values = full(Consolidation(consolidation)) | {extra: 1.0}
    problems = check_trajectory(YEAR, consolidation, "NILAI_AKHIR", "MAX", 10, values)
    assert [(p.code, p.field) for p in problems] == [("PERIOD_EXTRA", f"trajectory[{extra}]")]
    assert "12" in problems[0].message


@pytest.mark.parametrize("key", ["2026-13", "2026-00", "2026-1", "2026/03", "26-03", "2026-03-01", "", " 2026-03"])
def test_malformed_periods_are_invalid(key):
    problems = check_trajectory(YEAR, "YEARLY", "NILAI_AKHIR", "MAX", 10, full(Consolidation.YEARLY) | {key: 1})
    assert [(p.code, p.field) for p in problems] == [("PERIOD_INVALID", f"trajectory[{key}]")]


def test_a_non_string_period_is_invalid():
    problems = check_trajectory(YEAR, "YEARLY", "NILAI_AKHIR", "MAX", 10, full(Consolidation.YEARLY) | {202612: 1})
    assert codes(problems) == ["PERIOD_INVALID"]


def test_periods_of_another_year_are_refused():
    values = {"2025-12": 10.0}
    assert codes(check_trajectory(YEAR, "YEARLY", "NILAI_AKHIR", "MAX", 10, values)) == [
        "PERIOD_OTHER_YEAR", "PERIOD_MISSING"]


@pytest.mark.parametrize(("value", "code"), [
    (-1, "VALUE_NEGATIVE"), (-0.001, "VALUE_NEGATIVE"), ("10", "VALUE_INVALID"), (None, "VALUE_INVALID"),
    (math.nan, "VALUE_INVALID"), (math.inf, "VALUE_INVALID"), (True, "VALUE_INVALID"),
])
def test_bad_values_are_refused_before_the_target_is_checked(value, code):
    values = full(Consolidation.SEMESTER) | {"2026-06": value}
    problems = check_trajectory(YEAR, "SEMESTER", "JUMLAH", "MAX", 999, values)
    assert [(p.code, p.field) for p in problems] == [(code, "trajectory[2026-06]")]


def test_zero_is_a_valid_value_and_target():
    assert check_trajectory(YEAR, "QUARTERLY", "JUMLAH", "MIN", 0, full(Consolidation.QUARTERLY, 0)) == []


@pytest.mark.parametrize(("target", "code"), [(-5, "TARGET_NEGATIVE"), ("100", "TARGET_INVALID"),
                                              (None, "TARGET_INVALID"), (math.nan, "TARGET_INVALID")])
def test_bad_yearly_target(target, code):
    problems = check_trajectory(YEAR, "YEARLY", "NILAI_AKHIR", "MAX", target, {"2026-12": 5})
    assert [(p.code, p.field) for p in problems] == [(code, "target")]


def test_unknown_words_are_all_reported():
    problems = check_trajectory(YEAR, "WEEKLY", "MEDIAN", "UP", 10, {"2026-12": 10})
    assert [(p.code, p.field) for p in problems] == [
        ("UNKNOWN_VALUE", "consolidation"), ("UNKNOWN_VALUE", "aggregation"), ("UNKNOWN_VALUE", "polarity")]


def test_an_unknown_aggregation_still_checks_the_periods():
    problems = check_trajectory(YEAR, "YEARLY", "MEDIAN", "MAX", 10, {"2026-11": 10})
    assert codes(problems) == ["UNKNOWN_VALUE", "PERIOD_EXTRA", "PERIOD_MISSING"]


# --- the live summary ---------------------------------------------------------------------------

def test_summary_of_an_unfinished_sum():
    summary = trajectory_summary(YEAR, "MONTHLY", "JUMLAH", 100, {"2026-01": 10, "2026-02": 15.5})
    assert summary.filled == ("2026-01", "2026-02")
    assert (summary.running, summary.gap, summary.complete, summary.matches_target) == (25.5, 74.5, False, False)
    assert summary.label == "Jumlah: 25,5 dari target 100 (kurang 74,5)"


def test_summary_average_counts_only_filled_periods():
    summary = trajectory_summary(YEAR, "QUARTERLY", "RATA_RATA", 80, {"2026-03": 70, "2026-06": 90, "2026-09": ""})
    assert summary.running == 80
    assert summary.filled == ("2026-03", "2026-06")
    assert not summary.matches_target  # not complete yet
    assert summary.label.endswith("(sesuai)")


@pytest.mark.parametrize("aggregation", ["KUMULATIF", "NILAI_AKHIR"])
def test_summary_latest_value_runs(aggregation):
    summary = trajectory_summary(YEAR, "QUARTERLY", aggregation, 100, {"2026-03": 30, "2026-09": 75})
    assert summary.running == 75
    assert summary.gap == 25


def test_summary_over_the_target():
    summary = trajectory_summary(YEAR, "SEMESTER", "JUMLAH", 100, {"2026-06": 60, "2026-12": 50})
    assert summary.complete and not summary.matches_target
    assert summary.gap == -10
    assert summary.label == "Jumlah: 110 dari target 100 (lebih 10)"


def test_summary_ignores_extra_periods_and_bad_values():
    summary = trajectory_summary(YEAR, "SEMESTER", "JUMLAH", 100, {"2026-01": 99, "2026-06": "x", "bad": 1})
    assert (summary.running, summary.gap, summary.filled) == (None, None, ())
    assert summary.label == "Belum ada target periodik; target tahunan 100."


def test_summary_refuses_unknown_words_and_a_bad_target():
    with pytest.raises(PlanningRuleError):
        trajectory_summary(YEAR, "MONTHLY", "MEDIAN", 100, {})
    with pytest.raises(PlanningRuleError):
        trajectory_summary(YEAR, "WEEKLY", "JUMLAH", 100, {})
    with pytest.raises(PlanningRuleError) as caught:
        trajectory_summary(YEAR, "MONTHLY", "JUMLAH", "seratus", {})
    assert caught.value.code == "TARGET_INVALID"


# --- properties ---------------------------------------------------------------------------------

consolidations = st.sampled_from(list(Consolidation))
polarities = st.sampled_from(list(Polarity))
targets = st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False, allow_subnormal=False)
shares = st.floats(min_value=0, max_value=1000, allow_nan=False, allow_infinity=False, allow_subnormal=False)


@given(consolidations, polarities, targets, st.lists(shares, min_size=12, max_size=12))
def test_any_split_of_the_target_passes_as_a_sum(consolidation, polarity, target, raw):
    n = len(MONTHS[consolidation])
    weights = raw[:n]
    total = math.fsum(weights)
    parts = [target * (w / total) for w in weights] if total > 0 else [target / n] * n
    values = as_values(consolidation, parts)
    assert check_trajectory(YEAR, consolidation, "JUMLAH", polarity, target, values) == []
    summary = trajectory_summary(YEAR, consolidation, "JUMLAH", target, values)
    assert summary.matches_target


@given(consolidations, targets, st.lists(shares, min_size=12, max_size=12))
def test_any_rising_cumulative_path_to_the_target_passes_for_max_and_its_mirror_for_min(consolidation, target, raw):
    n = len(MONTHS[consolidation])
    steps = raw[:n]
    running, path = 0.0, []
    for step in steps:
        running += step
        path.append(running)
    top = path[-1]
    rising = [target * (v / top) for v in path] if top > 0 else [target] * n
    rising[-1] = target
    assert check_trajectory(YEAR, consolidation, "KUMULATIF", "MAX", target, as_values(consolidation, rising)) == []
    falling = [target + (rising[-1] - v) for v in rising]  # mirrored: from above down to the target
    assert check_trajectory(YEAR, consolidation, "KUMULATIF", "MIN", target, as_values(consolidation, falling)) == []


@given(consolidations, st.sampled_from(list(Aggregation)), polarities, targets,
       st.floats(min_value=0.01, max_value=1e6, allow_nan=False))
def test_missing_the_target_by_more_than_the_tolerance_is_always_caught(consolidation, aggregation, polarity,
                                                                        target, miss):
    n = len(MONTHS[consolidation])
    path = [target] * n if aggregation is not Aggregation.JUMLAH else [target / n] * n
    off = miss + TOLERANCE + abs(target) * 1e-6
    if aggregation is Aggregation.RATA_RATA:
        path = [v + off for v in path]
    else:
        path[-1] += off  # KUMULATIF stays monotone for MAX; for MIN it rises, which is caught as well
    problems = check_trajectory(YEAR, consolidation, aggregation, polarity, target, as_values(consolidation, path))
    assert "TARGET_NOT_REACHED" in codes(problems)


@given(st.dictionaries(st.one_of(st.text(max_size=8), st.integers(), st.none()),
                       st.one_of(st.floats(), st.text(max_size=4), st.none(), st.integers(), st.booleans()),
                       max_size=15),
       consolidations, st.sampled_from(list(Aggregation)), polarities,
       st.one_of(st.floats(), st.none(), st.integers()))
def test_checking_never_crashes_on_any_input(values, consolidation, aggregation, polarity, target):
    problems = check_trajectory(YEAR, consolidation, aggregation, polarity, target, values)
    assert all(p.code and p.message for p in problems)
    trajectory_summary(YEAR, consolidation, aggregation, 0, values)  # never raises with a good target

"""Planning words, the problem/error style and the weight rule (kinerja.rules.planning)."""

import math
from decimal import Decimal

import pytest

from kinerja.rules import planning
from kinerja.rules.planning import (
    NotAllowed,
    PlanningRuleError,
    Problem,
    RhkSource,
    WrongState,
    check_weights,
    coerce,
    format_number,
    raise_for,
    require,
    required_text,
)

ENUM_LABELS = [
    (planning.RhkKind, planning.RHK_KIND_LABELS),
    (planning.RhkSource, planning.RHK_SOURCE_LABELS),
    (planning.TaskOrigin, planning.TASK_ORIGIN_LABELS),
    (planning.Aspek, planning.ASPEK_LABELS),
    (planning.Polarity, planning.POLARITY_LABELS),
    (planning.SkpStatus, planning.SKP_STATUS_LABELS),
    (planning.SkpAction, planning.SKP_ACTION_LABELS),
    (planning.Consolidation, planning.CONSOLIDATION_LABELS),
    (planning.Aggregation, planning.AGGREGATION_LABELS),
    (planning.TargetKind, planning.TARGET_KIND_LABELS),
    (planning.DialogMedium, planning.DIALOG_MEDIUM_LABELS),
    (planning.PkAmendmentReason, planning.PK_AMENDMENT_REASON_LABELS),
    (planning.StudyLeaveKind, planning.STUDY_LEAVE_KIND_LABELS),
    (planning.StudyLeavePlan, planning.STUDY_LEAVE_PLAN_LABELS),
    (planning.MidYearChange, planning.MID_YEAR_CHANGE_LABELS),
]


@pytest.mark.parametrize(("enum_cls", "labels"), ENUM_LABELS, ids=lambda x: getattr(x, "__name__", ""))
def test_every_word_is_upper_snake_and_has_a_label(enum_cls, labels):
    for member in enum_cls:
        assert member.value == member.name
        assert member.value.isupper() and " " not in member.value
        assert labels[member].strip()
    assert set(labels) == set(enum_cls)


def test_interface_words_are_spelled_as_in_interfaces_md():
    assert [s.value for s in planning.RhkSource] == [
        "PK", "RENCANA_AKSI", "CASCADING", "TIM_KERJA", "MATRIK_PERAN_HASIL", "JF_SCOPE", "TUGAS_TAMBAHAN"]
    assert [a.value for a in planning.Aspek] == ["KUANTITAS", "KUALITAS", "WAKTU", "BIAYA"]
    assert [p.value for p in planning.Polarity] == ["MAX", "MIN", "STABIL"]
    assert {"DRAFT", "SUBMITTED", "APPROVED", "RETURNED"} <= {s.value for s in planning.SkpStatus}
    assert len(planning.StudyLeaveKind) == 4
    assert len(planning.DialogMedium) == 4
    assert len(planning.PkAmendmentReason) == 2


def test_words_match_the_planning_models_check_constraints():
    """The model module spells the same words as tuples; they must not drift apart."""
    models = pytest.importorskip("kinerja.planning.models")
    pairs = [
        ("POLARITY", planning.Polarity), ("CONSOLIDATION", planning.Consolidation),
        ("AGGREGATION", planning.Aggregation), ("TARGET_KIND", planning.TargetKind),
        ("RHK_KIND", planning.RhkKind), ("RHK_SOURCE", planning.RhkSource), ("ASPEK", planning.Aspek),
        ("DIALOG_MEDIUM", planning.DialogMedium), ("STUDY_LEAVE_KIND", planning.StudyLeaveKind),
        ("AMENDMENT_REASONS", planning.PkAmendmentReason), ("SKP_STATUS", planning.SkpStatus),
    ]
    for name, enum_cls in pairs:
        if hasattr(models, name):
            assert set(getattr(models, name)) == {m.value for m in enum_cls}, name


# --- problems and errors ----------------------------------------------------------------------

def test_error_classes_carry_http_status_and_problem():
    error = PlanningRuleError("Pesan.", "field", code="X")
    assert (error.http_status, error.message, error.field, error.code) == (400, "Pesan.", "field", "X")
    assert error.problems == (Problem("X", "Pesan.", "field"),)
    assert str(error) == "Pesan."
    assert isinstance(error, ValueError)
    assert NotAllowed("a").http_status == 403
    assert WrongState("a").http_status == 409
    assert issubclass(NotAllowed, PlanningRuleError) and issubclass(WrongState, PlanningRuleError)


def test_raise_for_does_nothing_without_problems():
    raise_for([])


def test_raise_for_raises_with_every_problem():
    problems = [Problem("A", "satu", "f1"), Problem("B", "dua", None)]
    with pytest.raises(PlanningRuleError) as caught:
        raise_for(iter(problems))
    assert caught.value.problems == tuple(problems)
    assert (caught.value.code, caught.value.message, caught.value.field) == ("A", "satu", "f1")


def test_coerce_reads_strings_and_members_and_reports_unknown_words():
    assert coerce(RhkSource, "PK", "source") == (RhkSource.PK, [])
    assert coerce(RhkSource, RhkSource.JF_SCOPE, "source") == (RhkSource.JF_SCOPE, [])
    member, problems = coerce(RhkSource, "pk", "source")
    assert member is None
    assert [(p.code, p.field) for p in problems] == [("UNKNOWN_VALUE", "source")]
    assert "TUGAS_TAMBAHAN" in problems[0].message


def test_require_raises_for_unknown_words():
    assert require(RhkSource, "CASCADING", "source") is RhkSource.CASCADING
    with pytest.raises(PlanningRuleError) as caught:
        require(RhkSource, None, "source")
    assert (caught.value.code, caught.value.field, caught.value.http_status) == ("UNKNOWN_VALUE", "source", 400)


@pytest.mark.parametrize(("value", "text"), [
    (100, "100"), (1234567.5, "1.234.567,5"), (0.125, "0,125"), (-3.5, "-3,5"), (2 / 3, "0,6667"), (0, "0"),
])
def test_format_number_writes_indonesian_numbers(value, text):
    assert format_number(value) == text


# --- weights ------------------------------------------------------------------------------------

@pytest.mark.parametrize("weights", [
    [100], [50, 50], [25.5, 24.5, 50], [33.33, 33.33, 33.34], [33.333, 33.333, 33.333], [10] * 10,
    [99.99], [100.01], (40, 60), [Decimal("60.5"), Decimal("39.5")],
])
def test_weights_that_make_100_pass(weights):
    assert check_weights(weights) == []


@pytest.mark.parametrize("weights", [[99.98], [100.02], [50, 49], [60, 60], [33.3, 33.3, 33.3]])
def test_weights_off_100_are_refused_once(weights):
    problems = check_weights(weights)
    assert [(p.code, p.field) for p in problems] == [("WEIGHTS_SUM", "weight")]
    assert "seharusnya 100" in problems[0].message


def test_no_weight_is_a_problem():
    assert [p.code for p in check_weights([])] == ["WEIGHTS_EMPTY"]


@pytest.mark.parametrize(("weights", "bad_index"), [
    ([0, 100], 0), ([110, -10], 1), ([50, 0, 50], 1),
])
def test_each_weight_must_be_positive(weights, bad_index):
    problems = check_weights(weights)
    assert [(p.code, p.field) for p in problems] == [("WEIGHT_NOT_POSITIVE", f"weight[{bad_index}]")]


@pytest.mark.parametrize("bad", [None, "50", math.nan, math.inf, True, [50]])
def test_each_weight_must_be_a_finite_number(bad):
    problems = check_weights([bad, 50], field="bobot")
    assert [(p.code, p.field) for p in problems] == [("WEIGHT_INVALID", "bobot[0]")]


# --- required_text -------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [("  Rapat \n", "Rapat"), ("x" * 10, "x" * 10)])
def test_required_text_returns_the_stripped_text(value, expected):
    assert required_text(value, "activity", "Uraian", 10, "Uraian wajib diisi.", "ACTIVITY_REQUIRED") == expected


@pytest.mark.parametrize(("value", "code", "message"), [
    (None, "ACTIVITY_REQUIRED", "Uraian wajib diisi."), ("   ", "ACTIVITY_REQUIRED", "Uraian wajib diisi."),
    (12, "ACTIVITY_REQUIRED", "Uraian wajib diisi."), ("x" * 11, "TOO_LONG", "Uraian paling panjang 10 karakter."),
])
def test_required_text_refuses_missing_non_text_and_too_long(value, code, message):
    with pytest.raises(PlanningRuleError) as caught:
        required_text(value, "activity", "Uraian", 10, "Uraian wajib diisi.", "ACTIVITY_REQUIRED")
    assert (caught.value.code, caught.value.field, caught.value.message) == (code, "activity", message)

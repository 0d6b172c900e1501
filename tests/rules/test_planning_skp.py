"""SKP rules (kinerja.rules.skp): the decree I.B table, the status flow, cuti, tugas belajar, moves."""

from datetime import date

import pytest

from kinerja.rules.planning import (
    Aspek,
    MidYearChange,
    NotAllowed,
    PlanningRuleError,
    RhkKind,
    RhkSource,
    SkpAction,
    SkpStatus,
    StudyLeaveKind,
    StudyLeavePlan,
    TaskOrigin,
    WrongState,
)
from kinerja.rules.skp import (
    allowed_actions,
    allowed_rhk_sources,
    allowed_task_origins,
    check_rhk,
    check_rhk_source,
    check_task_origin,
    mid_year_change,
    missing_rhk_link,
    rencana_aksi_assigners,
    scale_target,
    study_leave_plan,
    transition,
)
from kinerja.rules.vocabulary import Jenjang

S = RhkSource
T = TaskOrigin
J = Jenjang

# The decree I.B table, row by row, written out independently of the code.
# (row, jenjang, sources of RHK utama, origins of tugas tambahan)
DECREE_ROWS = [
    ("1 Pejabat Tinggi Madya", J.JPT_MADYA, {S.PK, S.RENCANA_AKSI}, {T.LUAR_INSTANSI}),
    ("2 Pejabat Tinggi Pratama", J.JPT_PRATAMA, {S.PK, S.RENCANA_AKSI},
     {T.LUAR_INSTANSI, T.JPT_MADYA_BUKAN_PENILAI}),
    ("3 Pejabat Administrator", J.ADMINISTRATOR, {S.PK, S.RENCANA_AKSI},
     {T.LUAR_INSTANSI, T.JPT_MADYA_BUKAN_PENILAI, T.JPT_PRATAMA_LAIN_BUKAN_PENILAI}),
    ("4 Pejabat Pengawas", J.PENGAWAS, {S.CASCADING, S.TIM_KERJA, S.MATRIK_PERAN_HASIL, S.RENCANA_AKSI},
     {T.LUAR_INSTANSI, T.JPT_PRATAMA_LAIN_BUKAN_PENILAI}),
    ("5 Pejabat Fungsional", J.JF, {S.CASCADING, S.TIM_KERJA, S.MATRIK_PERAN_HASIL, S.RENCANA_AKSI, S.JF_SCOPE},
     {T.LUAR_INSTANSI, T.JPT_MADYA_BUKAN_PENILAI, T.JPT_PRATAMA_LAIN_BUKAN_PENILAI}),
    ("6 Pejabat Pelaksana", J.PELAKSANA, {S.CASCADING, S.TIM_KERJA, S.MATRIK_PERAN_HASIL, S.RENCANA_AKSI},
     {T.LUAR_INSTANSI, T.JPT_MADYA_BUKAN_PENILAI, T.JPT_PRATAMA_LAIN_BUKAN_PENILAI}),
    ("7 PPPK Penyuluh KB", J.PPPK_PENYULUH_KB, {S.PK},
     {T.LUAR_INSTANSI, T.JPT_MADYA_BUKAN_PENILAI, T.JPT_PRATAMA_LAIN_BUKAN_PENILAI}),
    # DOMAIN.md: Kepala Perwakilan as JPT Pratama, JF Utama as JF, PLKB as Pelaksana
    ("DOMAIN Kepala Perwakilan", J.KEPALA_PERWAKILAN, {S.PK, S.RENCANA_AKSI},
     {T.LUAR_INSTANSI, T.JPT_MADYA_BUKAN_PENILAI}),
    ("DOMAIN JF Utama", J.JF_UTAMA, {S.CASCADING, S.TIM_KERJA, S.MATRIK_PERAN_HASIL, S.RENCANA_AKSI, S.JF_SCOPE},
     {T.LUAR_INSTANSI, T.JPT_MADYA_BUKAN_PENILAI, T.JPT_PRATAMA_LAIN_BUKAN_PENILAI}),
    ("DOMAIN PLKB", J.PLKB, {S.CASCADING, S.TIM_KERJA, S.MATRIK_PERAN_HASIL, S.RENCANA_AKSI},
     {T.LUAR_INSTANSI, T.JPT_MADYA_BUKAN_PENILAI, T.JPT_PRATAMA_LAIN_BUKAN_PENILAI}),
]
ROW_IDS = [row[0] for row in DECREE_ROWS]

SOURCE_CASES = [
    pytest.param(jenjang, source, source in utama, id=f"{row}-{source}")
    for row, jenjang, utama, _ in DECREE_ROWS
    for source in RhkSource
]
ORIGIN_CASES = [
    pytest.param(jenjang, origin, origin in origins, id=f"{row}-{origin}")
    for row, jenjang, _, origins in DECREE_ROWS
    for origin in TaskOrigin
]


def test_the_table_covers_every_jenjang_but_kepala():
    assert {row[1] for row in DECREE_ROWS} == set(Jenjang) - {Jenjang.KEPALA}


@pytest.mark.parametrize(("row", "jenjang", "utama", "origins"), DECREE_ROWS, ids=ROW_IDS)
def test_allowed_sets_follow_the_decree_row(row, jenjang, utama, origins):
    assert allowed_rhk_sources(jenjang, RhkKind.UTAMA) == utama
    assert allowed_rhk_sources(jenjang.value, "TAMBAHAN") == {S.TUGAS_TAMBAHAN}
    assert allowed_task_origins(jenjang) == origins
    assert S.TUGAS_TAMBAHAN not in utama


@pytest.mark.parametrize(("jenjang", "source", "allowed"), SOURCE_CASES)
def test_rhk_utama_source_per_jenjang(jenjang, source, allowed):
    problems = check_rhk_source(jenjang, RhkKind.UTAMA, source)
    if allowed:
        assert problems == []
    else:
        assert [(p.code, p.field) for p in problems] == [("SOURCE_NOT_ALLOWED", "source")]


@pytest.mark.parametrize(("jenjang", "source", "_"), SOURCE_CASES)
def test_rhk_tambahan_takes_only_tugas_tambahan(jenjang, source, _):
    problems = check_rhk_source(jenjang.value, "TAMBAHAN", source.value)
    if source is S.TUGAS_TAMBAHAN:
        assert problems == []
    else:
        assert [p.code for p in problems] == ["SOURCE_NOT_ALLOWED"]
        assert "tugas tambahan" in problems[0].message


@pytest.mark.parametrize(("jenjang", "origin", "allowed"), ORIGIN_CASES)
def test_task_origin_per_jenjang(jenjang, origin, allowed):
    problems = check_task_origin(jenjang, origin)
    if allowed:
        assert problems == []
    else:
        assert [(p.code, p.field) for p in problems] == [("TASK_ORIGIN_NOT_ALLOWED", "task_origin")]


def test_source_refusal_names_the_allowed_sources_in_bahasa():
    [problem] = check_rhk_source("PPPK_PENYULUH_KB", "UTAMA", "CASCADING")
    assert "PPPK Penyuluh KB" in problem.message
    assert "Perjanjian Kinerja yang ditetapkan" in problem.message


def test_tugas_tambahan_as_utama_gets_its_own_message():
    [problem] = check_rhk_source("JF", "UTAMA", "TUGAS_TAMBAHAN")
    assert problem.code == "SOURCE_NOT_ALLOWED"
    assert "RHK tambahan" in problem.message


def test_kepala_bkkbn_has_no_skp_in_the_system():
    assert allowed_rhk_sources(J.KEPALA, "UTAMA") == frozenset()
    assert allowed_rhk_sources(J.KEPALA, "TAMBAHAN") == frozenset()
    assert allowed_task_origins(J.KEPALA) == frozenset()
    assert [p.code for p in check_rhk_source(J.KEPALA, "UTAMA", "PK")] == ["NO_SKP"]
    assert [p.code for p in check_task_origin(J.KEPALA, "LUAR_INSTANSI")] == ["NO_SKP"]


@pytest.mark.parametrize(("jenjang", "kind", "source", "field"), [
    ("ESELON_V", "UTAMA", "PK", "jenjang"),
    ("JF", "UTAMAX", "PK", "kind"),
    ("JF", "UTAMA", "SKP", "source"),
    ("JF", "UTAMA", None, "source"),
])
def test_unknown_words_are_problems_not_crashes(jenjang, kind, source, field):
    assert [(p.code, p.field) for p in check_rhk_source(jenjang, kind, source)] == [("UNKNOWN_VALUE", field)]


def test_allowed_sets_raise_for_unknown_words():
    with pytest.raises(PlanningRuleError):
        allowed_rhk_sources("ESELON_V", "UTAMA")
    with pytest.raises(PlanningRuleError):
        allowed_rhk_sources("JF", "LAIN")
    with pytest.raises(PlanningRuleError):
        allowed_task_origins("ESELON_V")


@pytest.mark.parametrize("origin", [None, ""])
def test_task_origin_may_be_left_out(origin):
    # optional in the contract (POST /api/v1/skp): the RHK is stored and shown as not yet linked
    assert check_task_origin("JF", origin) == []
    assert [p.code for p in check_task_origin("ESELON_V", origin)] == ["UNKNOWN_VALUE"]


def test_unknown_task_origin_is_a_problem():
    assert [(p.code, p.field) for p in check_task_origin("JF", "ATASAN")] == [("UNKNOWN_VALUE", "task_origin")]


@pytest.mark.parametrize("origin", [T.JPT_MADYA_BUKAN_PENILAI, T.JPT_PRATAMA_LAIN_BUKAN_PENILAI])
def test_a_task_from_the_assessor_himself_is_not_tugas_tambahan(origin):
    assert check_task_origin("JF", origin, origin_is_assessor=False) == []
    assert [p.code for p in check_task_origin("JF", origin, origin_is_assessor=True)] == ["TASK_FROM_ASSESSOR"]


def test_outside_the_agency_is_never_the_assessor():
    assert check_task_origin("JF", T.LUAR_INSTANSI, origin_is_assessor=True) == []


def test_check_rhk_combines_source_and_origin():
    assert check_rhk("JF", "UTAMA", "JF_SCOPE") == []
    assert check_rhk("JF", "TAMBAHAN", "TUGAS_TAMBAHAN", "LUAR_INSTANSI") == []
    assert check_rhk("JF", "TAMBAHAN", "TUGAS_TAMBAHAN") == []  # no origin yet: stored, shown as not linked
    assert [p.code for p in check_rhk("JPT_MADYA", "TAMBAHAN", "TUGAS_TAMBAHAN", "JPT_MADYA_BUKAN_PENILAI")] == [
        "TASK_ORIGIN_NOT_ALLOWED"]
    assert [p.code for p in check_rhk("JF", "UTAMA", "CASCADING", "LUAR_INSTANSI")] == ["TASK_ORIGIN_UNEXPECTED"]
    assert [p.code for p in check_rhk("JF", "TAMBAHAN", "PK", "LUAR_INSTANSI")] == ["SOURCE_NOT_ALLOWED"]
    assert [p.code for p in check_rhk("KEPALA", "TAMBAHAN", "TUGAS_TAMBAHAN", "LUAR_INSTANSI")] == ["NO_SKP"]
    assert [p.code for p in check_rhk("X", "TAMBAHAN", "TUGAS_TAMBAHAN", "LUAR_INSTANSI")] == ["UNKNOWN_VALUE"]


@pytest.mark.parametrize(("kind", "source", "links", "code", "message"), [
    ("UTAMA", "PK", {}, "IKU_NOT_LINKED", "Belum ditautkan ke IKU"),
    ("UTAMA", "RENCANA_AKSI", {}, "RENCANA_AKSI_NOT_LINKED", "Belum ditautkan ke rencana aksi"),
    ("UTAMA", "RENCANA_AKSI", {"iku_id": 4}, "RENCANA_AKSI_NOT_LINKED", "Belum ditautkan ke rencana aksi"),
    ("UTAMA", "CASCADING", {}, "PARENT_NOT_LINKED", "Belum ditautkan ke RHK Pejabat Penilai"),
    ("UTAMA", "MATRIK_PERAN_HASIL", {"iku_id": 4}, "PARENT_NOT_LINKED", "Belum ditautkan ke RHK Pejabat Penilai"),
    ("TAMBAHAN", "TUGAS_TAMBAHAN", {}, "TASK_ORIGIN_MISSING", "Asal tugas tambahan belum diisi"),
    ("TAMBAHAN", "TUGAS_TAMBAHAN", {"task_origin": ""}, "TASK_ORIGIN_MISSING", "Asal tugas tambahan belum diisi"),
])
def test_missing_rhk_link_names_the_link_a_source_needs(kind, source, links, code, message):
    problem = missing_rhk_link(kind, source, **links)
    assert (problem.code, problem.message) == (code, message)


@pytest.mark.parametrize(("kind", "source", "links"), [
    ("UTAMA", "PK", {"iku_id": 4}),
    ("UTAMA", RhkSource.RENCANA_AKSI, {"rencana_aksi_id": 9, "iku_id": 4}),
    ("UTAMA", "CASCADING", {"parent_rhk_id": 7}),
    ("UTAMA", "MATRIK_PERAN_HASIL", {"parent_rhk_id": 7}),
    (RhkKind.TAMBAHAN, "TUGAS_TAMBAHAN", {"task_origin": "LUAR_INSTANSI"}),
    ("UTAMA", "TIM_KERJA", {}),  # these sources link to nothing
    ("UTAMA", "JF_SCOPE", {}),
    ("UTAMA", "KIRA_KIRA", {}),  # unknown words are check_rhk's to refuse
])
def test_missing_rhk_link_is_none_once_linked(kind, source, links):
    assert missing_rhk_link(kind, source, **links) is None


@pytest.mark.parametrize(("jenjang", "assigners"), [
    (J.JPT_MADYA, {J.KEPALA}),
    (J.JPT_PRATAMA, {J.KEPALA, J.JPT_MADYA}),
    (J.KEPALA_PERWAKILAN, {J.KEPALA, J.JPT_MADYA}),
    (J.ADMINISTRATOR, {J.JPT_PRATAMA, J.KEPALA_PERWAKILAN}),
    (J.PENGAWAS, {J.JPT_PRATAMA, J.KEPALA_PERWAKILAN, J.ADMINISTRATOR}),
    (J.JF, {J.JPT_MADYA, J.JPT_PRATAMA, J.KEPALA_PERWAKILAN, J.ADMINISTRATOR}),
    (J.JF_UTAMA, {J.JPT_MADYA, J.JPT_PRATAMA, J.KEPALA_PERWAKILAN, J.ADMINISTRATOR}),
    (J.PELAKSANA, {J.JPT_MADYA, J.JPT_PRATAMA, J.KEPALA_PERWAKILAN, J.ADMINISTRATOR, J.PENGAWAS}),
    (J.PLKB, {J.JPT_MADYA, J.JPT_PRATAMA, J.KEPALA_PERWAKILAN, J.ADMINISTRATOR, J.PENGAWAS}),
    (J.PPPK_PENYULUH_KB, set()),
    (J.KEPALA, set()),
])
def test_who_may_give_a_rencana_aksi(jenjang, assigners):
    assert rencana_aksi_assigners(jenjang) == assigners
    # a jenjang whose RHK may come from a rencana aksi has somebody to give it, and vice versa
    assert bool(assigners) == (S.RENCANA_AKSI in allowed_rhk_sources(jenjang, "UTAMA"))


# --- status flow --------------------------------------------------------------------------------

ACTORS = {  # name: (actor_is_owner, actor_is_assessor)
    "owner": (True, False),
    "assessor": (False, True),
    "other": (False, False),
    "owner_and_assessor": (True, True),
}
MAY = {  # who may take each action, from DOMAIN.md §3.2 and INTERFACES.md
    SkpAction.SUBMIT: {"owner", "owner_and_assessor"},
    SkpAction.APPROVE: {"assessor"},
    SkpAction.RETURN: {"assessor"},
    SkpAction.REVISE: {"owner", "assessor", "owner_and_assessor"},
}
MOVES = {  # action: (from, to)
    SkpAction.SUBMIT: ({SkpStatus.DRAFT, SkpStatus.RETURNED}, SkpStatus.SUBMITTED),
    SkpAction.APPROVE: ({SkpStatus.SUBMITTED}, SkpStatus.APPROVED),
    SkpAction.RETURN: ({SkpStatus.SUBMITTED}, SkpStatus.RETURNED),
    SkpAction.REVISE: ({SkpStatus.APPROVED}, SkpStatus.DRAFT),
}
FLOW_CASES = [
    pytest.param(status, action, actor, id=f"{status}-{action}-{actor}")
    for status in SkpStatus for action in SkpAction for actor in ACTORS
]


@pytest.mark.parametrize(("status", "action", "actor"), FLOW_CASES)
def test_every_transition(status, action, actor):
    is_owner, is_assessor = ACTORS[actor]
    sources, target = MOVES[action]
    call = dict(actor_is_owner=is_owner, actor_is_assessor=is_assessor, reason="Target belum terukur", dialog_id=7)
    if actor not in MAY[action]:
        with pytest.raises(NotAllowed) as caught:
            transition(status, action, **call)
        assert caught.value.http_status == 403
    elif status not in sources:
        with pytest.raises(WrongState) as caught:
            transition(status, action, **call)
        assert caught.value.http_status == 409
        assert caught.value.code == "WRONG_STATE"
    else:
        assert transition(status.value, action.value, **call) is target


@pytest.mark.parametrize(("status", "action", "actor"), FLOW_CASES)
def test_allowed_actions_agree_with_transition(status, action, actor):
    is_owner, is_assessor = ACTORS[actor]
    offered = action in allowed_actions(status, actor_is_owner=is_owner, actor_is_assessor=is_assessor)
    assert offered == (actor in MAY[action] and status in MOVES[action][0])


def test_the_happy_path_and_a_return():
    kw_owner = dict(actor_is_owner=True, actor_is_assessor=False)
    kw_assessor = dict(actor_is_owner=False, actor_is_assessor=True)
    status = transition("DRAFT", "SUBMIT", **kw_owner)
    status = transition(status, "RETURN", reason="Tambahkan IKI kualitas", **kw_assessor)
    assert status is SkpStatus.RETURNED
    status = transition(status, "SUBMIT", **kw_owner)
    status = transition(status, "APPROVE", **kw_assessor)
    assert status is SkpStatus.APPROVED
    assert transition(status, "REVISE", dialog_id=3, **kw_owner) is SkpStatus.DRAFT


def test_an_owner_never_approves_his_own_skp():
    with pytest.raises(NotAllowed) as caught:
        transition("SUBMITTED", "APPROVE", actor_is_owner=True, actor_is_assessor=True)
    assert caught.value.code == "OWN_SKP"


def test_permission_is_checked_before_state():
    """A stranger learns nothing about the SKP's state: 403, not 409."""
    with pytest.raises(NotAllowed):
        transition("APPROVED", "APPROVE", actor_is_owner=False, actor_is_assessor=False)


@pytest.mark.parametrize("reason", [None, "", "   \n"])
def test_return_needs_a_reason(reason):
    with pytest.raises(PlanningRuleError) as caught:
        transition("SUBMITTED", "RETURN", actor_is_owner=False, actor_is_assessor=True, reason=reason)
    assert type(caught.value) is PlanningRuleError
    assert (caught.value.code, caught.value.field, caught.value.http_status) == ("REASON_REQUIRED", "reason", 400)


def test_state_is_checked_before_the_reason():
    with pytest.raises(WrongState):
        transition("DRAFT", "RETURN", actor_is_owner=False, actor_is_assessor=True)


def test_revise_needs_a_dialog():
    with pytest.raises(PlanningRuleError) as caught:
        transition("APPROVED", "REVISE", actor_is_owner=True, actor_is_assessor=False)
    assert (caught.value.code, caught.value.field) == ("DIALOG_REQUIRED", "dialog_id")
    assert transition("APPROVED", "REVISE", actor_is_owner=True, actor_is_assessor=False, dialog_id=0) \
        is SkpStatus.DRAFT


@pytest.mark.parametrize(("status", "action"), [("DONE", "SUBMIT"), ("DRAFT", "PUBLISH")])
def test_unknown_status_or_action_is_bad_input(status, action):
    with pytest.raises(PlanningRuleError) as caught:
        transition(status, action, actor_is_owner=True, actor_is_assessor=False)
    assert caught.value.http_status == 400


@pytest.mark.parametrize("status", [SkpStatus.SUPERSEDED, SkpStatus.CLOSED])
def test_superseded_and_closed_skp_offer_nothing(status):
    for is_owner, is_assessor in ACTORS.values():
        assert allowed_actions(status, actor_is_owner=is_owner, actor_is_assessor=is_assessor) == frozenset()


# --- cuti: scaling targets ----------------------------------------------------------------------

@pytest.mark.parametrize(("aspek", "expected"), [
    (Aspek.KUANTITAS, 9.0), (Aspek.BIAYA, 9.0), (Aspek.KUALITAS, 12.0), (Aspek.WAKTU, 12.0),
])
def test_scale_target_by_aspek(aspek, expected):
    assert scale_target(12, 0.75, aspek) == expected
    assert scale_target(12, 0.75, aspek.value) == expected


def test_scale_target_rounds_to_two_places_and_keeps_full_time_unchanged():
    assert scale_target(12, 251 / 261, "KUANTITAS") == 11.54
    assert scale_target(12, 251 / 261, "KUANTITAS", places=0) == 12.0
    assert scale_target(12, 1, "KUANTITAS") == 12
    assert scale_target(100, 0, "BIAYA") == 0
    assert scale_target(98.5, 0.0, "KUALITAS") == 98.5


@pytest.mark.parametrize(("target", "fraction", "code"), [
    (12, 1.01, "FRACTION_INVALID"), (12, -0.1, "FRACTION_INVALID"), (12, None, "FRACTION_INVALID"),
    ("12", 0.5, "TARGET_INVALID"),
])
def test_scale_target_refuses_bad_numbers(target, fraction, code):
    with pytest.raises(PlanningRuleError) as caught:
        scale_target(target, fraction, "KUANTITAS")
    assert caught.value.code == code


def test_scale_target_refuses_an_unknown_aspek():
    with pytest.raises(PlanningRuleError) as caught:
        scale_target(12, 0.5, "LAINNYA")
    assert (caught.value.code, caught.value.field) == ("UNKNOWN_VALUE", "aspek")


# --- tugas belajar ------------------------------------------------------------------------------

HOLIDAYS_JAN_2026 = (date(2026, 1, 1), date(2026, 1, 16))  # Tahun Baru, Isra Mikraj
REMOVED = [StudyLeaveKind.MANDIRI_DIBERHENTIKAN, StudyLeaveKind.NEGARA_DIBERHENTIKAN]
NOT_REMOVED = [StudyLeaveKind.MANDIRI_TIDAK_DIBERHENTIKAN, StudyLeaveKind.NEGARA_TIDAK_DIBERHENTIKAN]
TIMINGS = [  # (start, is it "the beginning of 2026" with 1 January a holiday)
    pytest.param(date(2025, 9, 1), True, id="earlier-year"),
    pytest.param(date(2026, 1, 1), True, id="1-jan"),
    pytest.param(date(2026, 1, 2), True, id="first-working-day"),
    pytest.param(date(2026, 1, 5), False, id="second-working-day"),
    pytest.param(date(2026, 7, 1), False, id="mid-year"),
    pytest.param(date(2026, 12, 31), False, id="last-day"),
]


@pytest.mark.parametrize("kind", REMOVED)
@pytest.mark.parametrize(("start", "at_beginning"), TIMINGS)
def test_study_leave_removed_from_position(kind, start, at_beginning):
    plan = study_leave_plan(kind, start, 2026, HOLIDAYS_JAN_2026)
    expected = StudyLeavePlan.ONLY_STUDY_EXPECTATIONS if at_beginning else StudyLeavePlan.ADD_TO_EXISTING
    assert plan is expected


@pytest.mark.parametrize("kind", NOT_REMOVED)
@pytest.mark.parametrize(("start", "_"), TIMINGS)
def test_study_leave_not_removed_keeps_the_skp(kind, start, _):
    assert study_leave_plan(kind.value, start, 2026, HOLIDAYS_JAN_2026) is StudyLeavePlan.UNCHANGED_PLUS_STUDY


def test_study_leave_beginning_depends_on_the_holidays_given():
    # Without holidays 1 January 2026 (a Thursday) is the first working day, so 2 January is later.
    assert study_leave_plan("NEGARA_DIBERHENTIKAN", date(2026, 1, 2), 2026) is StudyLeavePlan.ADD_TO_EXISTING
    assert study_leave_plan("NEGARA_DIBERHENTIKAN", date(2026, 1, 1), 2026) \
        is StudyLeavePlan.ONLY_STUDY_EXPECTATIONS
    # 2028 begins on a Saturday: Monday 3 January is still "the beginning"
    assert study_leave_plan("MANDIRI_DIBERHENTIKAN", date(2028, 1, 3), 2028, [date(2028, 1, 1)]) \
        is StudyLeavePlan.ONLY_STUDY_EXPECTATIONS


def test_study_leave_after_the_year_is_refused():
    with pytest.raises(PlanningRuleError) as caught:
        study_leave_plan("NEGARA_DIBERHENTIKAN", date(2027, 1, 4), 2026)
    assert (caught.value.code, caught.value.field) == ("STUDY_NOT_STARTED", "start")


def test_study_leave_unknown_kind():
    with pytest.raises(PlanningRuleError) as caught:
        study_leave_plan("BEASISWA", date(2026, 3, 1), 2026)
    assert caught.value.code == "UNKNOWN_VALUE"


# --- mid-year changes ---------------------------------------------------------------------------

@pytest.mark.parametrize(("old_unit", "new_unit", "old_position", "new_position", "expected"), [
    (11, 11, 5, 5, MidYearChange.NONE),
    (11, 12, 5, 5, MidYearChange.REVISE_SKP),
    (11, 11, 5, 6, MidYearChange.CLOSE_AND_NEW),
    (11, 12, 5, 6, MidYearChange.CLOSE_AND_NEW),
    ("DIT", "PERW-NTB", ("JF", "Penyuluh KB", False), ("JF", "Penyuluh KB", False), MidYearChange.REVISE_SKP),
    ("DIT", "DIT", ("JF", "Penyuluh KB", False), ("PENGAWAS", None, True), MidYearChange.CLOSE_AND_NEW),
])
def test_mid_year_change(old_unit, new_unit, old_position, new_position, expected):
    assert mid_year_change(old_unit, new_unit, old_position, new_position) is expected

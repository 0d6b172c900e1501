"""Mid-year cases (decree I.B, I.C, III cuti): transfer without change of position, change of position,
the four kinds of tugas belajar, and cuti recomputing the effective working fraction."""
# ruff: noqa: F811  (pytest fixtures imported from midyear_fixtures / skp_fixtures are taken as arguments)

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from kinerja.audit.services import history
from kinerja.extensions import db
from kinerja.org.models import Position
from kinerja.planning import skp as services
from kinerja.planning import skp_queries
from kinerja.planning.errors import NotAllowed, PlanningError
from kinerja.planning.models import StudyLeave
from tests.planning.midyear_fixtures import approved, people, units  # noqa: F401
from tests.planning.skp_fixtures import YEAR, frozen, full_skp, leader_skp, org  # noqa: F401


def positions(employee):
    return list(db.session.execute(
        select(Position.unit_id, Position.jenjang, Position.start, Position.end)
        .where(Position.employee_id == employee.id).order_by(Position.start)))


# --- transfer, same position ------------------------------------------------------------------------

def test_transfer_revises_the_approved_skp(people, units, approved, frozen):  # noqa: F811
    analis = people["analis"]
    frozen.move_to(datetime(2026, 4, 1, 3, 0, tzinfo=UTC))
    revision = services.transfer_employee(people["hr"], analis, units["DIT2"], date(2026, 4, 1))
    db.session.commit()
    assert (revision.version, revision.status, revision.previous_id) == (2, "DRAFT", approved.id)
    assert revision.unit_id == units["DIT2"].id and revision.assessor_id == people["direktur2"].id
    assert revision.jenjang == "JF" and [r.text for r in revision.rhk] == ["RHK 1", "RHK 2"]
    assert approved.status == "APPROVED"  # in force until the new assessor approves the revision
    assert positions(analis) == [(units["DIT"].id, "JF", date(2026, 1, 1), date(2026, 3, 31)),
                                 (units["DIT2"].id, "JF", date(2026, 4, 1), None)]
    services.submit_skp(analis, revision)
    with pytest.raises(NotAllowed):  # the old assessor no longer approves
        services.approve_skp(people["direktur"], revision)
    services.approve_skp(people["direktur2"], revision)
    db.session.commit()
    assert approved.status == "SUPERSEDED"
    assert "skp.transfer" in [e.action for e in history("skp", revision.id)]


def test_transfer_moves_a_draft_in_place(people, units):
    skp = full_skp(people["pelaksana"], source="TIM_KERJA")
    result = services.transfer_employee(None, people["pelaksana"], units["DIT2"], date(2026, 1, 15))
    assert result.id == skp.id and skp.version == 1
    assert (skp.unit_id, skp.assessor_id) == (units["DIT2"].id, people["direktur2"].id)


def test_transfer_sends_a_submitted_skp_back_to_draft(people, units, approved):
    skp = full_skp(people["pelaksana"], source="TIM_KERJA")
    services.submit_skp(people["pelaksana"], skp)
    services.transfer_employee(None, people["pelaksana"], units["DIT2"], date(2026, 1, 15))
    assert skp.status == "DRAFT" and skp.assessor_id == people["direktur2"].id


def test_transfer_without_skp_only_moves_the_employee(people, units):
    assert services.transfer_employee(None, people["pelaksana"], units["DIT2"], date(2026, 1, 15)) is None
    assert people["pelaksana"].unit_id == units["DIT2"].id


def test_transfer_refusals(people, units):
    with pytest.raises(NotAllowed):
        services.transfer_employee(people["direktur"], people["analis"], units["DIT2"], date(2026, 1, 15))
    with pytest.raises(PlanningError):
        services.transfer_employee(None, people["analis"], units["DIT"], date(2026, 1, 15))


# --- change of position -----------------------------------------------------------------------------

def test_change_of_position_closes_the_old_skp_and_starts_a_new_one(people, units, approved, frozen):  # noqa: F811
    analis = people["analis"]
    frozen.move_to(datetime(2026, 7, 1, 3, 0, tzinfo=UTC))
    new = services.change_position(people["hr"], analis, units["DIT2"], "PELAKSANA", date(2026, 7, 1))
    db.session.commit()
    assert (approved.status, approved.closed_on, approved.period_end) == (
        "CLOSED", date(2026, 6, 30), date(2026, 6, 30))
    assert approved.unit_id == units["DIT"].id  # assessed in the old unit
    assert approved.effective_fraction == 1.0
    assert (new.status, new.version, new.period_start, new.period_end) == (
        "DRAFT", 1, date(2026, 7, 1), date(2026, 12, 31))
    assert (new.unit_id, new.jenjang, new.assessor_id) == (units["DIT2"].id, "PELAKSANA", people["direktur2"].id)
    assert new.rhk == [] and len(new.perilaku) == 7
    assert positions(analis)[-1] == (units["DIT2"].id, "PELAKSANA", date(2026, 7, 1), None)
    assert skp_queries.current_skp(analis, YEAR).id == new.id
    assert [s.status for s in skp_queries.skps_of_year(analis, YEAR)] == ["CLOSED", "DRAFT"]
    assert "skp.close" in [e.action for e in history("skp", approved.id)]


def test_change_of_position_in_the_same_unit(people, units):
    skp = full_skp(people["pelaksana"], source="TIM_KERJA")
    new = services.change_position(None, people["pelaksana"], units["DIT"], "JF", date(2026, 1, 12),
                                   jf_name="Analis Kebijakan")
    assert skp.status == "CLOSED" and skp.period_end == date(2026, 1, 11)
    assert new.jenjang == "JF" and new.period_start == date(2026, 1, 12)


def test_same_position_is_not_a_change_of_position(people, units):
    with pytest.raises(PlanningError) as caught:
        services.change_position(None, people["analis"], units["DIT2"], "JF", date(2026, 3, 1),
                                 jf_name="Analis Kebijakan")
    assert caught.value.code == "SAME_POSITION"


def test_change_of_position_needs_hr(people, units):
    with pytest.raises(NotAllowed):
        services.change_position(people["analis"], people["analis"], units["DIT2"], "PELAKSANA", date(2026, 3, 1))


def test_change_of_position_refuses_unknown_jenjang(people, units):
    with pytest.raises(PlanningError):
        services.change_position(None, people["analis"], units["DIT2"], "MENTERI", date(2026, 3, 1))


# --- tugas belajar ----------------------------------------------------------------------------------

def test_removed_from_position_from_the_start_of_the_year_only_study_expectations(people):
    """Diberhentikan dari jabatan from 1 January: the SKP holds only the study expectations."""
    analis = people["analis"]
    skp = full_skp(analis, source="TIM_KERJA", rhk_count=2)
    leave, result = services.start_study_leave(people["hr"], analis, "MANDIRI_DIBERHENTIKAN", date(2026, 1, 1),
                                               date(2027, 12, 31))
    db.session.commit()
    assert result.id == skp.id and result.study_leave_id == leave.id and result.rhk == []
    assert "skp.study_leave" in [e.action for e in history("skp", skp.id)]


def test_removed_from_the_start_without_skp_creates_one(people):
    analis = people["analis"]
    leave, skp = services.start_study_leave(None, analis, "NEGARA_DIBERHENTIKAN", date(2026, 1, 1))
    assert skp.status == "DRAFT" and skp.study_leave_id == leave.id and skp.rhk == []


def test_removed_mid_year_adds_to_the_existing_approved_skp(people, approved):
    """Diberhentikan mid-year: the assessor's study expectations are added to the SKP (a revision), no new SKP."""
    leave, revision = services.start_study_leave(None, people["analis"], "NEGARA_DIBERHENTIKAN", date(2026, 8, 1))
    db.session.commit()
    assert revision.previous_id == approved.id and revision.version == 2
    assert revision.study_leave_id == leave.id and [r.text for r in revision.rhk] == ["RHK 1", "RHK 2"]
    assert (revision.period_start, revision.period_end) == (approved.period_start, approved.period_end)
    rhk = services.add_rhk(people["direktur"], revision, text="Menyelesaikan semester 1 dengan IPK >= 3,25",
                           kind="UTAMA", source="TIM_KERJA")
    assert rhk.skp_id == revision.id


@pytest.mark.parametrize("kind, start", [
    ("MANDIRI_TIDAK_DIBERHENTIKAN", date(2026, 1, 1)),
    ("NEGARA_TIDAK_DIBERHENTIKAN", date(2026, 9, 1)),
])
def test_not_removed_keeps_the_position_skp(people, kind, start):
    analis = people["analis"]
    skp = full_skp(analis, source="TIM_KERJA", rhk_count=2)
    leave, result = services.start_study_leave(None, analis, kind, start)
    assert result.id == skp.id and len(result.rhk) == 2 and result.study_leave_id == leave.id


def test_not_removed_without_skp_changes_nothing(people):
    leave, result = services.start_study_leave(None, people["analis"], "MANDIRI_TIDAK_DIBERHENTIKAN",
                                               date(2026, 3, 1))
    assert result is None and db.session.get(StudyLeave, leave.id).kind == "MANDIRI_TIDAK_DIBERHENTIKAN"


def test_study_leave_refusals(people):
    with pytest.raises(NotAllowed):
        services.start_study_leave(people["analis"], people["analis"], "MANDIRI_DIBERHENTIKAN", date(2026, 3, 1))
    with pytest.raises(PlanningError):
        services.start_study_leave(None, people["analis"], "BEASISWA_LUAR_NEGERI", date(2026, 3, 1))
    with pytest.raises(PlanningError):
        services.start_study_leave(None, people["analis"], "NEGARA_DIBERHENTIKAN", date(2026, 3, 1),
                                   date(2026, 2, 1))


# --- cuti ---------------------------------------------------------------------------------------------

def test_leave_recomputes_the_open_skp(people, approved):
    services.add_leave(people["hr"], people["analis"], "Cuti melahirkan", date(2026, 4, 1), date(2026, 6, 30))
    db.session.commit()
    # 2026: 261 working days (Mon-Fri, no holiday table); 1 April - 30 June: 65 of them
    assert approved.effective_fraction == pytest.approx(196 / 261)
    iki = approved.rhk[0].iki[0]
    assert services.scaled_target(iki, approved) == round(12 * 196 / 261, 2)


def test_leave_outside_the_skp_period_changes_nothing(people, approved):
    services.add_leave(None, people["analis"], "Cuti tahunan", date(2027, 1, 5), date(2027, 1, 9))
    assert approved.effective_fraction == 1.0


def test_bad_leave_refused(people):
    with pytest.raises(PlanningError):
        services.add_leave(None, people["analis"], "Cuti tahunan", date(2026, 3, 5), date(2026, 3, 1))
    with pytest.raises(PlanningError):
        services.add_leave(None, people["analis"], "", date(2026, 3, 1), date(2026, 3, 5))

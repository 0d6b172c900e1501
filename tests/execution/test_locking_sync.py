"""sync_skp: counts, HR's blocked list (NO_SKP / SKP_NOT_APPROVED, with the unit), idempotent re-runs
that clear those approved since, long cuti and Kepala BKKBN not listed, bad year."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from kinerja.audit.models import AuditEntry
from kinerja.execution.models import SkpSync, VisumBlock
from kinerja.execution.sync import latest_sync, parse_year, sync_skp
from kinerja.extensions import db
from kinerja.planning import skp as skp_services
from kinerja.planning.models import Leave
from kinerja.rules.planning import PlanningRuleError
from tests.planning.skp_fixtures import full_skp, leader_skp

SYNC_NOW = datetime(2026, 2, 5, 17, 30, tzinfo=UTC)  # 6 February 00:30 WIB


def blocks():
    db.session.expire_all()
    return {row.employee_id: row for row in db.session.scalars(select(VisumBlock).where(VisumBlock.year == 2026))}


@pytest.fixture
def plans(people):
    """Direktur and analis approved; pelaksana submitted (not approved); the others have no SKP."""
    _, leader_rhk = leader_skp(people["direktur"], approve_by=people["deputi"])
    analis = full_skp(people["analis"], parent=leader_rhk, rhk_count=2, iki_per_rhk=2)
    skp_services.submit_skp(people["analis"], analis)
    skp_services.approve_skp(people["direktur"], analis)
    pelaksana = full_skp(people["pelaksana"], parent=leader_rhk)
    skp_services.submit_skp(people["pelaksana"], pelaksana)
    db.session.commit()
    return {"pelaksana": pelaksana}


def test_sync_counts_approved_skp_and_lists_everyone_without_one(people, plans):
    result = sync_skp(2026, SYNC_NOW)
    db.session.commit()

    assert (result.skp_count, result.iki_count) == (2, 5)  # direktur 1 IKI, analis 2 x 2
    listed = blocks()
    expected = {p.id for key, p in people.items() if key not in ("kepala", "direktur", "analis")}
    assert set(listed) == expected and result.blocked == result.listed == len(expected)
    assert listed[people["pelaksana"].id].reason == "SKP_NOT_APPROVED"
    assert listed[people["staf2"].id].reason == "NO_SKP"
    assert listed[people["staf2"].id].unit_id == people["staf2"].unit_id
    assert listed[people["staf2"].id].listed_at == datetime(2026, 2, 5, 17, 30)
    assert all(row.cleared_at is None for row in listed.values())
    sync = latest_sync(2026)
    assert (sync.skp_count, sync.iki_count, sync.blocked_count) == (2, 5, len(expected))
    audit = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "skp_sync")).all()
    assert len(audit) == 1 and audit[0].action == "skp.sync" and audit[0].after["blocked"] == len(expected)


def test_a_rerun_does_not_duplicate_and_clears_those_approved_since(people, plans):
    first = sync_skp(2026, SYNC_NOW)
    db.session.commit()
    skp_services.approve_skp(people["direktur"], plans["pelaksana"])
    db.session.commit()

    later = datetime(2026, 2, 10, 2, 0, tzinfo=UTC)
    again = sync_skp(2026, later)
    db.session.commit()

    assert (again.listed, again.cleared, again.blocked) == (0, 1, first.blocked - 1)
    listed = blocks()
    assert len(listed) == first.blocked  # the cleared one stays as the record
    assert listed[people["pelaksana"].id].cleared_at == datetime(2026, 2, 10, 2, 0)
    assert listed[people["staf2"].id].listed_at == datetime(2026, 2, 5, 17, 30)  # not re-listed
    assert db.session.scalar(select(func.count(SkpSync.id))) == 2
    third = sync_skp(2026, later)
    assert (third.listed, third.cleared) == (0, 0)
    assert db.session.scalar(select(func.count(VisumBlock.id))) == first.blocked


def test_a_new_employee_without_skp_is_added_on_a_rerun(people, plans, org, make_employee):
    sync_skp(2026, SYNC_NOW)
    db.session.commit()
    newcomer = make_employee(org["units"]["DIT2"], "PELAKSANA", effective=date(2026, 1, 1))
    result = sync_skp(2026, SYNC_NOW)
    assert result.listed == 1 and blocks()[newcomer.id].reason == "NO_SKP"


def test_a_reason_change_is_updated_not_duplicated(people, plans):
    sync_skp(2026, SYNC_NOW)
    db.session.commit()
    skp = full_skp(people["staf2"], source="TIM_KERJA")
    db.session.commit()
    assert skp.status == "DRAFT"
    sync_skp(2026, SYNC_NOW)
    db.session.commit()
    assert blocks()[people["staf2"].id].reason == "SKP_NOT_APPROVED"


def test_cuti_of_a_year_or_more_and_kepala_are_not_listed(people, plans):
    db.session.add(Leave(employee_id=people["staf2"].id, kind="CLTN", start=date(2025, 6, 1), end=date(2027, 5, 31)))
    db.session.add(Leave(employee_id=people["kasi"].id, kind="CUTI_TAHUNAN", start=date(2026, 2, 2),
                         end=date(2026, 2, 13)))
    db.session.commit()
    sync_skp(2026, SYNC_NOW)
    listed = blocks()
    assert people["staf2"].id not in listed and people["kepala"].id not in listed
    assert people["kasi"].id in listed  # a short cuti does not excuse an SKP


def test_someone_whose_post_ended_before_is_not_listed(people, plans, org):
    from kinerja.org.models import Position

    position = db.session.scalar(select(Position).where(Position.employee_id == people["staf2"].id))
    position.end = date(2026, 1, 31)
    db.session.commit()
    sync_skp(2026, SYNC_NOW)
    assert people["staf2"].id not in blocks()


@pytest.mark.parametrize("value", ["", "abc", "1999", "2101", "20266", "-2026", None, "2026.0"])
def test_a_bad_year_is_refused(app, value):
    with pytest.raises(PlanningRuleError) as caught:
        parse_year(value)
    assert caught.value.code == "INVALID_YEAR"
    with pytest.raises(PlanningRuleError):
        sync_skp(value, SYNC_NOW)


def test_parse_year_reads_text_and_numbers(app):
    assert parse_year(" 2026 ") == parse_year(2026) == 2026

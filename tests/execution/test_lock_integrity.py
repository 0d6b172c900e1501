"""A week lock-week recorded stays closed whatever the unit's zone says since (issue 10, item 4), and
the lock is checked at ``clock.now()``, never at a caller's "now" (item 5): page, API, services,
CLI and the demo's back-dated import."""

import inspect
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from kinerja import clock
from kinerja.audit.models import AuditEntry
from kinerja.auth import services as auth_services
from kinerja.execution import evidence, locking, services, visum_copy, visum_queries
from kinerja.execution.models import Evidence, Visum, WeekLock
from kinerja.execution.visum_import import import_past_visum
from kinerja.extensions import db
from kinerja.org import imports
from kinerja.rules import week as week_rules
from kinerja.rules.planning import PlanningRuleError
from kinerja.rules.week import VisumLocked
from tests.execution.fixtures import FRIDAY, NOW, THURSDAY, file
from tests.factories import login_as

MONDAY = date(2026, 1, 12)
WIT = "Asia/Jayapura"
WIT_CLOSE = datetime(2026, 1, 18, 14, 59, tzinfo=UTC)  # Sunday 23:59 WIT
WIB_CLOSE = datetime(2026, 1, 18, 16, 59, tzinfo=UTC)  # Sunday 23:59 WIB
BETWEEN = datetime(2026, 1, 18, 15, 30, tzinfo=UTC)  # WIT closed and recorded; WIB still open
HX = {"HX-Request": "true"}
LOCKED_WORDS = "sudah ditutup dan sudah dikunci"


def visum_rows(employee):
    db.session.expire_all()
    return [(v.day, v.activity) for v in db.session.scalars(
        select(Visum).where(Visum.employee_id == employee.id).order_by(Visum.id))]


def move_unit_to_wib(unit):
    """HR changes the unit's zone the way it does in production: an import of units.csv."""
    data = ("code,name,parent_code,level,region,kind,timezone\n"
            f"{unit.code},{unit.name},{unit.parent.code},{unit.level},{unit.region},,Asia/Jakarta\n").encode()
    plan = imports.import_units(None, data)
    assert plan.ok, plan.errors
    db.session.commit()


@pytest.fixture
def recorded(zoned, frozen):
    """A WIT employee's week of 12 January, filed, closed at 23:59 WIT and recorded by lock-week; then HR
    moves his unit to WIB, so that at ``BETWEEN`` the calendar alone would call the week open again."""
    employee = zoned[WIT]
    visum = file(employee, THURSDAY, activity="Rapat koordinasi")
    frozen.move_to(WIT_CLOSE + timedelta(minutes=1))
    result = locking.lock_week()
    db.session.commit()
    assert (WIT, MONDAY) in result.weeks
    move_unit_to_wib(employee.unit)
    frozen.move_to(BETWEEN)
    db.session.refresh(employee)
    assert clock.zone_of(employee) == "Asia/Jakarta"
    assert not week_rules.is_week_closed(THURSDAY, clock.now(), "Asia/Jakarta")  # the calendar alone: open
    return {"employee": employee, "visum": visum}


def test_the_services_refuse_a_recorded_week_after_the_zone_changed(recorded):
    employee, visum = recorded["employee"], recorded["visum"]
    assert not services.is_writable(employee, FRIDAY)
    assert services.writable_days(employee, [THURSDAY, date(2026, 1, 19)]) == {THURSDAY: False,
                                                                                date(2026, 1, 19): True}
    calls = [
        lambda: services.file_visum(employee, employee, day=FRIDAY, activity="Terlambat"),
        lambda: services.update_visum(employee, visum, activity="Diubah"),
        lambda: services.delete_visum(employee, visum),
        lambda: evidence.add_link_evidence(employee, visum, "https://a.id/bukti"),
        lambda: visum_copy.copy_previous_day(employee, employee, FRIDAY),
    ]
    for call in calls:
        with pytest.raises(VisumLocked) as caught:
            call()
        assert caught.value.http_status == 423 and LOCKED_WORDS in caught.value.message
        db.session.rollback()
    assert visum_rows(employee) == [(THURSDAY, "Rapat koordinasi")]
    week = visum_queries.week_of(employee, THURSDAY)
    assert not week.writable and week.closed and not any(day.can_add for day in week.days)


def test_the_pages_refuse_a_recorded_week_after_the_zone_changed(client, recorded):
    employee, visum = recorded["employee"], recorded["visum"]
    login_as(client, auth_services.user_for(employee))
    db.session.commit()
    form = {"activity": "Terlambat", "output_quantity": "1", "output_unit": "dokumen"}
    for headers in ({}, HX):
        answers = [
            client.post(f"/execution/visum/day/{FRIDAY.isoformat()}", data=form, headers=headers),
            client.post(f"/execution/visum/{visum.id}/edit", data={**form, "date": THURSDAY.isoformat()},
                        headers=headers),
            client.get(f"/execution/visum/{visum.id}/edit", headers=headers),
            client.post(f"/execution/visum/{visum.id}/delete", headers=headers),
            client.post(f"/execution/visum/{visum.id}/evidence", data={"url": "https://a.id/x"}, headers=headers),
            client.post(f"/execution/visum/day/{FRIDAY.isoformat()}/copy", data={}, headers=headers),
        ]
        assert [answer.status_code for answer in answers] == [423] * len(answers)
        assert LOCKED_WORDS in answers[0].get_data(as_text=True)
    assert visum_rows(employee) == [(THURSDAY, "Rapat koordinasi")]
    assert db.session.scalar(select(func.count(Evidence.id))) == 0


def test_the_api_refuses_a_recorded_week_after_the_zone_changed(client, recorded):
    employee = recorded["employee"]
    header = {"Authorization": f"Bearer {auth_services.create_token(None, employee)}"}
    db.session.commit()
    answer = client.post("/api/v1/visum", json={"date": FRIDAY.isoformat(), "activity": "Terlambat",
                                                "output": "1 dokumen"}, headers=header)
    assert answer.status_code == 423 and LOCKED_WORDS in answer.get_json()["error"]
    listed = client.get("/api/v1/visum?from=2026-01-12&to=2026-01-18", headers=header).get_json()
    assert [item["locked"] for item in listed["items"]] == [True]
    assert visum_rows(employee) == [(THURSDAY, "Rapat koordinasi")]


def test_after_hr_reopens_it_is_writable_until_the_deadline(client, recorded, people, frozen):
    employee, visum = recorded["employee"], recorded["visum"]
    until = BETWEEN + timedelta(hours=6)
    services.reopen_week(people["hr"], employee, MONDAY, until, "Zona waktu unit diubah; lengkapi visum")
    db.session.commit()
    assert services.is_writable(employee, FRIDAY)
    login_as(client, auth_services.user_for(employee))
    db.session.commit()
    edited = client.post(f"/execution/visum/{visum.id}/edit", headers=HX,
                         data={"date": THURSDAY.isoformat(), "activity": "Rapat koordinasi (diperbaiki)"})
    assert edited.status_code == 200
    header = {"Authorization": f"Bearer {auth_services.create_token(None, employee)}"}
    db.session.commit()
    created = client.post("/api/v1/visum", json={"date": FRIDAY.isoformat(), "activity": "Dilengkapi",
                                                 "output": "1 dokumen"}, headers=header)
    assert created.status_code == 201 and created.get_json()["locked"] is False
    frozen.move_to(until)
    assert not services.is_writable(employee, FRIDAY)
    late = client.post("/api/v1/visum", json={"date": FRIDAY.isoformat(), "activity": "Terlambat",
                                              "output": "1 dokumen"}, headers=header)
    assert late.status_code == 423
    assert [activity for _, activity in visum_rows(employee)] == ["Rapat koordinasi (diperbaiki)", "Dilengkapi"]


def test_the_hr_weeks_page_offers_to_reopen_a_recorded_week(client, recorded, people):
    employee = recorded["employee"]
    login_as(client, auth_services.user_for(people["hr"]))
    db.session.commit()
    text = client.get(f"/execution/hr/weeks?nip={employee.nip}").get_data(as_text=True)
    assert 'value="2026-01-12"' in text  # the reopen form offers the recorded week


def test_a_locked_visum_alone_records_the_week(people, frozen):
    """lock-week marks every visum of the zone, also of someone with no week_lock row that week."""
    employee = people["pelaksana"]
    file(employee, THURSDAY)
    db.session.execute(update(Visum).values(locked=True))
    db.session.commit()
    assert db.session.scalar(select(func.count(WeekLock.id))) == 0
    assert not services.is_writable(employee, FRIDAY)  # 15 January: the calendar says open
    assert services.is_writable(employee, date(2026, 1, 19))


# --- "now" is the clock's, never the caller's ---------------------------------------------------------

@pytest.mark.parametrize("function", [
    services.file_visum, services.update_visum, services.delete_visum, services.is_writable,
    services.ensure_writable, services.writable_days, evidence.add_file_evidence, evidence.add_link_evidence,
    evidence.remove_evidence, visum_copy.copy_previous_day, visum_queries.week_of,
])
def test_no_write_path_takes_a_callers_now(function):
    assert "now" not in inspect.signature(function).parameters


def test_a_call_made_later_cannot_write_into_the_closed_week(people, frozen):
    employee = people["pelaksana"]
    visum = file(employee, THURSDAY)
    frozen.move_to(WIB_CLOSE + timedelta(days=7))  # "seed-demo run later"
    with pytest.raises(TypeError):
        services.file_visum(employee, employee, day=FRIDAY, activity="x", now=NOW)  # no way to pass the past
    with pytest.raises(VisumLocked):
        services.file_visum(employee, employee, day=FRIDAY, activity="x")
    with pytest.raises(VisumLocked):
        services.update_visum(employee, visum, activity="x")
    db.session.rollback()
    assert visum_rows(employee) == [(THURSDAY, "Menyusun laporan")]


def test_lock_week_refuses_a_now_in_the_future(runner, people):
    file(people["pelaksana"], MONDAY)
    with pytest.raises(PlanningRuleError) as caught:
        locking.lock_week(WIB_CLOSE)  # the clock is at Thursday 15 January
    assert caught.value.code == "NOW_IN_FUTURE"
    db.session.rollback()
    result = runner.invoke(args=["lock-week", "--now", "2026-01-19T00:00:00Z"])
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert "masa depan" in result.output
    assert db.session.scalar(select(func.count(WeekLock.id))) == 0
    assert services.is_writable(people["pelaksana"], FRIDAY)


# --- the explicit back-dated import -------------------------------------------------------------------

def test_a_backdated_import_into_a_closed_unrecorded_week_is_written_and_audited(people, frozen):
    employee = people["pelaksana"]
    frozen.move_to(WIB_CLOSE + timedelta(days=1))
    filed_at = datetime(2026, 1, 16, 9, 30, tzinfo=UTC)
    visum = import_past_visum(employee, day=FRIDAY, activity="Rapat", filed_at=filed_at, reason="Data lama",
                              links=["https://a.id/notulen"], client_token="impor-1")
    db.session.commit()
    assert visum.created_at == datetime(2026, 1, 16, 9, 30) and visum.status == "SUBMITTED" and not visum.locked
    assert [e.url for e in visum.evidence] == ["https://a.id/notulen"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "visum.import_past"))
    assert entry.object_id == str(visum.id) and entry.actor_id is None
    assert entry.after["backdated"] is True and entry.after["filed_at"] == "2026-01-16T09:30:00"
    assert entry.reason == "Impor visum mundur: Data lama"
    again = import_past_visum(employee, day=FRIDAY, activity="Rapat", filed_at=filed_at, reason="Data lama",
                              client_token="impor-1")
    assert again.id == visum.id


def test_a_backdated_import_into_a_recorded_week_is_refused_unless_stated(people, frozen):
    employee = people["pelaksana"]
    frozen.move_to(WIB_CLOSE + timedelta(hours=1))
    locking.lock_week()
    db.session.commit()
    filed_at = datetime(2026, 1, 16, 9, 30, tzinfo=UTC)
    with pytest.raises(VisumLocked) as caught:
        import_past_visum(employee, day=FRIDAY, activity="Rapat", filed_at=filed_at, reason="Data lama")
    assert caught.value.code == "WEEK_RECORDED"
    db.session.rollback()
    assert visum_rows(employee) == []
    visum = import_past_visum(employee, day=FRIDAY, activity="Rapat", filed_at=filed_at, reason="Data lama",
                              into_locked_week=True)
    db.session.commit()
    assert visum.locked is True
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "visum.import_past"))
    assert entry.after["into_locked_week"] is True


@pytest.mark.parametrize("changes, code", [
    ({"reason": "  "}, "REASON_REQUIRED"),
    ({"filed_at": datetime(2026, 1, 30, tzinfo=UTC)}, "INVALID_FILED_AT"),  # in the future
    ({"filed_at": datetime(2026, 1, 15, 3, 0)}, "INVALID_FILED_AT"),  # naive
    ({"filed_at": datetime(2026, 1, 15, 3, 0, tzinfo=UTC), "day": FRIDAY}, "INVALID_FILED_AT"),  # before its day
    ({"links": ["javascript:alert(1)"]}, "INVALID_URL"),
])
def test_a_backdated_import_needs_a_reason_and_a_past_filing_time(people, changes, code):
    args = {"day": THURSDAY, "activity": "Rapat", "filed_at": NOW - timedelta(hours=1), "reason": "Data lama"}
    args.update(changes)
    with pytest.raises(PlanningRuleError) as caught:
        import_past_visum(people["pelaksana"], **args)
    assert caught.value.code == code
    db.session.rollback()
    assert visum_rows(people["pelaksana"]) == []

"""Visum services: filing (owner, week lock per zone, reopening, February gate, future date, double
click), edit/delete (owner, approved final, returned -> submitted), approval (own, non-assessor,
PLT, concurrency, approve_many of 100), HR reopening and the audit rows."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, func, select, update
from sqlalchemy.orm import Session

from kinerja import clock
from kinerja.audit.models import AuditEntry
from kinerja.execution import services
from kinerja.execution.models import Evidence, Visum, WeekReopening
from kinerja.extensions import db
from kinerja.org import services as org_services
from kinerja.planning import skp as skp_services
from kinerja.planning.models import Iki
from kinerja.rules.planning import NotAllowed, PlanningRuleError, WrongState
from kinerja.rules.week import VisumLocked
from tests.execution.fixtures import AFTER_SYNC, FEB_DAY, FRIDAY, NOW, THURSDAY, at, file, iki_of
from tests.planning.skp_fixtures import full_skp, leader_skp


def audit(action, object_id=None):
    stmt = select(AuditEntry).where(AuditEntry.action == action)
    if object_id is not None:
        stmt = stmt.where(AuditEntry.object_id == str(object_id))
    return list(db.session.scalars(stmt.order_by(AuditEntry.id)))


def visum_count():
    return db.session.scalar(select(func.count(Visum.id)))


# --- filing ------------------------------------------------------------------------------------

def test_file_visum_stores_a_submitted_visum_with_channel_and_audit(people):
    visum = file(people["pelaksana"], output_quantity="2,5", output_unit="dokumen", client_token="abc")
    assert visum.id and visum.status == "SUBMITTED" and visum.channel == "SIVIKA"
    assert visum.day == THURSDAY and visum.output_quantity == 2.5 and visum.output_unit == "dokumen"
    assert visum.created_at == datetime(2026, 1, 15, 3, 0) and visum.version == 1 and visum.locked is False
    rows = audit("visum.create", visum.id)
    assert len(rows) == 1 and rows[0].object_type == "visum" and rows[0].actor_id == people["pelaksana"].id
    assert rows[0].after["status"] == "SUBMITTED" and rows[0].after["day"] == "2026-01-15"


def test_penyuluh_files_on_the_e_visum_channel(people):
    assert file(people["penyuluh"]).channel == "E-VISUM"


def test_only_the_employee_files_his_visum(people):
    with pytest.raises(NotAllowed) as caught:
        services.file_visum(people["direktur"], people["analis"], day=THURSDAY, activity="x")
    assert caught.value.code == "NOT_OWNER" and caught.value.http_status == 403
    assert visum_count() == 0


def test_system_actor_may_file(people):
    visum = services.file_visum(None, people["analis"], day=THURSDAY, activity="Impor")
    db.session.commit()
    assert visum.employee_id == people["analis"].id and audit("visum.create")[0].actor_id is None


@pytest.mark.parametrize("kwargs, field, code", [
    ({"activity": "   "}, "activity", "ACTIVITY_REQUIRED"),
    ({"activity": "x" * 4001}, "activity", "TOO_LONG"),
    ({"output_quantity": "banyak"}, "output_quantity", "INVALID_NUMBER"),
    ({"output_quantity": -1}, "output_quantity", "INVALID_NUMBER"),
    ({"output_quantity": float("nan")}, "output_quantity", "INVALID_NUMBER"),
    ({"output_unit": "dokumen"}, "output_quantity", "QUANTITY_REQUIRED"),
    ({"output_quantity": 1, "output_unit": "u" * 61}, "output_unit", "TOO_LONG"),
    ({"iki_id": "abc"}, "iki_id", "INVALID_IKI"),
    ({"client_token": "t" * 65}, "client_token", "INVALID_TOKEN"),
])
def test_bad_fields_are_refused_and_nothing_stored(people, kwargs, field, code):
    kwargs.setdefault("activity", "Rapat")
    with pytest.raises(PlanningRuleError) as caught:
        services.file_visum(people["analis"], people["analis"], day=THURSDAY, **kwargs)
    assert (caught.value.field, caught.value.code, caught.value.http_status) == (field, code, 400)
    db.session.rollback()
    assert visum_count() == 0


def test_bad_day_type_refused(people):
    with pytest.raises(PlanningRuleError) as caught:
        services.file_visum(people["analis"], people["analis"], day="2026-01-15", activity="x")
    assert caught.value.code == "INVALID_DATE"


def test_double_click_returns_the_first_visum(people):
    first = file(people["analis"], client_token="tok-1")
    again = file(people["analis"], client_token="tok-1", activity="another text")
    assert again.id == first.id and again.activity == "Menyusun laporan"
    assert visum_count() == 1 and len(audit("visum.create")) == 1
    other = file(people["analis"], client_token="tok-2")
    assert other.id != first.id and visum_count() == 2


def test_same_token_of_another_employee_is_another_visum(people):
    file(people["analis"], client_token="tok")
    file(people["pelaksana"], client_token="tok")
    assert visum_count() == 2


# --- the week lock -----------------------------------------------------------------------------

@pytest.mark.parametrize("tz, closes_utc", [
    ("Asia/Jakarta", datetime(2026, 1, 18, 16, 59, tzinfo=UTC)),
    ("Asia/Makassar", datetime(2026, 1, 18, 15, 59, tzinfo=UTC)),
    ("Asia/Jayapura", datetime(2026, 1, 18, 14, 59, tzinfo=UTC)),
])
def test_week_closes_sunday_2359_local(people, zoned, tz, closes_utc):
    employee = zoned.get(tz) or people["pelaksana"]
    assert clock.zone_of(employee) == tz
    visum = file(employee, FRIDAY, now=closes_utc - timedelta(minutes=1))  # 23:58 local: open
    with at(closes_utc - timedelta(seconds=1)):
        assert services.is_writable(employee, FRIDAY)
    with at(closes_utc):
        assert not services.is_writable(employee, FRIDAY)
        with pytest.raises(VisumLocked) as caught:
            services.file_visum(employee, employee, day=FRIDAY, activity="terlambat")
        assert caught.value.code == "WEEK_CLOSED" and caught.value.http_status == 423
        with pytest.raises(VisumLocked):
            services.update_visum(employee, visum, activity="ubah")
        with pytest.raises(VisumLocked):
            services.delete_visum(employee, visum)
    db.session.rollback()
    assert visum_count() == 1 and db.session.get(Visum, visum.id).activity == "Menyusun laporan"


def test_next_week_is_open_after_the_close(people):
    after = datetime(2026, 1, 18, 17, 0, tzinfo=UTC)  # Monday 00:00 WIB
    assert file(people["analis"], date(2026, 1, 19), now=after).day == date(2026, 1, 19)


def test_reopened_week_is_writable_until_the_deadline(people):
    hr = people["hr"]
    closed = datetime(2026, 1, 20, 3, 0, tzinfo=UTC)
    with at(closed), pytest.raises(VisumLocked):
        services.file_visum(people["analis"], people["analis"], day=FRIDAY, activity="x")
    until = datetime(2026, 1, 21, 17, 0, tzinfo=UTC)
    reopening = services.reopen_week(hr, people["analis"], date(2026, 1, 12), until, " Gangguan jaringan ",
                                     now=closed)
    db.session.commit()
    assert reopening.until == datetime(2026, 1, 21, 17, 0) and reopening.reason == "Gangguan jaringan"
    visum = file(people["analis"], FRIDAY, now=closed)
    with at(until - timedelta(seconds=1)):
        services.update_visum(people["analis"], visum, activity="diperbaiki")
        db.session.commit()
    with at(until), pytest.raises(VisumLocked):
        services.update_visum(people["analis"], visum, activity="terlambat")
    # only his week: a colleague's week stays closed
    with at(closed), pytest.raises(VisumLocked):
        services.file_visum(people["pelaksana"], people["pelaksana"], day=FRIDAY, activity="x")
    rows = audit("visum.reopen_week")
    assert len(rows) == 1 and rows[0].object_type == "week_reopening" and rows[0].reason == "Gangguan jaringan"
    assert rows[0].after["until"] == "2026-01-21T17:00:00" and rows[0].actor_id == hr.id


@pytest.mark.parametrize("kwargs, code", [
    ({"week_start": date(2026, 1, 13)}, "NOT_A_MONDAY"),
    ({"until": datetime(2026, 1, 14, 0, 0, tzinfo=UTC)}, "INVALID_UNTIL"),
    ({"until": datetime(2026, 1, 30, 0, 0)}, "INVALID_UNTIL"),
    ({"reason": "  "}, "REASON_REQUIRED"),
])
def test_reopen_week_bad_input(people, kwargs, code):
    args = {"week_start": date(2026, 1, 12), "until": datetime(2026, 1, 30, tzinfo=UTC), "reason": "alasan"}
    args.update(kwargs)
    with pytest.raises(PlanningRuleError) as caught:
        services.reopen_week(people["hr"], people["analis"], now=NOW, **args)
    assert caught.value.code == code and caught.value.http_status == 400
    assert db.session.scalar(select(func.count(WeekReopening.id))) == 0


def test_only_hr_reopens(people):
    with pytest.raises(NotAllowed) as caught:
        services.reopen_week(people["direktur"], people["analis"], date(2026, 1, 12),
                             datetime(2026, 1, 30, tzinfo=UTC), "alasan", now=NOW)
    assert caught.value.code == "NOT_HR"
    services.reopen_week(None, people["analis"], date(2026, 1, 12), datetime(2026, 1, 30, tzinfo=UTC), "CLI",
                         now=NOW)  # the CLI may


# --- future date and the February gate ---------------------------------------------------------

def test_future_date_refused_in_the_employees_zone(people, zoned):
    # 16:00 UTC on Thursday: Thursday 23:00 in WIB, already Friday 01:00 in WIT
    moment = datetime(2026, 1, 15, 16, 0, tzinfo=UTC)
    with at(moment), pytest.raises(PlanningRuleError) as caught:
        services.file_visum(people["analis"], people["analis"], day=FRIDAY, activity="x")
    assert caught.value.code == "DATE_IN_FUTURE" and caught.value.http_status == 400
    wit = zoned["Asia/Jayapura"]
    assert file(wit, FRIDAY, now=moment).day == FRIDAY


def test_before_the_sync_day_no_skp_needed(people):
    assert file(people["analis"]).iki_id is None


def test_after_the_sync_day_no_approved_skp_refused(people, frozen):
    frozen.move_to(AFTER_SYNC)
    with pytest.raises(NotAllowed) as caught:
        services.file_visum(people["analis"], people["analis"], day=FEB_DAY, activity="x")
    assert caught.value.code == "NO_APPROVED_SKP"
    # a January visum filed after the sync day (HR reopened its week) is gated too
    services.reopen_week(None, people["analis"], date(2026, 1, 26), AFTER_SYNC + timedelta(days=1), "x")
    with pytest.raises(NotAllowed) as caught:
        services.file_visum(people["analis"], people["analis"], day=date(2026, 1, 30), activity="x")
    assert caught.value.code == "NO_APPROVED_SKP"


def test_after_the_sync_day_with_approved_skp(people, approved):
    with at(AFTER_SYNC), pytest.raises(NotAllowed) as caught:
        services.file_visum(people["analis"], people["analis"], day=FEB_DAY, activity="x")
    assert caught.value.code == "IKI_REQUIRED"
    iki = iki_of(approved)
    visum = file(people["analis"], FEB_DAY, now=AFTER_SYNC, iki_id=iki.id, output_quantity=1)
    assert visum.iki_id == iki.id and visum.skp_id == approved.id
    assert visum.output_unit == "dokumen"  # the IKI's unit when none is given


def test_iki_of_another_employee_refused(people, approved):
    other = db.session.scalar(select(Iki).where(Iki.id != iki_of(approved).id))  # the Direktur's IKI
    for now, day in ((NOW, THURSDAY), (AFTER_SYNC, FEB_DAY)):
        with at(now), pytest.raises(NotAllowed) as caught:
            services.file_visum(people["analis"], people["analis"], day=day, activity="x", iki_id=other.id)
        assert caught.value.code == "IKI_NOT_IN_SKP"
    with at(AFTER_SYNC), pytest.raises(NotAllowed) as caught:
        services.file_visum(people["analis"], people["analis"], day=FEB_DAY, activity="x", iki_id=999999)
    assert caught.value.code == "IKI_NOT_IN_SKP"
    assert visum_count() == 0


def test_date_outside_the_skp_period_refused(people):
    _, leader_rhk = leader_skp(people["direktur"], approve_by=people["deputi"])
    skp = full_skp(people["analis"], parent=leader_rhk, period_start=date(2026, 1, 1), period_end=date(2026, 1, 31))
    skp_services.submit_skp(people["analis"], skp)
    skp_services.approve_skp(people["direktur"], skp)
    db.session.commit()
    with at(AFTER_SYNC), pytest.raises(NotAllowed) as caught:
        services.file_visum(people["analis"], people["analis"], day=FEB_DAY, activity="x", iki_id=iki_of(skp).id)
    assert caught.value.code == "OUTSIDE_SKP_PERIOD"


# --- edit and delete ---------------------------------------------------------------------------

def test_owner_edits_only_given_fields(people):
    visum = file(people["analis"], output_quantity=1, output_unit="dokumen")
    services.update_visum(people["analis"], visum, activity="Menyusun laporan akhir")
    db.session.commit()
    assert visum.activity == "Menyusun laporan akhir" and visum.output_quantity == 1 and visum.version == 2
    row = audit("visum.update", visum.id)[0]
    assert row.before == {"activity": "Menyusun laporan"} and row.after == {"activity": "Menyusun laporan akhir"}


def test_edit_to_another_day_checks_its_week_and_the_future(people):
    visum = file(people["analis"])
    with pytest.raises(PlanningRuleError) as caught:
        services.update_visum(people["analis"], visum, day=FRIDAY)
    assert caught.value.code == "DATE_IN_FUTURE"
    with pytest.raises(VisumLocked):  # moving it into last week's closed week
        services.update_visum(people["analis"], visum, day=date(2026, 1, 9))
    db.session.rollback()
    services.update_visum(people["analis"], visum, day=date(2026, 1, 12))
    assert visum.day == date(2026, 1, 12)


def test_only_the_owner_edits_or_deletes(people):
    visum = file(people["analis"])
    for call in (lambda: services.update_visum(people["direktur"], visum, activity="x"),
                 lambda: services.delete_visum(people["direktur"], visum)):
        with pytest.raises(NotAllowed) as caught:
            call()
        assert caught.value.code == "NOT_OWNER"
    db.session.rollback()
    assert db.session.get(Visum, visum.id).activity == "Menyusun laporan"


def test_owner_deletes_with_evidence_rows(people):
    visum = file(people["analis"])
    db.session.add_all([
        Evidence(visum_id=visum.id, kind="FILE", stored_name="ab12.jpg", original_name="foto.jpg",
                 content_type="image/jpeg", size=10, created_at=datetime(2026, 1, 15)),
        Evidence(visum_id=visum.id, kind="LINK", url="https://example.org/x", created_at=datetime(2026, 1, 15)),
    ])
    db.session.commit()
    files = services.delete_visum(people["analis"], visum)
    db.session.commit()
    assert files == ["ab12.jpg"] and visum_count() == 0
    assert db.session.scalar(select(func.count(Evidence.id))) == 0
    row = audit("visum.delete", visum.id)[0]
    assert row.before["activity"] == "Menyusun laporan" and row.after is None


def test_approved_visum_is_final(people):
    visum = file(people["analis"])
    services.approve_visum(people["direktur"], visum, now=NOW)
    db.session.commit()
    with pytest.raises(WrongState):
        services.update_visum(people["analis"], visum, activity="x")
    with pytest.raises(WrongState):
        services.delete_visum(people["analis"], visum)
    with pytest.raises(WrongState):
        services.return_visum(people["direktur"], visum, "salah", now=NOW)
    db.session.rollback()
    assert db.session.get(Visum, visum.id).status == "APPROVED" and visum_count() == 1


def test_returned_visum_edited_goes_back_to_submitted(people):
    visum = file(people["analis"])
    services.return_visum(people["direktur"], visum, "  Lengkapi output  ", now=NOW)
    db.session.commit()
    assert visum.status == "RETURNED" and visum.return_reason == "Lengkapi output"
    row = audit("visum.return", visum.id)[0]
    assert row.reason == "Lengkapi output" and row.after == {"status": "RETURNED"}
    services.update_visum(people["analis"], visum, output_quantity=3, output_unit="dokumen")
    db.session.commit()
    assert visum.status == "SUBMITTED" and visum.return_reason is None
    services.approve_visum(people["direktur"], visum, now=NOW)
    assert visum.status == "APPROVED"


def test_return_needs_a_reason(people):
    visum = file(people["analis"])
    for reason in ("", "   ", None, "x" * 501):
        with pytest.raises(PlanningRuleError) as caught:
            services.return_visum(people["direktur"], visum, reason, now=NOW)
        assert caught.value.http_status == 400
    assert db.session.get(Visum, visum.id).status == "SUBMITTED"


def test_returned_visum_in_a_closed_week_needs_a_reopening(people):
    visum = file(people["analis"])
    later = datetime(2026, 1, 20, 3, 0, tzinfo=UTC)
    services.return_visum(people["direktur"], visum, "Perbaiki", now=later)  # approval is not bound by the lock
    db.session.commit()
    with at(later), pytest.raises(VisumLocked):
        services.update_visum(people["analis"], visum, activity="x")


# --- approval ----------------------------------------------------------------------------------

def test_assessor_approves(people):
    visum = file(people["analis"])
    services.approve_visum(people["direktur"], visum, now=NOW)
    db.session.commit()
    assert visum.status == "APPROVED" and visum.approved_by_id == people["direktur"].id
    assert visum.approved_at == datetime(2026, 1, 15, 3, 0) and visum.version == 2
    row = audit("visum.approve", visum.id)[0]
    assert row.object_type == "visum" and row.actor_id == people["direktur"].id
    assert row.before == {"status": "SUBMITTED"} and row.after["status"] == "APPROVED"


def test_approving_own_visum_refused(people):
    visum = file(people["direktur"])
    with pytest.raises(NotAllowed) as caught:
        services.approve_visum(people["direktur"], visum, now=NOW)
    assert caught.value.code == "OWN_VISUM"


@pytest.mark.parametrize("who", ["kasubdit", "deputi", "pelaksana", "hr"])
def test_non_assessor_refused(people, who):
    visum = file(people["analis"])
    with pytest.raises(NotAllowed) as caught:
        services.approve_visum(people[who], visum, now=NOW)
    assert caught.value.code == "NOT_ASSESSOR"
    with pytest.raises(NotAllowed):
        services.return_visum(people[who], visum, "alasan", now=NOW)
    assert db.session.get(Visum, visum.id).status == "SUBMITTED" and not audit("visum.approve")


def test_system_actor_cannot_approve(people):
    visum = file(people["analis"])
    with pytest.raises(NotAllowed):
        services.approve_visum(None, visum, now=NOW)


def test_plh_of_the_assessor_approves(people, org):  # noqa: F811
    visum = file(people["analis"])
    org_services.add_acting(None, employee=people["kasubdit"], unit=org["units"]["DIT"], kind="PLH",
                            start=date(2026, 1, 12), end=date(2026, 1, 23))
    db.session.commit()
    services.approve_visum(people["kasubdit"], visum, now=NOW)
    assert visum.status == "APPROVED" and visum.approved_by_id == people["kasubdit"].id


def test_already_approved_is_a_quiet_success(people):
    visum = file(people["analis"])
    services.approve_visum(people["direktur"], visum, now=NOW)
    services.approve_visum(people["direktur"], visum, now=NOW)  # double click
    db.session.commit()
    assert visum.status == "APPROVED" and len(audit("visum.approve")) == 1


def test_concurrent_approval_in_another_session_wins_quietly(people, org):  # noqa: F811
    """The visum is loaded here; another assessor (the PLH) approves it in his own session and commits."""
    visum = file(people["analis"])
    org_services.add_acting(None, employee=people["kasubdit"], unit=org["units"]["DIT"], kind="PLH",
                            start=date(2026, 1, 12), end=date(2026, 1, 23))
    db.session.commit()
    assert visum.status == "SUBMITTED"  # loaded, as a page would have it
    with Session(db.engine) as other:
        theirs = other.get(Visum, visum.id)
        services_visum_approve_in(other, theirs, people["kasubdit"].id)
    services.approve_visum(people["direktur"], visum, now=NOW)  # no exception
    db.session.commit()
    assert visum.status == "APPROVED" and visum.approved_by_id == people["kasubdit"].id and visum.version == 2
    assert not audit("visum.approve")  # the other session wrote its own; this one did nothing


def services_visum_approve_in(session, visum, actor_id):
    """Approve through the ORM in another session (the version column is bumped by the mapper)."""
    visum.status, visum.approved_by_id, visum.approved_at = "APPROVED", actor_id, datetime(2026, 1, 15, 3)
    session.commit()


def test_stale_edit_after_concurrent_approval_is_refused(people):
    visum = file(people["analis"])
    with Session(db.engine) as other:
        other.execute(update(Visum).where(Visum.id == visum.id).values(status="APPROVED",
                                                                       version=Visum.version + 1))
        other.commit()
    with pytest.raises(WrongState):  # the service re-reads the row: no silent overwrite of an approval
        services.update_visum(people["analis"], visum, activity="x")


def test_return_after_concurrent_approval_is_wrong_state(people):
    visum = file(people["analis"])
    with Session(db.engine) as other:
        other.execute(update(Visum).where(Visum.id == visum.id).values(status="APPROVED"))
        other.commit()
    with pytest.raises(WrongState):
        services.return_visum(people["direktur"], visum, "alasan", now=NOW)


# --- approve_many ------------------------------------------------------------------------------

def test_approve_many_100_in_few_statements(people):
    analis, pelaksana = people["analis"], people["pelaksana"]
    ids = [services.file_visum(analis if i % 2 else pelaksana, analis if i % 2 else pelaksana, day=THURSDAY,
                               activity=f"Kegiatan {i}").id for i in range(100)]
    db.session.commit()
    loaded = db.session.get(Visum, ids[0])
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement.split()[0:3])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        result = services.approve_many(people["direktur"], ids, now=NOW)
        db.session.flush()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    db.session.commit()
    assert result.counts()["approved"] == 100 and sorted(result.approved) == sorted(ids)
    reads = [s for s in statements if s[0] == "SELECT"]
    writes = [s for s in statements if s[0] == "UPDATE"]
    assert len(reads) <= 3 and len(writes) == 1, statements[:6]  # visum+links, acting_for, the actor reloaded
    assert all(s[:3] == ["INSERT", "INTO", "audit_entry"] for s in statements if s[0] == "INSERT")
    assert db.session.scalar(select(func.count(Visum.id)).where(Visum.status == "APPROVED")) == 100
    assert len(audit("visum.approve")) == 100
    assert loaded.status == "APPROVED" and loaded.version == 2  # objects in the session are not stale


def test_approve_many_sorts_every_id(people, org, make_employee):  # noqa: F811
    own = file(people["direktur"])
    mine = file(people["analis"])
    done = file(people["analis"])
    back = file(people["analis"])
    stranger = file(people["staf2"])  # assessed by Direktur2
    services.approve_visum(people["direktur"], done, now=NOW)
    services.return_visum(people["direktur"], back, "ulang", now=NOW)
    db.session.commit()
    result = services.approve_many(people["direktur"], [own.id, mine.id, done.id, back.id, stranger.id, 424242,
                                                        str(mine.id), "x"], now=NOW)
    db.session.commit()
    assert result.counts() == {"approved": 1, "already_approved": 1, "not_allowed": 2, "wrong_state": 1,
                               "not_found": 1}
    assert result.approved == [mine.id] and sorted(result.not_allowed) == sorted([own.id, stranger.id])
    assert db.session.get(Visum, stranger.id).status == "SUBMITTED"
    assert db.session.get(Visum, own.id).status == "SUBMITTED"
    assert services.approve_many(people["direktur"], []).counts()["approved"] == 0


def test_approve_many_by_plt(people, org):  # noqa: F811
    visum = file(people["analis"])
    org_services.add_acting(None, employee=people["kasubdit"], unit=org["units"]["DIT"], kind="PLT",
                            start=date(2026, 1, 12), end=date(2026, 1, 23))
    db.session.commit()
    result = services.approve_many(people["kasubdit"], [visum.id], now=NOW)
    assert result.approved == [visum.id]

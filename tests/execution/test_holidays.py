"""Holidays kept by HR: the service (weekday, not twice, name, week not yet closed in any zone, audit),
their effect on the week page, the weekly lock and the home page, and HR's page (access, HTMX
partial, 422 with field errors, removal)."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from kinerja.audit.models import AuditEntry
from kinerja.execution import holidays as holiday_services
from kinerja.execution.locking import lock_week
from kinerja.execution.models import Holiday, WeekLock
from kinerja.execution.visum_queries import week_of
from kinerja.extensions import db
from kinerja.rules.planning import PlanningRuleError
from tests.execution.fixtures import NOW, at, file
from tests.factories import login_as
from tests.planning.test_skp_views import account as user

HX = {"HX-Request": "true"}
MONDAY, WEDNESDAY, FRIDAY = date(2026, 1, 12), date(2026, 1, 14), date(2026, 1, 16)
WIT_CLOSED_WIB_OPEN = datetime(2026, 1, 18, 15, 30, tzinfo=UTC)  # Monday 00:30 WIT, Sunday 22:30 WIB
WIB_CLOSE = datetime(2026, 1, 18, 16, 59, tzinfo=UTC)


def count() -> int:
    return db.session.scalar(select(func.count(Holiday.id)))


def add(people, day=WEDNESDAY, name="Cuti bersama", now=NOW) -> Holiday:
    holiday = holiday_services.add_holiday(people["hr"], day, name, now=now)
    db.session.commit()
    return holiday


# --- the service ---------------------------------------------------------------------------------

def test_a_holiday_is_stored_audited_and_counted_with_the_configured_ones(app, people, monkeypatch):
    monkeypatch.setitem(app.config, "HOLIDAYS", ["2026-01-01"])
    holiday = add(people, name="  Cuti bersama Imlek  ")
    assert (holiday.day, holiday.name, holiday.created_by_id) == (WEDNESDAY, "Cuti bersama Imlek", people["hr"].id)
    assert holiday_services.holidays() == {date(2026, 1, 1), WEDNESDAY}
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "holiday.add"))
    assert entry.object_id == str(holiday.id) and entry.after == {"day": "2026-01-14", "name": "Cuti bersama Imlek"}
    assert [h.day for h in holiday_services.holidays_of(2026)] == [WEDNESDAY]
    assert holiday_services.holidays_of(2025) == []


@pytest.mark.parametrize(("day", "name", "field", "code"), [
    (date(2026, 1, 17), "Sabtu", "day", "WEEKEND"),
    (date(2026, 1, 18), "Minggu", "day", "WEEKEND"),
    (date(2026, 1, 9), "Minggu lalu", "day", "WEEK_CLOSED"),
    (FRIDAY, "   ", "name", "NAME_REQUIRED"),
    (FRIDAY, "x" * 121, "name", "TOO_LONG"),
])
def test_bad_holidays_are_refused_and_nothing_is_stored(people, day, name, field, code):
    with pytest.raises(PlanningRuleError) as caught:
        holiday_services.add_holiday(people["hr"], day, name, now=NOW)
    db.session.rollback()
    assert (caught.value.field, caught.value.code) == (field, code)
    assert count() == 0


def test_a_day_is_a_holiday_once_whether_kept_by_hr_or_configured(app, people, monkeypatch):
    add(people)
    monkeypatch.setitem(app.config, "HOLIDAYS", [FRIDAY])
    for day in (WEDNESDAY, FRIDAY):
        with pytest.raises(PlanningRuleError) as caught:
            holiday_services.add_holiday(people["hr"], day, "Lagi", now=NOW)
        assert caught.value.code == "HOLIDAY_EXISTS"
    db.session.rollback()
    assert count() == 1


def test_a_week_closed_in_wit_takes_no_more_holidays_even_while_wib_is_open(people):
    with pytest.raises(PlanningRuleError) as caught:
        holiday_services.add_holiday(people["hr"], FRIDAY, "Terlambat", now=WIT_CLOSED_WIB_OPEN)
    assert caught.value.code == "WEEK_CLOSED"
    db.session.rollback()
    holiday = add(people)
    with pytest.raises(PlanningRuleError) as caught:
        holiday_services.remove_holiday(people["hr"], holiday, now=WIT_CLOSED_WIB_OPEN)
    assert caught.value.code == "WEEK_CLOSED"
    db.session.rollback()
    assert count() == 1


def test_removing_a_holiday_is_audited(people):
    holiday = add(people)
    holiday_id = holiday.id
    holiday_services.remove_holiday(people["hr"], holiday, now=NOW)
    db.session.commit()
    assert count() == 0 and holiday_services.holidays() == frozenset()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "holiday.remove"))
    assert entry.object_id == str(holiday_id) and entry.before["name"] == "Cuti bersama" and entry.after is None


# --- what a holiday changes ----------------------------------------------------------------------------

def test_the_week_page_no_longer_asks_for_a_holiday(people):
    analis = people["pelaksana"]
    file(analis, MONDAY)
    assert week_of(analis, MONDAY).missing == [date(2026, 1, 13), WEDNESDAY, date(2026, 1, 15)]
    add(people)
    assert week_of(analis, MONDAY).missing == [date(2026, 1, 13), date(2026, 1, 15)]


def test_lock_week_expects_one_day_less_in_a_week_with_a_holiday(people):
    add(people)
    for day in (MONDAY, date(2026, 1, 13), date(2026, 1, 15), FRIDAY):
        file(people["pelaksana"], day, now=NOW if day <= date(2026, 1, 15) else datetime(2026, 1, 16, 3, tzinfo=UTC))
    with at(WIB_CLOSE):
        lock_week(WIB_CLOSE)
    db.session.commit()
    row = db.session.scalar(select(WeekLock).where(WeekLock.employee_id == people["pelaksana"].id))
    assert (row.filed, row.expected, row.percent) == (4, 4, 100.0)


# --- HR's page -------------------------------------------------------------------------------------

@pytest.fixture
def hr_client(client, people):
    login_as(client, user(people["hr"]))
    return client


def test_anonymous_goes_to_login_and_changes_nothing(client, people):
    holiday = add(people)
    for response in (client.get("/execution/hr/holidays"),
                     client.post("/execution/hr/holidays", data={"day": "2026-01-16", "name": "x"}),
                     client.post(f"/execution/hr/holidays/{holiday.id}/delete")):
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert count() == 1


def test_non_hr_is_refused_everywhere(client, people):
    holiday = add(people)
    login_as(client, user(people["direktur"], "PENGELOLA_KINERJA"))
    assert client.get("/execution/hr/holidays").status_code == 403
    assert client.post("/execution/hr/holidays", data={"day": "2026-01-16", "name": "x"}).status_code == 403
    assert client.post(f"/execution/hr/holidays/{holiday.id}/delete").status_code == 403
    assert count() == 1


def test_hr_sees_the_year_with_hr_and_configured_holidays(app, hr_client, people, monkeypatch):
    add(people, name="Cuti bersama Isra Mikraj")
    monkeypatch.setitem(app.config, "HOLIDAYS", ["2026-01-01"])
    page = hr_client.get("/execution/hr/holidays?year=2026")
    assert page.status_code == 200 and b"<html" in page.data
    assert "Cuti bersama Isra Mikraj" in page.text and "dari konfigurasi (HOLIDAYS)" in page.text
    other = hr_client.get("/execution/hr/holidays?year=2027", headers=HX)
    assert b"<html" not in other.data and 'id="hr-holidays"' in other.text
    assert "Belum ada hari libur tercatat untuk tahun 2027" in other.text


def test_hr_adds_a_holiday_inline(hr_client):
    response = hr_client.post("/execution/hr/holidays?year=2026", headers=HX,
                              data={"day": "2026-01-16", "name": "Cuti bersama"})
    assert response.status_code == 200 and b"<html" not in response.data
    assert "dicatat sebagai hari libur" in response.text and "Jumat, 16 Januari 2026" in response.text
    assert [h.day for h in holiday_services.holidays_of(2026)] == [FRIDAY]


def test_a_plain_post_redirects_to_the_year_with_a_flash(hr_client):
    response = hr_client.post("/execution/hr/holidays", data={"day": "2026-01-16", "name": "Cuti bersama"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/execution/hr/holidays?year=2026")
    assert "dicatat sebagai hari libur" in hr_client.get(response.headers["Location"]).text


@pytest.mark.parametrize(("data", "message"), [
    ({"day": "2026-01-17", "name": "Sabtu"}, "Sabtu dan Minggu sudah bukan hari kerja."),
    ({"day": "16-01-2026", "name": "Cuti"}, "Tanggal tidak valid"),
    ({"day": "", "name": "Cuti"}, "Tanggal wajib diisi."),
    ({"day": "2026-01-16", "name": ""}, "Nama hari libur wajib diisi."),
    ({"day": "2026-01-09", "name": "Minggu lalu"}, "sudah ditutup"),
])
def test_bad_input_re_renders_the_form_with_422_and_stores_nothing(hr_client, data, message):
    response = hr_client.post("/execution/hr/holidays?year=2026", headers=HX, data=data)
    assert response.status_code == 422 and message in response.text and 'class="field-error"' in response.text
    assert f'value="{data["name"]}"' in response.text  # what was typed is kept
    assert count() == 0


def test_hr_removes_a_holiday_and_cannot_remove_one_of_a_closed_week(hr_client, people, frozen):
    holiday = add(people)
    response = hr_client.post(f"/execution/hr/holidays/{holiday.id}/delete", headers=HX)
    assert response.status_code == 200 and "dihapus dari hari libur" in response.text and count() == 0
    kept = add(people, day=FRIDAY)
    frozen.move_to(WIB_CLOSE)
    response = hr_client.post(f"/execution/hr/holidays/{kept.id}/delete", headers=HX)
    assert response.status_code == 422 and "sudah ditutup" in response.text and count() == 1
    assert hr_client.post("/execution/hr/holidays/999999/delete", headers=HX).status_code == 404

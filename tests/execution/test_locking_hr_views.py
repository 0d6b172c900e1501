"""HR pages of execution: weeks of an employee and reopening one (then the employee can write again),
the blocked list with filters, paging and CSV, weekly compliance per unit. Access: anonymous 302,
non-HR 403, ADMIN allowed; partials with and without HX-Request; 422 on bad input."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from kinerja.audit.models import AuditEntry
from kinerja.execution import services
from kinerja.execution.locking import lock_week
from kinerja.execution.models import WeekReopening
from kinerja.execution.sync import sync_skp
from kinerja.extensions import db
from kinerja.planning import skp as skp_services
from tests.execution.fixtures import file
from tests.factories import login_as
from tests.planning.skp_fixtures import full_skp, leader_skp
from tests.planning.test_skp_views import account as user

HX = {"HX-Request": "true"}
MONDAY = date(2026, 1, 12)
AFTER_CLOSE = datetime(2026, 1, 19, 3, 0, tzinfo=UTC)  # Monday 19 January 10:00 WIB: week of 12 January closed
PAGES = ["/execution/hr/weeks", "/execution/hr/blocked", "/execution/hr/blocked.csv", "/execution/hr/compliance"]


@pytest.fixture
def hr_client(client, people):
    login_as(client, user(people["hr"]))
    return client


# --- access --------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", PAGES + ["/execution/hr/weeks?nip=123"])
def test_anonymous_goes_to_login(client, app, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_anonymous_post_reopen_goes_to_login(client, people):
    response = client.post(f"/execution/hr/weeks/{people['analis'].nip}/reopen", data={})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert db.session.scalar(select(func.count(WeekReopening.id))) == 0


@pytest.mark.parametrize("url", PAGES)
def test_non_hr_is_refused(client, people, url):
    login_as(client, user(people["direktur"]))
    assert client.get(url).status_code == 403


def test_non_hr_cannot_reopen(client, people, frozen):
    frozen.move_to(AFTER_CLOSE)
    login_as(client, user(people["direktur"], "PENGELOLA_KINERJA"))
    response = client.post(f"/execution/hr/weeks/{people['analis'].nip}/reopen",
                           data={"week_start": "2026-01-12", "until": "2026-01-21T17:00", "reason": "x"})
    assert response.status_code == 403
    assert db.session.scalar(select(func.count(WeekReopening.id))) == 0


@pytest.mark.parametrize("url", PAGES)
def test_admin_may_see_every_hr_page(client, people, url):
    login_as(client, user(people["deputi"], "ADMIN"))
    assert client.get(url).status_code == 200


# --- weeks and reopening ---------------------------------------------------------------------------

def test_weeks_page_without_nip_shows_the_search(hr_client):
    response = hr_client.get("/execution/hr/weeks")
    assert response.status_code == 200 and b'id="hr-weeks-panel"' in response.data and b"<html" in response.data


@pytest.mark.parametrize("nip", ["123", "abcdefghijklmnopqr", "199001012020121999"])
def test_weeks_page_bad_or_unknown_nip_is_422(hr_client, nip):
    response = hr_client.get(f"/execution/hr/weeks?nip={nip}", headers=HX)
    assert response.status_code == 422 and b"<html" not in response.data
    assert b"NIP" in response.data or "tidak ditemukan" in response.get_data(as_text=True)


def test_weeks_page_shows_recent_weeks_full_page_and_partial(hr_client, people, frozen):
    pelaksana = people["pelaksana"]
    file(pelaksana, MONDAY)
    frozen.move_to(AFTER_CLOSE)
    lock_week(AFTER_CLOSE)
    db.session.commit()
    full = hr_client.get(f"/execution/hr/weeks?nip={pelaksana.nip}")
    text = full.get_data(as_text=True)
    assert full.status_code == 200 and "<html" in text and pelaksana.name in text
    assert "1 / 5" in text and "Ditutup" in text and "Terbuka" in text  # last week locked, this week open
    partial = hr_client.get(f"/execution/hr/weeks?nip={pelaksana.nip}", headers=HX)
    body = partial.get_data(as_text=True)
    assert partial.status_code == 200 and "<html" not in body
    assert body.lstrip().startswith('<section id="hr-weeks-panel"')


def test_reopen_then_the_employee_can_write_again(hr_client, people, frozen):
    pelaksana = people["pelaksana"]
    frozen.move_to(AFTER_CLOSE)
    assert not services.is_writable(pelaksana, date(2026, 1, 16))
    response = hr_client.post(f"/execution/hr/weeks/{pelaksana.nip}/reopen",
                              data={"week_start": "2026-01-12", "until": "2026-01-21T17:00",
                                    "reason": "Sakit, tidak dapat mengisi"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/execution/hr/weeks?nip={pelaksana.nip}")
    reopening = db.session.scalar(select(WeekReopening))
    assert reopening.until == datetime(2026, 1, 21, 10, 0)  # 17:00 WIB in UTC
    assert reopening.created_by_id == people["hr"].id and reopening.reason == "Sakit, tidak dapat mengisi"
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "visum.reopen_week")) is not None
    visum = file(pelaksana, date(2026, 1, 16), now=AFTER_CLOSE)
    assert visum.id is not None
    page = hr_client.get(f"/execution/hr/weeks?nip={pelaksana.nip}").get_data(as_text=True)
    assert "Dibuka kembali s.d. 21-01-2026 17.00 WIB" in page and "Sakit, tidak dapat mengisi" in page


def test_reopen_with_htmx_answers_the_panel_and_the_flash(hr_client, people, frozen):
    frozen.move_to(AFTER_CLOSE)
    response = hr_client.post(f"/execution/hr/weeks/{people['analis'].nip}/reopen", headers=HX,
                              data={"week_start": "2026-01-12", "until": "2026-01-20T12:00", "reason": "Dinas luar"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="hr-weeks-panel"' in body and 'hx-swap-oob="true"' in body
    assert "dibuka kembali" in body


@pytest.mark.parametrize(("data", "message"), [
    ({"week_start": "2026-01-12", "until": "2026-01-21T17:00", "reason": ""}, "Alasan wajib diisi"),
    ({"week_start": "2026-01-12", "until": "2026-01-18T17:00", "reason": "x"}, "masa depan"),
    ({"week_start": "2026-01-12", "until": "besok", "reason": "x"}, "Waktu tidak valid"),
    ({"week_start": "2026-01-19", "until": "2026-01-21T17:00", "reason": "x"}, "Pilihan tidak valid"),  # still open
    ({"week_start": "2026-01-13", "until": "2026-01-21T17:00", "reason": "x"}, "Pilihan tidak valid"),
])
def test_reopen_bad_input_is_422_and_stores_nothing(hr_client, people, frozen, data, message):
    frozen.move_to(AFTER_CLOSE)
    response = hr_client.post(f"/execution/hr/weeks/{people['analis'].nip}/reopen", data=data, headers=HX)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(WeekReopening.id))) == 0


def test_reopen_unknown_employee_is_404(hr_client):
    response = hr_client.post("/execution/hr/weeks/199001012020121999/reopen", data={"reason": "x"})
    assert response.status_code == 404


# --- blocked list ----------------------------------------------------------------------------------

@pytest.fixture
def synced(people, frozen):
    _, leader_rhk = leader_skp(people["direktur"], approve_by=people["deputi"])
    skp = full_skp(people["analis"], parent=leader_rhk)
    skp_services.submit_skp(people["analis"], skp)
    db.session.commit()
    sync_skp(2026, datetime(2026, 2, 5, 17, 30, tzinfo=UTC))
    db.session.commit()
    return skp


def test_blocked_list_shows_who_and_why(hr_client, people, synced):
    response = hr_client.get("/execution/hr/blocked?year=2026")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in text
    assert people["staf2"].nip in text and people["analis"].nip in text and people["direktur"].nip not in text
    assert "SKP belum disetujui" in text and "Belum membuat SKP" in text and "Masih diblokir" in text
    assert "Unduh CSV" in text


def test_blocked_list_filters_by_unit_subtree_and_answers_a_partial(hr_client, people, synced):
    response = hr_client.get("/execution/hr/blocked?year=2026&unit=DIT2", headers=HX)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in text and 'id="hr-blocked-results"' in text
    assert people["staf2"].nip in text and people["pelaksana"].nip not in text
    subtree = hr_client.get("/execution/hr/blocked?year=2026&unit=DIT").get_data(as_text=True)
    assert people["kasi"].nip in subtree and people["staf2"].nip not in subtree  # SEKSI is under DIT


def test_blocked_list_shows_cleared_since_once_the_skp_is_approved(hr_client, people, synced, frozen):
    frozen.move_to(datetime(2026, 2, 9, 3, 0, tzinfo=UTC))
    skp_services.approve_skp(people["direktur"], synced)
    db.session.commit()
    text = hr_client.get("/execution/hr/blocked?year=2026&status=CLEARED").get_data(as_text=True)
    assert people["analis"].nip in text and "Dibuka sejak 09-02-2026" in text and people["staf2"].nip not in text
    still = hr_client.get("/execution/hr/blocked?year=2026&status=BLOCKED").get_data(as_text=True)
    assert people["analis"].nip not in still and people["staf2"].nip in still


def test_blocked_list_pages(hr_client, people, synced, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 3)
    first = hr_client.get("/execution/hr/blocked?year=2026").get_data(as_text=True)
    assert "Halaman 1 dari 3" in first and "1–3 dari 9" in first
    last = hr_client.get("/execution/hr/blocked?year=2026&page=3", headers=HX).get_data(as_text=True)
    assert "7–9 dari 9" in last


def test_blocked_csv(hr_client, people, synced):
    response = hr_client.get("/execution/hr/blocked.csv?year=2026&unit=DIT2")
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")
    assert "visum-diblokir-2026.csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    by_nip = {r["nip"]: r for r in rows}
    assert set(by_nip) == {people["staf2"].nip, people["direktur2"].nip}
    row = by_nip[people["staf2"].nip]
    assert (row["name"], row["unit_code"], row["reason"], row["status"]) == (people["staf2"].name, "DIT2", "NO_SKP",
                                                                               "BLOCKED")
    assert row["cleared_at"] == "" and row["listed_at"] == "2026-02-05T17:30:00"


@pytest.mark.parametrize(("query", "message"), [("year=1800", "Tahun tidak valid."), ("year=abc", "Tahun"),
                                                ("unit=NOPE", "Kode unit tidak dikenal.")])
def test_blocked_bad_filter_is_422(hr_client, synced, query, message):
    response = hr_client.get(f"/execution/hr/blocked?{query}", headers=HX)
    assert response.status_code == 422 and 'class="error-box"' in response.text and message in response.text
    assert hr_client.get(f"/execution/hr/blocked.csv?{query}").status_code == 422


def test_blocked_list_before_any_sync_says_so(hr_client):
    text = hr_client.get("/execution/hr/blocked?year=2026").get_data(as_text=True)
    assert "belum dijalankan" in text and "Tidak ada pegawai" in text


# --- compliance ----------------------------------------------------------------------------------

@pytest.fixture
def locked(people, zoned, frozen):
    for day in (MONDAY, date(2026, 1, 13), date(2026, 1, 14)):
        file(people["pelaksana"], day)
    file(zoned["Asia/Jayapura"], MONDAY)
    frozen.move_to(AFTER_CLOSE)
    lock_week(AFTER_CLOSE)
    db.session.commit()


def test_compliance_lists_units_lowest_first(hr_client, people, locked):
    text = hr_client.get("/execution/hr/compliance?week=2026-01-14").get_data(as_text=True)
    assert "<html" in text and "Minggu Senin, 12 Januari 2026" in text

    def at(code):
        return text.index(f'<small class="muted">{code}</small>')

    assert at("PWK-WITA") < at("DIT") < at("PWK-WIT")  # 0%, then DIT 3 of 20 (15%), then WIT 1 of 5 (20%)
    assert "3 / 20" in text and "1 / 5" in text


def test_compliance_defaults_to_the_latest_locked_week_and_drills_into_a_unit(hr_client, people, locked):
    page = hr_client.get("/execution/hr/compliance")
    assert page.status_code == 200 and "12 Januari 2026" in page.get_data(as_text=True)
    drill = hr_client.get("/execution/hr/compliance?week=2026-01-12&unit=DIT", headers=HX)
    text = drill.get_data(as_text=True)
    assert drill.status_code == 200 and "<html" not in text and 'id="hr-compliance-results"' in text
    assert people["pelaksana"].nip in text and "3 / 5" in text and "60%" in text
    assert text.index(people["analis"].nip) < text.index(people["pelaksana"].nip)  # 0% before 60%


@pytest.mark.parametrize(("query", "message"), [("week=kemarin", "Tanggal tidak valid"),
                                                ("unit=NOPE", "Kode unit tidak dikenal."), ("page=0", "Halaman")])
def test_compliance_bad_input_is_422(hr_client, locked, query, message):
    response = hr_client.get(f"/execution/hr/compliance?{query}", headers=HX)
    assert response.status_code == 422 and 'class="error-box"' in response.text and message in response.text


def test_compliance_without_any_lock(hr_client):
    text = hr_client.get("/execution/hr/compliance").get_data(as_text=True)
    assert "penutupan mingguan otomatis belum pernah berjalan" in text and "Minggu pukul 23.59" in text
    assert "lock-week" not in text  # no code words for users


def test_compliance_of_a_week_not_recorded_yet_says_why(hr_client, locked):
    text = hr_client.get("/execution/hr/compliance?week=2026-01-20").get_data(as_text=True)  # this week: open
    assert "Minggu ini belum ditutup" in text and "Rekap terakhir" in text

"""A visum returned in a week that has since closed: the week page says what to do and lets the employee
ask HR to reopen the week; HR sees the request on the reopen page, and reopening the week grants it or
declining it (with a reason) answers it; both notify. Access, HTMX and plain requests, 409/422/403/404."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from kinerja.audit.models import AuditEntry
from kinerja.execution import reopen_requests, services
from kinerja.execution.models import Notification, Visum, WeekReopenRequest
from kinerja.extensions import db
from kinerja.rules.planning import NotAllowed, PlanningRuleError, WrongState
from tests.factories import login_as
from tests.planning.test_skp_views import account as user

HX = {"HX-Request": "true"}
WEDNESDAY = date(2026, 1, 14)
MONDAY = date(2026, 1, 12)
AFTER_CLOSE = datetime(2026, 1, 19, 3, 0, tzinfo=UTC)  # Monday 19 January 10:00 WIB: the week of 12 January closed
WEEK = f"/execution/visum?week={MONDAY.isoformat()}"
ASK = "/execution/visum/reopen-request"


@pytest.fixture
def returned(people, frozen):
    """The pelaksana's Wednesday visum, returned by the Direktur; then the week closes."""
    visum = file(people["pelaksana"], WEDNESDAY)
    services.return_visum(people["direktur"], visum, "Lampirkan daftar hadir.")
    db.session.commit()
    frozen.move_to(AFTER_CLOSE)
    return visum


def file(employee, day):
    """File a visum as the employee himself, now (the frozen clock), and commit."""
    visum = services.file_visum(employee, employee, day=day, activity="Menyusun laporan")
    db.session.commit()
    return visum


def log_in(client, employee):
    login_as(client, user(employee))
    return client


def requests_of(employee, status=None) -> list[WeekReopenRequest]:
    db.session.expire_all()
    stmt = select(WeekReopenRequest).where(WeekReopenRequest.employee_id == employee.id)
    if status:
        stmt = stmt.where(WeekReopenRequest.status == status)
    return list(db.session.scalars(stmt))


def notes(employee, kind) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.employee_id == employee.id,
                                                              Notification.kind == kind)))


def audits(action) -> int:
    return db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == action))


# --- the employee's closed week -------------------------------------------------------------------

def test_the_closed_week_says_what_to_do_and_offers_the_request(client, people, returned):
    html = log_in(client, people["pelaksana"]).get(WEEK).get_data(as_text=True)
    assert "Minggu ini sudah ditutup" in html
    assert "1 visum minggu ini dikembalikan Pejabat Penilai" in html and "Kepegawaian" in html
    assert 'hx-post="/execution/visum/reopen-request"' in html and "Minta pembukaan minggu" in html
    assert f'name="week" value="{MONDAY.isoformat()}"' in html


def test_an_open_week_offers_no_request(client, people, frozen):
    file(people["pelaksana"], WEDNESDAY)
    html = log_in(client, people["pelaksana"]).get(WEEK).get_data(as_text=True)
    assert "Minta pembukaan minggu" not in html and 'id="visum-reopen"' not in html


def test_the_assessors_read_only_week_offers_no_request(client, people, returned):
    html = log_in(client, people["direktur"]).get(
        f"/execution/visum/{people['pelaksana'].nip}?week={MONDAY.isoformat()}").get_data(as_text=True)
    assert "Minta pembukaan minggu" not in html and "Hanya Kepegawaian yang dapat membuka kembali" in html


def test_asking_with_htmx_answers_the_partial_notifies_hr_and_is_audited(client, people, returned):
    response = log_in(client, people["pelaksana"]).post(ASK, data={"week": "2026-01-14", "note": "Daftar hadir ada"},
                                                        headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and body.lstrip().startswith('<div id="visum-reopen"')
    assert "<html" not in body and "Menunggu Kepegawaian" in body and "Daftar hadir ada" in body
    [item] = requests_of(people["pelaksana"])
    assert (item.week_start, item.status, item.note) == (MONDAY, "OPEN", "Daftar hadir ada")  # any day: its Monday
    assert audits("week_reopen_request.create") == 1
    [note] = notes(people["hr"], "REOPEN_REQUEST")
    assert people["pelaksana"].name in note.message and "Daftar hadir ada" in note.message
    assert note.link == f"/execution/hr/weeks?nip={people['pelaksana'].nip}"
    # one open request per employee and week: asking again is refused (409) and stores nothing
    again = client.post(ASK, data={"week": "2026-01-12"}, headers=HX)
    assert again.status_code == 409 and "sudah dikirim" in again.get_data(as_text=True)
    assert len(requests_of(people["pelaksana"])) == 1
    assert "Menunggu Kepegawaian" in client.get(WEEK).get_data(as_text=True)


def test_asking_without_htmx_redirects_to_the_week(client, people, returned):
    response = log_in(client, people["pelaksana"]).post(ASK, data={"week": "2026-01-12"})
    assert response.status_code == 303 and response.headers["Location"].endswith(WEEK)
    [item] = requests_of(people["pelaksana"])
    assert item.note is None
    assert "Permintaan pembukaan minggu dikirim" in client.get(WEEK).get_data(as_text=True)


@pytest.mark.parametrize("headers", [HX, {}])
def test_a_note_too_long_is_422_and_stores_nothing(client, people, returned, headers):
    response = log_in(client, people["pelaksana"]).post(ASK, data={"week": "2026-01-12", "note": "x" * 501},
                                                        headers=headers)
    assert response.status_code == 422 and "paling panjang 500" in response.get_data(as_text=True)
    assert ("<html" in response.get_data(as_text=True)) is (headers == {})
    assert requests_of(people["pelaksana"]) == []


@pytest.mark.parametrize("headers", [HX, {}])
def test_asking_for_an_open_week_is_422(client, people, frozen, headers):
    response = log_in(client, people["pelaksana"]).post(ASK, data={"week": "2026-01-12"}, headers=headers)
    assert response.status_code == 422 and "masih terbuka" in response.get_data(as_text=True)
    assert requests_of(people["pelaksana"]) == []


def test_an_empty_post_is_422(client, people, returned):
    response = log_in(client, people["pelaksana"]).post(ASK, data={}, headers=HX)
    assert response.status_code == 422 and requests_of(people["pelaksana"]) == []


def test_the_service_asks_only_for_ones_own_week(people, returned):
    with pytest.raises(NotAllowed):
        reopen_requests.request_reopening(people["direktur"], people["pelaksana"], MONDAY)
    with pytest.raises(PlanningRuleError) as caught:
        reopen_requests.request_reopening(people["pelaksana"], people["pelaksana"], WEDNESDAY)
    assert caught.value.code == "NOT_A_MONDAY"


# --- HR --------------------------------------------------------------------------------------------

@pytest.fixture
def asked(people, returned):
    item = reopen_requests.request_reopening(people["pelaksana"], people["pelaksana"], MONDAY, "Sudah ada")
    db.session.commit()
    return item


def test_hr_sees_open_requests_on_the_reopen_page(client, people, asked):
    log_in(client, people["hr"])
    listing = client.get("/execution/hr/weeks").get_data(as_text=True)
    assert 'id="hr-reopen-requests"' in listing and people["pelaksana"].name in listing and "Sudah ada" in listing
    for headers in (HX, {}):
        panel = client.get(f"/execution/hr/weeks?nip={people['pelaksana'].nip}", headers=headers)
        html = panel.get_data(as_text=True)
        assert panel.status_code == 200 and "Permintaan pembukaan dari pegawai" in html
        assert f'action="/execution/hr/reopen-requests/{asked.id}/decline"' in html
        assert '<option selected value="2026-01-12">' in html or 'value="2026-01-12" selected' in html


def test_reopening_the_week_grants_the_request_and_lets_him_fix_the_visum(client, people, returned, asked):
    log_in(client, people["hr"])
    response = client.post(f"/execution/hr/weeks/{people['pelaksana'].nip}/reopen", headers=HX,
                           data={"week_start": "2026-01-12", "until": "2026-01-21T17:00", "reason": "Atas permintaan"})
    assert response.status_code == 200 and "Permintaan pembukaan dari pegawai" not in response.get_data(as_text=True)
    [item] = requests_of(people["pelaksana"])
    assert item.status == "GRANTED" and item.reopening_id is not None and item.decided_by_id == people["hr"].id
    assert audits("week_reopen_request.grant") == 1
    [note] = notes(people["pelaksana"], "REOPEN_ANSWER")
    assert "membuka kembali" in note.message and "21-01-2026 17.00 WIB" in note.message
    visum = db.session.get(Visum, returned.id)
    services.update_visum(people["pelaksana"], visum, activity="Rapat, daftar hadir terlampir")
    db.session.commit()
    assert db.session.get(Visum, returned.id).status == "SUBMITTED"
    assert "Tidak ada permintaan yang menunggu" in client.get("/execution/hr/weeks").get_data(as_text=True)


@pytest.mark.parametrize("headers", [HX, {}])
def test_hr_declines_with_a_reason_and_the_employee_is_told(client, people, asked, headers):
    log_in(client, people["hr"])
    url = f"/execution/hr/reopen-requests/{asked.id}/decline"
    refused = client.post(url, data={"reason": ""}, headers=headers)
    assert refused.status_code == 422 and "Alasan penolakan wajib diisi" in refused.get_data(as_text=True)
    assert requests_of(people["pelaksana"], "OPEN")
    response = client.post(url, data={"reason": "Batas perbaikan sudah lewat"}, headers=headers)
    if headers:
        assert response.status_code == 200 and 'hx-swap-oob="true"' in response.get_data(as_text=True)
    else:
        assert response.status_code == 303
    [item] = requests_of(people["pelaksana"])
    assert (item.status, item.decline_reason, item.decided_by_id) == ("DECLINED", "Batas perbaikan sudah lewat",
                                                                      people["hr"].id)
    assert audits("week_reopen_request.decline") == 1
    [note] = notes(people["pelaksana"], "REOPEN_ANSWER")
    assert "ditolak" in note.message and "Batas perbaikan sudah lewat" in note.message
    assert client.post(url, data={"reason": "Lagi"}, headers=headers).status_code == 409  # already answered
    # the employee reads why on his week and may ask again
    week = log_in(client, people["pelaksana"]).get(WEEK).get_data(as_text=True)
    assert "Ditolak" in week and "Batas perbaikan sudah lewat" in week and "Minta pembukaan minggu" in week
    assert client.post(ASK, data={"week": "2026-01-12"}, headers=HX).status_code == 200
    assert len(requests_of(people["pelaksana"], "OPEN")) == 1


@pytest.mark.parametrize("who", ["pelaksana", "direktur", "analis"])
def test_only_hr_may_act_on_requests(client, people, asked, who):
    log_in(client, people[who])
    url = f"/execution/hr/reopen-requests/{asked.id}/decline"
    for headers in (HX, {}):
        assert client.post(url, data={"reason": "Tidak"}, headers=headers).status_code == 403
        assert client.get("/execution/hr/weeks", headers=headers).status_code == 403
    assert requests_of(people["pelaksana"], "OPEN")
    with pytest.raises(NotAllowed):
        reopen_requests.decline_request(people[who], asked, "Tidak")


def test_an_unknown_request_is_404_for_hr(client, people, asked):
    log_in(client, people["hr"])
    assert client.post("/execution/hr/reopen-requests/999999/decline", data={"reason": "x"}).status_code == 404


def test_the_service_refuses_a_second_answer(people, asked):
    reopen_requests.decline_request(people["hr"], asked, "Tidak dapat")
    db.session.commit()
    with pytest.raises(WrongState):
        reopen_requests.decline_request(people["hr"], asked, "Lagi")

"""Visum pages: the week (own and read-only), add/edit/delete/copy yesterday with and without HTMX,
422 on bad input, 423 on a closed week, 409 on an approved visum, 403 for someone else, the
double-click token, E-Visum words, evidence upload and the evidence file's access."""

import io
import os
import re
from datetime import UTC, date, datetime

import pytest
from PIL import Image
from sqlalchemy import func, select

from kinerja.auth import services as auth_services
from kinerja.execution import evidence as evidence_services
from kinerja.execution import services
from kinerja.execution.models import Evidence, Visum
from kinerja.extensions import db
from tests.execution.fixtures import AFTER_SYNC, NOW, THURSDAY, file, iki_of
from tests.factories import login_as

HX = {"HX-Request": "true"}
WEDNESDAY = date(2026, 1, 14)
MONDAY = date(2026, 1, 12)


def login(client, employee):
    user = auth_services.user_for(employee)
    db.session.commit()
    login_as(client, user)
    return user


def visum_count(employee=None):
    stmt = select(func.count(Visum.id))
    if employee is not None:
        stmt = stmt.where(Visum.employee_id == employee.id)
    return db.session.scalar(stmt)


def jpeg(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def stored_files() -> set[str]:
    folder = evidence_services.evidence_folder()
    return set(os.listdir(folder)) if os.path.isdir(folder) else set()


# --- the week page -------------------------------------------------------------------------------

def test_anonymous_is_sent_to_login(client, people):
    response = client.get("/execution/visum")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    response = client.get("/execution/visum", headers=HX)
    assert response.status_code == 401 and "/login" in response.headers["HX-Redirect"]


def test_anonymous_changes_are_sent_to_login_and_store_nothing(client, people):
    visum = file(people["pelaksana"], WEDNESDAY)
    for path in ("/execution/visum/day/2026-01-14", "/execution/visum/day/2026-01-14/copy",
                 f"/execution/visum/{visum.id}/edit", f"/execution/visum/{visum.id}/delete",
                 f"/execution/visum/{visum.id}/evidence"):
        response = client.post(path, data={"activity": "x", "url": "https://a.id"})
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    for path in (f"/execution/visum/{people['pelaksana'].nip}", "/execution/visum/day/2026-01-14",
                 f"/execution/visum/{visum.id}/edit"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"], path
    assert visum_count() == 1 and db.session.scalar(select(func.count(Evidence.id))) == 0


def test_week_page_shows_days_missing_and_closing_time(client, people):
    login(client, people["pelaksana"])
    file(people["pelaksana"], MONDAY, activity="Rapat koordinasi")
    response = client.get("/execution/visum")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in html
    for day in range(12, 19):
        assert f'id="day-2026-01-{day:02d}"' in html
    assert "Rapat koordinasi" in html
    assert "Minggu, 18 Januari 2026 pukul 23.59 WIB" in html
    assert "3 hari kerja belum diisi" in html  # Tuesday, Wednesday, Thursday (today); Friday is future
    assert "SIVIKA" in html and 'capture="environment"' in html  # a photo for Monday's visum


def test_week_partial_for_htmx_and_week_navigation(client, people):
    login(client, people["pelaksana"])
    response = client.get("/execution/visum?week=2026-01-05", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and 'id="visum-week"' in html
    assert 'id="day-2026-01-05"' in html and "sudah ditutup" in html
    assert "Tambah visum" not in html  # a closed week offers no form
    assert "week=2026-01-12" in html  # next week link


def test_bad_week_argument_falls_back_to_this_week(client, people):
    login(client, people["pelaksana"])
    response = client.get("/execution/visum?week=kemarin")
    assert response.status_code == 200 and 'id="day-2026-01-15"' in response.get_data(as_text=True)


def test_penyuluh_sees_e_visum_words(client, people):
    login(client, people["penyuluh"])
    html = client.get("/execution/visum").get_data(as_text=True)
    assert "E-Visum" in html and "kegiatan lapangan" in html.lower() and "lokasi" in html


# --- add ----------------------------------------------------------------------------------------

def test_add_with_htmx_returns_the_day_and_the_summary(client, people):
    login(client, people["pelaksana"])
    response = client.post("/execution/visum/day/2026-01-14", data={"activity": "Menyusun notula",
                                                                    "output_quantity": "2", "output_unit": "dokumen",
                                                                    "client_token": "tok1"}, headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="day-2026-01-14"') and "Menyusun notula" in html
    assert 'id="visum-summary"' in html and 'hx-swap-oob="true"' in html
    assert visum_count(people["pelaksana"]) == 1
    visum = db.session.scalar(select(Visum))
    assert visum.day == WEDNESDAY and visum.output_quantity == 2 and visum.channel == "SIVIKA"


def test_add_without_htmx_redirects_to_the_week(client, people):
    login(client, people["pelaksana"])
    response = client.post("/execution/visum/day/2026-01-14", data={"activity": "Rapat"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/execution/visum?week=2026-01-14#day-2026-01-14")
    assert visum_count() == 1


def test_double_click_files_one_visum(client, people):
    login(client, people["pelaksana"])
    data = {"activity": "Rapat", "client_token": "same-token"}
    assert client.post("/execution/visum/day/2026-01-15", data=data, headers=HX).status_code == 200
    assert client.post("/execution/visum/day/2026-01-15", data=data, headers=HX).status_code == 200
    assert visum_count() == 1


def test_rendered_form_carries_a_fresh_token(client, people):
    login(client, people["pelaksana"])
    html = client.get("/execution/visum").get_data(as_text=True)
    tokens = re.findall(r'id="add-2026-01-1[45]-token" name="client_token" type="hidden" value="([0-9a-f]{32})"', html)
    assert len(tokens) == 2 and tokens[0] != tokens[1]


@pytest.mark.parametrize("headers", [HX, {}])
def test_empty_activity_is_422_with_the_error(client, people, headers):
    login(client, people["pelaksana"])
    response = client.post("/execution/visum/day/2026-01-14", data={"activity": "  "}, headers=headers)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Uraian kegiatan wajib diisi." in html
    assert ("<html" in html) == (not headers)
    assert visum_count() == 0


def test_future_date_is_422(client, people):
    login(client, people["pelaksana"])
    response = client.post("/execution/visum/day/2026-01-16", data={"activity": "Nanti"}, headers=HX)
    assert response.status_code == 422 and "tanggalnya belum tiba" in response.get_data(as_text=True)
    assert visum_count() == 0


def test_iki_not_in_the_approved_skp_is_422(client, people, approved):
    login(client, people["analis"])
    response = client.post("/execution/visum/day/2026-01-14", data={"activity": "Analisis", "iki_id": "999999"},
                           headers=HX)
    assert response.status_code == 422
    assert "bukan bagian dari SKP" in response.get_data(as_text=True)
    assert visum_count() == 0


def test_iki_of_the_approved_skp_is_offered_and_accepted(client, people, approved):
    login(client, people["analis"])
    iki = iki_of(approved)
    html = client.get("/execution/visum").get_data(as_text=True)
    assert f'<option value="{iki.id}">' in html
    response = client.post("/execution/visum/day/2026-01-14", data={"activity": "Analisis", "iki_id": str(iki.id),
                                                                    "output_quantity": "1"}, headers=HX)
    assert response.status_code == 200
    visum = db.session.scalar(select(Visum))
    assert visum.iki_id == iki.id and visum.output_unit == "dokumen" and visum.skp_id == approved.id


def test_closed_week_is_423(client, people):
    login(client, people["pelaksana"])
    response = client.post("/execution/visum/day/2026-01-09", data={"activity": "Terlambat"}, headers=HX)
    assert response.status_code == 423 and visum_count() == 0


def test_february_gate_without_approved_skp_shows_why(client, people, frozen):
    frozen.move_to(AFTER_SYNC)
    login(client, people["pelaksana"])
    html = client.get("/execution/visum").get_data(as_text=True)
    assert "belum dapat diisi" in html and "SKP tahun 2026 yang sudah disetujui" in html
    assert "Tambah visum" not in html
    response = client.post("/execution/visum/day/2026-02-09", data={"activity": "Rapat"}, headers=HX)
    assert response.status_code == 403 and visum_count() == 0


# --- edit and delete ----------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [HX, {}])
def test_edit_form_and_save(client, people, headers):
    visum = file(people["pelaksana"], WEDNESDAY, activity="Lama")
    login(client, people["pelaksana"])
    form = client.get(f"/execution/visum/{visum.id}/edit", headers=headers)
    html = form.get_data(as_text=True)
    assert form.status_code == 200 and "Simpan perubahan" in html and "Lama" in html
    assert ("<html" in html) == (not headers)
    response = client.post(f"/execution/visum/{visum.id}/edit", data={"date": "2026-01-14", "activity": "Baru"},
                           headers=headers)
    assert response.status_code == (200 if headers else 303)
    db.session.expire_all()
    assert db.session.get(Visum, visum.id).activity == "Baru"


def test_edit_moving_the_date_renders_both_days(client, people):
    visum = file(people["pelaksana"], WEDNESDAY)
    login(client, people["pelaksana"])
    response = client.post(f"/execution/visum/{visum.id}/edit", data={"date": "2026-01-13", "activity": "Pindah"},
                           headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="day-2026-01-14"' in html
    assert '<section id="day-2026-01-13" class="visum-day' in html and html.count('hx-swap-oob="true"') == 2


def test_edit_to_future_date_is_422(client, people):
    visum = file(people["pelaksana"], WEDNESDAY)
    login(client, people["pelaksana"])
    response = client.post(f"/execution/visum/{visum.id}/edit", data={"date": "2026-01-17", "activity": "x"},
                           headers=HX)
    assert response.status_code == 422 and "tanggalnya belum tiba" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Visum, visum.id).day == WEDNESDAY


def test_another_employee_cannot_edit_or_delete(client, people):
    visum = file(people["pelaksana"], WEDNESDAY)
    login(client, people["staf2"])
    assert client.get(f"/execution/visum/{visum.id}/edit").status_code == 403
    assert client.post(f"/execution/visum/{visum.id}/edit", data={"date": "2026-01-14", "activity": "x"}).status_code \
        == 403
    assert client.post(f"/execution/visum/{visum.id}/delete", headers=HX).status_code == 403
    assert visum_count() == 1


def test_approved_visum_cannot_be_edited(client, people):
    visum = file(people["pelaksana"], WEDNESDAY)
    services.approve_visum(people["direktur"], visum, now=NOW)
    db.session.commit()
    login(client, people["pelaksana"])
    assert client.get(f"/execution/visum/{visum.id}/edit", headers=HX).status_code == 409
    assert client.post(f"/execution/visum/{visum.id}/delete", headers=HX).status_code == 409
    html = client.get("/execution/visum").get_data(as_text=True)
    assert f"/execution/visum/{visum.id}/edit" not in html and "Disetujui" in html


def test_edit_in_a_closed_week_is_423(client, people, frozen):
    visum = file(people["pelaksana"], WEDNESDAY)
    frozen.move_to(datetime(2026, 1, 18, 17, 0, tzinfo=UTC))  # Sunday 24:00 WIB: closed
    login(client, people["pelaksana"])
    assert client.get(f"/execution/visum/{visum.id}/edit", headers=HX).status_code == 423
    assert client.post(f"/execution/visum/{visum.id}/delete", headers=HX).status_code == 423
    assert visum_count() == 1


@pytest.mark.parametrize("headers", [HX, {}])
def test_delete_removes_the_visum(client, people, headers):
    visum = file(people["pelaksana"], WEDNESDAY)
    login(client, people["pelaksana"])
    response = client.post(f"/execution/visum/{visum.id}/delete", headers=headers)
    assert response.status_code == (200 if headers else 303)
    assert visum_count() == 0
    if headers:
        assert 'id="day-2026-01-14"' in response.get_data(as_text=True)


# --- copy yesterday -------------------------------------------------------------------------------

@pytest.mark.parametrize("headers", [HX, {}])
def test_copy_yesterday(client, people, headers):
    file(people["pelaksana"], WEDNESDAY, activity="Rapat A", output_quantity=1, output_unit="notula")
    file(people["pelaksana"], WEDNESDAY, activity="Rapat B")
    login(client, people["pelaksana"])
    response = client.post("/execution/visum/day/2026-01-15/copy", data={"client_token": "c1"}, headers=headers)
    assert response.status_code == (200 if headers else 303)
    copies = list(db.session.scalars(select(Visum).where(Visum.day == THURSDAY).order_by(Visum.id)))
    assert [v.activity for v in copies] == ["Rapat A", "Rapat B"]
    assert copies[0].output_unit == "notula" and all(v.status == "SUBMITTED" for v in copies)
    client.post("/execution/visum/day/2026-01-15/copy", data={"client_token": "c1"}, headers=headers)  # double click
    assert visum_count() == 4


def test_copy_takes_the_last_filed_day_when_yesterday_is_empty(client, people):
    file(people["pelaksana"], MONDAY, activity="Senin")
    login(client, people["pelaksana"])
    assert client.post("/execution/visum/day/2026-01-15/copy", headers=HX).status_code == 200
    assert [v.activity for v in db.session.scalars(select(Visum).where(Visum.day == THURSDAY))] == ["Senin"]


def test_copy_with_nothing_to_copy_is_422(client, people):
    login(client, people["pelaksana"])
    response = client.post("/execution/visum/day/2026-01-15/copy", headers=HX)
    assert response.status_code == 422 and "Belum ada visum sebelumnya" in response.get_data(as_text=True)


def test_copy_into_a_closed_week_is_423(client, people):
    login(client, people["pelaksana"])
    assert client.post("/execution/visum/day/2026-01-09/copy", headers=HX).status_code == 423


# --- read-only week of someone --------------------------------------------------------------------

def test_assessor_and_hr_see_the_week_read_only(client, people):
    file(people["pelaksana"], WEDNESDAY, activity="Kerja nyata")
    nip = people["pelaksana"].nip
    for viewer in ("direktur", "hr", "pelaksana"):
        login(client, people[viewer])
        response = client.get(f"/execution/visum/{nip}")
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "Kerja nyata" in html and "baca saja" in html
        assert "Tambah visum" not in html and "/edit" not in html


def test_colleague_cannot_see_someone_elses_week(client, people):
    login(client, people["staf2"])
    assert client.get(f"/execution/visum/{people['pelaksana'].nip}").status_code == 403
    assert client.get("/execution/visum/000000000000000000").status_code == 404


# --- evidence -------------------------------------------------------------------------------------

def test_upload_photo_and_serve_it_to_allowed_people_only(client, people):
    visum = file(people["pelaksana"], WEDNESDAY)
    login(client, people["pelaksana"])
    html = client.get("/execution/visum").get_data(as_text=True)
    assert 'accept="image/*" capture="environment"' in html and 'accept="image/*,application/pdf"' in html
    response = client.post(f"/execution/visum/{visum.id}/evidence",
                           data={"photo": (io.BytesIO(jpeg()), "IMG_0001.HEIC.jpg")},
                           content_type="multipart/form-data", headers=HX)
    assert response.status_code == 200 and "IMG_0001.HEIC.jpg" in response.get_data(as_text=True)
    item = db.session.scalar(select(Evidence))
    own = client.get(f"/execution/evidence/{item.id}")
    assert own.status_code == 200 and own.mimetype == "image/jpeg"
    assert own.headers["X-Content-Type-Options"] == "nosniff"
    assert own.headers["Content-Disposition"].startswith("inline")
    for viewer, status in (("direktur", 200), ("hr", 200), ("staf2", 403), ("analis", 403)):
        login(client, people[viewer])
        assert client.get(f"/execution/evidence/{item.id}").status_code == status, viewer
    with client.session_transaction() as session:
        session.clear()
    anonymous = client.get(f"/execution/evidence/{item.id}")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_pdf_is_sent_as_attachment(client, people):
    visum = file(people["pelaksana"], WEDNESDAY)
    login(client, people["pelaksana"])
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    assert client.post(f"/execution/visum/{visum.id}/evidence", data={"file": (io.BytesIO(pdf), "laporan.pdf")},
                       content_type="multipart/form-data").status_code == 303
    item = db.session.scalar(select(Evidence))
    response = client.get(f"/execution/evidence/{item.id}")
    assert response.status_code == 200 and response.data == pdf
    assert response.headers["Content-Disposition"].startswith("attachment") and "laporan.pdf" in \
        response.headers["Content-Disposition"]


@pytest.mark.parametrize("headers", [HX, {}])
def test_disguised_html_is_refused_with_422_and_nothing_stored(client, people, headers):
    visum = file(people["pelaksana"], WEDNESDAY)
    login(client, people["pelaksana"])
    before = stored_files()
    response = client.post(f"/execution/visum/{visum.id}/evidence",
                           data={"file": (io.BytesIO(b"<html><script>alert(1)</script></html>"), "foto.jpg",
                                          "image/jpeg")},
                           content_type="multipart/form-data", headers=headers)
    assert response.status_code == 422 and "Jenis berkas tidak diizinkan" in response.get_data(as_text=True)
    assert stored_files() == before and db.session.scalar(select(func.count(Evidence.id))) == 0


def test_link_evidence_and_its_removal(client, people):
    visum = file(people["pelaksana"], WEDNESDAY)
    login(client, people["pelaksana"])
    bad = client.post(f"/execution/visum/{visum.id}/evidence", data={"url": "javascript:alert(1)"}, headers=HX)
    assert bad.status_code == 422 and "http://" in bad.get_data(as_text=True)
    ok = client.post(f"/execution/visum/{visum.id}/evidence", data={"url": "https://drive.example.id/x"}, headers=HX)
    assert ok.status_code == 200 and "https://drive.example.id/x" in ok.get_data(as_text=True)
    item = db.session.scalar(select(Evidence))
    assert client.get(f"/execution/evidence/{item.id}").status_code == 404  # a link has no file
    login(client, people["staf2"])
    assert client.post(f"/execution/evidence/{item.id}/delete", headers=HX).status_code == 403
    login(client, people["pelaksana"])
    assert client.post(f"/execution/evidence/{item.id}/delete", headers=HX).status_code == 200
    assert db.session.scalar(select(func.count(Evidence.id))) == 0


def test_evidence_without_anything_is_422(client, people):
    visum = file(people["pelaksana"], WEDNESDAY)
    login(client, people["pelaksana"])
    response = client.post(f"/execution/visum/{visum.id}/evidence", data={}, headers=HX)
    assert response.status_code == 422 and "Pilih berkas" in response.get_data(as_text=True)


def test_evidence_on_someone_elses_visum_is_403(client, people):
    visum = file(people["pelaksana"], WEDNESDAY)
    login(client, people["staf2"])
    response = client.post(f"/execution/visum/{visum.id}/evidence", data={"url": "https://a.id"}, headers=HX)
    assert response.status_code == 403 and db.session.scalar(select(func.count(Evidence.id))) == 0


def test_removing_someone_elses_evidence_is_403(client, people):
    visum = file(people["pelaksana"], WEDNESDAY)
    link = evidence_services.add_link_evidence(people["pelaksana"], visum, "https://a.id")
    db.session.commit()
    login(client, people["staf2"])
    assert client.post(f"/execution/evidence/{link.id}/delete", headers=HX).status_code == 403
    assert db.session.scalars(select(Evidence.url)).all() == ["https://a.id"]


def test_evidence_on_an_approved_visum_is_409(client, people):
    visum = file(people["pelaksana"], WEDNESDAY)
    services.approve_visum(people["direktur"], visum, now=NOW)
    db.session.commit()
    login(client, people["pelaksana"])
    response = client.post(f"/execution/visum/{visum.id}/evidence", data={"url": "https://a.id"}, headers=HX)
    assert response.status_code == 409 and db.session.scalar(select(func.count(Evidence.id))) == 0


def test_evidence_in_a_closed_week_is_423(client, people, frozen):
    visum = file(people["pelaksana"], WEDNESDAY)
    link = evidence_services.add_link_evidence(people["pelaksana"], visum, "https://a.id")
    db.session.commit()
    frozen.move_to(datetime(2026, 1, 18, 17, 0, tzinfo=UTC))  # Sunday 24:00 WIB: closed
    login(client, people["pelaksana"])
    response = client.post(f"/execution/visum/{visum.id}/evidence", data={"url": "https://b.id"}, headers=HX)
    assert response.status_code == 423
    assert client.post(f"/execution/evidence/{link.id}/delete", headers=HX).status_code == 423
    assert db.session.scalars(select(Evidence.url)).all() == ["https://a.id"]


def test_delete_visum_removes_its_files(client, people):
    visum = file(people["pelaksana"], WEDNESDAY)
    login(client, people["pelaksana"])
    client.post(f"/execution/visum/{visum.id}/evidence", data={"photo": (io.BytesIO(jpeg()), "a.jpg")},
                content_type="multipart/form-data", headers=HX)
    name = db.session.scalar(select(Evidence.stored_name))
    assert name in stored_files()
    assert client.post(f"/execution/visum/{visum.id}/delete", headers=HX).status_code == 200
    assert name not in stored_files()


def test_unknown_ids_are_404(client, people):
    login(client, people["pelaksana"])
    assert client.get("/execution/evidence/999").status_code == 404
    assert client.get("/execution/visum/999/edit").status_code == 404
    assert client.post("/execution/visum/999/delete").status_code == 404
    assert client.get("/execution/visum/day/not-a-date").status_code == 404


def test_day_partial(client, people):
    login(client, people["pelaksana"])
    response = client.get("/execution/visum/day/2026-01-14", headers=HX)
    assert response.status_code == 200 and response.get_data(as_text=True).lstrip().startswith(
        '<section id="day-2026-01-14"')
    assert "<html" in client.get("/execution/visum/day/2026-01-14").get_data(as_text=True)

"""HR pages for the mid-year cases: /planning/employees/<nip>/changes — access, the four forms (mutasi,
perubahan jabatan, tugas belajar, cuti) valid and invalid with their effect in the database, the
previews, and the partials with and without HX-Request."""
# ruff: noqa: F811  (pytest fixtures imported from midyear_fixtures / skp_fixtures are taken as arguments)

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from kinerja.audit.models import AuditEntry
from kinerja.audit.services import history
from kinerja.auth import services as auth_services
from kinerja.extensions import db
from kinerja.org.models import Position
from kinerja.planning import skp as services
from kinerja.planning.models import Leave, Skp, StudyLeave
from kinerja.rules.planning import STUDY_LEAVE_KIND_LABELS
from tests.factories import login_as
from tests.planning.midyear_fixtures import approved, people, units  # noqa: F401
from tests.planning.skp_fixtures import frozen, full_skp, leader_skp, org  # noqa: F401

HX = {"HX-Request": "true"}


def login(client, employee):
    login_as(client, auth_services.user_for(employee))
    db.session.commit()


@pytest.fixture
def hr_client(client, people):
    login(client, people["hr"])
    return client


def page_url(employee) -> str:
    return f"/planning/employees/{employee.nip}/changes"


def counts() -> tuple:
    """Count every row a change may write (SKP, position, cuti, tugas belajar, audit)."""
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Skp, Position, Leave, StudyLeave, AuditEntry))


def skp_rows(employee) -> list[Skp]:
    db.session.expire_all()
    return list(db.session.scalars(select(Skp).where(Skp.employee_id == employee.id)
                                   .order_by(Skp.period_start, Skp.version)))


TRANSFER = {"transfer-unit": "DIT2", "transfer-on": "2026-01-15"}
POSITION = {"position-unit": "DIT2", "position-jenjang": "PELAKSANA", "position-jf_name": "",
            "position-on": "2026-07-01"}
STUDY = {"study-kind": "NEGARA_DIBERHENTIKAN", "study-start": "2026-08-01", "study-end": "2028-07-31"}
LEAVE = {"leave-kind": "Cuti melahirkan", "leave-start": "2026-04-01", "leave-end": "2026-06-30"}
POSTS = [("transfer", TRANSFER), ("position", POSITION), ("study-leave", STUDY), ("leave", LEAVE)]


# --- access -------------------------------------------------------------------------------------------

def routes(employee):
    """Return (method, url, form data) of every route of the section."""
    base = page_url(employee)
    return [("get", base, None), ("get", f"{base}/leave/preview?leave-kind=Cuti+tahunan", None)] + [
        ("post", f"{base}/{name}", data) for name, data in POSTS]


def test_anonymous_is_sent_to_login(client, people):
    for method, url, data in routes(people["analis"]):
        response = getattr(client, method)(url, data=data)
        assert response.status_code == 302, url
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("who", ["analis", "direktur"])
def test_non_hr_is_refused(client, people, who):
    """Neither the employee himself nor his assessor records mid-year changes; nothing is written."""
    login(client, people[who])
    before = counts()
    for method, url, data in routes(people["analis"]):
        response = getattr(client, method)(url, data=data)
        assert response.status_code == 403, url
    assert counts() == before


def test_hr_sees_the_page_with_four_forms_and_the_records(hr_client, people, approved):
    response = hr_client.get(page_url(people["analis"]))
    assert response.status_code == 200
    html = response.text
    assert "Perubahan di tengah tahun" in html and "<html" in html
    for root in ("change-transfer", "change-position", "change-study", "change-leave", "change-records"):
        assert f'id="{root}"' in html
    for label in STUDY_LEAVE_KIND_LABELS.values():
        assert label in html  # the four kinds of tugas belajar with their Bahasa labels
    assert f'id="change-skp-{approved.id}"' in html and "Disetujui" in html
    assert 'value="JF" selected' in html or 'selected value="JF"' in html  # his jenjang prefilled


def test_unknown_employee_is_404(hr_client):
    assert hr_client.get("/planning/employees/199901012000000000/changes").status_code == 404


def test_employee_page_links_to_the_changes_for_hr_only(client, people):
    analis = people["analis"]
    login(client, people["hr"])
    assert page_url(analis) in client.get(f"/org/employees/{analis.nip}").text
    login(client, analis)
    own = client.get(f"/org/employees/{analis.nip}")
    assert own.status_code == 200 and page_url(analis) not in own.text


# --- mutasi ---------------------------------------------------------------------------------------------

def test_transfer_revises_the_approved_skp(hr_client, people, units, approved):
    analis = people["analis"]
    response = hr_client.post(f"{page_url(analis)}/transfer", data=TRANSFER, headers=HX)
    assert response.status_code == 200
    html = response.text
    assert "<html" not in html
    assert 'id="change-transfer"' in html and 'class="flash flash-success"' in html
    assert 'id="change-records" hx-swap-oob="true"' in html
    assert "changes-updated" in response.headers["HX-Trigger-After-Settle"]
    old, revision = skp_rows(analis)
    assert (old.id, old.status) == (approved.id, "APPROVED")  # in force until the revision is approved
    assert (revision.version, revision.status, revision.previous_id) == (2, "DRAFT", approved.id)
    assert revision.unit_id == units["DIT2"].id and revision.assessor_id == people["direktur2"].id
    assert db.session.get(type(analis), analis.id).unit_id == units["DIT2"].id
    assert "skp.transfer" in [e.action for e in history("skp", revision.id)]
    assert "versi 2" in html


def test_transfer_without_htmx_redirects_with_a_flash(hr_client, people, approved):
    url = f"{page_url(people['analis'])}/transfer"
    response = hr_client.post(url, data=TRANSFER)
    assert response.status_code == 303 and response.headers["Location"].endswith(page_url(people["analis"]))
    page = hr_client.get(page_url(people["analis"]))
    assert "Mutasi Analis ke Unit DIT2 mulai 15-01-2026 dicatat." in page.text


@pytest.mark.parametrize("data, message", [
    ({"transfer-unit": "TIDAK-ADA", "transfer-on": "2026-01-15"}, "Kode unit kerja tidak dikenal."),
    ({"transfer-unit": "DIT2", "transfer-on": "2026-13-01"}, "Tanggal tidak valid"),
    ({"transfer-unit": "DIT2", "transfer-on": "1926-01-15"}, "Tanggal harus antara tahun 2000 dan 2100."),
    ({"transfer-unit": "DIT2", "transfer-on": "0026-01-15"}, "Tanggal di luar rentang yang didukung"),  # any form
    ({"transfer-unit": "", "transfer-on": "2026-01-15"}, "Kode unit kerja wajib diisi."),
    ({"transfer-unit": "DIT", "transfer-on": "2026-01-15"}, "Unit kerja baru sama dengan unit kerja sekarang."),
])
def test_bad_transfer_is_422_and_writes_nothing(hr_client, people, approved, data, message):
    before = counts()
    response = hr_client.post(f"{page_url(people['analis'])}/transfer", data=data, headers=HX)
    assert response.status_code == 422
    assert message in response.text and 'id="change-transfer"' in response.text and "<html" not in response.text
    assert counts() == before


def test_bad_transfer_without_htmx_is_the_full_page(hr_client, people):
    response = hr_client.post(f"{page_url(people['analis'])}/transfer", data={"transfer-unit": "X"})
    assert response.status_code == 422 and "<html" in response.text
    assert "Kode unit kerja tidak dikenal." in response.text


# --- perubahan jabatan ----------------------------------------------------------------------------------

def test_change_of_position_closes_the_old_skp_and_starts_a_new_one(client, people, units, approved, frozen):  # noqa: F811
    frozen.move_to(datetime(2026, 7, 1, 3, 0, tzinfo=UTC))
    login(client, people["hr"])  # after the move: a half-year-old session has expired
    analis = people["analis"]
    response = client.post(f"{page_url(analis)}/position", data=POSITION, headers=HX)
    assert response.status_code == 200, response.text
    assert "ditutup per tanggal 30-06-2026" in response.text
    old, new = skp_rows(analis)
    assert (old.id, old.status, old.closed_on, old.period_end) == (approved.id, "CLOSED", date(2026, 6, 30),
                                                                   date(2026, 6, 30))
    assert old.unit_id == units["DIT"].id  # assessed in the old unit
    assert (new.status, new.period_start, new.period_end, new.jenjang, new.unit_id) == (
        "DRAFT", date(2026, 7, 1), date(2026, 12, 31), "PELAKSANA", units["DIT2"].id)
    assert "skp.close" in [e.action for e in history("skp", old.id)]
    assert "skp.create" in [e.action for e in history("skp", new.id)]


@pytest.mark.parametrize("changes, message", [
    ({"position-jenjang": "JF", "position-jf_name": "Analis Kebijakan"}, "Jabatan tidak berubah"),
    ({"position-jenjang": "MENTERI"}, "Pilihan tidak valid."),
    ({"position-jf_name": "Analis Kebijakan"}, "Nama jabatan fungsional hanya diisi untuk jabatan fungsional"),
    ({"position-unit": "NOPE"}, "Kode unit kerja tidak dikenal."),
    ({"position-on": ""}, "Tanggal mulai wajib diisi."),
])
def test_bad_change_of_position_is_422_and_writes_nothing(hr_client, people, approved, changes, message):
    before = counts()
    data = {**POSITION, **changes}
    response = hr_client.post(f"{page_url(people['analis'])}/position", data=data, headers=HX)
    assert response.status_code == 422
    assert message in response.text and 'id="change-position"' in response.text
    assert counts() == before
    assert [s.status for s in skp_rows(people["analis"])] == ["APPROVED"]


# --- tugas belajar --------------------------------------------------------------------------------------

def test_study_leave_mid_year_opens_a_revision_with_the_leave(hr_client, people, approved):
    analis = people["analis"]
    response = hr_client.post(f"{page_url(analis)}/study-leave", data=STUDY, headers=HX)
    assert response.status_code == 200
    leave = db.session.scalar(select(StudyLeave).where(StudyLeave.employee_id == analis.id))
    assert (leave.kind, leave.start, leave.end) == ("NEGARA_DIBERHENTIKAN", date(2026, 8, 1), date(2028, 7, 31))
    old, revision = skp_rows(analis)
    assert old.status == "APPROVED" and (revision.version, revision.study_leave_id) == (2, leave.id)
    assert len(revision.rhk) == 2  # removed mid-year: expectations are added, RHK kept
    assert "study_leave.create" in [e.action for e in history("employee", analis.nip)]
    assert "skp.study_leave" in [e.action for e in history("skp", revision.id)]
    assert f'id="change-study-{leave.id}"' in response.text  # the list, swapped out of band


def test_study_leave_from_the_start_of_the_year_empties_a_draft(hr_client, people):
    analis = people["analis"]
    draft = full_skp(analis, source="TIM_KERJA", rhk_count=2)
    data = {"study-kind": "MANDIRI_DIBERHENTIKAN", "study-start": "2026-01-01", "study-end": ""}
    assert hr_client.post(f"{page_url(analis)}/study-leave", data=data, headers=HX).status_code == 200
    (item,) = skp_rows(analis)
    assert item.id == draft.id and item.rhk == [] and item.study_leave_id is not None


@pytest.mark.parametrize("changes, message", [
    ({"study-end": "2026-07-01"}, "Tanggal selesai tidak boleh sebelum tanggal mulai."),
    ({"study-kind": "BEASISWA_LUAR_NEGERI"}, "Pilihan tidak valid."),
    ({"study-kind": ""}, "Jenis tugas belajar wajib dipilih."),
    ({"study-start": "kemarin"}, "Tanggal tidak valid"),
])
def test_bad_study_leave_is_422_and_writes_nothing(hr_client, people, approved, changes, message):
    before = counts()
    response = hr_client.post(f"{page_url(people['analis'])}/study-leave", data={**STUDY, **changes}, headers=HX)
    assert response.status_code == 422 and message in response.text and 'id="change-study"' in response.text
    assert counts() == before


# --- cuti -----------------------------------------------------------------------------------------------

def test_leave_is_recorded_and_scales_the_skp(hr_client, people, approved):
    analis = people["analis"]
    response = hr_client.post(f"{page_url(analis)}/leave", data=LEAVE, headers=HX)
    assert response.status_code == 200
    leave = db.session.scalar(select(Leave).where(Leave.employee_id == analis.id))
    assert (leave.kind, leave.start, leave.end) == ("Cuti melahirkan", date(2026, 4, 1), date(2026, 6, 30))
    (item,) = skp_rows(analis)
    # 2026: 261 working days (Mon-Fri); 1 April - 30 June: 65 of them
    assert item.effective_fraction == pytest.approx(196 / 261)
    assert "porsi waktu kerja efektif 75,1 %" in response.text
    assert "leave.create" in [e.action for e in history("employee", analis.nip)]
    assert "skp.effective_fraction" in [e.action for e in history("skp", item.id)]


@pytest.mark.parametrize("changes, message", [
    ({"leave-end": "2026-03-31"}, "Tanggal selesai tidak boleh sebelum tanggal mulai."),
    ({"leave-end": ""}, "Tanggal selesai wajib diisi."),
    ({"leave-kind": "Cuti panjang sekali"}, "Pilihan tidak valid."),
])
def test_bad_leave_is_422_and_writes_nothing(hr_client, people, approved, changes, message):
    before = counts()
    response = hr_client.post(f"{page_url(people['analis'])}/leave", data={**LEAVE, **changes}, headers=HX)
    assert response.status_code == 422 and message in response.text and 'id="change-leave"' in response.text
    assert counts() == before
    assert skp_rows(people["analis"])[0].effective_fraction == 1.0


# --- previews -------------------------------------------------------------------------------------------

def preview(client, employee, kind, params, headers=None):
    return client.get(f"{page_url(employee)}/{kind}/preview", query_string=params, headers=headers or {})


def test_leave_preview_shows_the_fraction_and_scaled_targets_without_saving(hr_client, people, approved):
    before = counts()
    response = preview(hr_client, people["analis"], "leave", LEAVE, HX)
    assert response.status_code == 200
    html = response.text
    assert html.lstrip().startswith('<div id="change-leave-preview"') and "<html" not in html
    assert "100 %" in html and "75,1 %" in html
    assert "9,01" not in html and "9.01" in html  # 12 × 196/261, number() writes a dot like the SKP page
    assert "65 hari kerja" in html
    assert counts() == before


def test_preview_without_htmx_is_the_full_page_with_the_form_filled(hr_client, people, approved):
    response = preview(hr_client, people["analis"], "leave", LEAVE)
    assert response.status_code == 200 and "<html" in response.text
    assert 'value="2026-04-01"' in response.text and "75,1 %" in response.text


def test_long_leave_preview_says_no_skp_until_back(hr_client, people, approved):
    data = {"leave-kind": "Cuti di luar tanggungan negara", "leave-start": "2026-03-01", "leave-end": "2027-03-31"}
    html = preview(hr_client, people["analis"], "leave", data, HX).text
    assert "tidak ada SKP sampai yang bersangkutan kembali bekerja" in html
    assert "Tahun 2026: SKP hanya untuk 01-01-2026 – 28-02-2026." in html
    assert "Tahun 2027: SKP hanya untuk 01-04-2027 – 31-12-2027." in html


def test_long_leave_saved_says_no_skp_until_back(hr_client, people, approved):
    data = {"leave-kind": "Cuti di luar tanggungan negara", "leave-start": "2026-03-01", "leave-end": "2027-03-31"}
    response = hr_client.post(f"{page_url(people['analis'])}/leave", data=data, headers=HX)
    assert response.status_code == 200 and "tidak ada SKP sampai yang bersangkutan kembali bekerja" in response.text
    with pytest.raises(services.PlanningError) as refused:  # and the service agrees: no SKP before April 2027
        services.create_skp(None, people["analis"], 2027, period_start=date(2027, 1, 1), period_end=date(2027, 3, 31))
    assert refused.value.code == "LONG_LEAVE"


def test_position_preview_tells_the_old_skp_is_closed(hr_client, people, approved):
    html = preview(hr_client, people["analis"], "position", POSITION, HX).text
    assert "SKP lama (SKP 2026 versi 1 (disetujui)) ditutup per tanggal 30-06-2026" in html
    assert "SKP baru dibuat untuk jabatan baru (Pelaksana) di Unit DIT2: periode 01-07-2026 – 31-12-2026" in html


def test_position_preview_warns_when_nothing_changes(hr_client, people, approved):
    data = {**POSITION, "position-jenjang": "JF", "position-jf_name": "Analis Kebijakan"}
    html = preview(hr_client, people["analis"], "position", data, HX).text
    assert "Tidak dapat disimpan: Jabatan tidak berubah" in html


def test_transfer_preview_tells_a_revision_is_made(hr_client, people, approved):
    html = preview(hr_client, people["analis"], "transfer", TRANSFER, HX).text
    assert "versi 2 (draf, RHK dan IKI disalin) dibuat di Unit DIT2" in html


def test_study_preview_from_january_drops_the_position_rhk(hr_client, people):
    full_skp(people["analis"], source="TIM_KERJA", rhk_count=2)
    data = {"study-kind": "NEGARA_DIBERHENTIKAN", "study-start": "2026-01-01"}
    html = preview(hr_client, people["analis"], "study", data, HX).text
    assert "2 RHK jabatan pada SKP 2026 versi 1 (draf) dihapus" in html


def test_bad_preview_is_422_with_the_problem(hr_client, people):
    response = preview(hr_client, people["analis"], "transfer", {"transfer-unit": "NOPE", "transfer-on": "2026-02-01"},
                       HX)
    assert response.status_code == 422 and "Kode unit kerja tidak dikenal." in response.text
    assert 'id="change-transfer-preview"' in response.text


def test_unknown_preview_kind_is_404(hr_client, people):
    assert preview(hr_client, people["analis"], "promotion", {}, HX).status_code == 404


def test_a_refusal_named_after_the_service_field_lands_on_the_form_field(hr_client, people, approved):
    """The service's ``period_start`` refusal (a cuti of a year or more) is shown on the form's ``on`` field."""
    analis = people["analis"]
    long_leave = {"leave-kind": "Cuti di luar tanggungan negara", "leave-start": "2026-03-01",
                  "leave-end": "2027-03-31"}
    assert hr_client.post(f"{page_url(analis)}/leave", data=long_leave, headers=HX).status_code == 200
    before = counts()
    response = hr_client.post(f"{page_url(analis)}/position", data={**POSITION, "position-on": "2026-06-01"},
                              headers=HX)
    assert response.status_code == 422
    on_field = response.text.split('id="position-on"', 1)[1].split("<label", 1)[0]
    assert '<p class="field-error">Pegawai menjalani cuti satu tahun atau lebih' in on_field
    assert counts() == before

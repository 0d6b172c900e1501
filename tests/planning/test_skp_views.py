"""SKP pages: "SKP saya", inline RHK/IKI editing, perilaku, lampiran, dialog kinerja, the workflow,
the assessor's approval queue and the Matrik Peran Hasil."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from kinerja import clock
from kinerja.audit.models import AuditEntry
from kinerja.extensions import db
from kinerja.org.assessors import refresh_assessor_links
from kinerja.org.models import Employee, Unit
from kinerja.planning import skp as skp_services
from kinerja.planning.models import DialogKinerja, Iki, PeranHasil, RencanaHasilKerja, Skp
from tests import factories
from tests.factories import login_as

HX = {"HX-Request": "true"}


@dataclass
class Org:
    root: Unit
    dit: Unit
    sub: Unit
    madya: Employee
    pratama: Employee
    admin: Employee
    staff: Employee
    jf: Employee
    other: Employee
    hr: Employee
    users: dict


def account(employee, *roles):
    """Return a user for the employee (login goes through the session; no password hashing)."""
    from kinerja.auth import services as auth_services

    user = auth_services.user_for(employee)
    for role in roles:
        auth_services.grant_role(None, employee, role)
    db.session.commit()
    return user


def build_org() -> Org:
    """Kepala > Deputi (Madya) > Direktorat (Pratama) > Subdirektorat (Administrator); staff in the Direktorat."""
    make_unit, make_employee = factories.make_unit, factories.make_employee
    root = make_unit("BKKBN", "BADAN", name="BKKBN")
    deputi = make_unit("DEP-1", "ESELON_I", root, name="Deputi Bidang Uji")
    dit = make_unit("DIT-1", "ESELON_II", deputi, name="Direktorat Satu")
    sub = make_unit("SUB-1", "ESELON_III", dit, name="Subdirektorat Satu")
    make_employee(root, "KEPALA", name="Kepala Badan", golongan="IV/e", is_head=True)
    madya = make_employee(deputi, "JPT_MADYA", name="Deputi Madya", golongan="IV/d", is_head=True)
    pratama = make_employee(dit, "JPT_PRATAMA", name="Direktur Pratama", golongan="IV/c", is_head=True)
    admin = make_employee(sub, "ADMINISTRATOR", name="Adi Administrator", golongan="IV/a", is_head=True)
    staff = make_employee(dit, "PELAKSANA", name="Budi Staf", golongan="III/a")
    jf = make_employee(dit, "JF", name="Citra Fungsional", golongan="III/b", jf_name="Pranata Komputer")
    other = make_employee(dit, "PELAKSANA", name="Dodi Lain", golongan="III/a")
    hr = make_employee(dit, "PELAKSANA", name="Hana Kepegawaian", golongan="III/c")
    refresh_assessor_links()
    db.session.commit()
    users = {e.id: account(e) for e in (madya, pratama, admin, staff, jf, other)}
    users[hr.id] = account(hr, "KEPEGAWAIAN")
    return Org(root, dit, sub, madya, pratama, admin, staff, jf, other, hr, users)


@pytest.fixture
def org(app) -> Org:
    return build_org()


def year() -> int:
    return clock.today().year


def login(client, org: Org, employee: Employee) -> None:
    login_as(client, org.users[employee.id])


def new_skp(employee: Employee) -> Skp:
    item = skp_services.create_skp(None, employee, year())
    db.session.commit()
    return item


def add_rhk(item: Skp, text="Laporan kegiatan tersusun", **kwargs) -> RencanaHasilKerja:
    kwargs.setdefault("kind", "UTAMA")
    kwargs.setdefault("source", "TIM_KERJA")
    rhk = skp_services.add_rhk(None, item, text=text, **kwargs)
    db.session.commit()
    return rhk


def add_iki(rhk: RencanaHasilKerja, target=12, aspek="KUANTITAS") -> Iki:
    iki = skp_services.add_iki(None, rhk, text="Jumlah laporan", aspek=aspek, target=target,
                               unit_of_measure="laporan")
    db.session.commit()
    return iki


def submitted_skp(employee: Employee, text="Laporan kegiatan tersusun") -> Skp:
    item = new_skp(employee)
    add_iki(add_rhk(item, text))
    skp_services.submit_skp(None, item)
    db.session.commit()
    return item


def fresh(model, row_id):
    db.session.expire_all()
    return db.session.get(model, row_id)


def audit_actions(skp_id) -> list[str]:
    stmt = select(AuditEntry.action).where(AuditEntry.object_type == "skp", AuditEntry.object_id == str(skp_id))
    return list(db.session.scalars(stmt))


def rhk_count(skp_id) -> int:
    return db.session.scalar(select(func.count(RencanaHasilKerja.id)).where(RencanaHasilKerja.skp_id == skp_id))


def source_options(page: str) -> set[str]:
    """Return the option values of the first ``name="source"`` select of a page."""
    start = page.index('name="source"')
    select_html = page[start:page.index("</select>", start)]
    return {part.split('"', 1)[0] for part in select_html.split('value="')[1:]}


# --- access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/planning/skp", "/planning/skp/1", "/planning/approvals", "/planning/matrik",
                                 "/planning/dashboard", "/planning/rhk/1/edit", "/planning/iki/1/edit"])
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_anonymous_post_is_sent_to_login(client):
    response = client.post("/planning/skp/1/approve")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_another_employees_skp_is_403_but_the_assessor_and_hr_see_it(org, client):
    item = new_skp(org.staff)
    login(client, org, org.other)
    assert client.get(f"/planning/skp/{item.id}").status_code == 403
    login(client, org, org.pratama)
    assessor_page = client.get(f"/planning/skp/{item.id}")
    assert assessor_page.status_code == 200 and "Budi Staf" in assessor_page.get_data(as_text=True)
    login(client, org, org.hr)
    assert client.get(f"/planning/skp/{item.id}").status_code == 200
    assert client.get("/planning/skp/999999").status_code == 404


def test_another_employee_cannot_change_the_skp(org, client):
    item = new_skp(org.staff)
    rhk = add_rhk(item)
    iki = add_iki(rhk)
    login(client, org, org.other)
    data = {"kind": "UTAMA", "source": "TIM_KERJA", "text": "Sisipan"}
    assert client.post(f"/planning/skp/{item.id}/rhk", data=data, headers=HX).status_code == 403
    assert client.post(f"/planning/rhk/{rhk.id}/delete").status_code == 403
    assert client.post(f"/planning/iki/{iki.id}/delete").status_code == 403
    assert client.get(f"/planning/rhk/{rhk.id}/edit").status_code == 403
    assert client.post(f"/planning/skp/{item.id}/lampiran", data={"sumber_daya": "x"}).status_code == 403
    assert client.post(f"/planning/skp/{item.id}/submit").status_code == 403
    assert rhk_count(item.id) == 1 and fresh(Iki, iki.id) is not None


# --- SKP saya --------------------------------------------------------------------------------------


def test_my_skp_without_one_offers_to_create_it(org, client):
    login(client, org, org.staff)
    response = client.get("/planning/skp")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"Buat SKP {year()}" in page
    assert db.session.scalar(select(func.count(Skp.id))) == 0


def test_create_skp_from_the_page_writes_audit(org, client):
    login(client, org, org.staff)
    response = client.post("/planning/skp", data={"year": str(year())})
    assert response.status_code == 303
    item = db.session.scalar(select(Skp).where(Skp.employee_id == org.staff.id))
    assert item is not None and item.status == "DRAFT" and item.assessor_id == org.pratama.id
    assert response.headers["Location"].endswith(f"/planning/skp/{item.id}")
    assert "skp.create" in audit_actions(item.id)


def test_create_skp_bad_year_is_422_and_nothing_saved(org, client):
    login(client, org, org.staff)
    response = client.post("/planning/skp", data={"year": "1800"})
    assert response.status_code == 422
    assert "Tahun tidak valid" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Skp.id))) == 0


def test_create_skp_twice_is_refused(org, client):
    new_skp(org.staff)
    login(client, org, org.staff)
    response = client.post("/planning/skp", data={"year": str(year())})
    assert response.status_code in (409, 422)
    assert "sudah memiliki SKP" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Skp.id))) == 1


def test_my_skp_shows_identity_assessor_status_rhk_and_perilaku(org, client):
    item = new_skp(org.staff)
    add_iki(add_rhk(item, "Laporan bulanan unit"))
    add_rhk(item, "Panitia seminar nasional", kind="TAMBAHAN", source="TUGAS_TAMBAHAN",
            task_origin="LUAR_INSTANSI")
    login(client, org, org.staff)
    page = client.get("/planning/skp").get_data(as_text=True)
    assert "Budi Staf" in page and "Direktur Pratama" in page  # employee and Pejabat Penilai
    assert "Draf" in page
    assert "A. Utama" in page and "B. Tambahan" in page
    assert "Laporan bulanan unit" in page and "Panitia seminar nasional" in page
    assert "Jumlah laporan" in page and "12 laporan" in page
    assert "Berorientasi Pelayanan" in page and "Kolaboratif" in page
    assert 'id="skp-lampiran"' in page and 'id="skp-dialogs"' in page and 'id="skp-versions"' in page


def test_other_year_via_query_string(org, client):
    new_skp(org.staff)
    login(client, org, org.staff)
    page = client.get(f"/planning/skp?year={year() + 1}").get_data(as_text=True)
    assert f"Buat SKP {year() + 1}" in page


def test_scaled_targets_are_shown_with_the_fraction_explained(org, client):
    item = new_skp(org.staff)
    add_iki(add_rhk(item), target=10)
    item.effective_fraction = 0.5
    db.session.commit()
    login(client, org, org.staff)
    page = client.get(f"/planning/skp/{item.id}").get_data(as_text=True)
    assert 'id="skp-fraction"' in page and "50%" in page
    assert "(penuh 10)" in page and ">5</span>" in page


# --- the source select -----------------------------------------------------------------------------


def test_source_select_for_jf_offers_cascading_and_jf_scope_not_pk(org, client):
    new_skp(org.jf)
    login(client, org, org.jf)
    options = source_options(client.get("/planning/skp").get_data(as_text=True))
    assert {"CASCADING", "TIM_KERJA", "MATRIK_PERAN_HASIL", "RENCANA_AKSI", "JF_SCOPE", "TUGAS_TAMBAHAN"} == options


def test_source_select_for_administrator_offers_pk_and_rencana_aksi_only(org, client):
    new_skp(org.admin)
    login(client, org, org.admin)
    options = source_options(client.get("/planning/skp").get_data(as_text=True))
    assert {"PK", "RENCANA_AKSI", "TUGAS_TAMBAHAN"} == options


def test_a_source_not_allowed_for_the_jenjang_is_422_and_nothing_saved(org, client):
    item = new_skp(org.admin)
    login(client, org, org.admin)
    response = client.post(f"/planning/skp/{item.id}/rhk", headers=HX,
                           data={"kind": "UTAMA", "source": "CASCADING", "text": "Turunan"})
    assert response.status_code == 422
    assert "Pilihan tidak valid" in response.get_data(as_text=True)
    assert rhk_count(item.id) == 0


# --- RHK inline editing ----------------------------------------------------------------------------


def test_add_rhk_with_htmx_answers_the_rhk_section(org, client):
    item = new_skp(org.staff)
    login(client, org, org.staff)
    response = client.post(f"/planning/skp/{item.id}/rhk", headers=HX,
                           data={"kind": "UTAMA", "source": "TIM_KERJA", "text": "Dokumen rencana kerja"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert text.strip().startswith('<section id="skp-rhk"') and "<html" not in text
    assert "Dokumen rencana kerja" in text
    assert 'hx-swap-oob="true"' in text  # the flash message
    rhk = db.session.scalar(select(RencanaHasilKerja).where(RencanaHasilKerja.skp_id == item.id))
    assert rhk.source == "TIM_KERJA" and f'id="rhk-{rhk.id}"' in text
    assert "skp.rhk.add" in audit_actions(item.id)


def test_add_rhk_without_htmx_answers_the_full_page(org, client):
    item = new_skp(org.staff)
    login(client, org, org.staff)
    response = client.post(f"/planning/skp/{item.id}/rhk",
                           data={"kind": "UTAMA", "source": "TIM_KERJA", "text": "Dokumen rencana kerja"})
    assert response.status_code == 200 and "<html" in response.get_data(as_text=True)
    assert rhk_count(item.id) == 1


def test_add_rhk_empty_text_is_422_with_field_error_and_nothing_saved(org, client):
    item = new_skp(org.staff)
    login(client, org, org.staff)
    response = client.post(f"/planning/skp/{item.id}/rhk", headers=HX,
                           data={"kind": "UTAMA", "source": "TIM_KERJA", "text": "  "})
    assert response.status_code == 422
    assert "Rencana hasil kerja wajib diisi." in response.get_data(as_text=True)
    assert rhk_count(item.id) == 0


def test_cascading_from_an_rhk_not_of_the_assessor_is_422_from_the_service(org, client):
    stranger = add_rhk(new_skp(org.other), "Bukan RHK atasan")
    item = new_skp(org.staff)
    login(client, org, org.staff)
    response = client.post(f"/planning/skp/{item.id}/rhk", headers=HX,
                           data={"kind": "UTAMA", "source": "CASCADING", "text": "Turunan",
                                 "parent_rhk_id": str(stranger.id)})
    assert response.status_code == 422
    assert "RHK Pejabat Penilai" in response.get_data(as_text=True)
    assert rhk_count(item.id) == 0


def test_cascading_helper_lists_the_assessors_rhk_and_prefills_the_form(org, client):
    leader = new_skp(org.pratama)
    leader_rhk = add_rhk(leader, "Kebijakan teknis direktorat tersusun", kind="TAMBAHAN",
                         source="TUGAS_TAMBAHAN", task_origin="LUAR_INSTANSI")
    item = new_skp(org.staff)
    login(client, org, org.staff)
    page = client.get(f"/planning/skp/{item.id}").get_data(as_text=True)
    assert 'id="skp-helper"' in page and "Kebijakan teknis direktorat tersusun" in page
    url = f"/planning/skp/{item.id}/rhk/new?source=CASCADING&parent_rhk_id={leader_rhk.id}"
    partial = client.get(url, headers=HX).get_data(as_text=True)
    assert partial.strip().startswith('<div id="rhk-form"') and "<html" not in partial
    assert f'<option selected value="{leader_rhk.id}">' in partial
    assert '<option selected value="CASCADING">' in partial
    assert "<html" in client.get(url).get_data(as_text=True)
    response = client.post(f"/planning/skp/{item.id}/rhk", headers=HX, data={
        "kind": "UTAMA", "source": "CASCADING", "text": "Bahan kebijakan", "parent_rhk_id": str(leader_rhk.id)})
    assert response.status_code == 200
    rhk = db.session.scalar(select(RencanaHasilKerja).where(RencanaHasilKerja.skp_id == item.id))
    assert rhk.parent_rhk_id == leader_rhk.id
    assert "Kebijakan teknis direktorat tersusun" in response.get_data(as_text=True)  # the RHK atasan column


def test_edit_rhk_partial_with_and_without_htmx_then_update(org, client):
    item = new_skp(org.staff)
    rhk = add_rhk(item, "Teks lama")
    login(client, org, org.staff)
    partial = client.get(f"/planning/rhk/{rhk.id}/edit", headers=HX).get_data(as_text=True)
    assert partial.strip().startswith(f'<tbody id="rhk-{rhk.id}"') and "<html" not in partial
    assert 'name="edit-text"' in partial
    full = client.get(f"/planning/rhk/{rhk.id}/edit").get_data(as_text=True)
    assert "<html" in full and 'name="edit-text"' in full
    bad = client.post(f"/planning/rhk/{rhk.id}", headers=HX,
                      data={"edit-kind": "UTAMA", "edit-source": "TIM_KERJA", "edit-text": ""})
    assert bad.status_code == 422 and "wajib diisi" in bad.get_data(as_text=True)
    assert fresh(RencanaHasilKerja, rhk.id).text == "Teks lama"
    good = client.post(f"/planning/rhk/{rhk.id}", headers=HX,
                       data={"edit-kind": "UTAMA", "edit-source": "TIM_KERJA", "edit-text": "Teks baru"})
    assert good.status_code == 200 and "Teks baru" in good.get_data(as_text=True)
    assert fresh(RencanaHasilKerja, rhk.id).text == "Teks baru"
    assert "skp.rhk.update" in audit_actions(item.id)
    cancel = client.get(f"/planning/rhk/{rhk.id}", headers=HX).get_data(as_text=True)
    assert cancel.strip().startswith(f'<tbody id="rhk-{rhk.id}"') and 'name="edit-text"' not in cancel


def test_delete_rhk_answers_the_section(org, client):
    item = new_skp(org.staff)
    rhk = add_rhk(item, "Akan dihapus")
    login(client, org, org.staff)
    response = client.post(f"/planning/rhk/{rhk.id}/delete", headers=HX)
    assert response.status_code == 200
    assert response.get_data(as_text=True).strip().startswith('<section id="skp-rhk"')
    assert rhk_count(item.id) == 0
    assert "skp.rhk.delete" in audit_actions(item.id)


# --- IKI ----------------------------------------------------------------------------------------------


def test_add_iki_then_invalid_target_is_422(org, client):
    item = new_skp(org.staff)
    rhk = add_rhk(item)
    login(client, org, org.staff)
    prefix = f"iki{rhk.id}-"
    bad = client.post(f"/planning/rhk/{rhk.id}/iki", headers=HX, data={
        prefix + "text": "Jumlah dokumen", prefix + "aspek": "KUANTITAS", prefix + "target": "banyak",
        prefix + "unit_of_measure": "dokumen"})
    assert bad.status_code == 422
    assert "Harus berupa angka." in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Iki.id))) == 0
    good = client.post(f"/planning/rhk/{rhk.id}/iki", headers=HX, data={
        prefix + "text": "Jumlah dokumen", prefix + "aspek": "KUANTITAS", prefix + "target": "4,5",
        prefix + "unit_of_measure": "dokumen"})
    text = good.get_data(as_text=True)
    assert good.status_code == 200 and text.strip().startswith(f'<tbody id="rhk-{rhk.id}"')
    iki = db.session.scalar(select(Iki).where(Iki.rhk_id == rhk.id))
    assert iki.target == 4.5 and "4.5 dokumen" in text
    assert "skp.iki.add" in audit_actions(item.id)


def test_edit_and_delete_iki(org, client):
    item = new_skp(org.staff)
    rhk = add_rhk(item)
    iki = add_iki(rhk, target=3)
    login(client, org, org.staff)
    partial = client.get(f"/planning/iki/{iki.id}/edit", headers=HX).get_data(as_text=True)
    assert partial.strip().startswith(f'<tbody id="rhk-{rhk.id}"') and 'name="edit-target"' in partial
    assert "<html" in client.get(f"/planning/iki/{iki.id}/edit").get_data(as_text=True)
    response = client.post(f"/planning/iki/{iki.id}", headers=HX, data={
        "edit-text": "Jumlah laporan", "edit-aspek": "KUALITAS", "edit-target": "90", "edit-unit_of_measure": "%"})
    assert response.status_code == 200
    assert fresh(Iki, iki.id).aspek == "KUALITAS" and fresh(Iki, iki.id).target == 90
    missing = client.post(f"/planning/iki/{iki.id}", headers=HX, data={
        "edit-text": "Jumlah laporan", "edit-aspek": "KUALITAS", "edit-target": "", "edit-unit_of_measure": "%"})
    assert missing.status_code == 422 and fresh(Iki, iki.id).target == 90
    deleted = client.post(f"/planning/iki/{iki.id}/delete", headers=HX)
    assert deleted.status_code == 200 and fresh(Iki, iki.id) is None
    assert "skp.iki.delete" in audit_actions(item.id)


def test_a_submitted_skp_cannot_be_edited(org, client):
    item = submitted_skp(org.staff)
    rhk = item.rhk[0]
    login(client, org, org.staff)
    response = client.post(f"/planning/skp/{item.id}/rhk", headers=HX,
                           data={"kind": "UTAMA", "source": "TIM_KERJA", "text": "Sisipan"})
    assert response.status_code == 409
    assert client.post(f"/planning/rhk/{rhk.id}/delete", headers=HX).status_code == 409
    assert rhk_count(item.id) == 1
    page = client.get(f"/planning/skp/{item.id}").get_data(as_text=True)
    assert 'id="rhk-form"' not in page and "Diajukan" in page


# --- perilaku, lampiran, dialog -------------------------------------------------------------------------


def test_assessor_sets_ekspektasi_khusus_and_the_employee_may_not(org, client):
    item = new_skp(org.staff)
    login(client, org, org.staff)
    url = f"/planning/skp/{item.id}/perilaku/AKUNTABEL"
    assert client.post(url, data={"akuntabel-text": "Tepat waktu"}).status_code == 403
    login(client, org, org.pratama)
    response = client.post(url, headers=HX, data={"akuntabel-text": "Laporan selalu tepat waktu"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and text.strip().startswith('<section id="skp-perilaku"')
    row = next(p for p in fresh(Skp, item.id).perilaku if p.value == "AKUNTABEL")
    assert row.ekspektasi_khusus == "Laporan selalu tepat waktu"
    assert "skp.perilaku" in audit_actions(item.id)
    assert client.post(f"/planning/skp/{item.id}/perilaku/TIDAK_ADA", data={}).status_code == 404


def test_lampiran_saved_and_too_long_is_422(org, client):
    item = new_skp(org.staff)
    login(client, org, org.staff)
    response = client.post(f"/planning/skp/{item.id}/lampiran", headers=HX, data={
        "sumber_daya": "Laptop dan akses data", "skema": "Laporan bulanan", "konsekuensi": "Sesuai aturan"})
    assert response.status_code == 200
    assert response.get_data(as_text=True).strip().startswith('<section id="skp-lampiran"')
    assert fresh(Skp, item.id).sumber_daya == "Laptop dan akses data"
    too_long = client.post(f"/planning/skp/{item.id}/lampiran", headers=HX, data={"sumber_daya": "x" * 5000})
    assert too_long.status_code == 422
    assert fresh(Skp, item.id).sumber_daya == "Laptop dan akses data"
    assert "skp.lampiran" in audit_actions(item.id)


def test_dialog_recorded_and_invalid_is_422(org, client):
    item = new_skp(org.staff)
    login(client, org, org.staff)
    bad = client.post(f"/planning/skp/{item.id}/dialogs", headers=HX,
                      data={"held_on": "kemarin", "medium": "TELEPON", "summary": ""})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "Tanggal tidak valid" in text and "Ringkasan dialog wajib diisi." in text
    future = client.post(f"/planning/skp/{item.id}/dialogs", headers=HX, data={
        "held_on": (clock.today() + timedelta(days=3)).isoformat(), "medium": "TELEPON", "summary": "Rencana"})
    assert future.status_code == 422 and "masa depan" in future.get_data(as_text=True)
    assert db.session.scalar(select(func.count(DialogKinerja.id))) == 0
    good = client.post(f"/planning/skp/{item.id}/dialogs", headers=HX, data={
        "held_on": clock.today().isoformat(), "medium": "DARING", "summary": "Menyepakati RHK",
        "agreed_points": "Tiga RHK utama"})
    assert good.status_code == 200
    assert good.get_data(as_text=True).strip().startswith('<section id="skp-dialogs"')
    assert "Menyepakati RHK" in good.get_data(as_text=True) and "Pertemuan daring" in good.get_data(as_text=True)
    login(client, org, org.other)
    assert client.post(f"/planning/skp/{item.id}/dialogs", data={
        "held_on": clock.today().isoformat(), "medium": "DARING", "summary": "x"}).status_code == 403


# --- workflow ------------------------------------------------------------------------------------------


def test_submit_then_the_assessor_approves_from_the_page(org, client):
    item = new_skp(org.staff)
    add_iki(add_rhk(item))
    login(client, org, org.staff)
    response = client.post(f"/planning/skp/{item.id}/submit", headers=HX)
    assert response.status_code == 204 and response.headers["HX-Redirect"].endswith(f"/planning/skp/{item.id}")
    assert fresh(Skp, item.id).status == "SUBMITTED"
    assert client.post(f"/planning/skp/{item.id}/approve").status_code == 403  # one's own SKP
    login(client, org, org.other)
    assert client.post(f"/planning/skp/{item.id}/approve").status_code == 403  # not his assessor
    login(client, org, org.madya)  # the assessor's superior sees the SKP but does not approve it
    assert client.post(f"/planning/skp/{item.id}/approve").status_code == 403
    assert fresh(Skp, item.id).status == "SUBMITTED"
    login(client, org, org.pratama)
    assert client.post(f"/planning/skp/{item.id}/approve").status_code == 303
    assert fresh(Skp, item.id).status == "APPROVED"
    assert {"skp.submit", "skp.approve"} <= set(audit_actions(item.id))


def test_submit_an_incomplete_skp_is_422(org, client):
    item = new_skp(org.staff)
    add_rhk(item)  # no IKI
    login(client, org, org.staff)
    response = client.post(f"/planning/skp/{item.id}/submit", headers=HX)
    assert response.status_code == 422 and "belum memiliki IKI" in response.get_data(as_text=True)
    assert fresh(Skp, item.id).status == "DRAFT"


def test_return_needs_a_reason_and_the_reason_is_shown(org, client):
    item = submitted_skp(org.staff)
    login(client, org, org.pratama)
    bad = client.post(f"/planning/skp/{item.id}/return", headers=HX, data={"reason": " "})
    assert bad.status_code == 422 and "Alasan pengembalian wajib diisi." in bad.get_data(as_text=True)
    assert fresh(Skp, item.id).status == "SUBMITTED"
    good = client.post(f"/planning/skp/{item.id}/return", data={"reason": "Target terlalu rendah"})
    assert good.status_code == 303 and fresh(Skp, item.id).status == "RETURNED"
    login(client, org, org.staff)
    page = client.get("/planning/skp").get_data(as_text=True)
    assert 'id="skp-return-reason"' in page and "Target terlalu rendah" in page
    assert 'id="rhk-form"' in page  # editable again


def test_revision_needs_a_dialog_and_opens_a_new_version(org, client):
    item = submitted_skp(org.staff)
    skp_services.approve_skp(org.pratama, item)
    db.session.commit()
    login(client, org, org.staff)
    page = client.get(f"/planning/skp/{item.id}").get_data(as_text=True)
    assert "Ajukan revisi" in page
    bad = client.post(f"/planning/skp/{item.id}/revise", headers=HX, data={"dialog_id": ""})
    assert bad.status_code == 422 and "dialog kinerja" in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Skp.id))) == 1
    dialog = skp_services.record_dialog(org.pratama, org.staff, held_on=clock.today(), medium="TATAP_MUKA",
                                        summary="Menambah RHK", skp=item)
    db.session.commit()
    response = client.post(f"/planning/skp/{item.id}/revise", data={"dialog_id": str(dialog.id)})
    assert response.status_code == 303
    new = db.session.scalar(select(Skp).where(Skp.previous_id == item.id))
    assert new.version == 2 and new.status == "DRAFT" and new.revision_dialog_id == dialog.id
    assert response.headers["Location"].endswith(f"/planning/skp/{new.id}")
    versions = client.get(f"/planning/skp/{new.id}").get_data(as_text=True)
    assert f'href="/planning/skp/{item.id}"' in versions  # the versions list links the approved one
    assert "skp.revise" in audit_actions(new.id)


# --- approval queue ------------------------------------------------------------------------------------


def test_queue_lists_submitted_skps_of_the_assessees_only(org, client):
    submitted_skp(org.staff)
    submitted_skp(org.jf)
    new_skp(org.other)  # a draft: not in the queue
    login(client, org, org.pratama)
    response = client.get("/planning/approvals")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Budi Staf" in page and "Citra Fungsional" in page and "Dodi Lain" not in page
    assert '<strong id="queue-count">2</strong>' in page
    login(client, org, org.other)
    assert "Budi Staf" not in client.get("/planning/approvals").get_data(as_text=True)


def test_rhk_without_its_link_is_stored_from_the_page_and_flagged_for_the_assessor(org, client):
    item = new_skp(org.staff)
    login(client, org, org.staff)
    for data in ({"kind": "UTAMA", "source": "CASCADING", "text": "Turunan belum ditautkan"},
                 {"kind": "TAMBAHAN", "source": "TUGAS_TAMBAHAN", "text": "Narasumber tanpa asal"}):
        response = client.post(f"/planning/skp/{item.id}/rhk", headers=HX, data=data)
        assert response.status_code == 200, response.get_data(as_text=True)  # the form is not narrower
    for rhk in fresh(Skp, item.id).rhk:
        add_iki(rhk)
    own = client.get(f"/planning/skp/{item.id}").get_data(as_text=True)
    assert own.count('class="badge badge-warn rhk-unlinked"') == 2
    assert "Belum ditautkan ke RHK Pejabat Penilai" in own and "Asal tugas tambahan belum diisi" in own
    assert client.post(f"/planning/skp/{item.id}/submit").status_code == 303  # submitting stays allowed
    login(client, org, org.pratama)
    queue = client.get("/planning/approvals").get_data(as_text=True)
    assert '<span class="badge badge-warn" title="Periksa sebelum menyetujui">2 belum ditautkan</span>' in queue
    review = client.get(f"/planning/skp/{item.id}").get_data(as_text=True)
    assert 'id="skp-unlinked"' in review and "periksa sebelum menyetujui" in review
    assert client.post(f"/planning/approvals/{item.id}/approve", headers=HX).status_code == 200
    assert fresh(Skp, item.id).status == "APPROVED"


def test_queue_shows_no_warning_for_linked_rhk(org, client):
    submitted_skp(org.staff)  # TIM_KERJA links to nothing
    login(client, org, org.pratama)
    assert "belum ditautkan" not in client.get("/planning/approvals").get_data(as_text=True)


def test_inline_approve_swaps_the_row_and_updates_the_counter_out_of_band(org, client):
    first = submitted_skp(org.staff)
    submitted_skp(org.jf)
    login(client, org, org.pratama)
    response = client.post(f"/planning/approvals/{first.id}/approve", headers=HX)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in text
    assert text.strip().startswith(f'<tr id="queue-skp-{first.id}"') and "Disetujui" in text
    assert '<strong id="queue-count" hx-swap-oob="true">1</strong>' in text
    assert fresh(Skp, first.id).status == "APPROVED" and fresh(Skp, first.id).approved_by_id == org.pratama.id
    assert "skp.approve" in audit_actions(first.id)
    again = client.post(f"/planning/approvals/{first.id}/approve", headers=HX)
    assert again.status_code == 409


def test_inline_approve_without_htmx_redirects_to_the_queue(org, client):
    item = submitted_skp(org.staff)
    login(client, org, org.pratama)
    response = client.post(f"/planning/approvals/{item.id}/approve")
    assert response.status_code == 303 and response.headers["Location"].endswith("/planning/approvals")


def test_queue_refuses_non_assessors_and_own_skp(org, client):
    item = submitted_skp(org.staff)
    login(client, org, org.other)
    assert client.post(f"/planning/approvals/{item.id}/approve", headers=HX).status_code == 403
    assert client.post(f"/planning/approvals/{item.id}/return", headers=HX,
                       data={"reason": "x"}).status_code == 403
    login(client, org, org.staff)
    assert client.post(f"/planning/approvals/{item.id}/approve", headers=HX).status_code == 403
    assert fresh(Skp, item.id).status == "SUBMITTED"


def test_inline_return_needs_a_reason(org, client):
    item = submitted_skp(org.staff)
    login(client, org, org.pratama)
    form = client.get(f"/planning/approvals/{item.id}/return", headers=HX).get_data(as_text=True)
    assert form.strip().startswith(f'<tr id="queue-skp-{item.id}"') and 'name="reason"' in form
    assert "<html" in client.get(f"/planning/approvals/{item.id}/return").get_data(as_text=True)
    bad = client.post(f"/planning/approvals/{item.id}/return", headers=HX, data={"reason": ""})
    assert bad.status_code == 422 and "Alasan pengembalian wajib diisi." in bad.get_data(as_text=True)
    assert fresh(Skp, item.id).status == "SUBMITTED"
    good = client.post(f"/planning/approvals/{item.id}/return", headers=HX, data={"reason": "Lengkapi IKI"})
    text = good.get_data(as_text=True)
    assert good.status_code == 200 and "Dikembalikan" in text and 'id="queue-count" hx-swap-oob="true">0<' in text
    assert fresh(Skp, item.id).status == "RETURNED" and fresh(Skp, item.id).return_reason == "Lengkapi IKI"
    assert "skp.return" in audit_actions(item.id)


def test_queue_row_partial_with_and_without_htmx(org, client):
    item = submitted_skp(org.staff)
    login(client, org, org.pratama)
    partial = client.get(f"/planning/approvals/{item.id}", headers=HX).get_data(as_text=True)
    assert partial.strip().startswith(f'<tr id="queue-skp-{item.id}"') and "<html" not in partial
    assert "<html" in client.get(f"/planning/approvals/{item.id}").get_data(as_text=True)


def test_queue_query_count_does_not_grow_with_pending(org, client, make_employee):
    from tests.org.test_views import count_queries

    submitted_skp(org.staff)
    login(client, org, org.pratama)
    client.get("/planning/approvals")
    with count_queries() as small:
        client.get("/planning/approvals")
    for i in range(6):
        submitted_skp(make_employee(org.dit, "PELAKSANA", name=f"Tambahan {i}"), f"RHK {i}")
    refresh_assessor_links()
    db.session.commit()
    client.get("/planning/approvals")
    with count_queries() as large:
        response = client.get("/planning/approvals")
    assert "Tambahan 5" in response.get_data(as_text=True)
    assert large["n"] == small["n"]


# --- Matrik Peran Hasil --------------------------------------------------------------------------------


def test_matrik_share_then_the_member_takes_it(org, client):
    leader = new_skp(org.pratama)
    leader_rhk = add_rhk(leader, "Kebijakan teknis tersusun", kind="TAMBAHAN", source="TUGAS_TAMBAHAN",
                         task_origin="LUAR_INSTANSI")
    item = new_skp(org.staff)
    login(client, org, org.pratama)
    page = client.get("/planning/matrik").get_data(as_text=True)
    assert "Kebijakan teknis tersusun" in page and "Budi Staf" in page and f'id="matrik-rhk-{leader_rhk.id}"' in page
    prefix = f"share{leader_rhk.id}-"
    bad = client.post(f"/planning/matrik/rhk/{leader_rhk.id}/shares", headers=HX,
                      data={prefix + "member_id": str(org.staff.id), prefix + "text": ""})
    assert bad.status_code == 422 and db.session.scalar(select(func.count(PeranHasil.id))) == 0
    response = client.post(f"/planning/matrik/rhk/{leader_rhk.id}/shares", headers=HX,
                           data={prefix + "member_id": str(org.staff.id), prefix + "text": "Menyusun bahan"})
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and text.strip().startswith(f'<section id="matrik-rhk-{leader_rhk.id}"')
    assert "Menyusun bahan" in text and "Ditawarkan" in text
    share = db.session.scalar(select(PeranHasil))
    assert "skp.share" in audit_actions(leader.id)

    login(client, org, org.other)  # not the RHK's owner
    assert client.post(f"/planning/matrik/rhk/{leader_rhk.id}/shares",
                       data={prefix + "member_id": str(org.staff.id), prefix + "text": "x"}).status_code == 403

    login(client, org, org.staff)
    my_page = client.get("/planning/skp").get_data(as_text=True)
    assert f'id="share-{share.id}"' in my_page and "Menyusun bahan" in my_page
    taken = client.post(f"/planning/skp/{item.id}/shares/{share.id}/take", headers=HX)
    assert taken.status_code == 204
    rhk = db.session.scalar(select(RencanaHasilKerja).where(RencanaHasilKerja.skp_id == item.id))
    assert rhk.source == "MATRIK_PERAN_HASIL" and rhk.parent_rhk_id == leader_rhk.id
    assert fresh(PeranHasil, share.id).taken_rhk_id == rhk.id
    assert f'id="share-{share.id}"' not in client.get("/planning/skp").get_data(as_text=True)


def test_matrik_without_skp_says_so(org, client):
    login(client, org, org.pratama)
    response = client.get("/planning/matrik")
    assert response.status_code == 200 and "belum memiliki SKP" in response.get_data(as_text=True)


def test_taking_someone_elses_share_is_403(org, client):
    leader = new_skp(org.pratama)
    leader_rhk = add_rhk(leader, "Kebijakan", kind="TAMBAHAN", source="TUGAS_TAMBAHAN", task_origin="LUAR_INSTANSI")
    share = skp_services.share_rhk(org.pratama, leader_rhk, org.staff, "Bagian Budi")
    db.session.commit()
    other_skp = new_skp(org.other)
    login(client, org, org.other)
    assert client.post(f"/planning/skp/{other_skp.id}/shares/{share.id}/take").status_code == 403
    assert rhk_count(other_skp.id) == 0


def test_period_dates_are_shown(org, client):
    item = new_skp(org.staff)
    login(client, org, org.staff)
    page = client.get(f"/planning/skp/{item.id}").get_data(as_text=True)
    assert date(year(), 12, 31).strftime("%d-%m-%Y") in page


def test_skp_page_query_count_does_not_grow_with_rhk_and_iki(org, client):
    from tests.org.test_views import count_queries

    item = new_skp(org.staff)
    add_iki(add_rhk(item, "RHK 0"))
    login(client, org, org.staff)
    client.get(f"/planning/skp/{item.id}")
    with count_queries() as small:
        client.get(f"/planning/skp/{item.id}")
    for i in range(1, 15):
        rhk = add_rhk(item, f"RHK {i}")
        for _ in range(3):
            add_iki(rhk)
    client.get(f"/planning/skp/{item.id}")
    with count_queries() as large:
        response = client.get(f"/planning/skp/{item.id}")
    assert "RHK 14" in response.get_data(as_text=True)
    assert large["n"] == small["n"]


def test_administrator_picks_an_iku_of_the_units_pk_from_the_helper(org, client):
    from kinerja.planning import pk as pk_services

    pk = pk_services.create_pk(None, org.sub, year())
    sasaran = pk_services.add_sasaran(None, pk, "Meningkatnya kualitas layanan")
    iku = pk_services.add_iku(None, sasaran, code="IKU-1", name="Indeks kepuasan layanan", polarity="MAX",
                              weight=100, unit_of_measure="indeks", target=80)
    action = pk_services.add_action(None, iku, kind="RENCANA_AKSI", description="Survei kepuasan triwulanan")
    db.session.commit()
    item = new_skp(org.admin)
    login(client, org, org.admin)
    page = client.get(f"/planning/skp/{item.id}").get_data(as_text=True)
    helper = page[page.index('id="skp-helper"'):]
    assert "IKU-1" in helper and "Indeks kepuasan layanan" in helper and "Survei kepuasan triwulanan" in helper
    partial = client.get(f"/planning/skp/{item.id}/rhk/new?source=PK&iku_id={iku.id}", headers=HX)
    assert f'<option selected value="{iku.id}">' in partial.get_data(as_text=True)
    missing = client.post(f"/planning/skp/{item.id}/rhk", headers=HX,
                          data={"kind": "UTAMA", "source": "PK", "text": "Layanan prima"})
    assert missing.status_code == 200 and "Belum ditautkan ke IKU" in missing.get_data(as_text=True)
    response = client.post(f"/planning/skp/{item.id}/rhk", headers=HX, data={
        "kind": "UTAMA", "source": "RENCANA_AKSI", "text": "Survei terlaksana", "rencana_aksi_id": str(action.id)})
    assert response.status_code == 200
    rhk = db.session.scalar(select(RencanaHasilKerja).where(RencanaHasilKerja.skp_id == item.id,
                                                             RencanaHasilKerja.source == "RENCANA_AKSI"))
    assert rhk.rencana_aksi_id == action.id and rhk.iku_id == iku.id


def test_plain_forms_carry_the_csrf_token_even_when_prefixed(org, client, app):
    import re

    item = new_skp(org.staff)
    rhk = add_rhk(item)
    app.config["WTF_CSRF_ENABLED"] = True
    login(client, org, org.staff)
    page = client.get(f"/planning/skp/{item.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    prefix = f"iki{rhk.id}-"
    data = {prefix + "text": "Jumlah dokumen", prefix + "aspek": "WAKTU", prefix + "target": "3",
            prefix + "unit_of_measure": "bulan"}
    assert client.post(f"/planning/rhk/{rhk.id}/iki", data=data).status_code == 400  # no token
    response = client.post(f"/planning/rhk/{rhk.id}/iki", data={**data, "csrf_token": token})
    assert response.status_code == 200
    assert db.session.scalar(select(func.count(Iki.id)).where(Iki.rhk_id == rhk.id)) == 1


def test_audit_trail_of_an_skp_loads_on_demand(client, org):
    item = new_skp(org.staff)
    add_rhk(item, text="Rekap data kepegawaian")
    login(client, org, org.staff)
    page = client.get(f"/planning/skp/{item.id}").get_data(as_text=True)
    assert f"/planning/skp/{item.id}/audit" in page and "skp.rhk.add" not in page  # not loaded with the page
    partial = client.get(f"/planning/skp/{item.id}/audit", headers=HX)
    assert partial.status_code == 200
    body = partial.get_data(as_text=True)
    assert "<html" not in body and "skp.create" in body and "skp.rhk.add" in body
    assert "<html" in client.get(f"/planning/skp/{item.id}/audit").get_data(as_text=True)
    login(client, org, org.other)
    assert client.get(f"/planning/skp/{item.id}/audit", headers=HX).status_code == 403


def test_add_iki_form_is_drawn_on_demand(client, org):
    item = new_skp(org.staff)
    rhk = add_rhk(item, text="Rekap data kepegawaian")
    login(client, org, org.staff)
    page = client.get(f"/planning/skp/{item.id}").get_data(as_text=True)
    assert f"/planning/rhk/{rhk.id}/iki/new" in page and f'name="iki{rhk.id}-text"' not in page
    partial = client.get(f"/planning/rhk/{rhk.id}/iki/new", headers=HX)
    body = partial.get_data(as_text=True)
    assert partial.status_code == 200 and "<html" not in body
    assert f'id="rhk-{rhk.id}"' in body and f'name="iki{rhk.id}-text"' in body and "<details open" in body
    full = client.get(f"/planning/rhk/{rhk.id}/iki/new").get_data(as_text=True)
    assert "<html" in full and f'name="iki{rhk.id}-text"' in full
    login(client, org, org.other)
    assert client.get(f"/planning/rhk/{rhk.id}/iki/new", headers=HX).status_code == 403

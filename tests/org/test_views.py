"""HR pages: unit tree, unit page, employee list and page, PLT/PLH and override forms, dashboards."""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from kinerja import clock
from kinerja.audit.models import AuditEntry
from kinerja.extensions import db
from kinerja.org import relations, services
from kinerja.org.assessors import refresh_assessor_links
from kinerja.org.models import ActingAssignment, AssessorLink, DelegationOverride, Employee, Unit
from tests import factories
from tests.factories import login_as

HX = {"HX-Request": "true"}


@dataclass
class Org:
    root: Unit
    deputi: Unit
    dit: Unit
    vacant: Unit
    kepala: Employee
    madya: Employee
    pratama: Employee
    staff: Employee
    other: Employee
    orphan: Employee
    hr: Employee
    hr_user: object
    staff_user: object
    other_user: object
    pratama_user: object
    madya_user: object


def build_small_org() -> Org:
    """Build Kepala > Deputi (JPT Madya) > two Direktorat: one headed, one vacant; users for each role."""
    make_unit, make_employee = factories.make_unit, factories.make_employee
    root = make_unit("BKKBN", "BADAN", name="BKKBN")
    deputi = make_unit("DEP-1", "ESELON_I", root, name="Deputi Bidang Uji")
    dit = make_unit("DIT-1", "ESELON_II", deputi, name="Direktorat Satu")
    vacant = make_unit("DIT-2", "ESELON_II", deputi, name="Direktorat Dua")
    kepala = make_employee(root, "KEPALA", name="Kepala Badan", golongan="IV/e", is_head=True)
    madya = make_employee(deputi, "JPT_MADYA", name="Deputi Madya", golongan="IV/d", is_head=True)
    pratama = make_employee(dit, "JPT_PRATAMA", name="Direktur Pratama", golongan="IV/c", is_head=True)
    staff = make_employee(dit, "PELAKSANA", name="Budi Staf", golongan="III/a")
    other = make_employee(dit, "JF", name="Citra Lain", golongan="III/b", jf_name="Pranata Komputer")
    orphan = make_employee(vacant, "PELAKSANA", name="Sari Tanpa Atasan", golongan="III/a")
    hr = make_employee(dit, "PELAKSANA", name="Hana Kepegawaian", golongan="III/c")
    refresh_assessor_links()
    db.session.commit()
    return Org(root, deputi, dit, vacant, kepala, madya, pratama, staff, other, orphan, hr,
               account(hr, "KEPEGAWAIAN"), account(staff), account(other), account(pratama), account(madya))


def account(employee, *roles):
    """Return a user for the employee without hashing a password (login goes through the session)."""
    from kinerja.auth import services as auth_services

    user = auth_services.user_for(employee)
    for role in roles:
        auth_services.grant_role(None, employee, role)
    db.session.commit()
    return user


@pytest.fixture
def org(app) -> Org:
    return build_small_org()


@contextmanager
def count_queries():
    """Count the SQL statements run inside the block."""
    counter = {"n": 0}

    def before(*_args, **_kwargs):
        counter["n"] += 1

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def audit_rows(action: str, object_id: str) -> list[AuditEntry]:
    stmt = select(AuditEntry).where(AuditEntry.action == action, AuditEntry.object_id == object_id)
    return list(db.session.scalars(stmt))


def link_of(employee: Employee) -> AssessorLink:
    db.session.expire_all()
    return relations.link_of(employee.id)


def today():
    return clock.today()


# --- unit tree and unit page -------------------------------------------------------------


def test_unit_tree_shows_every_unit_with_head_vacancy_and_time_zone(org, client, make_unit):
    make_unit("P-SULSEL", "ESELON_II", org.root, name="Perwakilan Sulawesi Selatan", region="PERWAKILAN",
              timezone="Asia/Makassar")
    login_as(client, org.hr_user)
    response = client.get("/org/units")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for code in ("BKKBN", "DEP-1", "DIT-1", "DIT-2", "P-SULSEL"):
        assert f"<code>{code}</code>" in page
    assert "Direktur Pratama" in page
    assert "Kosong" in page  # DIT-2 has no head and no PLT/PLH
    assert "WITA" in page and "WIB" in page
    assert "<details" in page


def test_unit_tree_shows_plt_instead_of_kosong(org, client):
    services.add_acting(None, employee=org.pratama, unit=org.vacant, kind="PLT", start=today() - timedelta(days=1),
                        end=today() + timedelta(days=30))
    db.session.commit()
    login_as(client, org.hr_user)
    page = client.get("/org/units").get_data(as_text=True)
    dit2 = page[page.index("<code>DIT-2</code>"):]
    dit2 = dit2[: dit2.index("</li>")]
    assert "PLT" in dit2 and "Direktur Pratama" in dit2
    assert "Kosong" not in dit2


def test_unit_tree_query_count_does_not_grow_with_units(org, client, make_unit, make_employee):
    login_as(client, org.hr_user)
    client.get("/org/units")
    with count_queries() as small:
        client.get("/org/units")
    for i in range(15):
        unit = make_unit(f"EXTRA-{i}", "ESELON_III", org.dit)
        make_employee(unit, "ADMINISTRATOR", is_head=True)
    client.get("/org/units")  # warm the session as before the first count
    with count_queries() as large:
        response = client.get("/org/units")
    assert response.status_code == 200
    assert "EXTRA-14" in response.get_data(as_text=True)
    assert large["n"] == small["n"]


def test_unit_page_shows_facts_head_children_and_employees(org, client):
    login_as(client, org.hr_user)
    response = client.get("/org/units/DEP-1")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Deputi Bidang Uji" in page and "Eselon I" in page
    assert "Deputi Madya" in page  # the head
    assert "DIT-1" in page and "DIT-2" in page  # children
    assert 'id="acting-list"' in page and 'id="unit-employees"' in page
    assert "Jejak audit" in page and "unit.create" in page  # the audit trail of the unit


def test_unit_page_unknown_code_is_404(org, client):
    login_as(client, org.hr_user)
    assert client.get("/org/units/TIDAK-ADA").status_code == 404


def test_unit_employees_are_paged_and_partial_for_htmx(org, client, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    login_as(client, org.hr_user)  # DIT-1 holds pratama, staff, other, hr: two pages
    full = client.get("/org/units/DIT-1/employees?page=2")
    assert full.status_code == 200
    assert "<html" in full.get_data(as_text=True)
    partial = client.get("/org/units/DIT-1/employees?page=2", headers=HX)
    text = partial.get_data(as_text=True)
    assert partial.status_code == 200
    assert "<html" not in text
    assert text.strip().startswith('<section id="unit-employees"')
    assert "Halaman 2 dari 2" in text
    assert "Direktur Pratama" not in text  # the head is listed first, on page 1


def test_acting_partial_with_and_without_htmx(org, client):
    login_as(client, org.hr_user)
    full = client.get("/org/units/DIT-2/acting")
    assert full.status_code == 200 and "<html" in full.get_data(as_text=True)
    partial = client.get("/org/units/DIT-2/acting", headers=HX)
    assert partial.status_code == 200
    assert "<html" not in partial.get_data(as_text=True)
    assert partial.get_data(as_text=True).strip().startswith('<section id="acting-list"')


# --- PLT/PLH forms -----------------------------------------------------------------------


def acting_data(nip, kind="PLT", start=None, end=None):
    start = start or today() - timedelta(days=1)
    end = end or today() + timedelta(days=30)
    return {"nip": nip, "kind": kind, "start": start.isoformat(), "end": end.isoformat()}


def test_add_acting_saves_audits_and_refreshes_assessor(org, client):
    assert link_of(org.orphan).problem == "VACANT"
    login_as(client, org.hr_user)
    response = client.post("/org/units/DIT-2/acting", data=acting_data(org.pratama.nip))
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/org/units/DIT-2")
    acting = db.session.scalar(select(ActingAssignment))
    assert (acting.employee_id, acting.unit_id, acting.kind) == (org.pratama.id, org.vacant.id, "PLT")
    [row] = audit_rows("acting.create", org.pratama.nip)
    assert row.actor_id == org.hr.id and row.after["unit"] == "DIT-2"
    link = link_of(org.orphan)
    assert link.assessor_id == org.pratama.id and link.problem is None


def test_add_acting_htmx_answers_the_partial_with_flash(org, client):
    login_as(client, org.hr_user)
    response = client.post("/org/units/DIT-2/acting", data=acting_data(org.pratama.nip, "PLH"), headers=HX)
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in text
    assert 'id="acting-list"' in text and "Direktur Pratama" in text
    assert 'hx-swap-oob="true"' in text and "disimpan" in text


@pytest.mark.parametrize(
    "change, message",
    [
        ({"nip": "199999999999999999"}, "tidak ditemukan"),
        ({"nip": "12345"}, "18 angka"),
        ({"kind": "XYZ"}, "Pilihan tidak valid"),
        ({"end": "2020-01-01"}, "tidak boleh sebelum"),
        ({"start": "bukan-tanggal"}, "Tanggal tidak valid"),
        ({"start": ""}, "wajib diisi"),
    ],
)
def test_add_acting_invalid_is_422_with_field_error(org, client, change, message):
    login_as(client, org.hr_user)
    data = {**acting_data(org.pratama.nip), **change}
    for headers in ({}, HX):
        response = client.post("/org/units/DIT-2/acting", data=data, headers=headers)
        text = response.get_data(as_text=True)
        assert response.status_code == 422
        assert message in text and "field-error" in text
        assert ("<html" in text) is (not headers)
    assert db.session.scalar(select(func.count(ActingAssignment.id))) == 0
    assert audit_rows("acting.create", org.pratama.nip) == []


def test_add_acting_overlapping_same_kind_is_422_but_other_kind_is_fine(org, client):
    services.add_acting(None, employee=org.madya, unit=org.vacant, kind="PLT", start=today(),
                        end=today() + timedelta(days=10))
    db.session.commit()
    login_as(client, org.hr_user)
    overlapping = acting_data(org.pratama.nip, "PLT", today() + timedelta(days=5), today() + timedelta(days=20))
    response = client.post("/org/units/DIT-2/acting", data=overlapping)
    assert response.status_code == 422
    assert "beririsan" in response.get_data(as_text=True)
    after = acting_data(org.pratama.nip, "PLT", today() + timedelta(days=11), today() + timedelta(days=20))
    assert client.post("/org/units/DIT-2/acting", data=after).status_code == 303
    plh = acting_data(org.pratama.nip, "PLH", today() + timedelta(days=5), today() + timedelta(days=8))
    assert client.post("/org/units/DIT-2/acting", data=plh).status_code == 303
    assert db.session.scalar(select(func.count(ActingAssignment.id))) == 3


def test_end_acting_early(org, client):
    acting = services.add_acting(None, employee=org.pratama, unit=org.vacant, kind="PLT",
                                 start=today() - timedelta(days=10), end=today() + timedelta(days=30))
    refresh_assessor_links()
    db.session.commit()
    assert link_of(org.orphan).assessor_id == org.pratama.id
    login_as(client, org.hr_user)
    yesterday = today() - timedelta(days=1)
    response = client.post(f"/org/acting/{acting.id}/end", data={"end": yesterday.isoformat()}, headers=HX)
    assert response.status_code == 200
    assert 'id="acting-list"' in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ActingAssignment, acting.id).end == yesterday
    [row] = audit_rows("acting.update", org.pratama.nip)
    assert row.after["end"] == yesterday.isoformat()
    assert link_of(org.orphan).problem == "VACANT"  # the snapshot followed the change


@pytest.mark.parametrize("offset, message", [(-20, "sebelum tanggal mulai"), (40, "lebih awal")])
def test_end_acting_invalid_date_is_422(org, client, offset, message):
    acting = services.add_acting(None, employee=org.pratama, unit=org.vacant, kind="PLT",
                                 start=today() - timedelta(days=10), end=today() + timedelta(days=30))
    db.session.commit()
    login_as(client, org.hr_user)
    end = today() + timedelta(days=offset)
    response = client.post(f"/org/acting/{acting.id}/end", data={"end": end.isoformat()}, headers=HX)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(ActingAssignment, acting.id).end == today() + timedelta(days=30)


def test_end_unknown_acting_is_404(org, client):
    login_as(client, org.hr_user)
    assert client.post("/org/acting/999/end", data={"end": today().isoformat()}).status_code == 404


# --- employee list -----------------------------------------------------------------------


def listed(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_employee_list_searches_name_substring_case_insensitive(org, client):
    login_as(client, org.hr_user)
    text = listed(client.get("/org/employees?q=BUDI", headers=HX))
    assert "Budi Staf" in text
    assert "Citra Lain" not in text and "1–1 dari 1" in text


def test_employee_list_searches_nip_prefix(org, client):
    login_as(client, org.hr_user)
    text = listed(client.get(f"/org/employees?q={org.staff.nip}", headers=HX))
    assert "Budi Staf" in text and "1–1 dari 1" in text
    everyone = listed(client.get(f"/org/employees?q={org.staff.nip[:8]}", headers=HX))
    assert "dari 7 pegawai" in everyone
    # a fragment from the middle of a NIP is not a prefix
    assert "Tidak ada pegawai" in listed(client.get(f"/org/employees?q={org.staff.nip[8:]}", headers=HX))


def test_employee_list_treats_like_wildcards_literally(org, client):
    login_as(client, org.hr_user)
    assert "Tidak ada pegawai" in listed(client.get("/org/employees?q=%25", headers=HX))
    assert "Tidak ada pegawai" in listed(client.get("/org/employees?q=_", headers=HX))


def test_employee_list_filters_by_unit_subtree_and_jenjang(org, client):
    login_as(client, org.hr_user)
    subtree = listed(client.get("/org/employees?unit=DEP-1", headers=HX))
    assert "Sari Tanpa Atasan" in subtree and "Budi Staf" in subtree and "Deputi Madya" in subtree
    assert org.kepala.nip not in subtree  # his name shows only as Deputi Madya's assessor
    only_dit2 = listed(client.get("/org/employees?unit=DIT-2", headers=HX))
    assert "Sari Tanpa Atasan" in only_dit2 and "Budi Staf" not in only_dit2
    jf = listed(client.get("/org/employees?unit=DEP-1&jenjang=JF", headers=HX))
    assert "Citra Lain" in jf and "1–1 dari 1" in jf


def test_employee_list_unknown_unit_or_jenjang_is_422(org, client):
    login_as(client, org.hr_user)
    response = client.get("/org/employees?unit=NOPE", headers=HX)
    assert response.status_code == 422
    assert "Kode unit tidak dikenal" in response.get_data(as_text=True)
    response = client.get("/org/employees?jenjang=BOS")
    assert response.status_code == 422
    assert "Pilihan tidak valid" in response.get_data(as_text=True)


def test_employee_list_pages(org, client, app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", 3)
    login_as(client, org.hr_user)
    first = listed(client.get("/org/employees", headers=HX))
    third = listed(client.get("/org/employees?page=3", headers=HX))
    assert "1–3 dari 7" in first and "Halaman 1 dari 3" in first
    assert "7–7 dari 7" in third and "Halaman 3 dari 3" in third
    # ordered by name: "Sari Tanpa Atasan" is the last of the seven
    assert "Sari Tanpa Atasan" in third and "Sari Tanpa Atasan" not in first
    # past the end shows the last page, garbage shows the first
    assert "7–7 dari 7" in listed(client.get("/org/employees?page=99", headers=HX))
    assert "1–3 dari 7" in listed(client.get("/org/employees?page=x", headers=HX))
    # pager links keep the filters
    filtered = listed(client.get("/org/employees?unit=DEP-1", headers=HX))
    assert "unit=DEP-1" in filtered and "page=2" in filtered


def test_employee_list_page_and_partial(org, client):
    login_as(client, org.hr_user)
    full = listed(client.get("/org/employees?q=budi"))
    assert "<html" in full and 'id="employee-results"' in full
    assert 'hx-trigger="input changed delay:300ms, search"' in full
    assert 'hx-push-url="true"' in full and 'hx-target="#employee-results"' in full
    assert 'value="budi"' in full  # the pushed URL loads with the search filled in
    partial = listed(client.get("/org/employees?q=budi", headers=HX))
    assert "<html" not in partial
    assert partial.strip().startswith('<section id="employee-results"')


def test_employee_list_query_count_does_not_grow_with_rows(org, client, app, monkeypatch):
    login_as(client, org.hr_user)
    monkeypatch.setitem(app.config, "PAGE_SIZE", 2)
    client.get("/org/employees", headers=HX)
    with count_queries() as few:
        client.get("/org/employees", headers=HX)
    monkeypatch.setitem(app.config, "PAGE_SIZE", 50)
    client.get("/org/employees?unit=DEP-1", headers=HX)
    with count_queries() as many:
        client.get("/org/employees?unit=DEP-1", headers=HX)
    assert many["n"] == few["n"] + 1  # + the unit code lookup, nothing per row


# --- employee page -----------------------------------------------------------------------


def test_employee_page_shows_identity_assessors_history_and_audit(org, client):
    login_as(client, org.hr_user)
    response = client.get(f"/org/employees/{org.other.nip}")
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    for expected in (org.other.nip, "Citra Lain", "III/b", "Jabatan Fungsional", "Pranata Komputer",
                     "Direktorat Satu", "Deputi Bidang Uji",  # unit path
                     "Direktur Pratama", "Deputi Madya",  # assessor and superior
                     "Riwayat jabatan", "employee.create"):  # position history, audit trail
        assert expected in text, expected


def test_employee_page_shows_vacancy_problem(org, client):
    login_as(client, org.hr_user)
    text = client.get(f"/org/employees/{org.orphan.nip}").get_data(as_text=True)
    assert "kosong dan tidak ada PLT/PLH" in text
    assert 'role="alert"' in text


def test_assessor_on_a_date_follows_acting_assignment(org, client):
    start, end = today() - timedelta(days=30), today() - timedelta(days=10)
    services.add_acting(None, employee=org.pratama, unit=org.vacant, kind="PLH", start=start, end=end)
    db.session.commit()
    login_as(client, org.hr_user)
    during = (start + timedelta(days=5)).isoformat()
    response = client.get(f"/org/employees/{org.orphan.nip}/assessor?date={during}", headers=HX)
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in text and text.strip().startswith('<section id="assessor-panel"')
    on_date = text[text.index("<h3>Pada"):]
    assert "Direktur Pratama" in on_date and "sebagai PLH" in on_date
    today_part = text[: text.index("<h3>Pada")]
    assert "Direktur Pratama" not in today_part and "kosong" in today_part
    # the same URL without HTMX is the whole employee page
    full = client.get(f"/org/employees/{org.orphan.nip}/assessor?date={during}")
    assert full.status_code == 200 and "<html" in full.get_data(as_text=True)
    assert "sebagai PLH" in full.get_data(as_text=True)
    # ?date= on the page itself works too
    assert "sebagai PLH" in client.get(f"/org/employees/{org.orphan.nip}?date={during}").get_data(as_text=True)


def test_assessor_invalid_date_is_422(org, client):
    login_as(client, org.hr_user)
    response = client.get(f"/org/employees/{org.staff.nip}/assessor?date=31-02-2026", headers=HX)
    assert response.status_code == 422
    assert "Tanggal tidak valid" in response.get_data(as_text=True)


def test_employee_page_lists_acting_held_and_overrides(org, client):
    services.add_acting(None, employee=org.pratama, unit=org.vacant, kind="PLT", start=today(),
                        end=today() + timedelta(days=5))
    services.add_override(None, employee=org.pratama, assessor=org.kepala, reason="Penugasan khusus",
                          start=today())
    db.session.commit()
    login_as(client, org.hr_user)
    text = client.get(f"/org/employees/{org.pratama.nip}").get_data(as_text=True)
    held = text[text.index("PLT/PLH yang dijabat"):]
    assert "Direktorat Dua" in held
    assert "Penugasan khusus" in text and "Kepala Badan" in text


def test_unknown_employee_is_404(org, client):
    login_as(client, org.hr_user)
    assert client.get("/org/employees/199999999999999999").status_code == 404


# --- delegation override -----------------------------------------------------------------


def override_data(assessor_nip, **change):
    return {"assessor_nip": assessor_nip, "superior_nip": "", "reason": "Surat Tugas 12/2026",
            "start": today().isoformat(), "end": "", **change}


def test_add_override_saves_audits_and_refreshes_assessor(org, client):
    login_as(client, org.hr_user)
    data = override_data(org.madya.nip, superior_nip=org.kepala.nip)
    response = client.post(f"/org/employees/{org.orphan.nip}/overrides", data=data)
    assert response.status_code == 303
    override = db.session.scalar(select(DelegationOverride))
    assert (override.employee_id, override.assessor_id, override.assessor_superior_id) == (
        org.orphan.id, org.madya.id, org.kepala.id)
    [row] = audit_rows("override.create", org.orphan.nip)
    assert row.reason == "Surat Tugas 12/2026" and row.actor_id == org.hr.id
    link = link_of(org.orphan)
    assert link.assessor_id == org.madya.id and link.rule == "OVERRIDE" and link.problem is None


def test_add_override_htmx_swaps_list_and_assessor_panel(org, client):
    login_as(client, org.hr_user)
    response = client.post(f"/org/employees/{org.orphan.nip}/overrides", data=override_data(org.madya.nip),
                           headers=HX)
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in text
    assert text.strip().startswith('<section id="overrides"')
    assert '<section id="assessor-panel" hx-swap-oob="true"' in text
    panel = text[text.index('id="assessor-panel"'):]
    assert "Deputi Madya" in panel and "kosong" not in panel


@pytest.mark.parametrize(
    "change, message",
    [
        ({"reason": "  "}, "Alasan wajib diisi"),
        ({"assessor_nip": ""}, "wajib diisi"),
        ({"assessor_nip": "199999999999999999"}, "tidak ditemukan"),
        ({"superior_nip": "199999999999999999"}, "tidak ditemukan"),
        ({"superior_nip": "abc"}, "18 angka"),
        ({"end": "2000-01-01"}, "tidak boleh sebelum"),
        ({"start": ""}, "wajib diisi"),
    ],
)
def test_add_override_invalid_is_422_with_field_error(org, client, change, message):
    login_as(client, org.hr_user)
    for headers in ({}, HX):
        response = client.post(f"/org/employees/{org.orphan.nip}/overrides",
                               data={**override_data(org.madya.nip), **change}, headers=headers)
        text = response.get_data(as_text=True)
        assert response.status_code == 422
        assert message in text and "field-error" in text
        assert ("<html" in text) is (not headers)
    assert db.session.scalar(select(func.count(DelegationOverride.id))) == 0
    assert audit_rows("override.create", org.orphan.nip) == []


def test_override_cannot_name_the_employee_himself(org, client):
    login_as(client, org.hr_user)
    response = client.post(f"/org/employees/{org.orphan.nip}/overrides", data=override_data(org.orphan.nip))
    assert response.status_code == 422
    assert "dirinya sendiri" in response.get_data(as_text=True)


def test_override_form_is_shown_to_hr_only(org, client):
    login_as(client, org.hr_user)
    assert "Catat pendelegasian" in client.get(f"/org/employees/{org.staff.nip}").get_data(as_text=True)
    login_as(client, org.staff_user)
    own = client.get(f"/org/employees/{org.staff.nip}").get_data(as_text=True)
    assert "Direktur Pratama" in own and "Catat pendelegasian" not in own


# --- dashboards --------------------------------------------------------------------------


def test_hr_dashboard_lists_employees_without_assessor(org, client, make_unit):
    make_unit("P-NTB", "ESELON_II", org.root, region="PERWAKILAN", timezone="Asia/Makassar")
    login_as(client, org.hr_user)
    text = client.get("/org/dashboard").get_data(as_text=True)
    problems = text[text.index('id="tanpa-penilai"'):]
    assert "Sari Tanpa Atasan" in problems and "Direktorat Dua" in problems
    assert "kosong dan tidak ada PLT/PLH" in problems
    assert "Budi Staf" not in problems
    assert "Perwakilan" in text and "Pusat" in text  # counts per region
    if "org.import_form" in client.application.view_functions or "org.import_page" in client.application.view_functions:
        assert "Impor data CSV" in text


def test_my_team_lists_assessees(org, client):
    login_as(client, org.pratama_user)
    text = client.get("/org/my-team").get_data(as_text=True)
    for name in ("Budi Staf", "Citra Lain", "Hana Kepegawaian"):
        assert name in text
    assert "Sari Tanpa Atasan" not in text and "3 pegawai" in text


def test_my_team_includes_assessees_of_a_post_held_as_plt(org, client):
    services.add_acting(None, employee=org.pratama, unit=org.vacant, kind="PLT", start=today(),
                        end=today() + timedelta(days=5))
    refresh_assessor_links()
    db.session.commit()
    login_as(client, org.pratama_user)
    assert "Sari Tanpa Atasan" in client.get("/org/my-team").get_data(as_text=True)


def test_my_team_empty_for_plain_employee(org, client):
    login_as(client, org.staff_user)
    response = client.get("/org/my-team")
    assert response.status_code == 200
    assert "tidak ada pegawai yang Anda nilai" in response.get_data(as_text=True)

"""The home page per role: Pegawai, Pejabat Penilai, Pengelola Kepegawaian."""

import pytest

from tests.factories import login_as
from tests.org.test_views import build_small_org


@pytest.fixture
def org(app):
    return build_small_org()


def home(client, user) -> str:
    login_as(client, user)
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_anonymous_is_sent_to_login(org, client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_employee_sees_his_profile_and_assessor(org, client):
    text = home(client, org.staff_user)
    assert f"/org/employees/{org.staff.nip}" in text
    assert "Direktur Pratama" in text and "Deputi Madya" in text
    assert "Pegawai yang saya nilai" not in text
    assert "/org/dashboard" not in text


def test_employee_with_vacant_assessor_sees_the_problem(org, client):
    from tests.org.test_views import account

    text = home(client, account(org.orphan))
    assert "Belum ada" in text and "kosong" in text


def test_assessor_sees_how_many_he_assesses(org, client):
    text = home(client, org.pratama_user)
    assert "/org/my-team" in text and "Pegawai yang saya nilai" in text
    assert "<strong>3</strong> pegawai" in text


def test_kepala_has_no_assessor_inside_the_system(org, client):
    from tests.org.test_views import account

    text = home(client, account(org.kepala))
    assert "di luar sistem" in text
    assert "<strong>1</strong> pegawai" in text  # he assesses the JPT Madya


def test_hr_sees_links_and_count_without_assessor(org, client):
    text = home(client, org.hr_user)
    section = text[text.index("Pengelola Kepegawaian"):]
    assert "/org/employees" in section and "/org/units" in section and "/org/dashboard" in section
    assert '<span class="badge badge-err">1</span>' in section  # Sari, in the vacant Direktorat
    assert "dari 7 pegawai" in section


def test_unit_heads_find_the_perjanjian_kinerja_and_staff_do_not(org, client):
    text = home(client, org.pratama_user)
    assert "/planning/pk" in text and "/planning/cascade" in text
    text = home(client, org.staff_user)
    assert 'href="/planning/pk"' not in text.split("<main", 1)[1]

"""Who may open which HR page: anonymous -> login, Pegawai -> 403 on HR pages and on other
employees, self / assessor chain -> the employee page, HR -> everything."""

from datetime import timedelta

import pytest

from kinerja import clock
from kinerja.extensions import db
from kinerja.org import services
from tests.factories import login_as
from tests.org.test_views import build_small_org

HR_ONLY = [
    ("GET", "/org/units"),
    ("GET", "/org/units/DIT-1"),
    ("GET", "/org/units/DIT-1/employees"),
    ("GET", "/org/units/DIT-1/acting"),
    ("POST", "/org/units/DIT-1/acting"),
    ("POST", "/org/acting/{o.acting_id}/end"),
    ("GET", "/org/employees"),
    ("POST", "/org/employees/{o.staff.nip}/overrides"),
    ("GET", "/org/dashboard"),
]
EMPLOYEE_PAGES = [
    ("GET", "/org/employees/{o.staff.nip}"),
    ("GET", "/org/employees/{o.staff.nip}/assessor"),
]
ANY_USER = [
    ("GET", "/org/my-team"),
    ("GET", "/"),
]
ALL = HR_ONLY + EMPLOYEE_PAGES + ANY_USER


@pytest.fixture
def org(app):
    org = build_small_org()
    org.acting_id = services.add_acting(None, employee=org.madya, unit=org.vacant, kind="PLT", start=clock.today(),
                                        end=clock.today() + timedelta(days=3)).id
    db.session.commit()
    return org


def call(client, method, path, org):
    """Request a route template such as ``/org/employees/{o.staff.nip}`` for this organisation."""
    return client.open(path.format(o=org), method=method, data={})


@pytest.mark.parametrize("method, path", ALL)
def test_anonymous_is_sent_to_login(org, client, method, path):
    response = call(client, method, path, org)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("method, path", HR_ONLY)
@pytest.mark.parametrize("who", ["staff_user", "pratama_user", "madya_user"])
def test_non_hr_gets_403_on_hr_pages(org, client, method, path, who):
    login_as(client, getattr(org, who))
    assert call(client, method, path, org).status_code == 403


@pytest.mark.parametrize("method, path", HR_ONLY)
def test_hr_passes_on_hr_pages(org, client, method, path):
    login_as(client, org.hr_user)
    # empty form posts are refused for their content (422), never for the user
    assert call(client, method, path, org).status_code == (422 if method == "POST" else 200)


@pytest.mark.parametrize("method, path", EMPLOYEE_PAGES)
@pytest.mark.parametrize(
    "who, expected",
    [
        ("staff_user", 200),  # himself
        ("pratama_user", 200),  # his Pejabat Penilai
        ("madya_user", 200),  # his Atasan Pejabat Penilai
        ("hr_user", 200),  # Kepegawaian
        ("other_user", 403),  # a colleague in the same unit
    ],
)
def test_employee_page_access(org, client, method, path, who, expected):
    login_as(client, getattr(org, who))
    assert call(client, method, path, org).status_code == expected


def test_pegawai_cannot_open_a_colleague_or_his_own_assessor(org, client):
    login_as(client, org.staff_user)
    assert client.get(f"/org/employees/{org.other.nip}").status_code == 403
    assert client.get(f"/org/employees/{org.pratama.nip}").status_code == 403
    assert client.get(f"/org/employees/{org.staff.nip}").status_code == 200


def test_assessor_cannot_open_someone_he_does_not_assess(org, client):
    login_as(client, org.pratama_user)
    assert client.get(f"/org/employees/{org.orphan.nip}").status_code == 403


def test_plt_holder_may_open_the_employees_of_the_post(org, client):
    # madya is PLT of DIT-2 today: after the snapshot refresh he assesses its staff
    from kinerja.org.assessors import refresh_assessor_links

    refresh_assessor_links()
    db.session.commit()
    login_as(client, org.madya_user)
    assert client.get(f"/org/employees/{org.orphan.nip}").status_code == 200


@pytest.mark.parametrize("method, path", ANY_USER)
@pytest.mark.parametrize("who", ["staff_user", "pratama_user", "hr_user"])
def test_any_logged_in_user_opens_home_and_my_team(org, client, method, path, who):
    login_as(client, getattr(org, who))
    assert call(client, method, path, org).status_code == 200


@pytest.mark.parametrize("method, path", HR_ONLY + EMPLOYEE_PAGES)
def test_admin_holds_every_role(org, client, method, path):
    from kinerja.auth import services as auth_services

    user = auth_services.grant_role(None, org.other, "ADMIN")
    db.session.commit()
    login_as(client, user)
    assert call(client, method, path, org).status_code in (200, 422)

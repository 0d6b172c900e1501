"""The planning dashboard: per unit, who has no SKP, who waits for approval, days left to 6 February."""

from datetime import UTC, datetime

import pytest
import time_machine

from kinerja.extensions import db
from kinerja.planning import skp as skp_services
from tests.factories import login_as
from tests.planning.test_skp_views import account, build_org

HX = {"HX-Request": "true"}
NOW = datetime(2026, 1, 27, 3, 0, tzinfo=UTC)  # 27 January 2026, 10:00 WIB: 10 days before 6 February


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def org(app, frozen):
    return build_org()


def login(client, org, employee):
    login_as(client, org.users[employee.id])


def submitted(employee):
    item = skp_services.create_skp(None, employee, 2026)
    rhk = skp_services.add_rhk(None, item, text="Laporan", kind="UTAMA", source="TIM_KERJA")
    skp_services.add_iki(None, rhk, text="Jumlah", aspek="KUANTITAS", target=1, unit_of_measure="laporan")
    skp_services.submit_skp(None, item)
    db.session.commit()
    return item


def test_anonymous_is_sent_to_login(client):
    response = client.get("/planning/dashboard")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_employee_who_heads_nothing_and_has_no_role_is_403(org, client):
    login(client, org, org.staff)
    assert client.get("/planning/dashboard").status_code == 403
    assert client.get("/planning/dashboard?unit=DIT-1").status_code == 403


def test_unit_head_sees_his_subtree_with_statuses_and_days_left(org, client):
    submitted(org.staff)
    skp_services.create_skp(None, org.jf, 2026)
    db.session.commit()
    login(client, org, org.pratama)
    response = client.get("/planning/dashboard")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" in page
    assert "Direktorat Satu" in page
    assert "<strong>10</strong> hari lagi" in page and "6 Februari 2026" in page
    no_skp = page[page.index('id="tanpa-skp"'):page.index('id="menunggu"')]
    assert "Dodi Lain" in no_skp and "Adi Administrator" in no_skp  # SUB-1 is in his subtree
    assert "Budi Staf" not in no_skp and "Citra Fungsional" not in no_skp
    waiting = page[page.index('id="menunggu"'):]
    assert "Budi Staf" in waiting and "Direktur Pratama" in waiting and "Citra Fungsional" not in waiting
    assert "Subdirektorat Satu" in page  # the per-unit table lists the sub-unit


def test_unit_head_may_not_look_above_his_unit(org, client):
    login(client, org, org.admin)
    assert client.get("/planning/dashboard?unit=SUB-1").status_code == 200
    assert client.get("/planning/dashboard?unit=DIT-1").status_code == 403
    assert client.get("/planning/dashboard?unit=TIDAK-ADA").status_code == 404


def test_planning_officer_and_hr_see_any_unit(org, client):
    planner = account(org.other, "PENGELOLA_KINERJA")
    login_as(client, planner)
    assert client.get("/planning/dashboard?unit=DEP-1").status_code == 200
    response = client.get("/planning/dashboard")  # no unit: the whole agency
    assert response.status_code == 200 and "BKKBN" in response.get_data(as_text=True)
    login(client, org, org.hr)
    assert client.get("/planning/dashboard?unit=SUB-1").status_code == 200


def test_partial_for_htmx_and_bad_year_is_422(org, client):
    login(client, org, org.pratama)
    partial = client.get("/planning/dashboard?unit=DIT-1", headers=HX)
    text = partial.get_data(as_text=True)
    assert partial.status_code == 200 and "<html" not in text
    assert text.strip().startswith('<section id="planning-dashboard"')
    bad = client.get("/planning/dashboard?year=abc")
    assert bad.status_code == 422 and "<html" in bad.get_data(as_text=True)


def test_after_the_sync_day_the_page_says_it_passed(org, client):
    login(client, org, org.pratama)
    with time_machine.travel(datetime(2026, 2, 10, 3, 0, tzinfo=UTC), tick=False):
        page = client.get("/planning/dashboard").get_data(as_text=True)
    assert "sudah lewat 4 hari" in page


def test_nav_links_to_the_planning_pages(org, client):
    login(client, org, org.pratama)
    page = client.get("/").get_data(as_text=True)
    assert 'href="/planning/skp"' in page and 'href="/planning/approvals"' in page
    assert 'href="/planning/dashboard"' in page and 'href="/planning/matrik"' in page
    login(client, org, org.staff)
    assert 'href="/planning/dashboard"' not in client.get("/").get_data(as_text=True)

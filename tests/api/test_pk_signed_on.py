# ruff: noqa: F811 - fixtures imported from the PK fixtures are used as test parameters
"""``signed_on`` on POST /api/v1/pk: an agreement already signed on paper is stored SIGNED after the
checks of signing on the page (planning/pk.py ``record_signed_on_paper``); every refusal stores nothing."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import func, select

from kinerja.audit.models import AuditEntry
from kinerja.extensions import db
from kinerja.planning import pk as services
from kinerja.planning.errors import NotAllowed, PlanningError, WrongState
from kinerja.planning.models import PerjanjianKinerja
from tests.factories import login_as
from tests.planning.pk_fixtures import YEAR, build_pk, linear, org, signed_pk  # noqa: F401
from tests.planning.test_pk_api import body, token_for

NOW = datetime(2026, 1, 15, 3, 0, tzinfo=UTC)  # Thursday 15 January 2026, 10:00 WIB


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def planner(org):
    return token_for(org.planner)


def count() -> int:
    return db.session.scalar(select(func.count()).select_from(PerjanjianKinerja))


def test_signed_on_stores_a_signed_pk_with_both_signatures_dated_and_audited(client, org, planner):
    response = client.post("/api/v1/pk", json=body(signed_on="2026-01-15"), headers=planner)
    assert response.status_code == 201, response.json
    assert (response.json["status"], response.json["signed_on"]) == ("SIGNED", "2026-01-15")
    pk = db.session.get(PerjanjianKinerja, response.json["id"])
    assert pk.signed_by_head_at == pk.signed_by_superior_at == datetime(2026, 1, 15)
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "pk.sign_on_paper"))
    assert entry.object_id == str(pk.id) and entry.after["status"] == "SIGNED"
    assert entry.before["status"] == "DRAFT" and "2026-01-15" in entry.reason


def test_without_signed_on_the_pk_stays_a_draft(client, org, planner):
    response = client.post("/api/v1/pk", json=body(), headers=planner)
    assert response.status_code == 201 and response.json["status"] == "DRAFT" and response.json["signed_on"] is None


@pytest.mark.parametrize(("signed_on", "field"), [
    ("2026-01-16", "signed_on"),  # tomorrow in WIB
    ("16-01-2026", "signed_on"),
    ("2026-02-30", "signed_on"),
])
def test_a_future_or_bad_date_is_400_and_stores_nothing(client, org, planner, signed_on, field):
    response = client.post("/api/v1/pk", json=body(signed_on=signed_on), headers=planner)
    assert response.status_code == 400 and field in response.json["details"]
    assert count() == 0


def test_an_incomplete_pk_is_400_with_the_reason_and_stores_nothing(client, org, planner):
    data = body(signed_on="2026-01-10")
    del data["sasaran"][0]["iku"][1]["trajectory"]  # signing on the page needs every trajectory
    response = client.post("/api/v1/pk", json=data, headers=planner)
    assert response.status_code == 400, response.json
    assert response.json["error"].startswith("IKU IKU-2:")  # the reason, as the page says it
    assert any(field.startswith("iku[IKU-2].trajectory") for field in response.json["details"])
    assert count() == 0


def test_a_signed_pk_of_the_unit_and_year_is_409(client, org, planner):
    signed_pk(None, org.units.dit, org.direktur, org.deputi)
    response = client.post("/api/v1/pk", json=body(signed_on="2026-01-10"), headers=planner)
    assert response.status_code == 409 and "error" in response.json


def test_a_draft_is_refilled_and_signed(client, org, planner):
    draft = build_pk(None, org.units.dit)
    response = client.post("/api/v1/pk", json=body(signed_on="2026-01-10"), headers=planner)
    assert response.status_code == 200 and response.json["id"] == draft.id and response.json["status"] == "SIGNED"


def test_the_service_checks_who_and_the_state(org):
    pk = build_pk(None, org.units.dit)
    with pytest.raises(NotAllowed):
        services.record_signed_on_paper(org.direktur, pk, date(2026, 1, 10))  # a party signs on the page
    services.record_signed_on_paper(None, pk, date(2026, 1, 10))  # the CLI may load it
    with pytest.raises(WrongState):
        services.record_signed_on_paper(org.planner, pk, date(2026, 1, 10))
    with pytest.raises(PlanningError) as caught:
        services.record_signed_on_paper(org.planner, build_pk(None, org.units.subdit), date(2026, 1, 16))
    assert caught.value.code == "DATE_IN_FUTURE"


def test_an_amendment_signed_on_paper_supersedes_the_signed_version(org):
    old = signed_pk(None, org.units.dit, org.direktur, org.deputi)
    new = services.amend_pk(org.planner, old, "REGULATION", "Perubahan APBN", org.deputi)
    services.record_signed_on_paper(org.planner, new, date(2026, 1, 14))
    db.session.commit()
    assert (old.status, new.status) == ("SUPERSEDED", "SIGNED")


def test_the_pk_page_says_it_was_signed_on_paper(client, org, planner):
    pk_id = client.post("/api/v1/pk", json=body(signed_on="2026-01-12"), headers=planner).json["id"]
    login_as(client, org.planner_user)
    page = client.get(f"/planning/pk/{pk_id}").get_data(as_text=True)
    assert page.count("Ditandatangani di atas kertas 12-01-2026") == 2

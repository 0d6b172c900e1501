# ruff: noqa: F811 - fixtures imported from the execution fixtures are used as test parameters
"""POST /api/v1/pk/ID/realisasi and POST /api/v1/skp/ID/realisasi (INTERFACES.md): 201, upsert,
every error code (400 with details, 401, 403, 404, 409), audit rows."""

import pytest
from sqlalchemy import func, select

from kinerja.audit.models import AuditEntry
from kinerja.auth import services as auth_services
from kinerja.execution.models import IkiRealisasi, IkuRealisasi
from kinerja.extensions import db
from tests.execution.conftest import approved, people  # noqa: F401
from tests.execution.fixtures import iki_of
from tests.execution.realisasi_fixtures import pk, planner  # noqa: F401
from tests.planning.pk_fixtures import build_pk
from tests.planning.skp_fixtures import frozen, full_skp, org  # noqa: F401


def token_for(employee) -> dict:
    token = auth_services.create_token(None, employee)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- PK -----------------------------------------------------------------------------------------------

def test_planner_posts_a_realisation_201(client, planner, pk):
    response = client.post(f"/api/v1/pk/{pk.id}/realisasi", headers=token_for(planner),
                           json={"iku_code": "IKU-1", "period": "2026-01", "value": 7.5, "note": "BPS",
                                 "evidence_url": "https://bps.go.id/x"})
    assert response.status_code == 201, response.json
    data = response.json
    assert (data["iku_code"], data["period"], data["value"], data["unit"], data["year"]) == (
        "IKU-1", "2026-01", 7.5, "DIT", 2026)
    assert data["pk_id"] == pk.id and data["created"] is True and data["capaian"] == pytest.approx(7.5)
    assert data["evidence_url"] == "https://bps.go.id/x" and data["note"] == "BPS"
    row = db.session.get(IkuRealisasi, data["id"])
    assert row.entered_by_id == planner.id


def test_a_second_post_for_the_period_corrects_it(client, planner, pk):
    headers = token_for(planner)
    first = client.post(f"/api/v1/pk/{pk.id}/realisasi", headers=headers,
                        json={"iku_code": "IKU-2", "period": "2026", "value": 40})
    second = client.post(f"/api/v1/pk/{pk.id}/realisasi", headers=headers,
                         json={"iku_code": "IKU-2", "period": "2026", "value": 45})
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json["id"] == first.json["id"] and second.json["created"] is False
    assert count(IkuRealisasi) == 1 and db.session.get(IkuRealisasi, first.json["id"]).value == 45.0
    actions = list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "iku_realisasi")
                                      .order_by(AuditEntry.id)))
    assert actions == ["realisasi.iku.create", "realisasi.iku.update"]


@pytest.mark.parametrize(("body", "fields"), [
    ({}, {"iku_code", "period", "value"}),
    ({"iku_code": "IKU-1", "period": "2026-01", "value": "lima"}, {"value"}),
    ({"iku_code": "IKU-1", "period": "2026-01", "value": True}, {"value"}),
    ({"iku_code": "IKU-9", "period": "2026-01", "value": 5}, {"iku_code"}),
    ({"iku_code": "IKU-1", "period": "2026-13", "value": 5}, {"period"}),
    ({"iku_code": "IKU-1", "period": "2025-12", "value": 5}, {"period"}),
    ({"iku_code": "IKU-1", "period": "2026-06", "value": 5}, {"period"}),  # not begun on 15 January
    ({"iku_code": "IKU-1", "period": "2026-01", "value": -1}, {"value"}),
    ({"iku_code": "IKU-1", "period": "2026-01", "value": 1, "evidence_url": "file:///etc/passwd"}, {"evidence_url"}),
])
def test_bad_input_is_400_with_details(client, planner, pk, body, fields):
    response = client.post(f"/api/v1/pk/{pk.id}/realisasi", headers=token_for(planner), json=body)
    assert response.status_code == 400
    assert set(response.json["details"]) == fields and response.json["error"]
    assert count(IkuRealisasi) == 0


def test_not_json_is_400(client, planner, pk):
    response = client.post(f"/api/v1/pk/{pk.id}/realisasi", headers=token_for(planner), data="x")
    assert response.status_code == 400 and "error" in response.json


def test_pk_errors_401_403_404_409(client, org, people, planner, pk):
    url = f"/api/v1/pk/{pk.id}/realisasi"
    body = {"iku_code": "IKU-1", "period": "2026-01", "value": 1}
    assert client.post(url, json=body).status_code == 401
    assert client.post(url, json=body, headers={"Authorization": "Bearer nope"}).status_code == 401
    for who in ("direktur", "analis", "hr"):  # the unit head, staff, HR: not planners
        response = client.post(url, json=body, headers=token_for(people[who]))
        assert response.status_code == 403 and "error" in response.json, who
    assert client.post("/api/v1/pk/999/realisasi", json=body, headers=token_for(planner)).status_code == 404
    draft = build_pk(None, org["units"]["DIT2"])
    response = client.post(f"/api/v1/pk/{draft.id}/realisasi", json=body, headers=token_for(planner))
    assert response.status_code == 409 and "ditandatangani" in response.json["error"]
    assert count(IkuRealisasi) == 0


def test_admin_may_post(client, people, pk):
    auth_services.grant_role(None, people["kepala"], "ADMIN")
    response = client.post(f"/api/v1/pk/{pk.id}/realisasi", headers=token_for(people["kepala"]),
                           json={"iku_code": "IKU-1", "period": "2026-01", "value": 1})
    assert response.status_code == 201


# --- SKP -----------------------------------------------------------------------------------------------

def test_employee_posts_his_realisation_201(client, people, approved):
    iki = iki_of(approved)
    headers = token_for(people["analis"])
    response = client.post(f"/api/v1/skp/{approved.id}/realisasi", headers=headers,
                           json={"iki_id": iki.id, "period": "2026-01", "value": 3, "note": "3 dokumen"})
    assert response.status_code == 201, response.json
    assert (response.json["iki_id"], response.json["period"], response.json["value"], response.json["note"]) == (
        iki.id, "2026-01", 3.0, "3 dokumen")
    assert response.json["skp_id"] == approved.id and response.json["created"] is True
    again = client.post(f"/api/v1/skp/{approved.id}/realisasi", headers=headers,
                        json={"iki_id": iki.id, "period": "2026-01", "value": 4})
    assert again.status_code == 201 and again.json["created"] is False and again.json["id"] == response.json["id"]
    assert count(IkiRealisasi) == 1


def test_skp_not_approved_is_403(client, people, approved):
    draft = full_skp(people["pelaksana"], parent=approved.rhk[0].parent)
    response = client.post(f"/api/v1/skp/{draft.id}/realisasi", headers=token_for(people["pelaksana"]),
                           json={"iki_id": iki_of(draft).id, "period": "2026-01", "value": 1})
    assert response.status_code == 403 and "disetujui" in response.json["error"]


def test_skp_errors_401_403_404(client, people, approved):
    url = f"/api/v1/skp/{approved.id}/realisasi"
    body = {"iki_id": iki_of(approved).id, "period": "2026-01", "value": 1}
    assert client.post(url, json=body).status_code == 401
    for who in ("direktur", "hr", "pelaksana"):  # his assessor, HR, a colleague: only he himself
        assert client.post(url, json=body, headers=token_for(people[who])).status_code == 403, who
    assert client.post("/api/v1/skp/999/realisasi", json=body,
                       headers=token_for(people["analis"])).status_code == 404
    assert count(IkiRealisasi) == 0


@pytest.mark.parametrize(("body", "fields"), [
    ({}, {"iki_id", "period", "value"}),
    ({"iki_id": "x", "period": "2026-01", "value": 1}, {"iki_id"}),
    ({"iki_id": 999999, "period": "2026-01", "value": 1}, {"iki_id"}),
    ({"iki_id": "own", "period": "2026-02", "value": 1}, {"period"}),
    ({"iki_id": "own", "period": "01-2026", "value": 1}, {"period"}),
    ({"iki_id": "own", "period": "2026-01", "value": -1}, {"value"}),
])
def test_skp_bad_input_is_400(client, people, approved, body, fields):
    if body.get("iki_id") == "own":
        body = dict(body, iki_id=iki_of(approved).id)
    response = client.post(f"/api/v1/skp/{approved.id}/realisasi", headers=token_for(people["analis"]), json=body)
    assert response.status_code == 400 and set(response.json["details"]) == fields
    assert count(IkiRealisasi) == 0

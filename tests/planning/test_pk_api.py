# ruff: noqa: F811 - the fixtures imported from pk_fixtures are used as test parameters
"""POST /api/v1/pk (INTERFACES.md): 201, every error code, all-or-nothing, a draft refilled, audit."""

import pytest
from sqlalchemy import func, select

from kinerja.audit.models import AuditEntry
from kinerja.auth import services as auth_services
from kinerja.extensions import db
from kinerja.planning.models import Iku, PerjanjianKinerja, SasaranStrategis
from tests.planning.pk_fixtures import YEAR, build_pk, linear, org, signed_pk  # noqa: F401


def token_for(employee) -> dict:
    token = auth_services.create_token(None, employee)
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def planner(org):
    return token_for(org.planner)


def body(**overrides) -> dict:
    data = {
        "unit": "DIT",
        "year": YEAR,
        "sasaran": [
            {"name": "Meningkatnya kesertaan KB", "iku": [
                {"code": "IKU-1", "name": "Angka prevalensi", "polarity": "MAX", "weight": 60, "target": 100,
                 "unit_of_measure": "persen", "trajectory": {k: v for k, v in linear(YEAR, 100).items()}},
                {"code": "IKU-2", "name": "Unmet need", "polarity": "MIN", "weight": 40, "target": 8,
                 "unit_of_measure": "persen",
                 "trajectory": {"2026-03": 11, "2026-06": 10, "2026-09": 9, "2026-12": 8}},
            ]},
        ],
    }
    data.update(overrides)
    return data


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_create_201(client, org, planner):
    response = client.post("/api/v1/pk", json=body(), headers=planner)
    assert response.status_code == 201, response.json
    data = response.json
    assert data["version"] == 1 and data["status"] == "DRAFT" and data["unit"] == "DIT"
    assert data["head"]["nip"] == org.direktur.nip and data["superior"]["nip"] == org.deputi.nip
    first, second = data["sasaran"][0]["iku"]
    assert first["consolidation"] == "MONTHLY" and len(first["trajectory"]) == 12
    assert second["consolidation"] == "QUARTERLY"  # inferred from the periods given
    pk = db.session.get(PerjanjianKinerja, data["id"])
    assert [i.code for i in pk.iku] == ["IKU-1", "IKU-2"]
    actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "pk",
                                                                      AuditEntry.object_id == str(pk.id))))
    assert {"pk.create", "pk.sasaran.add", "pk.iku.add", "pk.trajectory.set"} <= actions


def test_trajectory_is_optional(client, org, planner):
    data = body()
    for iku in data["sasaran"][0]["iku"]:
        del iku["trajectory"]
    response = client.post("/api/v1/pk", json=data, headers=planner)
    assert response.status_code == 201 and response.json["sasaran"][0]["iku"][0]["trajectory"] == {}


def test_parent_iku_by_code(client, org, planner):
    build_pk(None, org.units.deputi, ikus=(("D-1", 100, 10, None),))
    data = body()
    data["sasaran"][0]["iku"][0]["parent_iku"] = "D-1"
    response = client.post("/api/v1/pk", json=data, headers=planner)
    assert response.status_code == 201 and response.json["sasaran"][0]["iku"][0]["parent_iku"] == "D-1"
    data["sasaran"][0]["iku"][0]["parent_iku"] = "NOPE"
    response = client.post("/api/v1/pk", json=data, headers=planner)
    assert response.status_code == 400 and "sasaran[0].iku[0].parent_iku" in response.json["details"]


@pytest.mark.parametrize("mutate, detail", [
    (lambda d: d.pop("unit"), "unit"),
    (lambda d: d.pop("sasaran"), "sasaran"),
    (lambda d: d.update(year="2026x"), "year"),
    (lambda d: d.update(year=1900), "year"),
    (lambda d: d["sasaran"][0].pop("name"), "sasaran[0].name"),
    (lambda d: d["sasaran"][0].update(iku=[]), "sasaran[0].iku"),
    (lambda d: d["sasaran"][0]["iku"][0].pop("code"), "sasaran[0].iku[0].code"),
    (lambda d: d["sasaran"][0]["iku"][0].pop("unit_of_measure"), "sasaran[0].iku[0].unit_of_measure"),
    (lambda d: d["sasaran"][0]["iku"][0].update(polarity="UP"), "sasaran[0].iku[0].polarity"),
    (lambda d: d["sasaran"][0]["iku"][0].update(weight="sixty"), "sasaran[0].iku[0].weight"),
    (lambda d: d["sasaran"][0]["iku"][1].update(code="IKU-1"), "sasaran[0].iku[1].code"),
    (lambda d: d["sasaran"][0]["iku"][0].update(consolidation="WEEKLY"), "sasaran[0].iku[0].consolidation"),
    (lambda d: d["sasaran"][0]["iku"][0].update(weight=50), "sasaran"),  # weights 90
    (lambda d: d["sasaran"][0]["iku"][0]["trajectory"].update({"2026-12": 90}),
     "sasaran[0].iku[0].trajectory"),  # does not reach the target
    (lambda d: d["sasaran"][0]["iku"][0]["trajectory"].pop("2026-05"), "sasaran[0].iku[0].trajectory[2026-05]"),
])
def test_bad_input_400_and_nothing_saved(client, org, planner, mutate, detail):
    data = body()
    mutate(data)
    response = client.post("/api/v1/pk", json=data, headers=planner)
    assert response.status_code == 400, response.json
    assert detail in response.json["details"], response.json
    assert response.json["error"]
    assert count(PerjanjianKinerja) == count(SasaranStrategis) == count(Iku) == 0


def test_weights_message(client, org, planner):
    data = body()
    data["sasaran"][0]["iku"][0]["weight"] = 50
    response = client.post("/api/v1/pk", json=data, headers=planner)
    assert response.json["details"]["sasaran"] == "Jumlah bobot 90, seharusnya 100."


def test_not_json_400(client, org, planner):
    response = client.post("/api/v1/pk", data="nope", headers=planner)
    assert response.status_code == 400


def test_unknown_unit_404(client, org, planner):
    response = client.post("/api/v1/pk", json=body(unit="NOPE"), headers=planner)
    assert response.status_code == 404 and count(PerjanjianKinerja) == 0


def test_without_role_403(client, org):
    response = client.post("/api/v1/pk", json=body(), headers=token_for(org.direktur))
    assert response.status_code == 403 and count(PerjanjianKinerja) == 0


def test_without_token_401(client, org):
    assert client.post("/api/v1/pk", json=body()).status_code == 401
    assert client.post("/api/v1/pk", json=body(), headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_existing_draft_is_refilled(client, org, planner):
    draft = build_pk(None, org.units.dit, ikus=(("OLD", 100, 10, None),))
    response = client.post("/api/v1/pk", json=body(), headers=planner)
    assert response.status_code == 200 and response.json["id"] == draft.id and response.json["version"] == 1
    db.session.expire_all()
    assert [i.code for i in db.session.get(PerjanjianKinerja, draft.id).iku] == ["IKU-1", "IKU-2"]
    assert count(PerjanjianKinerja) == 1
    assert "pk.replace" in set(db.session.scalars(select(AuditEntry.action)))


def test_signed_pk_409(client, org, planner):
    pk = signed_pk(org, org.units.dit, org.direktur, org.deputi)
    response = client.post("/api/v1/pk", json=body(), headers=planner)
    assert response.status_code == 409 and "Perubahan PK" in response.json["error"]
    db.session.expire_all()
    assert [i.code for i in db.session.get(PerjanjianKinerja, pk.id).iku] == ["IKU-1", "IKU-2"]
    assert db.session.get(PerjanjianKinerja, pk.id).iku[1].target == 50  # untouched

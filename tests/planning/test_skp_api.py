"""The SKP JSON API: POST /api/v1/skp, submit / approve / return, GET /api/v1/employees/NIP/skp —
every answer code (201, 200, 400, 401, 403, 404, 409) and all-or-nothing creation."""

import pytest
from sqlalchemy import func, select

from kinerja.audit.services import history
from kinerja.auth import services as auth_services
from kinerja.extensions import db
from kinerja.planning import skp as services
from kinerja.planning.models import Iki, RencanaHasilKerja, Skp
from tests.planning.skp_fixtures import YEAR, frozen, full_skp, leader_skp, org  # noqa: F401


@pytest.fixture
def people(org):  # noqa: F811
    return org["people"]


@pytest.fixture
def token(people):
    """Return a function giving the bearer header of a person (tokens made once per test)."""
    made = {}

    def header(key: str) -> dict:
        if key not in made:
            made[key] = auth_services.create_token(None, people[key])
            db.session.commit()
        return {"Authorization": f"Bearer {made[key]}"}

    return header


def body(nip, **changes):
    data = {
        "nip": nip, "year": YEAR,
        "rhk": [
            {"text": "Naskah kebijakan tersusun", "kind": "UTAMA", "source": "TIM_KERJA",
             "iki": [{"text": "Jumlah naskah", "aspek": "KUANTITAS", "target": 3, "unit_of_measure": "naskah"},
                     {"text": "Tepat waktu", "aspek": "WAKTU", "target": 12, "unit_of_measure": "bulan"}]},
            {"text": "Narasumber seminar", "kind": "TAMBAHAN", "source": "TUGAS_TAMBAHAN",
             "task_origin": "LUAR_INSTANSI",
             "iki": [{"text": "Kegiatan", "aspek": "KUANTITAS", "target": 2, "unit_of_measure": "kali"}]},
        ],
    }
    data.update(changes)
    return data


def counts():
    return tuple(db.session.scalar(select(func.count(model.id))) for model in (Skp, RencanaHasilKerja, Iki))


# --- 401 -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("method, path", [
    ("post", "/api/v1/skp"), ("post", "/api/v1/skp/1/submit"), ("post", "/api/v1/skp/1/approve"),
    ("post", "/api/v1/skp/1/return"), ("get", "/api/v1/employees/198001010000000001/skp?year=2026"),
])
def test_no_or_bad_token_is_401(client, people, method, path):
    assert getattr(client, method)(path, json={}).status_code == 401
    response = getattr(client, method)(path, json={}, headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401 and "error" in response.get_json()


# --- POST /api/v1/skp ---------------------------------------------------------------------------------

def test_employee_creates_his_skp(client, people, token):
    analis = people["analis"]
    response = client.post("/api/v1/skp", json=body(analis.nip), headers=token("analis"))
    assert response.status_code == 201
    data = response.get_json()
    assert data["status"] == "DRAFT" and data["nip"] == analis.nip and data["year"] == YEAR
    assert [(r["kind"], r["source"], len(r["iki"])) for r in data["rhk"]] == [
        ("UTAMA", "TIM_KERJA", 2), ("TAMBAHAN", "TUGAS_TAMBAHAN", 1)]
    assert data["rhk"][0]["iki"][0] == {"id": data["rhk"][0]["iki"][0]["id"], "text": "Jumlah naskah",
                                        "aspek": "KUANTITAS", "target": 3.0, "unit_of_measure": "naskah"}
    assert data["assessor"]["nip"] == people["direktur"].nip
    assert counts() == (1, 2, 3)
    assert [e.action for e in reversed(history("skp", data["id"]))][:2] == ["skp.create", "skp.rhk.add"]


def test_hr_creates_for_someone_else(client, people, token):
    response = client.post("/api/v1/skp", json=body(people["pelaksana"].nip), headers=token("hr"))
    assert response.status_code == 201
    assert db.session.get(Skp, response.get_json()["id"]).employee_id == people["pelaksana"].id


@pytest.mark.parametrize("who", ["direktur", "pelaksana", "staf2"])
def test_others_may_not_create_through_the_api(client, people, token, who):
    response = client.post("/api/v1/skp", json=body(people["analis"].nip), headers=token(who))
    assert response.status_code == 403
    assert counts() == (0, 0, 0)


def test_unknown_nip_is_404(client, people, token):
    response = client.post("/api/v1/skp", json=body("199912312099121001"), headers=token("hr"))
    assert response.status_code == 404


def test_cascading_rhk_names_the_assessors_rhk(client, people, token):
    _, leader_rhk = leader_skp(people["direktur"])
    data = body(people["analis"].nip, rhk=[
        {"text": "Turunan", "kind": "UTAMA", "source": "CASCADING", "parent_rhk_id": leader_rhk.id,
         "iki": [{"text": "Dokumen", "aspek": "KUANTITAS", "target": 1, "unit_of_measure": "dokumen"}]}])
    response = client.post("/api/v1/skp", json=data, headers=token("analis"))
    assert response.status_code == 201
    assert response.get_json()["rhk"][0]["parent_rhk_id"] == leader_rhk.id


def test_missing_and_unknown_fields_are_400_with_details(client, people, token):
    data = {"nip": people["analis"].nip,
            "rhk": [{"text": "", "kind": "UTAMA", "source": "KIRA_KIRA",
                     "iki": [{"text": "x", "aspek": "KECEPATAN", "target": "banyak"}]}]}
    response = client.post("/api/v1/skp", json=data, headers=token("analis"))
    assert response.status_code == 400
    details = response.get_json()["details"]
    assert set(details) == {"year", "rhk[0].text", "rhk[0].source", "rhk[0].iki[0].aspek", "rhk[0].iki[0].target",
                            "rhk[0].iki[0].unit_of_measure"}
    assert counts() == (0, 0, 0)


def test_not_json_is_400(client, people, token):
    response = client.post("/api/v1/skp", data="nip=1", headers=token("analis"))
    assert response.status_code == 400


def test_source_not_allowed_for_the_jenjang_is_400_and_nothing_saved(client, people, token):
    data = body(people["analis"].nip)
    data["rhk"].append({"text": "Dari PK", "kind": "UTAMA", "source": "PK",
                        "iki": [{"text": "x", "aspek": "KUALITAS", "target": 1, "unit_of_measure": "indeks"}]})
    response = client.post("/api/v1/skp", json=data, headers=token("analis"))
    assert response.status_code == 400
    answer = response.get_json()
    assert list(answer["details"]) == ["rhk[2].source"]
    assert "tidak berlaku" in answer["details"]["rhk[2].source"]
    assert counts() == (0, 0, 0)


def test_bad_iki_after_good_rows_saves_nothing(client, people, token):
    data = body(people["analis"].nip)
    data["rhk"][1]["iki"][0]["target"] = -5
    response = client.post("/api/v1/skp", json=data, headers=token("analis"))
    assert response.status_code == 400
    assert list(response.get_json()["details"]) == ["rhk[1].iki[0].target"]
    assert counts() == (0, 0, 0)


def test_unknown_parent_rhk_is_400(client, people, token):
    data = body(people["analis"].nip, rhk=[
        {"text": "Turunan", "kind": "UTAMA", "source": "CASCADING", "parent_rhk_id": 987654,
         "iki": [{"text": "Dokumen", "aspek": "KUANTITAS", "target": 1, "unit_of_measure": "dokumen"}]}])
    response = client.post("/api/v1/skp", json=data, headers=token("analis"))
    assert response.status_code == 400
    assert list(response.get_json()["details"]) == ["rhk[0].parent_rhk_id"]


def test_second_skp_is_409(client, people, token):
    assert client.post("/api/v1/skp", json=body(people["analis"].nip), headers=token("analis")).status_code == 201
    response = client.post("/api/v1/skp", json=body(people["analis"].nip), headers=token("analis"))
    assert response.status_code == 409
    assert counts() == (1, 2, 3)


# --- submit / approve / return ------------------------------------------------------------------------

@pytest.fixture
def draft(people):
    _, leader_rhk = leader_skp(people["direktur"])
    return full_skp(people["analis"], parent=leader_rhk)


def test_submit(client, people, token, draft):
    url = f"/api/v1/skp/{draft.id}/submit"
    assert client.post(url, headers=token("direktur")).status_code == 403
    response = client.post(url, headers=token("analis"))
    assert response.status_code == 200 and response.get_json()["status"] == "SUBMITTED"
    assert client.post(url, headers=token("analis")).status_code == 409


def test_submit_without_rhk_is_400(client, people, token):
    skp = services.create_skp(None, people["pelaksana"], YEAR)
    db.session.commit()
    response = client.post(f"/api/v1/skp/{skp.id}/submit", headers=token("pelaksana"))
    assert response.status_code == 400 and "rhk" in response.get_json()["details"]


@pytest.mark.parametrize("action", ["submit", "approve", "return"])
def test_unknown_skp_is_404(client, people, token, action):
    assert client.post(f"/api/v1/skp/987654/{action}", json={"reason": "x"}, headers=token("hr")).status_code == 404


def test_approve(client, people, token, draft):
    url = f"/api/v1/skp/{draft.id}/approve"
    assert client.post(url, headers=token("direktur")).status_code == 409  # still a draft
    services.submit_skp(people["analis"], draft)
    db.session.commit()
    for who in ("analis", "kasubdit", "deputi", "hr"):
        assert client.post(url, headers=token(who)).status_code == 403, who
    response = client.post(url, headers=token("direktur"))
    assert response.status_code == 200 and response.get_json()["status"] == "APPROVED"
    assert client.post(url, headers=token("direktur")).status_code == 409


def test_approving_ones_own_skp_is_403(client, people, token):
    skp, _ = leader_skp(people["direktur"])
    services.submit_skp(people["direktur"], skp)
    db.session.commit()
    response = client.post(f"/api/v1/skp/{skp.id}/approve", headers=token("direktur"))
    assert response.status_code == 403
    assert db.session.get(Skp, skp.id).status == "SUBMITTED"


def test_return(client, people, token, draft):
    url = f"/api/v1/skp/{draft.id}/return"
    assert client.post(url, json={"reason": "x"}, headers=token("direktur")).status_code == 409
    services.submit_skp(people["analis"], draft)
    db.session.commit()
    assert client.post(url, json={}, headers=token("kasubdit")).status_code == 403
    response = client.post(url, json={}, headers=token("direktur"))
    assert response.status_code == 400 and "reason" in response.get_json()["details"]
    assert client.post(url, json={"reason": 5}, headers=token("direktur")).status_code == 400
    response = client.post(url, json={"reason": "Lengkapi IKI kualitas"}, headers=token("direktur"))
    assert response.status_code == 200
    assert response.get_json()["status"] == "RETURNED"
    assert response.get_json()["return_reason"] == "Lengkapi IKI kualitas"
    response = client.post(f"/api/v1/skp/{draft.id}/submit", headers=token("analis"))
    assert response.status_code == 200 and response.get_json()["status"] == "SUBMITTED"


# --- GET /api/v1/employees/NIP/skp ----------------------------------------------------------------------

@pytest.mark.parametrize("who", ["analis", "direktur", "deputi", "hr"])
def test_read_by_self_assessor_chain_and_hr(client, people, token, draft, who):
    response = client.get(f"/api/v1/employees/{people['analis'].nip}/skp?year={YEAR}", headers=token(who))
    assert response.status_code == 200
    data = response.get_json()
    assert {"id", "nip", "year", "status", "rhk"} <= set(data)
    assert (data["id"], data["status"], data["nip"]) == (draft.id, "DRAFT", people["analis"].nip)
    rhk = data["rhk"][0]
    assert {"id", "text", "kind", "source", "iki"} <= set(rhk)
    assert set(rhk["iki"][0]) >= {"id", "text", "aspek", "target", "unit_of_measure"}


@pytest.mark.parametrize("who", ["pelaksana", "kasubdit", "direktur2"])
def test_read_by_others_is_403(client, people, token, draft, who):
    response = client.get(f"/api/v1/employees/{people['analis'].nip}/skp?year={YEAR}", headers=token(who))
    assert response.status_code == 403


def test_read_unknown_nip_or_year_without_skp_is_404(client, people, token, draft):
    assert client.get("/api/v1/employees/199912312099121001/skp?year=2026", headers=token("hr")).status_code == 404
    assert client.get(f"/api/v1/employees/{people['analis'].nip}/skp?year=2025",
                      headers=token("hr")).status_code == 404


def test_read_bad_year_is_400(client, people, token, draft):
    response = client.get(f"/api/v1/employees/{people['analis'].nip}/skp?year=duaribu", headers=token("hr"))
    assert response.status_code == 400 and "year" in response.get_json()["details"]


def test_read_defaults_to_this_year(client, people, token, draft):
    response = client.get(f"/api/v1/employees/{people['analis'].nip}/skp", headers=token("analis"))
    assert response.status_code == 200 and response.get_json()["year"] == YEAR

# ruff: noqa: F811 - fixtures imported from the execution and realisation fixtures are used as parameters
"""The JSON API against INTERFACES.md as a new client reads it: the bodies of the contract with only its
required fields (no extension, none of the pages' richer fields), and every answer's status and shape.

The organisation is the small one of ``tests/planning/skp_fixtures.py`` (clock frozen on Thursday
15 January 2026, 10:00 WIB). Each ``*_SHAPE`` is the list of keys the contract names for an answer.
"""

from datetime import date

import pytest
from sqlalchemy import func, select

from kinerja.audit.models import AuditEntry
from kinerja.auth import services as auth_services
from kinerja.execution.models import IkuRealisasi, Visum
from kinerja.extensions import db
from kinerja.planning.models import PerjanjianKinerja, RencanaHasilKerja, Skp
from tests.execution.conftest import approved, people  # noqa: F401
from tests.execution.fixtures import THURSDAY, iki_of
from tests.execution.realisasi_fixtures import planner  # noqa: F401
from tests.planning.pk_fixtures import linear
from tests.planning.skp_fixtures import YEAR, frozen, org  # noqa: F401

PK_SHAPE = {"id", "version", "status"}
SKP_SHAPE = {"id", "nip", "year", "status", "rhk"}
RHK_SHAPE = {"id", "text", "kind", "source", "iki"}
IKI_SHAPE = {"id", "text", "aspek", "target", "unit_of_measure"}
VISUM_SHAPE = {"id", "date", "iki_id", "activity", "output", "status", "locked"}
ASSESSOR_SHAPE = {"nip", "assessor", "assessor_superior", "rule"}
ERROR_SHAPE = {"error"}


@pytest.fixture
def token(people):
    """Return a function giving the bearer header of a person (or an employee)."""
    made = {}

    def header(who) -> dict:
        employee = people[who] if isinstance(who, str) else who
        if employee.id not in made:
            made[employee.id] = auth_services.create_token(None, employee)
            db.session.commit()
        return {"Authorization": f"Bearer {made[employee.id]}"}

    return header


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def has_shape(answer: dict, keys: set[str]) -> bool:
    return keys <= set(answer)


def skp_has_shape(answer: dict) -> bool:
    return has_shape(answer, SKP_SHAPE) and all(
        has_shape(rhk, RHK_SHAPE) and all(has_shape(iki, IKI_SHAPE) for iki in rhk["iki"]) for rhk in answer["rhk"])


# --- the contract's bodies -----------------------------------------------------------------------------

def pk_body(**more) -> dict:
    """``POST /api/v1/pk``: unit, year, sasaran with IKU (code, name, polarity, weight, target, unit_of_measure)."""
    return {"unit": "DIT", "year": YEAR, "sasaran": [{"name": "Meningkatnya kesertaan ber-KB", "iku": [
        {"code": "IKU-1", "name": "Angka prevalensi kontrasepsi", "polarity": "MAX", "weight": 100, "target": 64,
         "unit_of_measure": "persen", **more.pop("iku", {})}]}], **more}


def rhk(source: str, kind: str = "UTAMA") -> dict:
    """One RHK of ``POST /api/v1/skp``: text, kind, source, iki; none of the optional links."""
    return {"text": f"Hasil kerja dari {source.lower()}", "kind": kind, "source": source,
            "iki": [{"text": "Jumlah dokumen tersusun", "aspek": "KUANTITAS", "target": 12,
                     "unit_of_measure": "dokumen"}]}


def skp_body(employee, *rhks) -> dict:
    return {"nip": employee.nip, "year": YEAR, "rhk": list(rhks)}


def visum_body(iki_id, output="Draf laporan bab I") -> dict:
    return {"date": THURSDAY.isoformat(), "iki_id": iki_id, "activity": "Menyusun laporan kegiatan",
            "output": output}


# --- POST /api/v1/pk -------------------------------------------------------------------------------------

def test_pk_with_the_required_fields_is_a_draft(client, people, planner, token):
    response = client.post("/api/v1/pk", json=pk_body(), headers=token(planner))
    assert response.status_code == 201, response.json
    assert has_shape(response.json, PK_SHAPE)
    assert (response.json["version"], response.json["status"]) == (1, "DRAFT")


def test_pk_signed_on_paper_takes_a_realisation(client, people, planner, token):
    body = pk_body(signed_on="2026-01-12", iku={"trajectory": linear(YEAR, 64)})
    response = client.post("/api/v1/pk", json=body, headers=token(planner))
    assert response.status_code == 201, response.json
    assert has_shape(response.json, PK_SHAPE) and response.json["status"] == "SIGNED"
    assert response.json["signed_on"] == "2026-01-12"
    pk = db.session.get(PerjanjianKinerja, response.json["id"])
    assert pk.status == "SIGNED" and pk.signed_on_paper == date(2026, 1, 12)
    assert "pk.sign_on_paper" in db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.object_type == "pk", AuditEntry.object_id == str(pk.id))).all()
    realisasi = client.post(f"/api/v1/pk/{pk.id}/realisasi", headers=token(planner),
                            json={"iku_code": "IKU-1", "period": "2026-01", "value": 5.5})
    assert realisasi.status_code == 201, realisasi.json
    assert (realisasi.json["iku_code"], realisasi.json["period"], realisasi.json["value"]) == ("IKU-1", "2026-01", 5.5)


def test_realisation_on_a_pk_not_signed_is_409(client, people, planner, token):
    draft = client.post("/api/v1/pk", json=pk_body(), headers=token(planner)).json
    response = client.post(f"/api/v1/pk/{draft['id']}/realisasi", headers=token(planner),
                           json={"iku_code": "IKU-1", "period": "2026-01", "value": 5.5})
    assert response.status_code == 409 and has_shape(response.json, ERROR_SHAPE)
    assert count(IkuRealisasi) == 0


# --- POST /api/v1/skp, submit / approve / return, GET ----------------------------------------------------

@pytest.mark.parametrize(("who", "source", "kind", "missing"), [
    ("kasubdit", "PK", "UTAMA", "Belum ditautkan ke IKU"),
    ("kasubdit", "RENCANA_AKSI", "UTAMA", "Belum ditautkan ke rencana aksi"),
    ("pelaksana", "CASCADING", "UTAMA", "Belum ditautkan ke RHK Pejabat Penilai"),
    ("pelaksana", "MATRIK_PERAN_HASIL", "UTAMA", "Belum ditautkan ke RHK Pejabat Penilai"),
    ("pelaksana", "TUGAS_TAMBAHAN", "TAMBAHAN", "Asal tugas tambahan belum diisi"),
    ("pelaksana", "TIM_KERJA", "UTAMA", None),
])
def test_skp_with_an_rhk_without_its_link_is_stored_and_shown_not_linked(client, people, token, who, source, kind,
                                                                         missing):
    employee = people[who]
    response = client.post("/api/v1/skp", json=skp_body(employee, rhk(source, kind)), headers=token(who))
    assert response.status_code == 201, response.json
    assert skp_has_shape(response.json) and response.json["status"] == "DRAFT"
    [stored] = db.session.scalars(select(RencanaHasilKerja)).all()
    assert (stored.source, stored.kind) == (source, kind)
    answered = response.json["rhk"][0]["missing_link"]
    assert (answered["message"] if answered else None) == missing
    read = client.get(f"/api/v1/employees/{employee.nip}/skp?year={YEAR}", headers=token(who))
    assert read.status_code == 200 and skp_has_shape(read.json) and read.json["id"] == response.json["id"]


def test_skp_submit_approve_and_return_answer_the_object(client, people, token):
    approved_one = client.post("/api/v1/skp", json=skp_body(people["pelaksana"], rhk("CASCADING")),
                               headers=token("pelaksana")).json
    returned_one = client.post("/api/v1/skp", json=skp_body(people["analis"], rhk("CASCADING")),
                               headers=token("analis")).json
    for skp_id, who in ((approved_one["id"], "pelaksana"), (returned_one["id"], "analis")):
        submitted = client.post(f"/api/v1/skp/{skp_id}/submit", headers=token(who))
        assert submitted.status_code == 200 and skp_has_shape(submitted.json)
        assert submitted.json["status"] == "SUBMITTED"
    approve = client.post(f"/api/v1/skp/{approved_one['id']}/approve", headers=token("direktur"))
    assert approve.status_code == 200 and skp_has_shape(approve.json) and approve.json["status"] == "APPROVED"
    again = client.post(f"/api/v1/skp/{approved_one['id']}/approve", headers=token("direktur"))
    assert again.status_code == 409 and has_shape(again.json, ERROR_SHAPE)
    back = client.post(f"/api/v1/skp/{returned_one['id']}/return", json={"reason": "Lengkapi IKI"},
                       headers=token("direktur"))
    assert back.status_code == 200 and skp_has_shape(back.json) and back.json["status"] == "RETURNED"
    resubmitted = client.post(f"/api/v1/skp/{returned_one['id']}/submit", headers=token("analis"))
    assert resubmitted.status_code == 200 and resubmitted.json["status"] == "SUBMITTED"


def test_employee_skp_read(client, people, approved, token):
    response = client.get(f"/api/v1/employees/{people['analis'].nip}/skp?year={YEAR}", headers=token("direktur"))
    assert response.status_code == 200 and skp_has_shape(response.json)
    assert (response.json["nip"], response.json["year"], response.json["status"]) == (
        people["analis"].nip, YEAR, "APPROVED")


# --- visum --------------------------------------------------------------------------------------------------

def test_visum_with_free_text_output_is_answered_as_given(client, people, approved, token):
    response = client.post("/api/v1/visum", json=visum_body(iki_of(approved).id), headers=token("analis"))
    assert response.status_code == 201, response.json
    assert has_shape(response.json, VISUM_SHAPE)
    assert {k: response.json[k] for k in VISUM_SHAPE - {"id"}} == {
        "date": "2026-01-15", "iki_id": iki_of(approved).id, "activity": "Menyusun laporan kegiatan",
        "output": "Draf laporan bab I", "status": "SUBMITTED", "locked": False}
    stored = db.session.get(Visum, response.json["id"])
    assert (stored.output_text, stored.output_quantity) == ("Draf laporan bab I", None)


def test_visum_with_a_leading_quantity_reads_the_number_beside_the_text(client, people, approved, token):
    response = client.post("/api/v1/visum", json=visum_body(iki_of(approved).id, "3 dokumen"), headers=token("analis"))
    assert response.status_code == 201 and response.json["output"] == "3 dokumen"
    stored = db.session.get(Visum, response.json["id"])
    assert (stored.output_quantity, stored.output_unit) == (3, "dokumen")


def test_visum_list_approve_and_return(client, people, approved, token):
    iki = iki_of(approved).id
    ids = [client.post("/api/v1/visum", json=visum_body(iki, output), headers=token("analis")).json["id"]
           for output in ("Draf laporan bab I", "Notulen rapat")]
    listed = client.get(f"/api/v1/visum?nip={people['analis'].nip}&from=2026-01-12&to=2026-01-18",
                        headers=token("direktur"))
    assert listed.status_code == 200 and set(listed.json) >= {"items"}
    assert [item["id"] for item in listed.json["items"]] == ids
    assert all(has_shape(item, VISUM_SHAPE) for item in listed.json["items"])
    approve = client.post(f"/api/v1/visum/{ids[0]}/approve", headers=token("direktur"))
    assert approve.status_code == 200 and has_shape(approve.json, VISUM_SHAPE)
    assert approve.json["status"] == "APPROVED" and approve.json["output"] == "Draf laporan bab I"
    back = client.post(f"/api/v1/visum/{ids[1]}/return", json={"reason": "Lampirkan notulen"},
                       headers=token("direktur"))
    assert back.status_code == 200 and has_shape(back.json, VISUM_SHAPE) and back.json["status"] == "RETURNED"


# --- SKP realisation, assessor ---------------------------------------------------------------------------

def test_skp_realisation(client, people, approved, token):
    response = client.post(f"/api/v1/skp/{approved.id}/realisasi", headers=token("analis"),
                           json={"iki_id": iki_of(approved).id, "period": "2026-01", "value": 3})
    assert response.status_code == 201, response.json
    assert (response.json["iki_id"], response.json["period"], response.json["value"]) == (
        iki_of(approved).id, "2026-01", 3)


def test_assessor_read(client, people, token):
    response = client.get(f"/api/v1/employees/{people['analis'].nip}/assessor", headers=token("pelaksana"))
    assert response.status_code == 200 and has_shape(response.json, ASSESSOR_SHAPE)
    assert response.json["assessor"] == {"nip": people["direktur"].nip, "name": people["direktur"].name}
    assert set(response.json["assessor_superior"]) >= {"nip", "name"}


def test_skp_rows_are_what_the_contract_bodies_made(client, people, token):
    """Nothing beyond the contract's fields is needed: one SKP per create, each RHK with its IKI."""
    client.post("/api/v1/skp", json=skp_body(people["pelaksana"], rhk("CASCADING"), rhk("TUGAS_TAMBAHAN", "TAMBAHAN")),
                headers=token("pelaksana"))
    assert count(Skp) == 1 and count(RencanaHasilKerja) == 2

"""GET /api/v1/employees/NIP/assessor (INTERFACES.md): any token; date defaults to today."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
import time_machine

from kinerja.auth import services as auth_services
from kinerja.extensions import db
from kinerja.org import services as org_services
from kinerja.org.models import Employee

NOW = datetime(2024, 6, 10, 3, 0, tzinfo=UTC)  # Monday 10:00 WIB


@dataclass
class Org:
    kepala: Employee
    madya: Employee
    pratama: Employee
    staff: Employee
    under_plt: Employee
    orphan: Employee
    papua: Employee
    token: str


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def org(frozen, make_unit, make_employee) -> Org:
    """Kepala > Deputi > three Direktorat (headed; vacant with a PLT from 1 June; vacant) and a Perwakilan in WIT."""
    root = make_unit("BKKBN", "BADAN", name="BKKBN")
    deputi = make_unit("DEP-1", "ESELON_I", root)
    dit1 = make_unit("DIT-1", "ESELON_II", deputi)
    dit2 = make_unit("DIT-2", "ESELON_II", deputi)
    dit3 = make_unit("DIT-3", "ESELON_II", deputi)
    papua = make_unit("PAPUA", "ESELON_II", root, region="PERWAKILAN", timezone="Asia/Jayapura")
    kepala = make_employee(root, "KEPALA", name="Kepala Badan", golongan="IV/e", is_head=True)
    madya = make_employee(deputi, "JPT_MADYA", name="Deputi Madya", golongan="IV/d", is_head=True)
    pratama = make_employee(dit1, "JPT_PRATAMA", name="Direktur Pratama", golongan="IV/c", is_head=True)
    staff = make_employee(dit1, "PELAKSANA", name="Budi Staf", golongan="III/a")
    under_plt = make_employee(dit2, "PELAKSANA", name="Dewi Di Bawah PLT", golongan="III/a")
    orphan = make_employee(dit3, "PELAKSANA", name="Sari Tanpa Atasan", golongan="III/a")
    in_papua = make_employee(papua, "KEPALA_PERWAKILAN", name="Kepala Papua", golongan="IV/c", is_head=True)
    org_services.add_acting(None, employee=pratama, unit=dit2, kind="PLT", start=date(2024, 6, 1),
                            end=date(2024, 12, 31))
    token = auth_services.create_token(None, staff)  # any employee's token may ask
    db.session.commit()
    return Org(kepala, madya, pratama, staff, under_plt, orphan, in_papua, token)


def ask(client, org, nip, query: str = ""):
    return client.get(f"/api/v1/employees/{nip}/assessor{query}", headers={"Authorization": f"Bearer {org.token}"})


def person(employee: Employee) -> dict:
    return {"nip": employee.nip, "name": employee.name}


def test_staff_gets_the_head_of_his_unit_and_the_one_above(client, org):
    response = ask(client, org, org.staff.nip)
    assert response.status_code == 200
    assert response.get_json() == {
        "nip": org.staff.nip,
        "date": "2024-06-10",
        "assessor": person(org.pratama),
        "assessor_superior": person(org.madya),
        "rule": "PUSAT_JF_PELAKSANA",
    }


def test_jpt_madya_is_assessed_by_the_kepala(client, org):
    body = ask(client, org, org.madya.nip).get_json()
    assert body["assessor"] == person(org.kepala) and body["assessor_superior"] == person(org.kepala)
    assert body["rule"] == "JPT_MADYA" and "problem" not in body


def test_kepala_has_no_assessor(client, org):
    body = ask(client, org, org.kepala.nip).get_json()
    assert body["assessor"] is None and body["assessor_superior"] is None
    assert body["rule"] == "KEPALA" and "problem" not in body


def test_plt_acts_as_assessor(client, org):
    body = ask(client, org, org.under_plt.nip).get_json()
    assert body["assessor"] == {**person(org.pratama), "acting": "PLT"}
    assert body["assessor_superior"] == person(org.madya)
    assert "problem" not in body


def test_date_decides_before_the_plt_started(client, org):
    response = ask(client, org, org.under_plt.nip, "?date=2024-05-31")
    assert response.status_code == 200
    body = response.get_json()
    assert body["date"] == "2024-05-31"
    assert body["assessor"] is None and body["problem"] == "VACANT"


def test_vacant_post_without_plt_is_200_with_a_problem(client, org):
    response = ask(client, org, org.orphan.nip)
    assert response.status_code == 200
    body = response.get_json()
    assert body["nip"] == org.orphan.nip and body["assessor"] is None and body["problem"] == "VACANT"
    assert body["rule"] == "PUSAT_JF_PELAKSANA"


def test_today_is_the_employees_own_date(client, org, frozen):
    frozen.move_to(datetime(2024, 6, 10, 16, 30, tzinfo=UTC))  # 23:30 in Jakarta, 01:30 the next day in Jayapura
    assert ask(client, org, org.staff.nip).get_json()["date"] == "2024-06-10"
    assert ask(client, org, org.papua.nip).get_json()["date"] == "2024-06-11"


@pytest.mark.parametrize("value", ["2024-13-01", "2024-02-30", "kemarin", "20240610", "10-06-2024", "2024-6-1"])
def test_bad_date_is_400_naming_the_field(client, org, value):
    response = ask(client, org, org.staff.nip, f"?date={value}")
    assert response.status_code == 400 and response.is_json
    assert set(response.get_json()["details"]) == {"date"}


def test_empty_date_means_today(client, org):
    assert ask(client, org, org.staff.nip, "?date=").get_json()["date"] == "2024-06-10"


def test_unknown_nip_is_404_json(client, org):
    response = ask(client, org, "199901012020121999")
    assert response.status_code == 404
    assert response.get_json() == {"error": "Pegawai tidak ditemukan."}


def test_without_a_token_is_401(client, org):
    response = client.get(f"/api/v1/employees/{org.staff.nip}/assessor")
    assert response.status_code == 401 and "error" in response.get_json()

"""The visum JSON API: POST /api/v1/visum, GET /api/v1/visum, approve / return — every answer code
(201, 200, 400, 401, 403, 404, 409, 423), the week closing at Sunday 23:59 in WIB, WITA and WIT,
the February gate, double submission, and ``locked`` computed from the rule."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from kinerja.api.visum import format_output, parse_output
from kinerja.auth import services as auth_services
from kinerja.execution import services
from kinerja.execution.models import Visum
from kinerja.extensions import db
from kinerja.org import services as org_services
from tests.execution.conftest import approved, people, zoned  # noqa: F401
from tests.execution.fixtures import AFTER_SYNC, FEB_DAY, FRIDAY, NOW, THURSDAY, file, iki_of
from tests.planning.skp_fixtures import frozen, org  # noqa: F401

URL = "/api/v1/visum"
PREVIOUS_FRIDAY = date(2026, 1, 9)  # its week closed on Sunday 11 January


@pytest.fixture
def token(people):  # noqa: F811
    """Return a function giving the bearer header of a person (or of an employee object)."""
    made = {}

    def header(who) -> dict:
        employee = people[who] if isinstance(who, str) else who
        if employee.id not in made:
            made[employee.id] = auth_services.create_token(None, employee)
            db.session.commit()
        return {"Authorization": f"Bearer {made[employee.id]}"}

    return header


def body(**changes):
    data = {"date": THURSDAY.isoformat(), "iki_id": None, "activity": "Menyusun bahan rapat", "output": "3 dokumen"}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not ...}


def visum_count():
    return db.session.scalar(select(func.count(Visum.id)))


def post(client, header, **changes):
    return client.post(URL, json=body(**changes), headers=header)


# --- 401 -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("method, path", [
    ("post", URL), ("get", URL), ("get", f"{URL}?nip=1"), ("post", f"{URL}/1/approve"), ("post", f"{URL}/1/return"),
])
@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer salah"}, {"Authorization": "Basic abc"}])
def test_no_or_bad_token_is_401(client, people, method, path, headers):  # noqa: F811
    response = getattr(client, method)(path, json=body(), headers=headers)
    assert response.status_code == 401 and "error" in response.get_json()
    assert visum_count() == 0


# --- POST: 201 -------------------------------------------------------------------------------------

def test_file_in_january_without_iki(client, people, token):  # noqa: F811
    response = post(client, token("pelaksana"))
    assert response.status_code == 201
    answer = response.get_json()
    assert {k: answer[k] for k in ("date", "iki_id", "activity", "output", "status", "locked")} == {
        "date": "2026-01-15", "iki_id": None, "activity": "Menyusun bahan rapat", "output": "3 dokumen",
        "status": "SUBMITTED", "locked": False}
    stored = db.session.get(Visum, answer["id"])
    assert stored.employee_id == people["pelaksana"].id and stored.output_quantity == 3
    assert stored.output_unit == "dokumen" and stored.channel == "SIVIKA"
    assert answer["nip"] == people["pelaksana"].nip


def test_iki_key_may_be_left_out_in_january(client, people, token):  # noqa: F811
    response = post(client, token("pelaksana"), iki_id=...)
    assert response.status_code == 201 and response.get_json()["iki_id"] is None


@pytest.mark.parametrize("output, expected, quantity, unit", [
    (2, "2 dokumen", 2, "dokumen"),  # a number takes the IKI's unit of measure
    (2.5, "2.5 dokumen", 2.5, "dokumen"),
    ("4 laporan", "4 laporan", 4, "laporan"),
    ("2,5 jam", "2,5 jam", 2.5, "jam"),  # text is answered as given; the number is read beside it
    ("  7  ", "  7  ", 7, "dokumen"),
    ({"quantity": 1, "unit": "naskah"}, "1 naskah", 1, "naskah"),
    ({"quantity": "3"}, "3 dokumen", 3, "dokumen"),
    (0, "0 dokumen", 0, "dokumen"),
])
def test_output_forms(client, people, approved, token, output, expected, quantity, unit):  # noqa: F811
    response = post(client, token("analis"), iki_id=iki_of(approved).id, output=output)
    assert response.status_code == 201, response.get_json()
    answer = response.get_json()
    assert answer["output"] == expected and answer["iki_id"] == iki_of(approved).id
    assert (answer["output_quantity"], answer["output_unit"]) == (quantity, unit)


@pytest.mark.parametrize("output, quantity, unit", [
    ("Draf laporan bab I", None, None),
    ("dokumen", None, None),
    ("1. Draf laporan", None, None),  # a numbered item, not a quantity
    ("-3 dokumen", None, None),
    ("1 " + "u" * 61, None, None),  # the rest is too long for a unit: no quantity is read
    ("3 dokumen rapat koordinasi", 3, "dokumen rapat koordinasi"),
])
def test_free_text_output_is_stored_and_answered_as_given(client, people, approved, token,  # noqa: F811
                                                          output, quantity, unit):
    response = post(client, token("analis"), iki_id=iki_of(approved).id, output=output)
    assert response.status_code == 201, response.get_json()
    answer = response.get_json()
    assert answer["output"] == output and (answer["output_quantity"], answer["output_unit"]) == (quantity, unit)
    stored = db.session.get(Visum, answer["id"])
    assert (stored.output_text, stored.output_quantity, stored.output_unit) == (output, quantity, unit)
    listed = client.get(f"{URL}?from={THURSDAY.isoformat()}", headers=token("analis")).get_json()["items"]
    assert [item["output"] for item in listed] == [output]


def test_a_number_without_iki_has_no_unit(client, people, token):  # noqa: F811
    response = post(client, token("pelaksana"), output=5)
    assert response.status_code == 201 and response.get_json()["output"] == "5"


def test_penyuluh_files_on_e_visum(client, people, token):  # noqa: F811
    response = post(client, token("penyuluh"))
    assert response.status_code == 201 and response.get_json()["channel"] == "E-VISUM"


def test_own_nip_is_accepted(client, people, token):  # noqa: F811
    assert post(client, token("pelaksana"), nip=people["pelaksana"].nip).status_code == 201


# --- POST: 400 -------------------------------------------------------------------------------------

@pytest.mark.parametrize("changes, fields", [
    ({"date": ...}, {"date"}),
    ({"activity": ...}, {"activity"}),
    ({"activity": "   "}, {"activity"}),
    ({"output": ...}, {"output"}),
    ({"date": ..., "activity": ..., "output": ...}, {"date", "activity", "output"}),
    ({"date": "2026-02-30"}, {"date"}),
    ({"date": "15-01-2026"}, {"date"}),
    ({"date": 20260115}, {"date"}),
    ({"iki_id": "abc"}, {"iki_id"}),
    ({"iki_id": True}, {"iki_id"}),
    ({"output": True}, {"output"}),
    ({"output": {"unit": "dokumen"}}, {"output"}),
    ({"output": {"quantity": 1, "unit": 3}}, {"output"}),
    ({"output": [1]}, {"output"}),
    ({"output": -1}, {"output"}),
    ({"output": "x" * 4001}, {"output"}),
    ({"activity": "x" * 4001}, {"activity"}),
    ({"date": FRIDAY.isoformat()}, {"date"}),  # tomorrow: in the future
    ({"client_token": "t" * 65}, {"client_token"}),
])
def test_bad_input_is_400_naming_the_fields_and_nothing_is_stored(client, people, token, changes, fields):  # noqa: F811
    response = post(client, token("pelaksana"), **changes)
    assert response.status_code == 400
    answer = response.get_json()
    assert answer["error"] and set(answer["details"]) == fields
    assert visum_count() == 0


def test_a_body_that_is_not_an_object_is_400(client, people, token):  # noqa: F811
    for data in ("[1, 2]", "bukan json", ""):
        response = client.post(URL, data=data, content_type="application/json", headers=token("pelaksana"))
        assert response.status_code == 400 and "error" in response.get_json()
    assert visum_count() == 0


def test_unknown_fields_are_ignored(client, people, token):  # noqa: F811
    response = post(client, token("pelaksana"), warna="merah")
    assert response.status_code == 201 and "warna" not in response.get_json()


# --- POST: 403 -------------------------------------------------------------------------------------

def test_filing_for_someone_else_is_403(client, people, token):  # noqa: F811
    response = post(client, token("direktur"), nip=people["analis"].nip)
    assert response.status_code == 403
    response = post(client, token("direktur"), nip="000000000000000000")
    assert response.status_code == 403
    assert visum_count() == 0


def test_an_iki_not_in_his_approved_skp_is_403(client, people, approved, token):  # noqa: F811
    response = post(client, token("pelaksana"), iki_id=iki_of(approved).id)  # the analis's IKI
    assert response.status_code == 403
    assert response.get_json()["details"]["code"] == "IKI_NOT_IN_SKP"
    assert post(client, token("analis"), iki_id=999999).status_code == 403
    assert visum_count() == 0


# --- the February gate -----------------------------------------------------------------------------

def test_after_the_sync_no_approved_skp_is_403(client, people, frozen, token):  # noqa: F811
    frozen.move_to(AFTER_SYNC)
    response = post(client, token("pelaksana"), date=FEB_DAY.isoformat())
    assert response.status_code == 403
    answer = response.get_json()
    assert answer["details"] == {"code": "NO_APPROVED_SKP", "field": "date"} and "SKP" in answer["error"]
    assert visum_count() == 0


def test_after_the_sync_an_iki_is_needed(client, people, approved, frozen, token):  # noqa: F811
    frozen.move_to(AFTER_SYNC)
    response = post(client, token("analis"), date=FEB_DAY.isoformat())
    assert response.status_code == 403 and response.get_json()["details"]["code"] == "IKI_REQUIRED"
    response = post(client, token("analis"), date=FEB_DAY.isoformat(), iki_id=iki_of(approved).id, output=1)
    assert response.status_code == 201
    assert db.session.get(Visum, response.get_json()["id"]).skp_id == approved.id


def test_before_the_sync_in_february_no_iki_is_fine(client, people, frozen, token):  # noqa: F811
    frozen.move_to(datetime(2026, 2, 5, 3, 0, tzinfo=UTC))  # Thursday 5 February, 10:00 WIB
    response = post(client, token("pelaksana"), date="2026-02-04")
    assert response.status_code == 201


# --- 423: the week closes on Sunday 23:59 in the unit's zone ----------------------------------------

def test_a_closed_week_is_423(client, people, token):  # noqa: F811
    response = post(client, token("pelaksana"), date=PREVIOUS_FRIDAY.isoformat())
    assert response.status_code == 423
    answer = response.get_json()
    assert answer["details"]["code"] == "WEEK_CLOSED" and "23.59" in answer["error"]
    assert visum_count() == 0


@pytest.mark.parametrize("tz, label", [("Asia/Jakarta", "WIB"), ("Asia/Makassar", "WITA"), ("Asia/Jayapura", "WIT")])
def test_the_week_closes_at_sunday_2359_local(client, people, zoned, frozen, token, tz, label):  # noqa: F811
    employee = people["pelaksana"] if tz == "Asia/Jakarta" else zoned[tz]
    sunday = datetime(2026, 1, 18, 23, 58, 59, tzinfo=ZoneInfo(tz))
    frozen.move_to(sunday)
    first = post(client, token(employee), date=THURSDAY.isoformat())
    assert first.status_code == 201 and first.get_json()["locked"] is False
    frozen.move_to(sunday + timedelta(seconds=1))  # 23:59:00 local
    response = post(client, token(employee), date=FRIDAY.isoformat())
    assert response.status_code == 423 and label in response.get_json()["error"]
    listed = client.get(f"{URL}?nip={employee.nip}&from=2026-01-12&to=2026-01-18", headers=token(employee))
    assert [item["locked"] for item in listed.get_json()["items"]] == [True]
    assert db.session.get(Visum, first.get_json()["id"]).locked is False  # the stored column is lock-week's


def test_a_week_hr_reopened_is_writable_and_not_locked(client, people, token):  # noqa: F811
    services.reopen_week(people["hr"], people["pelaksana"], date(2026, 1, 5), NOW + timedelta(days=1), "Sakit",
                         now=NOW)
    db.session.commit()
    response = post(client, token("pelaksana"), date=PREVIOUS_FRIDAY.isoformat())
    assert response.status_code == 201 and response.get_json()["locked"] is False


# --- double submission -----------------------------------------------------------------------------

def test_the_same_client_token_stores_one_visum(client, people, token):  # noqa: F811
    first = post(client, token("pelaksana"), client_token="klik-1")
    again = post(client, token("pelaksana"), client_token="klik-1", activity="Lain")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json() == first.get_json()
    assert visum_count() == 1
    other = post(client, token("pelaksana"), client_token="klik-2")
    assert other.status_code == 201 and visum_count() == 2


def test_the_idempotency_key_header_works_too(client, people, token):  # noqa: F811
    headers = {**token("pelaksana"), "Idempotency-Key": "abc-123"}
    first = client.post(URL, json=body(), headers=headers)
    again = client.post(URL, json=body(), headers=headers)
    assert (first.status_code, again.status_code) == (201, 201) and visum_count() == 1  # the first answer again
    assert again.get_json() == first.get_json() and again.headers["Idempotent-Replayed"] == "true"


def test_a_client_token_is_per_employee(client, people, token):  # noqa: F811
    assert post(client, token("pelaksana"), client_token="sama").status_code == 201
    assert post(client, token("analis"), client_token="sama").status_code == 201
    assert visum_count() == 2


# --- GET -------------------------------------------------------------------------------------------

@pytest.fixture
def filed(people, approved):  # noqa: F811
    """The analis's visum: one in the previous (closed) week, two this week (one approved)."""
    earlier = datetime(2026, 1, 9, 3, 0, tzinfo=UTC)
    old = file(people["analis"], PREVIOUS_FRIDAY, now=earlier, activity="Minggu lalu")
    monday = file(people["analis"], date(2026, 1, 12), activity="Senin", output_quantity=2, output_unit="laporan")
    thursday = file(people["analis"], THURSDAY, activity="Kamis")
    services.approve_visum(people["direktur"], monday, now=NOW)
    db.session.commit()
    return {"old": old, "monday": monday, "thursday": thursday}


def test_list_own_visum_with_status_and_computed_lock(client, people, filed, token):  # noqa: F811
    response = client.get(f"{URL}?nip={people['analis'].nip}&from=2026-01-05&to=2026-01-18", headers=token("analis"))
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert [(i["date"], i["activity"], i["status"], i["locked"]) for i in items] == [
        ("2026-01-09", "Minggu lalu", "SUBMITTED", True),
        ("2026-01-12", "Senin", "APPROVED", False),
        ("2026-01-15", "Kamis", "SUBMITTED", False),
    ]
    assert items[1]["output"] == "2 laporan"
    assert db.session.get(Visum, filed["old"].id).locked is False  # lock-week has not run: the rule decides


def test_list_defaults_to_himself_and_the_current_week(client, people, filed, token):  # noqa: F811
    answer = client.get(URL, headers=token("analis")).get_json()
    assert (answer["nip"], answer["from"], answer["to"]) == (people["analis"].nip, "2026-01-12", "2026-01-18")
    assert [i["activity"] for i in answer["items"]] == ["Senin", "Kamis"]
    answer = client.get(f"{URL}?from=2026-01-09", headers=token("analis")).get_json()
    assert (answer["from"], answer["to"]) == ("2026-01-09", "2026-01-15") and len(answer["items"]) == 3
    answer = client.get(f"{URL}?to=2026-01-11", headers=token("analis")).get_json()
    assert (answer["from"], answer["to"]) == ("2026-01-05", "2026-01-11") and len(answer["items"]) == 1


@pytest.mark.parametrize("who", ["direktur", "deputi", "hr"])
def test_assessor_chain_and_hr_may_list(client, people, filed, token, who):  # noqa: F811
    response = client.get(f"{URL}?nip={people['analis'].nip}&from=2026-01-01&to=2026-01-31", headers=token(who))
    assert response.status_code == 200 and len(response.get_json()["items"]) == 3


@pytest.mark.parametrize("who", ["staf2", "pelaksana", "kasi"])
def test_others_may_not_list(client, people, filed, token, who):  # noqa: F811
    response = client.get(f"{URL}?nip={people['analis'].nip}", headers=token(who))
    assert response.status_code == 403 and "error" in response.get_json()


def test_unknown_nip_is_404(client, people, token):  # noqa: F811
    assert client.get(f"{URL}?nip=000000000000000000", headers=token("hr")).status_code == 404


@pytest.mark.parametrize("query, field", [
    ("from=2026-13-01", "from"), ("to=kemarin", "to"), ("from=2026-01-20&to=2026-01-10", "to"),
    ("from=2025-01-01&to=2026-01-02", "to"),  # 367 days
])
def test_bad_dates_and_ranges_are_400(client, people, token, query, field):  # noqa: F811
    response = client.get(f"{URL}?{query}", headers=token("analis"))
    assert response.status_code == 400 and field in response.get_json()["details"]


def test_a_range_of_366_days_is_fine(client, people, token):  # noqa: F811
    assert client.get(f"{URL}?from=2025-01-16&to=2026-01-16", headers=token("analis")).status_code == 200


# --- approve / return ------------------------------------------------------------------------------

def act(client, header, visum_id, action, json=None):
    return client.post(f"{URL}/{visum_id}/{action}", json=json if json is not None else {}, headers=header)


def test_the_assessor_approves(client, people, token):  # noqa: F811
    visum = file(people["pelaksana"])
    response = act(client, token("direktur"), visum.id, "approve")
    assert response.status_code == 200
    assert response.get_json()["status"] == "APPROVED" and response.get_json()["id"] == visum.id
    db.session.expire_all()
    assert db.session.get(Visum, visum.id).approved_by_id == people["direktur"].id
    again = act(client, token("direktur"), visum.id, "approve")  # a double click: quiet success
    assert again.status_code == 200 and again.get_json()["status"] == "APPROVED"


def test_the_assessor_returns_with_a_reason(client, people, token):  # noqa: F811
    visum = file(people["pelaksana"])
    response = act(client, token("direktur"), visum.id, "return", {"reason": "Lampirkan notulen"})
    assert response.status_code == 200
    assert response.get_json()["status"] == "RETURNED" and response.get_json()["return_reason"] == "Lampirkan notulen"


@pytest.mark.parametrize("json", [{}, {"reason": "  "}, {"reason": None}])
def test_return_without_reason_is_400(client, people, token, json):  # noqa: F811
    visum = file(people["pelaksana"])
    response = act(client, token("direktur"), visum.id, "return", json)
    assert response.status_code == 400 and "reason" in response.get_json()["details"]
    db.session.expire_all()
    assert db.session.get(Visum, visum.id).status == "SUBMITTED"


def test_return_with_a_reason_that_is_not_text_is_400(client, people, token):  # noqa: F811
    visum = file(people["pelaksana"])
    response = act(client, token("direktur"), visum.id, "return", {"reason": 12})
    assert response.status_code == 400 and response.get_json()["details"] == {"reason": "harus berupa teks"}


@pytest.mark.parametrize("action, json", [("approve", {}), ("return", {"reason": "Tidak"})])
def test_own_visum_is_403(client, people, token, action, json):  # noqa: F811
    visum = file(people["direktur"])
    response = act(client, token("direktur"), visum.id, action, json)
    assert response.status_code == 403 and response.get_json()["details"]["code"] == "OWN_VISUM"


@pytest.mark.parametrize("who", ["direktur2", "deputi", "hr", "analis", "kepala"])
@pytest.mark.parametrize("action, json", [("approve", {}), ("return", {"reason": "Tidak"})])
def test_not_his_assessor_is_403(client, people, token, who, action, json):  # noqa: F811
    visum = file(people["pelaksana"])
    response = act(client, token(who), visum.id, action, json)
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Visum, visum.id).status == "SUBMITTED"


def test_the_plh_of_the_assessor_approves(client, people, org, token):  # noqa: F811
    visum = file(people["pelaksana"])
    org_services.add_acting(None, employee=people["kasubdit"], unit=org["units"]["DIT"], kind="PLH",
                            start=date(2026, 1, 12), end=date(2026, 1, 23))
    db.session.commit()
    response = act(client, token("kasubdit"), visum.id, "approve")
    assert response.status_code == 200 and response.get_json()["status"] == "APPROVED"


def test_wrong_state_is_409(client, people, token):  # noqa: F811
    returned = file(people["pelaksana"])
    assert act(client, token("direktur"), returned.id, "return", {"reason": "Kurang"}).status_code == 200
    response = act(client, token("direktur"), returned.id, "approve")
    assert response.status_code == 409 and response.get_json()["details"]["code"] == "WRONG_STATE"
    approved_one = file(people["pelaksana"], activity="Lain")
    assert act(client, token("direktur"), approved_one.id, "approve").status_code == 200
    assert act(client, token("direktur"), approved_one.id, "return", {"reason": "Telat"}).status_code == 409


def test_approval_is_not_bound_by_the_week_lock(client, people, token):  # noqa: F811
    visum = file(people["pelaksana"], PREVIOUS_FRIDAY, now=datetime(2026, 1, 9, 3, 0, tzinfo=UTC))
    response = act(client, token("direktur"), visum.id, "approve")
    assert response.status_code == 200 and response.get_json()["locked"] is True


@pytest.mark.parametrize("action", ["approve", "return"])
def test_unknown_visum_is_404(client, people, token, action):  # noqa: F811
    response = act(client, token("direktur"), 999999, action, {"reason": "x"})
    assert response.status_code == 404 and "error" in response.get_json()


# --- the output helpers ----------------------------------------------------------------------------

def test_output_round_trips():
    for quantity, unit, text in [(3.0, "dokumen", "3 dokumen"), (2.5, "jam", "2.5 jam"), (4, None, "4"),
                                 (1234567.5, "rupiah", "1234567.5 rupiah"), (None, None, None)]:
        assert format_output(quantity, unit) == text
        if text is not None:
            parsed = parse_output(text)
            assert (float(parsed.quantity), parsed.unit) == (quantity, unit)


# --- free-text output on the pages -----------------------------------------------------------------

def test_free_text_output_shows_on_the_pages_and_a_page_edit_of_the_quantity_replaces_it(
        client, people, approved, token):  # noqa: F811
    from tests.execution.realisasi_fixtures import login

    answer = post(client, token("analis"), iki_id=iki_of(approved).id, output="Draf laporan bab I").get_json()
    visum = db.session.get(Visum, answer["id"])
    login(client, people["analis"])
    assert "Draf laporan bab I" in client.get("/execution/visum").get_data(as_text=True)
    login(client, people["direktur"])
    assert "Draf laporan bab I" in client.get("/execution/inbox?day=2026-01-15").get_data(as_text=True)
    services.update_visum(people["analis"], visum, activity="Menyusun draf")  # the output is not touched
    db.session.commit()
    assert visum.output_text == "Draf laporan bab I"
    services.update_visum(people["analis"], visum, output_quantity="2", output_unit="bab")
    db.session.commit()
    assert (visum.output_text, visum.output_quantity, visum.output_unit) == (None, 2, "bab")
    listed = client.get(f"{URL}?nip={people['analis'].nip}&from=2026-01-15&to=2026-01-15",
                        headers=token("analis")).get_json()["items"]
    assert [item["output"] for item in listed] == ["2 bab"]

"""Bad input that used to answer 500 now answers 400 (API), 404 or 409/422 (pages) with a message, and
writes nothing: the IKI form of an approved SKP, dates like 9999-12-31, ids above 2^63 in URLs and
JSON, a lone surrogate in JSON text, JSON nested 100,000 levels deep. ``test_bad_input_fuzz.py``
throws such values at every route; these tests pin each case and its message."""

import pytest
from sqlalchemy import func, select

from kinerja.audit.models import AuditEntry
from kinerja.auth import services as auth_services
from kinerja.execution.models import Visum
from kinerja.extensions import db
from kinerja.planning.models import Iki
from kinerja.rules.calendar import DATE_OUT_OF_RANGE
from tests.execution.conftest import approved, people  # noqa: F401
from tests.execution.fixtures import THURSDAY
from tests.factories import login_as
from tests.planning.skp_fixtures import frozen, org  # noqa: F401

HX = {"HX-Request": "true"}
HUGE = "99999999999999999999"  # above 2^64
DEEP = "[" * 100_000 + "]" * 100_000


def login(client, employee):
    user = auth_services.user_for(employee)
    db.session.commit()
    login_as(client, user)


@pytest.fixture
def bearer(people):  # noqa: F811
    token = auth_services.create_token(None, people["pelaksana"])
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def visum_body(**changes):
    return {"date": THURSDAY.isoformat(), "activity": "Menyusun bahan rapat", "output": "3 dokumen"} | changes


def counts():
    db.session.expire_all()
    return (db.session.scalar(select(func.count(Visum.id))), db.session.scalar(select(func.count(AuditEntry.id))),
            db.session.scalar(select(func.count(Iki.id))))


# --- the IKI form of an SKP no longer editable -------------------------------------------------------

@pytest.mark.parametrize("headers", [{}, HX])
def test_iki_form_of_an_approved_skp_is_409_with_a_message(client, people, approved, headers):  # noqa: F811
    rhk = approved.rhk[0]
    login(client, people["analis"])
    before = counts()
    shown = client.get(f"/planning/rhk/{rhk.id}/iki/new", headers=headers)
    assert shown.status_code == 409 and "SKP ini sudah tidak dapat diubah." in shown.get_data(as_text=True)
    posted = client.post(f"/planning/rhk/{rhk.id}/iki", data={"text": ""}, headers=headers)  # an invalid form too
    assert posted.status_code == 409 and "sudah tidak dapat diubah" in posted.get_data(as_text=True)
    valid = client.post(f"/planning/rhk/{rhk.id}/iki", headers=headers, data={
        "text": "Jumlah laporan", "aspek": "KUANTITAS", "target": "3", "unit_of_measure": "laporan"})
    assert valid.status_code == 409
    assert counts() == before


@pytest.mark.parametrize("value", [" ", "x", "1.5"])
def test_a_chosen_id_that_is_not_a_number_is_422(client, people, approved, value):  # noqa: F811
    login(client, people["analis"])
    before = counts()
    response = client.post(f"/planning/skp/{approved.id}/revise", data={"dialog_id": value}, headers=HX)
    assert response.status_code == 422 and "Pilih dialog kinerja" in response.get_data(as_text=True)
    assert counts() == before


# --- dates outside years 1900-9998 ----------------------------------------------------------------

@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1899-12-31"])
def test_api_refuses_a_date_out_of_range_with_400(client, people, bearer, day):  # noqa: F811
    before = counts()
    response = client.post("/api/v1/visum", json=visum_body(date=day), headers=bearer)
    assert response.status_code == 400 and response.get_json()["details"] == {"date": DATE_OUT_OF_RANGE}
    assert counts() == before


@pytest.mark.parametrize("query", ["from=9999-12-31", "to=9999-12-31", "from=9999-12-25&to=9999-12-31",
                                   "to=0001-01-01", "from=0001-01-01"])
def test_api_visum_list_refuses_a_range_out_of_bounds_with_400(client, people, bearer, query):  # noqa: F811
    response = client.get(f"/api/v1/visum?{query}", headers=bearer)
    assert response.status_code == 400 and DATE_OUT_OF_RANGE in response.get_json()["details"].values()


def test_api_assessor_date_out_of_range_is_400(client, people, bearer):  # noqa: F811
    response = client.get(f"/api/v1/employees/{people['pelaksana'].nip}/assessor?date=9999-12-31", headers=bearer)
    assert response.status_code == 400 and response.get_json()["details"] == {"date": DATE_OUT_OF_RANGE}


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_day_url_out_of_range_is_404(client, people, day):  # noqa: F811
    login(client, people["pelaksana"])
    before = counts()
    assert client.get(f"/execution/visum/day/{day}", headers=HX).status_code == 404
    response = client.post(f"/execution/visum/day/{day}", data={"activity": "x"}, headers=HX)
    assert response.status_code == 404 and "rentang" in response.get_data(as_text=True)
    assert client.post(f"/execution/visum/day/{day}/copy", headers=HX).status_code == 404
    assert counts() == before


def test_week_out_of_range_shows_this_week_as_any_unreadable_week(client, people):  # noqa: F811
    login(client, people["pelaksana"])
    response = client.get("/execution/visum?week=9999-12-31")
    assert response.status_code == 200 and 'id="day-2026-01-15"' in response.get_data(as_text=True)
    other = client.get(f"/execution/visum/{people['pelaksana'].nip}?week=0001-01-01")
    assert other.status_code == 200 and 'id="day-2026-01-15"' in other.get_data(as_text=True)


def test_hr_week_filter_out_of_range_is_422_with_the_message(client, people):  # noqa: F811
    login(client, people["hr"])
    response = client.get("/execution/hr/compliance?week=9999-12-31", headers=HX)
    assert response.status_code == 422 and DATE_OUT_OF_RANGE in response.get_data(as_text=True)


# --- ids above 2^63 -------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [f"/execution/visum/{HUGE}/edit", f"/planning/skp/{HUGE}", f"/planning/rhk/{HUGE}",
                                 f"/execution/pk/{2**63}/realisasi", f"/planning/skp/{2**63 - 1}",
                                 f"/planning/skp/{2**31}"])
def test_a_page_id_above_an_id_column_is_404(client, people, url):  # noqa: F811
    login(client, people["hr"])
    assert client.get(url).status_code == 404


def test_a_page_id_at_the_id_column_limit_is_looked_up(client, people):  # noqa: F811
    login(client, people["hr"])
    assert client.get(f"/planning/skp/{2**31 - 1}").status_code == 404  # unknown, not an overflow


@pytest.mark.parametrize("url", [f"/api/v1/visum/{HUGE}/approve", f"/api/v1/visum/{2**63}/return",
                                 f"/api/v1/skp/{HUGE}/submit", f"/api/v1/skp/{2**31}/approve"])
def test_an_api_id_above_an_id_column_is_a_json_404(client, people, bearer, url):  # noqa: F811
    response = client.post(url, json={"reason": "x"}, headers=bearer)
    assert response.status_code == 404 and "error" in response.get_json()


@pytest.mark.parametrize("value", [HUGE, str(2**31), "0", "-1"])
def test_a_posted_id_out_of_range_is_refused_by_the_form(client, people, value):  # noqa: F811
    login(client, people["direktur"])
    before = counts()
    reply = client.post(f"/execution/feedback/{people['pelaksana'].nip}", headers=HX,
                        data={"body": "Bagus.", "perilaku": "BERORIENTASI_PELAYANAN", "parent_id": value})
    assert reply.status_code == 422
    marked = client.post("/execution/notifications", data={"notification_id": value}, headers=HX)
    assert marked.status_code == 400
    assert counts() == before


@pytest.mark.parametrize("value", [2**63, 2**31, -(2**63) - 1, 0])
def test_a_json_id_out_of_range_is_400(client, people, bearer, value):  # noqa: F811
    before = counts()
    response = client.post("/api/v1/visum", json=visum_body(iki_id=value), headers=bearer)
    assert response.status_code == 400 and "di luar rentang" in response.get_json()["details"]["iki_id"]
    assert counts() == before


@pytest.mark.parametrize("year", [2**64, 2**31, -(2**31) - 1])
def test_a_json_integer_beyond_an_integer_column_is_400(client, people, bearer, year):  # noqa: F811
    response = client.post("/api/v1/skp", json={"nip": people["pelaksana"].nip, "year": year, "rhk": []},
                           headers=bearer)
    assert response.status_code == 400 and "di luar rentang" in response.get_json()["details"]["year"]


# --- a lone surrogate in JSON text ----------------------------------------------------------------

@pytest.mark.parametrize(("changes", "field"), [({"activity": "Rapat \ud800"}, "activity"),
                                                ({"output": "3 \udfff"}, "output"),
                                                ({"output": {"quantity": 3, "unit": "\ud800"}}, "output"),
                                                ({"client_token": "\ud800"}, "client_token")])
def test_a_lone_surrogate_in_json_is_400_and_stores_nothing(client, people, bearer, changes, field):  # noqa: F811
    before = counts()
    response = client.post("/api/v1/visum", data=_json(visum_body(**changes)), headers=bearer,
                           content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["details"] == {field: "berisi karakter yang tidak valid"}
    assert counts() == before


def test_a_lone_surrogate_in_a_return_reason_is_400(client, people, bearer):  # noqa: F811
    response = client.post("/api/v1/visum/1/return", data='{"reason": "\\ud800"}', headers=bearer,
                           content_type="application/json")
    assert response.status_code == 400 and response.get_json()["details"] == {
        "reason": "berisi karakter yang tidak valid"}


def test_a_form_cannot_carry_a_lone_surrogate(client, people):  # noqa: F811
    """Werkzeug decodes form bodies as UTF-8 with replacement: the surrogate's bytes arrive as U+FFFD."""
    login(client, people["pelaksana"])
    response = client.post(f"/execution/visum/day/{THURSDAY.isoformat()}", headers=HX,
                           data=b"activity=Rapat+%ED%A0%80&output_quantity=1&output_unit=dokumen",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code < 500
    stored = db.session.scalars(select(Visum.activity)).all()
    assert all(text.encode("utf-8") for text in stored)


# --- a NUL character (PostgreSQL refuses it in any text, also as a query parameter) -----------------

@pytest.mark.parametrize("url", ["/org/employees?q=%00", "/org/employees?q%00=1", "/org/employees/%00",
                                 "/execution/inbox?nip=a%00b", "/planning/skp?year=%00"])
def test_nul_in_a_query_string_or_path_is_400(client, people, url):  # noqa: F811
    login(client, people["hr"])
    response = client.get(url, headers=HX)
    assert response.status_code == 400 and "karakter yang tidak valid" in response.get_data(as_text=True)


def test_nul_in_a_form_is_400_and_stores_nothing(client, people):  # noqa: F811
    login(client, people["pelaksana"])
    before = counts()
    response = client.post(f"/execution/visum/day/{THURSDAY.isoformat()}", headers=HX,
                           data=b"activity=Rapat%00&output_quantity=1&output_unit=dokumen",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400 and "karakter yang tidak valid" in response.get_data(as_text=True)
    assert counts() == before


def test_nul_in_api_query_path_and_json_is_400(client, people, bearer):  # noqa: F811
    listed = client.get("/api/v1/visum?nip=%00", headers=bearer)
    assert listed.status_code == 400 and "karakter yang tidak valid" in listed.get_json()["error"]
    assert client.get("/api/v1/employees/%00/assessor", headers=bearer).status_code == 400
    before = counts()
    posted = client.post("/api/v1/visum", json=visum_body(activity="Rapat\x00"), headers=bearer)
    assert posted.status_code == 400
    assert posted.get_json()["details"] == {"activity": "berisi karakter yang tidak valid"}
    assert counts() == before


# --- JSON nested too deep -------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/api/v1/visum", "/api/v1/skp", "/api/v1/visum/1/return"])
def test_json_nested_100000_deep_is_400_json_tidak_valid(client, people, bearer, url):  # noqa: F811
    response = client.post(url, data=DEEP, headers=bearer, content_type="application/json")
    assert response.status_code in (400, 404) and "error" in response.get_json()
    if url != "/api/v1/visum/1/return":  # there the unknown visum answers first
        assert response.status_code == 400 and "JSON tidak valid" in response.get_json()["error"]


def test_get_json_without_silent_answers_400_for_deep_json(app):
    from flask import request
    from werkzeug.exceptions import BadRequest

    with app.test_request_context("/api/v1/x", method="POST", data=DEEP, content_type="application/json"):
        assert request.get_json(silent=True) is None
        with pytest.raises(BadRequest):
            request.get_json()


def _json(value) -> str:
    import json

    return json.dumps(value)  # ASCII: a surrogate travels as \ud800, as a JavaScript client sends it

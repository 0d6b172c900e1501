"""json_body / query_args / check: one 400 naming every missing or invalid field."""

from datetime import date
from decimal import Decimal
from enum import StrEnum

import pytest
from werkzeug.exceptions import HTTPException

from kinerja.api.validation import ListOf, Object, SpecError, check, json_body, query_args


class Kind(StrEnum):
    UTAMA = "UTAMA"
    TAMBAHAN = "TAMBAHAN"


def period(value):
    if not isinstance(value, str) or len(value) not in (4, 7):
        raise ValueError("harus berupa periode TTTT atau TTTT-BB")
    return value


SKP = {
    "nip": str,
    "year": int,
    "rhk": ListOf(Object({"text": str, "kind": Kind}, {"parent_rhk_id": int}), min_items=1),
}


def test_valid_body_is_converted():
    values, errors = check(
        {"nip": " 123 ", "year": 2024, "rhk": [{"text": "Laporan", "kind": "UTAMA"}], "extra": "diabaikan"}, SKP,
        {"note": str, "date": date, "value": Decimal, "ratio": float, "final": bool, "period": period},
    )
    assert errors == {}
    assert values["nip"] == "123" and values["year"] == 2024
    assert values["rhk"] == [{"text": "Laporan", "kind": Kind.UTAMA, "parent_rhk_id": None}]
    assert values["note"] is None and values["date"] is None and "extra" not in values


def test_every_problem_is_named_with_its_path():
    _, errors = check(
        {"nip": "  ", "year": "2024", "rhk": [{"text": "A", "kind": "UTAMA"}, {"kind": "LAIN", "parent_rhk_id": True}]},
        SKP, {"date": date, "period": period},
    )
    assert errors == {
        "nip": "wajib diisi",
        "year": "harus berupa bilangan bulat",
        "rhk[1].text": "wajib diisi",
        "rhk[1].kind": "nilai tidak dikenal: LAIN (pilih UTAMA, TAMBAHAN)",
        "rhk[1].parent_rhk_id": "harus berupa bilangan bulat",
    }


@pytest.mark.parametrize(("spec", "value", "message"), [
    (str, 5, "harus berupa teks"),
    (int, 1.5, "harus berupa bilangan bulat"),
    (int, True, "harus berupa bilangan bulat"),
    (float, "1.5", "harus berupa angka"),
    (float, False, "harus berupa angka"),
    (Decimal, float("nan"), "harus berupa angka"),
    (bool, "true", "harus berupa true atau false"),
    (date, "2024-02-30", "bukan tanggal yang ada"),
    (date, "20240101", "harus berupa tanggal TTTT-BB-HH"),
    (date, 20240101, "harus berupa tanggal TTTT-BB-HH"),
    (list, {}, "harus berupa daftar"),
    (dict, [], "harus berupa objek"),
    (Kind, "utama", "nilai tidak dikenal: utama (pilih UTAMA, TAMBAHAN)"),
    (Object({"a": int}), [], "harus berupa objek"),
    (ListOf(int, min_items=1), [], "minimal 1 butir"),
    (ListOf(int), "1,2", "harus berupa daftar"),
    (period, "2024-1", "harus berupa periode TTTT atau TTTT-BB"),
])
def test_invalid_values(spec, value, message):
    _, errors = check({"x": value}, {"x": spec})
    assert errors == {"x": message}


def test_numbers_and_dates_convert():
    values, errors = check({"a": 3, "b": 2.5, "c": "2024-02-29", "d": False},
                           {"a": float, "b": Decimal, "c": date, "d": bool})
    assert errors == {}
    assert values == {"a": 3.0, "b": Decimal("2.5"), "c": date(2024, 2, 29), "d": False}


def test_query_text_converts():
    values, errors = check({"year": "2024", "value": "1.25", "on": "2024-01-31", "all": "1"},
                           {"year": int, "value": Decimal}, {"on": date, "all": bool, "q": str}, text=True)
    assert errors == {}
    assert values == {"year": 2024, "value": Decimal("1.25"), "on": date(2024, 1, 31), "all": True, "q": None}
    _, errors = check({"year": "dua ribu"}, {"year": int}, text=True)
    assert errors == {"year": "harus berupa bilangan bulat"}


def test_unknown_spec_is_a_programming_error():
    with pytest.raises(SpecError):
        check({"x": 1}, {"x": object()})


def abort_response(excinfo):
    response = excinfo.value.get_response()
    return response.status_code, response.get_json()


def test_json_body_returns_values_or_aborts_with_details(app):
    with app.test_request_context("/api/v1/x", method="POST", json={"nip": "1", "year": 2024, "rhk": [{}]}):
        with pytest.raises(HTTPException) as excinfo:
            json_body(SKP)
    status, body = abort_response(excinfo)
    assert status == 400 and body["error"] == "Isian tidak valid."
    assert body["details"] == {"rhk[0].text": "wajib diisi", "rhk[0].kind": "wajib diisi"}

    with app.test_request_context("/api/v1/x", method="POST", json={"nip": "1", "year": 2024,
                                                                   "rhk": [{"text": "t", "kind": "TAMBAHAN"}]}):
        assert json_body(SKP)["rhk"][0]["kind"] is Kind.TAMBAHAN


@pytest.mark.parametrize("data", ["[1, 2]", "bukan json", "", "null"])
def test_json_body_needs_an_object(app, data):
    with app.test_request_context("/api/v1/x", method="POST", data=data, content_type="application/json"):
        with pytest.raises(HTTPException) as excinfo:
            json_body({"a": int})
    status, body = abort_response(excinfo)
    assert status == 400 and "objek JSON" in body["error"]


def test_query_args_aborts_with_details(app):
    with app.test_request_context("/api/v1/x?year=20x4&from=2024-01-01"):
        with pytest.raises(HTTPException) as excinfo:
            query_args({"year": int}, {"from": date, "to": date})
    status, body = abort_response(excinfo)
    assert status == 400 and body["details"] == {"year": "harus berupa bilangan bulat"}

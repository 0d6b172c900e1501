"""The API's foundation: bearer tokens, JSON errors on API paths, the role check of token_required."""

import pytest
from flask import g
from werkzeug.exceptions import Forbidden

from kinerja.api.auth import token_required
from kinerja.auth import services
from kinerja.auth.access import acting_user
from kinerja.auth.models import ApiToken
from kinerja.extensions import db
from tests.factories import login_as


@pytest.fixture
def employee(make_unit, make_employee):
    return make_employee(make_unit("DIT", "ESELON_II"))


@pytest.fixture
def token(employee):
    value = services.create_token(None, employee)
    db.session.commit()
    return value


def url(nip: str) -> str:
    return f"/api/v1/employees/{nip}/assessor"


def assert_json_error(response, status: int):
    assert response.status_code == status
    assert response.is_json
    body = response.get_json()
    assert isinstance(body["error"], str) and body["error"]
    return body


def test_no_token_is_401_json(client, employee):
    body = assert_json_error(client.get(url(employee.nip)), 401)
    assert "Bearer" in body["error"]
    assert client.get(url(employee.nip)).headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer", "Bearer   ", "Basic dXNlcjpwYXNz", "Token abc", "bearer-abc"])
def test_malformed_authorization_is_401(client, employee, token, header):
    assert_json_error(client.get(url(employee.nip), headers={"Authorization": header}), 401)


def test_unknown_token_is_401(client, employee, token):
    assert_json_error(client.get(url(employee.nip), headers={"Authorization": f"Bearer {token}x"}), 401)


def test_valid_token_is_accepted_whatever_the_case_of_the_scheme(client, employee, token):
    for scheme in ("Bearer", "bearer", "BEARER"):
        response = client.get(url(employee.nip), headers={"Authorization": f"{scheme} {token}"})
        assert response.status_code == 200, scheme


def test_revoked_token_is_401(client, employee, token):
    db.session.query(ApiToken).update({"revoked": True})
    db.session.commit()
    assert_json_error(client.get(url(employee.nip), headers={"Authorization": f"Bearer {token}"}), 401)


def test_token_of_an_inactive_user_is_401(client, employee, token):
    services.user_for(employee).active = False
    db.session.commit()
    assert_json_error(client.get(url(employee.nip), headers={"Authorization": f"Bearer {token}"}), 401)


def test_a_login_session_is_not_enough_for_the_api(client, employee, make_user):
    login_as(client, make_user(employee))
    assert client.get("/").status_code == 200
    assert_json_error(client.get(url(employee.nip)), 401)


def test_unknown_api_path_is_json_404(client, token):
    for path in ("/api/v1/nothing-here", "/api/v2/employees", "/api/"):
        body = assert_json_error(client.get(path, headers={"Authorization": f"Bearer {token}"}), 404)
        assert body["error"] == "Halaman atau data tidak ditemukan."


def test_wrong_method_is_json_405_with_allow(client, employee, token):
    response = client.delete(url(employee.nip), headers={"Authorization": f"Bearer {token}"})
    assert_json_error(response, 405)
    assert "GET" in response.headers["Allow"]


def test_api_post_needs_no_csrf_token(app, client, employee, token):
    app.config["WTF_CSRF_ENABLED"] = True
    # a POST on a GET route: 405 from routing, not 400 from CSRF — the API is exempt
    response = client.post(url(employee.nip), json={}, headers={"Authorization": f"Bearer {token}"})
    assert_json_error(response, 405)


def test_pages_keep_html_errors(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and not response.is_json


# --- token_required with roles, on a view built in the test --------------------------------

def call_view(app, token_value, *roles):
    @token_required(*roles)
    def view():
        return "ok"

    headers = {"Authorization": f"Bearer {token_value}"} if token_value else {}
    with app.test_request_context("/api/v1/test", headers=headers):
        try:
            return view(), g.get("api_user"), acting_user()
        finally:
            g.pop("api_user", None)  # the test's app context outlives this request


def test_token_required_sets_the_acting_user(app, employee, token):
    result, api_user, acting = call_view(app, token)
    assert result == "ok" and api_user.employee_id == employee.id and acting is api_user


def test_token_required_bare_and_called_are_the_same(app, employee, token):
    @token_required
    def bare():
        return "bare"

    with app.test_request_context("/api/v1/test", headers={"Authorization": f"Bearer {token}"}):
        assert bare() == "bare"
    with app.test_request_context("/api/v1/test"):
        assert bare().status_code == 401


def test_token_required_with_a_role_refuses_others(app, employee, token):
    with pytest.raises(Forbidden):
        call_view(app, token, "KEPEGAWAIAN")


def test_token_required_with_a_role_lets_holders_and_admin_in(app, employee, token):
    services.grant_role(None, employee, "KEPEGAWAIAN")
    db.session.commit()
    assert call_view(app, token, "KEPEGAWAIAN")[0] == "ok"
    assert call_view(app, token, "PENGELOLA_KINERJA", "KEPEGAWAIAN")[0] == "ok"
    with pytest.raises(Forbidden):
        call_view(app, token, "PENGELOLA_KINERJA")
    services.grant_role(None, employee, "ADMIN")
    db.session.commit()
    assert call_view(app, token, "PENGELOLA_KINERJA")[0] == "ok"


def test_forbidden_is_json_403_on_api_paths(app, client, employee, token):
    # the 403 raised by token_required renders through errors.py as the API's JSON
    with app.test_request_context("/api/v1/test"):
        from kinerja.errors import handle_http_error

        response = handle_http_error(Forbidden(description="Peran Anda tidak mengizinkan tindakan ini."))
        assert response.status_code == 403 and response.get_json()["error"].startswith("Peran")

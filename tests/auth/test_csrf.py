"""CSRF with protection on (the ``app`` fixture turns it off and back after each test)."""

import re

import pytest

from tests.factories import PASSWORD

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
HX_TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True


@pytest.fixture
def user(make_unit, make_employee, make_user):
    return make_user(make_employee(make_unit("DIT", "ESELON_II")))


def form_token(client, path: str) -> str:
    match = TOKEN.search(client.get(path).get_data(as_text=True))
    assert match, f"no csrf_token field on {path}"
    return match.group(1)


def logged_in(client) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


def test_login_post_without_token_is_refused(csrf_on, client, user):
    response = client.post("/login", data={"nip": user.employee.nip, "password": PASSWORD})
    assert response.status_code == 400
    assert "Muat ulang" in response.get_data(as_text=True)
    assert not logged_in(client)


def test_htmx_post_without_token_asks_for_a_refresh(csrf_on, client, user):
    response = client.post("/login", data={"nip": user.employee.nip, "password": PASSWORD},
                           headers={"HX-Request": "true"})
    assert response.status_code == 400 and response.headers["HX-Refresh"] == "true"
    assert not logged_in(client)


def test_wrong_token_is_refused(csrf_on, client, user):
    form_token(client, "/login")  # a session with a real token exists, but the form sends another
    response = client.post("/login", data={"nip": user.employee.nip, "password": PASSWORD, "csrf_token": "palsu"})
    assert response.status_code == 400 and not logged_in(client)


def test_login_form_with_its_token_works(csrf_on, client, user):
    token = form_token(client, "/login")
    response = client.post("/login", data={"nip": user.employee.nip, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 303 and logged_in(client)


def test_logout_needs_the_token_of_the_page(csrf_on, client, user):
    token = form_token(client, "/login")
    client.post("/login", data={"nip": user.employee.nip, "password": PASSWORD, "csrf_token": token})
    assert client.post("/logout").status_code == 400
    assert logged_in(client)
    page_token = form_token(client, "/")  # the logout form in the top bar
    response = client.post("/logout", data={"csrf_token": page_token})
    assert response.status_code == 303 and not logged_in(client)


def test_htmx_header_token_from_body_works(csrf_on, client, user):
    token = form_token(client, "/login")
    client.post("/login", data={"nip": user.employee.nip, "password": PASSWORD, "csrf_token": token})
    header_token = HX_TOKEN.search(client.get("/").get_data(as_text=True)).group(1)
    response = client.post("/logout", headers={"HX-Request": "true", "X-CSRFToken": header_token})
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/login"
    assert not logged_in(client)

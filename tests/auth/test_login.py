"""Login and logout: credentials, lockout and its expiry, throttling by address, safe ``next``,
session hygiene, and what an anonymous caller gets (page, HTMX, API)."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from kinerja.audit.models import AuditEntry
from kinerja.auth import services
from kinerja.auth.models import User
from kinerja.auth.views import WRONG_LOGIN, safe_next
from kinerja.extensions import db
from tests.factories import PASSWORD

CSRF_VALUE = re.compile(r'(?<="X-CSRFToken": ")[^"]+|(?<=name="csrf_token" value=")[^"]+')

START = datetime(2024, 6, 10, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fresh_address_counts(app):
    """Address counts live in process memory: start and end each test with none."""
    limit = app.config["LOGIN_ADDRESS_MAX_FAILURES"]
    services.address_failures.clear()
    yield
    services.address_failures.clear()
    app.config["LOGIN_ADDRESS_MAX_FAILURES"] = limit


@pytest.fixture
def user(make_unit, make_employee, make_user):
    unit = make_unit("DIT", "ESELON_II")
    return make_user(make_employee(unit, name="Siti Aminah"))


def logged_in_user_id(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("_user_id")


def test_login_page_is_a_bahasa_form(client):
    response = client.get("/login")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert 'name="nip"' in text and 'name="password"' in text and 'type="password"' in text
    assert "Kata sandi" in text and "Masuk" in text


def test_right_password_logs_in_and_goes_home(client, auth, user):
    response = auth.login(user.employee.nip)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    assert logged_in_user_id(client) == str(user.id)
    assert client.get("/").status_code == 200


def test_nip_is_trimmed(client, auth, user):
    response = auth.login(f"  {user.employee.nip} ")
    assert response.status_code == 303 and logged_in_user_id(client) == str(user.id)


def test_wrong_password_rerenders_with_a_generic_message(client, auth, user):
    response = auth.login(user.employee.nip, "salah-sandi")
    assert response.status_code == 422
    assert WRONG_LOGIN in response.get_data(as_text=True)
    assert logged_in_user_id(client) is None
    assert client.get("/").status_code == 302


def test_unknown_nip_gets_the_same_answer_as_a_wrong_password(client, auth, user):
    wrong = auth.login(user.employee.nip, "salah-sandi").get_data(as_text=True)
    unknown = auth.login("199901012020121999", "salah-sandi").get_data(as_text=True)
    assert WRONG_LOGIN in unknown
    # the two pages differ only by the NIP typed back into the form (and the CSRF token, whose
    # signature carries the second it was made in)
    def neutral(page: str, nip: str) -> str:
        return CSRF_VALUE.sub("TOKEN", page.replace(nip, "NIP"))

    assert neutral(unknown, "199901012020121999") == neutral(wrong, user.employee.nip)


def test_account_without_password_cannot_log_in(client, auth, make_unit, make_employee):
    employee = make_employee(make_unit("DIT", "ESELON_II"))
    services.user_for(employee)
    db.session.commit()
    assert auth.login(employee.nip, "").status_code == 422
    assert auth.login(employee.nip, "apa-saja-123").status_code == 422
    assert logged_in_user_id(client) is None


def test_inactive_account_cannot_log_in(client, auth, user):
    user.active = False
    db.session.commit()
    assert auth.login(user.employee.nip).status_code == 422
    assert logged_in_user_id(client) is None


@pytest.mark.parametrize("data", [{}, {"nip": "", "password": PASSWORD}, {"nip": "198001010000000001"}])
def test_empty_fields_are_refused_with_422(client, data):
    response = client.post("/login", data=data)
    assert response.status_code == 422
    assert "wajib diisi" in response.get_data(as_text=True)


def test_account_locks_after_max_failures_and_unlocks_after_the_lock_time(app, client, auth, user):
    max_failures = app.config["LOGIN_MAX_FAILURES"]
    lock_minutes = app.config["LOGIN_LOCK_MINUTES"]
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(max_failures):
            assert auth.login(user.employee.nip, "salah-sandi").status_code == 422
        response = auth.login(user.employee.nip)  # even the right password is refused now
        assert response.status_code == 429
        text = response.get_data(as_text=True)
        assert "dikunci" in text and f"{lock_minutes} menit" in text
        assert response.headers["Retry-After"] == str(lock_minutes * 60)
        assert logged_in_user_id(client) is None
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.locked")) is not None

        traveller.shift(timedelta(minutes=lock_minutes - 1))
        response = auth.login(user.employee.nip)
        assert response.status_code == 429 and "1 menit" in response.get_data(as_text=True)

        traveller.shift(timedelta(minutes=1, seconds=1))
        assert auth.login(user.employee.nip).status_code == 303
        assert logged_in_user_id(client) == str(user.id)


def test_failures_below_the_limit_are_forgotten_after_a_success(app, auth, user):
    max_failures = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(max_failures - 1):
        auth.login(user.employee.nip, "salah-sandi")
    assert auth.login(user.employee.nip).status_code == 303
    auth.logout()
    for _ in range(max_failures - 1):
        auth.login(user.employee.nip, "salah-sandi")
    assert auth.login(user.employee.nip).status_code == 303


def test_one_address_failing_too_often_is_throttled_until_the_window_passes(app, client, auth, user):
    app.config["LOGIN_ADDRESS_MAX_FAILURES"] = 3
    client.environ_base["REMOTE_ADDR"] = "10.20.30.40"
    with time_machine.travel(START, tick=False) as traveller:
        # spraying one password over several NIPs: no single account reaches its own limit
        for n in range(3):
            assert auth.login(f"19900101202012100{n}", "tebakan-umum").status_code == 422
        response = auth.login(user.employee.nip)
        assert response.status_code == 429
        assert "perangkat ini" in response.get_data(as_text=True)
        assert logged_in_user_id(client) is None
        assert db.session.get(User, user.id).failed_logins == 0  # the account was never tried

        other = app.test_client()
        other.environ_base["REMOTE_ADDR"] = "10.1.2.3"
        assert other.post("/login", data={"nip": user.employee.nip, "password": PASSWORD}).status_code == 303

        traveller.shift(timedelta(minutes=app.config["LOGIN_LOCK_MINUTES"], seconds=1))
        assert auth.login(user.employee.nip).status_code == 303


def test_loopback_peer_is_not_throttled_by_address(app, auth, user):
    """Behind the reverse proxy every request comes from 127.0.0.1 (the test client's address)."""
    app.config["LOGIN_ADDRESS_MAX_FAILURES"] = 3
    for n in range(5):
        auth.login(f"19900101202012100{n}", "tebakan-umum")
    assert auth.login(user.employee.nip).status_code == 303


def test_address_limit_zero_turns_it_off(app, client, auth, user):
    app.config["LOGIN_ADDRESS_MAX_FAILURES"] = 0
    client.environ_base["REMOTE_ADDR"] = "10.20.30.40"
    for n in range(8):
        auth.login(f"19900101202012100{n}", "tebakan-umum")
    assert auth.login(user.employee.nip).status_code == 303


@pytest.mark.parametrize("target", ["/org/units", "/org/employees?q=siti&page=2"])
def test_safe_next_is_followed(client, auth, user, target):
    response = client.post("/login", data={"nip": user.employee.nip, "password": PASSWORD, "next": target})
    assert response.status_code == 303 and response.headers["Location"] == target


def test_next_from_the_query_string_travels_through_the_form(client, user):
    page = client.get("/login?next=/org/units").get_data(as_text=True)
    assert 'value="/org/units"' in page
    hostile = client.get("/login?next=https://evil.example/").get_data(as_text=True)
    assert "evil.example" not in hostile


UNSAFE = ["https://evil.example/", "//evil.example/x", "/\\evil.example", "\\\\evil.example", "/\t/evil.example",
          "javascript:alert(1)", "evil.example", "http:/evil.example", " /org", "/org\nSet-Cookie: x=1"]


@pytest.mark.parametrize("target", UNSAFE)
def test_unsafe_next_goes_home(client, user, target):
    response = client.post("/login", data={"nip": user.employee.nip, "password": PASSWORD, "next": target})
    assert response.status_code == 303 and response.headers["Location"] == "/"


@pytest.mark.parametrize("target", UNSAFE + ["", None])
def test_safe_next_rejects(target):
    assert safe_next(target) is None


def test_session_is_cleared_before_login_and_not_remembered(client, auth, user):
    with client.session_transaction() as session:
        session["left_over"] = "dari sesi sebelumnya"
    response = auth.login(user.employee.nip)
    assert response.status_code == 303
    assert not any(cookie.startswith("remember_token") for cookie in response.headers.getlist("Set-Cookie"))
    with client.session_transaction() as session:
        assert "left_over" not in session
        assert session["_user_id"] == str(user.id)


def test_logged_in_user_visiting_login_goes_on(client, auth, user):
    auth.login(user.employee.nip)
    response = client.get("/login?next=/org/units")
    assert response.status_code == 302 and response.headers["Location"] == "/org/units"


def test_logout_is_post_only(client, auth, user):
    auth.login(user.employee.nip)
    assert client.get("/logout").status_code == 405
    assert logged_in_user_id(client) == str(user.id)
    response = client.post("/logout")
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert logged_in_user_id(client) is None
    assert client.get("/").status_code == 302
    assert "Anda telah keluar" in client.get("/login").get_data(as_text=True)


def test_htmx_logout_answers_hx_redirect(client, auth, user):
    auth.login(user.employee.nip)
    response = client.post("/logout", headers={"HX-Request": "true"})
    assert response.status_code == 204 and response.headers["HX-Redirect"] == "/login"
    assert logged_in_user_id(client) is None


def test_anonymous_page_request_is_redirected_with_next(client):
    response = client.get("/org/employees?q=siti")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/org/employees?q%3Dsiti"
    assert "Silakan masuk" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_anonymous_post_is_redirected_without_next(client):
    response = client.post("/logout")
    assert response.status_code == 302 and response.headers["Location"] == "/login"


def test_anonymous_htmx_request_gets_401_and_hx_redirect_to_the_current_page(client):
    response = client.get("/org/units/DIT/employees", headers={
        "HX-Request": "true", "HX-Current-URL": "http://localhost/org/units/DIT?tab=staf"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/login?next=/org/units/DIT?tab%3Dstaf"


def test_anonymous_htmx_request_from_elsewhere_gets_no_next(client):
    response = client.get("/", headers={"HX-Request": "true", "HX-Current-URL": "https://evil.example/org"})
    assert response.status_code == 401 and response.headers["HX-Redirect"] == "/login"


@pytest.mark.parametrize(("address", "throttled"), [
    ("10.0.0.1", True), ("203.0.113.9", True), ("2001:db8::1", True), ("tidak-dikenal", True),
    ("127.0.0.1", False), ("::1", False), (None, False), ("", False),
])
def test_which_addresses_are_throttled(address, throttled):
    assert services._throttled_address(address) is throttled


def test_failure_window_blocks_at_the_limit_until_the_oldest_counted_failure_expires():
    window = services.FailureWindow()
    span = timedelta(minutes=10)
    with time_machine.travel(START, tick=False) as traveller:
        window.add("a", span)
        traveller.shift(timedelta(minutes=4))
        window.add("a", span)
        assert window.blocked_until("a", 3, span) is None
        window.add("a", span)
        assert window.blocked_until("a", 3, span) == START + span
        assert window.blocked_until("b", 3, span) is None
        traveller.shift(timedelta(minutes=6))  # the first failure leaves the window
        assert window.blocked_until("a", 3, span) is None
        assert window.blocked_until("a", 2, span) == START + timedelta(minutes=4) + span

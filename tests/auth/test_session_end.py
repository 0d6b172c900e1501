"""A kept session cookie stops working after logout, a new password, a revoked role or
deactivation (issue 10, item 2): real HTTP against a threaded server, the cookie replayed as an
attacker who copied it would."""

import pytest
from flask import session
from flask_login.utils import _create_identifier
from sqlalchemy import event, update

from kinerja.auth.access import SESSION_VERSION_KEY
from kinerja.auth.models import User
from kinerja.auth.services import create_token
from kinerja.extensions import db, login_manager
from tests.auth.conftest import USER_AGENT, Browser
from tests.factories import PASSWORD
from tests.live import at_once

PAGE = "/execution/inbox"


@pytest.fixture
def user(make_unit, make_employee, make_user):
    return make_user(make_employee(make_unit("DIT", "ESELON_II"), name="Siti Aminah"), "KEPEGAWAIAN")


@pytest.fixture
def address(serve):
    return serve()


def logged_in(address, user) -> Browser:
    browser = Browser(address)
    assert browser.login(user.employee.nip, PASSWORD)[0] == 303
    assert browser.opens(PAGE)
    return browser


def kept(browser: Browser) -> Browser:
    """A copy of the browser's cookie, kept by an attacker."""
    copy = Browser(browser.address)
    copy.cookie = browser.cookie
    return copy


def test_logout_ends_the_kept_cookie_and_every_other_session_of_the_user(address, user):
    office, phone = logged_in(address, user), logged_in(address, user)
    stolen = kept(office)
    status, headers, _ = office.post("/logout")
    assert status == 303 and headers["Location"] == "/login"
    assert not stolen.opens(PAGE)  # before the fix: 200
    assert not phone.opens(PAGE)  # logout ends all sessions of the user (docs/security.md)
    assert not office.opens(PAGE)
    again = logged_in(address, user)  # a new login works as before
    assert again.opens("/")


def test_the_kept_cookie_is_refused_by_concurrent_requests_too(address, user):
    browser = logged_in(address, user)
    stolen = kept(browser)
    browser.post("/logout")
    answers = at_once([lambda: Browser(address).get(PAGE)[0] for _ in range(2)]
                      + [lambda: kept(stolen).get(PAGE)[0] for _ in range(10)])
    assert answers == [302] * 12


def test_another_users_logout_does_not_end_my_session(address, user, make_employee, make_user):
    other = make_user(make_employee(user.employee.unit, name="Budi Santoso"))
    mine, theirs = logged_in(address, user), logged_in(address, other)
    theirs.post("/logout")
    assert mine.opens(PAGE)


def test_set_password_ends_the_sessions(address, runner, user):
    stolen = kept(logged_in(address, user))
    result = runner.invoke(args=["set-password", user.employee.nip, "--password", "sandi-baru-2024"])
    assert result.exit_code == 0, result.output
    assert not stolen.opens(PAGE)  # before the fix: 200
    assert Browser(address).login(user.employee.nip, "sandi-baru-2024")[0] == 303


def test_revoke_role_ends_the_sessions(address, runner, user):
    stolen = kept(logged_in(address, user))
    result = runner.invoke(args=["revoke-role", user.employee.nip, "KEPEGAWAIAN"])
    assert result.exit_code == 0, result.output
    assert not stolen.opens(PAGE)


def test_granting_a_role_keeps_the_sessions(address, runner, user):
    browser = logged_in(address, user)
    assert runner.invoke(args=["grant-role", user.employee.nip, "ADMIN"]).exit_code == 0
    assert browser.opens(PAGE)


def test_deactivation_ends_the_sessions_and_the_tokens_and_reactivation_does_not_revive_them(
        app, address, runner, user):
    stolen = kept(logged_in(address, user))
    token = create_token(None, user.employee)
    db.session.commit()
    api = Browser(address, {"Authorization": f"Bearer {token}"})
    assessor = f"/api/v1/employees/{user.employee.nip}/assessor"
    assert api.get(assessor)[0] == 200

    result = runner.invoke(args=["deactivate-user", user.employee.nip])
    assert result.exit_code == 0, result.output
    assert "dinonaktifkan" in result.output
    assert not stolen.opens(PAGE)
    assert api.get(assessor)[0] == 401  # an inactive user's tokens are refused
    assert Browser(address).login(user.employee.nip, PASSWORD)[0] == 422

    assert runner.invoke(args=["activate-user", user.employee.nip]).exit_code == 0
    assert not stolen.opens(PAGE)  # the session version was bumped: old cookies stay dead
    assert api.get(assessor)[0] == 200  # tokens are revoked on their own, not by deactivation
    assert logged_in(address, user).opens(PAGE)


def test_deactivation_written_directly_in_the_database_also_ends_the_sessions(address, user):
    """Whatever path deactivated the account: the loader asks for an active one in its query (and
    Flask-Login's UserMixin counts an inactive user as not authenticated anyway)."""
    stolen = kept(logged_in(address, user))
    db.session.execute(update(User).where(User.id == user.id).values(active=False))
    db.session.commit()
    assert not stolen.opens(PAGE)


def test_deactivate_user_cli_refuses_an_inactive_account_and_activate_an_active_one(runner, user):
    assert runner.invoke(args=["activate-user", user.employee.nip]).exit_code == 1
    assert runner.invoke(args=["deactivate-user", user.employee.nip]).exit_code == 0
    result = runner.invoke(args=["deactivate-user", user.employee.nip])
    assert result.exit_code == 1 and "sudah nonaktif" in result.output
    assert runner.invoke(args=["deactivate-user", "199901012020121999"]).exit_code == 1


def test_a_session_without_the_version_is_not_logged_in(address, app, user):
    """A cookie signed before session versions existed (or forged without them) is anonymous."""
    environ = {"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": USER_AGENT}
    with app.test_request_context(environ_base=environ):
        serializer = app.session_interface.get_signing_serializer(app)
        # "_id" passes Flask-Login's strong session protection for this client
        old = {"_user_id": str(user.id), "_fresh": True, "_id": _create_identifier()}
        current = {**old, SESSION_VERSION_KEY: db.session.get(User, user.id).session_version}
        without_version, with_version = Browser(address), Browser(address)
        without_version.cookie, with_version.cookie = serializer.dumps(old), serializer.dumps(current)
    assert with_version.opens(PAGE)  # the cookie is well made: only the version is missing below
    assert not without_version.opens(PAGE)


def test_loading_the_user_is_still_one_query(app, user):
    """The version and the active flag ride on the query that loads the user (no extra round trip)."""
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.test_request_context():
        session[SESSION_VERSION_KEY] = db.session.get(User, user.id).session_version
        db.session.close()  # a request starts with an empty session
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            loaded = login_manager._user_callback(str(user.id))
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        assert loaded is not None and loaded.id == user.id and loaded.roles == {"KEPEGAWAIAN"}
        assert len(statements) == 1
        session[SESSION_VERSION_KEY] += 1
        assert login_manager._user_callback(str(user.id)) is None

"""The login limits hold under concurrent requests (issue 10, item 1): real HTTP against a
threaded server; the attempt is reserved before the password hash is checked."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.middleware.proxy_fix import ProxyFix

from kinerja.audit.models import AuditEntry
from kinerja.auth import services
from kinerja.auth.models import User
from kinerja.extensions import db
from tests.auth.conftest import Browser
from tests.factories import PASSWORD
from tests.live import at_once

WRONG = "bukan-sandinya"


@pytest.fixture(autouse=True)
def _no_address_counts():
    services.address_failures.clear()
    yield
    services.address_failures.clear()


@pytest.fixture
def user(make_unit, make_employee, make_user):
    return make_user(make_employee(make_unit("DIT", "ESELON_II"), name="Siti Aminah"))


def locks_recorded() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "user.locked"))


def fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_100_concurrent_wrong_passwords_check_the_hash_only_up_to_the_limit(app, serve, hash_checks, user):
    limit = app.config["LOGIN_MAX_FAILURES"]
    address = serve()
    nip = user.employee.nip
    answers = at_once([lambda: Browser(address).login(nip, WRONG)[0] for _ in range(100)])
    assert hash_checks.count == limit  # before the fix: about half of them were checked
    assert sorted(answers) == [422] * limit + [429] * (100 - limit)
    assert locks_recorded() == 1  # locked once, not once per racing request
    account = fresh(user)
    assert account.locked_until is not None and account.failed_logins == limit


def test_correct_password_sent_once_the_limit_is_reached_does_not_log_in(app, serve, hash_checks, user):
    """After 4 failures the 5th attempt takes the last slot and locks at once, while its hash is
    still being checked: a right password arriving then is refused, never checked."""
    limit = app.config["LOGIN_MAX_FAILURES"]
    address = serve()
    nip = user.employee.nip
    for _ in range(limit - 1):
        assert Browser(address).login(nip, WRONG)[0] == 422
    hash_checks.hold()
    results = []
    wrong = [threading.Thread(target=lambda: results.append(Browser(address).login(nip, WRONG)[0]))
             for _ in range(19)]
    for thread in wrong:
        thread.start()
    assert hash_checks.entered.wait(30)  # one wrong password holds the last slot, mid-check
    attacker = Browser(address)
    status, _, page = attacker.login(nip, PASSWORD)
    assert status == 429 and "dikunci" in page
    hash_checks.release.set()
    for thread in wrong:
        thread.join(60)
    assert sorted(results) == [422] + [429] * 18
    assert PASSWORD not in hash_checks.passwords and hash_checks.count == limit
    assert not attacker.opens("/execution/inbox")
    assert locks_recorded() == 1


def test_19_wrong_and_1_right_password_at_once_after_4_failures_check_one_hash(app, serve, hash_checks, user):
    """Sent truly at once, exactly one attempt gets the last slot: the right password logs in only
    if it is that one (and then no lock); otherwise the account locks and nobody logs in."""
    limit = app.config["LOGIN_MAX_FAILURES"]
    address = serve()
    nip = user.employee.nip
    for _ in range(limit - 1):
        Browser(address).login(nip, WRONG)
    passwords = [WRONG] * 19 + [PASSWORD]
    answers = at_once([lambda password=password: Browser(address).login(nip, password)[0]
                       for password in passwords])
    assert hash_checks.count == limit  # the 4 before, and one of the 20
    if hash_checks.passwords[-1] == PASSWORD:
        assert sorted(answers) == [303] + [429] * 19
        assert locks_recorded() == 0 and fresh(user).locked_until is None
    else:
        assert sorted(answers) == [422] + [429] * 19
        assert locks_recorded() == 1 and fresh(user).locked_until is not None


def test_a_right_password_within_the_limit_resets_the_count(app, serve, user):
    limit = app.config["LOGIN_MAX_FAILURES"]
    address = serve()
    nip = user.employee.nip
    for _ in range(limit - 1):
        assert Browser(address).login(nip, WRONG)[0] == 422
    assert Browser(address).login(nip, PASSWORD)[0] == 303
    account = fresh(user)
    assert (account.failed_logins, account.locked_until) == (0, None)
    for _ in range(limit - 1):
        assert Browser(address).login(nip, WRONG)[0] == 422
    assert Browser(address).login(nip, PASSWORD)[0] == 303


def test_an_expired_lock_gives_a_full_set_of_attempts_again(app, serve, hash_checks, user):
    limit = app.config["LOGIN_MAX_FAILURES"]
    address = serve()
    nip = user.employee.nip
    at_once([lambda: Browser(address).login(nip, WRONG) for _ in range(limit + 3)])
    account = fresh(user)
    account.locked_until -= timedelta(minutes=app.config["LOGIN_LOCK_MINUTES"] + 1)  # the lock time has passed
    db.session.commit()
    answers = at_once([lambda: Browser(address).login(nip, WRONG)[0] for _ in range(limit + 3)])
    assert sorted(answers) == [422] * limit + [429] * 3
    assert hash_checks.count == 2 * limit and locks_recorded() == 2


def test_concurrent_failures_from_one_address_check_only_up_to_the_address_limit(app, serve, hash_checks, user,
                                                                               monkeypatch):
    """Password spraying over many NIPs from one address (behind one trusted proxy, as in the
    runbook): at most LOGIN_ADDRESS_MAX_FAILURES attempts get a hash check."""
    monkeypatch.setitem(app.config, "LOGIN_ADDRESS_MAX_FAILURES", 3)
    address = serve(ProxyFix(app, x_for=1))
    sprayer = {"X-Forwarded-For": "10.9.8.7"}
    nips = [f"19900101202012{n:04d}" for n in range(30)]
    answers = at_once([lambda nip=nip: Browser(address, sprayer).login(nip, "tebakan-umum")[0] for nip in nips])
    assert hash_checks.count == 3  # before the fix: every request passed the check before any was counted
    assert sorted(answers) == [422] * 3 + [429] * 27
    # another address is not affected; a success does not use up the address's budget
    other = {"X-Forwarded-For": "10.1.2.3"}
    monkeypatch.setitem(app.config, "LOGIN_ADDRESS_MAX_FAILURES", 2)
    for _ in range(3):
        assert Browser(address, other).login(user.employee.nip, PASSWORD)[0] == 303
    assert Browser(address, other).login("199001012020129998", WRONG)[0] == 422

"""create-token, grant-role, revoke-role and set-password: exit codes, messages, no write on bad input."""

import pytest
from sqlalchemy import func, select

from kinerja.audit.models import AuditEntry
from kinerja.auth.models import ApiToken, RoleGrant, User
from kinerja.extensions import db

UNKNOWN_NIP = "199901012020121999"


@pytest.fixture
def employee(make_unit, make_employee):
    return make_employee(make_unit("DIT", "ESELON_II"), name="Budi Santoso")


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def roles_of(employee) -> set[str]:
    db.session.expire_all()
    stmt = select(RoleGrant.role).join(User).where(User.employee_id == employee.id)
    return set(db.session.scalars(stmt))


def assessor_url(nip: str) -> str:
    return f"/api/v1/employees/{nip}/assessor"


# --- create-token --------------------------------------------------------------------------

def test_create_token_prints_a_usable_token_last_and_creates_the_account(runner, client, employee):
    assert count(User) == 0
    result = runner.invoke(args=["create-token", employee.nip])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert len(token) >= 40 and " " not in token
    assert count(User) == 1 and count(ApiToken) == 1
    assert db.session.scalar(select(ApiToken.token_hash)) != token  # only the hash is stored
    response = client.get(assessor_url(employee.nip), headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.get_json()["nip"] == employee.nip


def test_each_create_token_gives_a_new_token_and_both_work(runner, client, employee):
    first = runner.invoke(args=["create-token", employee.nip]).output.strip().splitlines()[-1]
    second = runner.invoke(args=["create-token", employee.nip]).output.strip().splitlines()[-1]
    assert first != second and count(User) == 1 and count(ApiToken) == 2
    for token in (first, second):
        assert client.get(assessor_url(employee.nip), headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_create_token_for_an_unknown_nip_fails_and_writes_nothing(runner, employee):
    audit_before = count(AuditEntry)
    result = runner.invoke(args=["create-token", UNKNOWN_NIP])
    assert result.exit_code != 0
    assert f"NIP {UNKNOWN_NIP} tidak ditemukan" in result.output
    assert count(User) == 0 and count(ApiToken) == 0 and count(AuditEntry) == audit_before


# --- grant-role / revoke-role ----------------------------------------------------------------

@pytest.mark.parametrize("role", ["PENGELOLA_KINERJA", "KEPEGAWAIAN", "ADMIN"])
def test_grant_role_gives_a_grantable_role(runner, employee, role):
    result = runner.invoke(args=["grant-role", employee.nip, role])
    assert result.exit_code == 0, result.output
    assert roles_of(employee) == {role}
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.grant_role")) is not None


def test_grant_role_twice_is_harmless(runner, employee):
    runner.invoke(args=["grant-role", employee.nip, "KEPEGAWAIAN"])
    result = runner.invoke(args=["grant-role", employee.nip, "kepegawaian"])
    assert result.exit_code == 0 and "sudah memiliki" in result.output
    assert count(RoleGrant) == 1


@pytest.mark.parametrize("role", ["PEGAWAI", "PEJABAT_PENILAI", "ATASAN_PEJABAT_PENILAI"])
def test_derived_roles_are_refused(runner, employee, role):
    result = runner.invoke(args=["grant-role", employee.nip, role])
    assert result.exit_code != 0
    assert "peran turunan" in result.output and "KEPEGAWAIAN" in result.output
    assert count(RoleGrant) == 0 and count(User) == 0


def test_unknown_role_is_refused(runner, employee):
    result = runner.invoke(args=["grant-role", employee.nip, "SUPERUSER"])
    assert result.exit_code != 0 and "Peran tidak dikenal: SUPERUSER" in result.output
    assert count(RoleGrant) == 0


def test_grant_role_to_an_unknown_nip_fails_and_writes_nothing(runner, employee):
    audit_before = count(AuditEntry)
    result = runner.invoke(args=["grant-role", UNKNOWN_NIP, "ADMIN"])
    assert result.exit_code != 0 and "tidak ditemukan" in result.output
    assert count(User) == 0 and count(RoleGrant) == 0 and count(AuditEntry) == audit_before


def test_every_problem_gets_its_own_line(runner):
    result = runner.invoke(args=["grant-role", UNKNOWN_NIP, "PEGAWAI"])
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 2 and "tidak ditemukan" in lines[0] and "turunan" in lines[1]


def test_revoke_role_takes_it_back(runner, employee):
    runner.invoke(args=["grant-role", employee.nip, "ADMIN"])
    result = runner.invoke(args=["revoke-role", employee.nip, "ADMIN"])
    assert result.exit_code == 0 and roles_of(employee) == set()
    again = runner.invoke(args=["revoke-role", employee.nip, "ADMIN"])
    assert again.exit_code != 0 and "tidak memiliki" in again.output


# --- set-password --------------------------------------------------------------------------

def test_set_password_from_the_option_lets_the_user_log_in(runner, auth, employee):
    result = runner.invoke(args=["set-password", employee.nip, "--password", "sandi-baru-2024"])
    assert result.exit_code == 0, result.output
    assert auth.login(employee.nip, "sandi-baru-2024").status_code == 303


def test_set_password_prompts_twice(runner, auth, employee):
    result = runner.invoke(args=["set-password", employee.nip], input="sandi-baru-2024\nsandi-baru-2024\n")
    assert result.exit_code == 0, result.output
    assert "sandi-baru-2024" not in result.output  # hidden input
    assert auth.login(employee.nip, "sandi-baru-2024").status_code == 303


@pytest.mark.parametrize("password", ["pendek", "x{nip}x"])
def test_weak_password_is_refused_and_nothing_changes(runner, auth, employee, make_user, password):
    make_user(employee, password="sandi-lama-2024")
    result = runner.invoke(args=["set-password", employee.nip, "--password", password.format(nip=employee.nip)])
    assert result.exit_code != 0 and "Kata sandi" in result.output
    assert auth.login(employee.nip, "sandi-lama-2024").status_code == 303


def test_set_password_for_an_unknown_nip_fails(runner, employee):
    result = runner.invoke(args=["set-password", UNKNOWN_NIP, "--password", "sandi-baru-2024"])
    assert result.exit_code != 0 and "tidak ditemukan" in result.output
    assert count(User) == 0


def test_set_password_lifts_a_login_lock(app, runner, auth, employee, make_user):
    from kinerja.auth import services

    services.address_failures.clear()
    make_user(employee, password="sandi-lama-2024")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        auth.login(employee.nip, "salah-sandi")
    assert auth.login(employee.nip, "sandi-lama-2024").status_code == 429
    assert runner.invoke(args=["set-password", employee.nip, "--password", "sandi-baru-2024"]).exit_code == 0
    assert auth.login(employee.nip, "sandi-baru-2024").status_code == 303
    services.address_failures.clear()

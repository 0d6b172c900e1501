"""CLI: create-token, grant-role, revoke-role, set-password, deactivate-user, activate-user (INTERFACES.md "CLI").

A command given bad input prints one line per problem on stderr, exits 1 and writes nothing.
"""

import click
from sqlalchemy import select

from kinerja.auth import services
from kinerja.extensions import db
from kinerja.org.models import Employee
from kinerja.rules.vocabulary import Role

DERIVED_ROLES = {
    "PEGAWAI": "Pegawai",
    "PEJABAT_PENILAI": "Pejabat Penilai",
    "ATASAN_PEJABAT_PENILAI": "Atasan Pejabat Penilai",
}


def _fail(*lines: str) -> None:
    """Print the problems on stderr, undo any pending change and exit 1."""
    db.session.rollback()
    for line in lines:
        click.echo(line, err=True)
    raise SystemExit(1)


def _find_employee(nip: str) -> Employee | None:
    return db.session.scalar(select(Employee).where(Employee.nip == nip.strip()))


def _employee(nip: str) -> Employee:
    """Return the employee with this NIP, or fail."""
    employee = _find_employee(nip)
    if employee is None:
        _fail(f"NIP {nip} tidak ditemukan.")
    return employee


def role_problem(role: str) -> str | None:
    """Return why ``role`` cannot be granted, or None for a grantable role word."""
    word = role.strip().upper()
    if word in DERIVED_ROLES:
        return (f"{DERIVED_ROLES[word]} adalah peran turunan (dari data jabatan dan tabel Pejabat Penilai), "
                f"tidak dapat diberikan. Peran yang dapat diberikan: {', '.join(Role)}.")
    if word not in Role.__members__:
        return f"Peran tidak dikenal: {role}. Peran yang dapat diberikan: {', '.join(Role)}."
    return None


def _employee_and_role(nip: str, role: str) -> tuple[Employee, str]:
    """Return the employee and the role word, or fail naming every problem."""
    employee = _find_employee(nip)
    problems = [f"NIP {nip} tidak ditemukan."] if employee is None else []
    problem = role_problem(role)
    if problem:
        problems.append(problem)
    if problems:
        _fail(*problems)
    return employee, role.strip().upper()


def _commit() -> None:
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def _switch_account(nip: str, active: bool) -> None:
    """Activate or deactivate NIP's account, or fail when it already is so."""
    employee = _employee(nip)
    who = f"{employee.name} (NIP {employee.nip})"
    if services.user_for(employee).active == active:
        _fail(f"Akun {who} sudah {'aktif' if active else 'nonaktif'}.")
    services.set_active(None, employee, active)
    _commit()
    click.echo(f"Akun {who} diaktifkan kembali." if active else f"Akun {who} dinonaktifkan; semua sesinya berakhir.")


def register(app) -> None:
    @app.cli.command("create-token")
    @click.argument("nip")
    def create_token(nip):
        """Issue an API token for NIP and print it as the last line (the account is created if needed)."""
        employee = _employee(nip)
        token = services.create_token(None, employee)
        _commit()
        click.echo(f"Token API untuk {employee.name} (NIP {employee.nip}).")
        click.echo("Simpan sekarang: hanya sidik (hash) token yang disimpan, token tidak dapat ditampilkan lagi.")
        click.echo(token)

    @app.cli.command("grant-role")
    @click.argument("nip")
    @click.argument("role")
    def grant_role(nip, role):
        """Grant ROLE (PENGELOLA_KINERJA, KEPEGAWAIAN, ADMIN) to NIP; derived roles are refused."""
        employee, word = _employee_and_role(nip, role)
        had = word in services.user_for(employee).roles
        services.grant_role(None, employee, word)
        _commit()
        if had:
            click.echo(f"{employee.name} (NIP {employee.nip}) sudah memiliki peran {word}.")
        else:
            click.echo(f"Peran {word} diberikan kepada {employee.name} (NIP {employee.nip}).")

    @app.cli.command("revoke-role")
    @click.argument("nip")
    @click.argument("role")
    def revoke_role(nip, role):
        """Take a granted ROLE back from NIP (his sessions end: he logs in again)."""
        employee, word = _employee_and_role(nip, role)
        if word not in services.user_for(employee).roles:
            _fail(f"{employee.name} (NIP {employee.nip}) tidak memiliki peran {word}.")
        services.revoke_role(None, employee, word)
        _commit()
        click.echo(f"Peran {word} dicabut dari {employee.name} (NIP {employee.nip}).")

    @app.cli.command("set-password")
    @click.argument("nip")
    @click.option("--password", help="The new password (for scripts); without it the command asks twice.")
    def set_password(nip, password):
        """Set NIP's password (asked twice unless --password is given); lifts a login lock and ends his sessions."""
        employee = _employee(nip)
        if password is None:
            password = click.prompt("Kata sandi baru", hide_input=True, confirmation_prompt="Ulangi kata sandi")
        problem = services.password_problem(password, employee.nip)
        if problem:
            _fail(problem)
        services.set_password(None, employee, password)
        _commit()
        click.echo(f"Kata sandi {employee.name} (NIP {employee.nip}) disimpan; kunci masuk (jika ada) dibuka; "
                   "semua sesinya berakhir.")

    @app.cli.command("deactivate-user")
    @click.argument("nip")
    def deactivate_user(nip):
        """Deactivate NIP's account: its sessions end at once, it cannot log in and its API tokens stop working."""
        _switch_account(nip, active=False)

    @app.cli.command("activate-user")
    @click.argument("nip")
    def activate_user(nip):
        """Activate NIP's account again (its old sessions stay ended; its tokens work again unless revoked)."""
        _switch_account(nip, active=True)

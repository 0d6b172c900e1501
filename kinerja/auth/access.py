"""The one authorization layer: every view and API route asks here.

Object-level rules (DOMAIN.md §6, INTERFACES.md "Roles"):
- a Pegawai sees his own data;
- his assessor chain (Pejabat Penilai, Atasan Pejabat Penilai, and anyone acting as PLT/PLH
  for them today) sees and assesses his data; who that is, ``kinerja.org.relations`` answers
  (this module defines no relation of its own);
- KEPEGAWAIAN (HR) and ADMIN see every employee; PENGELOLA_KINERJA covers the organisation
  planning of the whole agency.
"""

from functools import wraps

from flask import abort, g, session
from flask_login import current_user, login_required
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload

from kinerja.extensions import db, login_manager
from kinerja.org import relations
from kinerja.org.models import Employee

HR_ROLES = ("KEPEGAWAIAN",)
# The session key holding User.session_version as it was at login (checked by the user loader).
SESSION_VERSION_KEY = "_session_version"
PLANNING_ROLES = ("PENGELOLA_KINERJA",)


def acting_user():
    """Return the user of this request: the API token's user, else the logged-in one."""
    user = g.get("api_user")
    if user is not None:
        return user
    return current_user if current_user.is_authenticated else None


def employee_has_role(employee: Employee | None, *roles: str) -> bool:
    """Tell whether an employee's account holds one of ``roles`` (ADMIN holds every role)."""
    from kinerja.auth.models import RoleGrant, User

    if employee is None:
        return False
    stmt = (
        select(RoleGrant.id)
        .join(User, User.id == RoleGrant.user_id)
        .where(User.employee_id == employee.id, RoleGrant.role.in_((*roles, "ADMIN")))
        .limit(1)
    )
    return db.session.scalar(stmt) is not None


def role_required(*roles: str):
    """Let through only users holding one of ``roles`` (ADMIN holds all); 403 otherwise."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def in_assessor_chain(viewer: Employee, employee: Employee) -> bool:
    """Tell whether ``viewer`` is the employee's assessor or the assessor's superior today (or their PLT/PLH)."""
    return relations.in_chain(viewer, employee)


def is_assessor_of(viewer: Employee, employee: Employee) -> bool:
    """Tell whether ``viewer`` is (or acts for) the employee's Pejabat Penilai today."""
    return relations.is_assessor(viewer, employee)


def can_view_employee(user, employee: Employee) -> bool:
    """Tell whether a user may see an employee's data."""
    if user is None:
        return False
    if user.employee_id == employee.id or user.has_role(*HR_ROLES):
        return True
    return in_assessor_chain(user.employee, employee)


def can_manage_people(user) -> bool:
    """Tell whether a user may change units, employees, acting and overrides (HR)."""
    return user is not None and user.has_role(*HR_ROLES)


def get_employee_or_404(nip: str, check_access: bool = True) -> Employee:
    """Load an employee by NIP; 404 when unknown, 403 when the user may not see him."""
    employee = db.session.scalar(select(Employee).where(Employee.nip == nip))
    if employee is None:
        abort(404, description="Pegawai tidak ditemukan.")
    if check_access and not can_view_employee(acting_user(), employee):
        abort(403)
    return employee


def init_app(app) -> None:
    from kinerja.auth.models import User

    user_by_id = (
        select(User)
        .where(User.id == bindparam("user_id"), User.session_version == bindparam("version"), User.active.is_(True))
        .options(joinedload(User.grants))
    )

    @login_manager.user_loader
    def load_user(user_id: str):
        """Load the session's user with his employee and roles in one query (every request asks).

        The session must carry the user's current session version (set at login) and the
        account must be active: logout, a new password, a revoked role or deactivation bump the
        version and so end every session of the user, in the same query (docs/security.md).
        The statement is built once: building it costs more than running it.
        """
        version = session.get(SESSION_VERSION_KEY)
        if not isinstance(version, int):
            return None  # a session from before session versions, or not made by login
        params = {"user_id": int(user_id), "version": version}
        return db.session.execute(user_by_id, params).unique().scalar_one_or_none()

    @app.context_processor
    def inject_access():
        return {"can_manage_people": can_manage_people(acting_user())}

"""Accounts: passwords, login throttling, roles and API tokens."""

import hashlib
import ipaddress
import secrets
import threading
from collections import deque
from datetime import timedelta

from flask import current_app
from sqlalchemy import case, or_, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from kinerja import clock
from kinerja.audit.services import record
from kinerja.auth.models import ApiToken, RoleGrant, User
from kinerja.extensions import db
from kinerja.org.models import Employee
from kinerja.rules.vocabulary import Role

# Checked against on an unknown NIP so that a miss costs as much time as a wrong password.
_DUMMY_HASH = generate_password_hash("kinerja-dummy-password")


class LoginLocked(Exception):
    """Too many failed logins: the account is locked until ``until``."""

    def __init__(self, until):
        super().__init__(until)
        self.until = until


def user_for(employee: Employee) -> User:
    """Return the employee's account, creating it (without a password) on first use."""
    user = db.session.scalar(select(User).where(User.employee_id == employee.id))
    if user is None:
        user = User(employee_id=employee.id, employee=employee)
        db.session.add(user)
        db.session.flush()
    return user


def set_password(actor, employee: Employee, password: str) -> User:
    """Hash and store a new password and clear any lock."""
    user = user_for(employee)
    user.password_hash = generate_password_hash(password)
    user.failed_logins, user.locked_until = 0, None
    end_sessions(user)
    record(actor, "user.password", "employee", employee.nip)
    return user


def grant_role(actor, employee: Employee, role: str) -> User:
    """Give a granted role (derived roles are never granted).

    :raise ValueError: for a role that cannot be granted
    """
    if role not in Role.__members__:
        raise ValueError(f"peran tidak dikenal: {role} (pilih {', '.join(Role)})")
    user = user_for(employee)
    if role not in user.roles:
        user.grants.append(RoleGrant(role=role))
        record(actor, "user.grant_role", "employee", employee.nip, None, {"role": role})
    return user


def revoke_role(actor, employee: Employee, role: str) -> User:
    """Take a granted role back and end the user's sessions."""
    user = user_for(employee)
    for grant in list(user.grants):
        if grant.role == role:
            user.grants.remove(grant)
            end_sessions(user)
            record(actor, "user.revoke_role", "employee", employee.nip, {"role": role}, None)
    return user


def end_sessions(user: User) -> None:
    """End every session of ``user``: the version kept in each session no longer matches.

    One atomic ``UPDATE … SET session_version = session_version + 1``; the caller commits.
    """
    user.session_version = User.session_version + 1
    db.session.flush()


def set_active(actor, employee: Employee, active: bool) -> User:
    """Activate or deactivate an account; deactivating ends its sessions (and its tokens stop working)."""
    user = user_for(employee)
    if user.active != active:
        user.active = active
        if not active:
            end_sessions(user)
        record(actor, "user.activate" if active else "user.deactivate", "employee", employee.nip,
               {"active": not active}, {"active": active})
    return user


def authenticate(nip: str, password: str) -> User | None:
    """Check a login; count failures and lock after too many.

    The attempt is reserved (counted) and committed *before* the password hash is checked, in
    one conditional ``UPDATE … RETURNING``: concurrent attempts on one account each take a
    distinct number, so at most LOGIN_MAX_FAILURES hashes are checked per lock period, and the
    attempt that takes the last number locks the account at once (docs/security.md).

    :raise LoginLocked: while the account is locked
    """
    user = db.session.scalar(select(User).join(User.employee).where(Employee.nip == nip.strip()))
    if user is None or user.password_hash is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    user_id, password_hash = user.id, user.password_hash
    count = _reserve_attempt(user_id)
    ok = check_password_hash(password_hash, password)
    user = db.session.get(User, user_id, populate_existing=True)
    if ok and user.active:
        db.session.execute(update(User).where(User.id == user_id).values(failed_logins=0, locked_until=None))
        db.session.commit()
        db.session.refresh(user)
        return user
    if count >= current_app.config["LOGIN_MAX_FAILURES"]:
        record(None, "user.locked", "employee", user.employee.nip)
        db.session.commit()
    return None


def _reserve_attempt(user_id: int) -> int:
    """Count one login attempt on an unlocked account and commit; return its number.

    A lock that has expired starts the count again at 1; the attempt that reaches the limit
    sets ``locked_until``.

    :raise LoginLocked: while the account is locked (nothing is counted)
    """
    config = current_app.config
    now = clock.stamp()
    count = case((User.locked_until.is_(None), User.failed_logins + 1), else_=1)  # old values: one UPDATE
    reserve = (
        update(User)
        .where(User.id == user_id, or_(User.locked_until.is_(None), User.locked_until <= now))
        .values(
            failed_logins=count,
            locked_until=case(
                (count >= config["LOGIN_MAX_FAILURES"],
                 now + timedelta(minutes=config["LOGIN_LOCK_MINUTES"])),
                else_=None,
            ),
        )
        .returning(User.failed_logins)
        .execution_options(synchronize_session=False)
    )
    number = db.session.scalar(reserve)
    if number is None:
        until = db.session.scalar(select(User.locked_until).where(User.id == user_id))
        db.session.rollback()
        raise LoginLocked(until or now)
    db.session.commit()
    return number


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(actor, employee: Employee) -> str:
    """Issue a new API token and return it (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    user = user_for(employee)
    db.session.add(ApiToken(user_id=user.id, token_hash=_digest(token), created_at=clock.stamp()))
    record(actor, "user.create_token", "employee", employee.nip)
    return token


def user_for_token(token: str) -> User | None:
    """Return the active user behind a bearer token, or None."""
    api_token = db.session.scalar(
        select(ApiToken).where(ApiToken.token_hash == _digest(token), ApiToken.revoked.is_(False))
    )
    if api_token is None or not api_token.user.active:
        return None
    return api_token.user


# --- throttling by client address and the password policy (used by the login page and CLI) ---

PASSWORD_MIN_LENGTH = 8


def password_problem(password: str, nip: str | None = None) -> str | None:
    """Return why a new password is not acceptable, or None when it is."""
    if len(password) < PASSWORD_MIN_LENGTH:
        return f"Kata sandi minimal {PASSWORD_MIN_LENGTH} karakter."
    if nip is not None and nip in password:
        return "Kata sandi tidak boleh memuat NIP."
    return None


class TooManyAttempts(Exception):
    """Too many failed logins from one client address: refused until ``until``."""

    def __init__(self, until):
        super().__init__(until)
        self.until = until


class FailureWindow:
    """Failed logins per client address over a sliding window, kept in this process's memory.

    Each worker process keeps its own counts and a restart forgets them: this slows password
    spraying across many NIPs; the per-account lock in the database is the guarantee.
    """

    MAX_ADDRESSES = 10_000  # bounds memory under a flood of spoofed or rotating addresses

    def __init__(self):
        self._failures: dict[str, deque] = {}
        self._lock = threading.Lock()

    def _prune(self, key: str, since) -> deque:
        times = self._failures.get(key, deque())
        while times and times[0] <= since:
            times.popleft()
        if not times:
            self._failures.pop(key, None)
        return times

    def blocked_until(self, key: str, limit: int, window: timedelta):
        """Return until when ``key`` is refused, or None while it is under ``limit`` failures."""
        now = clock.now()
        with self._lock:
            return self._blocked_until(key, limit, window, now)

    def _blocked_until(self, key: str, limit: int, window: timedelta, now):
        times = self._prune(key, now - window)
        return times[-limit] + window if limit and len(times) >= limit else None

    def add(self, key: str, window: timedelta) -> None:
        """Count one failure for ``key`` now."""
        now = clock.now()
        with self._lock:
            self._add(key, window, now)

    def _add(self, key: str, window: timedelta, now) -> None:
        if len(self._failures) >= self.MAX_ADDRESSES:
            for other in list(self._failures):
                self._prune(other, now - window)
            if len(self._failures) >= self.MAX_ADDRESSES:
                self._failures.clear()
        self._failures.setdefault(key, deque()).append(now)

    def reserve(self, key: str, limit: int, window: timedelta):
        """Count one attempt for ``key`` now, as a failure until ``release``; return its moment.

        Check and count happen under one lock, so concurrent attempts cannot all pass the check
        before any of them is counted.

        :raise TooManyAttempts: when ``key`` has ``limit`` failures in the window (nothing is counted)
        """
        now = clock.now()
        with self._lock:
            until = self._blocked_until(key, limit, window, now)
            if until is not None:
                raise TooManyAttempts(until)
            self._add(key, window, now)
        return now

    def release(self, key: str, moment) -> None:
        """Take back an attempt counted by ``reserve`` (it succeeded)."""
        with self._lock:
            times = self._failures.get(key)
            if times is not None and moment in times:
                times.remove(moment)
                if not times:
                    self._failures.pop(key, None)

    def clear(self) -> None:
        """Forget every count (tests, or an operator after an incident)."""
        with self._lock:
            self._failures.clear()


address_failures = FailureWindow()


def authenticate_from(address: str | None, nip: str, password: str) -> User | None:
    """Check a login coming from a client address; throttle the address, then the account.

    The attempt is counted against the address before anything else and taken back when it
    succeeds, so concurrent attempts from one address cannot overrun the limit.

    :raise TooManyAttempts: while the address has failed LOGIN_ADDRESS_MAX_FAILURES times
        within LOGIN_LOCK_MINUTES (0 turns the address limit off)
    :raise LoginLocked: while the account is locked
    """
    config = current_app.config
    limit = config.get("LOGIN_ADDRESS_MAX_FAILURES", 50)
    if not limit or not _throttled_address(address):
        return authenticate(nip, password)
    window = timedelta(minutes=config["LOGIN_LOCK_MINUTES"])
    moment = address_failures.reserve(address, limit, window)  # counted before the hash is checked
    user = authenticate(nip, password)  # a LoginLocked leaves the attempt counted
    if user is not None:
        address_failures.release(address, moment)
    return user


def _throttled_address(address: str | None) -> bool:
    """Tell whether logins from ``address`` are counted per address.

    A loopback peer is the reverse proxy in front of the app (or an operator on the server):
    everybody's requests come from it, and throttling it would lock the whole agency out.
    Behind a proxy, ProxyFix must give the real client address for this limit to apply.
    """
    if not address:
        return False
    try:
        return not ipaddress.ip_address(address).is_loopback
    except ValueError:
        return True

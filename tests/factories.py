"""Factories that build rows through the real services (so audit and tree refresh run)."""

import itertools

from kinerja.extensions import db
from kinerja.org import services

PASSWORD = "rahasia-uji-123"
_nips = itertools.count(1)


def next_nip() -> str:
    return f"19800101{next(_nips):010d}"


def make_unit(code: str, level: str = "ESELON_II", parent=None, *, name: str | None = None,
              region: str = "PUSAT", kind: str | None = None, timezone: str | None = None):
    unit = services.save_unit(None, code=code, name=name or f"Unit {code}", parent=parent, level=level,
                              region=region, kind=kind, timezone=timezone)
    db.session.commit()
    return unit


def make_employee(unit, jenjang: str = "PELAKSANA", *, name: str | None = None, nip: str | None = None,
                  status: str = "PNS", golongan: str | None = "III/a", jf_name: str | None = None,
                  is_head: bool = False, email: str | None = None, effective=None):
    nip = nip or next_nip()
    employee = services.save_employee(None, nip=nip, name=name or f"Pegawai {nip[-4:]}", status=status,
                                      jenjang=jenjang, unit=unit, jf_name=jf_name, golongan=golongan,
                                      is_head=is_head, email=email, effective=effective)
    db.session.commit()
    return employee


def make_user(employee, *roles: str, password: str = PASSWORD):
    from kinerja.auth import services as auth_services

    user = auth_services.set_password(None, employee, password)
    for role in roles:
        auth_services.grant_role(None, employee, role)
    db.session.commit()
    return user


def login_as(client, user) -> None:
    """Log a test client in as ``user`` through the session (no login form needed).

    ``_id`` is the identifier Flask-Login's "strong" session protection checks (remote address
    and user agent); without it the session is wiped on the next request."""
    from flask import g
    from flask_login.utils import _create_identifier

    # Tests keep one app context across requests, and Flask-Login caches the user in ``g``.
    g.pop("_login_user", None)
    with client.application.test_request_context(environ_base=client.environ_base):
        identifier = _create_identifier()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_session_version"] = user.session_version  # checked by the user loader, as login sets it
        session["_fresh"] = True
        session["_id"] = identifier

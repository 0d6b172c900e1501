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

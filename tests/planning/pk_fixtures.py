"""A small organisation for the PK service, page and API tests.

BKKBN (Kepala) > DEPUTI (JPT Madya) > DIT (JPT Pratama, with an analyst) > SUBDIT (Administrator);
DEPUTI2 (another JPT Madya) is a sibling branch with its own staff, the planner and the HR officer.
Everyone has an account (no password: log in with ``login_as``); ``planner`` holds PENGELOLA_KINERJA,
``hr`` KEPEGAWAIAN.
"""

from types import SimpleNamespace

import pytest

from kinerja.auth import services as auth_services
from kinerja.extensions import db
from kinerja.planning import pk as services
from kinerja.rules.trajectory import expected_periods

YEAR = 2026


@pytest.fixture
def org(app, make_unit, make_employee):
    units = SimpleNamespace()
    units.bkkbn = make_unit("BKKBN", "BADAN")
    units.deputi = make_unit("DEPUTI", "ESELON_I", units.bkkbn)
    units.dit = make_unit("DIT", "ESELON_II", units.deputi)
    units.subdit = make_unit("SUBDIT", "ESELON_III", units.dit)
    units.deputi2 = make_unit("DEPUTI2", "ESELON_I", units.bkkbn)
    people = SimpleNamespace(units=units)
    spec = [
        ("kepala", units.bkkbn, "KEPALA", True, ()),
        ("deputi", units.deputi, "JPT_MADYA", True, ()),
        ("direktur", units.dit, "JPT_PRATAMA", True, ()),
        ("analis", units.dit, "JF", False, ()),
        ("kasubdit", units.subdit, "ADMINISTRATOR", True, ()),
        ("deputi2", units.deputi2, "JPT_MADYA", True, ()),
        ("staf2", units.deputi2, "PELAKSANA", False, ()),
        ("planner", units.deputi2, "PELAKSANA", False, ("PENGELOLA_KINERJA",)),
        ("hr", units.deputi2, "PELAKSANA", False, ("KEPEGAWAIAN",)),
    ]
    for key, unit, jenjang, is_head, roles in spec:
        employee = make_employee(unit, jenjang, name=key.title(), is_head=is_head,
                                 jf_name="Analis Kebijakan" if jenjang == "JF" else None)
        setattr(people, key, employee)
        # accounts without a password (tests log in through the session): hashing is slow
        user = auth_services.user_for(employee)
        for role in roles:
            auth_services.grant_role(None, employee, role)
        setattr(people, f"{key}_user", user)
    db.session.commit()
    return people


def linear(year: int, target: float, consolidation: str = "MONTHLY") -> dict[str, float]:
    """A cumulative trajectory that climbs evenly to the target."""
    periods = expected_periods(year, consolidation)
    return {p: target * (i + 1) / len(periods) for i, p in enumerate(periods)}


def build_pk(actor, unit, year: int = YEAR, ikus=(("IKU-1", 60, 100, None), ("IKU-2", 40, 50, None)),
             *, with_trajectory: bool = True, commit: bool = True):
    """Create a complete draft PK: one SS, the given IKU ``(code, weight, target, parent_iku)``."""
    pk = services.create_pk(actor, unit, year)
    ss = services.add_sasaran(actor, pk, f"Sasaran {unit.code}")
    for code, weight, target, parent in ikus:
        iku = services.add_iku(actor, ss, code=code, name=f"Indikator {code}", polarity="MAX", weight=weight,
                               unit_of_measure="persen", target=target, parent_iku=parent)
        if with_trajectory:
            services.set_trajectory(actor, iku, linear(year, target))
    if commit:
        db.session.commit()
    return pk


def signed_pk(org, unit, head, superior, ikus=(("IKU-1", 60, 100, None), ("IKU-2", 40, 50, None))):
    """Create and sign a PK by both parties."""
    pk = build_pk(None, unit, ikus=ikus)
    services.sign_pk(head, pk)
    if superior is not None:
        services.sign_pk(superior, pk)
    db.session.commit()
    return pk

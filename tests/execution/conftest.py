"""Fixtures of the execution tests: the small organisation of ``tests.planning.skp_fixtures``
(clock frozen on Thursday 15 January 2026 10:00 WIB), ``people`` by short name, employees in
WITA and WIT units (``zoned``) and the analis's approved SKP (``approved``)."""

from datetime import date

import pytest

from kinerja.extensions import db
from kinerja.planning import skp as skp_services
from tests.planning.skp_fixtures import frozen, full_skp, leader_skp, org  # noqa: F401


@pytest.fixture
def people(org):  # noqa: F811
    return org["people"]


@pytest.fixture
def zoned(org, make_unit, make_employee):  # noqa: F811
    """One Pelaksana in a WITA unit and one in a WIT unit."""
    deputi = org["units"]["DEPUTI"]
    wita = make_unit("PWK-WITA", "ESELON_II", deputi, timezone="Asia/Makassar")
    wit = make_unit("PWK-WIT", "ESELON_II", deputi, timezone="Asia/Jayapura")
    return {"Asia/Makassar": make_employee(wita, "PELAKSANA", effective=date(2026, 1, 1)),
            "Asia/Jayapura": make_employee(wit, "PELAKSANA", effective=date(2026, 1, 1))}


@pytest.fixture
def approved(people):
    """The analis's SKP approved by the Direktur (cascading from the Direktur's own approved SKP)."""
    _, leader_rhk = leader_skp(people["direktur"], approve_by=people["deputi"])
    skp = full_skp(people["analis"], parent=leader_rhk)
    skp_services.submit_skp(people["analis"], skp)
    skp_services.approve_skp(people["direktur"], skp)
    db.session.commit()
    return skp

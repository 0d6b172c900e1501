"""Fixtures of the realisation tests, on the execution organisation (``tests/execution/conftest.py``,
clock frozen on Thursday 15 January 2026): a planner, the Direktur's signed PK of DIT (built with the
PK helpers of ``tests.planning.pk_fixtures``), one with a rencana aksi, and login helpers."""

from datetime import UTC, datetime

import pytest

from kinerja.auth import services as auth_services
from kinerja.extensions import db
from kinerja.planning import pk as pk_services
from tests.factories import login_as
from tests.planning.pk_fixtures import build_pk, signed_pk

HX = {"HX-Request": "true"}
APRIL = datetime(2026, 4, 10, 3, 0, tzinfo=UTC)  # 10:00 WIB on Friday 10 April 2026: January-April open


@pytest.fixture
def planner(org, make_employee):
    """A planning officer (PENGELOLA_KINERJA) placed in DIT2: the role, not the place, lets him in."""
    employee = make_employee(org["units"]["DIT2"], "PELAKSANA", name="Planner")
    auth_services.grant_role(None, employee, "PENGELOLA_KINERJA")
    db.session.commit()
    return employee


@pytest.fixture
def pk(org, people):
    """The Direktur's PK of DIT for 2026, signed by him and the Deputi: IKU-1 (60, target 100) and IKU-2
    (40, target 50), both MAX with a linear cumulative monthly trajectory."""
    return signed_pk(None, org["units"]["DIT"], people["direktur"], people["deputi"])


@pytest.fixture
def pk_with_action(org, people):
    """Like ``pk``, with a rencana aksi on IKU-1 (due March)."""
    item = build_pk(None, org["units"]["DIT"], commit=False)
    pk_services.add_action(None, item.iku[0], kind="RENCANA_AKSI", description="Sosialisasi", period="2026-03")
    pk_services.sign_pk(people["direktur"], item)
    pk_services.sign_pk(people["deputi"], item)
    db.session.commit()
    return item


def login(client, employee):
    """Log the client in as an employee (an account without a password is enough)."""
    user = auth_services.user_for(employee)
    db.session.commit()
    login_as(client, user)
    return client

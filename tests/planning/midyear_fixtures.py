"""Fixtures the mid-year tests share (services in test_midyear, HR pages in test_changes_views):
the ``org`` of ``skp_fixtures`` split into ``people`` and ``units``, and the analis's approved SKP."""

import pytest

from kinerja.extensions import db
from kinerja.planning import skp as services
from tests.planning.skp_fixtures import full_skp, leader_skp, org  # noqa: F401


@pytest.fixture
def people(org):  # noqa: F811
    return org["people"]


@pytest.fixture
def units(org):  # noqa: F811
    return org["units"]


@pytest.fixture
def approved(people):
    """The analis's approved SKP 2026 (2 RHK, one KUANTITAS IKI of 12 each), cascaded from the Direktur's."""
    _, leader_rhk = leader_skp(people["direktur"])
    item = full_skp(people["analis"], parent=leader_rhk, rhk_count=2)
    services.submit_skp(people["analis"], item)
    services.approve_skp(people["direktur"], item)
    db.session.commit()
    return item

"""The tests run on the database they were asked to: a PostgreSQL run must not quietly use SQLite."""

import os

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from kinerja.extensions import db


def test_the_database_is_the_one_requested(app):
    requested = os.environ.get("KINERJA_TEST_DATABASE_URL")
    expected = make_url(requested).get_backend_name() if requested else "sqlite"
    assert db.engine.dialect.name == expected
    assert db.session.execute(text("SELECT 1")).scalar() == 1


def test_postgresql_is_version_15_or_newer(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("a SQLite run")
    assert db.engine.dialect.server_version_info >= (15,)

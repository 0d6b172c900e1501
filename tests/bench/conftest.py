"""Benchmarks run against their own agency-sized database, built once per session.

Run with ``scripts/bench`` (``pytest tests/bench --benchmark-only``). The database is a SQLite
file unless KINERJA_BENCH_DATABASE_URL names another (e.g. the throwaway PostgreSQL).
"""

import os

import pytest

from kinerja import create_app
from kinerja.extensions import db
from tests.bench import orgdata


@pytest.fixture(scope="session")
def bench_app(tmp_path_factory):
    url = os.environ.get("KINERJA_BENCH_DATABASE_URL") or "sqlite:///" + str(
        tmp_path_factory.mktemp("bench") / "bench.sqlite3"
    )
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": False, "REDIS_URL": None})
    with app.app_context():
        db.drop_all()
        db.create_all()
        counts = orgdata.build_agency()
        app.config["BENCH_COUNTS"] = counts
    return app


@pytest.fixture
def bench_ctx(bench_app):
    with bench_app.app_context():
        yield bench_app
        db.session.rollback()

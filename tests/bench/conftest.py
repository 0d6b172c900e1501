"""Benchmarks run against their own agency-sized database, built once and reused between runs.

Run with ``scripts/bench`` (``pytest tests/bench --benchmark-only``). The database is a SQLite
file unless KINERJA_BENCH_DATABASE_URL names another (e.g. the throwaway PostgreSQL). The data
(25,000 employees; and 6 million visum when a collected benchmark asks for ``bench_visum``) is
kept between runs: a SQLite template copied for each session, or the PostgreSQL database itself
(``tests/bench/cache.py``).
"""

import os
from datetime import date
from pathlib import Path

import pytest

from kinerja import create_app
from kinerja.extensions import db
from tests.bench import cache, orgdata, visumdata


def _create(url: str):
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                       "WTF_CSRF_ENABLED": False, "REDIS_URL": None})


def _drop_everything() -> None:
    cache.forget("org", "visum")
    db.drop_all()
    db.create_all()


def _prepare(with_visum: bool) -> dict:
    """Reuse or build the organisation (and the visum) in the current database; return the counts."""
    org_print = cache.fingerprint(cache.schema_fingerprint(), Path(orgdata.__file__), date.today().year)
    found = cache.recorded("org")
    if found is not None and found[0] == org_print and not orgdata.verify(found[1]):
        cache.forget("org")  # recorded, but emptied since (the test suite shares the database)
    counts, _ = cache.ensure("org", org_print, orgdata.build_agency, drop=_drop_everything)
    if with_visum:
        visum_print = visumdata.fingerprint(org_print)
        found = cache.recorded("visum")
        if found is not None and found[0] == visum_print and not visumdata.verify(found[1]):
            cache.forget("visum")
        visum_counts, _ = cache.ensure("visum", visum_print, visumdata.build_visum, drop=visumdata.drop_visum)
        counts = {**counts, **visum_counts}
    return counts


@pytest.fixture(scope="session")
def bench_app(request, tmp_path_factory):
    with_visum = any("bench_visum" in item.fixturenames for item in request.session.items)
    url = os.environ.get("KINERJA_BENCH_DATABASE_URL")
    if url:
        app = _create(url)
        with app.app_context():
            db.create_all()
            counts = _prepare(with_visum)
            cache.empty_scratch_tables()
    else:
        template = cache.cache_dir() / ("bench-visum.sqlite3" if with_visum else "bench-org.sqlite3")
        with cache.locked(template.with_suffix(".lock")):
            builder = _create("sqlite:///" + str(template))
            with builder.app_context():
                db.create_all()
                counts = _prepare(with_visum)
                cache.checkpoint_sqlite()
                db.session.remove()
                db.engine.dispose()
            target = tmp_path_factory.mktemp("bench") / "bench.sqlite3"
            cache.copy_template(template, target)
        app = _create("sqlite:///" + str(target))
    app.config["BENCH_COUNTS"] = counts
    return app


@pytest.fixture(scope="session")
def bench_visum(bench_app):
    """The 6 million visum of ``tests/bench/visumdata.py`` (built or reused by ``bench_app``): their counts."""
    return bench_app.config["BENCH_COUNTS"]


@pytest.fixture
def bench_ctx(bench_app):
    with bench_app.app_context():
        yield bench_app
        db.session.rollback()

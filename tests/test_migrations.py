"""`init-db` builds the schema from the Alembic migrations, is idempotent, and the migrations
describe exactly the models (nothing left for autogenerate). Runs on SQLite and PostgreSQL."""

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from kinerja import create_app
from kinerja.extensions import db


@pytest.fixture
def fresh_database_url(database_url, tmp_path):
    """An empty database of the same kind as the test database, dropped afterwards."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    name = f"kinerja_migr_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def test_init_db_twice_matches_the_models(fresh_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": fresh_database_url, "TESTING": True})
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        assert set(db.metadata.tables) <= tables
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
        assert diff == []
        db.engine.dispose()


def test_downgrade_to_nothing_and_back(fresh_database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": fresh_database_url, "TESTING": True})
    runner = app.test_cli_runner()
    for args in (["init-db"], ["db", "downgrade", "base"], ["init-db"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
    with app.app_context():
        assert set(db.metadata.tables) <= set(inspect(db.engine).get_table_names())
        db.engine.dispose()

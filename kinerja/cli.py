"""Register every command of INTERFACES.md; each delegates to a service."""

import click
from flask_migrate import upgrade


def init_app(app) -> None:
    @app.cli.command("init-db")
    def init_db():
        """Create or upgrade the schema (idempotent)."""
        upgrade()
        click.echo("Skema basis data siap.")

    @app.cli.command("seed-demo")
    def seed_demo():
        """Load the demo organisation and users (idempotent) and print the demo logins."""
        from sqlalchemy import inspect

        from kinerja import demo
        from kinerja.extensions import db

        if not inspect(db.engine).has_table("employee"):
            raise click.ClickException("Skema basis data belum ada: jalankan dulu `flask --app app init-db`.")
        click.echo(demo.format_logins(demo.build_demo()))

    from kinerja.auth import cli as auth_cli
    from kinerja.execution import cli as execution_cli
    from kinerja.org import cli as org_cli

    org_cli.register(app)
    auth_cli.register(app)
    execution_cli.register(app)

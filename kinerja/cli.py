"""Register every command of INTERFACES.md; each delegates to a service."""

import click
from flask_migrate import upgrade


def init_app(app) -> None:
    @app.cli.command("init-db")
    def init_db():
        """Create or upgrade the schema (idempotent)."""
        upgrade()
        click.echo("Skema basis data siap.")

    from kinerja.auth import cli as auth_cli
    from kinerja.org import cli as org_cli

    org_cli.register(app)
    auth_cli.register(app)
